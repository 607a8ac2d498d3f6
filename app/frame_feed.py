"""Qt adaptor for the Qt-free :class:`FrameCache`: worker callbacks become queued signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from analysis.video.cache import FrameCache
from analysis.video.frames import Frame
from analysis.video.index import VideoIndex


class FrameFeed(QObject):
    """Owns a frame cache; emits ``frame_ready(n)`` on the GUI thread."""

    frame_ready = Signal(int)
    frame_failed = Signal(int, str)

    def __init__(self, path: str, index: VideoIndex, budget_bytes: int,
                 parent: QObject | None = None, hot_fraction: float = 0.25,
                 start: int = 0) -> None:
        super().__init__(parent)
        # Signals emitted from the cache thread are delivered queued to this
        # object's (GUI) thread.
        self._cache = FrameCache(path, index, budget_bytes=budget_bytes, hot_fraction=hot_fraction,
                                 on_ready=self.frame_ready.emit,
                                 on_error=self.frame_failed.emit, start=start)
        self.index = index

    @property
    def cache(self) -> FrameCache:
        return self._cache

    def request(self, n: int, direction: int = 0) -> None:
        self._cache.request(n, direction)

    def get(self, n: int) -> Frame | None:
        return self._cache.get(n)

    def latest_ready(self, lo: int, hi: int) -> int | None:
        """Highest frame in ``lo..hi`` ready to show at once (see FrameCache.latest_ready)."""
        return self._cache.latest_ready(lo, hi)

    def close(self) -> None:
        self._cache.close()
