"""The frame cache's storage: two tiers of decoded frames inside a memory budget.

* **hot**: decoder pictures or planar I420 (1.5 bytes a pixel, 3.1 MB at
  1080p), served in 1-3 ms; holds the frames nearest the playhead.
* **warm**: JPEG (quality 85, 0.25-0.35 MB at 1080p, ~10x smaller), served in
  5-8 ms; lets a whole 60 s 1080p30 clip fit a 1 GiB budget.

:class:`FrameStore` holds the frames, the playhead and the state the cache's
threads share (:mod:`analysis.video.cache` runs the threads). When the budget is
exceeded, the frames needed last go first (frames already passed count 4x).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from analysis.video.frames import Frame, PackedFrame
from analysis.video.index import VideoIndex
from analysis.video.picture_pool import POOL, copy_i420
from analysis.video.source import pack_picture

DEFAULT_BUDGET = 1 << 30  # 1 GiB
JPEG_QUALITY = 85
#: The picture-memory prewarm, and the compression of the hot overflow while the user
#: steps or plays in one direction, wait until no frame was requested for this long (s).
STEP_QUIET_S = 0.5
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




class RawPicture:
    """A decoder picture kept unconverted (cheap to keep, converted on first use)."""

    __slots__ = ("av_frame", "index", "nbytes")

    def __init__(self, av_frame: Any, index: int, nbytes: int) -> None:
        self.av_frame = av_frame
        self.index = index
        self.nbytes = nbytes


class FrameStore:
    """Frames of one video kept in a hot and a warm tier within ``budget_bytes``.

    Parameters
    ----------
    index : VideoIndex
        The video the frames come from.
    budget_bytes : int
        Memory for cached frames (hot plus warm).
    hot_fraction : float
        Share of the budget kept as uncompressed pictures once the background
        thread has caught up (urgent decodes may use the whole budget meanwhile).
    on_ready, on_error : callable, optional
        See :class:`analysis.video.cache.FrameCache`.
    """

    def __init__(self, index: VideoIndex, budget_bytes: int, hot_fraction: float,
                 on_ready: Callable[[int], None] | None,
                 on_error: Callable[[int, str], None] | None) -> None:
        self.index = index
        self.budget_bytes = int(budget_bytes)
        self._hot_budget = int(budget_bytes * hot_fraction)
        self._warm_budget = self.budget_bytes - self._hot_budget
        self._hot: dict[int, PackedFrame | RawPicture] = {}
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
        self._notified: tuple[int, int] = (-1, -1)
        # urgent work waits (set by request, cleared by the urgent thread when done)
        self._urgent_pending = True
        self._urgent_busy = False
        self._full_groups: set[int] = set()
        self._fill_exhausted = False
        # what _shed dropped under the lock, freed after it (_free_shed)
        self._shed_items: list[object] = []
        # time.monotonic() of the newest step (a request for another frame or direction than
        # the one asked for before): background work that competes with the GUI thread for
        # memory (the picture-memory prewarm) waits while the user steps. Opening is no
        # step, nor is the player asking for the frame the clip opened on: the prewarm
        # starts at once, so that the user's first step back finds its memory ready
        self._last_request = -float("inf")
        self.stats = CacheStats()

    # -- reading (any thread) -------------------------------------------------------------

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

    def _has(self, n: int) -> bool:
        return n in self._hot or n in self._warm or n in self._broken

    def _packed(self, item: PackedFrame | RawPicture) -> PackedFrame:
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
        buf = POOL.take(w * h * 3 // 2)
        copy_i420(av_frame, buf, w, h)
        packed = PackedFrame(n, float(self.index.times[n]), buf.reshape(h * 3 // 2, w), h,
                             self.index.rotation, True)
        weakref.finalize(packed, POOL.give, buf).atexit = False
        return packed

    def _frame_nbytes(self) -> int:
        w, h = self.index.coded_width, self.index.coded_height
        return w * h * 3 // 2 if w % 2 == 0 and h % 2 == 0 else w * h * 3

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

    def _count_decode(self, n: int, urgent: bool) -> None:
        s = self.stats
        s.decoded += 1
        if urgent:
            s.decoded_urgent += 1
        else:
            s.decoded_fill += 1
        s.decode_counts[n] += 1

    def _put_hot(self, item: PackedFrame | RawPicture) -> None:
        """Keep a frame uncompressed; over the whole budget, drop what is needed last.

        The hot tier may exceed its share while the fill thread has not yet
        compressed the overflow; the total never exceeds the budget.
        """
        n = item.index
        with self._lock:
            old = self._hot.pop(n, None)
            if old is not None:
                self._hot_bytes -= old.nbytes
                self._raw_count -= isinstance(old, RawPicture)
            self._hot[n] = item
            self._hot_bytes += item.nbytes
            self._raw_count += isinstance(item, RawPicture)
            if self._hot_bytes > self._hot_budget or isinstance(item, RawPicture):
                self._fill_exhausted = False  # the fill thread has converting to do
            if self._hot_bytes + self._warm_bytes + POOL.idle_bytes > self.budget_bytes:
                self._shed(keep=n)
        self._free_shed()

    def _shed(self, keep: int = -1) -> None:
        """Drop the frames needed last until the total fits (caller holds the lock).

        Idle recycled picture memory goes first, then a hot frame that also has a
        compressed copy loses its hot copy, then the frames farthest away.
        """
        over = self._hot_bytes + self._warm_bytes + POOL.idle_bytes - self.budget_bytes
        if over > 0:
            self._shed_items.extend(POOL.release(over))
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
                self._raw_count -= isinstance(item, RawPicture)
                self._shed_items.append(item)
            if self._hot_bytes + self._warm_bytes <= self.budget_bytes:
                return
            blob = self._warm.pop(k, None)
            if blob is not None:
                self._warm_bytes -= len(blob)
            self._full_groups.discard(self.index.group_of(k))

    def _free_shed(self) -> None:
        """Free what :meth:`_shed` dropped, outside the cache lock and one picture at a
        time: returning a 3 MB picture's memory to the system (munmap) holds the
        interpreter lock, and a hundred of them at once under the cache lock stalled the
        GUI thread's cached steps for 20 ms and more."""
        with self._lock:
            dropped, self._shed_items = self._shed_items, []
        while dropped:
            dropped.pop()  # the interpreter lock can change hands between pictures

    def _ahead_window(self) -> int:
        """Frames to keep decoded ahead of the playhead while playing forward."""
        # sized for BGR frames (promoted from the warm tier), the larger kind kept hot
        frame_bytes = self.index.coded_width * self.index.coded_height * 3
        return max(4, min(120, int(0.6 * self._hot_budget / max(frame_bytes, 1))))

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
                if interruptible and (self._urgent_waiting() or self._walking()):
                    return False
                self._put_warm(k, self._packed(item))
            with self._lock:
                if self._hot.get(k) is item:
                    del self._hot[k]
                    self._hot_bytes -= item.nbytes
                    self._raw_count -= isinstance(item, RawPicture)
        return True

    def _compress(self, packed: PackedFrame) -> bytes | None:
        """The warm tier's copy of a frame (see :func:`jpeg_bytes`)."""
        return jpeg_bytes(packed)

    def _put_warm(self, n: int, packed: PackedFrame) -> None:
        blob = self._compress(packed)
        if blob is None:
            return
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
            if self._hot_bytes + self._warm_bytes + POOL.idle_bytes > self.budget_bytes:
                self._shed()
        self._free_shed()

    def _stepping(self) -> bool:
        """The user stepped within the last :data:`STEP_QUIET_S` (asked for another frame
        or direction: steps, scrubs or plays; the clip's opening is no step)."""
        return time.monotonic() - self._last_request < STEP_QUIET_S

    def _walking(self) -> bool:
        """The user steps or plays in one direction (the hot overflow is compressed later)."""
        with self._lock:
            direction = self._direction
        return direction != 0 and self._stepping()

    def _urgent_waiting(self) -> bool:
        """Background work stops between frames while this is true."""
        with self._lock:
            return self._stop or self._urgent_pending or self._urgent_busy

    def _room(self) -> int:
        """Bytes of the budget not used by cached frames nor idle picture memory."""
        with self._lock:
            return self.budget_bytes - self._hot_bytes - self._warm_bytes - POOL.idle_bytes


def jpeg_bytes(packed: PackedFrame) -> bytes | None:
    """``packed`` as a JPEG of quality :data:`JPEG_QUALITY` (BGR, display orientation);
    None when it cannot be encoded."""
    ok, buf = cv2.imencode(".jpg", packed.to_bgr(), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    return buf.tobytes() if ok else None


def close_walk(gen: object) -> None:
    """Stop a decoding generator now (releases its decoder position)."""
    close = getattr(gen, "close", None)
    if close is not None:
        close()


def pack_bgr(frame: Frame, index: VideoIndex) -> PackedFrame:
    """Keep a decompressed frame as BGR (already in display orientation)."""
    return PackedFrame(frame.index, frame.time, frame.image, index.height, 0, planar=False)
