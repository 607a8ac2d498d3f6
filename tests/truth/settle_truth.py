"""Sets with bar motion that is not a rep: the unrack settle, walkout steps, a bracing
breath and a standing sway before rep 1, and re-brace dips or sway at the top between
reps, with the exact instant each rep's eccentric starts (see ``README.md`` here).

Written from the lifting literature and the definitions of ``lift_truth`` only, without
reading the program's analysis code. The reps are built by :func:`lift_truth.build_set`
(unchanged); the motions replace parts of its rests at the top, which are at rest at the
same height, so every rep truth is exactly lift_truth's.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from tests.truth.family_files import write_family
from tests.truth.lift_shapes import _Seg
from tests.truth.lift_truth import RepSpec, SetSpec, build_set
from tests.truth.set_records import LiftTruth, RepTruth
from tests.truth.settle_motion import (
    Motion,
    SettleSeg,
    extremes,
    motion_kin,
    random_lead,
    random_motion,
)

#: No non-rep motion may move the bar this fraction of the set's smallest ROM or more.
MAX_FRAC_OF_ROM = 0.25

#: Still time (s) needed before a descent after a motion other than a brace: those may
#: end with the bar coming down to rest, which would run on into the descent. A brace
#: ends rising (the bar comes back up from its dip), so the descent may follow at once.
MIN_STILL_AFTER_NON_BRACE_S = 0.25


@dataclass(frozen=True)
class SettleSet:
    """A down-first set (squat or bench) with non-rep motion at the top.

    lift          "squat" or "bench" (only a label for the intent and the family)
    reps          the reps, as lift_truth's ``RepSpec`` (``top_pause_s`` of rep i is
                  the whole time at the top between its lockout and rep i+1's descent)
    lead          motions before rep 1, in order (each after its ``gap_before_s``)
    still_before_descent_s  still time between the last lead motion and rep 1's descent
    between       per gap between reps (``len(reps) - 1`` tuples, or empty for none):
                  motions inside that top pause, each after its ``gap_before_s`` from
                  the lockout or the previous motion; they must fit in the top pause
    fps, noise_px, m_per_px  how the family means the set to be written as a track CSV
    """

    lift: str
    reps: tuple[RepSpec, ...]
    lead: tuple[Motion, ...] = ()
    still_before_descent_s: float = 0.5
    between: tuple[tuple[Motion, ...], ...] = ()
    tail_s: float = 1.5
    base_height_m: float = 1.40
    name: str = ""
    fps: float = 60.0
    noise_px: float = 0.0
    m_per_px: float = 0.0025


@dataclass(frozen=True)
class MotionTruth:
    """A motion as placed: times (s from set start), rest height and the exact largest
    deviations from it (m, both >= 0), ``peak_to_peak_m = max_up_m + max_down_m``.
    ``before_rep`` is the 0-based rep whose descent follows it (it belongs to no rep:
    to the lead-in for rep 0, else to the rest between reps ``before_rep - 1`` and
    ``before_rep``)."""

    kind: str
    start_t: float
    end_t: float
    duration_s: float
    rest_y_m: float
    max_up_m: float
    max_down_m: float
    peak_to_peak_m: float
    before_rep: int
    spec: Motion


@dataclass(frozen=True)
class SettleRepTruth(RepTruth):
    """lift_truth's ``RepTruth`` (same values) plus what came before the rep's descent.

    descent_onset_t          = ``eccentric_start_t``: the instant the bar leaves rest at
                             the top for the sustained descent that reaches this rep's
                             bottom (the start of the eccentric segment, by construction)
    pre_motions              the non-rep motions since the previous lockout (rep 0: since
                             the start of the set), in order
    still_before_descent_s   still time between the end of the last of them (or the
                             lockout / set start) and ``descent_onset_t``
    """

    descent_onset_t: float = 0.0
    pre_motions: tuple[MotionTruth, ...] = ()
    still_before_descent_s: float = 0.0


@dataclass
class SettleTruth(LiftTruth):
    """lift_truth's ``LiftTruth`` (``y/v/a(t)``, ``duration_s``, ``reps``, ``set``) whose
    ``segments`` also hold the motions (``SettleSeg``); ``spec`` is the underlying
    ``SetSpec``, ``settle_spec`` the ``SettleSet``. ``sample``, ``to_track_csv`` and
    ``render_clip`` of lift_truth accept it."""

    settle_spec: SettleSet | None = None
    motions: tuple[MotionTruth, ...] = ()
    first_eccentric_start_t: float = 0.0

    @property
    def settle_reps(self) -> tuple[SettleRepTruth, ...]:
        """``reps`` typed as what they are (``SettleRepTruth``)."""
        return tuple(r for r in self.reps if isinstance(r, SettleRepTruth))


def _place(motions: Sequence[Motion], t0: float, t1: float, y0: float, before_rep: int):
    """Pieces filling the rest ``[t0, t1]`` at ``y0``: rests and motions in order, the
    last rest up to ``t1`` (none when a motion ends exactly at ``t1``)."""
    pieces: list[_Seg | SettleSeg] = []
    records: list[MotionTruth] = []
    t = t0
    for m in motions:
        if m.gap_before_s > 0:
            pieces.append(_Seg(t, t + m.gap_before_s, y0, 0.0))
            t += m.gap_before_s
        kin = motion_kin(m)
        end = t + m.duration_s
        if end > t1 + 1e-9:
            raise ValueError(f"motions do not fit in the rest {t0:.3f}-{t1:.3f} s")
        if abs(end - t1) < 1e-9:
            end = t1
        lo, hi = extremes(kin, m.duration_s)
        pieces.append(SettleSeg(t, end, y0, kin, m.kind))
        records.append(MotionTruth(m.kind, t, end, end - t, y0, max(hi, 0.0),
                                   max(-lo, 0.0), hi - lo, before_rep, m))
        t = end
    if t < t1:
        pieces.append(_Seg(t, t1, y0, 0.0))
    return pieces, records


def build_settle_set(spec: SettleSet) -> SettleTruth:
    """Build the motion and truth of ``spec``: lift_truth's set with a lead-in of
    ``sum(gap + duration of lead) + still_before_descent_s`` whose rests at the top are
    partly replaced by the motions. ``ValueError`` if a motion does not fit in its rest,
    or moves the bar ``MAX_FRAC_OF_ROM`` of the smallest ROM or more."""
    n = len(spec.reps)
    if spec.between and len(spec.between) != n - 1:
        raise ValueError("between needs one tuple of motions per gap between reps")
    if spec.still_before_descent_s < 0:
        raise ValueError("still_before_descent_s must be >= 0")
    lead_s = sum(m.gap_before_s + m.duration_s for m in spec.lead)
    lead_s += spec.still_before_descent_s
    if lead_s <= 0:
        raise ValueError("the set needs a lead-in (motions or still time) before rep 1")
    base = SetSpec("down_first", spec.reps, lead_in_s=lead_s, tail_s=spec.tail_s,
                   base_height_m=spec.base_height_m, name=spec.name)
    lt = build_set(base)
    rests = {0: (0.0, lt.reps[0].eccentric_start_t)}
    for i in range(n - 1):
        rests[i + 1] = (lt.reps[i].concentric_end_t, lt.reps[i + 1].eccentric_start_t)
    plans = {0: spec.lead}
    plans.update({i + 1: b for i, b in enumerate(spec.between) if b})
    segs: list = []
    motions: list[MotionTruth] = []
    by_rep: dict[int, list[MotionTruth]] = {}
    for s in lt.segments:
        k = next((i for i, (a, b) in rests.items() if not s.blocks
                  and abs(s.t0 - a) < 1e-9 and abs(s.t1 - b) < 1e-9 and i in plans), None)
        if k is None:
            segs.append(s)
            continue
        pieces, recs = _place(plans[k], s.t0, s.t1, s.y0, k)
        segs.extend(pieces)
        motions.extend(recs)
        by_rep[k] = recs
    if any(k not in by_rep for k, p in plans.items() if p):
        raise ValueError("a rep with motions before it has no top pause to hold them")
    rom_min = min(r.rom_m for r in spec.reps)
    for m in motions:
        if max(m.max_up_m, m.max_down_m, m.peak_to_peak_m) >= MAX_FRAC_OF_ROM * rom_min:
            raise ValueError(f"{m.kind} moves {m.peak_to_peak_m:.3f} m: >= "
                             f"{MAX_FRAC_OF_ROM:.0%} of the ROM {rom_min:.3f} m")
    reps: list[SettleRepTruth] = []
    for i, r in enumerate(lt.reps):
        pre = tuple(by_rep.get(i, ()))
        since = pre[-1].end_t if pre else rests[i][0]
        if (pre and pre[-1].kind != "brace"
                and r.eccentric_start_t - since < MIN_STILL_AFTER_NON_BRACE_S - 1e-9):
            raise ValueError(f"rep {i}: a {pre[-1].kind} needs >= "
                             f"{MIN_STILL_AFTER_NON_BRACE_S} s still before the descent")
        reps.append(SettleRepTruth(**{f: getattr(r, f) for f in r.__dataclass_fields__},
                                   descent_onset_t=r.eccentric_start_t, pre_motions=pre,
                                   still_before_descent_s=r.eccentric_start_t - since))
    st = SettleTruth(base, tuple(segs), lt.duration_s, tuple(reps), lt.set,
                     settle_spec=spec, motions=tuple(motions),
                     first_eccentric_start_t=reps[0].eccentric_start_t)
    st._starts = np.array([s.t0 for s in segs])
    return st


# ---------------------------------------------------------------------------------------
# The family
# ---------------------------------------------------------------------------------------

def _between(reps: Sequence[RepSpec], seed: int,
             kinds: Sequence[str | None]) -> tuple[tuple[Motion, ...], ...]:
    """Seeded motions for the gaps between ``reps``, cycling ``kinds`` (None = still),
    each 0.2-0.5 s after the lockout and fitting in the top pause (a sway leaves at least
    0.25 s still before the descent; a brace may end as the descent starts)."""
    rng = np.random.default_rng(seed)
    out: list[tuple[Motion, ...]] = []
    for i, r in enumerate(reps[:-1]):
        k = kinds[i % len(kinds)]
        if k is None:
            out.append(())
            continue
        gap = round(float(rng.uniform(0.2, 0.5)), 3)
        room = r.top_pause_s - gap - (0.25 if k == "sway" else 0.0)
        out.append((random_motion(k, rng, gap, max_s=room),))
    return tuple(out)


def _set(name: str, lift: str, reps: Sequence[RepSpec], seed: int, base: float,
         fps: float, noise_px: float, between_kinds: Sequence[str | None] = ()) -> SettleSet:
    """A family set: lead-in ``random_lead(lift, seed)``, between-rep motions
    ``_between(reps, seed + 1000, between_kinds)``."""
    lead, still = random_lead(lift, seed)
    betw = _between(reps, seed + 1000, between_kinds) if between_kinds else ()
    return SettleSet(lift, tuple(reps), lead, still, betw, base_height_m=base, name=name,
                     fps=fps, noise_px=noise_px)


def settle_family() -> dict[str, SettleSet]:
    """Eleven named sets (squat ROM 0.42-0.70 m, bench 0.26-0.45 m; 3-8 reps; 30/60 fps;
    0-0.6 px noise), their lead-ins drawn by :func:`random_lead` from fixed seeds."""
    R = RepSpec
    sets = [
        _set("squat_settle_basic", "squat", [
            R("two_peak", 0.55, v, ecc_s=1.8, top_pause_s=1.5)
            for v in (0.60, 0.57, 0.54, 0.51, 0.48)], 11, 1.45, 60, 0.3),
        _set("squat_slow_ecc_4s", "squat", [
            R("smooth", 0.60, v, ecc_s=4.0, ecc_shape="ecc_controlled", top_pause_s=1.5)
            for v in (0.50, 0.47, 0.44, 0.40)], 12, 1.50, 30, 0.5),
        _set("squat_rebrace_between", "squat", [
            R("two_peak", 0.52, v, ecc_s=2.0, ecc_shape=es, top_pause_s=2.5)
            for v, es in ((0.62, "ecc_smooth"), (0.60, "ecc_early"), (0.57, "ecc_smooth"),
                          (0.55, "ecc_drop"), (0.51, "ecc_smooth"), (0.47, "ecc_early"))],
            13, 1.42, 30, 0.4, ("brace",)),
        _set("bench_settle_speed", "bench", [
            R("speed", 0.30, v, ecc_s=0.9, ecc_shape="ecc_drop", top_pause_s=1.0)
            for v in (1.00, 0.97, 0.95, 0.92, 0.88)], 14, 1.05, 60, 0.3),
        _set("bench_slow_tempo_3s", "bench", [
            R("smooth", 0.38, v, ecc_s=3.0, ecc_shape="ecc_smooth", bottom_pause_s=1.0,
              top_pause_s=1.2) for v in (0.45, 0.42, 0.38, 0.35)], 15, 1.02, 30, 0.6),
        _set("squat_deep_grinders", "squat", [
            R("grinder", 0.70, v, ecc_s=2.5, top_pause_s=3.0)
            for v in (0.25, 0.21, 0.17)], 16, 1.55, 60, 0.5, ("sway", "brace")),
        _set("squat_short_8_reps", "squat", [
            R(sh, 0.42, v, ecc_s=1.2, top_pause_s=1.0)
            for sh, v in zip(("smooth", "two_peak") * 4,
                             (0.80, 0.78, 0.76, 0.73, 0.70, 0.66, 0.62, 0.58))],
            17, 1.35, 30, 0.0),
        _set("bench_rebrace_paused", "bench", [
            R("plateau", 0.26, v, ecc_s=1.5, bottom_pause_s=1.0, top_pause_s=2.0)
            for v in (0.55, 0.53, 0.50, 0.48, 0.45, 0.41)], 18, 1.00, 60, 0.4,
            ("brace", None, "sway")),
        _set("squat_brace_into_descent", "squat", [
            R("skewed_late", 0.58, v, ecc_s=3.5, ecc_shape="ecc_early", top_pause_s=2.0)
            for v in (0.55, 0.52, 0.48)], 22, 1.46, 30, 0.5, ("brace",)),
        _set("bench_long_settle", "bench", [
            R("skewed_early", 0.45, v, ecc_s=1.2, ecc_shape="ecc_drop", top_pause_s=1.5)
            for v in (0.70, 0.66, 0.60)], 20, 1.10, 60, 0.0),
        _set("squat_fatigue_mixed_rests", "squat", [
            R("two_peak", 0.50, v, ecc_s=es, ecc_shape="ecc_smooth", top_pause_s=2.2)
            for v, es in zip((0.70, 0.68, 0.66, 0.62, 0.58, 0.53, 0.48),
                             (1.5, 1.6, 1.8, 2.0, 2.2, 2.5, 3.0))], 21, 1.44, 60, 0.3,
            ("brace", "sway", None)),
    ]
    return {s.name: s for s in sets}


# ---------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------

def settle_truth_dict(truth: SettleTruth) -> dict:
    """The truth as JSON-able data: ``name``, ``lift``, ``duration_s``,
    ``first_eccentric_start_t``, ``motions`` (MotionTruth fields), ``reps``
    (SettleRepTruth fields; ``pre_motions`` as motion indices) and ``set``."""
    idx = {id(m): i for i, m in enumerate(truth.motions)}
    reps = []
    for r in truth.settle_reps:
        d = {k: (asdict(v) if hasattr(v, "__dataclass_fields__") else v)
             for k, v in ((f, getattr(r, f)) for f in r.__dataclass_fields__)
             if k not in ("pre_motions", "holds")}
        d["holds"] = [asdict(h) for h in r.holds]
        d["pre_motions"] = [idx[id(m)] for m in r.pre_motions]
        reps.append(d)
    sp = truth.settle_spec
    return {"name": sp.name if sp else "", "lift": sp.lift if sp else "",
            "duration_s": truth.duration_s,
            "first_eccentric_start_t": truth.first_eccentric_start_t,
            "motions": [asdict(m) for m in truth.motions], "reps": reps,
            "set": asdict(truth.set) if truth.set else None}


def write_settle_family(out_dir, fps_list: Sequence[float] | None = None,
                        noise_px: float | None = None, seed: int = 0) -> list[Path]:
    """Write every family set as ``NAME-FPS.csv`` (lift_truth's ``to_track_csv`` at the
    set's ``m_per_px``; its own ``fps`` and ``noise_px`` unless given) plus
    ``NAME.truth.json``; returns the CSV paths. From a shell:
    ``PYTHONPATH=. python -m tests.truth.settle_truth OUT_DIR``."""
    return write_family(out_dir, settle_family(), build_settle_set, settle_truth_dict, fps_list, noise_px, seed)


__all__ = [
    "MAX_FRAC_OF_ROM", "MIN_STILL_AFTER_NON_BRACE_S", "SettleSet", "MotionTruth", "SettleRepTruth", "SettleTruth",
    "build_settle_set", "settle_family", "settle_truth_dict", "write_settle_family",
]


if __name__ == "__main__":
    import sys
    write_settle_family(sys.argv[1])
