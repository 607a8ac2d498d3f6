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

from tests.truth2.bar_curves import (
    _attempt,
    _f,
    _horizontal,
    _Knots,
    _lift_with_recovery,
    _Pull,
    _pull,
    _solve,
    _type_params,
    _vertical,
    _x_knots,
)
from tests.truth2.lift_records import (
    FLOOR_BAR_HEIGHT_M,
    RACK_HEIGHT_M,
    AttemptTruth,
    JerkTruth,
    PhaseTruth,
    Trajectory,
    classify_trajectory,
)
from tests.truth2.track_export import TrackTruth, to_track_csv

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
