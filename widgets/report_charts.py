"""Small static charts drawn with QPainter on a QImage (safe off the GUI thread), for
the session report: a line chart with phase shading."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

from widgets.analysis_panel import PHASE_COLORS


def line_chart(x: np.ndarray, y: np.ndarray, *, title: str, y_label: str,
               spans: list[tuple[str, float, float]] = (), size: tuple[int, int] = (760, 260),
               aspect_equal: bool = False) -> QImage:
    """A light-background chart of ``y`` over ``x`` with optional shaded phase spans."""
    w, h = size
    img = QImage(w, h, QImage.Format_RGB32)
    img.fill(QColor(255, 255, 255))
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing, True)
    left, right, top, bottom = 60, 12, 28, 30
    ok = np.isfinite(x) & np.isfinite(y)
    p.setPen(QColor(30, 30, 30))
    p.drawText(QRectF(0, 4, w, 20), Qt.AlignHCenter, title)
    if ok.sum() >= 2:
        x0, x1 = float(x[ok].min()), float(x[ok].max())
        y0, y1 = float(y[ok].min()), float(y[ok].max())
        if y1 - y0 < 1e-9:
            y0, y1 = y0 - 1, y1 + 1
        pad = 0.06 * (y1 - y0)
        y0, y1 = y0 - pad, y1 + pad
        pw, ph = w - left - right, h - top - bottom
        if aspect_equal:
            scale = min(pw / max(x1 - x0, 1e-9), ph / (y1 - y0))
            pw, ph = scale * (x1 - x0), scale * (y1 - y0)

        def mx(v: float) -> float:
            return left + (v - x0) / max(x1 - x0, 1e-9) * pw

        def my(v: float) -> float:
            return top + ph - (v - y0) / (y1 - y0) * ph

        for kind, a, b in spans:
            c = QColor(PHASE_COLORS.get(kind, "#999999"))
            c.setAlpha(60)
            p.fillRect(QRectF(mx(a), top, max(mx(b) - mx(a), 1), ph), c)
        p.setPen(QPen(QColor(150, 150, 150), 1))
        p.drawRect(QRectF(left, top, pw, ph))
        for k in range(5):
            v = y0 + (y1 - y0) * k / 4
            p.drawText(QRectF(0, my(v) - 8, left - 6, 16), Qt.AlignRight | Qt.AlignVCenter,
                       f"{v:.2f}")
        for k in range(6):
            v = x0 + (x1 - x0) * k / 5
            p.drawText(QRectF(mx(v) - 30, top + ph + 4, 60, 16), Qt.AlignHCenter, f"{v:.1f}")
        path = QPainterPath()
        down = False
        for xv, yv, good in zip(x, y, ok):
            if good:
                if down:
                    path.lineTo(QPointF(mx(xv), my(yv)))
                else:
                    path.moveTo(QPointF(mx(xv), my(yv)))
                    down = True
            else:
                down = False
        p.setPen(QPen(QColor(200, 90, 20), 2))
        p.drawPath(path)
    p.save()
    p.translate(14, top + (h - top - bottom) / 2)
    p.rotate(-90)
    p.setPen(QColor(60, 60, 60))
    p.drawText(QRectF(-80, -10, 160, 20), Qt.AlignCenter, y_label)
    p.restore()
    p.end()
    return img
