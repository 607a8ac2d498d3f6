"""Sub-frame arrival at and departure from a rest (an extremum or a hold) of the bar.

One rule for every boundary of every rep
----------------------------------------
A phase boundary is where the bar *arrives at* or *leaves* a level: the bottom
(end of the eccentric, start of the concentric), the top (end of the
concentric, start of the next eccentric) or the level of an isometric hold.
Around such a rest the raw heights ``h(t)`` are fitted, by least squares, with

    h(t) = L + sL * aL * (x/XL)**pL * (1 + kL * x),  x = tA - t,  for t < tA  (arriving)
    h(t) = L                                  for tA <= t <= tD  (at rest, the pause)
    h(t) = L + sR * aR * (x/XR)**pR * (1 + kR * x),  x = t - tD,  for t > tD  (leaving)

where ``sL``/``sR`` give the side the bar comes from and goes to (+1 above the
level, -1 below), ``L`` is the rest level and ``tA <= tD`` the arrival and
departure times; ``aL, aR >= 0`` are each side's size at its reference time
``XL``/``XR`` (the time its samples span), the exponents ``pL, pR`` (1.2 to 5) and the
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

At a turn the stroke may end short of the extreme: the bar stops at lockout and then
moves on (a shrug or lean-back, a settle). It stops where its smoothed height no longer
moves on, or where its speed, below ``STOP_SHARE`` of the stroke's top speed, is lowest
before more than doubling (a second, slower movement began, see :data:`STOP_SHARE`);
each end of the rest is then fitted at its own level.

The fit is solved by :func:`analysis.lift.levmar.levmar` (Levenberg-Marquardt on
the exact Jacobian), from three starts at a turn (a rest, a bounce, a cubic turn).
A side that does not exist (the window ends in the rest) has no parameters in it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.lift.levmar import FTOL, levmar
from analysis.lift.stroke_walk import (
    STOP_SHARE,
    accelerating,
    chord_speed,
    first_stop,
    gathering,
    moving,
    reached,
    stood,
    stroke_start,
    stroke_stop,
    top_speed,
    zone_edge,
)

P_MIN, P_MAX = 1.2, 5.0


@dataclass(frozen=True)
class RestFit:
    """Arrival ``arrive`` and departure ``leave`` (s) at a rest at height ``level``.

    ``ok`` is False when the fit could not be made (too few samples); the times
    are then the rough, frame-resolution ones. ``arrive_sd`` and ``leave_sd`` (s) are
    the standard deviations of the two times that the position noise leaves (from the
    fit's curvature, priors included: the Laplace approximation); NaN when unknown,
    0 when the time is the window's end rather than a fitted one. ``arrive_level`` and
    ``leave_level`` are the heights the bar arrived at and left from when they differ
    (a rest fitted at each end on its own; the bar stopped, then moved on a little):
    see :attr:`arrived_at` and :attr:`left_from`.
    """

    arrive: float
    leave: float
    level: float
    ok: bool
    arrive_sd: float = float("nan")
    leave_sd: float = float("nan")
    arrive_level: float = float("nan")
    leave_level: float = float("nan")

    @property
    def arrived_at(self) -> float:
        """Height where the stroke into the rest ended (``level`` unless fitted apart)."""
        return self.arrive_level if np.isfinite(self.arrive_level) else self.level

    @property
    def left_from(self) -> float:
        """Height where the stroke out of the rest began (``level`` unless fitted apart)."""
        return self.leave_level if np.isfinite(self.leave_level) else self.level


def _side(t0: float, a: float, pw: float, k: float, X: float, t: np.ndarray, s: float,
          left: bool, J: np.ndarray, cols: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """One power-law side ``s*a*(x/X)**pw*(1+k*x)`` (``x`` the time from the rest, zero
    before the side starts): its values, and the derivative with respect to ``x``
    (zero where the side has not started); its derivatives with respect to (a, pw, k)
    are written into columns ``cols`` of ``J``, shape ``(len(t), ...)``.

    The side's size is given at its reference time ``X`` (about its samples' span)
    rather than as the coefficient of ``x**pw``: the exponent then changes its shape,
    not its size, and the fit does not have to creep along a curved valley where the
    coefficient follows the exponent (the usual cause of a slow power-law fit).

    This runs a few hundred times per rest fit on a few dozen samples, where each array
    operation costs far more than its arithmetic: the products are shared and written in
    place, with the same operations in the same order (the same values to the bit)."""
    x = np.subtract(t0, t) if left else np.subtract(t, t0)
    np.maximum(x, 0.0, out=x)
    on = x > 0.0
    u = np.where(on, x, X)
    u /= X
    up = np.where(on, u ** pw, 0.0)
    bend = k * x
    bend += 1.0
    sa = s * a
    sup = sa * up
    f = sup * bend
    c_a, c_pw, c_k = cols
    if s == 1 or s == -1:  # s*up*bend: a sign change is exact either way round
        np.multiply(up, bend, out=J[:, c_a])
        if s == -1:
            np.negative(J[:, c_a], out=J[:, c_a])
    else:
        J[:, c_a] = s * up * bend
    np.multiply(f, np.log(u), out=J[:, c_pw])
    np.multiply(sup, x, out=J[:, c_k])
    slope = pw * up
    slope /= np.where(on, x, 1.0)
    slope *= bend
    slope += k * up
    np.multiply(sa, slope, out=slope)
    return f, np.where(on, slope, 0.0)


def _model(p: np.ndarray, t: np.ndarray, sL: float, sR: float, XL: float, XR: float,
           J: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Heights of the rest model with parameters ``p = (L, tA, w, aL, aR, pL, pR, kL, kR)``
    at ``t``, and their exact Jacobian, shape ``(len(t), 9)`` (written into ``J`` when
    given)."""
    L, tA, w, aL, aR, pL, pR, kL, kR = p
    if J is None:
        J = np.empty((len(t), 9))
    fL, dL = _side(tA, aL, pL, kL, XL, t, sL, True, J, (3, 5, 7))
    fR, dR = _side(tA + w, aR, pR, kR, XR, t, sR, False, J, (4, 6, 8))
    J[:, 0] = 1.0
    np.subtract(dL, dR, out=J[:, 1])  # the left side's slope plus the right one's, negated
    np.negative(dR, out=J[:, 2])
    return L + fL + fR, J


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
#: The power law's own error, as a share of a sample's height from the rest level: each
#: sample's misfit is weighed against its position noise and this, added in quadrature.
#: The law (with its bend) is a series expansion about the rest (Taylor), so it holds the
#: less closely the further a sample lies from the level; a fast side has to reach
#: samples 0.1-0.2 m out to get its three moving ones. Without it an exact track (noise at
#: the 0.02 px floor, 0.06 mm) made the law hold to 0.06 mm there, and its error there set
#: the time: a 1.5 m/s speed rep's lift-off after a hard-braked lowering read 0.1 frame
#: late (MCV +0.022 m/s), a 0.6 m/s plateau stroke's 0.3 frame late. Under 0.1-0.3 px of
#: noise (0.3-0.9 mm, more than 2 % of the heights near the rest) the weights barely
#: change. The reported time SDs (Laplace) include it, so on an exact track they are
#: those of the law's error, not of the floor's noise.
LAW_ERROR_SHARE = 0.02
#: A turn whose fitted pause is shorter than this many frame intervals is refitted
#: as a touch and go (one turning instant): the samples cannot show a shorter pause,
#: and a free one lets the faster side's time drift (0.15 frame on 30 fps speed reps).
TOUCH_AND_GO_FRAMES = 0.5
#: ... and so is one whose pause the samples do not call for: freeing it lowers the
#: fit's chi-square (twice its cost) by less than this, the 5 % point of a likelihood-
#: ratio test for a parameter at its bound (half a chi-square with one degree of
#: freedom; Self & Liang 1987). Half a frame is 2 ms at 240 fps: under 0.3 px of noise
#: touch-and-go speed reps at 240 fps read pauses of 3-7 frames that were noise, and
#: their concentric started up to 2.7 frames late (MCV +0.084 m/s).
PAUSE_CHI2 = 2.71
#: How far a side of a rest fit reaches, in position-noise SDs of height from the level,
#: while the stroke there still gathers speed (see
#: :func:`analysis.lift.stroke_walk.gathering`): the fit zone and three moving samples
#: make a short window in time at a high frame rate, where noise sets the times. Twice
#: the height where the law's own error (``LAW_ERROR_SHARE``) equals the noise (50 SDs).
#: Validity bench, 10 noise draws, 0.3 px: MCV RMSE at 120 / 240 fps 0.0151 / 0.0130 ->
#: 0.0083 / 0.0060 m/s; 50 and 80 SDs gained less, 150 lost at 0.3 px; on exact
#: tracks (the 0.02 px floor: 6 mm) it never reaches past the zone.
SIDE_REACH_NOISES = 100.0
#: Samples whose noise is below this share of the fit window's height span are first
#: fitted as if it were that large (see :func:`_solve`).
CONTINUATION = 0.01
#: That first fit only has to find the valley: it stops when a step gains less than
#: this share of the cost.
ROUGH_FTOL = 1e-4
#: Rests longer than this (s) get their arrival and departure fitted separately.
LONG_REST_S = 0.8
#: How far (in fit zones from the extreme) a first stop that the bar then went back from
#: still ends the stroke.
WIDE_STOP_ZONES = 3.0
#: ... or when it then stayed within the band of that level this long (s) before moving on:
#: the lifter stood at lockout, then rose a few centimetres more (a shrug or a deep breath
#: before the next rep). On a real squat the bar stood 0.45 s at lockout, sank 1.1 cm and
#: rose 4.8 cm before the next rep; whether the sink passed the band (0.9 cm) decided
#: whether that rep's concentric was 1.3 or 2.1 s (MCV 0.51 or 0.35 m/s). A grind that
#: stalls near the top moves on within a fraction of this (it never stands still).
LOCKOUT_STAND_S = 0.25


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
        plus at least ``min_side`` moving samples on each side (one more on a side
        that needed padding while the stroke still gathers speed there), and on each
        side further samples while the stroke gathers speed, up to
        ``SIDE_REACH_NOISES`` noise SDs from the level.
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
        a = zone_edge(hs, fin, pivot, lo, -1, sL, level0, zone)
        b = zone_edge(hs, fin, pivot, hi, +1, sR, level0, zone)
        seg = np.where(fin[a:b + 1], sL * hs[a:b + 1], np.inf)
        level0 = float(hs[a + int(np.argmin(seg))])
    still_tol = max(3.0 * noise, 1e-6 * max(abs(level0), 1.0))
    band = max(0.25 * zone, still_tol)
    # the samples near the level: from entering the zone (a) to leaving it (b)
    a = zone_edge(hs, fin, pivot, lo, -1, sL, level0, zone)
    b = zone_edge(hs, fin, pivot, hi, +1, sR, level0, zone)
    # The bar may rest at a slightly different level just after arriving and just
    # before leaving (a walk-out bob, a re-grip): each side takes the level where the
    # bar is stillest within LONG_REST_S / 2 of it.
    speed = np.where(fin, chord_speed(t, np.where(fin, hs, level0)), np.inf)
    half = 0.5 * LONG_REST_S
    ka = a + int(np.argmin(speed[a:max(a + 1, min(pivot, int(np.searchsorted(t, t[a] + half))) + 1)]))
    kd0 = max(pivot, int(np.searchsorted(t, t[b] - half)))
    kd = kd0 + int(np.argmin(speed[kd0:b + 1]))
    wide = False  # the departure is at the start of the stroke out, beyond the zone
    if sL == sR:
        # At a turn the bar may stop short of its extreme and then move a few millimetres
        # more (a deadlift lockout followed by a shrug or lean-back, a settle): it arrived
        # where it first stopped and leaves where it last started, so each side then
        # takes that level (the extreme is not where the stroke ended).
        # A slow stretch ends a stroke only at the top (lockout, then a lean-back or a
        # shrug). At a bottom (sL = +1: the bar comes from above) it is the bounce's own
        # rebound nearly stalling before the drive, or a lowering easing off just before
        # it drops into the bounce: a touch and go read as a pause of 0.1-0.25 s, the
        # concentric started at the stall 1.5-3.5 cm up (bounce truth: MCV up to +0.08 m/s).
        share = 0.0 if sL > 0 else STOP_SHARE
        slow_in = share * top_speed(t, hs, fin, lo, pivot, -sL)
        slow_out = share * top_speed(t, hs, fin, pivot, hi, sR)
        first = first_stop(t, hs, fin, a, pivot, -sL, slow=slow_in)
        last = first_stop(t, hs, fin, b, pivot, -sR, step=-1, slow=slow_out)  # last start
        # The first stop after the stroke's last fast sample counts too, further out
        # (within WIDE_STOP_ZONES of the extreme), when the bar then went back by more
        # than the band before moving on: a squatter standing up, sinking a centimetre
        # and extending again, or lifting the bar onto the hooks (a grind never goes back).
        early = stroke_stop(t, hs, fin, lo, pivot, -sL)
        if early < a and abs(hs[early] - level0) <= WIDE_STOP_ZONES * zone:
            seg = np.where(fin[early:pivot + 1], -sL * hs[early:pivot + 1], np.inf)
            if -sL * float(hs[early]) - float(np.min(seg)) > band or \
                    stood(t, hs, fin, early, pivot, -sL, band) >= LOCKOUT_STAND_S:
                first, a = early, early
        # Mirrored at a top: the stroke out of it (the eccentric) starts where the bar last
        # stopped before the stroke that reaches the next turn, when that is further out
        # than the zone and, since the top, the bar rose again by more than the band or
        # stood at that height (a squatter's unrack settle, walk-out bobs, a breath or
        # re-brace between reps: 2-4 cm of wobble that is rest, not a slow start; a
        # lowering, however slowly it eases in, never rises and never stands still).
        late = stroke_start(t, hs, fin, pivot, hi, sR) if sR < 0 else pivot
        if late > b and abs(hs[late] - level0) <= WIDE_STOP_ZONES * zone:
            seg = -sR * hs[pivot:late + 1][fin[pivot:late + 1]]
            if float(np.max(seg - np.minimum.accumulate(seg))) > band or \
                    stood(t, hs, fin, late, pivot, -sR, band, step=-1) >= LOCKOUT_STAND_S:
                last, b, wide = late, late, True
        if abs(hs[first] - level0) > band:
            ka = first
        if abs(hs[last] - level0) > band:
            kd = last
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
        # A side at a level short of the extreme (the bar stopped there and moved on)
        # arrived no later than the first frame whose raw height reached that level, and
        # left no earlier than the last: the samples its rest fit gets after them are
        # already the next movement (a settle, a lean-back), which a flat rest cannot
        # follow, and without the bound the fit slid the arrival into it (a real
        # deadlift's lockout read 3 frames late behind a 1.5 px settle). A departure at
        # the start of the stroke out has no such bound: the wobble before it is left out
        # of its rest fit, and the smoothed height's stop there lies in the stroke's first
        # millimetres (0.08 s into a 3.5 s lowering under 0.3 px of noise).
        by = None if lvl_a == level0 else reached(t, h, fin, a, ka, sL, lvl_a, 1)
        fa = _fit_window(t, h, hs, fin, iA, max(e, min(iA + 2 * min_side, iD)), sL, 0, lvl_a, zone,
                         noise, still_tol, lo, hi, min_side, bound=by)
        s0 = iD
        while s0 - 1 >= iA and t[iD] - t[s0 - 1] <= half and (
                lvl_d == level0 or not fin[s0 - 1] or abs(hs[s0 - 1] - lvl_d) <= tight):
            s0 -= 1
        since = None if lvl_d == level0 or wide else reached(t, h, fin, b, kd, sR, lvl_d, -1)
        fd = _fit_window(t, h, hs, fin, min(s0, max(iD - 2 * min_side, iA)), iD, 0, sR, lvl_d, zone,
                         noise, still_tol, lo, hi, min_side, bound=since)
        rest = fin[iA:iD + 1]
        level = float(np.nanmedian(h[iA:iD + 1][rest])) if rest.any() else level0
        if sL == sR:  # a turn: its level is the extreme one (the ROM ends there)
            level = fa.level if sL * (fa.level - fd.level) < 0 else fd.level
        return RestFit(fa.arrive, max(fd.leave, fa.arrive), level, fa.ok and fd.ok,
                       fa.arrive_sd, fd.leave_sd, fa.level, fd.level)
    return _fit_window(t, h, hs, fin, iA, iD, sL, sR, level0, zone, noise, still_tol, lo, hi,
                       min_side)


def _fit_window(t: np.ndarray, h: np.ndarray, hs: np.ndarray, fin: np.ndarray, iA: int, iD: int,
                sL: int, sR: int, level0: float, zone: float, noise: float, still_tol: float,
                lo: int, hi: int, min_side: int, bound: float | None = None) -> RestFit:
    """Fit the rest between samples ``iA`` and ``iD`` with its moving sides (``sL``/``sR``
    0 = no side: the window ends in the rest). ``bound`` (s): the latest arrival (a
    window with a left side only) or the earliest departure (a right side only)."""
    a, b = iA, iD
    if sL:
        a = zone_edge(hs, fin, a, lo, -1, sL, level0, zone)
        if moving(hs, a, iA, sL, level0, still_tol) < min_side:
            a = max(lo, a - min_side)
            # A side padded past its zone takes one more sample while the stroke still
            # gathers speed there: under noise those samples carry the timing (the law
            # error above keeps them from setting it on exact tracks).
            if accelerating(t, h, fin, a, -1, lo, noise):
                a = max(lo, a - 1)
        a = gathering(t, hs, fin, a, lo, -1, sL, level0, SIDE_REACH_NOISES * noise)
    if sR:
        b = zone_edge(hs, fin, b, hi, +1, sR, level0, zone)
        if moving(hs, iD, b, sR, level0, still_tol) < min_side:
            b = min(hi, b + min_side)
            if accelerating(t, h, fin, b, +1, hi, noise):
                b = min(hi, b + 1)
        b = gathering(t, hs, fin, b, hi, +1, sR, level0, SIDE_REACH_NOISES * noise)
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
    span = max(float(np.ptp(hh)), 1e-9)
    kmax = 1.0 / max(dt, 1e-3)
    spanL = max(tA0 - tt[0], dt)
    spanR = max(tt[-1] - tD0, dt)
    # each side's size at its reference time (the span of its samples)
    aL0 = max(abs(hh[0] - level0), 1e-12 * span)
    aR0 = max(abs(hh[-1] - level0), 1e-12 * span)
    x0 = np.array([level0, tA0, max(tD0 - tA0, 0.0), aL0, aR0, 3.0, 3.0, 0.0, 0.0])
    # The level may lie anywhere the samples do: the smoothed level it starts from is off
    # by millimetres where the low-pass filter meets the end of the track (the last rest).
    lspan = max(span, abs(level0 - float(np.median(hh))))
    lb = np.array([min(level0, float(hh.min())) - lspan, tt[0] - (0 if sL else 1.0), 0.0, 0.0,
                   0.0, P_MIN, P_MIN, -kmax, -kmax])
    ub = np.array([max(level0, float(hh.max())) + lspan, tt[-1], tt[-1] - tt[0] + 1.0, np.inf,
                   np.inf, P_MAX, P_MAX, kmax, kmax])
    if bound is not None and sL and not sR:
        ub[1] = min(ub[1], max(bound, lb[1] + 1e-9))
    elif bound is not None and sR and not sL:
        lb[2] = min(max(lb[2], bound - x0[1]), ub[2] - 1e-9)
    x0 = np.clip(x0, lb + 1e-12, ub - 1e-12)
    sig = max(noise, 1e-9 * span)
    prob = _Problem(tt, hh, sL, sR, sig, spanL, spanR, level0)
    x_scale = np.array([lspan, dt, dt, aL0, aR0, 1, 1, 1, 1.0])
    starts = [x0]
    if sL and sR:  # a turn: also start from touch and go (a bounce, p = 2, no pause)
        k = int(np.argmin(sL * hh))
        for pw in (2.0, 3.0):
            aL = max(abs(hh[0] - hh[k]), 1e-12 * span) * (spanL / max(tt[k] - tt[0], dt)) ** pw
            aR = max(abs(hh[-1] - hh[k]), 1e-12 * span) * (spanR / max(tt[-1] - tt[k], dt)) ** pw
            starts.append(np.clip(np.array([hh[k], tt[k], 0.0, aL, aR, pw, pw, 0.0, 0.0]),
                                  lb + 1e-12, ub - 1e-12))
    sol = _solve(prob, starts, lb, ub, x_scale)
    if sol is None:
        return rough
    pause = True
    if sL and sR and 0.0 < sol[0][2]:
        # a pause shorter than the frames can show, or one the samples do not call for,
        # is a touch and go: both sides then share one turning instant
        again = _solve(prob, [np.where(np.arange(9) == 2, 0.0, sol[0])], lb, ub, x_scale,
                       pause=False)
        if again is not None and (sol[0][2] < TOUCH_AND_GO_FRAMES * dt
                                  or 2.0 * (again[1] - sol[1]) < PAUSE_CHI2):
            sol, pause = again, False
    L, tA, w = float(sol[0][0]), float(sol[0][1]), float(sol[0][2])
    if not (np.isfinite(tA) and np.isfinite(w)):
        return rough
    sd_a, sd_d = _time_sds(prob, sol[0], pause)
    # a missing side's time is the window's end: the bar is still at rest there
    return RestFit(tA, tA + w if sR else max(tA, float(tt[-1])), L, True,
                   sd_a if sL else 0.0, sd_d if sR else 0.0)


def _time_sds(prob: _Problem, p: np.ndarray, pause: bool) -> tuple[float, float]:
    """Standard deviations (s) of the arrival ``tA`` and departure ``tA + w`` at the
    optimum ``p``: the inverse of the Gauss-Newton curvature ``J'J`` of the weighted
    residuals (samples in noise SDs, and the priors) over the free parameters."""
    free = prob.free(pause)
    J = prob.both(p)[1][:, free]
    try:
        cov = np.linalg.pinv(J.T @ J)
    except np.linalg.LinAlgError:
        return float("nan"), float("nan")
    pos = np.cumsum(free) - 1
    iA = int(pos[1]) if free[1] else -1
    iW = int(pos[2]) if free[2] else -1
    va = float(cov[iA, iA]) if iA >= 0 else 0.0
    vw = float(cov[iW, iW]) if iW >= 0 else 0.0
    cw = float(cov[iA, iW]) if iA >= 0 and iW >= 0 else 0.0
    return float(np.sqrt(max(va, 0.0))), float(np.sqrt(max(va + vw + 2.0 * cw, 0.0)))


_PRIOR_MEAN = np.array([0, 0, 0, 0, 0, P_PRIOR, P_PRIOR, 0, 0.0])


class _Problem:
    """Weighted residuals of a rest fit and their exact Jacobian.

    Rows: the samples' misfits in units of their SD (the noise SD ``sig`` and the law's
    own error, ``LAW_ERROR_SHARE`` of the sample's height from ``ref``, the rest level,
    in quadrature), then the priors on the exponents (``P_PRIOR``) and on the bends
    (``K_PRIOR_SD``) of the sides that exist."""

    def __init__(self, tt: np.ndarray, hh: np.ndarray, sL: int, sR: int, sig: float,
                 spanL: float, spanR: float, ref: float) -> None:
        self.tt, self.hh, self.sL, self.sR, self.sig = tt, hh, sL, sR, sig
        self.spanL, self.spanR, self.ref = spanL, spanR, ref
        self.inv_sd = 1.0 / np.hypot(sig, LAW_ERROR_SHARE * (hh - ref))
        w = 1.0 / P_PRIOR_SD
        self.prior_rows = np.zeros((4, 9))
        self.prior_rows[0, 5] = w * (sL != 0)
        self.prior_rows[1, 6] = w * (sR != 0)
        self.prior_rows[2, 7] = spanL / K_PRIOR_SD
        self.prior_rows[3, 8] = spanR / K_PRIOR_SD

    def resid(self, p: np.ndarray) -> np.ndarray:
        return self.both(p)[0]

    def jac(self, p: np.ndarray) -> np.ndarray:
        return self.both(p)[1]

    def both(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Residuals and their exact Jacobian (the numerical one costs ten model
        evaluations per step)."""
        m = len(self.tt)
        r, J = np.empty(m + 4), np.empty((m + 4, 9))
        f, _ = _model(p, self.tt, self.sL, self.sR, self.spanL, self.spanR, J[:m])
        np.subtract(f, self.hh, out=r[:m])
        r[:m] *= self.inv_sd
        r[m:] = self.prior_rows @ (p - _PRIOR_MEAN)
        J[:m] *= self.inv_sd[:, None]
        J[m:] = self.prior_rows
        return r, J

    def free(self, pause: bool = True) -> np.ndarray:
        """Parameters the samples or priors decide: a missing side's time, scale,
        exponent and bend are left out (nothing depends on them), and the pause
        ``w`` when ``pause`` is False (a touch and go)."""
        f = np.ones(9, bool)
        if not self.sL:
            f[[1, 3, 5, 7]] = False
        if not self.sR:
            f[[2, 4, 6, 8]] = False
        if not pause:
            f[2] = False
        return f


def _solve(prob: _Problem, starts: list[np.ndarray], lb: np.ndarray, ub: np.ndarray,
           x_scale: np.ndarray, pause: bool = True) -> tuple[np.ndarray, float] | None:
    """The best least-squares optimum ``(p, cost)`` from ``starts`` within the bounds,
    or None.

    When the samples are nearly exact (noise below ``CONTINUATION`` of the window's
    height span) their weight dwarfs the priors and the cost has several valleys; the
    fits are then first made as if the noise were that large (the priors choose the
    valley) and the best of them is refined with the real weights."""
    free = prob.free(pause)
    floor = CONTINUATION * float(np.ptp(prob.hh))
    if prob.sig < floor:
        rough = _Problem(prob.tt, prob.hh, prob.sL, prob.sR, floor, prob.spanL, prob.spanR,
                         prob.ref)
        found = [_levmar(rough, x0, lb, ub, x_scale, free, ROUGH_FTOL) for x0 in starts]
        ok = [f for f in found if f is not None]
        if not ok:
            return None
        starts = [min(ok, key=lambda f: f[1])[0]]
    found = [_levmar(prob, x0, lb, ub, x_scale, free, FTOL) for x0 in starts]
    ok = [f for f in found if f is not None]
    return min(ok, key=lambda f: f[1]) if ok else None


def _levmar(prob: _Problem, x0: np.ndarray, lb: np.ndarray, ub: np.ndarray,
            x_scale: np.ndarray, free: np.ndarray, ftol: float
            ) -> tuple[np.ndarray, float] | None:
    try:
        return levmar(prob.both, x0, lb, ub, x_scale, free, ftol=ftol)
    except (ValueError, np.linalg.LinAlgError):
        return None
