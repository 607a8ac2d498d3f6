"""Frames decoded ahead of their reader on a helper thread.

``liftlens analyze`` starts decoding a clip's luma planes as soon as the clip is
open, while it still loads the tracking and analysis code (about 0.1 s of imports
on a quiet machine): the decoder's own threads release the interpreter lock, so
the two overlap on two cores. :meth:`analysis.video.source.VideoSource.read_ahead`
makes one; the source's next read that starts where it stands takes its frames.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

_END = object()


class ReadAhead:
    """Items ``(n, ...)`` (``n`` rising) from ``items``, pulled on a helper thread that
    starts at construction and stays at most ``depth`` items ahead of the reader.

    Parameters
    ----------
    items : iterator
        Driven on the helper thread only; closed there when it ends or is stopped.
    start : int
        The frame number the reader starts at (:attr:`position`).
    depth : int
        Items decoded and not yet read, at most, until the reader's first :meth:`take`.
    reading_depth : int, optional
        At most this many from then on (default ``depth``). A reader that keeps frames
        ahead of its own (the tracking pass) needs no deep buffer here once it reads:
        while both are deep, the pictures held in the two add up, and each one more that
        the decoder has to allocate costs a fresh picture's memory (about 1.1-1.5 ms of
        CPU at 1080p).

    Errors raised by ``items`` are raised to the reader by :meth:`take`.
    """

    def __init__(self, items: Iterator[tuple[Any, ...]], start: int, depth: int,
                 reading_depth: int | None = None) -> None:
        #: The frame number the next :meth:`take` starts at.
        self.position = start
        self._held: object = None
        self._q: queue.Queue[object] = queue.Queue(maxsize=max(1, depth))
        self._reading_depth = max(1, depth if reading_depth is None else min(depth, reading_depth))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(items,), name="video-read-ahead",
                                        daemon=True)
        self._thread.start()

    def _run(self, items: Iterator[tuple[Any, ...]]) -> None:
        try:
            for item in items:
                if not self._put(item):
                    return
            self._put(_END)
        except BaseException as exc:  # handed to the reader
            self._put(exc)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # the decoder is left in a known state before the reader goes on

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._q.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def take(self, stop: int, cancel: Callable[[], bool] | None = None,
             cancelled: Callable[[], BaseException] | None = None
             ) -> Iterator[tuple[Any, ...]]:
        """Yield the items below frame ``stop``; the first one at or past it is kept for the
        next call. ``cancel()`` returning True raises ``cancelled()``."""
        if self._q.maxsize != self._reading_depth:
            with self._q.mutex:  # the helper's next put waits for the smaller bound
                self._q.maxsize = self._reading_depth
        while True:
            if cancel is not None and cancel():
                raise cancelled() if cancelled is not None else RuntimeError("cancelled")
            item = self._held if self._held is not None else self._next()
            self._held = None
            if item is _END or isinstance(item, BaseException):
                self._held = item  # the end (or the error) stays for later readers
                if isinstance(item, BaseException):
                    raise item
                return
            assert isinstance(item, tuple)
            if item[0] >= stop:
                self._held = item
                return
            self.position = int(item[0]) + 1
            yield item

    def _next(self) -> object:
        """The next item; the end once the helper was stopped (never waits for nothing)."""
        while True:
            try:
                return self._q.get(timeout=0.1)
            except queue.Empty:
                if self._stop.is_set() and not self._thread.is_alive():
                    return _END

    def close(self) -> None:
        """Stop the helper and wait for it (the decoder is the caller's again)."""
        self._stop.set()
        while self._thread.is_alive():
            try:
                self._q.get(timeout=0.05)  # frees a helper waiting to hand an item over
            except queue.Empty:
                pass
        self._thread.join()
