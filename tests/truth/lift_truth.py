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

from typing import Sequence

import numpy as np

from tests.truth.clip_render import render_clip
from tests.truth.lift_shapes import (
    ECC_SHAPES,
    PRE_HOLD_SHAPE,
    SHAPES,
    _Seg,
)
from tests.truth.set_records import (
    Hold,
    LiftTruth,
    RepSpec,
    RepTruth,
    SetSpec,
    SetTruth,
)
from tests.truth.set_track_csv import frame_times, sample, to_track_csv

G = 9.81  # m/s^2, the value used in the MPV definition

__all__ = [
    "G", "SHAPES", "ECC_SHAPES", "PRE_HOLD_SHAPE", "RepSpec", "SetSpec", "Hold", "RepTruth",
    "SetTruth", "LiftTruth", "build_set", "sample", "frame_times", "to_track_csv", "family",
    "render_clip",
]


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
