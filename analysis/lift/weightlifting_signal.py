"""The signal side of the weightlifting analysis: resampling, filtering, extrema, rests.

:class:`LiftSignals` holds one track's series and the thresholds derived from its
noise, built once per call of :func:`analysis.lift.weightlifting.analyze_weightlifting`
and passed to every step (no module state, so two analyses never share thresholds).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.lift.numeric import butter_lowpass, filtfilt

REST_SPEED_M_S = 0.05       # |vy| below this is "still"
REST_MIN_S = 0.25           # ... for at least this long
#: Stillness is judged on the speed low-passed at this cut-off (Hz): the 12 Hz speed of a
#: bar held still wobbles by its noise, 0.05-0.07 m/s on a real track with 0.5 px of
#: jitter, and a still stretch was then found only by chance, seconds late (the clean's
#: recovery ran into the jerk, which was lost); a held bar has no motion above 3 Hz.
STILL_CUTOFF_HZ = 3.0
#: The rest tolerance (4 noise SDs) is at least this (m). A tracker whose output moves in
#: steps (a quarter pixel, say) leaves most second differences exactly zero, so their
#: median absolute deviation reads no noise at all; a tolerance of 0.5 mm then held the
#: bar "not settled" over sub-millimetre steps, to the end of the clip (a generated
#: missed snatch tracked: the bar back on the floor at 2.65 s read 3.40 s).
REST_TOL_MIN_M = 0.001
#: A bar held overhead for only a moment before it is lowered (a lifter showing the
#: lockout and bringing the bar down at once) has no still stretch on the 3 Hz speed, whose
#: smoothing carries the lowering back into the hold: it is held when its raw height
#: stays within this (m) for REST_MIN_S. 0.02 m: REST_SPEED_M_S over REST_MIN_S is
#: 1.25 cm, and a track's noise adds a few millimetres (the real clean and jerk held
#: 1.569-1.572 m for 0.26 s and lowered the bar 0.4 s later).
HOLD_SPREAD_M = 0.02
#: ... and up high: within this (m) of the highest point before the bar is let down (a
#: split jerk's pause in the split is 5-12 cm lower; a bar lowered to the hips, far lower)
HOLD_NEAR_TOP_M = 0.04


def uniform(t: np.ndarray, *series: np.ndarray) -> tuple[np.ndarray, list[np.ndarray], float]:
    """Resample onto an even grid at the median frame interval (VFR-safe)."""
    dt = float(np.median(np.diff(t)))
    grid = np.arange(t[0], t[-1] + dt * 0.5, dt)
    return grid, [np.interp(grid, t, s) for s in series], dt


def smooth(y: np.ndarray, dt: float, cutoff_hz: float = 12.0) -> np.ndarray:
    """Zero-lag 4th-order Butterworth low-pass (filtfilt), as in Winter's biomechanics.

    12 Hz keeps the pull's velocity peaks (they last about 0.15 s); at low frame rates
    the cut-off is held at 40 % of the sampling rate.
    """
    fs = 1.0 / dt
    wn = min(min(cutoff_hz, 0.4 * fs) / (fs / 2.0), 0.99)
    if len(y) < 16:
        return y.copy()
    b, a = butter_lowpass(2, wn)
    return filtfilt(b, a, y, min(3 * max(len(a), len(b)), len(y) - 1))


def refine_extremum(t: np.ndarray, s: np.ndarray, i: int) -> tuple[float, float]:
    """Time and value of the extremum near sample ``i`` by a parabola through 3 samples."""
    if i <= 0 or i >= len(s) - 1:
        return float(t[i]), float(s[i])
    y0, y1, y2 = s[i - 1], s[i], s[i + 1]
    den = y0 - 2 * y1 + y2
    if den == 0:
        return float(t[i]), float(y1)
    off = 0.5 * (y0 - y2) / den
    off = float(np.clip(off, -1.0, 1.0))
    dt = t[1] - t[0]
    return float(t[i] + off * dt), float(y1 - 0.25 * (y0 - y2) * off)


def crossing(t: np.ndarray, s: np.ndarray, i: int, level: float) -> float:
    """Time where ``s`` crosses ``level`` between samples i and i+1 (linear)."""
    a, b = s[i] - level, s[i + 1] - level
    if a == b:
        return float(t[i])
    return float(t[i] + (t[i + 1] - t[i]) * a / (a - b))


def local_max(s: np.ndarray, lo: int, hi: int) -> list[int]:
    """Indices of the local maxima of ``s`` in ``[lo, hi)``."""
    return [i for i in range(max(lo, 1), min(hi, len(s) - 1)) if s[i - 1] < s[i] >= s[i + 1]]


def local_min(s: np.ndarray, lo: int, hi: int) -> list[int]:
    """Indices of the local minima of ``s`` in ``[lo, hi)``."""
    return [i for i in range(max(lo, 1), min(hi, len(s) - 1)) if s[i - 1] > s[i] <= s[i + 1]]


def still_from(v: np.ndarray, start: int, dt: float) -> int | None:
    """First index >= start from which |v| stays below the rest speed for REST_MIN_S."""
    need = max(2, int(round(REST_MIN_S / dt)))
    run = 0
    for i in range(start, len(v)):
        run = run + 1 if abs(v[i]) < REST_SPEED_M_S else 0
        if run >= need:
            return i - need + 1
    return None


#: Share of exactly-zero second differences above which a track is read as moving in steps
#: (white noise leaves none; a track rounded to a quarter pixel at 0.1 px of noise ~60 %).
STEPPED_SHARE = 0.3


def noise(h_raw: np.ndarray, vy: np.ndarray) -> float:
    """Position noise (m) from the second differences of the raw heights where the bar is
    still (for white noise, var(d2) = 6 sigma^2), robust (median absolute deviation).

    A track that moves in steps (a tracker rounding to a fraction of a pixel) leaves most
    second differences exactly zero, and their median absolute deviation reads no noise
    at all; when more than :data:`STEPPED_SHARE` of them are zero the noise is at least
    that of rounding to one step, the smallest non-zero second difference: step/sqrt(12)
    (a uniform rounding error; Sheppard's correction)."""
    d2 = h_raw[2:] - 2 * h_raw[1:-1] + h_raw[:-2]
    still = np.abs(vy[1:-1]) < REST_SPEED_M_S
    d = d2[still] if still.sum() >= 10 else d2
    mad = float(1.4826 * np.median(np.abs(d - np.median(d))) / np.sqrt(6.0))
    fin = np.isfinite(h_raw)
    tiny = 1e-9 * max(float(np.abs(h_raw[fin]).max()) if fin.any() else 0.0, 1.0)
    moved = np.abs(d[np.abs(d) > tiny])
    if len(d) and len(moved) and np.mean(np.abs(d) <= tiny) > STEPPED_SHARE:
        return max(mad, float(moved.min()) / np.sqrt(12.0))
    return mad



@dataclass(frozen=True)
class LiftSignals:
    """One track on an even time grid (SI units), with its noise-derived thresholds.

    Attributes
    ----------
    t : (N,) times (s), evenly spaced by ``dt``.
    raw : (N,) height change from the first sample (m, up positive), unfiltered.
    h : (N,) ``raw`` low-passed (:func:`smooth`).
    xr : (N,) horizontal position from the first sample (m, image-right positive),
        low-passed.
    vy : (N,) vertical velocity of ``h`` (m/s).
    thr : rest tolerance on ``raw`` (m): 4 noise sigmas, at least :data:`REST_TOL_MIN_M`.
    vnoise : speed noise of ``vy`` (m/s).
    gaps : the track's lost stretches longer than :data:`GAP_S` ((from, to) in s);
        the grid bridges them linearly, ``known`` is False inside them.
    still_v : (N,) ``vy`` low-passed at :data:`STILL_CUTOFF_HZ` (m/s), for stillness.
    h_still : (N,) ``raw`` low-passed at :data:`STILL_CUTOFF_HZ` (m), for where the bar
        rests and when it leaves a rest (:func:`analysis.lift.weightlifting._attempt_starts`).
    """

    t: np.ndarray
    raw: np.ndarray
    h: np.ndarray
    xr: np.ndarray
    vy: np.ndarray
    dt: float
    thr: float
    vnoise: float
    gaps: tuple[tuple[float, float], ...] = ()
    known: np.ndarray | None = None
    still_v: np.ndarray | None = None
    h_still: np.ndarray | None = None

    @classmethod
    def build(cls, t: np.ndarray, h_raw: np.ndarray, x_raw: np.ndarray,
              gaps: list[tuple[float, float]] | None = None) -> LiftSignals:
        """From raw heights and horizontal positions (m) at times ``t`` (s, increasing,
        only the samples with a position), and the track's long ``gaps``."""
        grid, (h, xs), dt = uniform(t, h_raw, x_raw)
        hf = smooth(h, dt)
        vy = np.gradient(hf, dt)
        sigma = noise(h, vy)
        known = np.ones(len(grid), bool)
        for a, b in gaps or ():
            known &= ~((grid > a) & (grid < b))
        return cls(grid, h, hf, smooth(xs, dt), vy, dt, max(REST_TOL_MIN_M, 4.0 * sigma),
                   3.0 * sigma / dt / np.sqrt(2.0) * 0.5, tuple(gaps or ()), known,
                   smooth(vy, dt, STILL_CUTOFF_HZ), smooth(h, dt, STILL_CUTOFF_HZ))

    def gap_after(self, i: int) -> tuple[int, tuple[float, float]] | None:
        """The first long gap at or after index ``i``: (its first grid index, (from, to)
        in s); the grid ends where a track lost until the clip's end was last seen."""
        t_i = float(self.t[i])
        for a, b in self.gaps:
            if b > t_i:
                return int(np.searchsorted(self.t, max(a, t_i), side="right")), (a, b)
        return None

    def next_peak(self, i: int) -> int | None:
        """Index of the first local maximum of height at or after ``i`` (``vy`` turns
        from up to down), None when the bar never turns down."""
        vy = self.vy
        down = np.nonzero((vy[i:-1] > 0) & (vy[i + 1:] <= 0))[0]
        if not len(down):
            return None
        k = i + int(down[0])
        return k + 1 if self.h[k + 1] > self.h[k] else k

    def next_low(self, i: int) -> int | None:
        """Index of the first local minimum of height at or after ``i`` (``vy`` turns
        from down to up), None when the bar never turns up."""
        vy = self.vy
        up = np.nonzero((vy[i:-1] < 0) & (vy[i + 1:] >= 0))[0]
        if not len(up):
            return None
        k = i + int(up[0])
        return k + 1 if self.h[k + 1] < self.h[k] else k

    def still_from(self, start: int) -> int | None:
        """:func:`still_from` on this track's vertical velocity, low-passed at
        :data:`STILL_CUTOFF_HZ` (``still_v``; ``vy`` when that is not given)."""
        return still_from(self.vy if self.still_v is None else self.still_v, start, self.dt)

    def held(self, start: int, below: float, near_top: float = HOLD_NEAR_TOP_M
             ) -> tuple[int, float] | None:
        """Where and how high the bar is held still after ``start``, before its height
        (``h``) first falls below ``below`` (m; the bar let down): ``(index, height)``.

        The last still stretch of :meth:`still_from` before that (its smoothed height, as
        the other rests); else the last run of :data:`REST_MIN_S` windows whose
        raw heights stay within :data:`HOLD_SPREAD_M` before the bar is let down, and its
        median raw height; None when the bar is not held there (never still, or let down
        at once).
        """
        n = len(self.h)
        left = np.nonzero(self.h[start:] < below)[0]
        end = start + int(left[0]) if len(left) else n
        need = max(2, int(round(REST_MIN_S / self.dt)))
        # the last still stretch before the bar is let down: a split jerk's lifter often
        # pauses in the split before bringing the feet together (the bar a few cm lower),
        # and that first stretch read as the lockout, 12 cm low, the recovery 0.02 s
        if end - start < need:
            return None
        # up high: within near_top of the highest point before the bar is let down (the
        # bar lowered to the hips and held there is not the lockout)
        high = float(self.h[start:end].max()) - near_top
        last = None
        i = self.still_from(start)
        while i is not None and i + need <= end:
            if self.h[i] >= high and (last is None or i > last[1]):  # a new stretch
                last = [i, i + need]
            elif last is not None and i <= last[1]:  # the same one going on
                last[1] = i + need
            i = self.still_from(i + need)
        if last is not None:
            return last[0], float(self.h[last[0]])
        windows = np.lib.stride_tricks.sliding_window_view(self.raw[start:end], need)
        steady = (windows.max(axis=1) - windows.min(axis=1) <= HOLD_SPREAD_M) & \
            (np.median(windows, axis=1) >= high)
        if not steady.any():
            return None
        # the last steady run before the bar is let down: the lockout shown (a split
        # jerk's recovery, the feet brought together, still raises the bar a few cm)
        stop = len(steady) - int(np.argmax(steady[::-1]))
        first = stop - int(np.argmin(steady[stop - 1::-1])) if not steady[:stop].all() else 0
        return start + first, float(np.median(self.raw[start + first:start + stop + need - 1]))

    def settle(self, start: int) -> float | None:
        """When the bar came to rest at its final height after index ``start`` (s).

        The still stretch is found on the slow speed (:meth:`still_from`); the final
        height is the median of the raw heights over its first ``2 REST_MIN_S``; the bar
        has settled from the first sample after which the raw height stays within
        ``thr`` of it until then (the smoothed speed lingers after an abrupt stop), and
        not before the speed has fallen to a crawl. Later heights are not looked at: a
        lifter holding the bar lets it drift (1 cm in 0.7 s on the real clean and jerk),
        and where a slow drift crosses ``thr`` is a matter of the track's last pixel.
        """
        i_st = self.still_from(start)
        if i_st is None:
            return None
        h_raw, vy = self.raw, self.vy
        n = max(2, int(round(REST_MIN_S / self.dt)))
        end = min(len(h_raw), i_st + 2 * n)
        final = float(np.median(h_raw[i_st:end])) if end > i_st else float(h_raw[end - 1])
        off = np.nonzero(np.abs(h_raw[start:end] - final) > self.thr)[0]
        k = start + int(off[-1]) + 1 if len(off) else start
        k = min(k, end - 1)
        # and not before the smoothed speed has fallen to a crawl (1 cm/s, or the noise's)
        v_slow = max(0.01, self.vnoise)
        m = k
        while m < end - 1 and abs(vy[m]) > v_slow:
            m += 1
        return float(self.t[m])


#: Fastest plausible bar speed (m/s): a bar dropped from overhead (about 2.2 m) reaches
#: sqrt(2 g h) = 6.6 m/s at the floor; a step faster than this, out and back, is the
#: tracker jumping to something else.
MAX_BAR_SPEED_M_S = 10.0
MIN_JUMP_M = 0.10           # ... and at least this long (noise at high frame rates)
MAX_GLITCH_S = 1.0          # a jump that does not come back within this is left alone
GAP_S = 0.3                 # lost stretches longer than this are gaps, not bridged


def jump_outliers(t: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Samples of the track that jumped away and came back faster than a bar can move.

    Parameters
    ----------
    t : (N,) times (s), increasing.
    x, y : (N,) positions (m); NaN where lost (never an outlier).

    Returns
    -------
    (N,) bool
        True from a step faster than :data:`MAX_BAR_SPEED_M_S` (and longer than
        :data:`MIN_JUMP_M`) up to the step that brings the track back within
        :data:`MAX_GLITCH_S`: back near the position before the jump (within half the
        jump, allowing for the bar's own motion at the speed before the jump).
    """
    out = np.zeros(len(t), bool)
    idx = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    k = 1
    while k < len(idx):
        a, b = idx[k - 1], idx[k]
        step = float(np.hypot(x[b] - x[a], y[b] - y[a]))
        if step < MIN_JUMP_M or step / (t[b] - t[a]) <= MAX_BAR_SPEED_M_S:
            k += 1
            continue
        v = 0.0
        if k >= 2:
            p = idx[k - 2]
            v = float(np.hypot(x[a] - x[p], y[a] - y[p]) / (t[a] - t[p]))
        back = None
        for m in range(k + 1, len(idx)):
            c = idx[m]
            if t[c] - t[a] > MAX_GLITCH_S:
                break
            d = float(np.hypot(x[c] - x[a], y[c] - y[a]))
            if d <= 0.5 * step + v * (t[c] - t[a]):
                back = m
                break
        if back is None:
            k += 1
            continue
        out[idx[k:back]] = True
        k = back + 1
    return out


def long_gaps(t: np.ndarray, ok: np.ndarray) -> list[tuple[float, float]]:
    """Stretches without a position longer than :data:`GAP_S`: (last time seen, first
    time seen again) in s; a track lost until the clip's end gives (last seen, last
    time of the clip)."""
    ts = t[ok]
    if not len(ts):
        return []
    gaps = [(float(a), float(b)) for a, b in zip(ts[:-1], ts[1:], strict=True) if b - a > GAP_S]
    if t[-1] - ts[-1] > GAP_S:
        gaps.append((float(ts[-1]), float(t[-1])))
    return gaps


#: Lift-off is fitted on the raw heights up to where the bar is this far above its rest (m)
ONSET_FIT_M = 0.03
#: ... from this long before that (s): the rest before lift-off and the start of the rise.
ONSET_WINDOW_S = 0.6
#: The rise from rest is fitted as ``c (t - t0)^ONSET_POWER``: a bar leaving the floor
#: at a steady acceleration. (A power of 3, the speed growing with the square of the
#: time, put lift-off 0.09 s early on truth tracks whose bar surges 1 cm off the floor.)
ONSET_POWER = 2.0


def onset(t: np.ndarray, raw: np.ndarray, j_hi: int) -> float | None:
    """When the bar left its rest (s): ``raw = r`` before ``t0`` and
    ``r + c (t - t0)^ONSET_POWER`` after it, fitted (least squares) to the raw heights of
    the ONSET_WINDOW_S up to sample ``j_hi``; ``t0`` is the mean over a grid of tenths of
    a frame weighted by each fit's likelihood, so it moves smoothly with the heights
    (the last sample within a tolerance of the rest is one frame or another depending on
    the track's last pixel). None when the window is too short."""
    dt = float(t[1] - t[0])
    lo = max(0, j_hi - int(round(ONSET_WINDOW_S / dt)))
    if j_hi - lo < 6:
        return None
    tt, hh = t[lo:j_hi + 1], raw[lo:j_hi + 1]
    grid = np.arange(tt[1], tt[-2], dt / 10.0)
    sse = np.empty(len(grid))
    for k, t0 in enumerate(grid):
        a = np.column_stack([np.ones_like(tt), np.maximum(tt - t0, 0.0) ** ONSET_POWER])
        c = np.linalg.lstsq(a, hh, rcond=None)[0]
        r = hh - a @ c
        sse[k] = float(r @ r)
    best = int(np.argmin(sse))
    s2 = max(float(sse[best]) / max(len(tt) - 3, 1), 1e-18)
    w = np.exp(-(sse - sse[best]) / (2.0 * s2))
    return float(np.sum(w * grid) / np.sum(w))
