"""GOP-aware frame cache with a memory budget, an urgent decoder and a background filler.

Stepping backward in an H.264 clip is expensive: a picture can only be decoded
from its keyframe onwards, so a naive step back costs a whole group of pictures
(150-600 ms at 1080p). The cache decodes a keyframe group once and keeps its
frames, in two tiers:

* **hot**: decoder pictures or planar I420 (1.5 bytes a pixel, 3.1 MB at
  1080p), served in 1-3 ms; holds the frames nearest the playhead.
* **warm**: JPEG (quality 85, 0.25-0.35 MB at 1080p, ~10x smaller), served in
  5-8 ms; lets a whole 60 s 1080p30 clip fit a 1 GiB budget.

Two threads, each with its own decoder (PyAV containers are single-threaded):

* **urgent** (normal scheduling priority, as the thread that made the cache):
  decodes the frame the user asked for, and the frames the next step or the
  playback needs. The wanted frame is converted and announced the moment the
  decoder produces it; the other pictures of its group are kept unconverted
  (within the budget), so a backward walk through a group decodes it once.
* **fill** (nice :data:`FILL_NICE`): converts and compresses what the urgent
  thread left, keeps frames near the playhead decompressed, prefetches the
  neighbouring groups and fills the rest of the clip outward. It checks between
  every frame whether urgent work is waiting and, if so, stops at once until
  the urgent thread is idle again.

Requests are "newest wins": while the user scrubs, only the latest frame asked
for is decoded, stale ones are dropped.
"""

from __future__ import annotations

import logging
import mmap
import os
import threading
import time
import weakref
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from analysis.video.frames import Frame, PackedFrame
from analysis.video.index import VideoIndex, build_index, take_first_picture
from analysis.video.source import VideoSource, damaged_error, pack_picture

log = logging.getLogger(__name__)

DEFAULT_BUDGET = 1 << 30  # 1 GiB
JPEG_QUALITY = 85
#: Nice value of the background fill thread and its decoder threads (higher =
#: lower priority than the GUI and the urgent decoder; Linux threads have their
#: own nice value, inherited by the threads they start). Moderate on purpose: the
#: fill thread shares the interpreter lock and the cache lock with the GUI thread,
#: and a thread at nice 15 preempted while holding one waits up to a second for
#: the CPU on a busy machine (priority inversion: cached steps stalled 350 ms).
FILL_NICE = 5
#: Kept for callers of the old single-worker cache: the urgent thread is not niced.
WORKER_NICE = FILL_NICE
#: Frames either side of the playhead kept decompressed when idle.
HOT_RADIUS = 24


@dataclass
class CacheStats:
    """Counters for benchmarks and the status bar.

    ``decoded`` counts every picture out of either decoder (``decoded_urgent`` +
    ``decoded_fill``); ``decode_counts[n]`` how often frame ``n`` was decoded.
    """

    hits_hot: int = 0
    hits_warm: int = 0
    misses: int = 0
    decoded: int = 0
    decoded_urgent: int = 0
    decoded_fill: int = 0
    groups_decoded: int = 0
    compressed: int = 0
    converted_later: int = 0
    dropped_requests: int = 0
    fill_pauses: int = 0
    decode_counts: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


#: Recycled picture memory kept idle for the next decodes, at most (bytes, whole process).
#: Idle buffers count against a cache's budget: a cache that needs the room releases them.
POOL_IDLE_MAX = 768 << 20


class _PicturePool:
    """Recycled buffers for decoded I420 pictures (one process-wide pool).

    Copying a 1080p picture into memory that was used before costs ~0.3 ms; into
    fresh memory the page faults cost 2-3 ms, half the picture's decode time. A
    buffer comes back when the :class:`PackedFrame` that owns it is garbage (a
    finalizer), so a frame someone still holds is never overwritten.
    """

    def __init__(self) -> None:
        self._free: dict[int, list[np.ndarray]] = {}
        self._idle_bytes = 0
        self._lock = threading.Lock()
        self.created = 0
        self.reused = 0

    def take(self, nbytes: int) -> np.ndarray:
        with self._lock:
            free = self._free.get(nbytes)
            if free:
                self._idle_bytes -= nbytes
                self.reused += 1
                return free.pop()
            self.created += 1
        return np.empty(nbytes, np.uint8)

    def give(self, buf: np.ndarray) -> None:
        with self._lock:
            if self._idle_bytes + buf.nbytes <= POOL_IDLE_MAX:
                self._free.setdefault(buf.nbytes, []).append(buf)
                self._idle_bytes += buf.nbytes

    @property
    def idle_bytes(self) -> int:
        return self._idle_bytes

    def release(self, nbytes: int) -> None:
        """Hand at least ``nbytes`` of idle buffers back to the system (a cache needs room)."""
        with self._lock:
            for free in self._free.values():
                while free and nbytes > 0:
                    buf = free.pop()
                    self._idle_bytes -= buf.nbytes
                    nbytes -= buf.nbytes

    def idle(self, nbytes: int) -> int:
        with self._lock:
            return len(self._free.get(nbytes, ()))

    def prewarm(self, nbytes: int, count: int, stop: Callable[[], bool],
                room: Callable[[], int]) -> None:
        """Touch ``count`` idle buffers of ``nbytes`` ahead of need (background thread),
        while ``room()`` (bytes a cache's budget has left) allows."""
        while self.idle(nbytes) < count and room() >= nbytes and not stop():
            with self._lock:
                if self._idle_bytes + nbytes > POOL_IDLE_MAX:
                    return
            self.give(_touched_buffer(nbytes))


_POOL = _PicturePool()


def _touched_buffer(nbytes: int) -> np.ndarray:
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


class _Raw:
    """A decoder picture kept unconverted (cheap to keep, converted on first use)."""

    __slots__ = ("av_frame", "index", "nbytes")

    def __init__(self, av_frame: Any, index: int, nbytes: int) -> None:
        self.av_frame = av_frame
        self.index = index
        self.nbytes = nbytes


class FrameCache:
    """Serve frames of one video by number, decoding in background threads.

    Parameters
    ----------
    path : str
        The video file; the cache opens its own :class:`VideoSource` per thread.
    index : VideoIndex, optional
        A ready index (saves a demux pass).
    budget_bytes : int
        Memory for cached frames (hot plus warm), default 1 GiB.
    hot_fraction : float
        Share of the budget kept as uncompressed pictures once the background
        thread has caught up (urgent decodes may use the whole budget meanwhile).
    on_ready : callable, optional
        ``on_ready(n)`` is called from a cache thread when frame ``n``, the
        newest request, becomes available. ``on_error(n, message)`` likewise for
        frames that cannot be decoded.
    background_fill : bool
        Keep decoding the rest of the clip when idle (the default).
    prefetch : bool
        Decode the keyframe groups next to the playhead when idle (the default).
    first : PackedFrame, optional
        Frame 0 already decoded (by :func:`analysis.video.index.open_video`), shown
        without decoding it again.
    """

    def __init__(self, path: str, index: VideoIndex | None = None, *,
                 budget_bytes: int = DEFAULT_BUDGET, hot_fraction: float = 0.25,
                 on_ready: Callable[[int], None] | None = None,
                 on_error: Callable[[int, str], None] | None = None,
                 background_fill: bool = True, prefetch: bool = True,
                 first: PackedFrame | None = None) -> None:
        self.path = str(path)
        self.index = index if index is not None else build_index(self.path)
        # The urgent decoder is opened by the urgent thread (the constructor returns at
        # once); the fill decoder by the fill thread, so its threads inherit its nice.
        self._source: VideoSource | None = None
        self.budget_bytes = int(budget_bytes)
        self._hot_budget = int(budget_bytes * hot_fraction)
        self._warm_budget = self.budget_bytes - self._hot_budget
        self._hot: dict[int, PackedFrame | _Raw] = {}
        self._warm: dict[int, bytes] = {}
        self._hot_bytes = 0
        self._warm_bytes = 0
        self._raw_count = 0
        self._broken: set[int] = set()
        self._target = 0
        self._direction = 0
        self._target_serial = 0
        self._playhead = 0
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._stop = False
        self._on_ready = on_ready
        self._on_error = on_error
        self._background_fill = background_fill
        self._prefetch = prefetch
        self._notified: tuple[int, int] = (-1, -1)
        # urgent work waits (set by request, cleared by the urgent thread when done)
        self._urgent_pending = True
        self._urgent_busy = False
        # A forward decode kept alive between requests, so playback through a long
        # keyframe group never decodes a frame twice: (iterator, next frame it yields).
        self._stream: Iterator[tuple[int, Any]] | None = None
        self._stream_next = -1
        self._full_groups: set[int] = set()
        self._fill_exhausted = False
        self._fill_source: VideoSource | None = None
        self._prewarmed = False
        self.stats = CacheStats()
        if first is None and self.frame_count > 0:
            picture = take_first_picture(self.index)  # decoded while indexing
            if picture is not None:
                first = pack_picture(picture, 0, self.index)
        if first is not None and first.index == 0 and self.frame_count > 0:
            self._hot[0] = first
            self._hot_bytes += first.nbytes
        self._urgent_thread = threading.Thread(target=self._run_urgent, name="frame-urgent",
                                               daemon=True)
        self._fill_thread = threading.Thread(target=self._run_fill, name="frame-fill",
                                             daemon=True)
        self._urgent_thread.start()
        self._fill_thread.start()

    # -- public API (any thread) -----------------------------------------------------

    @property
    def frame_count(self) -> int:
        return self.index.frame_count

    @property
    def memory_bytes(self) -> int:
        """Bytes held by cached frames right now."""
        with self._lock:
            return self._hot_bytes + self._warm_bytes

    @property
    def cached_count(self) -> int:
        with self._lock:
            return len(self._hot.keys() | self._warm.keys())

    @property
    def unconverted_count(self) -> int:
        """Decoded pictures not yet converted (kept as the decoder produced them)."""
        with self._lock:
            return self._raw_count

    def request(self, n: int, direction: int = 0) -> None:
        """Ask for frame ``n``; it becomes the playhead. Older requests are dropped.

        ``direction`` (+1 playing forward, -1 backward, 0 stepping) decides which
        frames are decoded next: the next ones that way are urgent too.
        """
        n = min(max(int(n), 0), self.frame_count - 1)
        with self._wake:
            self._direction = direction
            if self._target != n and not self._has(self._target):
                self.stats.dropped_requests += 1
            self._target = n
            self._playhead = n
            self._target_serial += 1
            self._fill_exhausted = False
            self._urgent_pending = True
            self._wake.notify_all()

    def get(self, n: int) -> Frame | None:
        """Frame ``n`` if it is cached (never decodes; safe on the GUI thread)."""
        with self._lock:
            item = self._hot.get(n)
            blob = None if item is not None else self._warm.get(n)
            if item is not None:
                self.stats.hits_hot += 1
            elif blob is not None:
                self.stats.hits_warm += 1
            else:
                self.stats.misses += 1
                return None
        if item is not None:
            return self._packed(item).to_frame()
        image = cv2.imdecode(np.frombuffer(blob, np.uint8), cv2.IMREAD_COLOR)  # type: ignore[arg-type]
        if image is None:
            return None
        return Frame(n, float(self.index.times[n]), image)

    def latest_ready(self, lo: int, hi: int) -> int | None:
        """The highest frame number in ``lo..hi`` that is decompressed (cheap to show), or
        None. Playback that cannot keep up shows the newest decoded frame behind the
        clock rather than nothing."""
        with self._lock:
            for n in range(hi, lo - 1, -1):
                if n in self._hot:
                    return n
        return None

    def is_broken(self, n: int) -> bool:
        """True when frame ``n`` could not be decoded (damaged file)."""
        with self._lock:
            return n in self._broken

    def get_blocking(self, n: int, timeout: float = 30.0, direction: int = 0) -> Frame:
        """Request frame ``n`` and wait for it (tests, export, command line)."""
        self.request(n, direction)
        deadline = time.monotonic() + timeout
        while True:
            frame = self.get(n)
            if frame is not None:
                return frame
            if self.is_broken(n):
                raise damaged_error(self.index, n)
            if time.monotonic() > deadline:
                raise TimeoutError(f"frame {n} not decoded within {timeout} s")
            with self._wake:
                self._wake.wait(0.005)

    def close(self) -> None:
        """Stop the threads and release the decoders."""
        with self._wake:
            self._stop = True
            self._wake.notify_all()
        self._urgent_thread.join(timeout=5)
        self._fill_thread.join(timeout=5)
        self._drop_stream()
        if self._source is not None:
            self._source.close()

    # -- shared helpers ----------------------------------------------------------------

    def _has(self, n: int) -> bool:
        return n in self._hot or n in self._warm or n in self._broken

    def _packed(self, item: PackedFrame | _Raw) -> PackedFrame:
        """A hot item as a PackedFrame (converting a decoder picture: ~1 ms at 1080p)."""
        if isinstance(item, PackedFrame):
            return item
        return pack_picture(item.av_frame, item.index, self.index)

    def _pack(self, av_frame: Any, n: int) -> PackedFrame:
        """Copy decoder picture ``n`` into a recycled buffer (I420), or convert it."""
        w, h = self.index.coded_width, self.index.coded_height
        if (av_frame.format.name != "yuv420p" or w % 2 or h % 2
                or av_frame.width != w or av_frame.height != h):
            return pack_picture(av_frame, n, self.index)
        buf = _POOL.take(w * h * 3 // 2)
        _copy_i420(av_frame, buf, w, h)
        packed = PackedFrame(n, float(self.index.times[n]), buf.reshape(h * 3 // 2, w), h,
                             self.index.rotation, True)
        weakref.finalize(packed, _POOL.give, buf).atexit = False
        return packed

    def _packed_walk(self, src: VideoSource, start: int, stop: int | None
                     ) -> Iterator[PackedFrame]:
        for n, av_frame in src.raw_frames(start, stop):
            yield self._pack(av_frame, n)

    def _frame_nbytes(self) -> int:
        w, h = self.index.coded_width, self.index.coded_height
        return w * h * 3 // 2 if w % 2 == 0 and h % 2 == 0 else w * h * 3

    def _urgent_source(self) -> VideoSource:
        if self._source is None:
            self._source = VideoSource(self.path, self.index)
        return self._source

    def _distance(self, k: int, playhead: int, direction: int) -> int:
        """How far frame ``k`` is from being needed (frames already passed count 4x)."""
        d = k - playhead
        if direction and d * direction < 0:
            return 4 * abs(d)
        return abs(d)

    def _notify(self, n: int) -> None:
        """Tell the owner once that the newest request is ready."""
        with self._lock:
            if n != self._target or self._notified == (n, self._target_serial):
                return
            if not (n in self._hot or n in self._warm):
                return
            self._notified = (n, self._target_serial)
        if self._on_ready is not None:
            self._on_ready(n)

    def _report_error(self, n: int, message: str) -> None:
        if self._on_error is not None:
            self._on_error(n, message)

    # -- urgent thread: the frame on screen and the ones needed next --------------------

    def _run_urgent(self) -> None:
        try:
            self._urgent_source()  # open the decoder now, not at the first step
        except Exception:  # reported when a frame is asked for
            log.debug("urgent decoder not opened yet", exc_info=True)
        while True:
            with self._wake:
                while not self._stop and not self._urgent_pending:
                    self._wake.wait(0.25)
                if self._stop:
                    return
                target, serial, direction = self._target, self._target_serial, self._direction
                self._urgent_busy = True
            try:
                self._urgent_work(target, serial, direction)
            except Exception as exc:  # surfaced, never swallowed silently
                log.exception("frame cache urgent decoder failed")
                self.stats.errors.append(str(exc))
                with self._lock:
                    self._broken.add(target)
                self._report_error(target, str(exc))
            with self._wake:
                self._urgent_busy = False
                if self._target_serial == serial:
                    self._urgent_pending = False
                self._wake.notify_all()

    def _moved(self, serial: int) -> bool:
        with self._lock:
            return self._stop or self._target_serial != serial

    def _urgent_work(self, target: int, serial: int, direction: int) -> None:
        """Make ``target`` ready, then the frames the next step or playback needs."""
        with self._lock:
            ready = self._has(target)
        if not ready:
            if direction > 0:
                self._stream_ahead(target, serial)
            else:
                self._decode_for(target, serial)
        self._notify(target)
        if self._moved(serial):
            return
        if direction > 0:
            while not self._moved(serial) and self._stream_ahead(target, serial):
                pass
        elif direction < 0 and target > 0:
            # the next step back: when it lies in the previous group, decode that now
            with self._lock:
                ready = self._has(target - 1)
            if not ready:
                self._decode_group(self.index.group_of(target - 1), serial)

    def _decode_for(self, target: int, serial: int) -> None:
        """Decode the group of ``target``, announcing ``target`` as soon as it appears."""
        if not self._decode_group(self.index.group_of(target), serial):
            return  # abandoned for a newer request: not a damaged frame
        with self._lock:
            missing = not self._has(target)
            if missing:
                self._broken.add(target)
        if missing:
            self._report_error(target, str(damaged_error(self.index, target)))

    def _decode_group(self, g: int, serial: int) -> bool:
        """Urgent decode of keyframe group ``g``. Pictures are kept unconverted except
        the newest request's; returns False when abandoned for a newer request."""
        start, stop = self.index.group_range(g)
        self._drop_stream()  # the decoder is about to be repositioned
        expected = start
        frame_bytes = self._frame_nbytes()
        w, h = self.index.coded_width, self.index.coded_height
        pooled = w % 2 == 0 and h % 2 == 0
        gen = self._urgent_source().iter_group_raw(g)
        try:
            for n, av_frame in gen:
                with self._lock:
                    self._broken.update(range(expected, n))
                    target = self._target
                    have = n in self._hot or n in self._warm
                    packed_hot = isinstance(self._hot.get(n), PackedFrame)
                expected = n + 1
                self._count_decode(n, urgent=True)
                if n == target and not packed_hot:
                    # the one frame someone waits for: ready to show now
                    self._put_hot(self._pack(av_frame, n))
                elif not have:
                    # kept for the steps that follow: I420 pictures are copied into
                    # recycled memory (cheaper than the decoder's fresh buffers), other
                    # formats are kept as decoded and converted in the background
                    self._put_hot(self._pack(av_frame, n) if pooled
                                  else _Raw(av_frame, n, frame_bytes))
                self._notify(target)
                if self._urgent_stale(serial, g):
                    return False
        finally:
            _close(gen)
        with self._lock:
            self._broken.update(n for n in range(expected, stop) if not self._has(n))
            if all(self._has(n) for n in range(start, stop)):
                self._full_groups.add(g)
            self._fill_exhausted = False
        self.stats.groups_decoded += 1
        return True

    def _urgent_stale(self, serial: int, group: int) -> bool:
        """A newer request arrived that this group's decode does not serve."""
        with self._lock:
            if self._stop:
                return True
            if self._target_serial == serial:
                return False
            gt = self.index.group_of(self._target)
            if gt == group:
                return False
            return not (abs(gt - group) <= 1 and self._has(self._target))

    def _count_decode(self, n: int, urgent: bool) -> None:
        s = self.stats
        s.decoded += 1
        if urgent:
            s.decoded_urgent += 1
        else:
            s.decoded_fill += 1
        s.decode_counts[n] += 1

    def _put_hot(self, item: PackedFrame | _Raw) -> None:
        """Keep a frame uncompressed; over the whole budget, drop what is needed last.

        The hot tier may exceed its share while the fill thread has not yet
        compressed the overflow; the total never exceeds the budget.
        """
        n = item.index
        with self._lock:
            old = self._hot.pop(n, None)
            if old is not None:
                self._hot_bytes -= old.nbytes
                self._raw_count -= isinstance(old, _Raw)
            self._hot[n] = item
            self._hot_bytes += item.nbytes
            self._raw_count += isinstance(item, _Raw)
            if self._hot_bytes > self._hot_budget or isinstance(item, _Raw):
                self._fill_exhausted = False  # the fill thread has converting to do
            if self._hot_bytes + self._warm_bytes + _POOL.idle_bytes > self.budget_bytes:
                self._shed(keep=n)

    def _shed(self, keep: int = -1) -> None:
        """Drop the frames needed last until the total fits (caller holds the lock).

        Idle recycled picture memory goes first, then a hot frame that also has a
        compressed copy loses its hot copy, then the frames farthest away.
        """
        over = self._hot_bytes + self._warm_bytes + _POOL.idle_bytes - self.budget_bytes
        if over > 0:
            _POOL.release(over)
        p, d = self._playhead, self._direction
        order = sorted(self._hot.keys() | self._warm.keys(),
                       key=lambda k: -self._distance(k, p, d))
        for k in order:
            if self._hot_bytes + self._warm_bytes <= self.budget_bytes:
                return
            if k == keep or k == self._target:
                continue
            item = self._hot.pop(k, None)
            if item is not None:
                self._hot_bytes -= item.nbytes
                self._raw_count -= isinstance(item, _Raw)
            if self._hot_bytes + self._warm_bytes <= self.budget_bytes:
                return
            blob = self._warm.pop(k, None)
            if blob is not None:
                self._warm_bytes -= len(blob)
            self._full_groups.discard(self.index.group_of(k))

    def _drop_stream(self) -> None:
        if self._stream is not None:
            _close(self._stream)
        self._stream = None
        self._stream_next = -1

    def _ahead_window(self) -> int:
        """Frames to keep decoded ahead of the playhead while playing forward."""
        # sized for BGR frames (promoted from the warm tier), the larger kind kept hot
        frame_bytes = self.index.coded_width * self.index.coded_height * 3
        return max(4, min(120, int(0.6 * self._hot_budget / max(frame_bytes, 1))))

    def _stream_ahead(self, target: int, serial: int) -> bool:
        """Playing forward: make the next missing frame at or after ``target`` (up to the
        look-ahead window) ready, resuming the live decoder when it is already there.
        Returns False when the window is ready (nothing left to do)."""
        window_end = min(target + self._ahead_window(), self.frame_count - 1)
        with self._lock:
            # the first frame ahead that is not ready to show, and the first that
            # only the decoder can supply
            start = next((n for n in range(target, window_end + 1)
                          if n not in self._hot and n not in self._broken), -1)
            need = next((n for n in range(target, window_end + 1) if not self._has(n)), -1)
        if start < 0:
            return False
        if need < 0 or start < need:
            # A compressed frame comes first: decompressing it beats any decoder restart.
            frame = self.get(start)
            if frame is not None:
                self._insert(_pack_bgr(frame, self.index), allow_compress=False)
                if start == target:
                    self._notify(target)
            with self._lock:
                return start in self._hot  # no room: stop rather than spin
        start = need
        # Resume the live decoder when it is in the same group at or before ``start``:
        # decoding on is always cheaper than going back to the keyframe (and is how a
        # decoder that fell behind the clock catches up: frames already passed are
        # decoded but not converted).
        reuse = (self._stream is not None and 0 <= self._stream_next <= start
                 and self.index.group_of(self._stream_next) == self.index.group_of(start))
        if not reuse:
            self._drop_stream()
            # Starting mid-group decodes (and skips) the frames before ``start``;
            # usually ``start`` opens a group that was never decoded.
            self._stream = self._urgent_source().raw_frames(start)
            self._stream_next = start
        assert self._stream is not None
        while True:
            try:
                n, av_frame = next(self._stream)
            except StopIteration:
                self._stream = None
                self._stream_next = -1
                with self._lock:
                    self._broken.update(k for k in range(start, window_end + 1)
                                        if not self._has(k))
                return False
            with self._lock:
                self._broken.update(range(self._stream_next, n))
                newest = self._target
                moved = self._target_serial != serial
                # frames the clock has passed are still kept: a playback that cannot
                # keep up shows the newest one behind the clock (latest_ready)
                skip = n < start or self._has(n)
            self._stream_next = n + 1
            self._count_decode(n, urgent=True)
            if not skip:
                self._insert(self._pack(av_frame, n), allow_compress=False)
                if n == newest:
                    self._notify(newest)
            if n >= window_end:
                return True
            if moved and not n - 2 <= newest <= window_end:
                return False  # a seek elsewhere: the newest request goes first

    # -- inserting frames with the hot share respected (fill thread, playback) ----------

    def _insert(self, packed: PackedFrame, allow_compress: bool) -> None:
        n = packed.index
        with self._lock:
            playhead = self._playhead
            if isinstance(self._hot.get(n), PackedFrame):
                return
            ahead = (n - playhead) * self._direction
            near = (abs(n - playhead) <= HOT_RADIUS
                    or (self._direction != 0 and 0 <= ahead <= self._ahead_window())
                    or self._hot_bytes + packed.nbytes <= self._hot_budget)
            if not near and n in self._warm:
                return
        if not near:
            # Far from the playhead: straight to the compressed tier.
            if allow_compress:
                self._put_warm(n, packed)
            return
        self._put_hot(packed)
        self._trim_hot(allow_compress)

    def _trim_hot(self, allow_compress: bool, interruptible: bool = False) -> bool:
        """Move the frames needed last out of the hot tier until it fits its share.

        With ``allow_compress`` a frame is compressed into the warm tier *before*
        its hot copy goes, so it never disappears in between. Returns False when
        stopped early for urgent work.
        """
        with self._lock:
            if self._hot_bytes <= self._hot_budget:
                return True
            p, d = self._playhead, self._direction
            order = sorted(self._hot, key=lambda k: -self._distance(k, p, d))
        for k in order:
            with self._lock:
                if self._hot_bytes <= self._hot_budget:
                    return True
                item = self._hot.get(k)
                if item is None or k == self._target:
                    continue
                backed = k in self._warm
            if allow_compress and not backed:
                if interruptible and self._urgent_waiting():
                    return False
                self._put_warm(k, self._packed(item))
            with self._lock:
                if self._hot.get(k) is item:
                    del self._hot[k]
                    self._hot_bytes -= item.nbytes
                    self._raw_count -= isinstance(item, _Raw)
        return True

    def _put_warm(self, n: int, packed: PackedFrame) -> None:
        ok, buf = cv2.imencode(".jpg", packed.to_bgr(), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        if not ok:
            return
        blob = buf.tobytes()
        self.stats.compressed += 1
        with self._lock:
            if n in self._warm:
                return
            self._warm[n] = blob
            self._warm_bytes += len(blob)
            playhead, d = self._playhead, self._direction
            if self._warm_bytes > self._warm_budget:
                for k in sorted(self._warm, key=lambda k: -self._distance(k, playhead, d)):
                    if self._warm_bytes <= self._warm_budget:
                        break
                    if k in self._hot:
                        continue  # its hot copy still serves it; keep the backup
                    self._warm_bytes -= len(self._warm.pop(k))
                    self._full_groups.discard(self.index.group_of(k))
            if self._hot_bytes + self._warm_bytes + _POOL.idle_bytes > self.budget_bytes:
                self._shed()

    # -- fill thread: everything that can wait --------------------------------------------

    def _run_fill(self) -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), FILL_NICE)
        except (AttributeError, OSError):
            pass
        try:
            while True:
                with self._wake:
                    while not self._stop and (self._urgent_pending or self._urgent_busy
                                              or self._fill_idle()):
                        self._wake.wait(0.25)
                    if self._stop:
                        return
                    target, serial = self._target, self._target_serial
                try:
                    self._fill_step(target, serial)
                except Exception as exc:  # surfaced, never swallowed silently
                    log.exception("frame cache background thread failed")
                    self.stats.errors.append(str(exc))
                    with self._lock:
                        self._fill_exhausted = True
        finally:
            if self._fill_source is not None:
                self._fill_source.close()

    def _room(self) -> int:
        """Bytes of the budget not used by cached frames nor idle picture memory."""
        with self._lock:
            return self.budget_bytes - self._hot_bytes - self._warm_bytes - _POOL.idle_bytes

    def _fill_idle(self) -> bool:
        """True when the fill thread has nothing useful left (caller holds the lock)."""
        return self._fill_exhausted

    def _urgent_waiting(self) -> bool:
        """Background work stops between frames while this is true."""
        with self._lock:
            return self._stop or self._urgent_pending or self._urgent_busy

    def _fill_step(self, target: int, serial: int) -> None:
        """One unit of background work, most useful first."""
        with self._lock:
            direction = self._direction
        # 1. the hot share overflowed (urgent decodes keep whole groups): compress the
        #    frames needed last into the warm tier
        with self._lock:
            over = self._hot_bytes > self._hot_budget
        if over:
            if not self._trim_hot(allow_compress=True, interruptible=True):
                return  # urgent work first; the rest is compressed later
            with self._lock:
                if self._hot_bytes <= self._hot_budget:
                    return
            # only frames that must stay hot are left over the share: go on
        # 2. picture memory for the next urgent decode of a whole keyframe group, so it
        #    does not pay page faults (once per process; bounded by POOL_IDLE_MAX)
        if not self._prewarmed:
            self._prewarmed = True
            w, h = self.index.coded_width, self.index.coded_height
            if w % 2 == 0 and h % 2 == 0:
                nbytes = w * h * 3 // 2
                ks = np.append(self.index.keyframes, self.frame_count)
                longest = int(np.max(np.diff(ks))) if len(ks) > 1 else 1
                _POOL.prewarm(nbytes, min(longest, self.budget_bytes // nbytes),
                              self._urgent_waiting, self._room)
            return
        # 2b. convert pictures the urgent thread kept raw, nearest the playhead first
        with self._lock:
            raws = [k for k, v in self._hot.items() if isinstance(v, _Raw)]
            p = self._playhead
        if raws:
            raws.sort(key=lambda k: self._distance(k, p, direction))
            for k in raws[:8]:
                with self._lock:
                    item = self._hot.get(k)
                if isinstance(item, _Raw):
                    packed = pack_picture(item.av_frame, k, self.index)
                    self.stats.converted_later += 1
                    with self._lock:
                        if self._hot.get(k) is item:
                            self._hot[k] = packed
                            self._raw_count -= 1
                            self._hot_bytes += packed.nbytes - item.nbytes
                if self._urgent_waiting():
                    return
            return
        if direction > 0:
            # playing forward: the urgent thread streams ahead; compression waits
            with self._lock:
                self._fill_exhausted = True
            return
        # 3. decompress warm frames right around the playhead (behind it when playing back)
        lo, hi = target - HOT_RADIUS // 2, target + HOT_RADIUS // 2
        if direction < 0:
            lo, hi = target - HOT_RADIUS, target
        with self._lock:
            todo = [n for n in range(lo, hi + 1) if n in self._warm and n not in self._hot]
        if todo:
            n = min(todo, key=lambda k: abs(k - target))
            frame = self.get(n)
            if frame is not None:
                self._insert(_pack_bgr(frame, self.index), allow_compress=True)
            return
        # 4. keep every hot frame also in warm, so evicting it later costs nothing
        if direction == 0:
            with self._lock:
                uncompressed = [p for k, p in self._hot.items() if k not in self._warm]
                warm_room = self._warm_bytes < self._warm_budget * 0.98
            if uncompressed and warm_room:
                uncompressed.sort(key=lambda p: abs(p.index - target))
                for item in uncompressed[:4]:
                    self._put_warm(item.index, self._packed(item))
                    if self._urgent_waiting():
                        return
                return
        # 5. decode neighbouring groups: the one before first, then outward
        g0 = self.index.group_of(target)
        groups = len(self.index.keyframes)
        order = [g0, g0 - 1, g0 + 1] if self._prefetch else []
        if self._background_fill and direction == 0:
            for d in range(2, groups):
                order += [g0 + d, g0 - d]
        for g in order:
            if not 0 <= g < groups:
                continue
            with self._lock:
                if g in self._full_groups:
                    continue
                if g not in (g0, g0 - 1, g0 + 1) and self._warm_bytes >= self._warm_budget * 0.9:
                    break
            self._fill_group(g, serial)
            return
        with self._lock:
            self._fill_exhausted = True  # until the next request

    def _fill_group(self, g: int, serial: int) -> None:
        """Decode group ``g`` with the background decoder, stopping at once for urgent work."""
        if self._fill_source is None:
            # opened here so its decoder threads inherit this thread's low priority
            self._fill_source = VideoSource(self.path, self.index)
        src = self._fill_source
        start, stop = self.index.group_range(g)
        expected = start
        gen = self._packed_walk(src, start, stop)
        try:
            for packed in gen:
                with self._lock:
                    self._broken.update(range(expected, packed.index))
                expected = packed.index + 1
                self._count_decode(packed.index, urgent=False)
                self._insert(packed, allow_compress=True)
                if self._urgent_waiting():
                    self.stats.fill_pauses += 1
                    if not self._resume_fill(g):
                        return
        finally:
            _close(gen)
        with self._lock:
            self._broken.update(n for n in range(expected, stop) if not self._has(n))
            if all(self._has(n) for n in range(start, stop)):
                self._full_groups.add(g)
        self.stats.groups_decoded += 1

    def _resume_fill(self, g: int) -> bool:
        """Wait while urgent work runs; True when decoding group ``g`` is still worth going on
        (a half-decoded group is finished rather than started again later)."""
        with self._wake:
            while not self._stop and (self._urgent_pending or self._urgent_busy):
                self._wake.wait(0.25)
            if self._stop or self._direction > 0:
                return False
            start, stop = self.index.group_range(g)
            if all(self._has(n) for n in range(start, stop)):
                return False  # the urgent thread decoded it meanwhile
            near = abs(self.index.group_of(self._playhead) - g) <= 1
            return near or (self._background_fill and self._warm_bytes < self._warm_budget * 0.9)


def _copy_i420(av_frame: Any, buf: np.ndarray, w: int, h: int) -> None:
    """Copy a yuv420p picture into ``buf`` laid out as PyAV's ``to_ndarray()`` does
    (the Y rows, then U, then V, each plane without its line padding)."""
    y_size, c_size = w * h, (w // 2) * (h // 2)
    for i, (pw, ph, off) in enumerate(((w, h, 0), (w // 2, h // 2, y_size),
                                       (w // 2, h // 2, y_size + c_size))):
        plane = av_frame.planes[i]
        rows = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)[:ph, :pw]
        buf[off:off + pw * ph].reshape(ph, pw)[:] = rows


def _close(gen: object) -> None:
    """Stop a decoding generator now (releases its decoder position)."""
    close = getattr(gen, "close", None)
    if close is not None:
        close()


def _pack_bgr(frame: Frame, index: VideoIndex) -> PackedFrame:
    """Keep a decompressed frame as BGR (already in display orientation)."""
    return PackedFrame(frame.index, frame.time, frame.image, index.height, 0, planar=False)
