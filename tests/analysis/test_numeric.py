"""The NumPy filter, peak finder and spline of analysis.lift.numeric equal SciPy's.

The analysis used SciPy's ``butter``/``filtfilt``, ``find_peaks`` and ``CubicSpline``;
their NumPy replacements must give the same numbers (compared here to 1e-12, relative,
on many random signals and the edge cases the analysis can meet), so no measurement
changes. The comparison needs SciPy, which stays a dependency (progress, stats).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.interpolate import CubicSpline as SciPySpline
from scipy.signal import butter, filtfilt, find_peaks, lfilter_zi

from analysis.lift import numeric

ROOT = Path(__file__).resolve().parents[2]
TOL = 1e-12


def _close(ours: np.ndarray, theirs: np.ndarray) -> None:
    assert ours.shape == theirs.shape
    scale = max(1.0, float(np.max(np.abs(theirs)))) if theirs.size else 1.0
    assert np.max(np.abs(ours - theirs), initial=0.0) <= TOL * scale


@pytest.mark.parametrize("wn", [1e-3, 0.0123, 0.1, 1 / 3, 0.5, 0.8, 0.899, 0.95, 0.99])
@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_butterworth_design_and_initial_state(order: int, wn: float) -> None:
    b, a = numeric.butter_lowpass(order, wn)
    sb, sa = butter(order, wn)
    _close(b, sb)
    _close(a, sa)
    _close(numeric.lfilter_zi(b, a), lfilter_zi(sb, sa))


@pytest.mark.parametrize("wn", [0.0, 1.0, -0.2, 1.5])
def test_butterworth_refuses_a_cut_off_outside_nyquist(wn: float) -> None:
    with pytest.raises(ValueError):
        numeric.butter_lowpass(2, wn)


def test_filtfilt_on_random_signals_lengths_and_paddings() -> None:
    rng = np.random.default_rng(7)
    for _ in range(400):
        wn = float(rng.uniform(0.01, 0.95))
        b, a = butter(2, wn)
        n = int(rng.integers(2, 400))
        x = np.cumsum(rng.normal(size=n)) * float(rng.uniform(1e-3, 1e3))
        for padlen in {0, 1, min(9, n - 1), min(27, n - 1), n - 1}:
            _close(numeric.filtfilt(b, a, x, padlen), filtfilt(b, a, x, padlen=padlen))


@pytest.mark.parametrize("signal", [np.zeros(12), np.full(10, 3.5), np.arange(11.0),
                                    np.r_[np.zeros(10), 1e6, np.zeros(10)],
                                    np.sin(np.arange(40) * 3.0)])
def test_filtfilt_edge_signals(signal: np.ndarray) -> None:
    b, a = butter(2, 0.4)
    for padlen in (0, len(signal) - 1, min(27, len(signal) - 1)):
        _close(numeric.filtfilt(b, a, signal, padlen), filtfilt(b, a, signal, padlen=padlen))


def test_filtfilt_rows_equals_one_filtfilt_per_filter_to_the_bit() -> None:
    # the residual analysis filters one signal at ~47 cut-offs in one pass; the numbers
    # must be exactly those of one filtfilt per cut-off (no measurement may change)
    rng = np.random.default_rng(11)
    for _ in range(60):
        n = int(rng.integers(2, 400))
        x = np.cumsum(rng.normal(size=n)) * float(rng.uniform(1e-3, 1e3))
        coef = [numeric.butter_lowpass(2, float(w)) for w in rng.uniform(0.01, 0.89, 5)]
        b = np.array([c[0] for c in coef])
        a = np.array([c[1] for c in coef])
        for padlen in {0, 1, min(27, n - 1), n - 1}:
            rows = numeric.filtfilt_rows(b, a, x, padlen)
            assert rows.shape == (5, n)
            for k in range(5):
                assert np.array_equal(rows[k], numeric.filtfilt(b[k], a[k], x, padlen))
    with pytest.raises(ValueError):
        numeric.filtfilt_rows(b, a, np.arange(9.0), 9)
    with pytest.raises(ValueError):
        numeric.filtfilt_rows(*butter(4, 0.2), np.arange(40.0), 9)


def test_filtfilt_refuses_a_signal_not_longer_than_its_padding() -> None:
    b, a = butter(2, 0.4)
    with pytest.raises(ValueError):
        numeric.filtfilt(b, a, np.arange(9.0), 9)


def test_higher_order_lfilter_path_matches() -> None:
    rng = np.random.default_rng(3)
    b, a = butter(4, 0.2)
    x = rng.normal(size=200)
    _close(numeric.filtfilt(b, a, x, 30), filtfilt(b, a, x, padlen=30))


def test_find_peaks_with_plateaus_minus_infinity_and_any_threshold() -> None:
    rng = np.random.default_rng(11)
    for _ in range(2000):
        s = np.round(rng.normal(size=int(rng.integers(0, 60))) * 2) / 2  # plateaus
        if len(s) and rng.random() < 0.4:
            s[rng.random(len(s)) < 0.2] = -np.inf                      # the analysis's NaN
        prominence = float(rng.uniform(-1.0, 3.0))
        ours = numeric.find_peaks_prominent(s, prominence)
        theirs, _ = find_peaks(s, prominence=prominence)
        assert np.array_equal(ours, theirs), (s, prominence)


@pytest.mark.parametrize("signal", [[], [1.0], [1.0, 2.0], [0.0, 1.0, 0.0], [0.0, 1.0, 1.0],
                                    [0.0, 1.0, 1.0, 1.0, 0.0], [0.0, 1.0, 1.0, 0.0, 1.0, 0.0],
                                    [3.0, 3.0, 3.0], [0.0, 2.0, 1.0, 2.0, 0.0]])
def test_find_peaks_small_cases(signal: list[float]) -> None:
    s = np.asarray(signal, dtype=float)
    for prominence in (0.0, 0.5, 1.0, 2.0):
        assert np.array_equal(numeric.find_peaks_prominent(s, prominence),
                              find_peaks(s, prominence=prominence)[0])


def _spline_case(x: np.ndarray, y: np.ndarray) -> None:
    q = np.concatenate([np.linspace(x[0] - 1.0, x[-1] + 1.0, 777), x,
                        (x[:-1] + x[1:]) / 2])
    _close(numeric.CubicSpline(x, y)(q), SciPySpline(x, y)(q))


def test_cubic_spline_on_random_knots_including_extrapolation() -> None:
    rng = np.random.default_rng(5)
    for _ in range(400):
        n = int(rng.integers(4, 300))
        x = np.cumsum(rng.uniform(1e-3, 0.1, n)) + float(rng.uniform(-10, 10))
        _spline_case(x, np.cumsum(rng.normal(size=n)))


def test_cubic_spline_with_very_uneven_knots_pivots_like_lapack() -> None:
    rng = np.random.default_rng(9)
    for _ in range(300):
        n = int(rng.integers(4, 40))
        x = np.cumsum(10.0 ** rng.uniform(-4, 2, n))   # spacings over six decades
        _spline_case(x, rng.normal(size=n) * 100)


@pytest.mark.parametrize("n", [4, 5, 6])
def test_cubic_spline_fewest_knots(n: int) -> None:
    _spline_case(np.arange(n) / 30.0, np.sin(np.arange(n, dtype=float)))


def test_cubic_spline_refuses_bad_knots() -> None:
    with pytest.raises(ValueError):
        numeric.CubicSpline(np.arange(3.0), np.arange(3.0))
    with pytest.raises(ValueError):
        numeric.CubicSpline(np.array([0.0, 1.0, 1.0, 2.0]), np.arange(4.0))


def test_measuring_a_track_does_not_load_scipy_signal_or_interpolate() -> None:
    """Measuring a set (smoothing, gap filling, rep metrics) and the weightlifting filter
    leave SciPy's signal and interpolate packages unloaded (about 1 s of start-up)."""
    code = (
        "import sys\n"
        "import numpy as np\n"
        "from analysis.lift.result import analyze_track\n"
        "from analysis.lift.weightlifting_signal import smooth\n"
        "t = np.arange(300) / 30.0\n"
        "rng = np.random.default_rng(0)\n"
        "y = 400 + 100 * np.cos(2 * np.pi * 0.3 * t) + rng.normal(0, 0.5, len(t))\n"
        "y[50:53] = np.nan\n"
        "res = analyze_track(t, 300 + 0 * t, y)\n"
        "assert res.reps, 'a rep to measure'\n"
        "smooth(y[:40], 1 / 30.0)\n"
        "print(sorted(m for m in ('scipy.signal', 'scipy.interpolate') if m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False, env={"PYTHONPATH": str(ROOT)})
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr
