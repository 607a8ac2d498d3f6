"""The timeline: time ruler, loop range, marks and spans, playhead; click or drag to seek.

Built from the document model, it shows the frames of the recording on screen, its reps
(from the analysis) as spans and its key moments as marks, and empties when the video is
closed. In a comparison the common timeline is set by the comparison instead."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QWidget

from analysis.lift.result import AnalysisResult
from analysis.model import Comparison, DocumentModel
from analysis.session.document import Recording
from analysis.video.capture import TimeScale
from analysis.video.index import VideoIndex
from widgets.overlay_painter import ATTEMPT_PHASE_COLORS

#: the least space between two ruler labels (px)
RULER_GAP_PX = 6


def format_time(t: float) -> str:
    """Seconds as mm:ss.mmm."""
    t = max(t, 0.0)
    m, s = divmod(t, 60.0)
    return f"{int(m):02d}:{s:06.3f}"


def ruler_label(t: float, step: float) -> str:
    """A ruler label: mm:ss.s (steps of 1 s or more: mm:ss), "-" before a negative time."""
    text = format_time(abs(t))
    text = text[:-2] if step >= 1 else text
    return f"-{text}" if t < -1e-9 else text


@dataclass(frozen=True)
class TimelineMark:
    """A point (key moment) or span (rep) on the timeline, in frames. ``parts``: pieces
    of a span drawn in their own colours ((start, end, colour): an attempt's phases)."""

    start: int
    end: int = -1  # -1: a point
    color: str = "#e0c060"
    label: str = ""
    parts: tuple[tuple[int, int, str], ...] = ()


class TimelineWidget(QWidget):
    """Shows the clip's frames along x. Emits ``seek_requested(frame)`` on click/drag."""

    seek_requested = Signal(int)

    def __init__(self, model: DocumentModel | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(46)
        self.setMaximumHeight(60)
        self.setMouseTracking(True)
        self._times = np.zeros(0)
        self.position = 0
        self.loop = (-1, -1)
        self.marks: list[TimelineMark] = []
        self._dragging = False
        self.model = model
        if model is not None:
            model.current_changed.connect(self._on_current_changed)
            model.analysis_ready.connect(self._on_marks_changed)
            model.annotations_changed.connect(self._on_marks_changed)
            model.comparison_changed.connect(self._on_comparison_changed)
            model.capture_changed.connect(self._on_capture_changed)

    # -- following the model ----------------------------------------------------------

    def _on_current_changed(self, rec: Recording | None) -> None:
        m = self.model
        if m is None or m.comparison is not None:
            return
        self._times = self._clip_times()
        self.position = 0
        self.loop = (-1, -1)
        self.marks = timeline_marks(rec, m.video, m.analysis(rec), m.time_scale(rec))
        self.update()

    def _clip_times(self) -> np.ndarray:
        """The frames' times in real time (a slow-motion clip's ruler reads as the analysis
        panel counts); only the ruler's labels change, as frames are placed by ratio."""
        m = self.model
        if m is None or m.video is None:
            return np.zeros(0)
        return np.asarray(m.time_scale().real(np.asarray(m.video.times, float)), float)

    def _on_capture_changed(self, rec: Recording) -> None:
        m = self.model
        if m is not None and rec is m.current and m.comparison is None:
            self._times = self._clip_times()
            self.update()

    def _on_marks_changed(self, rec: Recording) -> None:
        m = self.model
        if m is not None and rec is m.current and m.comparison is None:
            self.set_marks(timeline_marks(rec, m.video, m.analysis(rec), m.time_scale(rec)))

    def _on_comparison_changed(self, comparison: Comparison | None) -> None:
        if comparison is None and self.model is not None:
            self._on_current_changed(self.model.current)  # back to the clip
        else:
            self.set_marks([])  # the comparison sets the common timeline

    def set_times(self, times: np.ndarray) -> None:
        """The time (s) of each position, as the ruler labels it: a clip's own time, or a
        comparison's common time (negative before its origin)."""
        self._times = np.asarray(times, dtype=float)
        self.update()

    def time_now(self) -> float:
        """The time (s) the ruler gives the playhead (0 without times)."""
        if self.frame_count == 0:
            return 0.0
        return float(self._times[min(max(self.position, 0), self.frame_count - 1)])

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
                for s, e, colour in m.parts:  # over the span, in the panel's phase colours
                    pc = QColor(colour)
                    pc.setAlpha(220)
                    a, b = self._x(s), self._x(e)
                    p.fillRect(QRectF(a, track.bottom() - 8, max(b - a, 1), 8), pc)
            else:
                x = self._x(m.start)
                p.setPen(QPen(c, 2))
                p.drawLine(int(x), int(track.top()), int(x), int(track.bottom()))
        # ruler
        p.setPen(QColor(150, 150, 155))
        p.setFont(self._ruler_font())
        # labels read the times given (a comparison's common time, negative before its
        # origin), at round values: the ruler and the clock beside it agree
        for x, at, text in self.ruler():
            p.drawLine(int(x), 14, int(x), 18)
            if at is not None:
                p.drawText(int(at), 12, text)
        # playhead
        x = self._x(self.position)
        p.setPen(QPen(QColor(255, 90, 60), 2))
        p.drawLine(int(x), 14, int(x), h - 4)
        p.end()

    def _ruler_font(self) -> QFont:
        f = QFont(self.font())
        f.setPointSizeF(max(f.pointSizeF() - 1, 8))
        return f

    def ruler(self) -> list[tuple[float, float | None, str]]:
        """The ruler's ticks as ``(x, label_x, label)`` (px): a tick every round step of
        the time (at most one per 90 px), its label right of it, or left of it at the
        right edge so it stays whole; ``label_x`` is None for a label that would touch the
        one before it (the last label, drawn left of its tick, ran into the one before on
        a 37 s clip: "00:30.000:35.0"), in the ruler's font (one point under the widget's)."""
        advance = QFontMetrics(self._ruler_font()).horizontalAdvance
        t0 = float(self._times[0]) if self.frame_count else 0.0
        duration = self._span()
        step = _nice_step(duration, max(self.width() // 90, 2))
        k = math.ceil(t0 / step - 1e-9) if step > 0 else 0
        out: list[tuple[float, float | None, str]] = []
        free_from = -math.inf  # where the last label drawn ends, plus a gap
        while step > 0 and k * step <= t0 + duration + 1e-9:
            t = k * step
            x = self._x_time(t)
            text = ruler_label(t, step)
            w = advance(text)
            at = x + 2 if x + 2 + w <= self.width() else x - 2 - w
            if at >= free_from:
                out.append((x, at, text))
                free_from = at + w + RULER_GAP_PX
            else:
                out.append((x, None, text))
            k += 1
        return out

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


def timeline_marks(rec: Recording | None, video: VideoIndex | None,
                   result: AnalysisResult | None,
                   time_scale: TimeScale | None = None) -> list[TimelineMark]:
    """Rep spans (orange, alternating shades; false and failed reps grey), or for a snatch,
    clean or jerk its attempts (lift-off to the end of the catch: blue, missed ones grey,
    with their phases in the analysis panel's colours), and key moments. Times are real time (slow motion counted): ``time_scale`` maps them
    onto the file."""
    if rec is None or video is None:
        return []
    ts = time_scale or TimeScale()
    marks = []
    wl = result.weightlifting if result is not None else None
    for i, att in enumerate(wl.attempts if wl is not None else []):
        if not att.phases:
            continue
        colour = "#777777" if att.missed else ("#3c8dde" if i % 2 == 0 else "#2a68a8")
        parts = tuple((video.frame_at_time(ts.file(ph.start_t)),
                       video.frame_at_time(ts.file(ph.end_t)), ATTEMPT_PHASE_COLORS[ph.name])
                      for ph in att.phases if ph.name in ATTEMPT_PHASE_COLORS)
        marks.append(TimelineMark(video.frame_at_time(ts.file(att.phases[0].start_t)),
                                  video.frame_at_time(ts.file(att.phases[-1].end_t)), colour,
                                  f"attempt {att.number}" + (" (missed)" if att.missed else ""),
                                  parts))
    for i, rep in enumerate(result.reps if result is not None and wl is None else []):
        colour = "#777777" if rep.status in ("false", "failed") else \
            ("#f08c2c" if i % 2 == 0 else "#c4651a")
        marks.append(TimelineMark(video.frame_at_time(ts.file(rep.start)),
                                  video.frame_at_time(ts.file(rep.end)), colour,
                                  f"rep {rep.number}"))
    marks += [TimelineMark(video.frame_at_time(k.t), -1, "#e0c060", k.title)
              for k in rec.key_moments]
    return marks
