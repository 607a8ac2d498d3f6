"""Walks along a lift's smoothed height near a turn (:mod:`analysis.lift.boundaries`
fits the turn itself): where a stroke stops, how long the bar stood at a level, how far
the rest zone around the turn reaches. Heights in the track's units (m or px), times in
s, ``s`` the direction of travel (+1 up), ``fin`` the mask of finite samples."""

from __future__ import annotations

import numpy as np

#: Where a stroke ends at a turn when the bar does not come to a full stop (lockout = the
#: end of the upward stroke): at the start of its slowest step, when that step is slower
#: than this share of the stroke's top speed and a later one before the extreme is more
#: than twice as fast (see :func:`first_stop`). The stroke was over and a second,
#: slower movement followed: a lean-back or shrug after a deadlift lockout moves the bar
#: at 3-9 cm/s, under 15 % of a pull's 0.6-1 m/s (on the real deadlift clip the smoothed
#: speed fell to 5 % of the top between lockout and lean-back, then rose to 15 %). Why
#: 15 %: a minimum-jerk stroke braking into lockout is that slow only in its last 1.1 %
#: of ROM, inside the band within which a stop does not count (a quarter of the fit zone,
#: 1.25 % of the ROM, or 3 noise SDs), so a clean stroke is never ended early by it. "More
#: than twice as fast" keeps a bar that crawls at an even speed into the extreme (a
#: lowering that eases in at a tenth of its top speed) from being cut.
STOP_SHARE = 0.15


def first_stop(t: np.ndarray, hs: np.ndarray, fin: np.ndarray, a: int, pivot: int, s: int,
               step: int = 1, slow: float = 0.0) -> int:
    """First sample walking from ``a`` towards ``pivot`` (``step`` +1 forward in time, -1
    backward) where the smoothed height, moving in direction ``s`` (+1 up) along the walk,
    stops; ``pivot`` if it never does. Walked backward from a sample after a rest, it finds
    where the bar last started to leave the rest.

    The bar stops at the start of the first step (between two finite samples) that does
    not move on in direction ``s``, or at the start of the slowest step so far when that
    step was slower than ``slow`` (height units per s) and a later one is more than
    twice as fast: the stroke was over and a second, slower movement followed (see
    :data:`STOP_SHARE`). A bar that keeps crawling at an even speed has not stopped."""
    prev, start, vmin = -1, -1, np.inf
    for i in range(a, pivot + step, step):
        if not fin[i]:
            continue
        if prev >= 0:
            d = s * (hs[i] - hs[prev])
            if d <= 0:
                return prev
            v = d / max(abs(float(t[i] - t[prev])), 1e-12)
            if vmin < slow and v > 2.0 * vmin:
                return start
            if v < vmin:
                start, vmin = prev, v
        prev = i
    return pivot


def stroke_stop(t: np.ndarray, hs: np.ndarray, fin: np.ndarray, lo: int, pivot: int,
                s: int) -> int:
    """The first stop (see :func:`first_stop`) after the last sample between ``lo`` and
    ``pivot`` where the smoothed height moved in direction ``s`` at half the stroke's top
    speed or more: where the stroke itself ended."""
    if pivot - lo < 2:
        return pivot
    v = s * np.gradient(np.where(fin[lo:pivot + 1], hs[lo:pivot + 1], np.nan), t[lo:pivot + 1])
    v = np.where(np.isfinite(v), v, -np.inf)
    top = float(np.max(v))
    if not top > 0:
        return pivot
    fast = np.flatnonzero(v >= 0.5 * top)
    return first_stop(t, hs, fin, lo + int(fast[-1]), pivot, s, slow=STOP_SHARE * top)


def stroke_start(t: np.ndarray, hs: np.ndarray, fin: np.ndarray, pivot: int, hi: int,
                 s: int) -> int:
    """The first stop (see :func:`first_stop`) walking back towards ``pivot`` from the
    start of the stroke's fast part: the samples around its top speed between ``pivot``
    and ``hi`` where the smoothed height moved in direction ``s`` at half that speed or
    more. Where the stroke leaving the rest at ``pivot`` itself began (:func:`stroke_stop`
    run backward); a quicker wobble before it (a settle of 3 cm in 0.25 s moves at half
    a 3.5 s lowering's top speed) is not its fast part."""
    if hi - pivot < 2:
        return pivot
    v = s * np.gradient(np.where(fin[pivot:hi + 1], hs[pivot:hi + 1], np.nan), t[pivot:hi + 1])
    v = np.where(np.isfinite(v), v, -np.inf)
    k = int(np.argmax(v))
    top = float(v[k])
    if not top > 0:
        return pivot
    while k > 0 and v[k - 1] >= 0.5 * top:
        k -= 1
    return first_stop(t, hs, fin, pivot + k, pivot, -s, step=-1, slow=STOP_SHARE * top)


def stood(t: np.ndarray, hs: np.ndarray, fin: np.ndarray, k: int, pivot: int, s: int,
          band: float, step: int = 1) -> float:
    """How long (s) the smoothed height stayed within ``band`` of its level at sample
    ``k`` (not past it in direction ``s``) before leaving it, looking no further than
    ``pivot``; walking forward in time (``step`` +1: after ``k``) or backward (-1: how
    long it had stood there before ``k``)."""
    level = float(hs[k])
    j = k
    while (j + step - pivot) * step <= 0 and (
            not fin[j + step] or s * (float(hs[j + step]) - level) <= band):
        j += step
    return abs(float(t[j] - t[k]))


def top_speed(t: np.ndarray, hs: np.ndarray, fin: np.ndarray, a: int, b: int, s: int) -> float:
    """The highest speed (height units per s) of the smoothed height in direction ``s``
    between samples ``a`` and ``b``; 0 when it never moves that way."""
    if b - a < 2:
        return 0.0
    v = s * np.gradient(np.where(fin[a:b + 1], hs[a:b + 1], np.nan), t[a:b + 1])
    v = v[np.isfinite(v)]
    return max(float(np.max(v)), 0.0) if len(v) else 0.0


def reached(t: np.ndarray, h: np.ndarray, fin: np.ndarray, i: int, k: int, s: int,
            level: float, step: int) -> float:
    """Time (s) of the first raw sample walking from ``i`` to ``k`` (``step`` +1 forward,
    -1 backward in time) that is at ``level`` or past it, coming from side ``s``: the bar
    got to that level by then (walked backward: was still there then); ``t[k]`` if none."""
    for j in range(i, k + step, step):
        if fin[j] and s * (h[j] - level) <= 0.0:
            return float(t[j])
    return float(t[k])


def zone_edge(hs: np.ndarray, fin: np.ndarray, i: int, limit: int, step: int, s: int,
              level: float, zone: float) -> int:
    """Walk from sample ``i`` towards ``limit`` (``step`` -1 or +1) while the smoothed
    height stays within ``zone`` of ``level`` on side ``s`` (missing samples are passed)."""
    while (i + step - limit) * step <= 0 and (
            not fin[i + step] or s * (hs[i + step] - level) <= zone):
        i += step
    return i


def moving(h: np.ndarray, a: int, b: int, s: int, level: float, tol: float) -> int:
    """How many finite samples of ``h`` from ``a`` to ``b`` (inclusive) lie more than
    ``tol`` past ``level`` in direction ``s``."""
    seg = h[a:b + 1]
    seg = seg[np.isfinite(seg)]
    return int(np.sum(s * (seg - level) > tol))


def accelerating(t: np.ndarray, h: np.ndarray, fin: np.ndarray, i: int, step: int, limit: int,
                 noise: float) -> bool:
    """Whether the stroke still gathers speed at sample ``i``, walking outward (``step``):
    the raw speed of the step from ``i`` outward (height step over its own time interval,
    so a variable frame rate does not read a longer interval as a faster bar) exceeds the
    speed of the step into it by more than two SDs of that difference (from the position
    noise ``noise``: sqrt(6) noise SDs over the interval at a constant frame rate)."""
    j, k = i - step, i + step
    if (k - limit) * step > 0 or not (fin[j] and fin[i] and fin[k]):
        return False
    d_in, d_out = abs(float(t[i] - t[j])), abs(float(t[k] - t[i]))
    if not (d_in > 0 and d_out > 0):
        return False
    v_in, v_out = abs(float(h[i] - h[j])) / d_in, abs(float(h[k] - h[i])) / d_out
    sd = noise * np.sqrt(1.0 / d_out ** 2 + (1.0 / d_out + 1.0 / d_in) ** 2 + 1.0 / d_in ** 2)
    return v_out - v_in > 2.0 * sd


def gathering(t: np.ndarray, hs: np.ndarray, fin: np.ndarray, i: int, limit: int, step: int,
              s: int, level: float, reach: float) -> int:
    """Walk from sample ``i`` towards ``limit`` (``step`` -1 or +1: away from a rest) while
    the smoothed height stays on side ``s`` of ``level`` and within ``reach`` of it, and
    the stroke still gathers speed away from the rest: each step's speed (height step
    over its own time interval, so frame times may vary) exceeds the one before it.
    Returns the last sample reached. Where the speed stops rising the stroke's first
    power law no longer holds (its acceleration has passed its peak)."""
    while (i + 2 * step - limit) * step <= 0 and fin[i + step] and fin[i + 2 * step]:
        j, k = i + step, i + 2 * step
        if not 0.0 <= s * (hs[j] - level) < reach:
            break
        v_in = abs(float(hs[j] - hs[i]) / float(t[j] - t[i]))
        v_out = abs(float(hs[k] - hs[j]) / float(t[k] - t[j]))
        if not v_out > v_in:
            break
        i = j
    return i


def chord_speed(t: np.ndarray, hs: np.ndarray) -> np.ndarray:
    """Speed (height units per s) at each sample: the chord from the sample before to the
    sample after (one-sided at the ends), i.e. the mean of the two steps' speeds weighted
    by their durations. At a constant frame rate this is the central difference; across a
    lost frame it does not weigh the step next to the loss as a second-order fit does,
    which read a touch-and-go turn as moving at the speed of its faster side (so a sample
    6 mm short of the bottom seemed stiller, and the rep read a 3-frame pause)."""
    n = len(t)
    if n < 2:
        return np.zeros(n)
    v = np.empty(n)
    v[1:-1] = (hs[2:] - hs[:-2]) / (t[2:] - t[:-2])
    v[0] = (hs[1] - hs[0]) / (t[1] - t[0])
    v[-1] = (hs[-1] - hs[-2]) / (t[-1] - t[-2])
    return np.abs(v)
