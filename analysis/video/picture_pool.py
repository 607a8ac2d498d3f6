"""Recycled memory for decoded pictures (one pool for the whole process).

Copying a 1080p picture into memory that was used before costs ~0.3 ms; into
fresh memory the page faults cost 2-3 ms, half the picture's decode time. The
frame cache copies every I420 picture it keeps into a buffer from here.
"""

from __future__ import annotations

import mmap
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

#: Recycled picture memory kept idle for the next decodes, at most (bytes, whole process).
#: Idle buffers count against a cache's budget: a cache that needs the room releases them.
POOL_IDLE_MAX = 768 << 20
#: New buffers at least this large are mapped with their pages populated (smaller ones
#: come from the allocator's heap, where a mapping each would be wasteful).
POPULATE_MIN = 1 << 20



class PicturePool:
    """Recycled buffers for decoded I420 pictures (one process-wide pool).

    Copying a 1080p picture into memory that was used before costs ~0.3 ms; into
    fresh memory the page faults cost 2-3 ms, half the picture's decode time. A
    buffer comes back when the :class:`PackedFrame` that owns it is garbage (a
    finalizer), so a frame someone still holds is never overwritten.

    A finalizer runs wherever the garbage collector runs: on any thread, at any
    allocation, also inside this pool's own locked code (a collection started by a list
    growing in :meth:`release`). So a buffer given back is only queued, without the lock
    (``deque.append`` is atomic), and filed by the next call that takes the lock: a
    finalizer that waited for the lock its own thread holds hung the cache's decoding
    thread, and with it every thread waiting for a frame.
    """

    def __init__(self) -> None:
        self._free: dict[int, list[np.ndarray]] = {}
        self._idle_bytes = 0
        self._lock = threading.Lock()
        self._returned: deque[np.ndarray] = deque()  # given back, not filed yet
        self.created = 0
        self.reused = 0
        # by size: buffers a :meth:`prepare` helper is still to map, and is mapping now
        self._to_prepare: dict[int, list[int]] = {}

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the pool's lock, with the buffers given back meanwhile filed."""
        with self._lock:
            while self._returned:
                buf = self._returned.popleft()
                if self._idle_bytes + buf.nbytes <= POOL_IDLE_MAX:
                    self._free.setdefault(buf.nbytes, []).append(buf)
                    self._idle_bytes += buf.nbytes
            yield

    def take(self, nbytes: int) -> np.ndarray:
        with self._locked():
            free = self._free.get(nbytes)
            if free:
                self._idle_bytes -= nbytes
                self.reused += 1
                return free.pop()
            self.created += 1
            owed = self._to_prepare.get(nbytes)
            if owed is not None and owed[0] > 0:
                owed[0] -= 1  # mapped here instead of by the helper
        if nbytes >= POPULATE_MIN:
            # mapped in one call instead of a page fault per 4 KiB during the copy: the
            # first step back into a 1080p group with no recycled memory spent 1.13-1.34 s
            # copying its 249 pictures instead of 1.28-1.50 s (4 pairs, load 7)
            return touched_buffer(nbytes)
        return np.empty(nbytes, np.uint8)

    def give(self, buf: np.ndarray) -> None:
        """Give ``buf`` back for reuse. Safe from a finalizer on any thread, even one that
        holds this pool's lock: it is queued and filed by the next locked call (a buffer
        beyond :data:`POOL_IDLE_MAX` of idle memory is dropped then)."""
        self._returned.append(buf)

    @property
    def idle_bytes(self) -> int:
        """Bytes of idle buffers, those given back since the last locked call included."""
        with self._locked():
            return self._idle_bytes

    def release(self, nbytes: int) -> list[np.ndarray]:
        """Take at least ``nbytes`` of idle buffers out of the pool (a cache needs room);
        the memory goes back to the system when the caller drops the returned list (do it
        outside your own locks: unmapping holds the interpreter lock)."""
        out: list[np.ndarray] = []
        with self._locked():
            for free in self._free.values():
                while free and nbytes > 0:
                    buf = free.pop()
                    self._idle_bytes -= buf.nbytes
                    nbytes -= buf.nbytes
                    out.append(buf)
        return out

    def prepare(self, nbytes: int, count: int, stop: Callable[[], bool]) -> bool:
        """Map new buffers on a helper thread, so that ``count`` of ``nbytes`` are ready
        for the caller's next :meth:`take` calls, while the caller goes on decoding
        (buffers of at least :data:`POPULATE_MIN` only). A buffer the caller maps itself
        because the helper is behind counts as one of them, so no more than ``count`` are
        ever made. ``stop()`` true ends the helper early. Returns True when a helper
        started.

        The first decode of a 1080p keyframe group in a process needs 777 MB of new
        memory: mapped by the decoding thread, between its pictures, the kernel's 0.3-0.45 s
        of work stalled the decoder (the first step back into a group took 1.53x / 1.59x
        the naive OpenCV / PyAV seek, against 1.38x / 1.25x with the helper: medians of 22
        alternating fresh processes, load 6.5-10).
        """
        if nbytes < POPULATE_MIN:
            return False
        with self._locked():
            owed = self._to_prepare.get(nbytes)  # [not started, being mapped]
            pending = 0 if owed is None else owed[0] + owed[1]
            missing = count - len(self._free.get(nbytes, ())) - pending
            if missing <= 0:
                return False
            if owed is not None:
                owed[0] += missing  # the running helper maps these too
                return False
            owed = self._to_prepare[nbytes] = [missing, 0]

        def run() -> None:
            while not stop():
                with self._lock:
                    if owed[0] <= 0:
                        break
                    owed[0] -= 1
                    owed[1] += 1
                buf = touched_buffer(nbytes)
                with self._lock:
                    owed[1] -= 1
                self.give(buf)
            with self._lock:
                del self._to_prepare[nbytes]

        threading.Thread(target=run, name="picture-prepare", daemon=True).start()
        return True

    def idle(self, nbytes: int) -> int:
        with self._locked():
            return len(self._free.get(nbytes, ()))

    def prewarm(self, nbytes: int, count: int, stop: Callable[[], bool],
                room: Callable[[], int]) -> bool:
        """Touch ``count`` idle buffers of ``nbytes`` ahead of need (background thread),
        while ``room()`` (bytes a cache's budget has left) allows. Returns False when
        ``stop()`` interrupted it (call again later), True when done."""
        while self.idle(nbytes) < count and room() >= nbytes:
            if stop():
                return False
            with self._locked():
                if self._idle_bytes + nbytes > POOL_IDLE_MAX:
                    return True
            self.give(touched_buffer(nbytes))
        return True




POOL = PicturePool()


def touched_buffer(nbytes: int) -> np.ndarray:
    """A buffer whose pages are already mapped (the kernel does it in one call, without
    the interpreter lock: MAP_POPULATE); plain touched memory where that is missing."""
    flags = getattr(mmap, "MAP_POPULATE", 0)
    if flags:
        try:
            m = mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | flags)
            return np.frombuffer(m, np.uint8)
        except (OSError, ValueError):
            pass
    buf = np.empty(nbytes, np.uint8)
    buf[::4096] = 0
    return buf


def copy_i420(av_frame: Any, buf: np.ndarray, w: int, h: int) -> None:
    """Copy a yuv420p picture into ``buf`` laid out as PyAV's ``to_ndarray()`` does
    (the Y rows, then U, then V, each plane without its line padding)."""
    y_size, c_size = w * h, (w // 2) * (h // 2)
    for i, (pw, ph, off) in enumerate(((w, h, 0), (w // 2, h // 2, y_size),
                                       (w // 2, h // 2, y_size + c_size))):
        plane = av_frame.planes[i]
        rows = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)[:ph, :pw]
        buf[off:off + pw * ph].reshape(ph, pw)[:] = rows
