"""Export a range of a video as an H.264 MP4 that plays on phones and in browsers.

Frame selection and timing come from the source's real timestamps: output frame
``k`` is source frame ``start + k`` shown at ``(t[start + k] - t[start]) / speed``
seconds for ``interval / speed`` seconds. Variable frame rates survive and slow
motion keeps each frame's true spacing. Sound is kept (trimmed to the sample) at
1x speed only. A slowed export that would play at fewer than 24 pictures per second
(a 30 fps clip at 1/4 speed: 7.5) holds each picture, written again as exact copies, so
the file plays at 30 fps (:mod:`analysis.export.hold`).

Slow-motion sources (a capture rate above the timestamps' rate, see
:mod:`analysis.video.capture`): ``time_scale`` is real seconds per file second and
``speed`` counts against **real time**, like every other number in LiftLens: at 1x
the export shows the movement at the speed it happened (every captured frame is
kept, so a 120 fps capture becomes a 120 fps file); ``speed = time_scale`` (0.25
for 120 fps played at 30) keeps the slow motion as the phone plays it, with its
sound.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction

import av
import cv2
import numpy as np

from analysis.export.audio import AudioFeed
from analysis.export.errors import ExportError, plain_write_error
from analysis.export.hold import HeldOutput, hold_counts
from analysis.export.pipeline import run_pipeline
from analysis.export.render import (
    ExportFrame,
    RenderFn,
    apply_render,
    fit_size,
    output_scale,
    to_output_size,
)
from analysis.export.writer import (
    AtomicOutput,
    ColorTags,
    EncodeSettings,
    H264Writer,
    VideoWriter,
    WriterFactory,
    WriterSpec,
)
from analysis.video import Cancelled, VideoError, VideoIndex, VideoSource, build_index
from analysis.video.frames import PackedFrame

MIN_SPEED = 0.0625
MAX_SPEED = 2.0

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


@dataclass(frozen=True)
class ClipPlan:
    """What an export of a range will contain, computed before any decoding.

    Attributes
    ----------
    start_frame, end_frame : int
        First and last source frame exported (inclusive).
    speed : float
        Playback speed against real time (0.5 = half speed, the clip lasts twice as long).
    width, height : int
        Output size (px, even).
    scale_x, scale_y : float
        Output pixels per source pixel.
    out_times : numpy.ndarray
        Presentation time (s) of every output frame; the first is 0.
    durations : numpy.ndarray
        Display duration (s) of every output frame.
    audio : bool
        Whether the export carries sound.
    holds : numpy.ndarray
        How many times each frame is written (1, or more when it is held so that a
        slowed export plays smoothly; :func:`analysis.export.hold.hold_counts`).
    """

    start_frame: int
    end_frame: int
    speed: float
    width: int
    height: int
    scale_x: float
    scale_y: float
    out_times: np.ndarray
    durations: np.ndarray
    audio: bool
    holds: np.ndarray = field(default_factory=lambda: np.ones(0, np.int64))

    @property
    def frame_count(self) -> int:
        return self.end_frame - self.start_frame + 1

    @property
    def picture_count(self) -> int:
        """Pictures the file holds, copies of held frames included."""
        return int(self.holds.sum()) if len(self.holds) else self.frame_count

    @property
    def duration_s(self) -> float:
        """Length of the exported clip (s)."""
        return float(self.out_times[-1] + self.durations[-1])


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote.

    Attributes
    ----------
    path : str
        The finished file.
    frames : int
        Frames of the source written (a frame held on a slowed export counts once).
    duration_s : float
        Length of the exported clip (s).
    width, height : int
        Picture size (px).
    has_audio : bool
        Whether the file has a sound track.
    elapsed_s : float
        Wall-clock time the export took (s).
    warnings : tuple of str
        Plain-language notes (damaged frames skipped, damaged sound).
    fps : float
        Pictures per second the file plays at (copies of held frames included);
        0 when not known.
    held : int
        How many times a frame is shown at most (1: no frame was held).
    held_mean : float
        How many times a frame is shown on average (a variable-frame-rate clip holds its
        frames unevenly); 0 when not known.
    pictures : int
        Frames in the file, the copies of held frames included (``frames`` when none is
        held); 0 when not known.
    """

    path: str
    frames: int
    duration_s: float
    width: int
    height: int
    has_audio: bool
    elapsed_s: float
    warnings: tuple[str, ...] = ()
    fps: float = 0.0
    held: int = 1
    held_mean: float = 0.0
    pictures: int = 0

    def held_text(self, times: str = "x") -> str:
        """`` (each held 4x to play at 30 fps: 80 frames in the file)``, or for frames held
        unevenly (a variable-frame-rate clip) `` (held up to 4x, 2.0x on average, to play at
        30 fps: 242 frames in the file)``; "" when no frame was held. ``times`` is the sign
        after a count ("x" or "×"). (``frames`` counts the clip's frames; a tour read the
        file's 242 against "121 frames" as a miscount.)"""
        if self.held <= 1:
            return ""
        rate = f"to play at {self.fps:.0f} fps" + (
            f": {self.pictures} frames in the file" if self.pictures > 0 else "")
        if self.held_mean <= 0 or abs(self.held_mean - self.held) < 1e-6:
            return f" (each held {self.held}{times} {rate})"
        return f" (held up to {self.held}{times}, {self.held_mean:.1f}{times} on average, {rate})"


def frame_range_for_times(index: VideoIndex, start_s: float | None = None,
                          end_s: float | None = None) -> tuple[int, int]:
    """Frames ``(first, last)`` (inclusive) shown in ``[start_s, end_s)`` seconds.

    ``start_s`` selects the frame on screen at that instant; ``end_s`` is
    exclusive (frames that *start* before it), so 1.0..2.0 s at 30 fps is frames
    30..59. None means the clip's start or end.

    Raises
    ------
    ExportError
        When the times select no frame.
    """
    if start_s is not None and start_s >= index.duration_s:
        raise ExportError(f"The start ({start_s:.2f} s) is after the end of the video "
                          f"({index.duration_s:.2f} s): that time range holds no frame.")
    first = 0 if start_s is None else index.frame_at_time(max(0.0, start_s))
    if end_s is None:
        last = index.frame_count - 1
    else:
        last = int(np.searchsorted(index.times, end_s - 1e-9, side="left")) - 1
    if end_s is not None and start_s is not None and end_s <= start_s:
        raise ExportError(f"The end ({end_s:.2f} s) must come after the start ({start_s:.2f} s).")
    if last < first:
        raise ExportError("That time range holds no frame of the video.")
    return first, min(last, index.frame_count - 1)


def plan_clip(index: VideoIndex, *, start_frame: int = 0, end_frame: int | None = None,
              speed: float = 1.0, size: str | tuple[int, int] | None = "source",
              audio: bool = True, time_scale: float = 1.0) -> ClipPlan:
    """Check an export request against ``index`` and compute its frames and times.

    Parameters
    ----------
    index : VideoIndex
        The source's index.
    start_frame, end_frame : int
        First and last frame to export (inclusive; ``end_frame`` None = last frame).
    speed : float
        0.0625 (1/16, slow motion) to 2 (double speed).
    size : str or (long, short) or None
        ``"source"``, ``"1080p"`` or ``"720p"`` (see :func:`~analysis.export.render.fit_size`).
    audio : bool
        Keep the sound (only possible when the file plays at its own speed and the
        source has sound).
    time_scale : float
        Real seconds per file second (0.25 for a 120 fps capture played at 30;
        :attr:`analysis.video.capture.TimeScale.factor`). ``speed`` counts against
        real time.

    Raises
    ------
    ExportError
        For a range outside the clip, an empty range or a speed out of bounds.
    """
    n = index.frame_count
    last = n - 1 if end_frame is None else int(end_frame)
    first = int(start_frame)
    if not 0 <= first < n:
        raise ExportError(f"The start frame {first} is outside the video (frames 0 to {n - 1}).")
    if not 0 <= last < n:
        raise ExportError(f"The end frame {last} is outside the video (frames 0 to {n - 1}).")
    if last < first:
        raise ExportError(f"The end frame {last} comes before the start frame {first}.")
    if not (MIN_SPEED - 1e-12 <= speed <= MAX_SPEED + 1e-12) or not np.isfinite(speed):
        raise ExportError(f"The speed must be between 1/16 and 2 (got {speed:g}).")
    if not (np.isfinite(time_scale) and time_scale > 0):
        raise ExportError(f"The time scale must be a positive number (got {time_scale:g}).")
    width, height = fit_size(index.width, index.height, size)
    sx, sy = output_scale(index.width, index.height, width, height)
    times = np.asarray(index.times[first:last + 1], float)
    per_file_s = time_scale / speed  # output seconds per file second
    out_times = (times - times[0]) * per_file_s
    durations = np.array([index.frame_interval(k) for k in range(first, last + 1)]) * per_file_s
    holds = hold_counts(durations, _source_fps(index), float(speed))
    return ClipPlan(first, last, float(speed), width, height, sx, sy, out_times, durations,
                    audio=bool(audio and index.has_audio and abs(per_file_s - 1.0) < 1e-9),
                    holds=holds)


@dataclass(frozen=True)
class _Item:
    """A picture on its way through the pipeline."""

    k: int  # output frame number
    frame: ExportFrame | None  # BGR to render; None on the planar fast path
    planar: np.ndarray | None  # I420 ready to encode


def export_clip(video: str | os.PathLike[str], target: str | os.PathLike[str], *,
                start_frame: int = 0, end_frame: int | None = None, speed: float = 1.0,
                size: str | tuple[int, int] | None = "source", audio: bool = True,
                render: RenderFn | None = None, overwrite: bool = False,
                progress: ProgressFn | None = None, cancel: CancelFn | None = None,
                settings: EncodeSettings = EncodeSettings(), index: VideoIndex | None = None,
                writer_factory: WriterFactory = H264Writer, threaded: bool = True,
                time_scale: float = 1.0) -> ExportResult:
    """Export frames ``start_frame..end_frame`` of ``video`` to an H.264 MP4 at ``target``.

    Parameters
    ----------
    video : str
        The source clip.
    target : str
        The MP4 to write. Written atomically: nothing appears at ``target``
        unless the export succeeds.
    start_frame, end_frame, speed, size, audio
        See :func:`plan_clip`.
    render : callable, optional
        ``render(frame, out_index) -> BGR`` burns overlays into each frame at
        output size (contract in :mod:`analysis.export.render`). None = no overlay.
    overwrite : bool
        Replace an existing ``target``.
    progress : callable, optional
        ``progress(done, total)`` in output frames, called from the caller's
        thread after each frame is encoded.
    cancel : callable, optional
        Returns True to stop; polled from the caller's thread.
    settings : EncodeSettings
        Encoder settings.
    index : VideoIndex, optional
        A ready index of ``video`` (saves a demux pass).
    writer_factory : callable
        Makes the writer from a :class:`~analysis.export.writer.WriterSpec`
        (tests inject failures here).
    threaded : bool
        Overlap decode, render and encode on three threads (default).
    time_scale : float
        Real seconds per file second of a slow-motion source; see :func:`plan_clip`.

    Returns
    -------
    ExportResult

    Raises
    ------
    ExportError
        Bad request, unreadable source, existing target without ``overwrite``,
        a target that is the source itself (same path, symbolic or hard link),
        full disk, encoder failure, failing render callback. No file is left.
    Cancelled
        When ``cancel()`` returned True. No file is left.
    """
    t_begin = time.monotonic()
    video = os.fspath(video)
    try:
        index = index or build_index(video)
    except VideoError as err:
        raise ExportError(str(err), err.detail) from err
    plan = plan_clip(index, start_frame=start_frame, end_frame=end_frame, speed=speed,
                     size=size, audio=audio, time_scale=time_scale)
    warnings: list[str] = []
    with AtomicOutput(target, overwrite, inputs=[video]) as out:
        feed: AudioFeed | None = None
        writer: VideoWriter | None = None
        damaged: list[int] = []
        try:
            if plan.audio:
                feed = _open_audio(video, index, plan, warnings)
            # not at real speed: the file says how many of its pictures make a real
            # second (a held frame's copies count), so it measures in real time when
            # reopened
            held = plan.picture_count / plan.frame_count
            capture = (index.average_fps / time_scale * held
                       if abs(plan.speed - 1.0) > 1e-9 and index.average_fps > 0 else None)
            rate = _output_rate(index, plan.speed / time_scale * held)
            spec = WriterSpec(out.temp, plan.width, plan.height, rate,
                              settings, feed.spec if feed else None, _color_tags(video),
                              capture)
            writer = writer_factory(spec)
            done = _encode_frames(video, index, plan, writer, feed, render, progress, cancel,
                                  threaded, damaged)
            if feed is not None:
                feed.finish(writer)
                if feed.warning:
                    warnings.append(feed.warning)
            writer.close()
            writer = None
            out.commit()
        except (Cancelled, ExportError):
            raise
        except Exception as exc:
            raise plain_write_error(exc, out.target) from exc
        finally:
            if writer is not None:
                writer.abort()
            if feed is not None:
                feed.close()
    if damaged:
        warnings.insert(0, f"{len(damaged)} damaged frame(s) could not be decoded and were "
                        f"skipped (first: frame {damaged[0]}).")
    return ExportResult(out.target, done, plan.duration_s, plan.width, plan.height,
                        feed is not None, time.monotonic() - t_begin, tuple(warnings),
                        fps=float(rate), held=int(plan.holds.max(initial=1)),
                        held_mean=plan.picture_count / max(plan.frame_count, 1),
                        pictures=int(plan.picture_count))


def _encode_frames(video: str, index: VideoIndex, plan: ClipPlan, writer: VideoWriter,
                   feed: AudioFeed | None, render: RenderFn | None,
                   progress: ProgressFn | None, cancel: CancelFn | None, threaded: bool,
                   damaged: list[int]) -> int:
    """Run decode → render → encode over the plan; returns the number of frames written."""
    # No overlay and no rotation: stay in I420 from decoder to encoder (no BGR round trip).
    fast = render is None and index.rotation == 0
    # a held frame is encoded again as is: its copies show its own overlay (its time)
    out = HeldOutput(writer, plan.out_times, plan.durations, plan.holds, progress)

    def produce() -> Iterator[_Item]:
        with VideoSource(video, index) as source:
            for packed in source.packed_frames(plan.start_frame, plan.end_frame + 1):
                yield _prepare(packed, plan, index, fast)
            damaged.extend(sorted(source.damaged))

    def transform(item: _Item) -> _Item:
        if item.frame is None:
            return item
        image = apply_render(render, item.frame, item.k)
        return _Item(item.k, None, cv2.cvtColor(image, cv2.COLOR_BGR2YUV_I420))

    def consume(item: _Item) -> None:
        t = float(plan.out_times[item.k])
        assert item.planar is not None  # transform() always leaves I420
        out.write(item.k, item.planar)
        if feed is not None:
            feed.pump(writer, t + float(plan.durations[item.k]))

    run_pipeline(produce, transform, consume, cancel=cancel, threaded=threaded)
    done = out.done
    if done == 0:
        raise ExportError("No frame of the chosen range could be decoded: the video is "
                          "damaged there.")
    return done


def _prepare(packed: PackedFrame, plan: ClipPlan, index: VideoIndex, fast: bool) -> _Item:
    k = packed.index - plan.start_frame
    if fast and packed.planar:
        return _Item(k, None, _i420_to_size(packed.data, index.width, index.height,
                                            plan.width, plan.height))
    image = to_output_size(packed.to_bgr(), plan.width, plan.height, copy=False)
    frame = ExportFrame(packed.index, packed.time, image, float(plan.out_times[k]),
                        plan.scale_x, plan.scale_y, index.width, index.height)
    return _Item(k, frame, None)


def _i420_to_size(data: np.ndarray, w: int, h: int, out_w: int, out_h: int) -> np.ndarray:
    """Resize planar I420 (``(h * 3 // 2, w)``) plane by plane: half the work of BGR."""
    if (w, h) == (out_w, out_h):
        return data
    y = data[:h].reshape(h, w)
    u = data[h:h + h // 4].reshape(h // 2, w // 2)
    v = data[h + h // 4:].reshape(h // 2, w // 2)
    interp = cv2.INTER_AREA if out_w < w else cv2.INTER_LINEAR
    planes = [cv2.resize(y, (out_w, out_h), interpolation=interp).ravel(),
              cv2.resize(u, (out_w // 2, out_h // 2), interpolation=interp).ravel(),
              cv2.resize(v, (out_w // 2, out_h // 2), interpolation=interp).ravel()]
    return np.concatenate(planes).reshape(out_h * 3 // 2, out_w)


def _source_fps(index: VideoIndex) -> float:
    return index.average_fps if index.vfr else index.nominal_fps


def _output_rate(index: VideoIndex, speed: float) -> Fraction:
    return Fraction(max(_source_fps(index) * speed, 1.0)).limit_denominator(1001)


def _open_audio(video: str, index: VideoIndex, plan: ClipPlan, warnings: list[str]
                ) -> AudioFeed | None:
    """The sound of the range, or None (with a warning) when it cannot be read."""
    v0 = float(index.pts[0] * index.time_base)
    start = v0 + float(index.times[plan.start_frame])
    try:
        return AudioFeed(video, start, start + plan.duration_s)
    except Exception as exc:  # damaged or exotic sound must not block a picture export
        warnings.append(f"The sound could not be read, so the export is silent ({exc}).")
        return None


def _color_tags(video: str) -> ColorTags | None:
    """The source's colour tags (range, matrix, primaries, transfer), if readable."""
    try:
        with av.open(video, metadata_errors="ignore") as c:
            cc = c.streams.video[0].codec_context
            return ColorTags(int(cc.color_range), int(cc.colorspace),
                             int(cc.color_primaries), int(cc.color_trc))
    except Exception:
        return None
