"""Tick labels keep apart on short and narrow plots: two labels at least where two fit,
one on a plot too short for two."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage, QPainter

from widgets.readable_axis import ReadableAxisItem, next_step


def _label_rects(axis):
    img = QImage(max(int(axis.width()), 10), max(int(axis.height()), 10), QImage.Format_ARGB32)
    p = QPainter(img)
    try:
        _spec, _ticks, texts = axis.generateDrawSpecs(p)
    finally:
        p.end()
    return [rect for rect, _flags, _text in texts]


def test_the_steps_are_round():
    assert [round(next_step(s), 6) for s in (0.1, 0.2, 0.4, 0.5, 1.0, 20.0)] == \
        [0.2, 0.4, 0.5, 1.0, 2.0, 40.0]


@pytest.mark.parametrize("height", [55, 90, 130, 250])
@pytest.mark.parametrize("span", [0.62, 1.3, 8.6, 450.0])
def test_vertical_labels_never_overlap(qtbot, height, span):
    w = pg.PlotWidget(axisItems={s: ReadableAxisItem(s) for s in ("left", "bottom")})
    qtbot.addWidget(w)
    w.showGrid(x=True, y=True)
    w.resize(300, height)
    w.show()
    qtbot.waitExposed(w)
    w.plot(np.linspace(0, 10, 50), np.linspace(0, span, 50))
    w.setYRange(-0.05 * span, span * 1.05, padding=0)
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
