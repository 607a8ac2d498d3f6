"""Frame-accurate decoding: frame ``n`` is always frame ``n``.

A :class:`VideoSource` owns one PyAV container and must be used by one thread
only (PyAV containers are not thread-safe); open one source per thread. Random access decodes the keyframe group (GOP) that holds a frame; the
decoder is reused without seeking when groups are read in order.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator

import av
import numpy as np

from analysis.video.errors import VideoError
from analysis.video.frames import Frame, FrameGray, PackedFrame, rotate
from analysis.video.index import VideoIndex, build_index, open_container
from analysis.video.read_ahead import ReadAhead


#: Pixel formats whose first plane is 8-bit luma of the picture's full size.
_LUMA8 = frozenset({"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p",
                    "nv12", "nv21", "gray"})
#: Decoder pictures a read-ahead holds at most, in bytes (16 at 1080p, 4 at 4K) and frames:
#: enough for the imports it overlaps (10-14 frames decoded by then on the bench clip),
#: each one more keeps a decoder picture alive (the 10 s bench clip's analyze peaked at
#: 356 MB with 32, 277 MB with 16, 262 MB without a read-ahead).
#: Decoding threads for the frame the user waits for (:class:`analysis.video.cache.
#: FrameCache`'s urgent decoder): one a core, as OpenCV's FFmpeg backend uses. FFmpeg's own
#: choice, one more than the cores, had a 2-core machine's threads slow each other down: a
#: first step back into an unvisited 250-frame 1080p group took 1.42x OpenCV's seek
#: idle, 1.21x with one thread a core (1.11x and 1.18x under the benchmark's load;
#: bench/bench_load.py --only step). A full pass (analysis, export) keeps FFmpeg's choice:
#: the tracking pass ran 0.81x a decode idle with it, 0.66x with one a core.
URGENT_DECODE_THREADS = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                         else os.cpu_count() or 0)  # the cores this process may use
READ_AHEAD_BYTES = 48 << 20
READ_AHEAD_MAX = 16
#: Decoder pictures a read-ahead holds at most once its reader has started: the tracking
#: pass, its reader, keeps its own frames ahead (``analysis.tracking.tracker``), and the
#: two buffers full at once made the decoder allocate up to 40 pictures instead of ~20.
READ_AHEAD_READING = 4


class Cancelled(Exception):
    """A long decode was cancelled by the caller."""


class VideoSource:
    """Decode frames of one video by number, in display orientation.

    Parameters
    ----------
    path : str
        The video file.
    index : VideoIndex, optional
        A ready index (building one costs a demux pass).
    threads : int, optional
        Decoding threads (0: FFmpeg's choice, the cores + 1; see
        :data:`URGENT_DECODE_THREADS`).
    """

    def __init__(self, path: str | os.PathLike[str], index: VideoIndex | None = None,
                 threads: int = 0) -> None:
        self._threads = threads
        self.path = os.fspath(path)
        self.index = index or build_index(self.path)
        self._pts_to_n = {int(p): i for i, p in enumerate(self.index.pts)}
        self._container = open_container(self.path)
        self._stream = self._container.streams.video[0]
        self._stream.thread_type = "AUTO"
        self._stream.thread_count = self._threads
        self._decoder: Iterator[av.VideoFrame] | None = None
        self._next_n = -1  # frame the live decoder yields next, -1 when unknown
        self.damaged: set[int] = set()
        even = self.index.coded_width % 2 == 0 and self.index.coded_height % 2 == 0
        self._planar = even
        self._ahead: ReadAhead | None = None

    # -- public API ---------------------------------------------------------------

    @property
    def frame_count(self) -> int:
        return self.index.frame_count

    def read(self, n: int) -> Frame:
        """Decode frame ``n`` (random access; decodes its keyframe group up to ``n``)."""
        g = self.index.group_of(self._check(n))
        self._stop_read_ahead()
        for k, av_frame in self._decode_group(g, n + 1, None, resume_at=n):
            if k == n:
                return self._pack(av_frame, n).to_frame()
        raise self._damaged_error(n)

    def frames(self, start: int = 0, stop: int | None = None,
               cancel: Callable[[], bool] | None = None) -> Iterator[Frame]:
        """Yield frames ``start..stop-1`` in order (sequential decode, the fastest path)."""
        for packed in self.packed_frames(start, stop, cancel):
            yield packed.to_frame()

    def gray_frames(self, start: int = 0, stop: int | None = None,
                    cancel: Callable[[], bool] | None = None
                    ) -> Iterator[tuple[int, float, FrameGray]]:
        """Yield ``(n, t, gray)`` for frames ``start..stop-1``; gray is the luma plane.

        The luma plane is the decoder's own picture memory, not a copy (no colour
        conversion, chroma never touched): the fast path for tracking. It is
        read-only (the decoder may still predict later pictures from it) and stays
        valid as long as it is referenced; frames in display orientation other than
        the coded one are rotated copies. Served from :meth:`read_ahead` when it
        stands at ``start``.
        """
        ahead = self._ahead
        if ahead is not None and ahead.position == start:
            end = self.frame_count if stop is None else min(stop, self.frame_count)
            try:
                yield from ahead.take(end, cancel, Cancelled)
            except BaseException:
                self._stop_read_ahead()
                raise
            return
        self._stop_read_ahead()
        for n, av_frame in self._walk(start, stop, cancel):
            yield n, float(self.index.times[n]), self._gray(av_frame, copy=False)

    def read_ahead(self, start: int = 0) -> None:
        """Start decoding the luma planes from frame ``start`` on now, on a helper thread,
        for the :meth:`gray_frames` call that starts there (and the ones that go on from
        where it stopped). Holds up to :data:`READ_AHEAD_BYTES` of decoder pictures until
        that call starts reading, :data:`READ_AHEAD_READING` pictures from then on. Any
        other read first stops it (the decoder serves one thread at a time).

        The command line starts it before loading its tracking and analysis code, so the
        decoding overlaps the imports.
        """
        self._stop_read_ahead()
        start = self._check(start)
        picture = self.index.coded_width * self.index.coded_height * 3 // 2
        depth = max(4, min(READ_AHEAD_MAX, READ_AHEAD_BYTES // max(picture, 1)))
        times = self.index.times
        items = ((n, float(times[n]), self._gray(av_frame, copy=False))
                 for n, av_frame in self._walk(start, None, None))
        self._ahead = ReadAhead(items, start, depth, READ_AHEAD_READING)

    def _stop_read_ahead(self) -> None:
        if self._ahead is not None:
            self._ahead.close()
            self._ahead = None

    def packed_frames(self, start: int = 0, stop: int | None = None,
                      cancel: Callable[[], bool] | None = None) -> Iterator[PackedFrame]:
        """Yield compact frames ``start..stop-1`` in order; frames that fail to decode are skipped
        and listed in :attr:`damaged`."""
        self._stop_read_ahead()
        for n, av_frame in self._walk(start, stop, cancel):
            yield self._pack(av_frame, n)

    def iter_group_gray(self, g: int, stop: int | None = None,
                        cancel: Callable[[], bool] | None = None
                        ) -> Iterator[tuple[int, FrameGray]]:
        """:meth:`iter_group` yielding ``(n, gray)`` (luma plane, display orientation)."""
        self._stop_read_ahead()
        for n, av_frame in self._decode_group(g, stop, cancel):
            yield n, self._gray(av_frame)

    def decode_group(self, g: int, stop: int | None = None,
                     cancel: Callable[[], bool] | None = None) -> list[PackedFrame]:
        """Decode keyframe group ``g`` (up to frame ``stop``, exclusive) and return its frames.

        Frames the decoder could not produce are missing from the list and recorded in
        :attr:`damaged`.
        """
        return list(self.iter_group(g, stop, cancel))

    def iter_group(self, g: int, stop: int | None = None,
                   cancel: Callable[[], bool] | None = None) -> Iterator[PackedFrame]:
        """Yield the frames of keyframe group ``g`` as they are decoded (up to ``stop``).

        Streaming matters: the first frame of a long group is available after one
        frame's decode, not the whole group's. Reuses the live decoder without a
        seek when the previous call ended where this group starts.
        """
        self._stop_read_ahead()
        for n, av_frame in self._decode_group(g, stop, cancel):
            yield self._pack(av_frame, n)

    def raw_frames(self, start: int = 0, stop: int | None = None,
                   cancel: Callable[[], bool] | None = None
                   ) -> Iterator[tuple[int, av.VideoFrame]]:
        """:meth:`packed_frames` yielding ``(n, decoder picture)`` without converting it."""
        self._stop_read_ahead()
        yield from self._walk(start, stop, cancel)

    def iter_group_raw(self, g: int, stop: int | None = None,
                       cancel: Callable[[], bool] | None = None
                       ) -> Iterator[tuple[int, av.VideoFrame]]:
        """:meth:`iter_group` yielding ``(n, decoder picture)`` without converting it.

        Lets a caller keep pictures cheaply and convert only the one it needs now
        (:meth:`pack` converts one later, from any thread).
        """
        self._stop_read_ahead()
        yield from self._decode_group(g, stop, cancel)

    def pack(self, av_frame: av.VideoFrame, n: int) -> PackedFrame:
        """Convert a picture from :meth:`iter_group_raw` into a :class:`PackedFrame`.

        Touches no decoder state, so any thread may call it.
        """
        return self._pack(av_frame, n)

    def start_decoder(self) -> None:
        """Open the decoder now rather than at the first decode: its threads are started
        by the calling thread (and take its scheduling priority)."""
        self._stop_read_ahead()
        ctx = self._stream.codec_context
        if not ctx.is_open:
            ctx.open()

    def close(self) -> None:
        self._stop_read_ahead()
        self._decoder = None
        self._container.close()

    def __enter__(self) -> VideoSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------

    def _walk(self, start: int, stop: int | None, cancel: Callable[[], bool] | None
              ) -> Iterator[tuple[int, av.VideoFrame]]:
        """Decoder pictures of frames ``start..stop-1`` in order, group after group."""
        count = self.frame_count
        stop = count if stop is None else min(stop, count)
        if start >= stop:
            return
        g = self.index.group_of(self._check(start))
        n = start
        while n < stop:
            g_start, g_stop = self.index.group_range(g)
            for k, av_frame in self._decode_group(g, min(stop, g_stop), cancel, resume_at=n):
                if k >= n:
                    yield k, av_frame
            n = g_stop
            g += 1

    def _decode_group(self, g: int, stop: int | None, cancel: Callable[[], bool] | None,
                      resume_at: int | None = None) -> Iterator[tuple[int, av.VideoFrame]]:
        """Decoder pictures of group ``g`` up to ``stop``, from its keyframe; with
        ``resume_at``, the caller needs only the frames from ``resume_at`` on, and a live
        decoder already inside the group at or before it goes on from where it is
        (tracking read frame 0 and then decoded it again after a second seek)."""
        g_start, g_stop = self.index.group_range(g)
        stop = g_stop if stop is None else min(stop, g_stop)
        expected = g_start
        if (resume_at is not None and self._decoder is not None
                and g_start < self._next_n <= resume_at < g_stop):
            expected = self._next_n  # decode on: no seek, nothing decoded twice
        elif self._next_n != g_start or self._decoder is None:
            self._seek(g_start)
        self._next_n = -1  # unknown until this group is read to its end
        try:
            while expected < stop:
                if cancel is not None and cancel():
                    self._decoder = None
                    raise Cancelled()
                av_frame = next(self._decoder)  # type: ignore[arg-type]
                n = self._frame_number(av_frame)
                if n is None or n < expected:
                    continue  # leading frames from before the group
                self.damaged.update(range(expected, n))
                expected = n + 1
                if expected >= stop:
                    self._next_n = expected
                yield n, av_frame
        except StopIteration:
            self._decoder = None
            self.damaged.update(range(expected, stop))
        except av.error.FFmpegError:
            self._decoder = None
            self.damaged.update(range(expected, stop))

    def _gray(self, av_frame: av.VideoFrame, copy: bool = True) -> FrameGray:
        """The luma plane of ``av_frame`` in display orientation; without ``copy``, a
        read-only view of the decoder's picture (it keeps the picture alive): copying
        a 1080p plane cost 0.43 ms a frame, 0.13 s of CPU in a 10 s clip's tracking."""
        if av_frame.format.name in _LUMA8:
            plane = av_frame.planes[0]
            rows = np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)
            img = rows[:, : plane.width]
            if copy:
                img = img.copy()
            else:
                img.flags.writeable = False
        else:  # high bit depth, RGB and the like: let the converter do it
            img = av_frame.to_ndarray(format="gray")
        return rotate(img, self.index.rotation)

    def _check(self, n: int) -> int:
        if not 0 <= n < self.frame_count:
            raise IndexError(f"frame {n} is outside 0..{self.frame_count - 1}")
        return n

    def _seek(self, n: int) -> None:
        """Make the live decoder start at or before frame ``n`` (the start of a group).

        Containers with an index (MP4, MOV, MKV) land exactly on the keyframe asked
        for. Others are searched by timestamp (MPEG-TS: by decode time, which with
        B-frames is earlier than the presentation time asked for), and may land a
        whole group late. So the first decoded frames are checked: when they come
        after ``n``, seek again to earlier keyframes, and in the end decode from the
        start of the file, so frame ``n`` is always frame ``n``.
        """
        g = self.index.group_of(n)
        keys = [int(self.index.pts[self.index.keyframes[k]]) for k in (g, g - 1) if k >= 0]
        # a decode-time search lands on the keyframe whose decode time is at or before
        # the target: a margin for the B-frame delay finds the right one, or the one before
        margin = max(1, round(0.5 / float(self.index.time_base)))
        before_start = int(self.index.pts[0]) - 20 * margin  # the first keyframe
        targets = [keys[0], *(k - margin for k in keys), before_start]
        for target in dict.fromkeys(targets):
            try:
                self._container.seek(target, stream=self._stream, backward=True, any_frame=False)
            except av.error.FFmpegError:
                continue
            if self._start_decoder_at_or_before(n):
                return
        self._rewind()

    def _start_decoder_at_or_before(self, n: int) -> bool:
        """Start decoding where the container now is; True when the first numbered
        frame is at or before ``n`` (the frames read to find out are kept)."""
        decoder = self._container.decode(self._stream)
        head: list[av.VideoFrame] = []
        try:
            for av_frame in decoder:
                head.append(av_frame)
                k = self._frame_number(av_frame)
                if k is not None:
                    if k > n:
                        return False
                    break
                if len(head) >= 16:  # frames without known numbers: take them as they come
                    break
        except av.error.FFmpegError:
            return False
        if not head:
            return False  # landed at the end of the file
        self._decoder = itertools.chain(head, decoder)
        self._next_n = -1
        return True

    def _rewind(self) -> None:
        """Decode from the first byte of the file (a fresh demuxer, no seek).

        Raises
        ------
        VideoError
            When the file can no longer be opened (moved or deleted while open).
        """
        try:
            fresh = open_container(self.path)
        except VideoError as exc:
            raise VideoError(f"“{os.path.basename(self.path)}” was moved or deleted while it "
                             "was open; this part of it can no longer be read.",
                             exc.detail) from exc
        self._container.close()
        self._container = fresh
        self._stream = self._container.streams.video[0]
        self._stream.thread_type = "AUTO"
        self._stream.thread_count = self._threads
        self._decoder = self._container.decode(self._stream)
        self._next_n = -1

    def _frame_number(self, av_frame: av.VideoFrame) -> int | None:
        pts = av_frame.pts
        if pts is None:
            return None
        return self._pts_to_n.get(int(pts))

    def _pack(self, av_frame: av.VideoFrame, n: int) -> PackedFrame:
        return pack_picture(av_frame, n, self.index)

    def _damaged_error(self, n: int) -> VideoError:
        return damaged_error(self.index, n)


def pack_picture(av_frame: av.VideoFrame, n: int, index: VideoIndex) -> PackedFrame:
    """Convert decoder picture ``n`` of the video ``index`` describes into a
    :class:`PackedFrame`: planar I420 when the coded size is even, else BGR.

    Touches no decoder state, so any thread may call it (about 1 ms at 1080p).
    """
    if index.coded_width % 2 == 0 and index.coded_height % 2 == 0:
        # no format argument when it already is I420: skips the reformatter
        data = (av_frame.to_ndarray() if av_frame.format.name == "yuv420p"
                else av_frame.to_ndarray(format="yuv420p"))
        planar = True
    else:
        data = av_frame.to_ndarray(format="bgr24")
        planar = False
    return PackedFrame(n, float(index.times[n]), np.ascontiguousarray(data),
                       index.coded_height, index.rotation, planar)


def damaged_error(index: VideoIndex, n: int) -> VideoError:
    """The plain-language error for frame ``n`` that the decoder could not produce."""
    t = float(index.times[n])
    return VideoError(
        f"Frame {n} ({t:.3f} s) cannot be decoded: the file is damaged there.",
        f"{index.path}: frame {n} missing from decoder output",
    )
