"""The attempt view's bar-path labels ("jerk 161 cm", "peak 118 cm", "catch 81 cm") never
lie over one another, however short the plot (on a laptop "peak" was hidden under
"jerk"), and the attempt table shows its last column ("Result") without scrolling.
Generated clean and jerk (tests/truth2, a blind generator)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

from analysis.lift.attempts import add_attempts
from analysis.lift.exercises import WeightliftingProfile
from analysis.lift.result import analyze_track
from tests.truth2 import weightlifting_truth as W
from tests.widgets.shown import shown
from widgets.analysis_panel import AnalysisPanelWidget
from widgets.panel_data import panel_data
from widgets.table_fit import available_width, columns_width

PX_PER_M = 150.0


def _data(traj, lift: str):
    t = np.arange(0.0, traj.duration, 1 / 30)
    x = 200 + traj.x(t) * PX_PER_M
    y = 390 - traj.y(t) * PX_PER_M
    res = analyze_track(t, x, y, m_per_px=1 / PX_PER_M, lift="deadlift")
    add_attempts(res, WeightliftingProfile(lift))
    assert res.weightlifting is not None and res.weightlifting.attempts
    return panel_data(res)


@pytest.fixture(scope="module")
def cj_data():
    return _data(W.clean_and_jerk(1), "clean_and_jerk")


@pytest.fixture(scope="module")
def clean_data():
    """A power clean: caught 4 cm under its peak, so "peak" and "catch" are 4 cm apart."""
    return _data(W.power_clean(1), "clean")


def _labels(panel):
    return [it for it in panel.path_plot.getPlotItem().items if isinstance(it, pg.TextItem)]


@pytest.mark.parametrize("size", [(440, 640), (520, 900)])
@pytest.mark.parametrize("lift", ["clean_and_jerk", "power_clean"])
def test_bar_path_labels_do_not_overlap(qtbot, cj_data, clean_data, size, lift):
    w = shown(qtbot, AnalysisPanelWidget(), *size)
    w.set_data(cj_data if lift == "clean_and_jerk" else clean_data)
    qtbot.wait(300)
    labels = _labels(w)
    assert len(labels) >= (3 if lift == "clean_and_jerk" else 2)
    w.resize(size[0], size[1] - 60)  # a shorter plot: laid out again
    qtbot.wait(300)
    rects = [(lb.toPlainText(), lb.sceneBoundingRect()) for lb in labels]
    for i, (ta, a) in enumerate(rects):
        for tb, b in rects[i + 1:]:
            assert not a.intersects(b), (ta, tb, a, b)


def test_the_attempt_table_shows_every_column(qtbot, cj_data):
    # the Analysis dock on a 1366 px laptop screen (at the app font)
    w = shown(qtbot, AnalysisPanelWidget(), 380, 900)
    w.set_data(cj_data)
    qtbot.wait(300)
    t = w.table
    assert columns_width(t) <= available_width(t), (columns_width(t), available_width(t))
    assert not t.horizontalScrollBar().isVisible()


def test_a_real_attempts_widest_cells_fit_a_460_px_dock(qtbot, qapp, cj_data):
    """Tour 30: in a 460 px Analysis dock, at the app's font, the real clean and jerk's
    row (peak 118.8 cm, drifts +10.6 and -10.2 cm) was 2 px wider than the table: a scroll
    bar lay over the row. The narrow number columns ("#", "Type") no longer keep 24 px."""
    from app.launch import theme

    before = qapp.styleSheet()
    qapp.setStyleSheet(theme())  # the rep table's 11 pt font
    try:
        w = shown(qtbot, AnalysisPanelWidget(), 454, 900)  # the panel in a 460 px dock
        w.set_data(cj_data)
        t = w.table
        for c, text in enumerate(["1", "118.8", "81.4", "37.4", "1.74", "-0.6", "+10.6",
                                  "-10.2", "-0.2", "1", "made"]):
            t.item(0, c).setText(text)
        w.fitter.fit()
        qtbot.wait(100)
        assert columns_width(t) <= available_width(t), (columns_width(t), available_width(t))
        assert not t.horizontalScrollBar().isVisible()
        for c in range(t.columnCount()):  # every cell whole (its text and the view's margins)
            assert t.columnWidth(c) >= t.sizeHintForColumn(c), c
    finally:
        qapp.setStyleSheet(before)
