"""The analysis panel's plots break where the bar was not seen (a camera cut, the bar
hidden): the height, velocity and bar-path curves never join the two sides of a gap with
a straight line (the panel says those gaps are left out)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QPainterPath

from tests.widgets.shown import shown
from widgets.analysis_panel import AnalysisPanelWidget, PanelData


def _longest_line(item, axis: int = 0) -> float:
    """The longest straight line the plot item draws, along x (``axis`` 0) or y (1)."""
    path = item.curve.getPath()
    longest = 0.0
    for i in range(1, path.elementCount()):
        e = path.elementAt(i)
        if e.type == QPainterPath.ElementType.LineToElement:
            p = path.elementAt(i - 1)
            longest = max(longest, abs((e.x - p.x) if axis == 0 else (e.y - p.y)))
    return longest


def _joined_across(item, most_dt: float) -> bool:
    """True when two neighbouring drawn samples are more than ``most_dt`` apart in x."""
    x, y = item.getData()
    both = np.isfinite(x[:-1]) & np.isfinite(y[:-1]) & np.isfinite(x[1:]) & np.isfinite(y[1:])
    return bool(np.any(np.abs(np.diff(x))[both] > most_dt))


def test_the_curves_break_at_a_stretch_where_the_bar_was_not_seen(qtbot):
    fps = 30.0
    t = np.arange(0, 20, 1 / fps)
    height = 0.3 + 0.25 * np.cos(t * 2 * np.pi / 3)
    x = 0.02 * np.sin(t)
    gap = (t > 8.0) & (t < 12.0)  # a camera cut: nothing measured there
    height[gap] = np.nan
    x[gap] = np.nan
    vy = np.gradient(np.nan_to_num(height), t)
    vy[gap] = np.nan
    w = shown(qtbot, AnalysisPanelWidget())
    w.set_data(PanelData(t, x, height, vy, "m", [], ["no reps"]))
    qtbot.wait(50)
    for item in (w.height_curve, w.velocity_curve):
        assert not _joined_across(item, 2 / fps)
        assert _longest_line(item) <= 2 / fps  # drawn: one frame to the next, no more
    # the bar path (height against horizontal position): the last height before the cut
    # and the first after it are 0.37 m apart; no line joins them
    assert _longest_line(w.path_all, axis=1) < 0.1


def test_the_comparison_velocity_curve_breaks_at_a_gap(qtbot):
    from widgets.compare_analysis import CompareAnalysisWidget, CompareSeries

    fps = 30.0
    t = np.arange(0, 20, 1 / fps)
    v = 0.5 * np.sin(t)
    v[(t > 8.0) & (t < 12.0)] = np.nan  # a camera cut on side A
    w = shown(qtbot, CompareAnalysisWidget())
    path = np.linspace(0, 0.5, 20)
    sides = [CompareSeries(name, t, v, path * 0, path, "m") for name in ("A", "B")]
    w.set_series(*sides, rows=[])
    qtbot.wait(50)
    assert _longest_line(w.curves[0]) <= 2 / fps
