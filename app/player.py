"""The playhead of one video: frames come from a :class:`FrameFeed`, never decoded here."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from analysis.video.frames import Frame
from analysis.video.index import VideoIndex
from app.frame_feed import FrameFeed
from app.playback import SPEEDS, PlaybackController, speed_label

__all__ = ["SPEEDS", "PlayerController", "speed_label"]


class PlayerController(PlaybackController):
    """Positions are frame numbers; ``marks`` are the clip's real timestamps (VFR correct)."""

    frame_shown = Signal(object)  # Frame
    frame_failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.feed: FrameFeed | None = None
        self.index: VideoIndex | None = None
        self.shown: Frame | None = None

    def set_feed(self, feed: FrameFeed | None, start: int = 0) -> None:
        """Show a new video (or none); the previous feed is closed."""
        self.pause()
        if self.feed is not None:
            self.feed.frame_ready.disconnect(self._on_frame_ready)
            self.feed.frame_failed.disconnect(self.frame_failed)
            self.feed.close()
        self.feed = feed
        self.index = feed.index if feed else None
        self.shown = None
        self._set_marks(feed.index.times if feed else [])
        if feed is not None:
            feed.frame_ready.connect(self._on_frame_ready)
            feed.frame_failed.connect(self.frame_failed)
            self.seek(start)

    def pause(self) -> None:
        """Stop playing on the frame on screen: when the decoder had fallen behind the
        clock, the position goes back to the frame the user sees (the counter named a
        frame that was never drawn, and a dialog opened then acted on it)."""
        shown = self.shown
        if self.playing and shown is not None and shown.index != self.position \
                and 0 <= shown.index < self.count:
            self.position = shown.index
            self.position_changed.emit(shown.index)
        super().pause()

    @property
    def frame_count(self) -> int:
        return self.count

    def real_time_speed(self, capture_fps: float) -> float:
        """Speed that plays a slow-motion clip captured at ``capture_fps`` in real time."""
        if self.index is None or capture_fps <= 0:
            return 1.0
        return capture_fps / self.index.average_fps

    def _present(self, n: int) -> None:
        assert self.feed is not None
        frame = self.feed.get(n)
        if frame is None and self.playing and self.direction > 0:
            # The decoder fell behind the clock (a busy machine): show the newest frame
            # it has made rather than nothing; the frames skipped count as dropped.
            last = self.shown.index if self.shown is not None else -1
            k = self.feed.latest_ready(max(last + 1, n - 600), n - 1)
            frame = self.feed.get(k) if k is not None else None
        if frame is not None:
            self._show(frame)
        self.feed.request(n, self.request_direction())

    def _show(self, frame: Frame) -> None:
        self._count_presented(frame.index)
        self.shown = frame
        self.frame_shown.emit(frame)

    def _on_frame_ready(self, n: int) -> None:
        if n == self.position and self.feed is not None and (
                self.shown is None or self.shown.index != n):
            frame = self.feed.get(n)
            if frame is not None:
                self._show(frame)
