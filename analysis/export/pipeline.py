"""Three-stage export pipeline: decode → render → encode on separate threads.

Decoding (FFmpeg threads, GIL released), overlay rendering (cv2 or QPainter,
GIL mostly released) and encoding (x264 frame threads) overlap, so an export
runs at the speed of its slowest stage instead of the sum of all three.

* ``produce()`` is a generator run in the *decode* thread (open per-thread
  resources such as a :class:`~analysis.video.VideoSource` inside it).
* ``transform(item)`` runs in the *render* thread, one item at a time, in order.
* ``consume(item)`` runs in the caller's thread (the encoder and muxer).

``cancel()`` is polled in the caller's thread only. Any stage's exception stops
the others and is re-raised in the caller's thread; threads are always joined
before :func:`run_pipeline` returns. With ``threaded=False`` everything runs in
the caller's thread (deterministic; for tests and debugging).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from analysis.video.source import Cancelled

T = TypeVar("T")
U = TypeVar("U")

_POLL_S = 0.05
_END = object()


@dataclass
class _Failure:
    exc: BaseException


def run_pipeline(produce: Callable[[], Iterator[T]], transform: Callable[[T], U],
                 consume: Callable[[U], None], *, cancel: Callable[[], bool] | None = None,
                 threaded: bool = True, depth: int = 3) -> None:
    """Run ``consume(transform(x)) for x in produce()`` as a pipeline.

    Parameters
    ----------
    produce, transform, consume : callable
        The three stages (see the module docstring for their threads).
    cancel : callable, optional
        Returns True to stop; polled in the caller's thread between items and
        while waiting for one.
    threaded : bool
        Run the stages on their own threads (default) or all in the caller's.
    depth : int
        Items buffered between two stages (bounds memory: a 1080p BGR frame is 6 MB).

    Raises
    ------
    Cancelled
        When ``cancel()`` returned True.
    Exception
        Whatever a stage raised, re-raised in the caller's thread.
    """
    if not threaded:
        gen = produce()
        try:
            for item in gen:
                if cancel is not None and cancel():
                    raise Cancelled()
                consume(transform(item))
        finally:
            gen.close()  # type: ignore[attr-defined]
        return
    stop = threading.Event()
    q_decoded: queue.Queue[Any] = queue.Queue(depth)
    q_rendered: queue.Queue[Any] = queue.Queue(depth)

    def put(q: queue.Queue[Any], item: object) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def get(q: queue.Queue[Any]) -> Any:
        while not stop.is_set():
            try:
                return q.get(timeout=_POLL_S)
            except queue.Empty:
                continue
        return _END

    def decode_stage() -> None:
        try:
            gen = produce()
            try:
                for item in gen:
                    if not put(q_decoded, item):
                        return
            finally:
                gen.close()  # type: ignore[attr-defined]
            put(q_decoded, _END)
        except BaseException as exc:  # handed to the caller's thread
            put(q_decoded, _Failure(exc))

    def render_stage() -> None:
        try:
            while True:
                item = get(q_decoded)
                if item is _END or isinstance(item, _Failure):
                    put(q_rendered, item)
                    return
                if not put(q_rendered, transform(item)):
                    return
        except BaseException as exc:
            put(q_rendered, _Failure(exc))

    threads = [threading.Thread(target=decode_stage, name="export-decode", daemon=True),
               threading.Thread(target=render_stage, name="export-render", daemon=True)]
    for t in threads:
        t.start()
    try:
        while True:
            if cancel is not None and cancel():
                raise Cancelled()
            try:
                item = q_rendered.get(timeout=_POLL_S)
            except queue.Empty:
                continue
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.exc
            consume(item)
    finally:
        stop.set()
        for t in threads:
            t.join()
