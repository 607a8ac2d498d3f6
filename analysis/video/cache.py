"""GOP-aware frame cache with a memory budget and a prefetch worker.

Stepping backward in an H.264 clip is expensive: a picture can only be decoded
from its keyframe onwards, so a naive step back costs a whole group of pictures
(150-600 ms at 1080p). The cache decodes a keyframe group once and keeps its
frames, in two tiers:

* **hot**: planar I420 (1.5 bytes a pixel, 3.1 MB at 1080p), served in 1-3 ms;
  holds the frames nearest the playhead.
* **warm**: JPEG (quality 85, 0.25-0.35 MB at 1080p, ~10x smaller), served in
  5-8 ms; lets a whole 60 s 1080p30 clip fit a 1 GiB budget. The worker keeps
  the frames next to the playhead decompressed, so steps hit the hot tier.

One worker thread owns the decoder. Requests are "newest wins": while the user
scrubs, only the latest frame asked for is decoded, stale ones are dropped.
When idle, the worker promotes warm frames near the playhead to hot, decodes the
neighbouring keyframe groups (the one before first: stepping back is the slow
direction) and then fills the rest of the clip outward, within the budget.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np

from analysis.video.errors import VideoError
from analysis.video.frames import Frame, PackedFrame
from analysis.video.index import VideoIndex
from analysis.video.source import VideoSource

log = logging.getLogger(__name__)

DEFAULT_BUDGET = 1 << 30  # 1 GiB
JPEG_QUALITY = 85
#: Nice value of the worker thread (higher = lower priority than the GUI).
WORKER_NICE = 8
#: Frames either side of the playhead kept decompressed when idle.
HOT_RADIUS = 24


@dataclass
class CacheStats:
    """Counters for benchmarks and the status bar."""

    hits_hot: int = 0
    hits_warm: int = 0
    misses: int = 0
    decoded: int = 0
    groups_decoded: int = 0
    compressed: int = 0
    dropped_requests: int = 0
    errors: list[str] = field(default_factory=list)


class FrameCache:
    """Serve frames of one video by number, decoding in a background thread.

    Parameters
    ----------
    path : str
        The video file; the worker opens its own :class:`VideoSource`.
    index : VideoIndex, optional
        A ready index (saves a demux pass).
    budget_bytes : int
        Memory for cached frames (hot plus warm), default 1 GiB.
    hot_fraction : float
        Share of the budget kept as uncompressed I420.
    on_ready : callable, optional
        ``on_ready(n)`` is called from the worker thread when frame ``n``, the
        newest request, becomes available. ``on_error(message)`` likewise for
        frames that cannot be decoded.
    background_fill : bool
        Keep decoding the rest of the clip when idle (the default).
    """

    def __init__(self, path: str, index: VideoIndex | None = None, *,
                 budget_bytes: int = DEFAULT_BUDGET, hot_fraction: float = 0.25,
                 on_ready: Callable[[int], None] | None = None,
                 on_error: Callable[[int, str], None] | None = None,
                 background_fill: bool = True) -> None:
        self._source = VideoSource(path, index)
        self.index = self._source.index
        self.budget_bytes = int(budget_bytes)
        self._hot_budget = int(budget_bytes * hot_fraction)
        self._warm_budget = self.budget_bytes - self._hot_budget
        self._hot: dict[int, PackedFrame] = {}
        self._warm: dict[int, bytes] = {}
        self._hot_bytes = 0
        self._warm_bytes = 0
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
        self._urgent = False
        self._notified: tuple[int, int] = (-1, -1)
        # A forward decode kept alive between requests, so playback through a long
        # keyframe group never decodes a frame twice: (iterator, next frame it yields).
        self._stream: Iterator[PackedFrame] | None = None
        self._stream_next = -1
        self._full_groups: set[int] = set()
        self._fill_exhausted = False
        self.stats = CacheStats()
        self._thread = threading.Thread(target=self._run, name="frame-cache", daemon=True)
        self._thread.start()

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

    def request(self, n: int, direction: int = 0) -> None:
        """Ask for frame ``n``; it becomes the playhead. Older requests are dropped.

        ``direction`` (+1 playing forward, -1 backward, 0 stepping) decides which
        neighbouring keyframe group is prefetched first.
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
            self._wake.notify()

    def get(self, n: int) -> Frame | None:
        """Frame ``n`` if it is cached (never decodes; safe on the GUI thread)."""
        with self._lock:
            packed = self._hot.get(n)
            blob = None if packed is not None else self._warm.get(n)
            if packed is not None:
                self.stats.hits_hot += 1
            elif blob is not None:
                self.stats.hits_warm += 1
            else:
                self.stats.misses += 1
                return None
        if packed is not None:
            return packed.to_frame()
        image = cv2.imdecode(np.frombuffer(blob, np.uint8), cv2.IMREAD_COLOR)  # type: ignore[arg-type]
        return Frame(n, float(self.index.times[n]), image)

    def is_broken(self, n: int) -> bool:
        """True when frame ``n`` could not be decoded (damaged file)."""
        with self._lock:
            return n in self._broken

    def get_blocking(self, n: int, timeout: float = 30.0) -> Frame:
        """Request frame ``n`` and wait for it (tests, export, command line)."""
        self.request(n)
        deadline = time.monotonic() + timeout
        while True:
            frame = self.get(n)
            if frame is not None:
                return frame
            if self.is_broken(n):
                raise self._source._damaged_error(n)
            if time.monotonic() > deadline:
                raise TimeoutError(f"frame {n} not decoded within {timeout} s")
            with self._wake:
                self._wake.wait(0.005)

    def close(self) -> None:
        """Stop the worker and release the decoder."""
        with self._wake:
            self._stop = True
            self._wake.notify_all()
        self._thread.join(timeout=5)
        self._source.close()

    # -- worker ----------------------------------------------------------------------

    def _has(self, n: int) -> bool:
        return n in self._hot or n in self._warm or n in self._broken

    def _run(self) -> None:
        # Background decoding must not slow the thread that paints: run it at a lower
        # scheduling priority (Linux threads have their own nice value; best effort).
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICE)
        except (AttributeError, OSError):
            pass
        while True:
            with self._wake:
                while not self._stop and self._idle_done():
                    self._wake.wait(0.25)
                if self._stop:
                    return
                target, serial = self._target, self._target_serial
                ready = self._has(target)
                forward = self._direction > 0
            try:
                if not ready and forward:
                    self._stream_ahead(target, serial)
                elif not ready:
                    self._decode_for(target, serial)
                else:
                    self._notify(target)
                    self._idle_step(target, serial)
            except Exception as exc:  # surfaced, never swallowed silently
                log.exception("frame cache worker failed")
                self.stats.errors.append(str(exc))
                with self._lock:
                    self._broken.add(target)
                if self._on_error:
                    self._on_error(target, str(exc))

    def _notify(self, n: int) -> None:
        """Tell the owner once that the newest request is ready."""
        with self._lock:
            if n != self._target or self._notified == (n, self._target_serial):
                return
            self._notified = (n, self._target_serial)
        if self._on_ready is not None:
            self._on_ready(n)

    def _idle_done(self) -> bool:
        """True when there is nothing useful left to do (caller holds the lock)."""
        if not self._has(self._target):
            return False
        if self._notified != (self._target, self._target_serial):
            return False
        return self._fill_exhausted

    def _stale(self, serial: int, group: int) -> bool:
        """A newer request arrived that this group's decode does not serve.

        A prefetch of a neighbouring group goes on while the newest request is
        already cached (playback moving through the current group); anything
        else gives way to the newest request.
        """
        with self._lock:
            if self._stop:
                return True
            if self._target_serial == serial:
                return False
            gt = self.index.group_of(self._target)
            if gt == group:
                return False
            return not (abs(gt - group) <= 1 and self._has(self._target))

    def _decode_for(self, target: int, serial: int) -> None:
        """Urgent path: decode the group of ``target``, serving ``target`` as soon as it appears."""
        g = self.index.group_of(target)
        self._decode_group(g, serial, urgent=True)
        with self._lock:
            if not self._has(target):
                self._broken.add(target)
                missing = True
            else:
                missing = False
        if missing and self._on_error:
            self._on_error(target, str(self._source._damaged_error(target)))

    def _decode_group(self, g: int, serial: int, urgent: bool) -> bool:
        """Decode keyframe group ``g`` into the cache. Returns False when abandoned."""
        start, stop = self.index.group_range(g)
        self._drop_stream()  # the decoder is about to be repositioned
        self._urgent = urgent
        expected = start
        try:
            gen = self._source.packed_frames(start, stop)
            for packed in gen:
                with self._lock:
                    self._broken.update(range(expected, packed.index))
                expected = packed.index + 1
                self.stats.decoded += 1
                self._insert(packed, allow_compress=not urgent)
                with self._lock:
                    target = self._target
                if packed.index == target:
                    self._notify(target)
                if self._stale(serial, g):
                    gen.close()
                    return False
            with self._lock:
                self._broken.update(n for n in range(expected, stop) if not self._has(n))
                # Urgent decodes drop far frames rather than compress them, so a
                # group counts as full only when every frame really is cached.
                if all(self._has(n) for n in range(start, stop)):
                    self._full_groups.add(g)
            self.stats.groups_decoded += 1
            return True
        finally:
            self._urgent = False

    def _insert(self, packed: PackedFrame, allow_compress: bool) -> None:
        n = packed.index
        with self._lock:
            playhead = self._playhead
            if n in self._hot:
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
        with self._lock:
            self._hot[n] = packed
            self._hot_bytes += packed.nbytes
            victims = self._pick_hot_victims(playhead)
        for v in victims:
            self._evict_hot(v, allow_compress)

    def _pick_hot_victims(self, playhead: int) -> list[PackedFrame]:
        """Remove the frames farthest from the playhead until hot fits (caller holds lock)."""
        victims: list[PackedFrame] = []
        if self._hot_bytes <= self._hot_budget:
            return victims
        d = self._direction

        def keep_order(k: int) -> tuple[bool, int]:
            # while playing, frames already passed go first; then the farthest away
            ahead = (k - playhead) * d
            return (d != 0 and ahead >= 0, -abs(k - playhead))

        for n in sorted(self._hot, key=keep_order):
            if self._hot_bytes <= self._hot_budget:
                break
            p = self._hot.pop(n)
            self._hot_bytes -= p.nbytes
            victims.append(p)
        return victims

    def _evict_hot(self, packed: PackedFrame, allow_compress: bool) -> None:
        with self._lock:
            if packed.index in self._warm:
                return
        if allow_compress:
            self._put_warm(packed.index, packed)

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
            playhead = self._playhead
            if self._warm_bytes <= self._warm_budget:
                return
            for k in sorted(self._warm, key=lambda k: -abs(k - playhead)):
                if self._warm_bytes <= self._warm_budget:
                    break
                self._warm_bytes -= len(self._warm.pop(k))
                self._full_groups.discard(self.index.group_of(k))

    def _drop_stream(self) -> None:
        if self._stream is not None:
            close = getattr(self._stream, "close", None)
            if close is not None:
                close()
        self._stream = None
        self._stream_next = -1

    def _ahead_window(self) -> int:
        """Frames to keep decoded ahead of the playhead while playing forward."""
        # sized for BGR frames (promoted from the warm tier), the larger kind kept hot
        frame_bytes = self.index.coded_width * self.index.coded_height * 3
        return max(4, min(120, int(0.6 * self._hot_budget / max(frame_bytes, 1))))

    def _stream_ahead(self, target: int, serial: int) -> None:
        """Playing forward: decode from the first missing frame at or after ``target``
        up to the look-ahead window, resuming the live decoder when it is already there."""
        window_end = min(target + self._ahead_window(), self.frame_count - 1)
        with self._lock:
            # the first frame ahead that is not ready to show, and the first that
            # only the decoder can supply
            start = next((n for n in range(target, window_end + 1)
                          if n not in self._hot and n not in self._broken), -1)
            need = next((n for n in range(target, window_end + 1) if not self._has(n)), -1)
        if start < 0:
            with self._lock:
                self._fill_exhausted = True
            return
        if need < 0 or start < need:
            # A compressed frame comes first: decompressing it beats any decoder restart.
            frame = self.get(start)
            if frame is not None:
                self._insert(_pack_bgr(frame, self.index), allow_compress=False)
                if start == target:
                    self._notify(target)
            with self._lock:
                if start not in self._hot:  # no room: stop rather than spin
                    self._fill_exhausted = True
            return
        start = need
        if self._stream is None or self._stream_next != start:
            self._drop_stream()
            # Starting mid-group decodes (and skips) the frames before ``start``;
            # usually ``start`` opens a group that was never decoded.
            self._stream = self._source.packed_frames(start)
            self._stream_next = start
        while True:
            try:
                packed = next(self._stream)
            except StopIteration:
                self._stream = None
                self._stream_next = -1
                with self._lock:
                    self._broken.update(n for n in range(start, window_end + 1)
                                        if not self._has(n))
                return
            with self._lock:
                self._broken.update(range(self._stream_next, packed.index))
            self._stream_next = packed.index + 1
            self.stats.decoded += 1
            self._insert(packed, allow_compress=False)
            with self._lock:
                newest = self._target
                moved = self._target_serial != serial
            if packed.index == newest:
                self._notify(newest)
            if packed.index >= window_end:
                return
            if moved and not packed.index - 2 <= newest <= window_end:
                return  # a seek elsewhere: the newest request goes first

    def _idle_step(self, target: int, serial: int) -> None:
        """One unit of background work, most useful first.

        While playing, only work that keeps the next frames ready is done:
        compression waits until playback stops.
        """
        with self._lock:
            direction = self._direction
        if direction > 0:
            self._stream_ahead(target, serial)
            return
        # 1. decompress warm frames right around the playhead (behind it when playing back)
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
        # 2. keep every hot frame also in warm, so evicting it later costs nothing
        if direction == 0:
            with self._lock:
                uncompressed = [p for k, p in self._hot.items() if k not in self._warm]
                warm_room = self._warm_bytes < self._warm_budget * 0.98
            if uncompressed and warm_room:
                uncompressed.sort(key=lambda p: abs(p.index - target))
                for p in uncompressed[:4]:
                    self._put_warm(p.index, p)
                return
        # 3. decode neighbouring groups: the one we are heading into first, then outward
        g0 = self.index.group_of(target)
        groups = len(self.index.keyframes)
        order = [g0, g0 - 1, g0 + 1]
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
            self._decode_group(g, serial, urgent=direction != 0)
            return
        with self._lock:
            self._fill_exhausted = True  # until the next request


def _pack_bgr(frame: Frame, index: VideoIndex) -> PackedFrame:
    """Keep a decompressed frame as BGR (already in display orientation)."""
    return PackedFrame(frame.index, frame.time, frame.image, index.height, 0, planar=False)
