"""Side-view barbell trajectories of the Olympic lifts with exact phase truth.

Frame of reference
------------------
Side view, metres, time in seconds.  ``y`` is the bar's height ABOVE THE FLOOR (up is
positive); the bar rests on the floor at ``y = 0.225`` m (radius of a 450 mm plate).
``x`` is horizontal with **+x pointing away from the lifter, toward the lifter's
front** (the direction the lifter faces); ``x = 0`` is the bar's lift-off position.
"Toward the lifter" is therefore ``-x``.  In an image where the lifter faces right,
+x is +x_px (see :func:`to_track_csv`).

How the curves are built (why the truth is exact)
-------------------------------------------------
Vertical: the VELOCITY ``vy(t)`` is a shape-preserving piecewise-cubic Hermite
interpolant (PCHIP, Fritsch & Carlson 1980; ``scipy.interpolate.PchipInterpolator``)
through velocity knots that I choose; ``y(t)`` is its exact antiderivative.  PCHIP is
monotone between knots and puts its derivative to zero at every knot that is a local
extremum of the data, so every local maximum / minimum of ``vy`` is EXACTLY at a knot,
and every knot where ``vy`` passes through 0 (sign change) is an exact strict local
extremum of ``y``.  Phase boundaries are placed on knots, so they are exact.
Horizontal: ``x(t)`` is PCHIP through position knots (most-rearward and most-forward
points are knots, hence exact extrema), held constant before lift-off and after the
catch (except in the jerk / the dumped bar of a miss).

Before lift-off the bar rests on the floor (``vy = 0``) for ``setup_s``; after the
recovery the bar is held still until ``duration``.

Phase definitions used (bar-only versions)
------------------------------------------
The literature defines the pull phases with the knee angle (Enoka 1979; Baumann et
al. 1988; Garhammer 1985; Isaka et al. 1996; Kipp & Harris 2015; Musser et al.
2014): first pull = lift-off to the first maximum knee extension (bar at about knee
height); transition (double knee bend) = to the first maximum knee flexion (power
position); second pull = to maximal extension, where the bar reaches its PEAK
VERTICAL VELOCITY; turnover (unsupported / pull-under) = peak velocity to the catch;
catch = the bar's lowest point after its peak height (the lifter receives the bar and
rides it down - Garhammer); recovery = catch until standing.  Without a knee landmark
the accepted bar-only proxy is the vertical velocity: the end of the first pull is
the FIRST LOCAL MAXIMUM of ``vy`` after lift-off and the transition ends at the
following LOCAL MINIMUM (the velocity dip of the double knee bend).  These generators
implement exactly that proxy:

* ``first_pull``  : ``liftoff_t`` (bar leaves the floor, last instant at rest)
                     -> first local max of ``vy``.
* ``transition``  : -> the local min of ``vy`` (dip).
* ``second_pull`` : -> ``peak_velocity_t`` (global max of ``vy`` in the pull).
* ``turnover``    : -> ``catch_t`` = lowest point of the bar after ``peak_height_t``
                     (strict local minimum of ``y``; for a miss the FIRST such minimum,
                     i.e. where the lifter receives the bar, not the floor).
* ``recovery``    : -> the instant the bar becomes stationary at its final height.
* clean and jerk additionally: ``rack`` (bar held still on the shoulders) ->
  ``jerk_dip`` (bar starts down -> lowest point of the dip, ``vy`` = 0) ->
  ``jerk_drive`` (-> peak upward velocity) -> ``jerk_catch`` (-> the bar's local
  minimum after the jerk's peak height, caught overhead in the split) ->
  ``jerk_recovery`` (-> bar stationary overhead).
* missed snatch: ``first_pull, transition, second_pull, turnover`` as above, then
  ``miss_drop`` from the catch until the bar lands on the floor and stops.

Horizontal displacements (Stone et al. 1998; Hiskia 1997; Musser et al. 2014's
Dx1/Dx2), reported SIGNED in the +x = forward frame:

* ``x1_m`` = x(most rearward point before peak height) - x(lift-off)   (< 0: toward the lifter)
* ``x2_m`` = x(most forward point after that) - x(most rearward point)  (> 0: away)
* ``x3_m`` = x(catch) - x(most forward point)                          (loop back; < 0)
* ``net_x_m`` = x(catch) - x(lift-off) = x1 + x2 + x3.

Trajectory type (Vorobyev's classification as used by Hiskia 1997, Stone et al. 1998,
Musser et al. 2014, Cunanan et al. 2020).  The reference line is the vertical line
through the lift-off position (x = 0).  In every type the bar first moves toward the
lifter (x1 < 0).  With ``x_fwd`` = the most forward x reached after the most-rearward
point and before the catch:

* Type 1: the bar CROSSES the line, i.e. moves in front of it during the second pull
  (``x_fwd > 0``; generated with ``x_fwd = +0.03`` m).
* Type 2: the bar returns TO the line (touches/approaches it) but does not cross
  (``-0.01 <= x_fwd <= 0``; generated with ``x_fwd = -0.004`` m).
* Type 3: the bar never reaches the line; it stays behind it, toward the lifter,
  throughout (``x_fwd < -0.01``; generated with ``x_fwd = -0.035`` m).

All numbers are realistic for a ~1.75 m lifter (Garhammer 1985; Stone et al. 1998;
Cunanan et al. 2020): snatch peak bar velocity ~1.8-1.9 m/s, peak height ~1.1 m,
drop ~0.17 m; clean peak ~0.95 m, catch ~0.77 m; power clean caught above 0.85 m with
a drop < 0.1 m; jerk from the shoulders (~1.43 m), dip ~0.1 m, overhead ~2.0 m.
The truth fields are computed from the exact functions (not the nominal numbers).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
from scipy.interpolate import PchipInterpolator
from scipy.optimize import brentq

__all__ = [
    "PhaseTruth",
    "JerkTruth",
    "AttemptTruth",
    "Trajectory",
    "TrackTruth",
    "FLOOR_BAR_HEIGHT_M",
    "snatch",
    "clean_and_jerk",
    "power_clean",
    "missed_snatch",
    "classify_trajectory",
    "to_track_csv",
]

FLOOR_BAR_HEIGHT_M = 0.225  # bar centre on the floor = radius of a 450 mm plate
RACK_HEIGHT_M = 1.43  # bar on the shoulders (front rack), standing, ~1.75 m lifter
TYPE_TOUCH_TOL_M = 0.01  # |x_fwd| within this (and <= 0) counts as "touches the line"
_TYPE_X_FWD = {1: 0.03, 2: -0.004, 3: -0.035}


@dataclass(frozen=True)
class PhaseTruth:
    name: str
    start_t: float
    end_t: float

    @property
    def duration(self) -> float:
        return self.end_t - self.start_t


@dataclass(frozen=True)
class JerkTruth:
    """Truth of the jerk part of a clean and jerk (heights in m above the floor)."""

    rack_height_m: float
    dip_start_t: float
    dip_bottom_t: float
    dip_depth_m: float
    peak_velocity_t: float
    peak_velocity_m_s: float
    peak_height_t: float
    peak_height_m: float
    catch_t: float
    catch_height_m: float
    drop_m: float
    recovery_end_t: float
    final_height_m: float


@dataclass(frozen=True)
class AttemptTruth:
    """Exact truth for one attempt.

    Times in s, heights in m above the floor, x in m with +x = away from the lifter.
    For a clean and jerk the pull/catch fields describe the CLEAN; ``jerk`` holds the
    jerk.  ``phases`` are contiguous and ordered (each ``end_t`` is the next
    ``start_t``).
    """

    kind: str
    phases: list[PhaseTruth]
    liftoff_t: float
    peak_velocity_t: float
    peak_height_t: float
    catch_t: float
    peak_height_m: float
    catch_height_m: float
    drop_m: float
    peak_velocity_m_s: float
    x1_m: float
    x2_m: float
    x3_m: float
    net_x_m: float
    trajectory_type: int
    missed: bool
    # extras
    liftoff_height_m: float = FLOOR_BAR_HEIGHT_M
    peak_height_rel_m: float = 0.0  # peak height - lift-off height
    end_first_pull_t: float = 0.0
    end_first_pull_velocity_m_s: float = 0.0
    transition_min_velocity_m_s: float = 0.0
    second_pull_start_t: float = 0.0
    rearmost_t: float = 0.0
    forward_t: float = 0.0
    x_forward_m: float = 0.0  # most forward x after the rearmost point (type criterion)
    recovery_end_t: float | None = None
    final_height_m: float | None = None
    landed_t: float | None = None  # missed lifts: the bar is back on the floor, at rest
    landed_height_m: float | None = None
    landed_x_m: float | None = None
    jerk: JerkTruth | None = None
    lifter_faces: str | None = None  # filled in by to_track_csv

    def phase(self, name: str) -> PhaseTruth:
        for p in self.phases:
            if p.name == name:
                return p
        raise KeyError(name)


@dataclass
class Trajectory:
    """Vectorised bar path: ``x(t)``, ``y(t)`` in m, ``vx``/``vy`` in m/s, for t in s.

    Unpacks as ``x, y, attempts, duration = snatch()``.
    """

    name: str
    x: Callable[[np.ndarray], np.ndarray]
    y: Callable[[np.ndarray], np.ndarray]
    vx: Callable[[np.ndarray], np.ndarray]
    vy: Callable[[np.ndarray], np.ndarray]
    attempts: list[AttemptTruth]
    duration: float
    knots_vy: tuple[np.ndarray, np.ndarray] = field(repr=False, default=None)
    knots_x: tuple[np.ndarray, np.ndarray] = field(repr=False, default=None)

    def __iter__(self) -> Iterator:
        return iter((self.x, self.y, self.attempts, self.duration))


# --------------------------------------------------------------------------------------
# building blocks
# --------------------------------------------------------------------------------------


class _Knots:
    """Accumulates (t, value) knots with relative durations."""

    def __init__(self, t0: float, v0: float):
        self.t = [t0]
        self.v = [v0]

    def add(self, dt: float, v: float) -> float:
        self.t.append(round(self.t[-1] + dt, 9))  # knot times are exact decimals
        self.v.append(v)
        return self.t[-1]

    @property
    def now(self) -> float:
        return self.t[-1]


def _vertical(knots: _Knots, y0: float, duration: float):
    t = np.asarray(knots.t, float)
    v = np.asarray(knots.v, float)
    if t[-1] < duration:
        t = np.append(t, duration)
        v = np.append(v, 0.0)
    vpi = PchipInterpolator(t, v, extrapolate=False)
    ypi = vpi.antiderivative()

    def vy(tt):
        tt = np.asarray(tt, float)
        out = vpi(np.clip(tt, t[0], t[-1]))
        return np.where((tt < t[0]) | (tt > t[-1]), 0.0, out)

    def y(tt):
        tt = np.asarray(tt, float)
        return y0 + ypi(np.clip(tt, t[0], t[-1]))

    return y, vy, (t, v)


def _horizontal(tk: list[float], xk: list[float], duration: float):
    t = np.asarray(tk, float)
    xv = np.asarray(xk, float)
    if t[0] > 0:
        t, xv = np.insert(t, 0, 0.0), np.insert(xv, 0, xv[0])
    if t[-1] < duration:
        t, xv = np.append(t, duration), np.append(xv, xv[-1])
    xpi = PchipInterpolator(t, xv, extrapolate=False)
    dpi = xpi.derivative()

    def x(tt):
        return xpi(np.clip(np.asarray(tt, float), t[0], t[-1]))

    def vx(tt):
        tt = np.asarray(tt, float)
        out = dpi(np.clip(tt, t[0], t[-1]))
        return np.where((tt < t[0]) | (tt > t[-1]), 0.0, out)

    return x, vx, (t, xv)


def classify_trajectory(x_fwd_rel_m: float, tol_m: float = TYPE_TOUCH_TOL_M) -> int:
    """Type from the most forward x (relative to lift-off) after the rearmost point."""
    if x_fwd_rel_m > 0.0:
        return 1
    if x_fwd_rel_m >= -tol_m:
        return 2
    return 3


def _f(fn, t) -> float:
    return float(np.asarray(fn(np.asarray([t])))[0])


@dataclass
class _Pull:
    """Nominal parameters of a pull from the floor (snatch or clean)."""

    setup_s: float = 0.6
    first_pull_s: float = 0.50
    v_first: float = 1.30  # vy at the end of the first pull (first local max)
    transition_s: float = 0.12
    v_dip: float = 1.12  # vy at the end of the transition (local min)
    second_pull_s: float = 0.17
    v_peak: float = 1.85
    rise_s: float = 0.16  # peak velocity -> peak height
    fall_s: float = 0.18  # peak height -> catch
    v_fall: float = -1.80  # most negative vy while the lifter rides the bar down
    bounce_v: float = 0.25  # small rebound velocity just after the catch
    recovery_s: float = 1.3
    final_height: float = 2.0  # standing height of the bar after the recovery (solved for)
    x_rear: float = -0.06
    x_fwd: float = 0.03
    x_catch: float = -0.03


def _pull(knots: _Knots, p: _Pull) -> dict:
    """Append the pull + turnover knots; return the key times."""
    tl = knots.now
    tf = knots.add(p.first_pull_s, p.v_first)
    tt = knots.add(p.transition_s, p.v_dip)
    tp = knots.add(p.second_pull_s, p.v_peak)
    th = knots.add(p.rise_s, 0.0)
    knots.add(p.fall_s / 2, p.v_fall)
    tc = knots.add(p.fall_s / 2, 0.0)
    return dict(liftoff=tl, end_first=tf, end_transition=tt, peak_v=tp, peak_h=th, catch=tc)


def _recovery(knots: _Knots, p: _Pull, v_rec: float) -> float:
    knots.add(0.18 * p.recovery_s, p.bounce_v)  # out of the hole
    knots.add(0.45 * p.recovery_s, v_rec)
    return knots.add(0.37 * p.recovery_s, 0.0)


def _solve(build: Callable[[float], tuple], target_y: float, lo: float, hi: float) -> float:
    """Find the knot value ``v`` for which ``y(t_end) == target_y``; ``build(v)``
    returns ``(knots, t_end)``.  y(t_end) increases monotonically with ``v``."""

    def err(v: float) -> float:
        kn, t_end = build(v)
        yfun, _, _ = _vertical(kn, FLOOR_BAR_HEIGHT_M, t_end + 1.0)
        return _f(yfun, t_end) - target_y

    return brentq(err, lo, hi, xtol=1e-13)


def _lift_with_recovery(p: _Pull):
    def build(v_rec: float):
        kn = _Knots(0.0, 0.0)
        kn.add(p.setup_s, 0.0)
        k = _pull(kn, p)
        t_rec = _recovery(kn, p, v_rec)
        return kn, t_rec, k

    v_rec = _solve(lambda v: build(v)[:2], p.final_height, 0.0, 10.0)
    return build(v_rec)


def _attempt(kind: str, k: dict, p: _Pull, y, vy, x, extra_phases: list[PhaseTruth],
             recovery_end: float | None, missed: bool, **extras) -> AttemptTruth:
    phases = [
        PhaseTruth("first_pull", k["liftoff"], k["end_first"]),
        PhaseTruth("transition", k["end_first"], k["end_transition"]),
        PhaseTruth("second_pull", k["end_transition"], k["peak_v"]),
        PhaseTruth("turnover", k["peak_v"], k["catch"]),
    ] + extra_phases
    y_lo = _f(y, k["liftoff"])
    y_ph = _f(y, k["peak_h"])
    y_c = _f(y, k["catch"])
    x0 = _f(x, k["liftoff"])
    xr = _f(x, k["rear"])
    xf = _f(x, k["fwd"])
    xc = _f(x, k["catch"])
    return AttemptTruth(
        kind=kind, phases=phases, liftoff_t=k["liftoff"], peak_velocity_t=k["peak_v"],
        peak_height_t=k["peak_h"], catch_t=k["catch"], peak_height_m=y_ph,
        catch_height_m=y_c, drop_m=y_ph - y_c, peak_velocity_m_s=_f(vy, k["peak_v"]),
        x1_m=xr - x0, x2_m=xf - xr, x3_m=xc - xf, net_x_m=xc - x0,
        trajectory_type=classify_trajectory(xf - x0), missed=missed,
        liftoff_height_m=y_lo, peak_height_rel_m=y_ph - y_lo,
        end_first_pull_t=k["end_first"], end_first_pull_velocity_m_s=_f(vy, k["end_first"]),
        transition_min_velocity_m_s=_f(vy, k["end_transition"]),
        second_pull_start_t=k["end_transition"], rearmost_t=k["rear"], forward_t=k["fwd"],
        x_forward_m=xf - x0, recovery_end_t=recovery_end,
        final_height_m=None if recovery_end is None else _f(y, recovery_end), **extras)


def _x_knots(k: dict, p: _Pull) -> tuple[list[float], list[float]]:
    """Rearmost point at the end of the transition (power position), most forward point
    halfway between peak velocity and peak height, then back to the catch."""
    k["rear"] = k["end_transition"]
    k["fwd"] = 0.5 * (k["peak_v"] + k["peak_h"])
    return ([k["liftoff"], k["rear"], k["fwd"], k["catch"]], [0.0, p.x_rear, p.x_fwd, p.x_catch])


def _type_params(p: _Pull, trajectory_type: int) -> _Pull:
    if trajectory_type not in _TYPE_X_FWD:
        raise ValueError("trajectory_type must be 1, 2 or 3")
    p.x_fwd = _TYPE_X_FWD[trajectory_type]
    if trajectory_type == 3:
        p.x_rear = min(p.x_rear, -0.07)
    p.x_catch = min(p.x_catch, p.x_fwd - 0.03)
    return p


# --------------------------------------------------------------------------------------
# the lifts
# --------------------------------------------------------------------------------------


def snatch(trajectory_type: int = 1, *, hold_s: float = 1.0, **params) -> Trajectory:
    """Successful squat snatch.  ``params`` override :class:`_Pull` fields (durations
    in s, knot velocities in m/s, x knots in m).  Defaults: lift-off at 0.6 s,
    first pull 0.50 s, transition 0.12 s, second pull 0.17 s, turnover 0.34 s,
    peak vy 1.85 m/s, standing overhead at ``final_height`` = 2.0 m (solved for)."""
    p = _type_params(_Pull(**params), trajectory_type)
    kn, t_rec, k = _lift_with_recovery(p)
    duration = t_rec + hold_s
    y, vy, kv = _vertical(kn, FLOOR_BAR_HEIGHT_M, duration)
    tx, xx = _x_knots(k, p)
    x, vx, kx = _horizontal(tx, xx, duration)
    a = _attempt("snatch", k, p, y, vy, x, [PhaseTruth("recovery", k["catch"], t_rec)],
                 t_rec, False)
    return Trajectory("snatch", x, y, vx, vy, [a], duration, kv, kx)


def power_clean(trajectory_type: int = 1, *, hold_s: float = 1.0, **params) -> Trajectory:
    """Power clean: caught high (quarter squat, catch > 0.85 m, drop < 0.1 m)."""
    base = dict(v_first=1.20, v_dip=1.05, v_peak=1.70, rise_s=0.15, fall_s=0.14,
                v_fall=-0.55, bounce_v=0.12, recovery_s=0.8, final_height=RACK_HEIGHT_M,
                second_pull_s=0.16)
    base.update(params)
    p = _type_params(_Pull(**base), trajectory_type)
    kn, t_rec, k = _lift_with_recovery(p)
    duration = t_rec + hold_s
    y, vy, kv = _vertical(kn, FLOOR_BAR_HEIGHT_M, duration)
    tx, xx = _x_knots(k, p)
    x, vx, kx = _horizontal(tx, xx, duration)
    a = _attempt("power_clean", k, p, y, vy, x, [PhaseTruth("recovery", k["catch"], t_rec)],
                 t_rec, False)
    return Trajectory("power_clean", x, y, vx, vy, [a], duration, kv, kx)


def clean_and_jerk(trajectory_type: int = 1, *, rack_s: float = 1.2, hold_s: float = 1.0,
                   dip_s: float = 0.26, v_dip_down: float = -0.75, drive_s: float = 0.20,
                   v_drive: float = 1.70, jerk_rise_s: float = 0.33, jerk_fall_s: float = 0.14,
                   v_jerk_fall: float = -0.45, jerk_recovery_s: float = 1.0,
                   overhead_height_m: float = 2.0, **params) -> Trajectory:
    """Squat clean then split jerk, ONE attempt (clean phases then ``rack`` and the
    jerk phases).  Clean: peak ~0.95 m, catch ~0.77 m, standing rack 1.43 m (solved).
    Jerk: dip ~0.10 m, drive to 1.7 m/s, peak ~1.85 m, caught ~1.82 m in the split,
    recovered overhead to ``overhead_height_m`` (2.0 m, solved for)."""
    base = dict(v_first=1.10, v_dip=0.95, v_peak=1.55, rise_s=0.15, fall_s=0.20,
                v_fall=-1.85, bounce_v=0.3, recovery_s=1.5, final_height=RACK_HEIGHT_M,
                second_pull_s=0.17)
    base.update(params)
    p = _type_params(_Pull(**base), trajectory_type)
    kn0, t_rec, k = _lift_with_recovery(p)

    def build(v_jrec: float):
        kn = _Knots(0.0, 0.0)
        kn.t, kn.v = list(kn0.t), list(kn0.v)
        times = [kn.add(rack_s, 0.0)]
        kn.add(dip_s / 2, v_dip_down)
        times.append(kn.add(dip_s / 2, 0.0))
        times.append(kn.add(drive_s, v_drive))
        times.append(kn.add(jerk_rise_s, 0.0))
        kn.add(jerk_fall_s / 2, v_jerk_fall)
        times.append(kn.add(jerk_fall_s / 2, 0.0))
        kn.add(0.5 * jerk_recovery_s, v_jrec)
        times.append(kn.add(0.5 * jerk_recovery_s, 0.0))
        return kn, times

    v_jerk_recovery = _solve(lambda v: (lambda r: (r[0], r[1][-1]))(build(v)),
                             overhead_height_m, 0.0, 10.0)
    kn, (t_dip0, t_dipb, t_jpv, t_jph, t_jc, t_jr) = build(v_jerk_recovery)
    duration = t_jr + hold_s
    y, vy, kv = _vertical(kn, FLOOR_BAR_HEIGHT_M, duration)
    tx, xx = _x_knots(k, p)
    # jerk: almost vertical; slightly forward at its peak, caught a little behind
    tx += [t_dip0, t_jph, t_jc]
    xx += [p.x_catch, p.x_catch + 0.01, p.x_catch - 0.02]
    x, vx, kx = _horizontal(tx, xx, duration)
    yj = {t: _f(y, t) for t in (t_dip0, t_dipb, t_jph, t_jc, t_jr)}
    jerk = JerkTruth(
        rack_height_m=yj[t_dip0], dip_start_t=t_dip0, dip_bottom_t=t_dipb,
        dip_depth_m=yj[t_dip0] - yj[t_dipb], peak_velocity_t=t_jpv,
        peak_velocity_m_s=_f(vy, t_jpv), peak_height_t=t_jph, peak_height_m=yj[t_jph],
        catch_t=t_jc, catch_height_m=yj[t_jc], drop_m=yj[t_jph] - yj[t_jc],
        recovery_end_t=t_jr, final_height_m=yj[t_jr])
    extra = [PhaseTruth("recovery", k["catch"], t_rec), PhaseTruth("rack", t_rec, t_dip0),
             PhaseTruth("jerk_dip", t_dip0, t_dipb), PhaseTruth("jerk_drive", t_dipb, t_jpv),
             PhaseTruth("jerk_catch", t_jpv, t_jc), PhaseTruth("jerk_recovery", t_jc, t_jr)]
    a = _attempt("clean_and_jerk", k, p, y, vy, x, extra, t_jr, False, jerk=jerk)
    return Trajectory("clean_and_jerk", x, y, vx, vy, [a], duration, kv, kx)


def missed_snatch(trajectory_type: int = 1, *, hold_s: float = 0.8, unstable_s: float = 0.5,
                  fall_s: float = 0.42, dump_x_m: float = 0.30, **params) -> Trajectory:
    """A snatch that is received (catch = first local minimum after the peak height),
    held unstably for ``unstable_s`` and then dumped: the bar falls forward by
    ``dump_x_m`` and lands on the floor (y = 0.225 m exactly, solved for) where it
    stays.  ``missed=True``; phases end with ``miss_drop`` (catch -> landed at rest)."""
    base = dict(v_peak=1.78)
    base.update(params)
    p = _type_params(_Pull(**base), trajectory_type)

    def build(v_fall_dump: float):
        kn = _Knots(0.0, 0.0)
        kn.add(p.setup_s, 0.0)
        k = _pull(kn, p)
        kn.add(0.25 * unstable_s, 0.12)  # slight rebound: the catch is a strict minimum
        t_u = kn.add(0.75 * unstable_s, 0.0)
        kn.add(fall_s - 0.06, v_fall_dump)  # accelerating fall
        t_land = kn.add(0.06, 0.0)  # bumpers stop it quickly
        return kn, k, t_u, t_land

    vf = _solve(lambda v: (lambda r: (r[0], r[3]))(build(v)), FLOOR_BAR_HEIGHT_M, -12.0, -0.5)
    kn, k, t_u, t_land = build(vf)
    duration = t_land + hold_s
    y, vy, kv = _vertical(kn, FLOOR_BAR_HEIGHT_M, duration)
    tx, xx = _x_knots(k, p)
    tx += [t_u, t_land]
    xx += [p.x_catch, p.x_catch + dump_x_m]
    x, vx, kx = _horizontal(tx, xx, duration)
    a = _attempt("snatch", k, p, y, vy, x, [PhaseTruth("miss_drop", k["catch"], t_land)],
                 None, True, landed_t=t_land, landed_height_m=_f(y, t_land),
                 landed_x_m=_f(x, t_land))
    return Trajectory("missed_snatch", x, y, vx, vy, [a], duration, kv, kx)


# --------------------------------------------------------------------------------------
# CSV export
# --------------------------------------------------------------------------------------


@dataclass
class TrackTruth:
    """What :func:`to_track_csv` wrote, with the truth needed to check an analysis.

    ``forward_sign_px`` is +1 when +x (away from the lifter) is +x_px (lifter faces
    right); ``toward_lifter_sign_px = -forward_sign_px`` is the image-x direction that
    points toward the lifter.  ``x_px``/``y_px`` are the noise-free values.
    """

    path: Path
    fps: float
    m_per_px: float
    origin_px: tuple[float, float]
    lifter_faces: str
    forward_sign_px: int
    toward_lifter_sign_px: int
    t_s: np.ndarray
    x_px: np.ndarray
    y_px: np.ndarray
    attempts: list[AttemptTruth]

    def frame_of(self, t: float) -> float:
        """Fractional frame index of time ``t`` (frame i is at t = i / fps)."""
        return t * self.fps


def to_track_csv(traj: Trajectory, path: str | Path, fps: float = 30.0, m_per_px: float = 0.002,
                 origin_px: tuple[float, float] = (640.0, 700.0), lifter_faces: str = "right",
                 noise_px: float = 0.0, seed: int = 0) -> TrackTruth:
    """Sample ``traj`` at ``fps`` (frames ``0 .. floor(duration*fps)``, ``t = i/fps``)
    and write a ``liftlens-track v1`` CSV::

        # liftlens-track v1
        # m_per_px=0.002
        frame,t_s,x_px,y_px,confidence,state
        0,0.0,883.4782,457.3627,1.0,tracked

    ``origin_px`` is the image position of the world origin (x = 0 at lift-off,
    y = 0 on the floor).  ``y_px = oy - y/m_per_px`` (image y grows down);
    ``x_px = ox + s * x/m_per_px`` with ``s = +1`` if ``lifter_faces == 'right'``
    (the lifter's front, +x, is image right) and ``-1`` for ``'left'``.
    ``noise_px`` adds Gaussian noise (std, px) to both coordinates.
    """
    if lifter_faces not in ("right", "left"):
        raise ValueError("lifter_faces must be 'right' or 'left'")
    sign = 1 if lifter_faces == "right" else -1
    n = int(math.floor(traj.duration * fps + 1e-9)) + 1
    frames = np.arange(n)
    t = frames / float(fps)
    ox, oy = origin_px
    x_px = ox + sign * traj.x(t) / m_per_px
    y_px = oy - traj.y(t) / m_per_px
    xn, yn = x_px, y_px
    if noise_px > 0:
        rng = np.random.default_rng(seed)
        xn = x_px + rng.normal(0, noise_px, n)
        yn = y_px + rng.normal(0, noise_px, n)
    path = Path(path)
    with path.open("w", newline="") as fh:
        fh.write("# liftlens-track v1\n")
        fh.write(f"# m_per_px={float(m_per_px)!r}\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["frame", "t_s", "x_px", "y_px", "confidence", "state"])
        for i in range(n):
            w.writerow([i, repr(round(float(t[i]), 6)), f"{xn[i]:.4f}", f"{yn[i]:.4f}", "1.0",
                        "tracked"])
    from dataclasses import replace

    attempts = [replace(a, lifter_faces=lifter_faces) for a in traj.attempts]
    return TrackTruth(path, float(fps), float(m_per_px), (float(ox), float(oy)), lifter_faces,
                      sign, -sign, t, x_px, y_px, attempts)
