"""Independent ground truth for barbell sets whose reversals are *bounces* (no rest).

Written from the velocity-based-training (VBT) literature, the section "LiftLens track
CSV" of ``docs/analysis-format.md`` (the file format) and ``lift_truth.py`` next to it,
without reading the program's analysis code (see ``README.md`` here).

Why
---
``lift_truth.py`` chains moves that each start and end at rest (velocity and acceleration
zero), so even its "touch-and-go" reps stop for an instant with zero acceleration. A
lifter who bounces (touch-and-go bench off the chest, squat out of the hole with a
stretch-shortening rebound, deadlift plates touching the floor) reverses with a large
*upward* acceleration at the bottom: the velocity passes through zero at one instant with
``a = +A`` (A ~ 0.5-3 g), the eccentric's end and the concentric's start are the same
instant and there is no rest. The top may also turn over without a pause (``a = -A``).

Motion model (all closed form)
------------------------------
Each phase (eccentric or concentric) is one move of displacement ``D`` over ``T``:

    v(t) = (D / T) * g(u) / S,   u = (t - t0) / T,   S = integral_0^1 g(u) du,
    g(u) = base(u) + A0 * E0(u) + A1 * E1(u)

``base`` is one of lift_truth's shapes (``SHAPES`` / ``ECC_SHAPES``, sums of Tukey blocks
with zero value and slope at both ends). ``E0`` is an *edge block* at a bounced start:
a quarter-sine rise ``sin(pi x / (2 r))`` over ``r`` (value 0, slope ``pi / (2 r)`` at
``u = 0``) followed by a raised-cosine fall over ``4 r``; ``E1`` is its mirror image at a
bounced end. The base has zero slope at the ends, so the acceleration at a bounced end is
the edge block's alone; the amplitudes ``A0``, ``A1`` come from a 2 x 2 *linear* system
that makes ``|a|`` at the phase's ends exactly the chosen reversal accelerations (the
velocity spike an edge block adds is ``V_s = A * 2 r / pi``; by default ``V_s`` = 0.6 x the
phase's mean speed, capped so the edge fits in the phase). Every piece has an exact
integral and derivative, so ``y``, ``v`` and ``a`` are analytic at any instant. Across a
bounce the acceleration is continuous (position C2); a non-bounced end has v = a = 0 as
in lift_truth. The displacement of every phase is exactly ``D`` and its duration ``T``,
so the true MCV is exactly ``rom_m / con_s``.

Truth definitions: those of ``lift_truth`` (same ``RepTruth`` field names): concentric
start / end = the instants the velocity changes sign at the bottom / top (for a pause:
leaving the bottom rest / reaching the top); MCV = concentric displacement / concentric
duration; peak velocity; MPV over the propulsive phase, which ends at the first instant
after peak velocity at which ``a < -g`` (Sánchez-Medina, Pérez & González-Badillo 2010,
*Int J Sports Med* 31:123); ROM; eccentric duration; bottom pause (0 for a bounce);
tempo; set velocity loss (Sánchez-Medina & González-Badillo 2011, *Med Sci Sports Exerc*
43:1725). ``BounceRepTruth`` adds the reversal accelerations.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from tests.truth.lift_truth import ECC_SHAPES, SHAPES, G, RepTruth, SetTruth, frame_times
from tests.truth.set_records import Kinematic, eval_pieces
from tests.truth.set_track_csv import write_track_rows

__all__ = [
    "G", "BounceRep", "BounceSet", "BounceRepTruth", "BounceTruth", "build_bounce_set",
    "bounce_family", "sample", "to_track_csv", "FPS_CHOICES", "truth_dict", "write_family",
]

#: Frame rates the family is meant to be written at.
FPS_CHOICES = (30.0, 60.0, 120.0, 240.0)

# (start, rise, flat, fall, amplitude, sine rise?, sine fall?) on u in [0, 1]
XBlock = tuple[float, float, float, float, float, bool, bool]


def _xblock_eval(u: np.ndarray, blk: XBlock) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(integral from u = 0, value, derivative) of one block at normalised times ``u``."""
    a, r, fl, d, A, sin_rise, sin_fall = blk
    x = u - a
    val = np.zeros_like(u)
    der = np.zeros_like(u)
    itg = np.zeros_like(u)
    m1 = (x >= 0) & (x < r)
    x1 = x[m1]
    if sin_rise:
        w = np.pi / (2 * r)
        val[m1] = A * np.sin(w * x1)
        der[m1] = A * w * np.cos(w * x1)
        itg[m1] = A / w * (1 - np.cos(w * x1))
        rise_total = A / w
    else:
        val[m1] = A * (1 - np.cos(np.pi * x1 / r)) / 2
        der[m1] = A * np.pi / (2 * r) * np.sin(np.pi * x1 / r)
        itg[m1] = A / 2 * (x1 - r / np.pi * np.sin(np.pi * x1 / r))
        rise_total = A * r / 2
    m2 = (x >= r) & (x < r + fl)
    val[m2] = A
    itg[m2] = rise_total + A * (x[m2] - r)
    z = x - r - fl
    m3 = (z >= 0) & (z <= d + 1e-12)     # u = 1 ends a sine fall despite rounding
    z3 = np.minimum(z[m3], d)
    if sin_fall:
        w = np.pi / (2 * d)
        val[m3] = A * np.cos(w * z3)
        der[m3] = -A * w * np.sin(w * z3)
        itg[m3] = rise_total + A * fl + A / w * np.sin(w * z3)
        fall_total = A / w
    else:
        val[m3] = A * (1 + np.cos(np.pi * z3 / d)) / 2
        der[m3] = -A * np.pi / (2 * d) * np.sin(np.pi * z3 / d)
        itg[m3] = rise_total + A * fl + A / 2 * (z3 + d / np.pi * np.sin(np.pi * z3 / d))
        fall_total = A * d / 2
    itg[z > d + 1e-12] = rise_total + A * fl + fall_total
    return itg, val, der


def _xblock_total(blk: XBlock) -> float:
    _, r, fl, d, A, sin_rise, sin_fall = blk
    return A * ((2 * r / np.pi if sin_rise else r / 2) + fl + (2 * d / np.pi if sin_fall else d / 2))


def _plain(blocks) -> tuple[XBlock, ...]:
    return tuple((a, r, fl, d, A, False, False) for (a, r, fl, d, A) in blocks)


@dataclass(frozen=True)
class _Phase:
    """One move: ``y0`` + ``dy`` over ``[t0, t1]`` with shape blocks (empty = rest)."""

    t0: float
    t1: float
    y0: float
    dy: float
    blocks: tuple[XBlock, ...] = ()
    kind: str = "rest"              # rest | ecc | con

    def eval(self, t: np.ndarray):
        t = np.asarray(t, dtype=float)
        if not self.blocks or self.t1 <= self.t0:
            z = np.zeros_like(t)
            return z + self.y0, z, z.copy()
        T = self.t1 - self.t0
        u = np.clip((t - self.t0) / T, 0.0, 1.0)
        itg = np.zeros_like(u)
        val = np.zeros_like(u)
        der = np.zeros_like(u)
        for b in self.blocks:
            i, v, d = _xblock_eval(u, b)
            itg += i
            val += v
            der += d
        S = sum(_xblock_total(b) for b in self.blocks)
        return self.y0 + self.dy * itg / S, self.dy / T * val / S, self.dy / T ** 2 * der / S


def _edge_r(acc: float, mean_speed: float, T: float, spike_frac: float) -> float:
    """Normalised quarter-sine length of an edge block: spike ``spike_frac`` x mean speed
    (V_s = acc * 2 r / pi), at most 0.2 of the phase."""
    r_s = math.pi * spike_frac * mean_speed / (2 * acc)
    return min(r_s / T, 0.2)


def _phase_blocks(base: Sequence, D: float, T: float, acc0: float, acc1: float,
                  spike_frac: float) -> tuple[XBlock, ...]:
    """Blocks of a move with |a| = ``acc0`` at its start and ``acc1`` at its end (0 = at
    rest there). Solves the linear system for the edge amplitudes; raises ValueError when
    the edge spikes would carry more than the whole displacement."""
    blocks = list(_plain(base))
    Ib = sum(_xblock_total(b) for b in blocks)
    K = abs(D) / T ** 2
    mean = abs(D) / T
    edges: list[tuple[XBlock, float, float]] = []   # (unit block, slope, |acc|)
    if acc0 > 0:
        r = _edge_r(acc0, mean, T, spike_frac)
        edges.append(((0.0, r, 0.0, min(4 * r, 0.35), 1.0, True, False), math.pi / (2 * r),
                      acc0))
    if acc1 > 0:
        r = _edge_r(acc1, mean, T, spike_frac)
        d = min(4 * r, 0.35)
        edges.append(((1.0 - d - r, d, 0.0, r, 1.0, False, True), math.pi / (2 * r), acc1))
    frac = sum(acc * _xblock_total(e) / (K * k) for e, k, acc in edges)
    if frac >= 0.95:
        raise ValueError("reversal acceleration too high for this phase's speed/duration")
    S = Ib / (1.0 - frac)
    for e, k, acc in edges:
        amp = acc * S / (K * k)
        blocks.append((e[0], e[1], e[2], e[3], amp, e[5], e[6]))
    return tuple(blocks)


# ---------------------------------------------------------------------------------------
# Specs and truth records
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BounceRep:
    """One rep.

    shape, ecc_shape   keys of lift_truth's ``SHAPES`` / ``ECC_SHAPES``
    rom_m              range of motion (m); con_mean_mps the true MCV (m/s); ecc_s (s)
    bottom_bounce_g    reversal acceleration at the bottom in g (> 0: bounce, no rest,
                       bottom_pause_s must be 0); None: the bar stops (v = a = 0), rests
                       ``bottom_pause_s`` (0 = lift_truth's touch-and-go), then rises.
                       Up-first: the bottom before this rep's pull (ignored for rep 0).
    top_bounce_g       turnover at the top in g (> 0: a = -A there, no pause); None: the
                       bar stops and rests ``top_pause_s``. Down-first: ignored for the
                       last rep. Up-first: the lockout of this rep.
    spike_frac         edge velocity spike / phase mean speed (default 0.6)
    """

    shape: str = "smooth"
    rom_m: float = 0.5
    con_mean_mps: float = 0.5
    ecc_s: float = 1.2
    ecc_shape: str = "ecc_smooth"
    bottom_bounce_g: float | None = 1.0
    bottom_pause_s: float = 0.0
    top_bounce_g: float | None = None
    top_pause_s: float = 1.0
    spike_frac: float = 0.6

    def con_s(self) -> float:
        return self.rom_m / self.con_mean_mps


@dataclass(frozen=True)
class BounceSet:
    """``direction`` "down_first" (squat, bench) or "up_first" (deadlift); base height =
    standing (top) height for down-first, floor (resting) height for up-first."""

    direction: str
    reps: tuple[BounceRep, ...]
    lead_in_s: float = 1.0
    tail_s: float = 1.0
    base_height_m: float = 1.40
    name: str = ""


@dataclass(frozen=True)
class BounceRepTruth(RepTruth):
    """lift_truth's ``RepTruth`` plus the reversals: accelerations in m/s^2 at the
    concentric start (bottom, > 0 for a bounce, 0 after a stop) and at the concentric
    end (top, < 0 for a turnover, 0 at a stop)."""

    bottom_bounce: bool
    top_bounce: bool
    bottom_reversal_acc_mps2: float
    top_reversal_acc_mps2: float


@dataclass
class BounceTruth(Kinematic):
    """An analytic set: ``y(t)`` (m, up), ``v(t)`` (m/s), ``a(t)`` (m/s^2) accept scalars or
    arrays of times (s from the set start); ``reps`` and ``set`` hold the truth."""

    spec: BounceSet
    phases: tuple[_Phase, ...]
    duration_s: float
    reps: tuple[BounceRepTruth, ...] = ()
    set: SetTruth | None = None
    _starts: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)

    def _eval(self, t):
        return eval_pieces(self._starts, self.phases, t)


# ---------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------

def _peak(s: _Phase) -> tuple[float, float]:
    """(max v, its time) in a move: dense grid, then bounded refinement."""
    from scipy.optimize import minimize_scalar
    t = np.linspace(s.t0, s.t1, 8001)
    v = s.eval(t)[1]
    k = int(np.argmax(v))
    dt = (s.t1 - s.t0) / 8000
    res = minimize_scalar(lambda x: -float(s.eval(np.array([x]))[1][0]),
                          bounds=(max(s.t0, t[k] - dt), min(s.t1, t[k] + dt)),
                          method="bounded", options={"xatol": 1e-12})
    if -res.fun >= v[k]:
        return float(-res.fun), float(res.x)
    return float(v[k]), float(t[k])


def _propulsive_end(s: _Phase, t_peak: float) -> float:
    """First instant after ``t_peak`` with a(t) < -G (root of a + G), else the move's end."""
    from scipy.optimize import brentq
    t = np.linspace(t_peak, s.t1, 16001)
    a = s.eval(t)[2]
    below = np.nonzero(a < -G)[0]
    if not below.size:
        return float(s.t1)
    k = int(below[0])
    if k == 0:
        return float(t_peak)
    return float(brentq(lambda x: float(s.eval(np.array([x]))[2][0]) + G, t[k - 1], t[k],
                        xtol=1e-13))


def _validate(spec: BounceSet) -> None:
    if spec.direction not in ("down_first", "up_first"):
        raise ValueError(spec.direction)
    for r in spec.reps:
        if r.shape not in SHAPES or r.ecc_shape not in ECC_SHAPES:
            raise ValueError(f"unknown shape {r.shape!r} / {r.ecc_shape!r}")
        if r.bottom_bounce_g is not None and (r.bottom_bounce_g <= 0 or r.bottom_pause_s):
            raise ValueError("a bottom bounce needs bottom_bounce_g > 0 and no pause")
        if r.top_bounce_g is not None and r.top_bounce_g <= 0:
            raise ValueError("top_bounce_g must be > 0 (or None)")
        if r.rom_m <= 0 or r.con_mean_mps <= 0 or r.ecc_s <= 0:
            raise ValueError("rom_m, con_mean_mps and ecc_s must be > 0")


def build_bounce_set(spec: BounceSet) -> BounceTruth:
    """Build the analytic motion and the per-rep / set truth for ``spec``.

    Raises ValueError for unknown shapes, a bounce with a pause, or a reversal
    acceleration that the phase cannot carry (its edge spikes would need more than the
    phase's whole displacement)."""
    _validate(spec)
    down = spec.direction == "down_first"
    base = spec.base_height_m
    reps = spec.reps
    n = len(reps)

    def acc(g_val: float | None) -> float:
        return 0.0 if g_val is None else g_val * G

    # Reversal accelerations (m/s^2, magnitude) at each rep's bottom and top.
    bot = [acc(r.bottom_bounce_g) for r in reps]
    top = [acc(r.top_bounce_g) for r in reps]
    if down:
        top[-1] = 0.0
    else:
        bot[0] = 0.0
    phases: list[_Phase] = []
    t = 0.0

    def rest(dur: float, y: float) -> None:
        nonlocal t
        if dur > 0:
            phases.append(_Phase(t, t + dur, y, 0.0))
            t += dur

    def move(T: float, y0: float, dy: float, shape, a0: float, a1: float, frac: float,
             kind: str) -> _Phase:
        nonlocal t
        p = _Phase(t, t + T, y0, dy, _phase_blocks(shape, dy, T, a0, a1, frac), kind)
        phases.append(p)
        t += T
        return p

    recs = []
    rest(spec.lead_in_s, base)
    for i, r in enumerate(reps):
        d: dict = {"r": r}
        if down:
            hi, lo = base, base - r.rom_m
            a_top_before = top[i - 1] if i > 0 else 0.0
            d["ecc"] = move(r.ecc_s, hi, -r.rom_m, ECC_SHAPES[r.ecc_shape], a_top_before,
                            bot[i], r.spike_frac, "ecc")
            d["bp"] = 0.0 if bot[i] > 0 else r.bottom_pause_s
            rest(d["bp"], lo)
            d["con"] = move(r.con_s(), lo, r.rom_m, SHAPES[r.shape], bot[i], top[i],
                            r.spike_frac, "con")
            if i < n - 1:
                d["tp"] = 0.0 if top[i] > 0 else r.top_pause_s
                rest(d["tp"], hi)
            else:
                d["tp"] = None
        else:
            lo, hi = base, base + r.rom_m
            if i == 0:
                d["bp"] = None
            else:
                d["bp"] = 0.0 if bot[i] > 0 else r.bottom_pause_s
                rest(d["bp"], lo)
            d["con"] = move(r.con_s(), lo, r.rom_m, SHAPES[r.shape], bot[i], top[i],
                            r.spike_frac, "con")
            d["tp"] = 0.0 if top[i] > 0 else r.top_pause_s
            rest(d["tp"], hi)
            a_bot_after = bot[i + 1] if i < n - 1 else 0.0
            d["ecc"] = move(r.ecc_s, hi, -r.rom_m, ECC_SHAPES[r.ecc_shape], top[i],
                            a_bot_after, r.spike_frac, "ecc")
        d["hi"], d["lo"], d["bot"], d["top"] = hi, lo, bot[i], top[i]
        recs.append(d)
    rest(spec.tail_s, base)

    out = []
    for i, d in enumerate(recs):
        r, c, e = d["r"], d["con"], d["ecc"]
        vpk, tpk = _peak(c)
        tprop = _propulsive_end(c, tpk)
        yprop = float(c.eval(np.array([tprop]))[0][0])
        ev = e.eval(np.linspace(e.t0, e.t1, 8001))[1]
        con_s = c.t1 - c.t0
        out.append(BounceRepTruth(
            index=i, shape=r.shape, rom_m=r.rom_m, bottom_y_m=d["lo"], top_y_m=d["hi"],
            eccentric_start_t=e.t0, eccentric_end_t=e.t1, eccentric_s=e.t1 - e.t0,
            eccentric_mean_speed_mps=r.rom_m / (e.t1 - e.t0),
            eccentric_peak_speed_mps=float(np.max(np.abs(ev))),
            bottom_pause_s=d["bp"], concentric_start_t=c.t0, concentric_end_t=c.t1,
            concentric_s=con_s, concentric_moving_s=con_s, holds=(), hold_s=0.0,
            mcv_mps=r.rom_m / con_s, mean_velocity_incl_holds_mps=r.rom_m / con_s,
            peak_velocity_mps=vpk, peak_velocity_t=tpk, propulsive_end_t=tprop,
            propulsive_s=tprop - c.t0, mpv_mps=(yprop - d["lo"]) / (tprop - c.t0),
            top_pause_s=d["tp"], bottom_bounce=d["bot"] > 0, top_bounce=d["top"] > 0,
            bottom_reversal_acc_mps2=d["bot"], top_reversal_acc_mps2=-d["top"]))
    st = None
    if out:
        mcv = tuple(x.mcv_mps for x in out)
        k = int(np.argmax(mcv))
        st = SetTruth(
            n_reps=len(out), mcv_mps=mcv, mpv_mps=tuple(x.mpv_mps for x in out),
            peak_velocity_mps=tuple(x.peak_velocity_mps for x in out), fastest_rep_index=k,
            velocity_loss_pct=100.0 * (mcv[k] - mcv[-1]) / mcv[k],
            velocity_loss_first_last_pct=100.0 * (mcv[0] - mcv[-1]) / mcv[0],
            best_mcv_mps=mcv[k], last_mcv_mps=mcv[-1])
    bt = BounceTruth(spec, tuple(phases), t, tuple(out), st)
    bt._starts = np.array([p.t0 for p in phases])
    return bt


# ---------------------------------------------------------------------------------------
# Sampling and the track CSV
# ---------------------------------------------------------------------------------------

def sample(truth: BounceTruth, times) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact height (m), velocity (m/s) and acceleration (m/s^2) at ``times`` (s)."""
    y, v, a = truth._eval(np.atleast_1d(np.asarray(times, dtype=float)))
    return y, v, a


def to_track_csv(truth: BounceTruth, path, fps: float = 60.0, px_per_m: float = 400.0,
                 origin_px: tuple[float, float] = (320.0, 900.0), noise_px: float = 0.0,
                 seed: int = 0, vfr: bool = False, x_drift_px: float = 0.0,
                 write_scale: bool = True, decimals: int = 4):
    """Write the bar centre as a LiftLens track CSV (``# liftlens-track v1``).

    Frames at ``frame_times(duration, fps, vfr, seed)`` (lift_truth's; CFR by default;
    ``FPS_CHOICES`` = 30, 60, 120, 240). ``y_px = origin_y - y_m * px_per_m`` (image y
    grows down), ``x_px = origin_x + x_drift_px * t / duration``, plus independent
    Gaussian noise of SD ``noise_px`` on both axes (``seed``), rounded to ``decimals``.
    The header carries ``# m_per_px=1/px_per_m`` unless ``write_scale`` is False (an
    uncalibrated file). Every row is state ``tracked``, confidence 1.0.
    Returns ``(times_s, x_px, y_px)`` as written (shapes (n,)).
    """
    t = frame_times(truth.duration_s, fps, vfr=vfr, seed=seed)
    y_m = sample(truth, t)[0]
    x = origin_px[0] + x_drift_px * t / truth.duration_s
    y = origin_px[1] - y_m * px_per_m
    return write_track_rows(path, t, x, y, 1.0 / px_per_m if write_scale else None,
                            noise_px, seed, decimals)


# ---------------------------------------------------------------------------------------
# The family
# ---------------------------------------------------------------------------------------

def bounce_family() -> dict[str, BounceSet]:
    """Named sets with bounced reversals (see README for the intent of each)."""
    R = BounceRep
    f: dict[str, BounceSet] = {}
    f["bench_tng_2g_fatigue"] = BounceSet("down_first", tuple(
        R(sh, 0.40, v, ecc_s=0.9, ecc_shape=es, bottom_bounce_g=2.0, top_pause_s=0.6)
        for sh, v, es in (("smooth", 0.80, "ecc_smooth"), ("two_peak", 0.74, "ecc_drop"),
                          ("skewed_early", 0.68, "ecc_early"), ("smooth", 0.62, "ecc_smooth"),
                          ("two_peak", 0.55, "ecc_drop"), ("skewed_late", 0.48,
                                                           "ecc_controlled"))),
        base_height_m=1.05)
    f["squat_bounce_accels"] = BounceSet("down_first", tuple(
        R("two_peak", 0.55, 0.55, ecc_s=1.4, bottom_bounce_g=g, top_pause_s=1.2)
        for g in (0.5, 1.0, 2.0, 3.0)), base_height_m=1.45)
    f["bench_speed_bounce_3g"] = BounceSet("down_first", tuple(
        R(sh, 0.40, v, ecc_s=0.55, ecc_shape="ecc_drop", bottom_bounce_g=3.0,
          top_pause_s=0.8) for sh, v in (("plateau", 1.20), ("speed", 1.15),
                                         ("skewed_late", 1.08))), base_height_m=1.00)
    f["squat_grind_bounce"] = BounceSet("down_first", tuple(
        R("grinder", 0.60, v, ecc_s=2.0, bottom_bounce_g=0.5, top_pause_s=2.0)
        for v in (0.30, 0.25, 0.20)), base_height_m=1.45)
    f["squat_mixed_pause_bounce"] = BounceSet("down_first", (
        R("two_peak", 0.55, 0.60, ecc_s=2.0, bottom_bounce_g=None, bottom_pause_s=1.0),
        R("two_peak", 0.55, 0.62, ecc_s=1.2, bottom_bounce_g=1.5),
        R("smooth", 0.55, 0.55, ecc_s=1.5, bottom_bounce_g=None, bottom_pause_s=0.0),
        R("skewed_late", 0.55, 0.52, ecc_s=1.0, ecc_shape="ecc_drop", bottom_bounce_g=2.5),
        R("plateau", 0.55, 0.45, ecc_s=3.0, ecc_shape="ecc_controlled",
          bottom_bounce_g=None, bottom_pause_s=2.0)), base_height_m=1.45)
    f["squat_deep_continuous"] = BounceSet("down_first", tuple(
        R("smooth", 0.70, v, ecc_s=1.1, ecc_shape=es, bottom_bounce_g=1.5,
          top_bounce_g=0.4) for v, es in ((0.50, "ecc_smooth"), (0.46, "ecc_early"),
                                          (0.42, "ecc_smooth"), (0.36, "ecc_drop"))),
        base_height_m=1.50)
    f["bench_short_continuous"] = BounceSet("down_first", tuple(
        R("smooth", 0.25, v, ecc_s=0.5, bottom_bounce_g=2.0, top_bounce_g=0.6)
        for v in (0.90, 0.85, 0.80, 0.72, 0.65, 0.60)), base_height_m=1.02)
    f["deadlift_tng_floor_bounce"] = BounceSet("up_first", tuple(
        R("skewed_late", 0.55, v, ecc_s=0.8, ecc_shape="ecc_drop", bottom_bounce_g=2.0,
          top_pause_s=0.5) for v in (0.62, 0.60, 0.55, 0.50, 0.44)),
        base_height_m=0.225, lead_in_s=1.5)
    f["deadlift_tng_turnover"] = BounceSet("up_first", (
        R("two_peak", 0.50, 0.50, ecc_s=1.0, bottom_bounce_g=None, top_bounce_g=0.5),
        R("two_peak", 0.50, 0.56, ecc_s=1.0, bottom_bounce_g=1.0, top_bounce_g=0.5),
        R("plateau", 0.50, 0.48, ecc_s=1.2, bottom_bounce_g=3.0, top_bounce_g=0.3),
        R("skewed_late", 0.50, 0.40, ecc_s=1.0, bottom_bounce_g=None, bottom_pause_s=1.0,
          top_pause_s=1.0)), base_height_m=0.225)
    return {k: BounceSet(v.direction, v.reps, v.lead_in_s, v.tail_s, v.base_height_m, k)
            for k, v in f.items()}


def truth_dict(truth: BounceTruth) -> dict:
    """The truth as plain JSON-able data: ``{"name", "direction", "duration_s", "reps":
    [BounceRepTruth fields...], "set": SetTruth fields}`` (times s, m, m/s, m/s^2)."""
    return {"name": truth.spec.name, "direction": truth.spec.direction,
            "duration_s": truth.duration_s, "reps": [asdict(r) for r in truth.reps],
            "set": asdict(truth.set) if truth.set else None}


def write_family(out_dir, fps_list: Sequence[float] = FPS_CHOICES, noise_px: float = 0.0,
                 px_per_m: float = 400.0, seed: int = 0) -> list[Path]:
    """Write every family set as ``NAME-FPS.csv`` (track CSV) plus ``NAME.truth.json``
    (``truth_dict``) in ``out_dir``; returns the CSV paths. Run
    ``python -m tests.truth.bounce_truth OUT_DIR [noise_px]`` to do it from a shell."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, spec in bounce_family().items():
        truth = build_bounce_set(spec)
        (out / f"{name}.truth.json").write_text(json.dumps(truth_dict(truth), indent=1),
                                                encoding="utf-8")
        for fps in fps_list:
            p = out / f"{name}-{int(fps)}.csv"
            to_track_csv(truth, p, fps=fps, px_per_m=px_per_m, noise_px=noise_px, seed=seed)
            paths.append(p)
    return paths


if __name__ == "__main__":
    import sys
    write_family(sys.argv[1], noise_px=float(sys.argv[2]) if len(sys.argv) > 2 else 0.0)
