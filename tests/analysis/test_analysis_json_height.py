"""The analysis JSON's ``series.height`` is the height the panel plots and the track CSV
holds: up from the set's lowest point, 0 at the bottom (docs/analysis-format.md)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.lift.result import FORMAT_VERSION, analyze_track


def test_series_height_is_measured_up_from_the_lowest_point():
    """It was ``-y`` scaled (a squat 600-900 px down the picture read -1.2 standing to
    -1.8 m at the bottom) while the panel and the track CSV read 0.6 to 0."""
    t = np.arange(300) / 30  # a squat filmed 600-900 px down the picture, 2 mm/px
    y = 600 + 300 * (0.5 - 0.5 * np.cos(2 * np.pi * t / 5))
    r = analyze_track(t, np.full_like(t, 100.0), y, m_per_px=0.002, lift="squat")
    d = r.to_dict()
    assert d["version"] == FORMAT_VERSION == 2
    h = np.array([np.nan if v is None else v for v in d["series"]["height"]], float)
    assert np.nanmin(h) == pytest.approx(0.0, abs=1e-5)
    assert h[0] == pytest.approx(0.6, abs=0.01)  # standing, at the start
    assert h[int(np.argmax(y))] == pytest.approx(0.0, abs=0.005)  # the bottom
    assert h == pytest.approx(r.kinematics.height_from_lowest(), abs=1e-5, nan_ok=True)
