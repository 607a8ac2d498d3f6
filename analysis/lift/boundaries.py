"""Sub-frame arrival at and departure from a rest (an extremum or a hold) of the bar.

One rule for every boundary of every rep
----------------------------------------
A phase boundary is where the bar *arrives at* or *leaves* a level: the bottom
(end of the eccentric, start of the concentric), the top (end of the
concentric, start of the next eccentric) or the level of an isometric hold.
Around such a rest the raw heights ``h(t)`` are fitted, by least squares, with

    h(t) = L + sL * cL * x**pL * (1 + kL * x),  x = tA - t,   for t < tA  (arriving)
    h(t) = L                                     for tA <= t <= tD  (at rest, the pause)
    h(t) = L + sR * cR * x**pR * (1 + kR * x),  x = t - tD,   for t > tD  (leaving)

where ``sL``/``sR`` give the side the bar comes from and goes to (+1 above the
level, -1 below), ``L`` is the rest level and ``tA <= tD`` the arrival and
departure times; ``cL, cR >= 0``, the exponents ``pL, pR`` (1.2 to 5) and the
bends ``kL, kR`` are free, with priors (``P_PRIOR``, ``K_PRIOR_SD``) so that
position noise cannot trade them against the times; the residuals are weighted by
the measured position noise. Only samples near the level (within ``zone``) enter
the fit, so no stroke shape is assumed: a bar that leaves rest with zero acceleration (force built up
isometrically, the usual lift-off) gives ``p`` near 3, one that turns with a
bounce gives ``p`` near 2 and ``tA = tD`` (touch and go, no pause). This is the
position-curve form of the linear-transducer rule (González-Badillo &
Sánchez-Medina 2010): the concentric starts when the bar leaves its lowest
point and ends when it reaches its highest point; the fit places both between
frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

P_MIN, P_MAX = 1.2, 5.0


@dataclass(frozen=True)
class RestFit:
    """Arrival ``arrive`` and departure ``leave`` (s) at a rest at height ``level``.

    ``ok`` is False when the fit could not be made (too few samples); the times
    are then the rough, frame-resolution ones.
    """

    arrive: float
    leave: float
    level: float
    ok: bool


def _side(p: np.ndarray, t: np.ndarray, s: float, left: bool) -> np.ndarray:
    """Level plus one power-law side: ``p = (L, t0, c, pw, k)``."""
    L, t0, c, pw, k = p
    x = np.clip(t0 - t if left else t - t0, 0.0, None)
    return L + s * c * x ** pw * (1.0 + k * x)


def _side_jac(t0: float, c: float, pw: float, k: float, t: np.ndarray, s: float,
              left: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Derivatives of one side's term ``s*c*x**pw*(1+k*x)`` with respect to
    (t0, c, pw, k); zero where the side has not started (``x = 0``)."""
    x = np.clip(t0 - t if left else t - t0, 0.0, None)
    on = x > 0.0
    xs = np.where(on, x, 1.0)
    xp = np.where(on, xs ** pw, 0.0)
    dfdx = np.where(on, s * c * (pw * xs ** (pw - 1.0) * (1.0 + k * x) + k * xp), 0.0)
    d_t0 = dfdx if left else -dfdx
    d_c = s * xp * (1.0 + k * x)
    d_pw = np.where(on, s * c * xp * np.log(xs) * (1.0 + k * x), 0.0)
    d_k = s * c * xp * x
    return d_t0, d_c, d_pw, d_k


def _model_jac(p: np.ndarray, t: np.ndarray, sL: float, sR: float) -> np.ndarray:
    """Exact Jacobian of :func:`_model`, shape ``(len(t), 9)`` (same order as ``p``)."""
    L, tA, w, cL, cR, pL, pR, kL, kR = p
    J = np.zeros((len(t), 9))
    J[:, 0] = 1.0
    a_t, J[:, 3], J[:, 5], J[:, 7] = _side_jac(tA, cL, pL, kL, t, sL, True)
    d_t, J[:, 4], J[:, 6], J[:, 8] = _side_jac(tA + w, cR, pR, kR, t, sR, False)
    J[:, 1] = a_t + d_t
    J[:, 2] = d_t
    return J


def _model(p: np.ndarray, t: np.ndarray, sL: float, sR: float) -> np.ndarray:
    L, tA, w, cL, cR, pL, pR, kL, kR = p
    return (_side(np.array([L, tA, cL, pL, kL]), t, sL, True)
            + _side(np.array([0.0, tA + w, cR, pR, kR]), t, sR, False))


#: Prior on the exponents: a bar leaving or reaching rest with zero acceleration
#: (the force on it changes continuously, so its acceleration starts from zero) moves
#: as the cube of time (p = 3); a bounce with a finite acceleration at the turn as its
#: square. The prior only matters when position noise hides the first millimetres of
#: movement: there a free exponent trades off against the departure time and, with
#: 1 mm of noise, shortened 30 fps speed reps by a few hundredths of a second.
P_PRIOR, P_PRIOR_SD = 3.0, 0.1
#: Prior on the next-order term of each side, ``k * (time span of the side's samples)``
#: (zero mean, this SD): the power law may bend by about a third over its samples, which
#: lets it follow a fast stroke past the first frames without freeing it to absorb noise.
K_PRIOR_SD = 0.3
#: A turn whose fitted pause is shorter than this many frame intervals is refitted
#: as a touch and go (one turning instant): the samples cannot show a shorter pause,
#: and a free one lets the faster side's time drift (0.15 frame on 30 fps speed reps).
TOUCH_AND_GO_FRAMES = 0.5
#: Rests longer than this (s) get their arrival and departure fitted separately.
LONG_REST_S = 0.8


def fit_rest(t: np.ndarray, h: np.ndarray, hs: np.ndarray, pivot: int, sL: int, sR: int,
             zone: float, noise: float, lo: int = 0, hi: int | None = None,
             min_side: int = 3) -> RestFit:
    """Arrival and departure times at the rest around sample ``pivot``.

    Parameters
    ----------
    t, h : numpy.ndarray
        Times (s) and raw heights (any unit, up positive); NaN samples are skipped.
    hs : numpy.ndarray
        The same heights smoothed (zero-lag low-pass): used to find the rest level
        and the samples near it, never for the boundary times themselves.
    pivot : int
        A sample at the rest (the extreme sample of a turn, or inside a hold).
    sL, sR : {+1, -1}
        The bar comes from above (+1) or below (-1) the level, and leaves to.
    zone : float
        Only samples within ``zone`` of the level enter the fit (height units),
        plus at least ``min_side`` moving samples on each side.
    noise : float
        Position noise SD of the raw heights (height units).
    lo, hi : int
        Samples outside ``lo..hi`` (the neighbouring turns) are never used.

    Returns
    -------
    RestFit
        When the bar rests long enough (more than ``4 * min_side`` samples near
        the level) arrival and departure are fitted separately, each with the
        rest samples next to it, so a wobble during a long rest (a walk-out, a
        re-grip) does not move them.
    """
    n = len(t)
    hi = n - 1 if hi is None else hi
    fin = np.isfinite(h) & np.isfinite(hs)
    if not fin[pivot]:
        near = np.flatnonzero(fin[lo:hi + 1])
        if not len(near):
            return RestFit(float(t[pivot]), float(t[pivot]), float("nan"), False)
        pivot = lo + int(near[np.argmin(np.abs(near + lo - pivot))])
    level0 = float(hs[pivot])
    if sL == sR:  # a turn: the level is the smoothed extreme near the pivot
        a = _zone_edge(hs, fin, pivot, lo, -1, sL, level0, zone)
        b = _zone_edge(hs, fin, pivot, hi, +1, sR, level0, zone)
        seg = np.where(fin[a:b + 1], sL * hs[a:b + 1], np.inf)
        level0 = float(hs[a + int(np.argmin(seg))])
    still_tol = max(3.0 * noise, 1e-6 * max(abs(level0), 1.0))
    band = max(0.25 * zone, still_tol)
    # the samples near the level: from entering the zone (a) to leaving it (b)
    a = _zone_edge(hs, fin, pivot, lo, -1, sL, level0, zone)
    b = _zone_edge(hs, fin, pivot, hi, +1, sR, level0, zone)
    # The bar may rest at a slightly different level just after arriving and just
    # before leaving (a walk-out bob, a re-grip): each side takes the level where the
    # bar is stillest within LONG_REST_S / 2 of it.
    speed = np.abs(np.gradient(np.where(fin, hs, level0), t)) if n > 1 else np.zeros(n)
    speed = np.where(fin, speed, np.inf)
    half = 0.5 * LONG_REST_S
    ka = a + int(np.argmin(speed[a:max(a + 1, min(pivot, int(np.searchsorted(t, t[a] + half))) + 1)]))
    kd0 = max(pivot, int(np.searchsorted(t, t[b] - half)))
    kd = kd0 + int(np.argmin(speed[kd0:b + 1]))
    lvl_a = level0 if abs(hs[ka] - level0) <= band else float(hs[ka])
    lvl_d = level0 if abs(hs[kd] - level0) <= band else float(hs[kd])
    inA = fin & (np.abs(hs - lvl_a) <= band)
    inD = fin & (np.abs(hs - lvl_d) <= band)
    ia = np.flatnonzero(inA[a:pivot + 1] if lvl_a == level0 else inA[a:b + 1])
    iA = a + int(ia[0]) if len(ia) else pivot
    idd = np.flatnonzero(inD[pivot:b + 1] if lvl_d == level0 else inD[a:b + 1])
    iD = (pivot if lvl_d == level0 else a) + int(idd[-1]) if len(idd) else pivot
    iD = max(iD, iA)
    split = lvl_a != lvl_d or (t[iD] - t[iA] > LONG_REST_S and iD - iA > 4 * min_side)
    if split and iD > iA:
        # each side keeps the rest samples that stay at its own level, up to half a long rest
        tight = max(still_tol, 0.1 * zone)
        e = iA
        while e + 1 <= iD and t[e + 1] - t[iA] <= half and (
                lvl_a == level0 or not fin[e + 1] or abs(hs[e + 1] - lvl_a) <= tight):
            e += 1
        fa = _fit_window(t, h, hs, fin, iA, max(e, min(iA + 2 * min_side, iD)), sL, 0, lvl_a, zone,
                         noise, still_tol, lo, hi, min_side)
        s0 = iD
        while s0 - 1 >= iA and t[iD] - t[s0 - 1] <= half and (
                lvl_d == level0 or not fin[s0 - 1] or abs(hs[s0 - 1] - lvl_d) <= tight):
            s0 -= 1
        fd = _fit_window(t, h, hs, fin, min(s0, max(iD - 2 * min_side, iA)), iD, 0, sR, lvl_d, zone,
                         noise, still_tol, lo, hi, min_side)
        rest = fin[iA:iD + 1]
        level = float(np.nanmedian(h[iA:iD + 1][rest])) if rest.any() else level0
        if sL == sR:  # a turn: its level is the extreme one (the ROM ends there)
            level = fa.level if sL * (fa.level - fd.level) < 0 else fd.level
        return RestFit(fa.arrive, max(fd.leave, fa.arrive), level, fa.ok and fd.ok)
    return _fit_window(t, h, hs, fin, iA, iD, sL, sR, level0, zone, noise, still_tol, lo, hi,
                       min_side)


def _fit_window(t: np.ndarray, h: np.ndarray, hs: np.ndarray, fin: np.ndarray, iA: int, iD: int,
                sL: int, sR: int, level0: float, zone: float, noise: float, still_tol: float,
                lo: int, hi: int, min_side: int) -> RestFit:
    """Fit the rest between samples ``iA`` and ``iD`` with its moving sides (``sL``/``sR``
    0 = no side: the window ends in the rest)."""
    a, b = iA, iD
    if sL:
        a = _zone_edge(hs, fin, a, lo, -1, sL, level0, zone)
        if _moving(hs, a, iA, sL, level0, still_tol) < min_side:
            a = max(lo, a - min_side)
    if sR:
        b = _zone_edge(hs, fin, b, hi, +1, sR, level0, zone)
        if _moving(hs, iD, b, sR, level0, still_tol) < min_side:
            b = min(hi, b + min_side)
    idx = np.arange(a, b + 1)
    idx = idx[fin[idx]]
    tt, hh = t[idx], h[idx]
    ri = np.flatnonzero(np.abs(hs[idx] - level0) <= still_tol)
    if len(ri) == 0:
        ri = np.array([int(np.argmin(np.abs(idx - (iA + iD) // 2)))])
    tA0, tD0 = float(tt[ri[0]]), float(tt[ri[-1]])
    # A side that runs into the end of the usable track (the set's first or last rest)
    # has no movement to fit: the rest is fitted without it, by the same rule.
    if sL and a <= lo and int(np.sum(tt < tA0)) < 2:
        sL = 0
    if sR and b >= hi and int(np.sum(tt > tD0)) < 2:
        sR = 0
    if not sL:
        tA0 = float(tt[0])
    if not sR:
        tD0 = float(tt[-1])
    rough = RestFit(tA0, tD0, level0, False)
    nl = int(np.sum(tt < tA0))
    nr = int(np.sum(tt > tD0))
    if len(tt) < 5 or (sL and nl < 2) or (sR and nr < 2):
        return rough
    dt = float(np.median(np.diff(tt)))
    cL0 = max(abs(hh[0] - level0) / max(tA0 - tt[0], dt) ** 3, 1e-12)
    cR0 = max(abs(hh[-1] - level0) / max(tt[-1] - tD0, dt) ** 3, 1e-12)
    span = max(float(np.ptp(hh)), 1e-9)
    kmax = 1.0 / max(dt, 1e-3)
    spanL = max(tA0 - tt[0], dt)
    spanR = max(tt[-1] - tD0, dt)
    x0 = np.array([level0, tA0, max(tD0 - tA0, 0.0), cL0, cR0, 3.0, 3.0, 0.0, 0.0])
    lb = np.array([level0 - span, tt[0] - (0 if sL else 1.0), 0.0, 0.0, 0.0, P_MIN, P_MIN,
                   -kmax, -kmax])
    ub = np.array([level0 + span, tt[-1], tt[-1] - tt[0] + 1.0, np.inf, np.inf, P_MAX, P_MAX,
                   kmax, kmax])
    x0 = np.clip(x0, lb + 1e-12, ub - 1e-12)
    sig = max(noise, 1e-9 * span)
    prior_w = 1.0 / P_PRIOR_SD

    def resid(p: np.ndarray) -> np.ndarray:
        r = (_model(p, tt, sL, sR) - hh) / sig
        return np.concatenate((r, [prior_w * (p[5] - P_PRIOR) * (sL != 0),
                                   prior_w * (p[6] - P_PRIOR) * (sR != 0),
                                   p[7] * spanL / K_PRIOR_SD, p[8] * spanR / K_PRIOR_SD]))

    prior_rows = np.zeros((4, 9))
    prior_rows[0, 5] = prior_w * (sL != 0)
    prior_rows[1, 6] = prior_w * (sR != 0)
    prior_rows[2, 7] = spanL / K_PRIOR_SD
    prior_rows[3, 8] = spanR / K_PRIOR_SD

    def jac(p: np.ndarray) -> np.ndarray:
        # exact derivatives: the numerical ones cost ten model evaluations per step
        return np.vstack((_model_jac(p, tt, sL, sR) / sig, prior_rows))

    starts = [x0]
    if sL and sR:  # a turn: also start from touch and go (a bounce, p = 2, no pause)
        k = int(np.argmin(sL * hh))
        cL2 = max(abs(hh[0] - hh[k]) / max(tt[k] - tt[0], dt) ** 2, 1e-12)
        cR2 = max(abs(hh[-1] - hh[k]) / max(tt[-1] - tt[k], dt) ** 2, 1e-12)
        starts.append(np.clip(np.array([hh[k], tt[k], 0.0, cL2, cR2, 2.0, 2.0, 0.0, 0.0]),
                              lb + 1e-12, ub - 1e-12))
        cL3 = max(abs(hh[0] - hh[k]) / max(tt[k] - tt[0], dt) ** 3, 1e-12)
        cR3 = max(abs(hh[-1] - hh[k]) / max(tt[-1] - tt[k], dt) ** 3, 1e-12)
        starts.append(np.clip(np.array([hh[k], tt[k], 0.0, cL3, cR3, 3.0, 3.0, 0.0, 0.0]),
                              lb + 1e-12, ub - 1e-12))
    from scipy.optimize import least_squares  # SciPy loads in ~1 s: only when used

    sol = None
    for start in starts:
        try:
            cand = least_squares(resid, start, bounds=(lb, ub),
                                 x_scale=np.array([span, dt, dt, cL0, cR0, 1, 1, 1, 1.0]),
                                 method="trf", max_nfev=400, jac=jac)
        except (ValueError, np.linalg.LinAlgError):
            continue
        if sol is None or cand.cost < sol.cost:
            sol = cand
    if sol is None:
        return rough
    if sL and sR and 0.0 < sol.x[2] < TOUCH_AND_GO_FRAMES * dt:
        # a pause shorter than the frames can show is a touch and go: both sides
        # then share one turning instant
        ub2 = ub.copy()
        ub2[2] = 1e-9 * dt
        try:
            sol = least_squares(resid, np.clip(np.where(np.arange(9) == 2, 0.0, sol.x),
                                               lb, ub2 - 1e-15), bounds=(lb, ub2),
                                x_scale=np.array([span, dt, dt, cL0, cR0, 1, 1, 1, 1.0]),
                                method="trf", max_nfev=400, jac=jac)
        except (ValueError, np.linalg.LinAlgError):
            pass
    L, tA, w = float(sol.x[0]), float(sol.x[1]), float(sol.x[2])
    if not (np.isfinite(tA) and np.isfinite(w)):
        return rough
    return RestFit(tA, tA + w, L, True)


def _zone_edge(hs: np.ndarray, fin: np.ndarray, i: int, limit: int, step: int, s: int,
               level: float, zone: float) -> int:
    """Walk from sample ``i`` towards ``limit`` (``step`` -1 or +1) while the smoothed
    height stays within ``zone`` of ``level`` on side ``s`` (missing samples are passed)."""
    while (i + step - limit) * step <= 0 and (
            not fin[i + step] or s * (hs[i + step] - level) <= zone):
        i += step
    return i


def _moving(h: np.ndarray, a: int, b: int, s: int, level: float, tol: float) -> int:
    seg = h[a:b + 1]
    seg = seg[np.isfinite(seg)]
    return int(np.sum(s * (seg - level) > tol))
