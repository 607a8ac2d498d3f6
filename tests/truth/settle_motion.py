"""Small bar motions that belong to no rep (:mod:`tests.truth.settle_truth`): the unrack
settle, walkout steps, a bracing breath and a standing sway, each as an exact closed-form
height ``y(t)`` with exact velocity and acceleration, at rest (``v = a = 0``) and back at
its rest height at both ends, so it chains C2 with the rests and moves of
:mod:`tests.truth.lift_shapes`.

Building blocks (``x`` normalised time, all closed form):

* **bump** ``b(x) = cos^4(pi x / 2)`` on ``|x| < 1``, 0 outside: peak 1 at ``x = 0``;
  value, slope and curvature are 0 at ``|x| = 1`` (it is C3 there);
* **C2 window** ``W(t)`` on ``[ta, tb]`` with ramps of length ``r``: the cycloidal step
  ``S(x) = x - sin(2 pi x) / (2 pi)`` (``S(0) = 0``, ``S(1) = 1``, ``S' = S'' = 0`` at both
  ends) rising over ``[ta, ta + r]``, 1 in between, ``S((tb - t)/r)`` falling at the end.
  A smooth function times ``W`` has value, slope and curvature 0 at ``ta`` and ``tb``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

#: ``tau -> (y, v, a)`` of a motion of unit size on ``[0, duration]`` (tau in s).
Kin = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]

KINDS = ("unrack_settle", "walkout", "brace", "sway")

#: Stated bounds of each kind (m): unrack and sway by peak to peak, walkout by the depth
#: of every bob, brace by its dip depth.
SIZE_BOUNDS_M: dict[str, tuple[float, float]] = {
    "unrack_settle": (0.020, 0.030),
    "walkout": (0.010, 0.020),
    "brace": (0.010, 0.020),
    "sway": (0.002, 0.008),
}

#: Unrack wobble frequency range (Hz): a loaded bar's vertical wobble on the back or in
#: the hands is a few hertz (a half-wave of 1.5 cm at 3.5 Hz peaks at ~0.75 g).
UNRACK_HZ = (1.5, 3.5)


@dataclass(frozen=True)
class Motion:
    """One non-rep motion at the top (a spec; see the constructors below).

    kind           a key of ``KINDS``
    duration_s     its length (s), from leaving rest to being at rest again
    size_m         unrack / sway: peak to peak (m); walkout: depth of each bob;
                   brace: depth of the dip
    gap_before_s   still time at the rest height before it (s)
    count          unrack: oscillations in ``duration_s``; walkout: steps; sway: sines
    half_s         walkout: half-width of each bob (s)
    rebound        walkout: rebound above rest after each bob, as a fraction of its depth;
                   unrack: amplitude ratio of successive half-waves (< 0: first one down)
    seed           sway: draws its frequencies, amplitudes and phases
    """

    kind: str
    duration_s: float
    size_m: float
    gap_before_s: float = 0.0
    count: int = 1
    half_s: float = 0.0
    rebound: float = 0.0
    seed: int = 0

    def period_s(self) -> float:
        """walkout: time between bob centres (s)."""
        if self.count < 2:
            return 0.0
        return (self.duration_s - 3.0 * self.half_s) / (self.count - 1)


def unrack_settle(duration_s: float = 0.6, p2p_m: float = 0.025, oscillations: int = 1,
                  decay: float = 0.6, first_up: bool = True,
                  gap_before_s: float = 0.0) -> Motion:
    """Damped wobble after the bar is lifted out: ``2 * oscillations`` alternating
    half-waves (bumps of half-width ``h = duration_s / (2 oscillations + 1)``, ``h``
    apart, so ``1 / (2 h)`` Hz), each ``decay`` times the previous, the first one up
    (``first_up``) or down; peak to peak exactly ``p2p_m``."""
    return Motion("unrack_settle", duration_s, p2p_m, gap_before_s, int(oscillations),
                  rebound=decay if first_up else -decay)


def walkout(steps: int = 3, period_s: float = 0.65, depth_m: float = 0.015,
            half_s: float = 0.2, rebound: float = 0.25, gap_before_s: float = 0.0) -> Motion:
    """``steps`` bobs ``period_s`` apart: each a dip of ``depth_m`` (a bump of half-width
    ``half_s``) and a rebound of ``rebound * depth_m`` (a bump of the same half-width
    centred ``half_s`` after the dip); ``period_s >= 2 half_s``."""
    dur = (steps - 1) * period_s + 3.0 * half_s
    return Motion("walkout", dur, depth_m, gap_before_s, steps, half_s, rebound)


def brace(duration_s: float = 0.8, depth_m: float = 0.015,
          gap_before_s: float = 0.0) -> Motion:
    """Bracing breath: one dip of ``depth_m`` (a bump of half-width ``duration_s / 2``)
    and back; it ends rising, so a descent may start right after it."""
    return Motion("brace", duration_s, depth_m, gap_before_s)


def sway(duration_s: float = 2.0, p2p_m: float = 0.004, seed: int = 0, sines: int = 3,
         gap_before_s: float = 0.0) -> Motion:
    """Standing sway: ``sines`` sines of 0.3-1.2 Hz (seeded), windowed, peak to peak
    exactly ``p2p_m``."""
    return Motion("sway", duration_s, p2p_m, gap_before_s, sines, seed=seed)


# ---------------------------------------------------------------------------------------
# Closed-form pieces
# ---------------------------------------------------------------------------------------

def bump(tau: np.ndarray, c: float, h: float):
    """``(b, b', b'')`` of ``cos^4(pi (tau - c) / (2 h))`` on ``|tau - c| < h`` (per s)."""
    k = math.pi / (2 * h)
    th = k * (tau - c)
    m = np.abs(tau - c) < h
    cs, sn = np.cos(th), np.sin(th)
    y = np.where(m, cs ** 4, 0.0)
    v = np.where(m, -4 * k * cs ** 3 * sn, 0.0)
    a = np.where(m, 4 * k * k * cs ** 2 * (3 * sn ** 2 - cs ** 2), 0.0)
    return y, v, a


def _step(x: np.ndarray):
    """Cycloidal step ``S``, ``S'``, ``S''`` on ``x`` in [0, 1] (derivatives per unit x)."""
    w = 2 * math.pi * x
    return x - np.sin(w) / (2 * math.pi), 1 - np.cos(w), 2 * math.pi * np.sin(w)


def window(tau: np.ndarray, length: float, r_in: float, r_out: float):
    """``(W, W', W'')`` of the C2 window on ``[0, length]`` (ramps ``r_in``, ``r_out``)."""
    if r_in + r_out > length + 1e-12:
        raise ValueError("window ramps longer than the window")
    w = np.ones_like(tau)
    d1 = np.zeros_like(tau)
    d2 = np.zeros_like(tau)
    m = tau < r_in
    s, s1, s2 = _step(np.clip(tau[m] / r_in, 0, 1))
    w[m], d1[m], d2[m] = s, s1 / r_in, s2 / r_in ** 2
    m = tau > length - r_out
    s, s1, s2 = _step(np.clip((length - tau[m]) / r_out, 0, 1))
    w[m], d1[m], d2[m] = s, -s1 / r_out, s2 / r_out ** 2
    outside = (tau <= 0) | (tau >= length)
    w[outside] = d1[outside] = d2[outside] = 0.0
    return w, d1, d2


def _windowed(g, tau: np.ndarray, length: float, r_in: float, r_out: float):
    """``W * g`` and its first two derivatives (product rule)."""
    w, w1, w2 = window(tau, length, r_in, r_out)
    y, v, a = g(tau)
    return w * y, w1 * y + w * v, w2 * y + 2 * w1 * v + w * a


def _unrack_unit(m: Motion) -> Kin:
    """Alternating bumps ``(-q)^k b((tau - (k+1) h) / h)``, ``k < 2 count``, ``q`` = decay."""
    n = 2 * m.count
    h = m.duration_s / (n + 1)
    q = abs(m.rebound)
    s0 = 1.0 if m.rebound >= 0 else -1.0

    def k(tau):
        y = np.zeros_like(tau)
        v = np.zeros_like(tau)
        a = np.zeros_like(tau)
        for i in range(n):
            w = s0 * (-q) ** i
            by, bv, ba = bump(tau, (i + 1) * h, h)
            y += w * by
            v += w * bv
            a += w * ba
        return y, v, a
    return k


def _sway_unit(m: Motion) -> Kin:
    """Windowed sum of ``count`` seeded sines (0.3-1.2 Hz), ramps ``min(0.4, dur / 4)``."""
    rng = np.random.default_rng(m.seed)
    fr = rng.uniform(0.3, 1.2, m.count)
    amp = rng.uniform(0.4, 1.0, m.count)
    ph = rng.uniform(0, 2 * math.pi, m.count)
    r = min(0.4, m.duration_s / 4)

    def g(tau):
        y = np.zeros_like(tau)
        v = np.zeros_like(tau)
        a = np.zeros_like(tau)
        for fk, ak, pk in zip(fr, amp, ph):
            om = 2 * math.pi * fk
            y += ak * np.sin(om * tau + pk)
            v += ak * om * np.cos(om * tau + pk)
            a -= ak * om * om * np.sin(om * tau + pk)
        return y, v, a
    return lambda tau: _windowed(g, tau, m.duration_s, r, r)


def _walkout_kin(m: Motion) -> Kin:
    """Bobs of depth ``size_m`` (exact, no scaling needed)."""
    h, p = m.half_s, m.period_s()

    def k(tau):
        y = np.zeros_like(tau)
        v = np.zeros_like(tau)
        a = np.zeros_like(tau)
        for i in range(m.count):
            c = h + i * p
            for sgn, cc, hh in ((-1.0, c, h), (m.rebound, c + h, h)):
                by, bv, ba = bump(tau, cc, hh)
                y += sgn * m.size_m * by
                v += sgn * m.size_m * bv
                a += sgn * m.size_m * ba
        return y, v, a
    return k


def _brace_kin(m: Motion) -> Kin:
    h = m.duration_s / 2

    def k(tau):
        y, v, a = bump(tau, h, h)
        return -m.size_m * y, -m.size_m * v, -m.size_m * a
    return k


def extremes(kin: Kin, duration_s: float) -> tuple[float, float]:
    """(min, max) of ``kin``'s height over ``[0, duration_s]``: a grid of <= 50 us, then
    bounded refinement around the grid extremes (error << 1e-9 m)."""
    from scipy.optimize import minimize_scalar
    n = max(20001, int(duration_s / 5e-5) + 1)
    tau = np.linspace(0.0, duration_s, n)
    y = kin(tau)[0]
    dt = tau[1] - tau[0]
    out = []
    for sign, k in ((1.0, int(np.argmin(y))), (-1.0, int(np.argmax(y)))):
        lo, hi = max(0.0, tau[k] - dt), min(duration_s, tau[k] + dt)
        res = minimize_scalar(lambda x: sign * float(kin(np.array([x]))[0][0]),
                              bounds=(lo, hi), method="bounded", options={"xatol": 1e-12})
        out.append(min(sign * y[k], float(res.fun)) * sign)
    return out[0], out[1]


def motion_kin(m: Motion) -> Kin:
    """``tau -> (y, v, a)`` of motion ``m`` (m, m/s, m/s^2; relative to its rest height),
    at its stated size: unrack and sway scaled so the peak to peak is ``size_m``."""
    if m.kind not in KINDS:
        raise ValueError(f"unknown motion kind {m.kind!r}")
    if m.duration_s <= 0 or m.size_m <= 0 or m.gap_before_s < 0:
        raise ValueError("a motion needs a positive duration and size")
    if m.kind == "walkout":
        if m.count < 1 or m.half_s <= 0 or (m.count > 1 and m.period_s() < 2 * m.half_s):
            raise ValueError("walkout bobs overlap: period_s must be >= 2 half_s")
        return _walkout_kin(m)
    if m.kind == "brace":
        return _brace_kin(m)
    if m.kind == "unrack_settle" and (m.count < 1 or not 0 < abs(m.rebound) <= 1):
        raise ValueError("an unrack settle needs >= 1 oscillation and 0 < |decay| <= 1")
    unit = _unrack_unit(m) if m.kind == "unrack_settle" else _sway_unit(m)
    lo, hi = extremes(unit, m.duration_s)
    s = m.size_m / (hi - lo)

    def scaled(tau):
        y, v, a = unit(tau)
        return s * y, s * v, s * a
    return scaled


@dataclass(frozen=True)
class SettleSeg:
    """A motion placed at ``[t0, t1]`` around rest height ``y0``; ``eval`` like
    :class:`tests.truth.lift_shapes._Seg` (no ``blocks``: it is not a move of a rep)."""

    t0: float
    t1: float
    y0: float
    kin: Kin
    kind: str
    dy: float = 0.0
    blocks: tuple = ()

    def eval(self, t: np.ndarray):
        tau = np.clip(np.asarray(t, dtype=float) - self.t0, 0.0, self.t1 - self.t0)
        y, v, a = self.kin(tau)
        return self.y0 + y, v, a


# ---------------------------------------------------------------------------------------
# Seeded motions
# ---------------------------------------------------------------------------------------

def _u(rng, lo: float, hi: float) -> float:
    return round(float(rng.uniform(lo, hi)), 3)


def random_motion(kind: str, rng: np.random.Generator, gap_before_s: float = 0.0,
                  max_s: float = 10.0) -> Motion:
    """A motion of ``kind`` with size, duration and rhythm drawn inside the stated bounds
    (a brace or sway no longer than ``max_s``, at least 0.5 s)."""
    lo, hi = SIZE_BOUNDS_M[kind]
    size = _u(rng, lo, hi)
    if kind == "unrack_settle":
        n = int(rng.integers(1, 4))
        dmin = max(0.3, (2 * n + 1) / (2 * UNRACK_HZ[1]))
        dmax = min(1.0, (2 * n + 1) / (2 * UNRACK_HZ[0]))
        return unrack_settle(_u(rng, dmin, dmax), size, n, _u(rng, 0.45, 0.75),
                             bool(rng.uniform() < 0.6), gap_before_s)
    if kind == "walkout":
        period = _u(rng, 0.55, 0.8)
        return walkout(int(rng.integers(2, 4)), period, size,
                       _u(rng, 0.2, min(0.3, period / 2)), _u(rng, 0.1, 0.35), gap_before_s)
    if kind == "brace":
        return brace(_u(rng, 0.5, max(0.5, min(1.0, max_s))), size, gap_before_s)
    return sway(_u(rng, max(0.5, min(1.0, 0.6 * max_s)), max(0.5, min(3.0, max_s))), size,
                int(rng.integers(0, 2 ** 31)), int(rng.integers(2, 4)), gap_before_s)


def random_lead(lift: str, seed: int) -> tuple[tuple[Motion, ...], float]:
    """Seeded motions before rep 1 and the still time before the descent (s).

    squat: unrack settle, walkout, maybe a sway, then mostly a brace (order varied);
    bench: unrack settle, maybe a sway, a brace. Still gaps of 0-0.5 s between them;
    0.25-0.8 s still before the descent unless the last motion is a brace (then 0-0.5 s,
    sometimes exactly 0: the descent starts as the brace ends)."""
    rng = np.random.default_rng(seed)
    kinds = ["unrack_settle"]
    if lift == "squat":
        kinds.append("walkout")
    if rng.uniform() < 0.6:
        kinds.insert(int(rng.integers(1, len(kinds) + 1)), "sway")
    if rng.uniform() < 0.85:
        kinds.append("brace")
    if rng.uniform() < 0.25 and len(kinds) > 2:
        i = int(rng.integers(1, len(kinds) - 1))
        kinds[i], kinds[i + 1] = kinds[i + 1], kinds[i]
    motions = tuple(random_motion(k, rng, _u(rng, 0.3, 1.0) if i == 0 else _u(rng, 0.0, 0.5))
                    for i, k in enumerate(kinds))
    if kinds[-1] == "brace":
        still = 0.0 if rng.uniform() < 0.35 else _u(rng, 0.1, 0.5)
    else:
        still = _u(rng, 0.25, 0.8)
    return motions, still
