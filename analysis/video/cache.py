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
* **fill** (normal priority; its decoder's threads at nice :data:`FILL_NICE`,
  so the heavy work yields the CPU without a low-priority thread holding the
  interpreter lock the GUI needs): converts and compresses what the urgent
  thread left, keeps frames near the playhead decompressed, prefetches the
  neighbouring groups and fills the rest of the clip outward. It checks between
  every frame whether urgent work is waiting and, if so, stops at once until
  the urgent thread is idle again.

Requests are "newest wins": while the user scrubs, only the latest frame asked
for is decoded, stale ones are dropped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from analysis.video.cache_fill import FILL_NICE, WORKER_NICE, BackgroundFill
from analysis.video.copier import PictureCopier
from analysis.video.frame_store import (DEFAULT_BUDGET, HOT_RADIUS, JPEG_QUALITY, CacheStats,
                                        RawPicture, close_walk, pack_bgr)
from analysis.video.frames import Frame, PackedFrame
from analysis.video.index import VideoIndex, build_index, take_first_picture
from analysis.video.picture_pool import POOL, POOL_IDLE_MAX
from analysis.video.source import URGENT_DECODE_THREADS, VideoSource, damaged_error, pack_picture

__all__ = ["DEFAULT_BUDGET", "FILL_NICE", "HOT_RADIUS", "JPEG_QUALITY", "POOL_IDLE_MAX",
           "WORKER_NICE", "CacheStats", "FrameCache"]

log = logging.getLogger(__name__)

#: Copy the pictures a group decode passes beside it (:mod:`analysis.video.copier`).
COPY_BESIDE = True


class FrameCache(BackgroundFill):
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
    start : int
        The frame the clip opens on (decoded at once; asking for it is no step).
    """

    def __init__(self, path: str, index: VideoIndex | None = None, *,
                 budget_bytes: int = DEFAULT_BUDGET, hot_fraction: float = 0.25,
                 on_ready: Callable[[int], None] | None = None,
                 on_error: Callable[[int, str], None] | None = None,
                 background_fill: bool = True, prefetch: bool = True,
                 first: PackedFrame | None = None, start: int = 0) -> None:
        path = str(path)
        super().__init__(path, index if index is not None else build_index(path), budget_bytes,
                         hot_fraction, on_ready, on_error, background_fill, prefetch)
        # The urgent decoder is opened by the urgent thread (the constructor returns at
        # once); the fill decoder by the fill thread, so its threads inherit its nice.
        self._source: VideoSource | None = None
        # A forward decode kept alive between requests, so playback through a long
        # keyframe group never decodes a frame twice: (iterator, next frame it yields).
        self._stream: Iterator[tuple[int, Any]] | None = None
        self._stream_next = -1
        # the pictures a group decode passes on the way to the wanted frame are copied
        # into the cache beside the decode (made by the urgent thread, at its priority)
        self._copier: PictureCopier | None = None
        if first is None and self.frame_count > 0:
            picture = take_first_picture(self.index)  # decoded while indexing
            if picture is not None:
                first = pack_picture(picture, 0, self.index)
        if first is not None and first.index == 0 and self.frame_count > 0:
            self._hot[0] = first
            self._hot_bytes += first.nbytes
        self._target = self._playhead = min(max(int(start), 0), max(self.frame_count - 1, 0))
        self._urgent_thread = threading.Thread(target=self._run_urgent, name="frame-urgent",
                                               daemon=True)
        self._fill_thread = threading.Thread(target=self._run_fill, name="frame-fill",
                                             daemon=True)
        self._urgent_thread.start()
        self._fill_thread.start()

    # -- public API (any thread) -----------------------------------------------------

    def request(self, n: int, direction: int = 0) -> None:
        """Ask for frame ``n``; it becomes the playhead. Older requests are dropped.

        ``direction`` (+1 playing forward, -1 backward, 0 stepping) decides which
        frames are decoded next: the next ones that way are urgent too.
        """
        n = min(max(int(n), 0), self.frame_count - 1)
        with self._wake:
            if n != self._target or direction != self._direction:
                self._last_request = time.monotonic()  # a step (see FrameStore._stepping)
            self._direction = direction
            if self._target != n and not self._has(self._target):
                self.stats.dropped_requests += 1
            self._target = n
            self._playhead = n
            self._target_serial += 1
            self._fill_exhausted = False
            self._urgent_pending = True
            self._wake.notify_all()

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
        # the copier calls back into this cache: let it go, so a closed cache is freed at
        # once (its pictures back in the pool) rather than by a later cyclic collection
        copier, self._copier = self._copier, None
        if copier is not None:
            copier.close()
        self._drop_stream()
        if self._source is not None:
            self._source.close()

    # -- urgent thread: the frame on screen and the ones needed next --------------------

    def _urgent_source(self) -> VideoSource:
        if self._source is None:
            self._source = VideoSource(self.path, self.index, URGENT_DECODE_THREADS)
        return self._source

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
        if pooled:
            # the group's picture memory is mapped beside the decode, not between its
            # pictures (a no-op when recycled memory is waiting)
            room = self._room() + POOL.idle_bytes  # idle pictures serve this decode too
            POOL.prepare(frame_bytes, min(stop - start, max(0, room) // frame_bytes),
                         lambda: self._stop)
        copier = self._group_copier() if pooled and COPY_BESIDE else None
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
                    # the one frame someone waits for: ready to show now, with the frames
                    # before it (the next steps back) once the copier has caught up
                    self._put_hot(self._pack(av_frame, n))
                    if copier is not None:
                        copier.drain()
                elif not have:
                    # kept for the steps that follow: I420 pictures are copied into
                    # recycled memory (cheaper than the decoder's fresh buffers), beside
                    # the decode while the copier keeps up; other formats are kept as
                    # decoded and converted in the background
                    if not pooled:
                        self._put_hot(RawPicture(av_frame, n, frame_bytes))
                    elif copier is None or not copier.offer(av_frame, n):
                        self._put_hot(self._pack(av_frame, n))
                self._notify(target)
                if self._urgent_stale(serial, g):
                    return False
        finally:
            av_frame = None
            close_walk(gen)
            if copier is not None:
                copier.drain()  # the group's pictures are all in before it is closed
        with self._lock:
            self._close_group(g, start, stop, expected)
            self._fill_exhausted = False
        self.stats.groups_decoded += 1
        return True

    def _group_copier(self) -> PictureCopier:
        if self._copier is None:
            self._copier = PictureCopier(self._copy_in)
        return self._copier

    def _copy_in(self, av_frame: Any, n: int) -> None:
        """Copy picture ``n`` into the hot tier (copier thread); announced if it is the
        newest request (asked for while it waited)."""
        with self._lock:
            if n in self._hot or n in self._warm:
                return
        self._put_hot(self._pack(av_frame, n))
        self._notify(n)

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

    def _drop_stream(self) -> None:
        if self._stream is not None:
            close_walk(self._stream)
        self._stream = None
        self._stream_next = -1

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
                self._insert(pack_bgr(frame, self.index), allow_compress=False)
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
        floor = -1 if reuse else start
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
                # Frames the clock passed while this decoder ran are still kept (within
                # the hot share): a playback that cannot keep up shows the newest one
                # behind the clock (latest_ready). Skipping them left a decoder a little
                # slower than the clock with nothing to show (27 of 360 frames shown under
                # load). A decoder started at a keyframe skips the frames before ``start``.
                skip = self._has(n) or n < floor
            self._stream_next = n + 1
            self._count_decode(n, urgent=True)
            if not skip:
                packed = self._pack(av_frame, n)
                if n < newest:
                    # behind the clock: kept even when the hot share is full of frames
                    # needed less (it is the newest one a late playback can show)
                    self._put_hot(packed)
                    self._trim_hot(allow_compress=False)
                else:
                    self._insert(packed, allow_compress=False)
                if n == newest:
                    self._notify(newest)
            if n >= window_end:
                return True
            if moved and not n - 2 <= newest <= window_end:
                return False  # a seek elsewhere: the newest request goes first
