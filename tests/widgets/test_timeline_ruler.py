"""The timeline's ruler labels never run into each other, the last one included."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QFont, QFontMetrics

from widgets.timeline import TimelineWidget


@pytest.mark.parametrize("points", [9, 10, 11, 12])
def test_the_ruler_labels_of_a_37_s_clip_never_overlap(qtbot, points):
    """A 37.2 s clip at 30 fps, on timelines 560-1300 px wide: at about 720 px the last
    label, drawn left of its tick at the right edge, ran into the one before
    ("00:30.000:35.0")."""
    tl = TimelineWidget()
    qtbot.addWidget(tl)
    font = QFont(tl.font())
    font.setPointSizeF(points)
    tl.setFont(font)
    ruler_font = QFont(font)
    ruler_font.setPointSizeF(points - 1)
    advance = QFontMetrics(ruler_font).horizontalAdvance
    tl.set_times(np.arange(1116) / 30.0)
    for width in range(560, 1301, 4):
        tl.resize(width, 50)
        ticks = tl.ruler()
        assert len(ticks) >= 4
        shown = [(at, text) for _x, at, text in ticks if at is not None]
        assert shown[0][1] == "00:00.0" and len(shown) >= len(ticks) - 1, (width, ticks)
        for (a, ta), (b, _tb) in zip(shown, shown[1:], strict=False):
            assert a + advance(ta) + 4 <= b, (width, ta, a, b)
        assert all(0 <= at and at + advance(text) <= width for at, text in shown), width
    tl.grab()  # and it paints
