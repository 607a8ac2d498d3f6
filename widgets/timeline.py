"""The timeline: time ruler, loop range, marks and spans, playhead; click or drag to seek."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QWidget


def format_time(t: float) -> str:
    """Seconds as mm:ss.mmm."""
    t = max(t, 0.0)
    m, s = divmod(t, 60.0)
    return f"{int(m):02d}:{s:06.3f}"


@dataclass(frozen=True)
class TimelineMark:
    """A point (key moment) or span (rep) on the timeline, in frames."""

    start: int
    end: int = -1  # -1: a point
    color: str = "#e0c060"
    label: str = ""


class TimelineWidget(QWidget):
    """Shows the clip's frames along x. Emits ``seek_requested(frame)`` on click/drag."""

    seek_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(46)
        self.setMaximumHeight(60)
        self.setMouseTracking(True)
        self._times = np.zeros(0)
        self.position = 0
        self.loop = (-1, -1)
        self.marks: list[TimelineMark] = []
        self._dragging = False

    def set_times(self, times: np.ndarray) -> None:
        self._times = np.asarray(times, dtype=float)
        self.update()

    def set_position(self, n: int) -> None:
        if n != self.position:
            self.position = n
            self.update()

    def set_loop(self, lo: int, hi: int) -> None:
        self.loop = (lo, hi)
        self.update()

    def set_marks(self, marks: list[TimelineMark]) -> None:
        self.marks = list(marks)
        self.update()

    @property
    def frame_count(self) -> int:
        return len(self._times)

    def _span(self) -> float:
        if self.frame_count < 2:
            return 1.0
        return float(self._times[-1] - self._times[0]) or 1.0

    def _x_time(self, t: float) -> float:
        return 8 + (self.width() - 16) * ((t - (self._times[0] if self.frame_count else 0.0))
                                          / self._span())

    def _x(self, n: float) -> float:
        """x of frame ``n``: placed by its timestamp, so VFR clips and comparisons read true."""
        if self.frame_count == 0:
            return 8.0
        i = int(min(max(round(n), 0), self.frame_count - 1))
        return self._x_time(float(self._times[i]))

    def frame_at_x(self, x: float) -> int:
        if self.frame_count == 0:
            return 0
        t = self._times[0] + (x - 8) / max(self.width() - 16, 1) * self._span()
        i = int(np.searchsorted(self._times, t, side="right")) - 1
        if 0 <= i + 1 < self.frame_count and abs(self._times[i + 1] - t) < abs(t - self._times[i]):
            i += 1  # nearest frame, not the one before
        return int(min(max(i, 0), self.frame_count - 1))

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(30, 31, 34))
        if self.frame_count == 0:
            p.end()
            return
        h = self.height()
        track = QRectF(8, 18, self.width() - 16, h - 26)
        p.fillRect(track, QColor(45, 47, 52))
        lo, hi = self.loop
        if lo >= 0 or hi >= 0:
            a = self._x(lo if lo >= 0 else 0)
            b = self._x(hi if hi >= 0 else self.frame_count - 1)
            p.fillRect(QRectF(a, track.top(), max(b - a, 2), track.height()), QColor(70, 110, 160, 120))
            p.setPen(QPen(QColor(110, 160, 230), 2))
            for x, on in ((a, lo >= 0), (b, hi >= 0)):
                if on:
                    p.drawLine(int(x), int(track.top()), int(x), int(track.bottom()))
        for m in self.marks:
            c = QColor(m.color)
            if m.end >= 0:
                a, b = self._x(m.start), self._x(m.end)
                c.setAlpha(150)
                p.fillRect(QRectF(a, track.bottom() - 8, max(b - a, 2), 8), c)
            else:
                x = self._x(m.start)
                p.setPen(QPen(c, 2))
                p.drawLine(int(x), int(track.top()), int(x), int(track.bottom()))
        # ruler
        p.setPen(QColor(150, 150, 155))
        f = QFont(self.font())
        f.setPointSizeF(max(f.pointSizeF() - 1, 8))
        p.setFont(f)
        t0 = float(self._times[0])
        duration = self._span()
        step = _nice_step(duration, max(self.width() // 90, 2))
        k = 0
        while step > 0 and k * step <= duration + 1e-9:
            t = k * step
            x = self._x_time(t0 + t)
            p.drawLine(int(x), 14, int(x), 18)
            p.drawText(int(x) + 2, 12, format_time(t)[:-2] if step >= 1 else format_time(t))
            k += 1
        # playhead
        x = self._x(self.position)
        p.setPen(QPen(QColor(255, 90, 60), 2))
        p.drawLine(int(x), 14, int(x), h - 4)
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.LeftButton and self.frame_count:
            self._dragging = True
            self.seek_requested.emit(self.frame_at_x(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._dragging:
            self.seek_requested.emit(self.frame_at_x(event.position().x()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._dragging = False


def _nice_step(duration: float, max_ticks: int) -> float:
    """A tick spacing from 0.1/0.2/0.5 × 10^k seconds giving at most ``max_ticks`` ticks."""
    if duration <= 0:
        return 0.0
    for step in (0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600):
        if duration / step <= max_ticks:
            return float(step)
    return 600.0
