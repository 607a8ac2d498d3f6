"""The video canvas: shows a frame with zoom and pan; maps widget <-> image pixels."""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QTransform, QWheelEvent
from PySide6.QtWidgets import QWidget

from analysis.video.frames import Frame, display_bgr

ZOOM_MIN, ZOOM_MAX = 0.05, 32.0


def bgr_to_qimage(image: np.ndarray) -> tuple[QImage, np.ndarray]:
    """Wrap a BGR frame as an RGB32 QImage (the fast raster path); returns the backing buffer too."""
    bgra = cv2.cvtColor(image, cv2.COLOR_BGR2BGRA)
    h, w = bgra.shape[:2]
    qimg = QImage(bgra.data, w, h, bgra.strides[0], QImage.Format_RGB32)
    return qimg, bgra


class VideoCanvasWidget(QWidget):
    """Paints the current frame; the view is ``zoom`` (1 = one image px per screen px) and ``pan``.

    Overlay layers register a callable ``paint(painter, canvas)`` that draws in
    image coordinates (the painter already carries the image->widget transform).
    """

    view_changed = Signal()
    image_clicked = Signal(QPointF)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(320, 240)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WA_OpaquePaintEvent)
        self._qimage: QImage | None = None
        self._buffer: np.ndarray | None = None
        self._scaled: tuple | None = None
        self.frame: Frame | None = None
        self.zoom = 1.0
        self.pan = QPointF(0, 0)  # image point shown at the widget centre
        self._fit = True
        self._drag_from: QPointF | None = None
        self._pan_from = QPointF()
        self.overlays: list = []
        self.message = ""
        #: the frame asked for is not drawn yet ("Loading frame 91…"): the picture on
        #: screen (another frame, or another clip's) is dimmed, without overlays, under
        #: this text, so it is never read as the frame the counter names ("": drawn)
        self.pending = ""
        # An object with press/move/release(point_in_image, event) -> bool; when it
        # returns True the canvas does not pan (drawing tools use this).
        self.interaction = None

    # -- content ------------------------------------------------------------------

    def set_frame(self, frame: Frame | None) -> None:
        new_size = frame is not None and (self.frame is None or self.frame.size != frame.size)
        self.frame = frame
        self._qimage = self._buffer = None  # converted lazily, at the size shown
        self._scaled = None
        if new_size:
            self.fit()
        self.update()

    def set_pending(self, text: str) -> None:
        """Say the frame asked for is not drawn yet (``text``, e.g. "Loading frame 91…"),
        or that the picture is the frame asked for (""); see :attr:`pending`."""
        if text != self.pending:
            self.pending = text
            self.update()

    def _full_image(self) -> QImage | None:
        if self._qimage is None and self.frame is not None:
            self._qimage, self._buffer = bgr_to_qimage(self.frame.image)
        return self._qimage

    def _scaled_image(self) -> tuple[QImage, np.ndarray] | None:
        """The frame resized to its on-screen size in device pixels (zoom x device pixel
        ratio < 1): a plain blit is far cheaper than letting the raster engine filter a
        full-HD image on every paint. Sized in device pixels, not logical ones: on a
        HiDPI screen a logical-size picture would be stretched back up (blurred), and at
        a fractional ratio its rounded size would stop short of the canvas's edge."""
        assert self.frame is not None
        w, h = self.image_size()
        dpr = self.devicePixelRatioF()
        scale = self.zoom * dpr
        size = (max(int(round(w * scale)), 1), max(int(round(h * scale)), 1))
        key = (id(self.frame), size, dpr)
        if self._scaled is None or self._scaled[0] != key:
            # halved, then linear (INTER_AREA at a fractional factor costs ~15 ms at 1080p);
            # a cached frame is scaled before it is converted to BGR
            self._scaled = (key, *bgr_to_qimage(display_bgr(self.frame, size)))
            self._scaled[1].setDevicePixelRatio(dpr)  # drawn at size / dpr logical px
        return self._scaled[1], self._scaled[2]

    def image_size(self) -> tuple[int, int]:
        if self.frame is None:
            return (0, 0)
        return self.frame.size

    # -- view ---------------------------------------------------------------------

    def fit(self) -> None:
        w, h = self.image_size()
        if w == 0:
            return
        self.zoom = min(self.width() / w, self.height() / h)
        self.pan = QPointF(w / 2, h / 2)
        self._fit = True
        self.view_changed.emit()
        self.update()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom keeping the image point under ``anchor`` (widget px) in place."""
        if self.frame is None:
            return
        anchor = anchor if anchor is not None else QPointF(self.width() / 2, self.height() / 2)
        before = self.widget_to_image(anchor)
        self.zoom = min(max(self.zoom * factor, ZOOM_MIN), ZOOM_MAX)
        after = self.widget_to_image(anchor)
        self.pan += before - after
        self._fit = False
        self.view_changed.emit()
        self.update()

    def transform(self) -> QTransform:
        """Image pixels -> widget pixels."""
        t = QTransform()
        t.translate(self.width() / 2, self.height() / 2)
        t.scale(self.zoom, self.zoom)
        t.translate(-self.pan.x(), -self.pan.y())
        return t

    def image_to_widget(self, p: QPointF) -> QPointF:
        return self.transform().map(p)

    def widget_to_image(self, p: QPointF) -> QPointF:
        inv, _ = self.transform().inverted()
        return inv.map(p)

    # -- Qt events ----------------------------------------------------------------

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._fit:
            self.fit()
        super().resizeEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(18, 18, 20))
        if self.frame is not None:
            dpr = self.devicePixelRatioF()
            if self.zoom * dpr < 1.0:
                small, _buf = self._scaled_image()
                origin = self.transform().map(QPointF(0, 0))
                # on a whole device pixel: the blit is then a copy, never resampled again
                p.drawImage(QPointF(round(origin.x() * dpr) / dpr,
                                    round(origin.y() * dpr) / dpr), small)
                p.setTransform(self.transform())
            else:
                p.setTransform(self.transform())
                w, h = self.image_size()
                p.drawImage(QRectF(0, 0, w, h), self._full_image())
            p.setRenderHint(QPainter.Antialiasing, True)
            for layer in self.overlays if not self.pending else ():
                p.save()
                layer(p, self)
                p.restore()
            p.resetTransform()
        if self.pending and not self.message:
            p.fillRect(self.rect(), QColor(18, 18, 20, 170))
            p.setPen(QColor(235, 235, 235))
            p.drawText(self.rect(), Qt.AlignCenter | Qt.TextWordWrap, self.pending)
        if self.message:
            p.setPen(QColor(220, 220, 220))
            p.drawText(self.rect(), Qt.AlignCenter | Qt.TextWordWrap, self.message)
        p.end()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.25 ** steps, event.position())
        event.accept()

    def screen_px(self) -> float:
        """Image pixels per screen pixel at the current zoom."""
        return 1.0 / self.zoom if self.zoom else 1.0

    def _delegate(self, name: str, event: QMouseEvent) -> bool:
        if self.interaction is None or self.frame is None:
            return False
        p = self.widget_to_image(event.position())
        return bool(getattr(self.interaction, name)((p.x(), p.y()), event))

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        if self.interaction is not None and self.frame is not None:
            p = self.widget_to_image(QPointF(event.pos()))
            self.interaction.context_menu((p.x(), p.y()), event.globalPos())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._delegate("double_click", event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.setFocus()
        if event.button() == Qt.LeftButton and self._delegate("press", event):
            self.update()
            return
        if event.button() in (Qt.LeftButton, Qt.MiddleButton):
            self._drag_from = event.position()
            self._pan_from = QPointF(self.pan)
            self.setCursor(Qt.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag_from is None and self._delegate("move", event):
            self.update()
            return
        if self._drag_from is not None:
            delta = (event.position() - self._drag_from) / self.zoom
            self.pan = self._pan_from - delta
            self._fit = False
            self.view_changed.emit()
            self.update()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag_from is None and event.button() == Qt.LeftButton \
                and self._delegate("release", event):
            self.update()
            return
        if self._drag_from is not None:
            moved = (event.position() - self._drag_from).manhattanLength()
            self._drag_from = None
            self.unsetCursor()
            if moved < 3 and event.button() == Qt.LeftButton:
                self.image_clicked.emit(self.widget_to_image(event.position()))
        super().mouseReleaseEvent(event)
