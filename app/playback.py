"""Playback over a sequence of timed positions: stepping, loop range, speed, shuttle.

A position is an index into ``marks``, the increasing times (s) at which the
picture changes: the frame timestamps of one clip, or, in a comparison, every
instant where either side changes frame. Playback follows the wall clock: on
each tick the media time is computed and the position shown at that time is
presented if ready, so playback drops frames rather than falling behind.
Subclasses decide how a position is presented.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal

SPEEDS = (1 / 16, 1 / 8, 1 / 4, 1 / 2, 1.0, 2.0)


def speed_label(speed: float) -> str:
    return f"{speed:g}×" if speed >= 1 else f"1/{round(1 / speed)}×"


class PlaybackController(QObject):
    """Position, play/pause, speed and loop over ``marks``. Views subscribe to its signals."""

    position_changed = Signal(int)
    playing_changed = Signal(bool)
    speed_changed = Signal(float)
    loop_changed = Signal(int, int)  # -1 when unset

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = time.monotonic  # wall clock (s); tests give a fake one
        self.marks = np.zeros(0)
        self.position = 0
        self.speed = 1.0
        self.direction = 1
        self.playing = False
        self.loop_in = -1
        self.loop_out = -1
        self.dropped = 0
        self.presented = 0
        self.step_direction = 0
        self._last_presented = -1
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.PreciseTimer)
        self._timer.timeout.connect(self._on_tick)
        self._anchor_wall = 0.0
        self._anchor_media = 0.0

    # -- to implement ---------------------------------------------------------------

    def _present(self, position: int) -> None:
        """Show ``position`` now if its picture is ready, and ask for it otherwise."""
        raise NotImplementedError

    # -- positions ------------------------------------------------------------------

    @property
    def count(self) -> int:
        return int(len(self.marks))

    def _set_marks(self, marks: np.ndarray) -> None:
        self.pause()
        self.marks = np.asarray(marks, float)
        self.loop_in = self.loop_out = -1
        self.loop_changed.emit(-1, -1)

    def position_at_time(self, t: float) -> int:
        i = int(np.searchsorted(self.marks, t + 1e-9, side="right")) - 1
        return min(max(i, 0), max(self.count - 1, 0))

    def seek(self, n: int) -> None:
        """Go to position ``n`` (clamped); instant when its picture is cached."""
        if self.count == 0:
            return
        n = min(max(int(n), 0), self.count - 1)
        self.position = n
        self.position_changed.emit(n)
        self._present(n)

    def step(self, k: int) -> None:
        self.pause()
        self.step_direction = 1 if k > 0 else -1  # the cache prefetches that way
        self.seek(self.position + k)
        self.step_direction = 0

    def request_direction(self) -> int:
        """The way the caches should read ahead: playing, or the step just taken."""
        return self.direction if self.playing else self.step_direction

    def first(self) -> None:
        self.pause()
        self.seek(self.loop_in if self.loop_in >= 0 else 0)

    def last(self) -> None:
        self.pause()
        self.seek(self.loop_out if self.loop_out >= 0 else self.count - 1)

    # -- loop range -----------------------------------------------------------------

    def set_loop_in(self, n: int | None = None) -> None:
        self.loop_in = self.position if n is None else n
        if 0 <= self.loop_out < self.loop_in:
            self.loop_out = -1
        self.loop_changed.emit(self.loop_in, self.loop_out)

    def set_loop_out(self, n: int | None = None) -> None:
        self.loop_out = self.position if n is None else n
        if self.loop_in > self.loop_out:
            self.loop_in = -1
        self.loop_changed.emit(self.loop_in, self.loop_out)

    def clear_loop_in(self) -> None:
        self.loop_in = -1
        self.loop_changed.emit(self.loop_in, self.loop_out)

    def clear_loop_out(self) -> None:
        self.loop_out = -1
        self.loop_changed.emit(self.loop_in, self.loop_out)

    def loop_range(self) -> tuple[int, int]:
        lo = self.loop_in if self.loop_in >= 0 else 0
        hi = self.loop_out if self.loop_out >= 0 else self.count - 1
        return lo, hi

    # -- speed and playing ----------------------------------------------------------

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
        if self.count == 0:
            return
        lo, hi = self.loop_range()
        if direction > 0 and self.position >= hi:
            self.position = lo
        elif direction < 0 and self.position <= lo:
            self.position = hi
        self.direction = direction
        self._anchor_media = float(self.marks[self.position])
        self._anchor_wall = self.clock()
        self.dropped = self.presented = 0
        self._last_presented = -1
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
        return self._anchor_media + (self.clock() - self._anchor_wall) * self.speed * \
            self.direction

    def _reanchor(self) -> None:
        self._anchor_media = self.media_time()
        self._anchor_wall = self.clock()

    def _interval(self, i: int) -> float:
        if i + 1 < self.count:
            return float(self.marks[i + 1] - self.marks[i])
        return float(np.median(np.diff(self.marks))) if self.count > 1 else 0.0

    def _on_tick(self) -> None:
        if self.count == 0:
            return
        lo, hi = self.loop_range()
        t = self.media_time()
        t_lo, t_hi = float(self.marks[lo]), float(self.marks[hi])
        if self.direction > 0 and t > t_hi + self._interval(hi):
            self._anchor_media, self._anchor_wall = t_lo, self.clock()
            t = t_lo
        elif self.direction < 0 and t < t_lo:
            self._anchor_media, self._anchor_wall = t_hi, self.clock()
            t = t_hi
        n = min(max(self.position_at_time(t), lo), hi)
        if n == self.position:
            return
        self.position = n
        self.position_changed.emit(n)
        self._present(n)

    def _count_presented(self, position: int) -> None:
        """Bookkeeping for the dropped-frame figure while playing."""
        if self.playing and self._last_presented >= 0:
            gap = (position - self._last_presented) * self.direction - 1
            if gap > 0:  # a negative gap is a loop wrap, not a drop
                self.dropped += gap
        self._last_presented = position
        self.presented += 1
