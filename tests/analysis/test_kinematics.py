"""Kinematics: zero-lag filter, residual cut-off, gaps, VFR, units."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.lift.kinematics import KinematicsSettings, compute_kinematics, residual_cutoff

PX_PER_M = 150 / 0.45


def _sine_track(t: np.ndarray, rng: np.random.Generator, noise: float = 0.5):
    # 0.25 m amplitude, 0.4 Hz: velocity amplitude 2*pi*0.4*0.25 = 0.628 m/s
    h = 0.25 * np.sin(2 * np.pi * 0.4 * t)
    v = 0.25 * 2 * np.pi * 0.4 * np.cos(2 * np.pi * 0.4 * t)
    x = 300 + rng.normal(0, noise, len(t))
    y = 400 - h * PX_PER_M + rng.normal(0, noise, len(t))
    return x, y, h, v


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_velocity_of_a_noisy_sine_in_metres(fps: float) -> None:
    rng = np.random.default_rng(1)
    t = np.arange(0, 6, 1 / fps)
    x, y, h, v = _sine_track(t, rng)
    k = compute_kinematics(t, x, y, m_per_px=1 / PX_PER_M)
    assert k.units == "m" and k.cutoff_auto
    inner = slice(int(fps), -int(fps))
    assert np.max(np.abs(k.vy[inner] - v[inner])) < 0.03
    assert np.max(np.abs(k.height[inner] - (h[inner] - 400 / PX_PER_M))) < 0.003
    assert 1.0 <= k.cutoff_hz <= 12.0


def test_vfr_timestamps_are_used() -> None:
    rng = np.random.default_rng(2)
    t = np.cumsum(rng.uniform(0.023, 0.07, 150))
    x, y, h, v = _sine_track(t, rng)
    k = compute_kinematics(t, x, y, m_per_px=1 / PX_PER_M)
    assert k.resampled
    inner = (t > t[0] + 1) & (t < t[-1] - 1)
    assert np.max(np.abs(k.vy[inner] - v[inner])) < 0.05


def test_pixels_without_scale_and_upward_is_positive() -> None:
    t = np.arange(0, 3, 1 / 30)
    y = 500 - 100 * t  # image y decreases: the bar rises at 100 px/s
    k = compute_kinematics(t, np.full_like(t, 10.0), y, cutoff_hz=5.0)
    assert k.units == "px" and not k.cutoff_auto and k.cutoff_hz == 5.0
    assert np.allclose(k.vy, 100.0, atol=1e-6)
    assert np.allclose(k.vx, 0.0, atol=1e-9)


def test_short_gap_filled_long_gap_left_out() -> None:
    rng = np.random.default_rng(3)
    t = np.arange(0, 6, 1 / 30)
    x, y, h, v = _sine_track(t, rng)
    x[40:43] = np.nan  # 0.1 s: filled
    y[100:130] = np.nan  # 1 s: left out
    k = compute_kinematics(t, x, y, m_per_px=1 / PX_PER_M)
    assert k.filled[40:43].all() and k.valid[40:43].all()
    assert not k.valid[100:130].any() and np.isnan(k.vy[100:130]).all()
    assert k.warnings
    assert abs(k.vy[41] - v[41]) < 0.05


def test_residual_cutoff_is_higher_for_faster_signals() -> None:
    rng = np.random.default_rng(4)
    t = np.arange(0, 10, 1 / 60)
    slow = np.sin(2 * np.pi * 0.5 * t) * 100 + rng.normal(0, 0.5, len(t))
    fast = np.sin(2 * np.pi * 3.0 * t) * 100 + rng.normal(0, 0.5, len(t))
    assert residual_cutoff(fast, 60.0) > residual_cutoff(slow, 60.0)


@pytest.mark.parametrize("t,x,y,msg", [
    ([0, 1], [1], [1, 2], "differ in length"),
    ([0, 0, 1], [1, 2, 3], [1, 2, 3], "increase"),
    ([], [], [], "empty"),
    ([0, 1, 2], [np.nan] * 3, [np.nan] * 3, "fewer than two"),
])
def test_bad_input_plain_message(t, x, y, msg) -> None:
    with pytest.raises(ValueError, match=msg):
        compute_kinematics(t, x, y)


def test_bad_settings() -> None:
    with pytest.raises(ValueError, match="cut-off"):
        KinematicsSettings(cutoff_hz=-1)
    with pytest.raises(ValueError, match="metres per pixel"):
        compute_kinematics([0, 1, 2], [1, 2, 3], [1, 2, 3], m_per_px=0)
