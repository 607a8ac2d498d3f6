"""The attempt labels burned into the video (screen and export, one painter) never lie over
one another: a power clean caught a few cm under its peak put "catch 98 cm" on top of
"peak 102 cm"."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage, QPainter

from analysis.lift.attempts import AttemptOverlay
from widgets.overlay_painter import paint_attempts


def _dark_rows(marks_y: list[float]) -> int:
    """How many pixel rows the label boxes cover, right of the points, on a white
    picture (the boxes are dark)."""
    n = len(marks_y)
    x = np.full(n, 100.0)
    y = np.asarray(marks_y, float)
    ov = AttemptOverlay([None] * n, [], [(i, f"label {i} 100 cm") for i in range(n)])
    img = QImage(400, 400, QImage.Format_RGB32)
    img.fill(QColor(255, 255, 255))
    p = QPainter(img)
    paint_attempts(p, ov, x, y, n - 1, (400, 400), path=False)
    p.end()
    a = np.frombuffer(img.constBits(), np.uint8).reshape(400, img.bytesPerLine())[:, :1600]
    a = a.reshape(400, 400, 4)[..., :3]
    dark = (a[:, 115:, :].max(axis=2) < 80).any(axis=1)  # right of the points
    return int(dark.sum())


def test_labels_of_nearby_points_are_laid_apart(qapp):
    one = _dark_rows([200.0])
    two = _dark_rows([200.0, 203.0])  # peak and catch 3 px apart
    assert two >= 2 * one - 2, (one, two)
    # three near the bottom of the picture stay inside it
    assert _dark_rows([396.0, 398.0, 399.0]) >= 3 * one - 3
