"""The analysis panel's plots read right: the bar path with equal axes fitted to the path,
whole-number rep ticks on the tempo chart, and the set summary shown in full."""

from __future__ import annotations

import numpy as np
import pytest

from tests.widgets.axis_labels import axis_labels
from tests.widgets.shown import shown
from widgets.analysis_panel import AnalysisPanelWidget, PanelData, RepView
from widgets.aspect_plot_box import MIN_VIEW_WIDTH

SUMMARY = ["<b>5 reps</b> (squat, bar down first (read from the motion: set the exercise "
           "to change it)) · ⚑ reps 2, 4 left out",
           "Velocity loss rep 1 (first, fastest counted) → rep 5: 37 % ⚠ over threshold",
           "Bar-path consistency: 4.7 cm RMS",
           "Velocities in m/s; filter 6.0 Hz (auto)",
           "Scale from plate 450 mm measured on 24 frames, spread 0.0 %: 2.858 mm/px"]


def _squat_set(reps: int = 5, drift: float = 0.04, rom: float = 0.6) -> PanelData:
    """Five squats: the bar goes down and up ``rom`` m, wandering ``drift`` m sideways."""
    fps, period = 30.0, 3.0
    t = np.arange(0, reps * period + 1.0, 1 / fps)
    phase = np.clip(t - 0.5, 0, reps * period) / period * 2 * np.pi
    height = rom * (0.5 + 0.5 * np.cos(phase))
    x = drift * np.sin(phase / 2) ** 2
    vy = np.gradient(height, t)
    views = []
    for i in range(reps):
        a = 0.5 + i * period
        views.append(RepView(number=i + 1, phases=[("eccentric", a, a + 1.5),
                                                   ("concentric", a + 1.5, a + 3.0)],
                             mean_velocity=0.5, peak_velocity=0.9, rom=rom, drift=drift,
                             tempo="1.5-0.0-1.5-0.0", notation="2-0-2-0",
                             tempo_parts=(1.5, 0.0, 1.5, 0.0)))
    return PanelData(t, x, height, vy, "m", views, SUMMARY)


@pytest.fixture
def panel(qtbot):
    w = shown(qtbot, AnalysisPanelWidget())  # the dock's width, a laptop's height
    w.set_data(_squat_set())
    qtbot.wait(50)  # the plot box narrows on the next layout pass
    return w


def test_the_bar_path_has_equal_axes_fitted_to_the_path(panel, qtbot):
    vb = panel.path_plot.getPlotItem().getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    d = panel.data
    assert x0 <= d.x.min() and d.x.max() <= x1 and y0 <= d.height.min() and d.height.max() <= y1
    per_m_x = vb.width() / (x1 - x0)
    per_m_y = vb.height() / (y1 - y0)
    assert per_m_x == pytest.approx(per_m_y, rel=0.03)  # a cm is a cm both ways
    # a path 4 cm wide and 60 cm tall is drawn tall and narrow, not on a wide empty axis:
    # the view is as wide as the path needs, or the least that keeps the x ticks legible
    assert (x1 - x0) < (y1 - y0)
    need = vb.height() * (d.x.max() - d.x.min()) / (d.height.max() - d.height.min())
    assert vb.width() <= max(need * 1.2, MIN_VIEW_WIDTH) + 2
    assert panel.path_plot.width() < 0.6 * panel.width()


def test_a_drifting_path_gets_the_width_it_needs(panel, qtbot):
    panel.set_data(_squat_set(drift=0.6, rom=0.3))  # twice as wide as tall
    qtbot.wait(50)
    vb = panel.path_plot.getPlotItem().getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    assert x0 <= panel.data.x.min() and panel.data.x.max() <= x1
    assert vb.width() / (x1 - x0) == pytest.approx(vb.height() / (y1 - y0), rel=0.03)
    assert (x1 - x0) < 1.25 * (panel.data.x.max() - panel.data.x.min())  # fitted, no empty axis
    assert vb.width() > 1.5 * vb.height()  # wider than tall, as the path is


def _tick_labels(plot) -> list[str]:
    return [text for _rect, _flags, text in axis_labels(plot.getAxis("bottom"), height=40)]


def test_the_tempo_chart_ticks_are_whole_reps(panel):
    labels = _tick_labels(panel.tempo_plot)
    assert labels == ["1", "2", "3", "4", "5"]


def test_the_summary_shows_every_line(panel):
    s = panel.summary
    assert s.isVisible()
    assert s.height() >= s.heightForWidth(s.width())  # no line cut off at the bottom
    assert s.mapTo(panel, s.rect().bottomLeft()).y() <= panel.height()
    assert "mm/px" in s.text() and "⚑ reps 2, 4 left out" in s.text()


def test_the_comparison_bar_paths_are_fitted_the_same_way(qtbot):
    from widgets.compare_analysis import CompareAnalysisWidget, CompareSeries

    w = shown(qtbot, CompareAnalysisWidget())
    d = _squat_set()
    sides = [CompareSeries(name, d.t, d.velocity, d.x + shift, d.height, "m")
             for name, shift in (("A", 0.0), ("B", 0.02))]
    w.set_series(*sides, rows=[])
    qtbot.wait(50)
    vb = w.path_plot.getPlotItem().getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    assert x0 <= d.x.min() and d.x.max() + 0.02 <= x1 and y0 <= 0 and d.height.max() <= y1
    assert vb.width() / (x1 - x0) == pytest.approx(vb.height() / (y1 - y0), rel=0.03)
    assert (x1 - x0) < (y1 - y0)  # two tall paths drawn tall, not on a wide empty axis


def test_the_rep_table_shows_a_whole_set_of_five_on_a_laptop(panel):
    """A new user saw only 2-3 reps of the table without scrolling: on a 900 px high dock
    a set of five fits."""
    t = panel.table
    assert t.rowCount() == 5
    visible = t.viewport().height() / t.rowHeight(0)
    assert visible >= 4.5, visible


def test_the_rep_table_gives_how_sure_each_mcv_is(panel, qtbot):
    """Each MCV's standard deviation from the position noise: on a second line of its cell
    when the cell's precision can show it, always in its tooltip."""
    d = _squat_set()
    d.reps[0].mean_velocity_sd = 0.012
    d.reps[1].mean_velocity_sd = 0.001
    panel.set_data(d)
    qtbot.wait(50)
    t = panel.table
    assert t.item(0, 2).text() == "0.50\n± 0.01"
    assert "± 0.012 m/s" in t.item(0, 2).toolTip()
    assert t.item(1, 2).text() == "0.50" and "± 0.001 m/s" in t.item(1, 2).toolTip()
    assert t.item(2, 2).text() == "0.50" and "±" not in t.item(2, 2).toolTip()
    visible = t.viewport().height() / t.rowHeight(0)
    assert visible >= 4.5, visible  # still a whole set of five on a laptop


def test_the_mpv_tooltip_says_why_it_equals_the_mcv():
    """Coaches saw MPV equal to MCV on every rep of slow lifts and took it for MPV not being
    computed: the cell says why when they are equal."""
    from widgets.analysis_panel import mpv_tip

    same = mpv_tip(0.45, 0.45)
    assert "equal to the MCV here" in same and "gravity" in same
    assert "equal to the MCV" not in mpv_tip(1.10, 1.21)
    assert "metres" in mpv_tip(230.0, None)


def test_plots_held_at_their_least_leave_the_table_its_room():
    """The plots' share of the room: rows below their least height are held there and the
    others share what is left, adding up to the room (shares of 320 px gave 120+96+115 =
    331 px, 11 px taken from the rep table)."""
    from widgets.panel_plots import PLOT_MIN_HEIGHTS, PLOT_SHARES, share_out

    assert share_out(320, PLOT_MIN_HEIGHTS, PLOT_SHARES) == list(PLOT_MIN_HEIGHTS)
    sizes = share_out(400, PLOT_MIN_HEIGHTS, PLOT_SHARES)
    assert sum(sizes) <= 400 and sum(sizes) >= 398
    assert all(s >= least for s, least in zip(sizes, PLOT_MIN_HEIGHTS, strict=True))
    assert share_out(200, PLOT_MIN_HEIGHTS, PLOT_SHARES) == list(PLOT_MIN_HEIGHTS)
    assert share_out(1000, (10, 10), (0.5, 0.5)) == [500, 500]
