"""Frame times, exact samples and the LiftLens track CSV (``# liftlens-track v1``) of a
generated set (:mod:`tests.truth.lift_truth`)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from tests.truth.set_records import LiftTruth

def frame_times(duration_s: float, fps: float, vfr: bool = False, seed: int = 0,
                jitter: float = 0.35) -> np.ndarray:
    """Frame timestamps covering ``[0, duration_s)``. ``vfr``: each interval is the nominal
    one times a random factor in ``1 +- jitter`` (strictly increasing, starts at 0)."""
    n = int(math.floor(duration_s * fps)) + 1
    if not vfr:
        t = np.arange(n) / fps
    else:
        rng = np.random.default_rng(seed)
        dt = (1.0 / fps) * (1.0 + rng.uniform(-jitter, jitter, n - 1))
        t = np.concatenate([[0.0], np.cumsum(dt)])
    return t[t <= duration_s]


def sample(truth: LiftTruth, times) -> tuple[np.ndarray, np.ndarray]:
    """Exact bar height (m) and vertical velocity (m/s) at ``times``."""
    y, v, _ = truth._eval(np.atleast_1d(np.asarray(times, dtype=float)))
    return y, v


def _fmt(x: float) -> str:
    return repr(float(x))


def to_track_csv(truth: LiftTruth, path, fps: float = 30.0, m_per_px: float = 0.003,
                 origin_px: tuple[float, float] = (320.0, 900.0), x_drift_px: float = 0.0,
                 noise_px: float = 0.0, seed: int = 0, vfr: bool = False,
                 decimals: int = 4, confidence: float = 1.0):
    """Write the LiftLens track CSV (``# liftlens-track v1``) of the bar centre.

    ``y_px = origin_y - y_m / m_per_px`` (image y grows down), ``x_px = origin_x +
    x_drift_px * t / duration`` (linear sideways drift), plus optional Gaussian noise of
    ``noise_px`` on both axes. Every row has state ``tracked``. Pixel values are rounded
    to ``decimals`` (1e-4 px by default = far below 0.1 mm). Returns
    ``(times, x_px, y_px)`` as written.
    """
    t = frame_times(truth.duration_s, fps, vfr=vfr, seed=seed)
    y_m, _ = sample(truth, t)
    x = origin_px[0] + x_drift_px * t / truth.duration_s
    y = origin_px[1] - y_m / m_per_px
    return write_track_rows(path, t, x, y, m_per_px, noise_px, seed, decimals, confidence)


def write_track_rows(path, t: np.ndarray, x: np.ndarray, y: np.ndarray,
                     m_per_px: float | None, noise_px: float = 0.0, seed: int = 0,
                     decimals: int = 4, confidence: float = 1.0):
    """Write pixel positions ``x``, ``y`` at times ``t`` (shapes (n,)) as a LiftLens track
    CSV, every row ``tracked`` at ``confidence``: Gaussian noise of SD ``noise_px`` on
    both axes (``default_rng(seed + 1)``), rounded to ``decimals``; the header carries
    ``# m_per_px`` unless it is None (an uncalibrated file). Returns ``(t, x, y)`` as
    written."""
    if noise_px > 0:
        rng = np.random.default_rng(seed + 1)
        x = x + rng.normal(0, noise_px, x.size)
        y = y + rng.normal(0, noise_px, y.size)
    x = np.round(x, decimals)
    y = np.round(y, decimals)
    lines = ["# liftlens-track v1"]
    if m_per_px is not None:
        lines.append(f"# m_per_px={_fmt(m_per_px)}")
    lines.append("frame,t_s,x_px,y_px,confidence,state")
    for i in range(t.size):
        lines.append(f"{i},{_fmt(round(t[i], 9))},{_fmt(x[i])},{_fmt(y[i])},"
                     f"{_fmt(confidence)},tracked")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return t, x, y
