"""The one painter for drawings: used by the canvas on screen and by export (WYSIWYG).

Everything is drawn in image coordinates (the painter carries the transform).
Line widths and font sizes in a :class:`Style` are "pixels on a 1080-pixel-high
picture", so drawings look alike on a 4K clip, a 640-px clip and any export size.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from analysis.annotations.model import Annotation, Stopwatch, UnknownAnnotation

REFERENCE_HEIGHT = 1080.0
#: the smallest label text on screen (px): labels keep their size on the picture, but a
#: zoomed-out view or a small clip never shrinks them below this (11 pt at 96 dpi, UX.md)
SCREEN_MIN_TEXT_PX = 15.0


def paint_annotations(p: QPainter, items: Iterable[Annotation | UnknownAnnotation], t_now: float,
                      image_size: tuple[int, int], *, m_per_px: float | None = None,
                      selected: str | None = None, screen_px: float = 1.0,
                      min_text_px: float = 0.0, time_factor: float = 1.0) -> None:
    """Draw every visible drawing at clip time ``t_now``.

    Parameters
    ----------
    image_size : (w, h)
        Size of the picture in image pixels (plumb lines span its height).
    selected : str, optional
        Id of the selected drawing: its handles are drawn.
    screen_px : float
        Image pixels per screen pixel (1 / zoom), so handles keep a fixed screen size.
    min_text_px : float
        Smallest label text in screen pixels (the canvas asks :data:`SCREEN_MIN_TEXT_PX`;
        0, the default, draws the style's size on the picture, as an export does).
    time_factor : float
        Real seconds per clip second (slow motion: 0.25 for 120 fps played at 30), so
        stopwatches count real time and drawings fade in, hold and fade out in real time.
    """
    unit = image_size[1] / REFERENCE_HEIGHT
    min_font = min_text_px * screen_px  # image px
    for a in items:
        if not isinstance(a, Annotation):
            continue  # a type from a newer LiftLens: kept in the file, not drawn
        alpha = a.visibility.opacity(t_now, a.t, time_factor)  # fades in real seconds
        if selected == a.id:
            alpha = max(alpha, 0.35)  # the selected drawing never vanishes while edited
        if alpha <= 0.001:
            continue
        p.save()
        p.setOpacity(alpha)
        _paint_one(p, a, t_now, image_size, unit, m_per_px, min_font, time_factor)
        p.restore()
        if selected == a.id:
            _paint_handles(p, a, screen_px)


def _pen(a: Annotation, unit: float) -> QPen:
    pen = QPen(QColor(a.style.color), max(a.style.width * unit, 0.5))
    pen.setCapStyle(Qt.RoundCap)
    pen.setJoinStyle(Qt.RoundJoin)
    if a.style.dashed:
        pen.setStyle(Qt.DashLine)
    return pen


def _font(a: Annotation, unit: float, scale: float = 1.0, min_px: float = 0.0) -> QFont:
    f = QFont()
    f.setPixelSize(max(int(round(max(a.style.font_size * unit * scale, min_px))), 6))
    f.setBold(True)
    return f


def _label_box(at: QPointF, text: str, a: Annotation, unit: float, scale: float = 0.9,
               bounds: tuple[int, int] | None = None,
               min_font: float = 0.0) -> tuple[QRectF, QFont, int]:
    """Where :func:`_label` draws ``text`` (image px), its font and text flags."""
    font = _font(a, unit, scale, min_font)
    fm = QFontMetricsF(font)
    pad = 0.3 * font.pixelSize()
    flags = int(Qt.AlignCenter)
    box = fm.boundingRect(text)
    if bounds is not None and box.width() + 2 * pad > bounds[0]:
        flags |= int(Qt.TextWordWrap)
        box = fm.boundingRect(QRectF(0, 0, max(bounds[0] - 2 * pad, 1.0), 1e6),
                              flags, text)
    rect = box.adjusted(-pad, -pad / 2, pad, pad / 2)
    rect.moveTopLeft(at)
    if bounds is not None:
        w, h = bounds
        rect.moveLeft(max(0.0, min(rect.left(), w - rect.width())))
        rect.moveTop(max(0.0, min(rect.top(), h - rect.height())))
    return rect, font, flags


def drawing_rects(items: Iterable[Annotation | UnknownAnnotation],
                  image_size: tuple[int, int], min_text_px: float = 0.0) -> list[QRectF]:
    """Where the drawings lie on the picture (image px), whatever their time: each one's
    points, grown by its line and mark, and its text's box for a text or a stopwatch (a
    measured line's or angle's label by a generous margin). The data overlay keeps off
    them (:func:`paint_hud`). ``min_text_px``: as :func:`paint_annotations` (image px)."""
    unit = image_size[1] / REFERENCE_HEIGHT
    out = []
    for a in items:
        if not isinstance(a, Annotation) or not a.points:
            continue
        xs, ys = [q[0] for q in a.points], [q[1] for q in a.points]
        if a.type == "plumb":  # a line the picture's height
            ys = [0.0, float(image_size[1])]
        grow = a.style.width * unit + 14 * unit
        box = QRectF(QPointF(min(xs), min(ys)), QPointF(max(xs), max(ys))).adjusted(
            -grow, -grow, grow, grow)
        if a.type == "circle" and len(a.points) == 2:
            r = math.dist(a.points[0], a.points[1]) + grow
            box = QRectF(xs[0] - r, ys[0] - r, 2 * r, 2 * r)
        if a.type == "text" or isinstance(a, Stopwatch):
            text = (a.text or "text") if a.type == "text" else "◔ 00:00.00"
            box = box.united(_label_box(QPointF(xs[0], ys[0]), text, a, unit, 1.0,
                                        image_size, min_text_px)[0])
        elif a.type in ("distance", "angle", "angle_vertical", "angle_horizontal"):
            box = box.adjusted(0, 0, 8 * a.style.font_size * unit, 2 * a.style.font_size * unit)
        out.append(box)
    return out


def _label(p: QPainter, at: QPointF, text: str, a: Annotation, unit: float,
           color: str | None = None, scale: float = 0.9,
           bounds: tuple[int, int] | None = None, min_font: float = 0.0) -> None:
    """Text on a dark rounded box, so it reads on any background; the box's margins
    follow the text size. ``min_font``: the smallest text (image px).

    With ``bounds`` (the picture's size), the box is kept inside the picture: moved
    left/up from ``at`` near the right/bottom edge, and wrapped onto more lines when
    wider than the picture (so an exported clip never cuts a label off).
    """
    if not text:
        return
    rect, font, flags = _label_box(at, text, a, unit, scale, bounds, min_font)
    pad = 0.3 * font.pixelSize()
    p.save()
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(0, 0, 0, 190))
    p.drawRoundedRect(rect, pad, pad)
    p.setFont(font)
    p.setPen(QColor(color or a.style.color))
    p.drawText(rect, flags, text)
    p.restore()


def _arrow_head(p: QPainter, tip: QPointF, tail: QPointF, size: float) -> None:
    ang = math.atan2(tip.y() - tail.y(), tip.x() - tail.x())
    path = QPainterPath(tip)
    for s in (+1, -1):
        path.lineTo(tip.x() - size * math.cos(ang + s * 0.45), tip.y() - size * math.sin(ang + s * 0.45))
        path.moveTo(tip)
    p.drawPath(path)


def _paint_one(p: QPainter, a: Annotation, t_now: float, image_size: tuple[int, int],
               unit: float, m_per_px: float | None, min_font: float = 0.0,
               time_factor: float = 1.0) -> None:
    pts = [QPointF(x, y) for x, y in a.points]
    pen = _pen(a, unit)
    p.setPen(pen)
    p.setBrush(Qt.NoBrush)
    kind = a.type
    head = 14 * unit + pen.widthF() * 2
    if kind in ("line", "distance") and len(pts) == 2:
        p.drawLine(pts[0], pts[1])
        if a.style.arrow in ("end", "both"):
            _arrow_head(p, pts[1], pts[0], head)
        if a.style.arrow == "both":
            _arrow_head(p, pts[0], pts[1], head)
        if kind == "distance":
            mid = (pts[0] + pts[1]) / 2
            _label(p, mid + QPointF(6 * unit, 6 * unit), a.measure(m_per_px), a, unit,
                   bounds=image_size, min_font=min_font)
    elif kind == "angle" and len(pts) == 3:
        p.drawLine(pts[1], pts[0])
        p.drawLine(pts[1], pts[2])
        _arc(p, pts[1], pts[0], pts[2], 28 * unit)
        _label(p, pts[1] + QPointF(10 * unit, 8 * unit), a.measure(), a, unit, bounds=image_size,
               min_font=min_font)
    elif kind in ("angle_vertical", "angle_horizontal") and len(pts) == 2:
        p.drawLine(pts[0], pts[1])
        low, high = (pts[0], pts[1]) if pts[0].y() >= pts[1].y() else (pts[1], pts[0])
        ref = QPen(pen)
        ref.setStyle(Qt.DashLine)
        ref.setWidthF(max(pen.widthF() * 0.6, 0.5))
        p.setPen(ref)
        length = math.hypot(high.x() - low.x(), high.y() - low.y())
        if kind == "angle_vertical":
            end = QPointF(low.x(), low.y() - length)
        else:
            end = QPointF(low.x() + (length if high.x() >= low.x() else -length), low.y())
        p.drawLine(low, end)
        p.setPen(pen)
        _arc(p, low, high, end, 24 * unit)
        _label(p, low + QPointF(10 * unit, 6 * unit), a.measure().split(" ")[0], a, unit,
               bounds=image_size, min_font=min_font)
    elif kind == "circle" and len(pts) == 2:
        r = math.hypot(pts[1].x() - pts[0].x(), pts[1].y() - pts[0].y())
        p.drawEllipse(pts[0], r, r)
        p.drawPoint(pts[0])
    elif kind == "rect" and len(pts) == 2:
        p.drawRect(QRectF(pts[0], pts[1]).normalized())
    elif kind == "pencil" and pts:
        path = QPainterPath(pts[0])
        for q in pts[1:]:
            path.lineTo(q)
        p.drawPath(path)
    elif kind == "marker" and pts:
        r = 9 * unit
        c = pts[0]
        p.drawLine(c - QPointF(r, r), c + QPointF(r, r))
        p.drawLine(c - QPointF(r, -r), c + QPointF(r, -r))
    elif kind == "plumb" and pts:
        x = pts[0].x()
        p.drawLine(QPointF(x, 0), QPointF(x, image_size[1]))
        p.setBrush(QBrush(QColor(a.style.color)))
        p.drawEllipse(pts[0], 4 * unit, 4 * unit)
    elif kind == "text" and pts:
        _label(p, pts[0], a.text or "text", a, unit, scale=1.0, bounds=image_size,
               min_font=min_font)
    elif isinstance(a, Stopwatch) and pts:
        _label(p, pts[0], "◔ " + a.measure(t_now=t_now, time_factor=time_factor), a, unit,
               scale=1.0, bounds=image_size, min_font=min_font)


def _arc(p: QPainter, vertex: QPointF, a: QPointF, b: QPointF, radius: float) -> None:
    """The arc of the angle a-vertex-b (screen y down, Qt angles counter-clockwise)."""
    ang_a = math.degrees(math.atan2(-(a.y() - vertex.y()), a.x() - vertex.x()))
    ang_b = math.degrees(math.atan2(-(b.y() - vertex.y()), b.x() - vertex.x()))
    span = (ang_b - ang_a + 540) % 360 - 180
    rect = QRectF(vertex.x() - radius, vertex.y() - radius, 2 * radius, 2 * radius)
    p.drawArc(rect, int(ang_a * 16), int(span * 16))


def _paint_handles(p: QPainter, a: Annotation, screen_px: float) -> None:
    s = 5 * screen_px
    p.save()
    p.setOpacity(1.0)
    p.setPen(QPen(QColor(0, 0, 0), 1.5 * screen_px))
    p.setBrush(QColor(255, 255, 255))
    for x, y in a.points[:200]:
        p.drawRect(QRectF(x - s, y - s, 2 * s, 2 * s))
    p.restore()


def paint_trail(p: QPainter, t: "np.ndarray", x: "np.ndarray", y: "np.ndarray", n: int,
                image_size: tuple[int, int], mode: str = "full", anchor: bool = False) -> None:
    """The bar path up to frame ``n`` (full, or the last second) and the current point.

    Lost frames (NaN) break the line rather than being bridged.
    """
    import numpy as np

    if mode == "off" or n >= len(t) or n < 0:
        return
    lo = int(np.searchsorted(t, t[n] - 1.0)) if mode == "last_second" else 0
    unit = image_size[1] / REFERENCE_HEIGHT
    path = QPainterPath()
    down = False
    for i in range(lo, n + 1):
        if np.isfinite(x[i]) and np.isfinite(y[i]):
            if down:
                path.lineTo(float(x[i]), float(y[i]))
            else:
                path.moveTo(float(x[i]), float(y[i]))
                down = True
        else:
            down = False
    p.save()
    p.setBrush(Qt.NoBrush)
    p.setPen(QPen(QColor(255, 140, 40, 220), max(2.5 * unit, 1.0)))
    p.drawPath(path)
    if np.isfinite(x[n]) and np.isfinite(y[n]):
        r = 7 * unit
        p.setPen(QPen(QColor(255, 255, 255), max(2 * unit, 1.0)))
        p.setBrush(QColor(80, 200, 255) if anchor else QColor(255, 90, 60, 200))
        p.drawEllipse(QPointF(float(x[n]), float(y[n])), r, r)
    p.restore()


#: the corners the data overlay may take, in the order it tries them after its own
HUD_CORNERS = ("top", "top_right", "bottom", "bottom_right")


def _hud_box(corner: str, width: float, height: float, image_size: tuple[int, int],
             margin: float) -> QRectF:
    """The data overlay's box in ``corner`` of the picture (image px)."""
    left = image_size[0] - margin - width if corner.endswith("right") else margin
    top = margin if corner.startswith("top") else image_size[1] - margin - height
    return QRectF(left, top, width, height)


def hud_corner_for(corner: str, width: float, height: float, image_size: tuple[int, int],
                   margin: float, avoid: Iterable[QRectF]) -> QRectF:
    """Where the data overlay goes: its own ``corner`` unless a drawing lies there, else
    the first corner of :data:`HUD_CORNERS` clear of every drawing, else the corner it
    covers least of them (image px)."""
    avoid = list(avoid)

    def covered(box: QRectF) -> float:
        return sum(max(box.intersected(r).width(), 0.0) * max(box.intersected(r).height(), 0.0)
                   for r in avoid if box.intersects(r))

    order = [corner] + [c for c in HUD_CORNERS if c != corner]
    boxes = [_hud_box(c, width, height, image_size, margin) for c in order]
    return min(boxes, key=lambda b: (covered(b) > 0, covered(b)))  # min keeps order on ties


def paint_hud(p: QPainter, lines: list[str], image_size: tuple[int, int],
              corner: str = "top", min_px: float = 9.0,
              avoid: Iterable[QRectF] = ()) -> QRectF | None:
    """Data overlay in the top-left corner (rep number, live velocity, finished reps), or
    the bottom-left with ``corner="bottom"`` (a comparison side, whose name is top-left);
    its text at least ``min_px`` image pixels high. It never lies over the coach's own
    drawings where a corner is free of them: ``avoid`` (their boxes, image px, see
    :func:`drawing_rects`) moves it to the next free corner. Returns its box."""
    if not lines:
        return None
    unit = image_size[1] / REFERENCE_HEIGHT
    font = QFont()
    size = max(26 * unit, 9, min_px)
    font.setPixelSize(int(size))
    font.setBold(True)
    fm = QFontMetricsF(font)
    pad = 10 * unit
    width = max(fm.horizontalAdvance(s) for s in lines) + 2 * pad
    room = image_size[0] - 24 * unit  # the picture's width, a margin each side
    if width > room > 0:  # a portrait clip: the lines ran past the picture (cut in export)
        font.setPixelSize(max(int(size * (room - 2 * pad) / (width - 2 * pad)), 6))
        fm = QFontMetricsF(font)
        width = max(fm.horizontalAdvance(s) for s in lines) + 2 * pad
    height = fm.height() * len(lines) + 2 * pad
    box = hud_corner_for(corner, width, height, image_size, 12 * unit, avoid)
    p.save()
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(0, 0, 0, 160))
    p.drawRoundedRect(box, 6 * unit, 6 * unit)
    p.setFont(font)
    p.setPen(QColor(255, 255, 255))
    for i, s in enumerate(lines):
        p.drawText(QPointF(box.left() + pad, box.top() + pad + fm.ascent() + i * fm.height()), s)
    p.restore()
    return box


#: Colours of the weightlifting phases, used by the overlay, the plots and the table.
ATTEMPT_PHASE_COLORS = {
    "first_pull": "#ffd400", "transition": "#b4b4b4", "second_pull": "#ff3b1f",
    "turnover": "#e040fb", "recovery": "#2ee6a6", "miss_drop": "#ff1744", "rack": "#8c8c8c",
    "jerk_dip": "#3a8bff", "jerk_drive": "#ff9100", "jerk_catch": "#b388ff",
    "jerk_recovery": "#00e5ff",
}


def paint_attempts(p: QPainter, overlay, x: "np.ndarray", y: "np.ndarray", n: int,
                   image_size: tuple[int, int], path: bool = True) -> None:
    """The attempts of a snatch, clean or jerk over the video up to frame ``n``.

    ``overlay`` is an :class:`analysis.lift.attempts.AttemptOverlay` indexed like ``x``
    and ``y`` (image px). Draws the path coloured by phase (``path``), a dashed vertical
    reference line up from each lift-off already passed, and the key points (peak, catch)
    reached so far, labelled in cm.
    """
    import numpy as np

    if overlay is None or n < 0:
        return
    n = min(n, len(x) - 1, len(overlay.phase) - 1)
    unit = image_size[1] / REFERENCE_HEIGHT
    p.save()
    p.setBrush(Qt.NoBrush)
    for i0 in overlay.liftoffs:
        if i0 <= n and np.isfinite(x[i0]) and np.isfinite(y[i0]):
            pen = QPen(QColor(255, 255, 255, 210), max(2.0 * unit, 1.5))
            pen.setStyle(Qt.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(float(x[i0]), float(y[i0]) + 40 * unit),
                       QPointF(float(x[i0]), 0.0))
    if path:
        width = max(4.0 * unit, 1.5)
        for i in range(1, n + 1):
            name = overlay.phase[i]
            if name is None or not (np.isfinite(x[i]) and np.isfinite(x[i - 1])):
                continue
            pen = QPen(QColor(ATTEMPT_PHASE_COLORS.get(name, "#dddddd")), width)
            pen.setCapStyle(Qt.RoundCap)
            p.setPen(pen)
            p.drawLine(QPointF(float(x[i - 1]), float(y[i - 1])),
                       QPointF(float(x[i]), float(y[i])))
    font = QFont()
    font.setPixelSize(max(int(round(22 * unit)), 8))
    font.setBold(True)
    fm = QFontMetricsF(font)
    p.setFont(font)
    pad = 4 * unit
    boxes = []
    for i, text in overlay.marks:
        if i > n or not (np.isfinite(x[i]) and np.isfinite(y[i])):
            continue
        c = QPointF(float(x[i]), float(y[i]))
        p.setPen(QPen(QColor(255, 255, 255), max(2 * unit, 1.0)))
        p.setBrush(QColor(20, 20, 20))
        p.drawEllipse(c, 6 * unit, 6 * unit)
        box = fm.boundingRect(text).adjusted(-pad, -pad / 2, pad, pad / 2)
        box.moveTopLeft(c + QPointF(12 * unit, -box.height() / 2))
        w, h = image_size
        box.moveLeft(max(0.0, min(box.left(), w - box.width())))
        box.moveTop(max(0.0, min(box.top(), h - box.height())))
        boxes.append((box, text))
    _apart(boxes, image_size[1])
    for box, text in boxes:
        p.setPen(Qt.NoPen)
        p.setBrush(QColor(0, 0, 0, 180))
        p.drawRoundedRect(box, 3 * unit, 3 * unit)
        p.setPen(QColor(255, 255, 255))
        p.drawText(box, int(Qt.AlignCenter), text)
    p.restore()


def _apart(boxes: list[tuple[QRectF, str]], height: float) -> None:
    """Move label boxes (image px) apart vertically where they overlap (a power clean's
    "peak" and "catch", a few cm apart), each as near its point as that allows, inside a
    picture ``height`` px high."""
    order = [b for b, _t in sorted(boxes, key=lambda b: b[0].center().y())]

    def side_by_side(a: QRectF, b: QRectF) -> bool:
        return a.right() >= b.left() and b.right() >= a.left()

    for k in range(1, len(order)):  # push down from the highest
        for a in order[:k]:
            if a.intersects(order[k]):
                order[k].moveTop(a.bottom() + 1)
    if order and order[-1].bottom() > height:  # off the bottom: push back up
        order[-1].moveBottom(height)
        for k in range(len(order) - 2, -1, -1):
            b, below = order[k], order[k + 1]
            if side_by_side(b, below) and b.bottom() >= below.top():
                b.moveBottom(below.top() - 1)
