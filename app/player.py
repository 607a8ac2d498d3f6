"""Playback state and timing: which frame is shown, play/pause, speed, loop range.

Playback follows the clip's real timestamps (VFR correct): on every tick the
media time is computed from the wall clock and the frame shown at that time is
displayed if it is ready. A frame that is not ready is skipped, so playback
drops frames rather than falling behind, and the GUI thread never decodes.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from analysis.video.frames import Frame
from analysis.video.index import VideoIndex
from app.frame_feed import FrameFeed

SPEEDS = (1 / 16, 1 / 8, 1 / 4, 1 / 2, 1.0, 2.0)


def speed_label(speed: float) -> str:
    return f"{speed:g}×" if speed >= 1 else f"1/{round(1 / speed)}×"


class PlayerController(QObject):
    """The playhead of one video. Views subscribe to its signals."""

    frame_shown = Signal(object)  # Frame
    position_changed = Signal(int)
    playing_changed = Signal(bool)
    speed_changed = Signal(float)
    loop_changed = Signal(int, int)  # -1 when unset
    frame_failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.feed: FrameFeed | None = None
        self.index: VideoIndex | None = None
        self.position = 0  # frame the user asked for
        self.shown: Frame | None = None
        self.speed = 1.0
        self.direction = 1
        self.playing = False
        self.loop_in = -1
        self.loop_out = -1
        self.dropped = 0
        self.presented = 0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.PreciseTimer)
        self._timer.timeout.connect(self._on_tick)
        self._anchor_wall = 0.0
        self._anchor_media = 0.0

    # -- video --------------------------------------------------------------------

    def set_feed(self, feed: FrameFeed | None, start: int = 0) -> None:
        """Show a new video (or none)."""
        self.pause()
        if self.feed is not None:
            self.feed.frame_ready.disconnect(self._on_frame_ready)
            self.feed.frame_failed.disconnect(self.frame_failed)
            self.feed.close()
        self.feed = feed
        self.index = feed.index if feed else None
        self.shown = None
        self.loop_in = self.loop_out = -1
        self.loop_changed.emit(-1, -1)
        if feed is not None:
            feed.frame_ready.connect(self._on_frame_ready)
            feed.frame_failed.connect(self.frame_failed)
            self.seek(start)

    @property
    def frame_count(self) -> int:
        return self.index.frame_count if self.index else 0

    # -- navigation ---------------------------------------------------------------

    def seek(self, n: int) -> None:
        """Show frame ``n`` (clamped); instant when cached, else as soon as decoded."""
        if self.feed is None:
            return
        n = min(max(int(n), 0), self.frame_count - 1)
        self.position = n
        self.position_changed.emit(n)
        frame = self.feed.get(n)
        if frame is not None:
            self._show(frame)
        self.feed.request(n, self.direction if self.playing else 0)

    def step(self, k: int) -> None:
        self.pause()
        self.seek(self.position + k)

    def first(self) -> None:
        self.pause()
        self.seek(self.loop_in if self.loop_in >= 0 else 0)

    def last(self) -> None:
        self.pause()
        self.seek(self.loop_out if self.loop_out >= 0 else self.frame_count - 1)

    # -- loop range ---------------------------------------------------------------

    def set_loop_in(self, n: int | None = None) -> None:
        self.loop_in = self.position if n is None else n
        if self.loop_out >= 0 and self.loop_out < self.loop_in:
            self.loop_out = -1
        self.loop_changed.emit(self.loop_in, self.loop_out)

    def set_loop_out(self, n: int | None = None) -> None:
        self.loop_out = self.position if n is None else n
        if self.loop_in >= 0 and self.loop_in > self.loop_out:
            self.loop_in = -1
        self.loop_changed.emit(self.loop_in, self.loop_out)

    def clear_loop_in(self) -> None:
        self.loop_in = -1
        self.loop_changed.emit(self.loop_in, self.loop_out)

    def clear_loop_out(self) -> None:
        self.loop_out = -1
        self.loop_changed.emit(self.loop_in, self.loop_out)

    def _range(self) -> tuple[int, int]:
        lo = self.loop_in if self.loop_in >= 0 else 0
        hi = self.loop_out if self.loop_out >= 0 else self.frame_count - 1
        return lo, hi

    # -- playback -----------------------------------------------------------------

    def real_time_speed(self, capture_fps: float) -> float:
        """Speed that plays a slow-motion clip captured at ``capture_fps`` in real time."""
        if self.index is None or capture_fps <= 0:
            return 1.0
        return capture_fps / self.index.average_fps

    def set_speed(self, speed: float, beyond_range: bool = False) -> None:
        """Playback speed; ``beyond_range`` allows real-time playback of slow-motion clips."""
        top = max(SPEEDS[-1], speed) if beyond_range else SPEEDS[-1]
        speed = min(max(speed, SPEEDS[0]), top)
        if self.playing:
            self._reanchor()
        self.speed = speed
        self.speed_changed.emit(speed)

    def faster(self) -> None:
        self.set_speed(next((s for s in SPEEDS if s > self.speed + 1e-9), SPEEDS[-1]))

    def slower(self) -> None:
        self.set_speed(next((s for s in reversed(SPEEDS) if s < self.speed - 1e-9), SPEEDS[0]))

    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play(1)

    def play(self, direction: int = 1) -> None:
        if self.feed is None:
            return
        lo, hi = self._range()
        if direction > 0 and self.position >= hi:
            self.position = lo
        elif direction < 0 and self.position <= lo:
            self.position = hi
        self.direction = direction
        self._anchor_media = float(self.index.times[self.position])
        self._anchor_wall = time.monotonic()
        self.dropped = self.presented = 0
        if not self.playing:
            self.playing = True
            self.playing_changed.emit(True)
        self._timer.start(4)

    def pause(self) -> None:
        if self.playing:
            self.playing = False
            self._timer.stop()
            self.playing_changed.emit(False)

    def shuttle(self, direction: int) -> None:
        """J/L: start playing that way; pressed again while playing, go faster."""
        if self.playing and self.direction == direction:
            self.faster()
        else:
            if not self.playing:
                self.set_speed(1.0)
            self.play(direction)

    def media_time(self) -> float:
        return self._anchor_media + (time.monotonic() - self._anchor_wall) * self.speed * self.direction

    def _reanchor(self) -> None:
        self._anchor_media = self.media_time()
        self._anchor_wall = time.monotonic()

    def _on_tick(self) -> None:
        if self.feed is None or self.index is None:
            return
        lo, hi = self._range()
        t = self.media_time()
        t_lo, t_hi = float(self.index.times[lo]), float(self.index.times[hi])
        if self.direction > 0 and t > t_hi + self.index.frame_interval(hi):
            self._anchor_media, self._anchor_wall = t_lo, time.monotonic()
            t = t_lo
        elif self.direction < 0 and t < t_lo:
            self._anchor_media, self._anchor_wall = t_hi, time.monotonic()
            t = t_hi
        n = min(max(self.index.frame_at_time(t), lo), hi)
        if n == self.position:
            return
        self.position = n
        self.position_changed.emit(n)
        frame = self.feed.get(n)
        if frame is not None:
            self._show(frame)
        self.feed.request(n, self.direction)

    def _show(self, frame: Frame) -> None:
        if self.playing and self.shown is not None:
            gap = (frame.index - self.shown.index) * self.direction - 1
            if gap > 0:  # a negative gap is a loop wrap, not a drop
                self.dropped += gap
        self.presented += 1
        self.shown = frame
        self.frame_shown.emit(frame)

    def _on_frame_ready(self, n: int) -> None:
        if n == self.position and self.feed is not None and (
                self.shown is None or self.shown.index != n):
            frame = self.feed.get(n)
            if frame is not None:
                self._show(frame)
