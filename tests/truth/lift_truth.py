"""Independent ground truth for barbell-lift analysis: analytic bar motion + per-rep truth.

Written from the velocity-based-training (VBT) literature and the LiftLens track-CSV file
format only, without reading the program's analysis code (see ``README.md`` here).

Motion model
------------
The vertical bar height ``y(t)`` (metres, up positive) is a chain of *segments*. Every
segment starts and ends at rest: it is either a **rest** (constant height) or a **move**
of displacement ``D`` over duration ``T`` whose velocity is

    v(t) = (D / T) * f(u) / I,      u = (t - t0) / T in [0, 1],   I = integral_0^1 f(u) du

where ``f`` is a *shape*: a sum of smooth "Tukey blocks" (a raised-cosine rise of length
``r``, a flat top of length ``f`` and a raised-cosine fall of length ``d``, amplitude
``A``, starting at ``a``). Each block has an exact closed-form integral and derivative, so
``y``, ``v`` and ``a`` are analytic at any instant (no numerical integration at all); the
truth is exact to floating-point rounding. Every shape starts with a rise at ``u = 0`` and
ends with a fall at ``u = 1`` so velocity AND acceleration are zero at every segment
boundary: position is C2 across the whole set, velocity is C1.

Truth definitions (per rep), with sources
-----------------------------------------
* **Concentric phase** - from the instant the bar leaves its lowest point of the rep
  (end of the bottom pause; lift-off from the floor for up-first lifts) to the instant it
  reaches the rep's highest point (lockout). Linear position transducer convention,
  González-Badillo & Sánchez-Medina (2010) *Int J Sports Med* 31:347-352;
  García-Ramos et al. (2018) *J Strength Cond Res*.
* **MCV / mean velocity (MV)** = concentric displacement / (concentric duration minus
  the isometric holds inside it). ``mean_velocity_incl_holds_mps`` keeps the holds in.
* **Peak velocity (PV)** = maximum velocity in the concentric phase.
* **MPV, mean propulsive velocity** - Sánchez-Medina, Pérez & González-Badillo (2010)
  *Int J Sports Med* 31:123-129: mean velocity over the *propulsive phase*, the part of
  the concentric phase during which the bar acceleration is >= -g (g = 9.81 m/s^2). Here:
  the propulsive phase ends at the first instant after peak velocity at which ``a(t)``
  falls below -g (found by root finding on the analytic acceleration; searched after
  the last hold inside the concentric, if any); if ``a`` never
  drops below -g, the propulsive phase is the whole concentric phase and MPV = MCV.
  Holds inside the propulsive phase are excluded from its time, as for MCV.
* **Eccentric phase** - from leaving the top position (end of the top pause / lead-in)
  to arrival at the lowest point.
* **ROM** = highest minus lowest point of the rep.
* **Velocity loss (VL)** - Sánchez-Medina & González-Badillo (2011) *Med Sci Sports
  Exerc* 43:1725-1734: ``100 * (MCV_fastest - MCV_last) / MCV_fastest``; also the
  first-to-last variant.
* **Tempo** - eccentric / bottom pause / concentric / top pause durations (the lifter's
  "3-1-X-0" notation, X = explosive, here concentric < 1 s).

Pause semantics (what a program can observe)
--------------------------------------------
* down-first (squat, bench): set = lead-in rest at the top, then per rep
  ``eccentric, bottom pause, concentric, top pause``; the last rep's top pause is the
  set's tail (truth ``top_pause_s = None``).
* up-first (deadlift): set = lead-in rest on the floor, then per rep
  ``floor pause, concentric, top pause (lockout hold), eccentric``; the first rep's floor
  pause is the lead-in (truth ``bottom_pause_s = None``), the last eccentric ends in the
  tail rest on the floor.
* An isometric hold inside the concentric (``hold_s > 0``) splits it into two moves
  with a complete stop at ``hold_at_frac`` of the ROM: the move into the hold has the
  ``PRE_HOLD_SHAPE`` (gentle deceleration, never below -g in the family), the move after
  it has the rep's shape. Moving time is split in proportion to displacement, so the
  MCV (holds excluded) is exactly the rep's ``con_mean_mps``. For MPV the braking phase
  is searched after the peak velocity and after the last hold.

Times are seconds from the start of the set (``t = 0``); heights are metres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

G = 9.81  # m/s^2, the value used in the MPV definition

__all__ = [
    "G", "SHAPES", "ECC_SHAPES", "PRE_HOLD_SHAPE", "RepSpec", "SetSpec", "Hold", "RepTruth",
    "SetTruth", "LiftTruth", "build_set", "sample", "frame_times", "to_track_csv", "family",
    "render_clip",
]


# ---------------------------------------------------------------------------------------
# Shapes: sums of Tukey blocks (a, rise, flat, fall, amplitude) on u in [0, 1]
# ---------------------------------------------------------------------------------------

Block = tuple[float, float, float, float, float]

#: Concentric velocity shapes (normalised time). Their properties are checked in the tests.
SHAPES: dict[str, tuple[Block, ...]] = {
    # peak 1 at u=0.17, dip ~35 % at ~38 % of the ROM (sticking region), peak 2 = 1.25 x peak 1
    "two_peak": ((0.0, 0.17, 0.0, 0.38, 1.0), (0.24, 0.48, 0.0, 0.28, 1.25)),
    # out of the hole fast, near-stall (dip ~73 %) in the middle, slow finish
    "grinder": ((0.0, 0.10, 0.0, 0.30, 1.0), (0.15, 0.55, 0.0, 0.30, 0.7)),
    # fast bump with a short top, peak velocity ~1.74 x mean; at ~1.5 m/s the final
    # deceleration (the athlete braking a light bar) exceeds g, so MPV > MCV
    "speed": ((0.0, 0.35, 0.15, 0.50, 1.0),),
    "skewed_early": ((0.0, 0.25, 0.0, 0.75, 1.0),),
    "skewed_late": ((0.0, 0.72, 0.0, 0.28, 1.0),),
    "plateau": ((0.0, 0.12, 0.76, 0.12, 1.0),),
    "smooth": ((0.0, 0.5, 0.0, 0.5, 1.0),),
}

#: Shape of the move that ends in an isometric hold (a lifter easing into the pause:
#: long gentle deceleration, so it never decelerates faster than g in the family).
PRE_HOLD_SHAPE = "skewed_early"

#: Eccentric speed shapes (the move is downwards; these give |v|).
ECC_SHAPES: dict[str, tuple[Block, ...]] = {
    "ecc_smooth": ((0.0, 0.5, 0.0, 0.5, 1.0),),
    "ecc_controlled": ((0.0, 0.2, 0.6, 0.2, 1.0),),       # constant-speed lowering
    "ecc_drop": ((0.0, 0.7, 0.0, 0.3, 1.0),),             # falls, then brakes hard
    "ecc_early": ((0.0, 0.3, 0.0, 0.7, 1.0),),            # quick start, long braking
}


def _block_eval(u: np.ndarray, blk: Block) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(integral from 0, value, derivative) of one block at normalised times ``u``."""
    a, r, fl, d, A = blk
    x = u - a
    val = np.zeros_like(u)
    der = np.zeros_like(u)
    itg = np.zeros_like(u)
    m1 = (x > 0) & (x < r)
    x1 = x[m1]
    val[m1] = A * (1 - np.cos(np.pi * x1 / r)) / 2
    der[m1] = A * np.pi / (2 * r) * np.sin(np.pi * x1 / r)
    itg[m1] = A / 2 * (x1 - r / np.pi * np.sin(np.pi * x1 / r))
    m2 = (x >= r) & (x < r + fl)
    val[m2] = A
    itg[m2] = A * r / 2 + A * (x[m2] - r)
    z = x - r - fl
    m3 = (z >= 0) & (z < d)
    z3 = z[m3]
    val[m3] = A * (1 + np.cos(np.pi * z3 / d)) / 2
    der[m3] = -A * np.pi / (2 * d) * np.sin(np.pi * z3 / d)
    itg[m3] = A * r / 2 + A * fl + A / 2 * (z3 + d / np.pi * np.sin(np.pi * z3 / d))
    itg[z >= d] = A * (r / 2 + fl + d / 2)
    return itg, val, der


def _shape_eval(u: np.ndarray, blocks: Sequence[Block]):
    """Normalised (position fraction 0..1, f/I, f'/I) of a shape at ``u`` (clipped to 0..1)."""
    u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
    itg = np.zeros_like(u)
    val = np.zeros_like(u)
    der = np.zeros_like(u)
    for b in blocks:
        i, v, d = _block_eval(u, b)
        itg += i
        val += v
        der += d
    total = sum(A * (r / 2 + fl + d / 2) for (_, r, fl, d, A) in blocks)
    return itg / total, val / total, der / total


# ---------------------------------------------------------------------------------------
# Segments
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Seg:
    t0: float
    t1: float
    y0: float
    dy: float                       # displacement (0 for rests)
    blocks: tuple[Block, ...] = ()  # empty for rests
    kind: str = "rest"              # rest | ecc | con | con_hold

    def eval(self, t: np.ndarray):
        if not self.blocks or self.t1 <= self.t0:
            z = np.zeros_like(t)
            return z + self.y0, z, z.copy()
        T = self.t1 - self.t0
        p, f, fd = _shape_eval((t - self.t0) / T, self.blocks)
        return self.y0 + self.dy * p, self.dy / T * f, self.dy / T ** 2 * fd


# ---------------------------------------------------------------------------------------
# Specs
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RepSpec:
    """One rep.

    shape            concentric shape, a key of ``SHAPES``
    rom_m            range of motion (m)
    con_mean_mps     concentric mean velocity excluding holds (= the true MCV); or give
    con_s            the concentric moving duration (s) instead (excluding holds)
    ecc_s            eccentric duration (s); ecc_shape a key of ``ECC_SHAPES``
    bottom_pause_s   rest at the lowest point (down-first: before the concentric;
                     up-first: on the floor before lift-off, ignored for the first rep)
    top_pause_s      rest at the top after lockout (down-first: before the next
                     eccentric, ignored for the last rep; up-first: lockout hold)
    hold_s           isometric hold inside the concentric (0 = none), at hold_at_frac of ROM
    """

    shape: str = "two_peak"
    rom_m: float = 0.55
    con_mean_mps: float | None = 0.5
    con_s: float | None = None
    ecc_s: float = 1.8
    ecc_shape: str = "ecc_smooth"
    bottom_pause_s: float = 0.0
    top_pause_s: float = 1.0
    hold_s: float = 0.0
    hold_at_frac: float = 0.4

    def con_moving_s(self) -> float:
        if self.con_s is not None:
            return float(self.con_s)
        if not self.con_mean_mps:
            raise ValueError("RepSpec needs con_mean_mps or con_s")
        return self.rom_m / self.con_mean_mps


@dataclass(frozen=True)
class SetSpec:
    """A set: ``direction`` "down_first" (squat, bench) or "up_first" (deadlift).

    ``base_height_m`` is the standing (top) bar height for down-first sets and the floor
    (resting) bar height for up-first sets. ``lead_in_s``/``tail_s`` are the rests before
    the first and after the last movement.
    """

    direction: str
    reps: tuple[RepSpec, ...]
    lead_in_s: float = 1.5
    tail_s: float = 1.5
    base_height_m: float = 1.40
    name: str = ""


# ---------------------------------------------------------------------------------------
# Truth records
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hold:
    start_t: float
    end_t: float
    duration_s: float
    height_m: float          # absolute bar height during the hold
    frac_of_rom: float       # (height - rep bottom) / ROM


@dataclass(frozen=True)
class RepTruth:
    """Analytic truth of one rep (times in s from set start, heights in m, speeds m/s)."""

    index: int
    shape: str
    rom_m: float
    bottom_y_m: float
    top_y_m: float
    eccentric_start_t: float
    eccentric_end_t: float
    eccentric_s: float
    eccentric_mean_speed_mps: float      # ROM / eccentric duration (positive)
    eccentric_peak_speed_mps: float      # max |v| in the eccentric (positive)
    bottom_pause_s: float | None
    concentric_start_t: float
    concentric_end_t: float
    concentric_s: float                  # including holds
    concentric_moving_s: float           # excluding holds
    holds: tuple[Hold, ...]
    hold_s: float
    mcv_mps: float                       # MCV = MV, holds excluded
    mean_velocity_incl_holds_mps: float
    peak_velocity_mps: float
    peak_velocity_t: float
    propulsive_end_t: float
    propulsive_s: float                  # holds excluded
    mpv_mps: float
    top_pause_s: float | None

    def tempo(self) -> tuple[float, float | None, float, float | None]:
        """(eccentric, bottom pause, concentric incl. holds, top pause) durations in s."""
        return (self.eccentric_s, self.bottom_pause_s, self.concentric_s, self.top_pause_s)

    def tempo_string(self) -> str:
        """Lifter notation, e.g. ``3-1-X-0`` (X = concentric under 1 s; ``?`` = unknown)."""
        def d(x):
            return "?" if x is None else str(int(math.floor(x + 0.5)))
        con = "X" if self.concentric_s < 1.0 else d(self.concentric_s)
        return f"{d(self.eccentric_s)}-{d(self.bottom_pause_s)}-{con}-{d(self.top_pause_s)}"


@dataclass(frozen=True)
class SetTruth:
    n_reps: int
    mcv_mps: tuple[float, ...]
    mpv_mps: tuple[float, ...]
    peak_velocity_mps: tuple[float, ...]
    fastest_rep_index: int               # 0-based, by MCV
    velocity_loss_pct: float             # fastest -> last (Sanchez-Medina & Gonzalez-Badillo 2011)
    velocity_loss_first_last_pct: float
    best_mcv_mps: float
    last_mcv_mps: float


def eval_pieces(starts: np.ndarray, pieces, t):
    """``(y, v, a)`` at times ``t`` (s; a scalar or an array) of a chain of pieces, each
    with ``eval(times) -> (y, v, a)`` and starting at ``starts[k]``; floats for a scalar
    ``t``, else arrays of its shape."""
    t = np.asarray(t, dtype=float)
    tt = np.atleast_1d(t)
    y = np.empty_like(tt)
    v = np.empty_like(tt)
    a = np.empty_like(tt)
    idx = np.clip(np.searchsorted(starts, tt, side="right") - 1, 0, len(pieces) - 1)
    for k in np.unique(idx):
        m = idx == k
        y[m], v[m], a[m] = pieces[k].eval(tt[m])
    if t.ndim == 0:
        return float(y[0]), float(v[0]), float(a[0])
    return y, v, a


class Kinematic:
    """``y(t)``, ``v(t)``, ``a(t)`` of a class whose ``_eval(t)`` gives all three."""

    def _eval(self, t):
        raise NotImplementedError

    def y(self, t):
        return self._eval(t)[0]

    def v(self, t):
        return self._eval(t)[1]

    def a(self, t):
        return self._eval(t)[2]


@dataclass
class LiftTruth(Kinematic):
    """An analytic set: ``y(t)``, ``v(t)``, ``a(t)`` accept scalars or arrays of times."""

    spec: SetSpec
    segments: tuple[_Seg, ...]
    duration_s: float
    reps: tuple[RepTruth, ...] = ()
    set: SetTruth | None = None
    _starts: np.ndarray = field(default=None, repr=False)

    def _eval(self, t):
        return eval_pieces(self._starts, self.segments, t)


# ---------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------

def _peak_in(segs: Sequence[_Seg]) -> tuple[float, float]:
    """(max velocity, its time) over moves ``segs``: dense grid then golden refinement."""
    from scipy.optimize import minimize_scalar
    best = (-np.inf, 0.0, None)
    for s in segs:
        if not s.blocks:
            continue
        t = np.linspace(s.t0, s.t1, 4001)
        v = s.eval(t)[1]
        k = int(np.argmax(v))
        if v[k] > best[0]:
            best = (v[k], t[k], s)
    vmax, tk, s = best
    dt = (s.t1 - s.t0) / 4000
    lo, hi = max(s.t0, tk - dt), min(s.t1, tk + dt)
    res = minimize_scalar(lambda x: -float(s.eval(np.array([x]))[1][0]), bounds=(lo, hi),
                          method="bounded", options={"xatol": 1e-12})
    if -res.fun >= vmax:
        return float(-res.fun), float(res.x)
    return float(vmax), float(tk)


def _propulsive_end(segs: Sequence[_Seg], t_peak: float) -> float:
    """First instant after ``t_peak`` at which a(t) < -G, else the end of the concentric.

    Only the last move (after any hold) is searched: the braking that ends the propulsive
    phase is the one before lockout, not the easing into an isometric hold."""
    t_peak = max(t_peak, segs[-1].t0)
    from scipy.optimize import brentq
    for s in segs:
        if not s.blocks or s.t1 <= t_peak:
            continue
        t0 = max(s.t0, t_peak)
        t = np.linspace(t0, s.t1, 8001)
        a = s.eval(t)[2]
        below = np.nonzero(a < -G)[0]
        if below.size:
            k = int(below[0])
            if k == 0:
                return float(t0)
            return float(brentq(lambda x: float(s.eval(np.array([x]))[2][0]) + G,
                                t[k - 1], t[k], xtol=1e-13))
    return float(segs[-1].t1)


def build_set(spec: SetSpec) -> LiftTruth:
    """Build the analytic motion and the per-rep / set truth for ``spec``."""
    if spec.direction not in ("down_first", "up_first"):
        raise ValueError(spec.direction)
    for r in spec.reps:
        if r.shape not in SHAPES:
            raise ValueError(f"unknown shape {r.shape!r}")
        if r.ecc_shape not in ECC_SHAPES:
            raise ValueError(f"unknown eccentric shape {r.ecc_shape!r}")
        if r.hold_s > 0 and not 0.0 < r.hold_at_frac < 1.0:
            raise ValueError("hold_at_frac must be in (0, 1)")
    segs: list[_Seg] = []
    t = 0.0
    base = spec.base_height_m
    down = spec.direction == "down_first"

    def rest(dur: float, y: float):
        nonlocal t
        if dur > 0:
            segs.append(_Seg(t, t + dur, y, 0.0))
            t += dur

    def move(dur: float, y0: float, dy: float, blocks, kind: str) -> _Seg:
        nonlocal t
        s = _Seg(t, t + dur, y0, dy, tuple(blocks), kind)
        segs.append(s)
        t += dur
        return s

    def concentric(r: RepSpec, bottom: float):
        """Concentric move(s); returns (segments, holds, start_t, end_t)."""
        tm = r.con_moving_s()
        t_start = t
        blocks = SHAPES[r.shape]
        if r.hold_s > 0:
            d1 = r.hold_at_frac * r.rom_m
            s1 = move(tm * r.hold_at_frac, bottom, d1, SHAPES[PRE_HOLD_SHAPE], "con")
            h0 = t
            rest(r.hold_s, bottom + d1)
            hold = Hold(h0, t, r.hold_s, bottom + d1, r.hold_at_frac)
            s2 = move(tm * (1 - r.hold_at_frac), bottom + d1, r.rom_m - d1, blocks, "con")
            return [s1, s2], (hold,), t_start, t
        s = move(tm, bottom, r.rom_m, blocks, "con")
        return [s], (), t_start, t

    raw = []  # per rep dict of pieces
    rest(spec.lead_in_s, base)
    n = len(spec.reps)
    for i, r in enumerate(spec.reps):
        d: dict = {"r": r}
        if down:
            top, bottom = base, base - r.rom_m
            d["ecc0"] = t
            d["ecc_seg"] = move(r.ecc_s, top, -r.rom_m, ECC_SHAPES[r.ecc_shape], "ecc")
            d["ecc1"] = t
            rest(r.bottom_pause_s, bottom)
            d["bp"] = r.bottom_pause_s
            d["con_segs"], d["holds"], d["c0"], d["c1"] = concentric(r, bottom)
            if i < n - 1:
                rest(r.top_pause_s, top)
                d["tp"] = r.top_pause_s
            else:
                d["tp"] = None
        else:
            bottom, top = base, base + r.rom_m
            if i > 0:
                rest(r.bottom_pause_s, bottom)
                d["bp"] = r.bottom_pause_s
            else:
                d["bp"] = None
            d["con_segs"], d["holds"], d["c0"], d["c1"] = concentric(r, bottom)
            rest(r.top_pause_s, top)
            d["tp"] = r.top_pause_s
            d["ecc0"] = t
            d["ecc_seg"] = move(r.ecc_s, top, -r.rom_m, ECC_SHAPES[r.ecc_shape], "ecc")
            d["ecc1"] = t
        d["top"], d["bottom"] = top, bottom
        raw.append(d)
    rest(spec.tail_s, base)
    duration = t

    reps = []
    for i, d in enumerate(raw):
        r: RepSpec = d["r"]
        csegs = d["con_segs"]
        hold_s = sum(h.duration_s for h in d["holds"])
        c0, c1 = d["c0"], d["c1"]
        moving = c1 - c0 - hold_s
        vpk, tpk = _peak_in(csegs)
        tprop = _propulsive_end(csegs, tpk)
        y_prop = None
        for s in csegs:
            if s.t0 <= tprop <= s.t1:
                y_prop = float(s.eval(np.array([tprop]))[0][0])
        holds_in_prop = sum(max(0.0, min(h.end_t, tprop) - h.start_t) for h in d["holds"])
        prop_s = tprop - c0 - holds_in_prop
        es = d["ecc_seg"]
        ev = es.eval(np.linspace(es.t0, es.t1, 4001))[1]
        reps.append(RepTruth(
            index=i, shape=r.shape, rom_m=r.rom_m, bottom_y_m=d["bottom"], top_y_m=d["top"],
            eccentric_start_t=d["ecc0"], eccentric_end_t=d["ecc1"],
            eccentric_s=d["ecc1"] - d["ecc0"], eccentric_mean_speed_mps=r.rom_m / r.ecc_s,
            eccentric_peak_speed_mps=float(np.max(np.abs(ev))),
            bottom_pause_s=d["bp"], concentric_start_t=c0, concentric_end_t=c1,
            concentric_s=c1 - c0, concentric_moving_s=moving, holds=d["holds"],
            hold_s=hold_s, mcv_mps=r.rom_m / moving,
            mean_velocity_incl_holds_mps=r.rom_m / (c1 - c0),
            peak_velocity_mps=vpk, peak_velocity_t=tpk, propulsive_end_t=tprop,
            propulsive_s=prop_s, mpv_mps=(y_prop - d["bottom"]) / prop_s,
            top_pause_s=d["tp"],
        ))
    mcv = tuple(r.mcv_mps for r in reps)
    if reps:
        k = int(np.argmax(mcv))
        st = SetTruth(
            n_reps=len(reps), mcv_mps=mcv, mpv_mps=tuple(r.mpv_mps for r in reps),
            peak_velocity_mps=tuple(r.peak_velocity_mps for r in reps), fastest_rep_index=k,
            velocity_loss_pct=100.0 * (mcv[k] - mcv[-1]) / mcv[k],
            velocity_loss_first_last_pct=100.0 * (mcv[0] - mcv[-1]) / mcv[0],
            best_mcv_mps=mcv[k], last_mcv_mps=mcv[-1])
    else:
        st = None
    lt = LiftTruth(spec, tuple(segs), duration, tuple(reps), st)
    lt._starts = np.array([s.t0 for s in segs])
    return lt


# ---------------------------------------------------------------------------------------
# Sampling and the track CSV
# ---------------------------------------------------------------------------------------

def frame_times(duration_s: float, fps: float, vfr: bool = False, seed: int = 0,
                jitter: float = 0.35) -> np.ndarray:
    """Frame timestamps covering ``[0, duration_s)``. ``vfr``: each interval is the nominal
    one times a random factor in ``1 +- jitter`` (strictly increasing, starts at 0)."""
    n = int(math.floor(duration_s * fps)) + 1
    if not vfr:
        t = np.arange(n) / fps
    else:
        rng = np.random.default_rng(seed)
        dt = (1.0 / fps) * (1.0 + rng.uniform(-jitter, jitter, n - 1))
        t = np.concatenate([[0.0], np.cumsum(dt)])
    return t[t <= duration_s]


def sample(truth: LiftTruth, times) -> tuple[np.ndarray, np.ndarray]:
    """Exact bar height (m) and vertical velocity (m/s) at ``times``."""
    y, v, _ = truth._eval(np.atleast_1d(np.asarray(times, dtype=float)))
    return y, v


def _fmt(x: float) -> str:
    return repr(float(x))


def to_track_csv(truth: LiftTruth, path, fps: float = 30.0, m_per_px: float = 0.003,
                 origin_px: tuple[float, float] = (320.0, 900.0), x_drift_px: float = 0.0,
                 noise_px: float = 0.0, seed: int = 0, vfr: bool = False,
                 decimals: int = 4, confidence: float = 1.0):
    """Write the LiftLens track CSV (``# liftlens-track v1``) of the bar centre.

    ``y_px = origin_y - y_m / m_per_px`` (image y grows down), ``x_px = origin_x +
    x_drift_px * t / duration`` (linear sideways drift), plus optional Gaussian noise of
    ``noise_px`` on both axes. Every row has state ``tracked``. Pixel values are rounded
    to ``decimals`` (1e-4 px by default = far below 0.1 mm). Returns
    ``(times, x_px, y_px)`` as written.
    """
    t = frame_times(truth.duration_s, fps, vfr=vfr, seed=seed)
    y_m, _ = sample(truth, t)
    x = origin_px[0] + x_drift_px * t / truth.duration_s
    y = origin_px[1] - y_m / m_per_px
    return write_track_rows(path, t, x, y, m_per_px, noise_px, seed, decimals, confidence)


def write_track_rows(path, t: np.ndarray, x: np.ndarray, y: np.ndarray,
                     m_per_px: float | None, noise_px: float = 0.0, seed: int = 0,
                     decimals: int = 4, confidence: float = 1.0):
    """Write pixel positions ``x``, ``y`` at times ``t`` (shapes (n,)) as a LiftLens track
    CSV, every row ``tracked`` at ``confidence``: Gaussian noise of SD ``noise_px`` on
    both axes (``default_rng(seed + 1)``), rounded to ``decimals``; the header carries
    ``# m_per_px`` unless it is None (an uncalibrated file). Returns ``(t, x, y)`` as
    written."""
    if noise_px > 0:
        rng = np.random.default_rng(seed + 1)
        x = x + rng.normal(0, noise_px, x.size)
        y = y + rng.normal(0, noise_px, y.size)
    x = np.round(x, decimals)
    y = np.round(y, decimals)
    lines = ["# liftlens-track v1"]
    if m_per_px is not None:
        lines.append(f"# m_per_px={_fmt(m_per_px)}")
    lines.append("frame,t_s,x_px,y_px,confidence,state")
    for i in range(t.size):
        lines.append(f"{i},{_fmt(round(t[i], 9))},{_fmt(x[i])},{_fmt(y[i])},"
                     f"{_fmt(confidence)},tracked")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return t, x, y


# ---------------------------------------------------------------------------------------
# The family
# ---------------------------------------------------------------------------------------

def family() -> dict[str, SetSpec]:
    """A named family of varied sets (see README for the intent of each)."""
    R = RepSpec
    fam: dict[str, SetSpec] = {}

    fam["squat_two_peak_fatigue"] = SetSpec("down_first", tuple(
        R("two_peak", 0.55, v, ecc_s=1.8, top_pause_s=1.5)
        for v in (0.60, 0.57, 0.54, 0.51, 0.48)), base_height_m=1.45)

    fam["squat_grinders"] = SetSpec("down_first", (
        R("grinder", 0.50, 0.17, ecc_s=2.0, top_pause_s=2.5),
        R("grinder", 0.50, 0.15, ecc_s=2.0, top_pause_s=3.0),
        R("grinder", 0.49, 0.13, ecc_s=2.2)), base_height_m=1.40, tail_s=2.0)

    fam["bench_speed"] = SetSpec("down_first", tuple(
        R("speed", 0.42, v, ecc_s=0.8, ecc_shape=es, top_pause_s=1.0)
        for v, es in ((1.55, "ecc_smooth"), (1.50, "ecc_drop"), (1.52, "ecc_early"),
                      (1.45, "ecc_smooth"), (1.48, "ecc_drop"))), base_height_m=1.05)

    fam["squat_tempo_3_1_X_0"] = SetSpec("down_first", tuple(
        R("two_peak", 0.56, v, ecc_s=3.0, ecc_shape="ecc_controlled", bottom_pause_s=1.0,
          top_pause_s=0.0) for v in (0.72, 0.70, 0.66, 0.62)), base_height_m=1.45)

    fam["squat_paused_2s"] = SetSpec("down_first", tuple(
        R("skewed_late", 0.54, v, ecc_s=2.0, bottom_pause_s=2.0, top_pause_s=1.2)
        for v in (0.55, 0.52, 0.47)), base_height_m=1.42)

    fam["squat_isometric_hold"] = SetSpec("down_first", (
        R("two_peak", 0.55, 0.50, ecc_s=2.0, top_pause_s=1.5),
        R("two_peak", 0.55, 0.45, ecc_s=2.0, hold_s=5.0, hold_at_frac=0.4, top_pause_s=1.5),
        R("smooth", 0.55, 0.42, ecc_s=2.0)), base_height_m=1.45)

    fam["deadlift_mixed_shapes"] = SetSpec("up_first", (
        R("skewed_late", 0.52, 0.55, ecc_s=0.9, ecc_shape="ecc_drop", top_pause_s=1.0),
        R("two_peak", 0.53, 0.50, ecc_s=1.0, ecc_shape="ecc_early", bottom_pause_s=1.5,
          top_pause_s=0.8),
        R("plateau", 0.52, 0.46, ecc_s=1.2, bottom_pause_s=1.0, top_pause_s=1.2),
        R("skewed_early", 0.51, 0.42, ecc_s=0.9, ecc_shape="ecc_drop", bottom_pause_s=2.0,
          top_pause_s=0.5),
        R("grinder", 0.52, 0.25, ecc_s=1.5, bottom_pause_s=1.0, top_pause_s=1.5)),
        base_height_m=0.225, lead_in_s=2.0, tail_s=2.0)

    fam["bench_plateau_skewed"] = SetSpec("down_first", (
        R("plateau", 0.40, 0.60, ecc_s=1.5, top_pause_s=1.0),
        R("skewed_early", 0.41, 0.56, ecc_s=1.6, ecc_shape="ecc_early", top_pause_s=1.0),
        R("skewed_late", 0.40, 0.52, ecc_s=1.5, ecc_shape="ecc_controlled",
          bottom_pause_s=0.5, top_pause_s=1.0),
        R("plateau", 0.39, 0.45, ecc_s=1.7, bottom_pause_s=1.0)), base_height_m=1.00)

    fam["squat_equal_speeds"] = SetSpec("down_first", tuple(
        R("two_peak", 0.55, v, ecc_s=1.7, top_pause_s=1.2)
        for v in (0.500, 0.505, 0.498, 0.502, 0.499)), base_height_m=1.45)

    fam["squat_touch_and_go"] = SetSpec("down_first", tuple(
        R(sh, 0.50, v, ecc_s=1.5, ecc_shape="ecc_smooth", bottom_pause_s=0.0,
          top_pause_s=0.0)
        for sh, v in (("smooth", 0.80), ("two_peak", 0.76), ("skewed_early", 0.72),
                      ("smooth", 0.70), ("two_peak", 0.66), ("skewed_late", 0.62))),
        base_height_m=1.40)

    fam["bench_pause_varied"] = SetSpec("down_first", (
        R("smooth", 0.40, 0.55, ecc_s=3.0, ecc_shape="ecc_controlled", bottom_pause_s=0.0,
          top_pause_s=1.0),
        R("two_peak", 0.40, 0.50, ecc_s=1.5, ecc_shape="ecc_smooth", bottom_pause_s=0.5,
          top_pause_s=1.0),
        R("skewed_late", 0.40, 0.47, ecc_s=0.8, ecc_shape="ecc_drop", bottom_pause_s=1.0,
          top_pause_s=1.0),
        R("plateau", 0.40, 0.44, ecc_s=2.0, ecc_shape="ecc_early", bottom_pause_s=2.0)),
        base_height_m=1.02)

    fam["deadlift_touch_and_go"] = SetSpec("up_first", tuple(
        R("skewed_late", 0.54, v, ecc_s=0.9, ecc_shape="ecc_drop", bottom_pause_s=0.0,
          top_pause_s=0.0)
        for v in (0.56, 0.62, 0.58, 0.50)), base_height_m=0.225, lead_in_s=1.5)

    fam["deadlift_paused_hold"] = SetSpec("up_first", (
        R("skewed_late", 0.55, 0.45, ecc_s=1.2, hold_s=2.0, hold_at_frac=0.25,
          top_pause_s=1.0),
        R("two_peak", 0.55, 0.40, ecc_s=1.3, hold_s=2.0, hold_at_frac=0.3,
          bottom_pause_s=1.5, top_pause_s=1.0)), base_height_m=0.225)

    return {k: SetSpec(v.direction, v.reps, v.lead_in_s, v.tail_s, v.base_height_m, k)
            for k, v in fam.items()}


# ---------------------------------------------------------------------------------------
# Optional renderer
# ---------------------------------------------------------------------------------------

def _background(size: tuple[int, int], seed: int) -> np.ndarray:
    import cv2
    w, h = size
    rng = np.random.default_rng(seed)
    noise = rng.normal(0, 1, (h // 4 + 1, w // 4 + 1)).astype(np.float32)
    noise = cv2.resize(noise, (w, h), interpolation=cv2.INTER_CUBIC)[:h, :w]
    grad = np.linspace(90, 150, h, dtype=np.float32)[:, None]
    bg = grad + 18 * noise
    img = np.dstack([bg * 0.9, bg, bg * 1.05])
    # a few static rack-like verticals and a floor line
    for x in rng.integers(0, w, 4):
        img[:, max(0, x - 3):x + 3] *= 0.7
    img[int(h * 0.9):, :] *= 0.8
    return np.clip(img, 0, 255).astype(np.uint8)


def render_clip(truth: LiftTruth, path, fps: float = 30, size: tuple[int, int] = (640, 480),
                m_per_px: float | None = None, plate_radius_px: float = 60, seed: int = 0,
                origin_px: tuple[float, float] | None = None, crf: int = 18) -> np.ndarray:
    """Render a side view of a plate moving with the bar and encode H.264 (libx264,
    yuv420p) with PyAV. Returns the true pixel centre per frame, shape (n, 2): (x, y).

    The plate is a dark disc with a light rim ring and a bright hub, drawn with 1/256-px
    sub-pixel precision (cv2 ``shift=8``, anti-aliased) on a static textured background.
    By default ``m_per_px`` maps the set's full height range onto 60 % of the image (pass
    it explicitly to know the scale; frames are at ``frame_times(duration, fps)``, so the
    scale is also ``ptp(sample(truth, times)[0]) / ptp(centres[:, 1])``). Keep clips short:
    encoding costs ~4 ms per 640x480 frame.
    """
    from fractions import Fraction

    import av
    import cv2

    w, h = size
    t = frame_times(truth.duration_s, fps)
    y_m, _ = sample(truth, t)
    lo, hi = float(np.min(y_m)), float(np.max(y_m))
    if m_per_px is None:
        m_per_px = max(hi - lo, 0.1) / (0.6 * h - 2 * plate_radius_px)
    if origin_px is None:
        origin_px = (w / 2, h / 2 + (lo + hi) / 2 / m_per_px)
    cx = np.full(t.size, float(origin_px[0]))
    cy = origin_px[1] - y_m / m_per_px
    bg = _background(size, seed)
    S = 256
    R = plate_radius_px
    container = av.open(str(path), mode="w")
    stream = container.add_stream("libx264", rate=int(round(fps)))
    stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
    stream.options = {"crf": str(crf), "preset": "veryfast"}
    try:
        for i in range(t.size):
            img = bg.copy()
            c = (int(round(cx[i] * S)), int(round(cy[i] * S)))
            cv2.circle(img, c, int(round(R * S)), (40, 40, 45), -1, cv2.LINE_AA, 8)
            cv2.circle(img, c, int(round(R * 0.93 * S)), (200, 200, 205),
                       max(2, int(R * 0.06)), cv2.LINE_AA, 8)
            cv2.circle(img, c, int(round(R * 0.22 * S)), (235, 235, 240), -1, cv2.LINE_AA, 8)
            cv2.circle(img, c, int(round(R * 0.08 * S)), (60, 60, 60), -1, cv2.LINE_AA, 8)
            frame = av.VideoFrame.from_ndarray(img, format="bgr24")
            frame.pts = i
            frame.time_base = Fraction(1, int(round(fps)))
            for pkt in stream.encode(frame):
                container.mux(pkt)
        for pkt in stream.encode():
            container.mux(pkt)
    finally:
        container.close()
    return np.column_stack([cx, cy])
