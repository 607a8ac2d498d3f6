"""What a pyqtgraph axis would draw, for tests of tick labels: no screen needed."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter


def axis_labels(axis, height: int | None = None) -> list[tuple[QRectF, int, str]]:
    """``(rect, flags, text)`` of every tick label ``axis`` draws at its current size
    (``height`` px tall instead of its own, when given)."""
    h = height if height is not None else max(int(axis.height()), 10)
    img = QImage(max(int(axis.width()), 10), h, QImage.Format_ARGB32)
    p = QPainter(img)
    try:
        _spec, _ticks, texts = axis.generateDrawSpecs(p)
    finally:
        p.end()
    return list(texts)
