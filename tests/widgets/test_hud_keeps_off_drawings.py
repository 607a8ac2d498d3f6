"""The data overlay never hides the coach's own drawings where a corner is free of them:
a text placed at image point (40, 40) on a 360×480 squat lay half under the overlay box
("Rep 2 … m/s / Rep 1: 0.44 m/s MPV …") on screen and in the exported clip. The overlay
takes the next corner clear of every drawing; screen and export use the one painter."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.annotations import TextLabel, Visibility
from analysis.annotations.model import Style
from analysis.export.render import ExportFrame
from widgets.burn_in import BurnInSpec, make_burn_in

W, H = 360, 480
LINES = ["Rep 2   0.31 m/s", "Rep 1: 0.44 m/s  MPV 0.41  1.2-0.1-0.9-0.3"]
YELLOW = "#ffd400"


def _label(at=(40.0, 40.0)) -> TextLabel:
    return TextLabel(t=0.0, points=[at], text="depth good", style=Style(color=YELLOW),
                     visibility=Visibility("always"))


def _export(scale: float, labels, hud: bool) -> np.ndarray:
    """One exported frame (BGR) at ``scale`` times the source size, grey picture."""
    w, h = round(W * scale), round(H * scale)
    spec = BurnInSpec((W, H), labels, hud=(lambda _t: LINES) if hud else None)
    img = np.full((h, w, 3), 90, np.uint8)
    return make_burn_in(spec)(ExportFrame(0, 0.0, img, 0.0, scale, scale, W, H), 0)


def _yellow(img: np.ndarray) -> np.ndarray:
    """Where the label's text is drawn at full strength (BGR of #ffd400)."""
    b, g, r = (img[..., i].astype(int) for i in range(3))
    return (r > 200) & (g > 160) & (b < 90)


@pytest.mark.parametrize("scale", [1.0, 2.0], ids=["source size", "twice the size"])
def test_an_exported_text_near_the_top_left_is_not_under_the_data_overlay(qapp, scale):
    alone = _yellow(_export(scale, [_label()], hud=False))
    with_hud = _export(scale, [_label()], hud=True)
    assert alone.sum() > 10
    # every pixel of the text is as bright as without the overlay: nothing lies over it
    assert np.array_equal(_yellow(with_hud), alone)
    # and the overlay is still there, in a corner clear of the text (its white text)
    white = (with_hud.min(axis=2) > 240)
    assert white.sum() > 100
    wy, wx = np.nonzero(white)
    ty, tx = np.nonzero(alone)
    assert wx.min() > tx.max() or wy.min() > ty.max()


def test_the_overlay_keeps_its_corner_when_no_drawing_is_there(qapp):
    from PySide6.QtGui import QImage, QPainter

    from widgets.overlay_painter import drawing_rects, paint_hud

    img = QImage(W, H, QImage.Format_RGB32)
    p = QPainter(img)
    free = paint_hud(p, LINES, (W, H), avoid=drawing_rects([_label((200.0, 400.0))], (W, H)))
    taken = paint_hud(p, LINES, (W, H), avoid=drawing_rects([_label()], (W, H)))
    p.end()
    assert free is not None and free.left() < 20 and free.top() < 20  # top left, as before
    assert taken is not None and not any(taken.intersects(r) for r in
                                         drawing_rects([_label()], (W, H)))
