"""Decoded pictures copied into the frame cache on a helper thread.

The first step back into a keyframe group decodes the whole group up to its last
frame; every picture on the way is kept for the steps that follow, copied into
recycled memory (:mod:`analysis.video.picture_pool`, ~0.5 ms a 1080p picture). Done by
the thread that drives the decoder, those copies (~0.12 s for a 250-frame group) sit
between the user's key press and the frame shown. :class:`PictureCopier` does them
beside the decode instead: the decoding thread hands each picture over and goes on at
once; a hand-over that finds the helper behind by :attr:`PictureCopier.depth`
pictures is refused and the caller copies it itself, so at most that many decoder
pictures wait (each one waiting is a picture the decoder cannot reuse).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Any

#: Pictures handed over and not yet copied, at most (3.1 MB each at 1080p).
COPY_DEPTH = 6

_STOP = object()


class PictureCopier:
    """Runs ``work(picture, n)`` for handed-over pictures on one helper thread (started
    on the first :meth:`offer`, by the thread that makes it, so it inherits its
    scheduling priority).

    Errors raised by ``work`` are raised again by the next :meth:`drain`.
    """

    def __init__(self, work: Callable[[Any, int], None], depth: int | None = None) -> None:
        self.depth = COPY_DEPTH if depth is None else depth
        self._work = work
        self._q: queue.Queue[object] = queue.Queue(maxsize=max(1, self.depth))
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def offer(self, picture: Any, n: int) -> bool:
        """Hand picture ``n`` over; False (nothing taken) when the helper is ``depth``
        pictures behind: the caller copies it itself."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="frame-copy", daemon=True)
            self._thread.start()
        try:
            self._q.put_nowait((picture, n))
        except queue.Full:
            return False
        return True

    def drain(self) -> None:
        """Wait until every picture handed over is copied; raise the first error."""
        if self._thread is not None:
            self._q.join()
        error, self._error = self._error, None
        if error is not None:
            raise error

    def close(self) -> None:
        """Stop the helper (pictures still waiting are dropped); waits at most ~5 s for a
        copy in progress."""
        thread = self._thread
        if thread is None:
            return
        deadline = time.monotonic() + 5.0
        while thread.is_alive() and time.monotonic() < deadline:
            while True:  # what still waits is dropped
                try:
                    self._q.get_nowait()
                    self._q.task_done()
                except queue.Empty:
                    break
            try:
                self._q.put(_STOP, timeout=0.05)  # never blocks for good on a full queue
                break
            except queue.Full:
                continue
        thread.join(timeout=max(0.0, deadline - time.monotonic()))

    def _run(self) -> None:
        while True:
            item = self._q.get()
            if item is _STOP:
                self._q.task_done()
                return
            try:
                if self._error is None:
                    picture, n = item  # type: ignore[misc]
                    self._work(picture, n)
            except BaseException as exc:  # raised to the decoding thread by drain()
                self._error = exc
            finally:
                item = picture = None  # the decoder may reuse the picture now
                self._q.task_done()
