"""The frame cache's background fill: everything that can wait.

It converts and compresses what the urgent thread left, keeps frames near the
playhead decompressed, prefetches the neighbouring keyframe groups and fills the
rest of the clip outward, with its own decoder whose decoding threads run at nice
:data:`FILL_NICE`. It checks between every frame whether urgent work is waiting
and, if so, stops at once until the urgent thread is idle again.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from analysis.video.frame_store import (HOT_RADIUS, FrameStore, RawPicture,
                                        close_walk, jpeg_bytes, pack_bgr)
from analysis.video.frames import PackedFrame
from analysis.video.index import VideoIndex
from analysis.video.picture_pool import POOL
from analysis.video.source import VideoSource, pack_picture

log = logging.getLogger("analysis.video.cache")

#: Nice value of the background decoder's threads (higher = lower priority than the
#: GUI and the urgent decoder; Linux threads have their own nice value, inherited by
#: the threads they start). Only the decoding threads get it: the fill thread itself
#: takes the interpreter lock and the cache lock the GUI thread needs, and a
#: low-priority thread preempted while holding one stalls the GUI on a busy machine
#: (priority inversion: with the fill thread at nice 5, cached steps stalled 523 ms
#: under the benchmark's load against 34 ms with no background work).
FILL_NICE = 5
#: While the user walks back, the group ahead is prefetched once the walk is this close
#: to it (s of video; decoding a 1080p group took 0.4-1.5 s here, compressing it longer).
PREFETCH_LEAD_S = 2.0
#: Kept for callers of the old single-worker cache: the urgent thread is not niced.
WORKER_NICE = FILL_NICE


class BackgroundFill(FrameStore):
    """:class:`FrameStore` with the background fill thread's work (started by the cache).

    ``background_fill``: keep decoding the rest of the clip when idle; ``prefetch``:
    decode the keyframe groups next to the playhead when idle.
    """

    def __init__(self, path: str, index: VideoIndex, budget_bytes: int, hot_fraction: float,
                 on_ready: Callable[[int], None] | None,
                 on_error: Callable[[int, str], None] | None,
                 background_fill: bool, prefetch: bool) -> None:
        super().__init__(index, budget_bytes, hot_fraction, on_ready, on_error)
        self.path = str(path)
        self._background_fill = background_fill
        self._prefetch = prefetch
        self._fill_source: VideoSource | None = None
        self._prewarmed = False
        self._trim_put_off = False
        self._prefetch_put_off = False
        # JPEG encoding (10-20 ms of CPU a 1080p frame) runs on a helper at FILL_NICE; it
        # holds the interpreter lock only around the call (the encoder releases it)
        self._encoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="frame-fill-jpeg",
                                           initializer=_lower_priority)

    def _run_fill(self) -> None:
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
                    if self._stop or _shutting_down(exc):  # closing: nothing to fill for
                        log.debug("frame cache fill stopped at interpreter exit")
                        return
                    log.exception("frame cache background thread failed")
                    self.stats.errors.append(str(exc))
                    with self._lock:
                        self._fill_exhausted = True
        finally:
            self._encoder.shutdown(wait=False)
            if self._fill_source is not None:
                self._fill_source.close()

    def _compress(self, packed: PackedFrame) -> bytes | None:
        """:func:`jpeg_bytes` on the low-priority helper (the fill thread waits for it)."""
        return self._encoder.submit(jpeg_bytes, packed).result()

    def _fill_idle(self) -> bool:
        """True when the fill thread has nothing useful left (caller holds the lock); the
        prewarm and the compression put off while the user stepped are still to do once
        the steps stop."""
        if not self._fill_exhausted or self._stepping():
            return self._fill_exhausted
        return self._prewarmed and not self._trim_put_off and not self._prefetch_put_off

    def _fill_step(self, target: int, serial: int) -> None:
        """One unit of background work, most useful first."""
        with self._lock:
            direction = self._direction
        # 1. the hot share overflowed (urgent decodes keep whole groups): compress the
        #    frames needed last into the warm tier. Not while the user steps through the
        #    frames (the total budget still holds): the walk needs the group's pictures
        #    next, and JPEG work beside it slowed its steps to 25-45 ms at load 8 (1.5 ms
        #    typically) and then served them from JPEG (22-100 ms)
        with self._lock:
            over = self._hot_bytes > self._hot_budget
            put_off = over and direction != 0 and self._stepping()
            self._trim_put_off = put_off
        if over and not put_off:
            if not self._trim_hot(allow_compress=True, interruptible=True):
                return  # urgent work first; the rest is compressed later
            with self._lock:
                if self._hot_bytes <= self._hot_budget:
                    return
            # only frames that must stay hot are left over the share: go on
        # 2. picture memory for the next urgent decode of a whole keyframe group, so it
        #    does not pay page faults (once per process; bounded by POOL_IDLE_MAX). Only
        #    while the user is not stepping: the kernel maps and zeroes the memory with
        #    the process's memory map locked, and the GUI thread's own allocations and
        #    page faults wait for it (steps of 34-47 ms during a prewarm at load 6, 1.5 ms
        #    typically)
        if not self._prewarmed and not self._stepping():
            w, h = self.index.coded_width, self.index.coded_height
            self._prewarmed = True
            if w % 2 == 0 and h % 2 == 0:
                nbytes = w * h * 3 // 2
                ks = np.append(self.index.keyframes, self.frame_count)
                longest = int(np.max(np.diff(ks))) if len(ks) > 1 else 1
                self._prewarmed = POOL.prewarm(
                    nbytes, min(longest, self.budget_bytes // nbytes),
                    lambda: self._urgent_waiting() or self._stepping(), self._room)
            return
        # 2b. convert pictures the urgent thread kept raw, nearest the playhead first
        with self._lock:
            raws = [k for k, v in self._hot.items() if isinstance(v, RawPicture)]
            p = self._playhead
        if raws:
            raws.sort(key=lambda k: self._distance(k, p, direction))
            for k in raws[:8]:
                with self._lock:
                    item = self._hot.get(k)
                if isinstance(item, RawPicture):
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
                self._insert(pack_bgr(frame, self.index), allow_compress=True)
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
        self._prefetch_put_off = False
        if order and direction < 0 and self._stepping():
            # walking back: decoding and compressing a neighbouring group competes with
            # the steps for the CPU (steps of 20-60 ms at load 9 while it ran), so only
            # the group ahead, once the walk is within PREFETCH_LEAD_S of it
            lead = PREFETCH_LEAD_S * max(self.index.average_fps, 1.0)
            near = target - self.index.group_range(g0)[0] <= lead
            order = [g0, g0 - 1] if near else [g0]
            self._prefetch_put_off = True
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

    def _open_fill_source(self) -> VideoSource:
        """The background decoder, its decoding threads started at nice :data:`FILL_NICE`
        by a short-lived helper thread (threads inherit the nice value of the thread that
        starts them), while the fill thread itself stays at normal priority."""
        made: dict[str, object] = {}

        def start() -> None:
            _lower_priority()
            try:
                src = VideoSource(self.path, self.index)
                src.start_decoder()
                made["source"] = src
            except Exception as exc:  # raised on the fill thread below
                made["error"] = exc

        helper = threading.Thread(target=start, name="frame-fill-open", daemon=True)
        helper.start()
        helper.join()
        if "error" in made:
            raise made["error"]  # type: ignore[misc]
        source = made["source"]
        assert isinstance(source, VideoSource)
        return source

    def _fill_group(self, g: int, serial: int) -> None:
        """Decode group ``g`` with the background decoder, stopping at once for urgent work."""
        if self._fill_source is None:
            self._fill_source = self._open_fill_source()
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
            close_walk(gen)
        with self._lock:
            self._close_group(g, start, stop, expected)
        self.stats.groups_decoded += 1

    def _close_group(self, g: int, start: int, stop: int, expected: int) -> None:
        """After decoding group ``g`` (frames ``start``..``stop``-1, the decoder gave up to
        ``expected``): frames it never gave are broken; a group held whole is full.
        Call with the lock held."""
        self._broken.update(n for n in range(expected, stop) if not self._has(n))
        if all(self._has(n) for n in range(start, stop)):
            self._full_groups.add(g)

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

    def _packed_walk(self, src: VideoSource, start: int, stop: int | None
                     ) -> Iterator[PackedFrame]:
        for n, av_frame in src.raw_frames(start, stop):
            yield self._pack(av_frame, n)


def _shutting_down(exc: BaseException) -> bool:
    """The program is exiting while the cache of a clip still open was filling: not a
    fault. The JPEG helper then refuses new work (at exit Python shuts every thread pool
    down; this fill loop never shuts its own down while it runs), or the interpreter is
    already being torn down."""
    return sys.is_finalizing() or (
        isinstance(exc, RuntimeError) and "cannot schedule new futures" in str(exc))


def _lower_priority() -> None:
    """Run the calling thread (and the threads it starts) at nice :data:`FILL_NICE`."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), FILL_NICE)
    except (AttributeError, OSError):
        pass
