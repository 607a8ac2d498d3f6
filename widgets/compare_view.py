"""Two canvases over one timeline: side by side, top and bottom, or ghost overlay."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from analysis.video.frames import Frame
from widgets.video_canvas import VideoCanvasWidget, bgr_to_qimage

LAYOUTS = ("side_by_side", "top_bottom")
#: the selected side's outline and the word that marks it in its label
SELECTED_COLOR = QColor(224, 112, 48)
SELECTED_TEXT = "● selected: tracking acts here"


def best_layout(view: tuple[float, float], pictures: list[tuple[int, int]],
                gap: float = 0.0) -> str:
    """The layout that shows ``pictures`` (two (w, h) px) largest in a ``view`` (w, h px)
    split by a ``gap``: their shown areas added up, each picture fitted whole in its half.
    Two landscape clips stack ("top_bottom"), two portrait ones stand side by side; a
    near tie keeps them side by side."""
    w, h = view

    def shown(cw: float, ch: float) -> float:
        return sum(min(cw / pw, ch / ph) ** 2 * pw * ph for pw, ph in pictures if pw and ph)

    beside, stacked = shown((w - gap) / 2, h), shown(w, (h - gap) / 2)
    return "top_bottom" if stacked > 1.05 * beside else "side_by_side"


class CompareViewWidget(QWidget):
    """Shows the frames of both sides; each side keeps its own zoom and pan."""

    side_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvases = (VideoCanvasWidget(), VideoCanvasWidget())
        self.labels = ["A", "B"]
        self.captions = ["", ""]
        self.active = 0
        #: until the user picks a layout (or a saved one is restored), the view takes the
        #: one that shows the two pictures largest (:func:`best_layout`), also on resizing
        self.auto_layout = True
        self.overlay = False
        self.opacity = 0.5
        self.ghost_offset = QPointF(0, 0)  # B's shift in A's image pixels (bar alignment)
        self._ghost: tuple[QImage, object] | None = None
        self._ghost_size = (0, 0)
        self.splitter = QSplitter(Qt.Horizontal, self)
        # per side: ``painter(p, canvas)`` draws that recording's drawings and bar path
        self.side_painters: list = [None, None]
        for i, c in enumerate(self.canvases):
            self.splitter.addWidget(c)
            c.overlays.append(lambda p, canvas, i=i: self._paint_side(p, canvas, i))
            c.overlays.append(lambda p, canvas, i=i: self._paint_label(p, canvas, i))
            c.image_clicked.connect(lambda _pt, i=i: self.set_active(i))
        self.canvases[0].overlays.insert(0, self._paint_ghost)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.splitter)

    # -- content --------------------------------------------------------------------

    def set_frames(self, a: Frame | None, b: Frame | None) -> None:
        self.canvases[0].set_frame(a)
        self._ghost = None  # converted when painted, and only in overlay mode
        self._ghost_frame = b
        if b is not None:
            self._ghost_size = b.size
        self.canvases[1].set_frame(b)
        if self.overlay:
            self.canvases[0].update()
        if self.auto_layout and a is not None and b is not None:
            self._choose_layout()

    def set_labels(self, a: str, b: str) -> None:
        self.labels = [a, b]
        self.update_canvases()

    def set_captions(self, a: str, b: str) -> None:
        self.captions = [a, b]
        self.update_canvases()

    def update_canvases(self) -> None:
        for c in self.canvases:
            c.update()

    # -- modes ----------------------------------------------------------------------

    def set_layout(self, layout: str) -> None:
        self.splitter.setOrientation(Qt.Horizontal if layout == "side_by_side" else Qt.Vertical)
        for c in self.canvases:
            c.fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._choose_layout()

    def _choose_layout(self) -> None:
        if not self.auto_layout or self.overlay:
            return
        pictures = [c.image_size() for c in self.canvases]
        if not all(w > 0 and h > 0 for w, h in pictures):
            return
        best = best_layout((self.width(), self.height()), pictures, self.splitter.handleWidth())
        if best != self.layout_name:
            self.set_layout(best)
            self.splitter.setSizes([1, 1])  # two equal halves

    @property
    def layout_name(self) -> str:
        return "side_by_side" if self.splitter.orientation() == Qt.Horizontal else "top_bottom"

    def set_overlay(self, on: bool) -> None:
        self.overlay = on
        self.canvases[1].setVisible(not on)
        self.update_canvases()

    def set_opacity(self, opacity: float) -> None:
        self.opacity = min(max(opacity, 0.0), 1.0)
        self.canvases[0].update()

    def set_active(self, side: int) -> None:
        self.active = side
        self.update_canvases()
        self.side_activated.emit(side)

    # -- overlay layers (image coordinates) -----------------------------------------

    def _paint_ghost(self, p: QPainter, canvas: VideoCanvasWidget) -> None:
        if not self.overlay or canvas.frame is None or getattr(self, "_ghost_frame", None) is None:
            return
        if self._ghost is None:
            self._ghost = bgr_to_qimage(self._ghost_frame.image)
        wa, ha = canvas.image_size()
        wb, hb = self._ghost_size
        scale = ha / hb if hb else 1.0  # match heights, centre horizontally
        w = wb * scale
        target = QRectF((wa - w) / 2 + self.ghost_offset.x(), self.ghost_offset.y(), w, ha)
        p.setOpacity(self.opacity)
        p.drawImage(target, self._ghost[0])
        p.setOpacity(1.0)

    def _paint_side(self, p: QPainter, canvas: VideoCanvasWidget, i: int) -> None:
        painter = self.side_painters[i]
        if painter is not None and canvas.frame is not None:
            p.save()
            painter(p, canvas)
            p.restore()

    def _paint_label(self, p: QPainter, canvas: VideoCanvasWidget, i: int) -> None:
        p.resetTransform()
        f = QFont(p.font())
        f.setPointSize(11)
        f.setBold(True)
        p.setFont(f)
        lines = [f"{'AB'[i]} · {self.labels[i]}"]  # A and B, as the table names them
        if self.captions[i]:
            lines.append(self.captions[i])
        if self.overlay and i == 0:
            lines.append(f"ghost: B · {self.labels[1]}  {self.captions[1]}  "
                         f"({round(self.opacity * 100)} %)")
        selected = i == self.selected_side()
        fm = QFontMetrics(f)
        room = canvas.width() - 32  # the text's room inside the box
        lines = [part for line in lines for part in wrap_label(line, fm, room)]
        if selected:  # what Track bar, Find the plate and Calibrate act on
            lines.append(SELECTED_TEXT)
        width = min(canvas.width() - 16, max(fm.horizontalAdvance(t) for t in lines) + 16)
        rect = QRectF(8, 8, width, fm.height() * len(lines) + 8)
        p.fillRect(rect, QColor(0, 0, 0, 150))
        for k, line in enumerate(lines):
            p.setPen(SELECTED_COLOR if selected and k == len(lines) - 1 else QColor(255, 255, 255))
            p.drawText(QRectF(16, 12 + k * fm.height(), width - 12, fm.height()),
                       Qt.AlignVCenter | Qt.AlignLeft, line)
        if selected and not self.overlay:
            p.setPen(QPen(SELECTED_COLOR, 3))
            p.drawRect(QRectF(1, 1, canvas.width() - 2, canvas.height() - 2))

    def selected_side(self) -> int:
        """The side the analysis actions act on: the one clicked; side A in the ghost
        overlay (B is only a picture over it there)."""
        return 0 if self.overlay else self.active


def wrap_label(text: str, fm: QFontMetrics, width: int, sep: str = " · ") -> list[str]:
    """``text`` as lines of at most ``width`` px in the font of ``fm``: broken between its
    ``sep``-separated parts (date · lifter · exercise load · set), so every part stays
    whole; a part wider than ``width`` alone (a long file name) is elided in its middle,
    keeping its start and its end (where phone clips differ: ``…deadlift2.mp4``)."""
    out: list[str] = []
    for part in text.split(sep):
        joined = f"{out[-1]}{sep}{part}" if out else part
        if out and fm.horizontalAdvance(joined) <= width:
            out[-1] = joined
        else:
            out.append(fm.elidedText(part, Qt.ElideMiddle, max(width, 1)))
    return out or [""]
