"""The few SciPy routines the lift analysis needs, in NumPy, with SciPy's own arithmetic.

``liftlens analyze`` spends about 1 s of CPU importing ``scipy.signal`` and
``scipy.interpolate`` for a 2nd-order Butterworth filter, ``filtfilt``, ``find_peaks``
and a cubic spline on a few hundred samples. These functions do the same operations in
the same order as SciPy 1.17 (``scipy.signal.butter``, ``lfilter_zi``, ``filtfilt``
with odd padding, the direct-form-II-transposed ``lfilter`` kernel,
``_local_maxima_1d``/``_peak_prominences``; ``scipy.interpolate.CubicSpline`` with
not-a-knot ends solved by LAPACK's ``gtsv`` algorithm and evaluated as ``PPoly``), so
their results equal SciPy's (``tests/analysis/test_numeric.py`` compares them to
1e-12 on many signals, edge cases included).

Only the cases the analysis uses are covered: 1-D float signals, a low-pass design,
odd padding, a minimum prominence, not-a-knot splines with at least 4 knots.
"""

from __future__ import annotations

import numpy as np


def butter_lowpass(order: int, wn: float) -> tuple[np.ndarray, np.ndarray]:
    """Digital Butterworth low-pass ``(b, a)``, as ``scipy.signal.butter(order, wn)``.

    Parameters
    ----------
    order : int
        Filter order (>= 1).
    wn : float
        Cut-off as a fraction of the Nyquist frequency, 0 < wn < 1.

    Raises
    ------
    ValueError
        ``wn`` outside (0, 1) or a bad order.

    Notes
    -----
    Analog prototype poles ``-exp(i pi m / 2N)``, pre-warped cut-off
    ``4 tan(pi wn / 2)``, bilinear transform at fs = 2 (zeros at -1), then the
    polynomials of the zeros and poles (Oppenheim & Schafer, *Discrete-Time Signal
    Processing*, 3rd ed., 7.1; SciPy's ``iirfilter``).
    """
    if int(order) != order or order < 1:
        raise ValueError("the filter order must be a positive integer")
    if not 0 < wn < 1:
        raise ValueError("the cut-off must satisfy 0 < wn < 1 (a fraction of Nyquist)")
    m = np.arange(-order + 1, order, 2, dtype=np.float64)
    p = -np.exp(1j * np.pi * m / (2 * order))
    fs = 2.0
    warped = 2 * fs * np.tan(np.pi * np.float64(wn) / fs)
    p = warped * p                       # lp2lp_zpk (no zeros: degree = order)
    k = 1.0 * warped ** order
    fs2 = 2.0 * fs                       # bilinear_zpk
    p_z = (fs2 + p) / (fs2 - p)
    z_z = -np.ones(order)
    k_z = k * np.real(np.prod(fs2 - np.zeros(0)) / np.prod(fs2 - p))
    b = np.multiply(np.asarray([k_z], dtype=np.float64), _poly(z_z))
    a = _poly(p_z)
    return b, np.asarray(a)


def _poly(roots: np.ndarray) -> np.ndarray:
    """Polynomial coefficients from roots (``numpy.poly`` for a 1-D sequence)."""
    a = np.ones((1,), dtype=roots.dtype)
    one = np.ones_like(roots[0])
    for zero in roots:
        a = np.convolve(a, np.stack((one, -zero)), mode="full")
    if np.iscomplexobj(a):
        r = np.asarray(roots, dtype=np.complex128)
        if np.all(np.sort(np.imag(r)) == np.sort(np.imag(np.conj(r)))):
            a = np.asarray(np.real(a)).copy()
    return a


def lfilter_zi(b: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Initial state of :func:`lfilter` for a step response that starts in steady state
    (``scipy.signal.lfilter_zi``); ``b`` and ``a`` of equal length, ``a[0] != 0``."""
    b = np.asarray(b, dtype=np.float64)
    a = np.asarray(a, dtype=np.float64)
    if len(a) != len(b) or len(a) < 2:
        raise ValueError("b and a must have the same length (>= 2)")
    if a[0] != 1.0:
        b = b / a[0]
        a = a / a[0]
    n = len(a)
    companion = np.zeros((n - 1, n - 1), dtype=np.float64)
    companion[0] = -a[1:] / (1.0 * a[0])
    companion[list(range(1, n - 1)), list(range(0, n - 2))] = 1
    i_minus_a = np.eye(n - 1) - companion.T
    zi: np.ndarray = np.linalg.solve(i_minus_a, b[1:] - a[1:] * b[0])
    return zi


def lfilter(b: np.ndarray, a: np.ndarray, x: np.ndarray, zi: np.ndarray) -> np.ndarray:
    """IIR filter of ``x`` from state ``zi`` (direct form II transposed), as
    ``scipy.signal.lfilter(b, a, x, zi=zi)[0]`` for 2nd-order ``b``, ``a`` (length 3)
    or any length, with the same operation order as SciPy's C kernel."""
    a0 = float(a[0])
    bn = [float(v) / a0 for v in b]
    an = [float(v) / a0 for v in a]
    xs = np.asarray(x, dtype=np.float64).tolist()
    out = [0.0] * len(xs)
    z = [float(v) for v in zi]
    if len(bn) == 3:                     # the analysis's 2nd-order filters: unrolled
        b0, b1, b2 = bn
        a1, a2 = an[1], an[2]
        z0, z1 = z
        for i, xn in enumerate(xs):
            yn = z0 + b0 * xn
            z0 = z1 + xn * b1 - yn * a1
            z1 = xn * b2 - yn * a2
            out[i] = yn
        return np.asarray(out, dtype=np.float64)
    m = len(bn)
    for i, xn in enumerate(xs):
        yn = z[0] + bn[0] * xn
        for k in range(1, m - 1):
            z[k - 1] = z[k] + xn * bn[k] - yn * an[k]
        z[m - 2] = xn * bn[m - 1] - yn * an[m - 1]
        out[i] = yn
    return np.asarray(out, dtype=np.float64)


def _odd_extension(x: np.ndarray, padlen: int, name: str) -> np.ndarray:
    """``x`` (1-D) extended by ``padlen`` samples at each end by odd reflection, as
    SciPy's ``filtfilt`` pads; ``name`` is the caller's, for the errors."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"{name} takes a 1-D signal")
    if len(x) <= padlen:
        raise ValueError(f"The length of the input vector x must be greater than padlen, "
                         f"which is {padlen}.")
    if padlen <= 0:
        return x
    left = x[padlen:0:-1]
    right = x[-2:-(padlen + 2):-1]
    return np.concatenate((2 * x[0:1] - left, x, 2 * x[-1:] - right))


def lfilter_rows(b: np.ndarray, a: np.ndarray, x: np.ndarray, zi: np.ndarray) -> np.ndarray:
    """:func:`lfilter` of each row of ``x``, shape ``(K, N)``, with its own 2nd-order
    filter: ``b`` and ``a`` shape ``(K, 3)``, ``zi`` shape ``(K, 2)``. One pass over the
    samples for all rows (the per-sample loop is what costs); each row's values are those
    of :func:`lfilter` to the bit (the same operations in the same order)."""
    a0 = a[:, 0]
    b0, b1, b2 = (b[:, i] / a0 for i in range(3))
    a1, a2 = a[:, 1] / a0, a[:, 2] / a0
    z0, z1 = zi[:, 0].copy(), zi[:, 1].copy()
    xt = np.ascontiguousarray(np.asarray(x, dtype=np.float64).T)
    out = np.empty_like(xt)
    for i in range(len(xt)):
        xn = xt[i]
        yn = z0 + b0 * xn
        z0 = z1 + xn * b1 - yn * a1
        z1 = xn * b2 - yn * a2
        out[i] = yn
    return np.ascontiguousarray(out.T)


def filtfilt_rows(b: np.ndarray, a: np.ndarray, x: np.ndarray, padlen: int) -> np.ndarray:
    """:func:`filtfilt` of one signal ``x`` (1-D) with K 2nd-order filters at once:
    ``b`` and ``a`` shape ``(K, 3)``; returns shape ``(K, len(x))``, each row equal to
    ``filtfilt(b[k], a[k], x, padlen)`` to the bit.

    Raises
    ------
    ValueError
        ``x`` not longer than ``padlen``, or filters not of 2nd order.
    """
    b = np.atleast_2d(np.asarray(b, dtype=np.float64))
    a = np.atleast_2d(np.asarray(a, dtype=np.float64))
    if b.shape[1] != 3 or a.shape != b.shape:
        raise ValueError("filtfilt_rows takes 2nd-order filters, b and a of shape (K, 3)")
    ext = _odd_extension(x, padlen, "filtfilt_rows")
    zi = np.array([lfilter_zi(bk, ak) for bk, ak in zip(b, a, strict=True)])
    k = len(b)
    y = lfilter_rows(b, a, np.broadcast_to(ext, (k, len(ext))), zi * ext[0])
    y = lfilter_rows(b, a, y[:, ::-1], zi * y[:, -1:])[:, ::-1]
    if padlen > 0:
        y = y[:, padlen:-padlen]
    return np.ascontiguousarray(y)


def filtfilt(b: np.ndarray, a: np.ndarray, x: np.ndarray, padlen: int) -> np.ndarray:
    """Zero-phase filtering forward and backward with odd extension of ``padlen``
    samples at each end (``scipy.signal.filtfilt(b, a, x, padlen=padlen)``).

    Raises
    ------
    ValueError
        ``x`` not longer than ``padlen``.
    """
    ext = _odd_extension(x, padlen, "filtfilt")
    zi = lfilter_zi(b, a)
    y = lfilter(b, a, ext, zi * ext[0:1])
    y = lfilter(b, a, y[::-1], zi * y[-1:])[::-1]
    if padlen > 0:
        y = y[padlen:-padlen]
    return np.ascontiguousarray(y)


def find_peaks_prominent(x: np.ndarray, prominence: float) -> np.ndarray:
    """Indices of the local maxima of ``x`` whose prominence is at least ``prominence``
    (``scipy.signal.find_peaks(x, prominence=prominence)[0]``).

    A flat top counts once, at its middle sample (rounded down); the first and last
    samples are never peaks. Prominence: the peak's height above the higher of the two
    lowest points reached on either side before the signal rises above the peak
    (Palshikar 2009; SciPy's ``peak_prominences`` with no window).
    """
    v = np.asarray(x, dtype=np.float64).tolist()
    n = len(v)
    peaks: list[int] = []
    i, i_max = 1, n - 1
    while i < i_max:
        if v[i - 1] < v[i]:
            ahead = i + 1
            while ahead < i_max and v[ahead] == v[i]:
                ahead += 1
            if v[ahead] < v[i]:
                peaks.append((i + ahead - 1) // 2)
                i = ahead
        i += 1
    keep: list[int] = []
    for p in peaks:
        top = v[p]
        j, left_min = p, top
        while j >= 0 and v[j] <= top:
            if v[j] < left_min:
                left_min = v[j]
            j -= 1
        j, right_min = p, top
        while j <= n - 1 and v[j] <= top:
            if v[j] < right_min:
                right_min = v[j]
            j += 1
        if prominence <= top - max(left_min, right_min):
            keep.append(p)
    return np.asarray(keep, dtype=np.intp)


class CubicSpline:
    """Not-a-knot cubic spline through ``(x, y)``, extrapolating past the ends
    (``scipy.interpolate.CubicSpline(x, y)`` for 1-D ``y``).

    Parameters
    ----------
    x : numpy.ndarray
        Strictly increasing knots, at least 4.
    y : numpy.ndarray
        Values at the knots (1-D, same length).

    Raises
    ------
    ValueError
        Fewer than 4 knots, lengths differ, or ``x`` not strictly increasing.

    Notes
    -----
    The slopes at the knots solve the tridiagonal system of C2 continuity with
    not-a-knot ends (de Boor, *A Practical Guide to Splines*, IV), by LAPACK ``dgtsv``'s
    elimination with partial pivoting, done here in the same order.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        n = len(x)
        if x.ndim != 1 or y.shape != x.shape:
            raise ValueError("x and y must be 1-D arrays of the same length")
        if n < 4:
            raise ValueError("a not-a-knot spline needs at least 4 knots here")
        dx = np.diff(x)
        if np.any(dx <= 0):
            raise ValueError("x must be strictly increasing")
        slope = np.diff(y) / dx
        upper = np.zeros(n)
        diag = np.zeros(n)
        lower = np.zeros(n)
        rhs = np.empty(n)
        diag[1:-1] = 2 * (dx[:-1] + dx[1:])
        upper[2:] = dx[:-1]
        lower[:-2] = dx[1:]
        rhs[1:-1] = 3 * (dx[1:] * slope[:-1] + dx[:-1] * slope[1:])
        diag[0] = dx[1]
        upper[1] = x[2] - x[0]
        d = x[2] - x[0]
        rhs[0] = ((dx[0] + 2 * d) * dx[1] * slope[0] + dx[0] ** 2 * slope[1]) / d
        diag[-1] = dx[-2]
        lower[-2] = x[-1] - x[-3]
        d = x[-1] - x[-3]
        rhs[-1] = (dx[-1] ** 2 * slope[-2] + (2 * d + dx[-1]) * dx[-2] * slope[-1]) / d
        s = _gtsv(lower[:-1].tolist(), diag.tolist(), upper[1:].tolist(), rhs.tolist())
        t = (s[:-1] + s[1:] - 2 * slope) / dx
        self.x = x
        self.c = np.stack((t / dx, (slope - s[:-1]) / dx - t, s[:-1], y[:-1]))

    def __call__(self, xv: np.ndarray) -> np.ndarray:
        """Spline values at ``xv`` (the end pieces extended beyond the knots)."""
        xv = np.asarray(xv, dtype=np.float64)
        k = np.clip(np.searchsorted(self.x, xv, side="right") - 1, 0, len(self.x) - 2)
        s = xv - self.x[k]
        c = self.c
        z = np.ones_like(s)
        res = 0.0 + c[3, k] * z
        z = z * s
        res = res + c[2, k] * z
        z = z * s
        res = res + c[1, k] * z
        z = z * s
        out: np.ndarray = res + c[0, k] * z
        return out


def _gtsv(dl: list[float], d: list[float], du: list[float], b: list[float]) -> np.ndarray:
    """Solve a tridiagonal system (sub-, main, super-diagonal, right side) by Gaussian
    elimination with partial pivoting: LAPACK ``dgtsv`` for one right-hand side."""
    n = len(d)
    for i in range(n - 1):
        if abs(d[i]) >= abs(dl[i]):
            if d[i] == 0.0:
                raise ValueError("singular spline system")
            fact = dl[i] / d[i]
            d[i + 1] = d[i + 1] - fact * du[i]
            b[i + 1] = b[i + 1] - fact * b[i]
            dl[i] = 0.0
        else:
            fact = d[i] / dl[i]
            d[i] = dl[i]
            temp = d[i + 1]
            d[i + 1] = du[i] - fact * temp
            if i < n - 2:
                dl[i] = du[i + 1]
                du[i + 1] = -fact * dl[i]
            du[i] = temp
            temp = b[i]
            b[i] = b[i + 1]
            b[i + 1] = temp - fact * b[i + 1]
    if d[n - 1] == 0.0:
        raise ValueError("singular spline system")
    b[n - 1] = b[n - 1] / d[n - 1]
    b[n - 2] = (b[n - 2] - du[n - 2] * b[n - 1]) / d[n - 2]
    for i in range(n - 3, -1, -1):
        b[i] = (b[i] - du[i] * b[i + 1] - dl[i] * b[i + 2]) / d[i]
    return np.asarray(b, dtype=np.float64)
