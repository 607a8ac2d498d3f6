"""Sub-frame movement boundaries by fitting a minimum-jerk stroke to the raw heights.

A velocity threshold finds *that* the bar moves, but it finds the start late
and the end early: a human point-to-point movement leaves rest smoothly (the
bar's displacement grows with the cube of the time since onset), so at 0.5 px
of tracking noise the first ~3 frames of a squat descent are invisible to any
threshold. Point-to-point arm and bar movements are well described by the
minimum-jerk profile (Flash & Hogan 1985), so each stroke between two rests is
fitted with that profile, start time, duration and both rest heights free,
using every raw sample of the stroke and of the rests around it. The fitted
start and end are the boundaries. A stroke whose shape is far from the profile
(a poor fit) keeps the threshold boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares


def minimum_jerk(s: np.ndarray) -> np.ndarray:
    """Normalised minimum-jerk displacement (0 → 1) for normalised time ``s`` (clipped to 0..1)."""
    s = np.clip(s, 0.0, 1.0)
    return s ** 3 * (10.0 - 15.0 * s + 6.0 * s * s)


@dataclass(frozen=True)
class StrokeFit:
    """Result of one stroke fit.

    Attributes
    ----------
    start, end : float
        Fitted movement start and end (s).
    h0, h1 : float
        Fitted rest heights before and after (units of the input).
    rms : float
        RMS residual of the fit (units of the input).
    ok : bool
        True when the fit is trustworthy (see :func:`fit_stroke`).
    """

    start: float
    end: float
    h0: float
    h1: float
    rms: float
    ok: bool


def fit_stroke(t: np.ndarray, h: np.ndarray, start: float, end: float, *, noise: float,
               max_shift: float) -> StrokeFit:
    """Fit a minimum-jerk stroke to raw heights around a rough movement interval.

    Parameters
    ----------
    t, h : numpy.ndarray
        Times (s) and raw heights (any unit) of the fit window: the stroke plus
        some of the rest before and after it; NaN samples are ignored.
    start, end : float
        Rough start and end of the movement (s), e.g. from a velocity threshold.
    noise : float
        Estimated position noise (same unit as ``h``), standard deviation.
    max_shift : float
        How far (s) the fitted start/end may move from the rough ones and still
        be accepted.

    Returns
    -------
    StrokeFit
        ``ok`` is False (and start/end are the rough ones) when there are too few
        samples, the optimiser fails, the residual is more than 3 noise SDs
        plus 2 % of the stroke, or a boundary moved more than ``max_shift``.
    """
    m = np.isfinite(h)
    t, h = t[m], h[m]
    rough = StrokeFit(start, end, float("nan"), float("nan"), float("inf"), False)
    if len(t) < 8 or end <= start:
        return rough
    h0 = float(np.median(h[t <= start])) if np.any(t <= start) else float(h[0])
    h1 = float(np.median(h[t >= end])) if np.any(t >= end) else float(h[-1])
    if h0 == h1:
        return rough
    dur0 = end - start

    def resid(p: np.ndarray) -> np.ndarray:
        t0, dur, a, b = p
        return a + (b - a) * minimum_jerk((t - t0) / dur) - h

    lo = [t[0] - dur0, 0.02, -np.inf, -np.inf]
    hi = [t[-1], 4.0 * (t[-1] - t[0]) + 1.0, np.inf, np.inf]
    p0 = np.clip([start, dur0, h0, h1], np.array(lo) + 1e-9, np.array(hi) - 1e-9)
    try:
        sol = least_squares(resid, p0, bounds=(lo, hi), x_scale=[dur0, dur0, abs(h1 - h0),
                                                                  abs(h1 - h0)])
    except (ValueError, np.linalg.LinAlgError):
        return rough
    t0, dur, a, b = (float(v) for v in sol.x)
    rms = float(np.sqrt(np.mean(sol.fun ** 2)))
    ok = bool(sol.success and rms <= 3.0 * noise + 0.02 * abs(b - a)
              and abs(t0 - start) <= max_shift and abs(t0 + dur - end) <= max_shift)
    if not ok:
        return StrokeFit(start, end, a, b, rms, False)
    return StrokeFit(t0, t0 + dur, a, b, rms, True)
