"""Export two synchronised clips into one MP4, side by side or top and bottom.

The comparison feature decides *which* frame of each clip is shown *when*; this
module only needs the result, a :class:`SyncedPair`: output timestamps plus the
source frame of each side at each of them (-1 leaves that side blank). A frame
held on screen is simply repeated. Each side gets its own render callback, run
at that side's slot size before the two are put on one canvas, so overlays are
drawn at output resolution with the side's own source coordinates.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

import av
import cv2
import numpy as np

from analysis.compare.sync import CommonTimeline
from analysis.export.clip import MAX_SPEED, MIN_SPEED, CancelFn, ExportResult, ProgressFn
from analysis.export.compose import BACKGROUND, PairLayout, pair_layout
from analysis.export.errors import ExportError, plain_write_error
from analysis.export.hold import HeldOutput, hold_counts
from analysis.export.pipeline import run_pipeline
from analysis.export.render import (
    SIZE_PRESETS,
    ExportFrame,
    RenderFn,
    apply_render,
    packed_at_size,
)
from analysis.export.writer import (
    AtomicOutput,
    EncodeSettings,
    H264Writer,
    VideoWriter,
    WriterFactory,
    WriterSpec,
)
from analysis.video import Cancelled, VideoError, VideoIndex, VideoSource, build_index

#: Shortest time (s of output) a picture of a comparison export is shown. Once two
#: clips are synchronised, a change of one side can fall microseconds after a change
#: of the other (30 against 29.97 fps, VFR clips, any sync offset): such a change is
#: folded into the previous picture, which then shows both. 2 ms is half a refresh of
#: a 240 Hz screen, so no folded picture could have been seen, and it keeps every
#: frame of a 480 fps output; it is also 180 ticks of the writer's 1/90000 s time
#: base, so two pictures never share a timestamp (the MP4 muxer refuses that).
MIN_FRAME_GAP = 0.002


@dataclass(frozen=True)
class SyncedPair:
    """Which frame of each clip is shown at each output instant.

    Attributes
    ----------
    times : numpy.ndarray
        Output presentation times (s), strictly increasing, starting at 0.
    frames_a, frames_b : numpy.ndarray
        Source frame number of side A and B at each output time; -1 = blank.
    end_time : float
        When the last output frame stops showing (s), > ``times[-1]``.
    """

    times: np.ndarray
    frames_a: np.ndarray
    frames_b: np.ndarray
    end_time: float

    def __post_init__(self) -> None:
        t = np.asarray(self.times, float)
        a = np.asarray(self.frames_a, np.int64)
        b = np.asarray(self.frames_b, np.int64)
        object.__setattr__(self, "times", t)
        object.__setattr__(self, "frames_a", a)
        object.__setattr__(self, "frames_b", b)
        if t.ndim != 1 or len(t) == 0:
            raise ExportError("A comparison export needs at least one output frame.")
        if a.shape != t.shape or b.shape != t.shape:
            raise ExportError("A comparison needs one frame of each side per output time.")
        if not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0) or abs(t[0]) > 1e-9:
            raise ExportError("Output times must start at 0 s and increase.")
        if not self.end_time > t[-1]:
            raise ExportError("The comparison must end after its last frame starts.")
        if np.any(a < -1) or np.any(b < -1):
            raise ExportError("Frame numbers must be -1 (blank) or 0 and above.")

    def __len__(self) -> int:
        return int(len(self.times))

    @property
    def durations(self) -> np.ndarray:
        """How long each output frame is shown (s)."""
        return np.diff(np.append(self.times, self.end_time))

    @classmethod
    def from_function(cls, times: Sequence[float] | np.ndarray,
                      frames_at: Callable[[float], tuple[int, int]],
                      end_time: float | None = None) -> SyncedPair:
        """Build from output ``times`` (s) and ``frames_at(t) -> (frame_a, frame_b)``.

        ``end_time`` defaults to the last time plus the median spacing.
        """
        t = np.asarray(times, float)
        pairs = np.array([frames_at(float(x)) for x in t], np.int64).reshape(-1, 2)
        if end_time is None:
            step = float(np.median(np.diff(t))) if len(t) > 1 else 1 / 30
            end_time = float(t[-1] + step) if len(t) else 0.0
        return cls(t, pairs[:, 0], pairs[:, 1], end_time)

    @classmethod
    def from_timeline(cls, timeline: CommonTimeline, start: float | None = None,
                      end: float | None = None, fps: float | None = None,
                      hold: bool = True) -> SyncedPair:
        """Sample a comparison's common timeline between ``start`` and ``end`` (s, common time).

        Parameters
        ----------
        timeline : CommonTimeline
            The synchronised comparison (:mod:`analysis.compare.sync`).
        start, end : float, optional
            Common-time range (default: the whole timeline).
        fps : float, optional
            Output rate. None emits one output frame at every instant either side
            changes frame (exact, variable rate).
        hold : bool
            Show a side's first/last frame outside its clip (True) or leave it blank.
        """
        t0 = timeline.start if start is None else float(start)
        t1 = timeline.end if end is None else float(end)
        if not t1 > t0:
            raise ExportError("The comparison range is empty; put the loop out point after "
                              "the loop in point (or clear the loop) and export again.")
        if fps is None:
            steps = timeline.steps[(timeline.steps > t0 + 1e-9) & (timeline.steps < t1 - 1e-9)]
            taus = np.concatenate([[t0], steps])
        else:
            if fps <= 0:
                raise ExportError("The output frame rate must be positive.")
            taus = t0 + np.arange(int(np.ceil((t1 - t0) * fps - 1e-9))) / fps
        frames = [timeline.frames_at(float(tau), hold=hold) for tau in taus]
        arr = np.array(frames, np.int64).reshape(-1, 2)
        return cls(taus - t0, arr[:, 0], arr[:, 1], t1 - t0)


def constant_rate(timeline: CommonTimeline) -> float:
    """The frame rate a comparison export is written at (frames per common second): the
    faster side's, so every frame of it is shown for its own time and the slower side's
    frames each land on the nearest picture at or after its change (at most one picture,
    1/60 s beside a 60 fps clip, late). Sampling only where a side changes gave a
    variable rate (both sides' changes interleaved, then only the longer side's once
    the shorter froze: 33.5 fps average for a 30 and a 60 fps clip), which editing
    programs and phone players handle badly."""
    rates = []
    for side in timeline.sides:
        tau = np.asarray(side.common_time(side.times), float)
        if len(tau) > 1:
            step = float(np.median(np.diff(tau)))
            if step > 0:
                rates.append(1.0 / step)
    return max(rates, default=30.0)


@dataclass(frozen=True)
class Side:
    """One clip of a comparison export.

    Attributes
    ----------
    path : str
        The video file.
    render : callable, optional
        Overlay callback for this side, drawn at its slot size
        (contract in :mod:`analysis.export.render`).
    label : str, optional
        Text in the slot's top-left corner (e.g. "Week 1 - 140 kg").
    index : VideoIndex, optional
        A ready index of ``path``.
    """

    path: str | os.PathLike[str]
    render: RenderFn | None = None
    label: str | None = None
    index: VideoIndex | None = None


class _SideReader:
    """One side's pictures at its slot size, from one forward pass over its clip.

    A comparison asks for each side's frames in increasing order (the same frame again
    while it is held), so the clip is decoded once, sequentially, from the first frame
    asked for to the last; frames in between that are not shown are decoded but never
    converted. Only a step back or a jump of more than one keyframe group ahead seeks.
    Each picture is scaled in its I420 planes and converted to BGR at the slot size
    (:func:`~analysis.export.render.packed_at_size`).
    """

    def __init__(self, source: VideoSource, size: tuple[int, int]) -> None:
        self.source = source
        self.index = source.index
        self.size = size  # (w, h) px
        self._it: Iterator[tuple[int, av.VideoFrame]] | None = None
        self._next = -1  # frame the iterator reaches next (at least)
        self._last: tuple[int, np.ndarray] | None = None

    def get(self, n: int) -> np.ndarray:
        """Frame ``n`` as BGR at the slot size; asking again for the same frame costs
        nothing (the caller must not draw into the array returned)."""
        if self._last is not None and self._last[0] == n:
            return self._last[1]
        if (self._it is None or n < self._next
                or self.index.group_of(n) > self.index.group_of(self._next) + 1):
            self._it = self.source.raw_frames(n)  # seek: backwards or far ahead
        found: tuple[int, av.VideoFrame] | None = None
        for found in self._it:
            if found[0] >= n:
                break
        else:  # the clip ended first: show the last frame decoded
            self._it = None
            if found is None:
                raise self.source._damaged_error(n)
        m, picture = found
        self._next = m + 1
        image = packed_at_size(self.source.pack(picture, m), *self.size)
        self._last = (n, image)
        return image


@dataclass(frozen=True)
class _PairItem:
    k: int
    frames: tuple[ExportFrame | None, ExportFrame | None]


def export_side_by_side(a: Side, b: Side, pair: SyncedPair, target: str | os.PathLike[str], *,
                        layout: str = "horizontal", size: str | tuple[int, int] | None = "1080p",
                        speed: float = 1.0, gap: int = 8, overwrite: bool = False,
                        progress: ProgressFn | None = None, cancel: CancelFn | None = None,
                        settings: EncodeSettings = EncodeSettings(),
                        background: tuple[int, int, int] = BACKGROUND,
                        writer_factory: WriterFactory = H264Writer, threaded: bool = True
                        ) -> ExportResult:
    """Export two clips shown together, frame by frame as ``pair`` says, to an H.264 MP4.

    Parameters
    ----------
    a, b : Side
        The clips (left/top and right/bottom), with their overlay callbacks and labels.
    pair : SyncedPair
        Output times and the frame of each side at each.
    target : str
        The MP4 to write (atomically, as in :func:`~analysis.export.clip.export_clip`).
    layout : str
        ``"horizontal"`` (side by side) or ``"vertical"`` (top and bottom).
    size : str or (long, short) or None
        Largest canvas: ``"1080p"`` (default), ``"720p"`` or ``"source"`` (no limit).
    speed : float
        Output time is ``pair.times / speed`` (0.0625 to 2). Exports are silent.
        Slowed below 24 pictures per second, each picture is held (written again as
        is) so the file plays at 24-30 fps (:mod:`analysis.export.hold`).
        A change less than :data:`MIN_FRAME_GAP` (output s) after the previous
        picture is folded into it (:func:`fold_close_changes`), so output
        timestamps always increase, whatever the sync offset and frame rates.
    gap : int
        Space between the two pictures (px before fitting).
    overwrite, progress, cancel, settings, writer_factory, threaded
        As for :func:`~analysis.export.clip.export_clip`.

    Raises
    ------
    ExportError
        Unreadable clip, frame numbers outside a clip, existing target, full
        disk, encoder or overlay failure. No file is left.
    Cancelled
        When ``cancel()`` returned True. No file is left.
    """
    t_begin = time.monotonic()
    if not (MIN_SPEED - 1e-12 <= speed <= MAX_SPEED + 1e-12):
        raise ExportError(f"The speed must be between 1/16 and 2 (got {speed:g}).")
    if isinstance(size, str) and size not in SIZE_PRESETS:
        raise ExportError(f"Unknown size “{size}”; choose one of {', '.join(SIZE_PRESETS)}.")
    box = SIZE_PRESETS[size] if isinstance(size, str) else size
    indexes = [_index_of(s) for s in (a, b)]
    for side, idx, wanted in zip("AB", indexes, (pair.frames_a, pair.frames_b), strict=True):
        if wanted.max(initial=-1) >= idx.frame_count:
            raise ExportError(f"Side {side} asks for frame {int(wanted.max())}, but "
                              f"“{os.path.basename(idx.path)}” has {idx.frame_count} frames.")
    lay = pair_layout((indexes[0].width, indexes[0].height), (indexes[1].width, indexes[1].height),
                      layout, box, gap)
    shown = fold_close_changes(pair.times / speed, MIN_FRAME_GAP)
    out_times = pair.times[shown.first] / speed
    durations = np.diff(np.append(out_times, pair.end_time / speed))
    frames = (pair.frames_a[shown.last], pair.frames_b[shown.last])
    # slowed below 24 pictures per second: each picture is held (written again as is)
    holds = hold_counts(durations, max(_rate(i) for i in indexes), speed)
    rate = float(holds.sum()) / max(pair.end_time / speed, 1e-6)
    with AtomicOutput(target, overwrite, inputs=[i.path for i in indexes]) as out:
        writer: VideoWriter | None = None
        try:
            spec = WriterSpec(out.temp, lay.width, lay.height,
                              Fraction(max(rate, 1.0)).limit_denominator(1001), settings)
            writer = writer_factory(spec)
            pictures = HeldOutput(writer, out_times, durations, holds, progress)
            done = _run(a, b, indexes, frames, lay, pictures, out_times, background, cancel,
                        threaded)
            writer.close()
            writer = None
            out.commit()
        except (Cancelled, ExportError):
            raise
        except VideoError as err:
            raise ExportError(str(err), err.detail) from err
        except Exception as exc:
            raise plain_write_error(exc, out.target) from exc
        finally:
            if writer is not None:
                writer.abort()
    return ExportResult(out.target, done, float(pair.end_time / speed), lay.width, lay.height,
                        False, time.monotonic() - t_begin, fps=float(rate),
                        held=int(holds.max(initial=1)),
                        held_mean=float(holds.mean()) if len(holds) else 0.0,
                        pictures=int(holds.sum()))


def _rate(index: VideoIndex) -> float:
    return index.average_fps if index.vfr else index.nominal_fps


def _index_of(side: Side) -> VideoIndex:
    try:
        return side.index or build_index(os.fspath(side.path))
    except VideoError as err:
        raise ExportError(str(err), err.detail) from err


@dataclass(frozen=True)
class FoldedTimes:
    """Output pictures after folding changes closer than a minimum gap.

    Attributes
    ----------
    first : numpy.ndarray
        Per picture, the index of the output time it starts at (increasing).
    last : numpy.ndarray
        Per picture, the index whose frames it shows (the latest change folded into it).
    """

    first: np.ndarray
    last: np.ndarray


def fold_close_changes(times: np.ndarray, gap: float) -> FoldedTimes:
    """Fold each time less than ``gap`` (s) after the previous kept one into it.

    ``times`` (s) must increase. A folded change is shown up to ``gap`` early,
    never late, and a picture's content is the latest change folded into it, so
    the picture shows what is on screen from then on. Kept times are at least
    ``gap`` apart.
    """
    t = np.asarray(times, float)
    first: list[int] = []
    last: list[int] = []
    for k in range(len(t)):
        if first and t[k] - t[first[-1]] < gap:
            last[-1] = k
        else:
            first.append(k)
            last.append(k)
    return FoldedTimes(np.asarray(first, np.int64), np.asarray(last, np.int64))


def _run(a: Side, b: Side, indexes: list[VideoIndex], frames: tuple[np.ndarray, np.ndarray],
         lay: PairLayout, out: HeldOutput, out_times: np.ndarray,
         background: tuple[int, int, int], cancel: CancelFn | None, threaded: bool) -> int:
    """Compose and encode every picture (``out_times``: output s of each); returns how
    many were written."""
    sides = (a, b)
    frames_a, frames_b = frames
    blank = lay.blank(background)

    def produce() -> Iterator[_PairItem]:
        sources = [VideoSource(os.fspath(s.path), idx)
                   for s, idx in zip(sides, indexes, strict=True)]
        try:
            readers = [_SideReader(src, (slot.w, slot.h))
                       for src, slot in zip(sources, lay.slots, strict=True)]
            for k in range(out.total):
                pictures = [None if n < 0 else _side_frame(reader, int(n), float(out_times[k]),
                                                           s.render is not None)
                            for s, reader, n in zip(sides, readers, (frames_a[k], frames_b[k]),
                                                    strict=True)]
                yield _PairItem(k, (pictures[0], pictures[1]))
        finally:
            for src in sources:
                src.close()

    def transform(item: _PairItem) -> tuple[int, np.ndarray]:
        images = [None if f is None else apply_render(s.render, f, item.k)
                  for s, f in zip(sides, item.frames, strict=True)]
        canvas = lay.compose(images[0], images[1], (a.label, b.label), background, blank)
        return item.k, cv2.cvtColor(canvas, cv2.COLOR_BGR2YUV_I420)

    def consume(item: tuple[int, np.ndarray]) -> None:
        out.write(*item)

    run_pipeline(produce, transform, consume, cancel=cancel, threaded=threaded)
    return out.done


def _side_frame(reader: _SideReader, n: int, out_time: float, drawn: bool) -> ExportFrame:
    """Frame ``n`` of a side, ready for its render callback (``drawn``: it has one)."""
    idx = reader.index
    w, h = reader.size
    image = reader.get(n)
    # a callback draws in place, and a held frame is asked for again; without one the
    # picture is only read
    return ExportFrame(n, float(idx.times[n]), image.copy() if drawn else image, out_time,
                       w / idx.width, h / idx.height, idx.width, idx.height)
