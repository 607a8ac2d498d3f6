"""A measurement's label reads at any zoom: its text on screen is never smaller than
SCREEN_MIN_TEXT_PX (the font's pixel size), whatever the clip's size or the zoom."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage

from tests.analysis.clips import numbered_clip
from tests.app.test_drawing import annotations, drag
from widgets.overlay_painter import SCREEN_MIN_TEXT_PX


def _pixels(img: QImage) -> np.ndarray:
    img = img.convertToFormat(QImage.Format_RGB32)
    h, w = img.height(), img.width()
    rows = np.frombuffer(img.constBits(), np.uint8).reshape(h, img.bytesPerLine() // 4, 4)
    return rows[:, :w, :3].copy()  # a copy: the buffer dies with ``img``


def _label_rows(win) -> tuple[int, int]:
    """Height (screen px) of the rows where the drawing changed the picture over a wide
    span (the label's box; the vertical line itself is a few px wide), and that width."""
    with_drawing = _pixels(win.canvas.grab().toImage()).astype(int)
    win.workspace.drawing.undo_stack.undo()
    without = _pixels(win.canvas.grab().toImage()).astype(int)
    win.workspace.drawing.undo_stack.redo()
    changed = np.abs(with_drawing - without).sum(axis=2) > 60
    widths = changed.sum(axis=1)
    wide = widths > 25
    return int(wide.sum()), int(widths.max())


@pytest.mark.parametrize("zoom", [0.5, 0.3])  # of the fit: the clip seen small
def test_a_distance_label_reads_at_any_zoom(qtbot, make_window, clip_cache, zoom):
    win = make_window(numbered_clip(clip_cache, "cfr")[0], size=(1200, 800))
    win.canvas.zoom_by(zoom)
    qtbot.wait(20)
    d = win.workspace.drawing
    d.set_tool("distance")
    w, h = win.canvas.image_size()
    drag(win, (w * 0.3, h * 0.2), (w * 0.3, h * 0.8))
    assert [a.type for a in annotations(win)] == ["distance"]
    d.set_tool("select")
    d.selected = None  # no handles in the picture
    qtbot.wait(20)
    rows, width = _label_rows(win)
    # digits stand about 0.7 em tall; the box adds to that where the picture is light
    assert rows >= 0.65 * SCREEN_MIN_TEXT_PX
    assert width >= 3 * SCREEN_MIN_TEXT_PX  # "123 px" on a box, not a speck
