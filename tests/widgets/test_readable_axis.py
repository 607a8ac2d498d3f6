"""Tick labels keep apart on short and narrow plots: two labels at least where two fit,
one on a plot too short for two."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

from tests.widgets.axis_labels import axis_labels
from widgets.readable_axis import ReadableAxisItem, next_step


def _label_rects(axis):
    return [rect for rect, _flags, _text in axis_labels(axis)]


def test_the_steps_are_round():
    assert [round(next_step(s), 6) for s in (0.1, 0.2, 0.4, 0.5, 1.0, 20.0)] == \
        [0.2, 0.4, 0.5, 1.0, 2.0, 40.0]


@pytest.mark.parametrize("height", [55, 90, 130, 250])
@pytest.mark.parametrize("span", [(0, 0.62), (0, 1.3), (0, 8.6), (0, 450.0), (-0.53, 0.61)])
def test_vertical_labels_never_overlap(qtbot, height, span):
    """...and two or more are drawn where two fit: pyqtgraph's spacing on a 55 px velocity
    axis from -0.53 to 0.61 m/s put -0.5 and 0.5 at the ends, where they are skipped."""
    lo, hi = span
    w = pg.PlotWidget(axisItems={s: ReadableAxisItem(s) for s in ("left", "bottom")})
    qtbot.addWidget(w)
    w.showGrid(x=True, y=True)
    w.resize(300, height)
    w.show()
    qtbot.waitExposed(w)
    w.plot(np.linspace(0, 10, 50), np.linspace(lo, hi, 50))
    w.setYRange(lo - 0.05 * (hi - lo) if lo == 0 else lo, hi * 1.05 if lo == 0 else hi,
                padding=0)
    qtbot.wait(30)
    for side in ("left", "bottom"):
        rects = _label_rects(w.getAxis(side))
        assert len(rects) >= (1 if side == "left" and height < 90 else 2), (side, height, span)
        for i, a in enumerate(rects):
            for b in rects[i + 1:]:
                assert not a.intersects(b), (side, height, span, a, b)


@pytest.mark.parametrize("width", [150, 200, 260])
def test_horizontal_labels_never_overlap(qtbot, width):
    w = pg.PlotWidget(axisItems={s: ReadableAxisItem(s) for s in ("left", "bottom")})
    qtbot.addWidget(w)
    w.resize(width, 200)
    w.show()
    qtbot.waitExposed(w)
    w.plot(np.linspace(-0.62, 0.55, 50), np.linspace(0, 1, 50))
    w.setXRange(-0.65, 0.6, padding=0)
    qtbot.wait(30)
    rects = _label_rects(w.getAxis("bottom"))
    assert len(rects) >= 2
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b), (width, a, b)


def test_a_short_velocity_axis_keeps_a_scale(qtbot):
    """The real squat's velocity (-1.08 to 1.03 m/s) on a 55 px view: pyqtgraph's spacing
    put -0.5/0.5 under one another's room and -1/1 at the ends, so only "0" was drawn."""
    w = pg.PlotWidget(axisItems={s: ReadableAxisItem(s) for s in ("left", "bottom")})
    qtbot.addWidget(w)
    w.showGrid(x=True, y=True)
    w.show()
    qtbot.waitExposed(w)
    w.plot(np.linspace(0, 36, 50), np.linspace(-1.0, 1.0, 50))
    vb = w.getPlotItem().getViewBox()
    for h in range(70, 160):
        w.resize(300, h)
        qtbot.wait(5)
        if vb.height() >= 55:
            break
    assert 55 <= vb.height() <= 58
    w.setYRange(-1.079, 1.033, padding=0)
    qtbot.wait(30)
    rects = _label_rects(w.getAxis("left"))
    assert len(rects) >= 2, rects
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b), (a, b)
