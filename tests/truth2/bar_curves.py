"""Building blocks of the generated bar paths (:mod:`tests.truth2.weightlifting_truth`):
velocity knots, their PCHIP curves (Fritsch & Carlson 1980) and exact antiderivative, the
pull and the recovery, and the truth of one attempt read from the exact functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.interpolate import PchipInterpolator
from scipy.optimize import brentq

from tests.truth2.lift_records import (
    _TYPE_X_FWD,
    FLOOR_BAR_HEIGHT_M,
    AttemptTruth,
    PhaseTruth,
    classify_trajectory,
)

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
