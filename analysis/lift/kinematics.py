"""Bar kinematics from a tracked path: zero-lag smoothing, velocity and acceleration.

Positions come from the tracker in displayed-image pixels, one per frame, with
real (possibly variable) frame times and NaN where the bar was lost. This module

1. splits the track into runs of valid samples: gaps longer than
   ``KinematicsSettings.max_fill_s`` break a run (nothing is filtered across
   them), shorter gaps are filled by interpolation and marked in ``filled``;
2. resamples each run to a uniform grid when the clip has a variable frame rate
   (a cubic spline through the real timestamps), so that the filter and the
   differences see a constant time step;
3. low-passes x and y with a zero-lag Butterworth filter (``filtfilt``: 2nd
   order run forward and backward, so 4th order overall, no phase shift); the
   cut-off comes from Winter's residual analysis unless one is given;
4. differentiates on the uniform grid (central differences) and maps position,
   velocity and acceleration back onto the original frame times.

The vertical axis of an image grows downward; ``height`` is ``-y`` scaled, so a
rising bar has a positive vertical velocity ``vy``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from analysis.lift.numeric import CubicSpline, butter_lowpass, filtfilt, filtfilt_rows

#: Butterworth order of one pass (filtfilt doubles it).
FILTER_ORDER = 2


@dataclass(frozen=True)
class KinematicsSettings:
    """How a track is smoothed and differentiated.

    Attributes
    ----------
    cutoff_hz : float or None
        Low-pass cut-off (Hz). ``None`` picks it by Winter's residual analysis.
    min_cutoff_hz, max_cutoff_hz : float
        Range searched by the residual analysis (Hz); the upper end is also
        capped at 40 % of the sampling rate.
    max_fill_s : float
        Gaps up to this long (s) are interpolated (and marked); longer gaps
        split the track into runs that are filtered separately.
    """

    cutoff_hz: float | None = None
    min_cutoff_hz: float = 1.0
    max_cutoff_hz: float = 12.0
    max_fill_s: float = 0.15

    def __post_init__(self) -> None:
        if self.cutoff_hz is not None and not (np.isfinite(self.cutoff_hz) and self.cutoff_hz > 0):
            raise ValueError(f"the filter cut-off must be a positive frequency, "
                             f"not {self.cutoff_hz!r} Hz")
        if not 0 < self.min_cutoff_hz < self.max_cutoff_hz:
            raise ValueError("the cut-off search range must satisfy 0 < min < max")
        if self.max_fill_s < 0:
            raise ValueError("max_fill_s must not be negative")


@dataclass
class Kinematics:
    """Smoothed bar kinematics on the original frame times.

    All arrays have one value per input frame; NaN where the bar was lost for
    longer than ``max_fill_s`` (or a run was too short to differentiate).

    Attributes
    ----------
    t : numpy.ndarray
        Frame times (s).
    x : numpy.ndarray
        Smoothed horizontal position (``units``), image x scaled, grows to the right.
    height : numpy.ndarray
        Smoothed height (``units``): ``-y`` scaled, grows upward.
    vx, vy : numpy.ndarray
        Velocity (``units``/s); ``vy > 0`` means the bar rises.
    ax, ay : numpy.ndarray
        Acceleration (``units``/s²).
    valid : numpy.ndarray
        True where the kinematics are defined.
    filled : numpy.ndarray
        True where the input was missing and the position was interpolated.
    x_raw, height_raw : numpy.ndarray
        The unsmoothed input scaled to ``units`` (NaN where lost), for fits.
    units : str
        ``"m"`` when a metres-per-pixel scale was given, else ``"px"``.
    scale : float
        Units per image pixel (``m_per_px`` or 1).
    cutoff_hz : float
        Cut-off used (Hz).
    cutoff_auto : bool
        True when the cut-off came from the residual analysis.
    fs_hz : float
        Sampling rate of the uniform grid (Hz): 1 / median frame interval.
    resampled : bool
        True when the frame times were not uniform (VFR) and a grid was used.
    warnings : list of str
        Plain-language notes (gaps left out).
    """

    t: np.ndarray
    x: np.ndarray
    height: np.ndarray
    vx: np.ndarray
    vy: np.ndarray
    ax: np.ndarray
    ay: np.ndarray
    valid: np.ndarray
    filled: np.ndarray
    x_raw: np.ndarray
    height_raw: np.ndarray
    units: str
    scale: float
    cutoff_hz: float
    cutoff_auto: bool
    fs_hz: float
    resampled: bool
    warnings: list[str] = field(default_factory=list)

    @property
    def unit(self) -> str:
        """Alias of ``units``."""
        return self.units

    @property
    def speed(self) -> np.ndarray:
        """Speed in the image plane (``units``/s)."""
        return np.hypot(self.vx, self.vy)

    def height_from_lowest(self) -> np.ndarray:
        """The smoothed height measured up from the set's lowest point (``units``, shape
        of ``t``): 0 at the bottom, positive above it, NaN where ``height`` is. This is
        the height the analysis panel plots and the data export writes; ``height`` itself
        is ``-y`` scaled, so its zero is the image's top edge and it reads negative."""
        if not np.isfinite(self.height).any():
            return self.height.copy()
        return self.height - np.nanmin(self.height)


def check_track_arrays(t: np.ndarray, x: np.ndarray, y: np.ndarray,
                       valid: np.ndarray | None = None
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validate and normalise track arrays; raise ``ValueError`` in plain words.

    Returns
    -------
    t, x, y : numpy.ndarray of float
    ok : numpy.ndarray of bool
        Finite positions (and the caller's mask, if any).
    """
    try:
        t = np.asarray(t, dtype=float).ravel()
        x = np.asarray(x, dtype=float).ravel()
        y = np.asarray(y, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"the bar track holds values that are not numbers ({exc})") from exc
    if not (len(t) == len(x) == len(y)):
        raise ValueError(f"the bar track columns differ in length "
                         f"(t {len(t)}, x {len(x)}, y {len(y)})")
    if len(t) == 0:
        raise ValueError("the bar track is empty")
    if not np.all(np.isfinite(t)):
        raise ValueError("the bar track has frames without a valid time")
    if np.any(np.diff(t) <= 0):
        raise ValueError("the bar track's times must increase from frame to frame")
    ok = np.isfinite(x) & np.isfinite(y)
    if valid is not None:
        valid = np.asarray(valid, dtype=bool).ravel()
        if len(valid) != len(t):
            raise ValueError("the valid mask differs in length from the track")
        ok &= valid
    return t, x, y, ok


def lowpass(signal: np.ndarray, fs_hz: float, cutoff_hz: float) -> np.ndarray:
    """Zero-lag Butterworth low-pass of a uniformly sampled signal.

    Parameters
    ----------
    signal : numpy.ndarray
        Samples on a uniform grid (any unit); no NaN.
    fs_hz, cutoff_hz : float
        Sampling rate and cut-off (Hz). A cut-off at or above 0.45 fs returns
        the signal unchanged.

    Returns
    -------
    numpy.ndarray
        The filtered signal; unchanged when it is too short for the filter
        (fewer than 10 samples).
    """
    wn = cutoff_hz / (fs_hz / 2.0)
    if wn >= 0.9 or len(signal) < 10:
        return np.array(signal, dtype=float)
    b, a = butter_lowpass(FILTER_ORDER, wn)
    return filtfilt(b, a, signal, min(9 * max(len(a), len(b)), len(signal) - 1))


def _residuals(signal: np.ndarray, fs_hz: float, freqs: np.ndarray) -> np.ndarray:
    """RMS of ``signal - lowpass(signal, fs_hz, f)`` for each cut-off ``f`` of ``freqs``
    (the same values as one :func:`lowpass` per cut-off, all filtered in one pass)."""
    wn = freqs / (fs_hz / 2.0)
    res = np.empty(len(freqs))
    pass_all = wn >= 0.9
    res[pass_all] = 0.0  # lowpass returns the signal unchanged
    todo = np.flatnonzero(~pass_all)
    if len(todo):
        coef = [butter_lowpass(FILTER_ORDER, float(w)) for w in wn[todo]]
        b = np.array([c[0] for c in coef])
        a = np.array([c[1] for c in coef])
        rows = filtfilt_rows(b, a, signal, min(9 * a.shape[1], len(signal) - 1))
        for i, row in zip(todo, rows, strict=True):
            res[i] = np.sqrt(np.mean((signal - row) ** 2))
    return res


def residual_cutoff(signal: np.ndarray, fs_hz: float, lo_hz: float = 1.0,
                    hi_hz: float = 12.0) -> float:
    """Cut-off by Winter's residual analysis (Hz).

    The RMS residual between the raw and the filtered signal is computed for a
    range of cut-offs. At high cut-offs only noise is removed and the residual
    falls on a straight line; its intercept at 0 Hz estimates the noise RMS.
    The chosen cut-off is the lowest one whose residual does not exceed that
    intercept, i.e. where the filter starts to remove signal rather than noise.

    Parameters
    ----------
    signal : numpy.ndarray
        Uniformly sampled position (any unit), no NaN, at least 30 samples.
    fs_hz : float
        Sampling rate (Hz).
    lo_hz, hi_hz : float
        Search range (Hz); ``hi_hz`` is capped at 0.4 ``fs_hz``.
    """
    nyq_cap = 0.4 * fs_hz
    hi = min(hi_hz, nyq_cap)
    if len(signal) < 30 or hi <= lo_hz:
        return float(min(max(lo_hz, 6.0), max(hi, lo_hz)))
    # The linear (noise-only) part is fitted well above the motion's content.
    freqs = np.arange(lo_hz, nyq_cap + 1e-9, 0.25)
    res = _residuals(signal, fs_hz, freqs)
    tail = freqs >= lo_hz + 0.5 * (nyq_cap - lo_hz)
    if tail.sum() < 3:
        return float(hi)
    _, intercept = np.polyfit(freqs[tail], res[tail], 1)
    intercept = max(float(intercept), float(res[tail].min()))
    below = np.flatnonzero(res <= intercept)
    fc = float(freqs[below[0]]) if len(below) else float(hi)
    return float(min(max(fc, lo_hz), hi))


def _uniform(t: np.ndarray) -> bool:
    dt = np.diff(t)
    if len(dt) == 0:
        return True
    med = float(np.median(dt))
    return bool(np.max(np.abs(dt - med)) <= 0.02 * med)


def compute_kinematics(t: np.ndarray, x: np.ndarray, y: np.ndarray,
                       m_per_px: float | None = None, *, valid: np.ndarray | None = None,
                       settings: KinematicsSettings | None = None,
                       cutoff_hz: float | None = None) -> Kinematics:
    """Smooth a bar track and derive velocity and acceleration.

    Parameters
    ----------
    t : array_like
        Frame times (s), strictly increasing (real timestamps; VFR allowed).
    x, y : array_like
        Bar position in displayed-image pixels (y grows downward); NaN = lost.
    m_per_px : float, optional
        Metres per pixel. Without it every output is in px, px/s, px/s².
    valid : array_like of bool, optional
        Extra mask of trustworthy frames (e.g. tracker state not ``lost``).
    settings : KinematicsSettings, optional
    cutoff_hz : float, optional
        Shortcut for ``settings.cutoff_hz`` (manual cut-off, Hz).

    Returns
    -------
    Kinematics
        Arrays on the input frame times; see :class:`Kinematics` for units.

    Raises
    ------
    ValueError
        Malformed input (lengths, times not increasing, bad scale, nothing tracked).
    """
    settings = settings or KinematicsSettings()
    if cutoff_hz is not None:
        settings = KinematicsSettings(cutoff_hz, settings.min_cutoff_hz, settings.max_cutoff_hz,
                                      settings.max_fill_s)
    t, x, y, ok = check_track_arrays(t, x, y, valid)
    if m_per_px is not None and not (np.isfinite(m_per_px) and m_per_px > 0):
        raise ValueError(f"the scale must be a positive number of metres per pixel, "
                         f"not {m_per_px!r}")
    scale = float(m_per_px) if m_per_px is not None else 1.0
    units = "m" if m_per_px is not None else "px"
    if ok.sum() < 2:
        raise ValueError("the bar was tracked in fewer than two frames: nothing to measure")
    n = len(t)
    vi = np.flatnonzero(ok)
    dt_med = float(np.median(np.diff(t[vi])))
    fs = 1.0 / dt_med
    warnings: list[str] = []

    # Runs of valid samples whose neighbours are no more than max_fill_s apart.
    breaks = np.flatnonzero(np.diff(t[vi]) > settings.max_fill_s + 0.5 * dt_med)
    starts = np.concatenate(([0], breaks + 1))
    stops = np.concatenate((breaks + 1, [len(vi)]))
    run_idx = [vi[a:b] for a, b in zip(starts, stops, strict=True)]
    if len(run_idx) > 1:
        warnings.append(f"the bar was lost {len(run_idx) - 1} time(s) for more than "
                        f"{settings.max_fill_s:.2f} s; those gaps are left out")

    out = {k: np.full(n, np.nan) for k in ("x", "h", "vx", "vy", "ax", "ay")}
    kvalid = np.zeros(n, bool)
    filled = np.zeros(n, bool)
    resampled = not _uniform(t)

    # Cut-off from the longest run's vertical position (the lift's main axis).
    cutoff = settings.cutoff_hz
    auto = cutoff is None
    if cutoff is None:
        longest = max(run_idx, key=len)
        _, hg = _to_grid(t[longest], -y[longest], fs, t[longest[0]], t[longest[-1]])
        cutoff = residual_cutoff(hg, fs, settings.min_cutoff_hz, settings.max_cutoff_hz)

    for idx in run_idx:
        if len(idx) < 3:
            continue
        lo, hi = int(idx[0]), int(idx[-1])
        frames = np.arange(lo, hi + 1)
        filled[frames] = ~ok[frames]
        tg, xg = _to_grid(t[idx], x[idx], fs, t[lo], t[hi])
        _, hg = _to_grid(t[idx], -y[idx], fs, t[lo], t[hi])
        xf = lowpass(xg, fs, cutoff)
        hf = lowpass(hg, fs, cutoff)
        step = float(tg[1] - tg[0])
        vxg, vyg = np.gradient(xf, step), np.gradient(hf, step)
        axg, ayg = np.gradient(vxg, step), np.gradient(vyg, step)
        tf = t[frames]
        for key, g in (("x", xf), ("h", hf), ("vx", vxg), ("vy", vyg), ("ax", axg),
                       ("ay", ayg)):
            out[key][frames] = _back(tg, g, tf) * scale
        kvalid[frames] = True

    if not kvalid.any():
        raise ValueError("the bar was never tracked long enough in one piece to measure motion")
    return Kinematics(t=t, x=out["x"], height=out["h"], vx=out["vx"], vy=out["vy"],
                      ax=out["ax"], ay=out["ay"], valid=kvalid, filled=filled,
                      x_raw=np.where(ok, x * scale, np.nan),
                      height_raw=np.where(ok, -y * scale, np.nan), units=units,
                      scale=scale, cutoff_hz=float(cutoff), cutoff_auto=auto, fs_hz=fs,
                      resampled=resampled, warnings=warnings)


def _to_grid(ts: np.ndarray, vs: np.ndarray, fs: float, t0: float,
             t1: float) -> tuple[np.ndarray, np.ndarray]:
    """Samples on a uniform grid from ``t0`` at rate ``fs`` (a cubic spline through gaps)."""
    count = max(int(np.floor((t1 - t0) * fs + 1e-6)) + 1, 2)
    tg = t0 + np.arange(count) / fs
    if len(ts) == count and np.allclose(ts, tg, rtol=0, atol=0.02 / fs):
        return ts.copy(), np.array(vs, dtype=float)
    if len(ts) >= 4:
        return tg, CubicSpline(ts, vs)(tg)
    return tg, np.interp(tg, ts, vs)


def _back(tg: np.ndarray, g: np.ndarray, tf: np.ndarray) -> np.ndarray:
    """Values of grid series ``g`` at the frame times ``tf`` (exact when the grid is ``tf``)."""
    if len(tg) == len(tf) and np.array_equal(tg, tf):
        return g
    if len(tg) >= 4:
        return CubicSpline(tg, g)(tf)
    return np.interp(tf, tg, g)
