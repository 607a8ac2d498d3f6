"""Sets with reps that are not full valid reps: a failed rep (the bar stalls and goes back
down), partial reps (a half squat, a deadlift not lowered to the floor), rest-pause and
cluster sets (long rests at the top or on the floor inside one set), with the status of
every attempt and the set's numbers over the valid reps only (see ``README.md`` here).

Written from the lifting literature and the definitions of ``lift_truth`` only, without
reading the program's analysis code. The motion is chained from lift_truth's segments
(``_Seg``: rests and moves of its shapes, each from rest to rest, so position is C2); the
truth of every valid or partial rep is lift_truth's ``RepTruth`` with the same
definitions (MCV, MPV, peak velocity, phase limits), computed with lift_truth's own
helpers. The family is in :mod:`tests.truth.failed_family`.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from tests.truth.lift_shapes import ECC_SHAPES, SHAPES, _Seg
from tests.truth.lift_truth import _peak_in, _propulsive_end
from tests.truth.set_records import LiftTruth, RepTruth, SetSpec, SetTruth

#: A rep whose concentric displacement is below this fraction of the set's full ROM is
#: *partial*. No published standard exists; this is this generator's choice (an analysis
#: may use its own threshold). The family's partial reps are 40-60 % of the full ROM and
#: its valid reps within a few per cent of it, so a check is about detection, not about
#: the threshold. Martínez-Cava et al. 2019 (*J Sports Sci Med* 18:645) show that the
#: mean velocity at a given load differs between full, 2/3 and 1/3 ROM bench press, so a
#: partial rep's MCV is not comparable with the full reps' and stays out of set numbers.
PARTIAL_BELOW_FRAC = 0.80

#: A still period between two reps at least this long is an intra-set rest (rest-pause
#: or cluster), recorded in ``FailSetTruth.rests``; the reps on both sides belong to the
#: same set (Tufano, Brown & Haff 2017, *J Strength Cond Res* 31:848: cluster sets have
#: rests of about 10-45 s between groups of reps inside a set).
INTRA_SET_REST_S = 5.0

STATUSES = ("valid", "partial", "failed")


@dataclass(frozen=True)
class Attempt:
    """One attempt of a set.

    status           "valid", "partial" or "failed" (what the lifter does)
    shape, ecc_shape a key of ``SHAPES`` / ``ECC_SHAPES`` (failed: the rise's shape)
    rom_m            concentric displacement of a valid or partial rep (a partial's own,
                     short ROM); failed: the depth of its descent (down-first) or the
                     set's full ROM (up-first), the ROM the stall fraction refers to
    con_mean_mps     MCV of a valid or partial rep; failed: mean speed of the rise
    ecc_s            eccentric duration (s); up-first: the lowering after lockout
    bottom_pause_s   rest at the bottom before the concentric (up-first: on the floor, or
                     where a partial starts; ignored for the first attempt). A long one
                     on the floor is a cluster rest
    top_pause_s      rest at the top after lockout (down-first: before the next descent,
                     ignored for the last attempt; up-first: lockout hold)
    rerack_m         down-first: 0, or a re-rack inside the top pause: the bar goes down
                     this far onto the hooks over ``rerack_move_s``, stays, and comes up
                     again ``rerack_move_s`` before ``still_after_rerack_s`` and the descent
    start_above_floor_m  up-first partial: the previous lowering stops this high above
                     the floor and this rep's concentric starts there
    stall_frac       failed: height of the stall above the bottom as a fraction of rom_m
    stall_hold_s     failed: the bar stands still at the stall (0 = reverses at once)
    return_s         failed: duration of the way back down
    pin_below_m      failed down-first: the bar lands this far below the bottom (safety
                     pins / the chest; 0 = back to the bottom)
    pins_rest_s      failed: rest low before the spotters' re-rack (or the tail)
    spot_rerack_s    failed down-first: 0 = the set ends low; else spotters lift the bar
                     from the pins to ``rack_below_top_m`` under the top over this time
    """

    status: str = "valid"
    shape: str = "two_peak"
    rom_m: float = 0.55
    con_mean_mps: float = 0.5
    ecc_s: float = 1.8
    ecc_shape: str = "ecc_smooth"
    bottom_pause_s: float = 0.0
    top_pause_s: float = 1.0
    rerack_m: float = 0.0
    rerack_move_s: float = 0.8
    still_after_rerack_s: float = 1.0
    start_above_floor_m: float = 0.0
    stall_frac: float = 0.5
    stall_hold_s: float = 0.6
    return_s: float = 1.2
    pin_below_m: float = 0.0
    pins_rest_s: float = 1.0
    spot_rerack_s: float = 0.0
    rack_below_top_m: float = 0.06


@dataclass(frozen=True)
class FailSet:
    """A set of attempts. ``lift`` "squat", "bench" (down-first) or "deadlift" (up-first);
    ``base_height_m`` the standing / lockout height (down-first) or the floor height of
    the bar (up-first); a failed attempt may only be the last. ``fps``, ``noise_px``,
    ``m_per_px``: how the family means the set to be written as a track CSV."""

    lift: str
    attempts: tuple[Attempt, ...]
    lead_in_s: float = 1.5
    tail_s: float = 1.5
    base_height_m: float = 1.40
    name: str = ""
    fps: float = 60.0
    noise_px: float = 0.0
    m_per_px: float = 0.0025

    @property
    def direction(self) -> str:
        return "up_first" if self.lift == "deadlift" else "down_first"


@dataclass(frozen=True)
class FailureTruth:
    """What a failed attempt did (times s from set start, heights m).

    rise_start_t / stall_start_t  the bar leaves the bottom / stops going up (v = 0, the
                                  attempt's highest point, below lockout)
    stall_end_t                   it starts back down (= stall_start_t if no hold)
    stall_y_m, stall_frac_of_rom  stall height; (stall - bottom) / the attempt's ROM
    return_end_t, end_y_m         it lands (bottom, pins, chest or floor) and its height
    spot_rerack_start_t/_end_t, rack_y_m  spotters' lift to the rack (None: set ends low)
    """

    rise_start_t: float
    stall_start_t: float
    stall_end_t: float
    stall_hold_s: float
    stall_y_m: float
    stall_frac_of_rom: float
    rise_mean_mps: float
    return_end_t: float
    end_y_m: float
    spot_rerack_start_t: float | None
    spot_rerack_end_t: float | None
    rack_y_m: float | None


@dataclass(frozen=True)
class AttemptTruth:
    """Truth of one attempt. ``rep`` is lift_truth's ``RepTruth`` (same definitions and
    values as a rep built by ``build_set``) for a valid or partial rep, None for a failed
    one, whose ``failure`` is set instead. ``rom_m``: concentric displacement reached
    (failed: rise to the stall); ``rom_frac_of_full`` = rom_m / the set's full ROM;
    ``mcv_mps``/``mpv_mps``: None for a failed attempt (it has no valid MCV);
    ``counts``: only valid reps enter the set's numbers; ``left_out_reason`` says why
    the others do not."""

    index: int
    status: str
    counts: bool
    left_out_reason: str | None
    rom_m: float
    rom_frac_of_full: float
    bottom_y_m: float
    top_y_m: float
    eccentric_start_t: float | None
    eccentric_end_t: float | None
    concentric_start_t: float
    concentric_end_t: float
    peak_velocity_mps: float
    peak_velocity_t: float
    mcv_mps: float | None
    mpv_mps: float | None
    rep: RepTruth | None
    failure: FailureTruth | None


@dataclass(frozen=True)
class RestTruth:
    """An intra-set rest (>= ``INTRA_SET_REST_S``): not a rep. ``kind`` "top_still" (bar
    held at the top), "top_rerack" (put on the hooks ``rerack_depth_m`` lower and taken
    again) or "floor" (deadlift on the floor); ``after_index``: the attempt before it."""

    after_index: int
    kind: str
    start_t: float
    end_t: float
    duration_s: float
    y_m: float
    rerack_depth_m: float


@dataclass(frozen=True)
class FailSetTruth:
    """The set's numbers over its **valid** reps only (indices are attempt indices).

    full_rom_m         median ROM of the reps that reach lockout (valid and partial; the
                       partials are fewer than half, so it is a full rep's ROM)
    velocity_loss_pct  100 (best - last valid MCV) / best (Sánchez-Medina &
                       González-Badillo 2011); None with no valid rep
    clusters           attempt indices grouped between intra-set rests
    """

    n_attempts: int
    n_valid: int
    statuses: tuple[str, ...]
    valid_indices: tuple[int, ...]
    full_rom_m: float
    partial_threshold_m: float
    mcv_mps: tuple[float | None, ...]
    valid_mcv_mps: tuple[float, ...]
    best_mcv_mps: float | None
    best_rep_index: int | None
    mean_mcv_mps: float | None
    last_valid_index: int | None
    last_mcv_mps: float | None
    velocity_loss_pct: float | None
    velocity_loss_first_last_pct: float | None
    left_out: tuple[tuple[int, str, str], ...]
    rests: tuple[RestTruth, ...]
    clusters: tuple[tuple[int, ...], ...]


@dataclass
class FailTruth(LiftTruth):
    """lift_truth's ``LiftTruth`` (``y/v/a(t)``, ``duration_s``, ``segments``) whose
    ``reps`` are the RepTruths of the **valid** reps only and ``set`` lift_truth's
    ``SetTruth`` over them (what a correct analysis reports as the counted reps; its
    ``fastest_rep_index`` indexes ``reps``); ``attempts`` has every attempt and
    ``fail_set`` the set's numbers by attempt. lift_truth's ``sample``,
    ``to_track_csv`` and ``render_clip`` accept it."""

    fail_spec: FailSet | None = None
    attempts: tuple[AttemptTruth, ...] = ()
    fail_set: FailSetTruth | None = None


# ---------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------

class _Chain:
    """Segments appended in time order (rests and moves, all from rest to rest)."""

    def __init__(self):
        self.segs: list[_Seg] = []
        self.t = 0.0

    def rest(self, dur: float, y: float):
        if dur > 0:
            self.segs.append(_Seg(self.t, self.t + dur, y, 0.0))
            self.t += dur

    def move(self, dur: float, y0: float, dy: float, blocks, kind: str) -> _Seg:
        if dur <= 0 or dy == 0:
            raise ValueError(f"a {kind} move needs a duration and a displacement")
        s = _Seg(self.t, self.t + dur, y0, dy, tuple(blocks), kind)
        self.segs.append(s)
        self.t += dur
        return s


def _rep_truth(i: int, a: Attempt, con: _Seg, ecc: _Seg, bp, tp) -> RepTruth:
    """lift_truth's RepTruth of a rep with one concentric move (no holds), computed as
    ``build_set`` does."""
    vpk, tpk = _peak_in([con])
    tprop = _propulsive_end([con], tpk)
    y_prop = float(con.eval(np.array([tprop]))[0][0])
    bottom, top = con.y0, con.y0 + con.dy
    ev = ecc.eval(np.linspace(ecc.t0, ecc.t1, 4001))[1]
    moving = con.t1 - con.t0
    return RepTruth(
        index=i, shape=a.shape, rom_m=a.rom_m, bottom_y_m=bottom, top_y_m=top,
        eccentric_start_t=ecc.t0, eccentric_end_t=ecc.t1, eccentric_s=ecc.t1 - ecc.t0,
        eccentric_mean_speed_mps=-ecc.dy / (ecc.t1 - ecc.t0),
        eccentric_peak_speed_mps=float(np.max(np.abs(ev))), bottom_pause_s=bp,
        concentric_start_t=con.t0, concentric_end_t=con.t1, concentric_s=moving,
        concentric_moving_s=moving, holds=(), hold_s=0.0, mcv_mps=a.rom_m / moving,
        mean_velocity_incl_holds_mps=a.rom_m / moving, peak_velocity_mps=vpk,
        peak_velocity_t=tpk, propulsive_end_t=tprop, propulsive_s=tprop - con.t0,
        mpv_mps=(y_prop - bottom) / (tprop - con.t0), top_pause_s=tp)


def _check(spec: FailSet):
    if spec.lift not in ("squat", "bench", "deadlift"):
        raise ValueError(f"unknown lift {spec.lift!r}")
    at = spec.attempts
    if not at:
        raise ValueError("a set needs at least one attempt")
    for i, a in enumerate(at):
        if a.status not in STATUSES:
            raise ValueError(f"unknown status {a.status!r}")
        if a.shape not in SHAPES or a.ecc_shape not in ECC_SHAPES:
            raise ValueError(f"attempt {i}: unknown shape")
        if a.status == "failed":
            if i != len(at) - 1:
                raise ValueError("a failed attempt ends the set: it must be the last")
            if not 0.0 < a.stall_frac < 1.0:
                raise ValueError("stall_frac must be in (0, 1)")
        if a.rerack_m and (spec.direction == "up_first" or a.rerack_m < 0
                           or 2 * a.rerack_move_s + a.still_after_rerack_s > a.top_pause_s):
            raise ValueError(f"attempt {i}: the re-rack does not fit in its top pause")
        if a.start_above_floor_m and (spec.direction != "up_first" or i == 0):
            raise ValueError("start_above_floor_m is for an up-first attempt after the first")
    done = [a for a in at if a.status != "failed"]
    if 2 * sum(a.status == "partial" for a in done) >= len(done) and done:
        raise ValueError("partial reps must be fewer than half of the locked-out reps")


def _down_first(spec: FailSet, ch: _Chain, recs: list):
    top = spec.base_height_m
    n = len(spec.attempts)
    ch.rest(spec.lead_in_s, top)
    for i, a in enumerate(spec.attempts):
        bottom = top - a.rom_m
        ecc = ch.move(a.ecc_s, top, -a.rom_m, ECC_SHAPES[a.ecc_shape], "ecc")
        ch.rest(a.bottom_pause_s, bottom)
        if a.status == "failed":
            recs.append((i, a, _fail_down(spec, ch, a, ecc, bottom, top)))
            return
        con = ch.move(a.rom_m / a.con_mean_mps, bottom, a.rom_m, SHAPES[a.shape], "con")
        tp = None
        if i < n - 1:
            tp = a.top_pause_s
            rest0 = ch.t
            if a.rerack_m:
                still = a.top_pause_s - 2 * a.rerack_move_s - a.still_after_rerack_s
                hooks = top - a.rerack_m
                ch.move(a.rerack_move_s, top, -a.rerack_m, SHAPES["smooth"], "rerack")
                ch.rest(still, hooks)
                ch.move(a.rerack_move_s, hooks, a.rerack_m, SHAPES["smooth"], "unrack")
                ch.rest(a.still_after_rerack_s, top)
            else:
                ch.rest(a.top_pause_s, top)
            if a.top_pause_s >= INTRA_SET_REST_S:
                kind = "top_rerack" if a.rerack_m else "top_still"
                recs.append(("rest", RestTruth(i, kind, rest0, ch.t, ch.t - rest0, top,
                                               a.rerack_m)))
        recs.append((i, a, (con, ecc, a.bottom_pause_s, tp)))
    ch.rest(spec.tail_s, top)


def _fail_down(spec: FailSet, ch: _Chain, a: Attempt, ecc: _Seg, bottom: float,
               top: float):
    """Rise, stall, return onto the bottom / pins, rest, optional spotters' re-rack, tail."""
    rise_h = a.stall_frac * a.rom_m
    rise = ch.move(rise_h / a.con_mean_mps, bottom, rise_h, SHAPES[a.shape], "fail_rise")
    ch.rest(a.stall_hold_s, bottom + rise_h)
    stall_end = ch.t
    low = bottom - a.pin_below_m
    back = ch.move(a.return_s, bottom + rise_h, low - bottom - rise_h, ECC_SHAPES["ecc_drop"],
                   "fail_return")
    ch.rest(a.pins_rest_s, low)
    r0 = r1 = rack = None
    if a.spot_rerack_s:
        rack = top - a.rack_below_top_m
        r0 = ch.t
        ch.move(a.spot_rerack_s, low, rack - low, SHAPES["smooth"], "spot_rerack")
        r1 = ch.t
    ch.rest(spec.tail_s, low if rack is None else rack)
    fail = FailureTruth(rise.t0, rise.t1, stall_end, a.stall_hold_s, bottom + rise_h,
                        a.stall_frac, a.con_mean_mps, back.t1, low, r0, r1, rack)
    return rise, ecc, fail


def _up_first(spec: FailSet, ch: _Chain, recs: list):
    floor = spec.base_height_m
    at = spec.attempts
    ch.rest(spec.lead_in_s, floor)
    for i, a in enumerate(at):
        start = floor + a.start_above_floor_m
        bp = None
        if i > 0:
            bp = a.bottom_pause_s
            r0 = ch.t
            ch.rest(a.bottom_pause_s, start)
            if a.bottom_pause_s >= INTRA_SET_REST_S:
                recs.append(("rest", RestTruth(i - 1, "floor", r0, ch.t, ch.t - r0, start,
                                               0.0)))
        if a.status == "failed":
            h = a.stall_frac * a.rom_m
            rise = ch.move(h / a.con_mean_mps, start, h, SHAPES[a.shape], "fail_rise")
            ch.rest(a.stall_hold_s, start + h)
            stall_end = ch.t
            back = ch.move(a.return_s, start + h, -h, ECC_SHAPES["ecc_drop"], "fail_return")
            ch.rest(spec.tail_s, start)
            recs.append((i, a, (rise, None, FailureTruth(
                rise.t0, rise.t1, stall_end, a.stall_hold_s, start + h, a.stall_frac,
                a.con_mean_mps, back.t1, start, None, None, None))))
            return
        con = ch.move(a.rom_m / a.con_mean_mps, start, a.rom_m, SHAPES[a.shape], "con")
        ch.rest(a.top_pause_s, start + a.rom_m)
        nxt = at[i + 1] if i + 1 < len(at) else None
        land = floor + (nxt.start_above_floor_m if nxt else 0.0)
        ecc = ch.move(a.ecc_s, start + a.rom_m, land - start - a.rom_m,
                      ECC_SHAPES[a.ecc_shape], "ecc")
        recs.append((i, a, (con, ecc, bp, a.top_pause_s)))
    ch.rest(spec.tail_s, floor)


def build_fail_set(spec: FailSet) -> FailTruth:
    """Build the motion and the truth of ``spec`` (``ValueError`` for an invalid spec)."""
    _check(spec)
    ch = _Chain()
    recs: list = []
    (_up_first if spec.direction == "up_first" else _down_first)(spec, ch, recs)
    rests = tuple(x[1] for x in recs if x[0] == "rest")
    per = sorted((x for x in recs if x[0] != "rest"), key=lambda x: x[0])
    done = [a.rom_m for _, a, _ in per if a.status != "failed"]
    full = statistics.median(done) if done else per[0][1].rom_m
    attempts: list[AttemptTruth] = []
    for i, a, data in per:
        if a.status == "failed":
            rise, ecc, fail = data
            vpk, tpk = _peak_in([rise])
            h = rise.dy
            attempts.append(AttemptTruth(
                i, "failed", False,
                f"failed: the bar stalled at {a.stall_frac:.0%} of the ROM and went back down",
                h, h / full, rise.y0, rise.y0 + h, ecc.t0 if ecc else None,
                ecc.t1 if ecc else None, rise.t0, rise.t1, vpk, tpk, None, None, None, fail))
            continue
        con, ecc, bp, tp = data
        rep = _rep_truth(i, a, con, ecc, bp, tp)
        frac = a.rom_m / full
        status = "partial" if frac < PARTIAL_BELOW_FRAC else "valid"
        if status != a.status:
            raise ValueError(f"attempt {i}: ROM {frac:.0%} of the full ROM makes it "
                             f"{status}, not {a.status}")
        why = None if status == "valid" else (
            f"partial: ROM {frac:.0%} of the set's full ROM (< {PARTIAL_BELOW_FRAC:.0%})")
        attempts.append(AttemptTruth(
            i, status, status == "valid", why, a.rom_m, frac, rep.bottom_y_m, rep.top_y_m,
            rep.eccentric_start_t, rep.eccentric_end_t, rep.concentric_start_t,
            rep.concentric_end_t, rep.peak_velocity_mps, rep.peak_velocity_t, rep.mcv_mps,
            rep.mpv_mps, rep, None))
    fs = _set_truth(attempts, full, rests)
    valid = tuple(x.rep for x in attempts if x.counts and x.rep is not None)
    base = SetSpec(spec.direction, (), spec.lead_in_s, spec.tail_s, spec.base_height_m,
                   spec.name)
    tr = FailTruth(base, tuple(ch.segs), ch.t, valid, _lift_set(valid), fail_spec=spec,
                   attempts=tuple(attempts), fail_set=fs)
    tr._starts = np.array([s.t0 for s in ch.segs])
    return tr


def _lift_set(reps: Sequence[RepTruth]) -> SetTruth | None:
    """lift_truth's SetTruth over ``reps`` (its definitions)."""
    if not reps:
        return None
    mcv = tuple(r.mcv_mps for r in reps)
    k = int(np.argmax(mcv))
    return SetTruth(len(reps), mcv, tuple(r.mpv_mps for r in reps),
                    tuple(r.peak_velocity_mps for r in reps), k,
                    100.0 * (mcv[k] - mcv[-1]) / mcv[k], 100.0 * (mcv[0] - mcv[-1]) / mcv[0],
                    mcv[k], mcv[-1])


def _set_truth(att: Sequence[AttemptTruth], full: float,
               rests: tuple[RestTruth, ...]) -> FailSetTruth:
    valid = [a for a in att if a.counts]
    vm = tuple(float(a.mcv_mps) for a in valid if a.mcv_mps is not None)
    best = last = vl = vl1 = mean = None
    bi = li = None
    if vm:
        k = int(np.argmax(vm))
        best, bi = vm[k], valid[k].index
        last, li = vm[-1], valid[-1].index
        mean = float(np.mean(vm))
        vl = 100.0 * (best - last) / best
        vl1 = 100.0 * (vm[0] - last) / vm[0]
    cuts = sorted(r.after_index for r in rests)
    groups, cur = [], []
    for a in att:
        cur.append(a.index)
        if a.index in cuts:
            groups.append(tuple(cur))
            cur = []
    if cur:
        groups.append(tuple(cur))
    return FailSetTruth(
        len(att), len(valid), tuple(a.status for a in att), tuple(a.index for a in valid),
        full, PARTIAL_BELOW_FRAC * full, tuple(a.mcv_mps for a in att), vm, best, bi, mean,
        li, last, vl, vl1,
        tuple((a.index, a.status, a.left_out_reason or "") for a in att if not a.counts),
        tuple(sorted(rests, key=lambda r: r.start_t)), tuple(groups))


__all__ = [
    "PARTIAL_BELOW_FRAC", "INTRA_SET_REST_S", "STATUSES", "Attempt", "FailSet",
    "FailureTruth", "AttemptTruth", "RestTruth", "FailSetTruth", "FailTruth",
    "build_fail_set",
]
