"""Tracker for the plate centre, the bar end or any point, forward and backward from a seed.

What the click means is resolved first (:mod:`analysis.tracking.targets`); the target is
then followed frame by frame (:class:`analysis.tracking.follow.FollowState`, one per
direction of travel): predict from the recent motion, match the current template in a
search window around the prediction (normalised cross-correlation; the window may reach
past the frame border, so a target at the edge stays centred), refine the peak to
sub-pixel accuracy with a quadratic fit, then correct drift: the circle fit of a round
target (bar end, hub), or the seed's look turned as far as the target has turned in the
picture. For the plate centre, the centre of the plate's rim is fitted every frame.

The template only takes up pixels that moved with the target: a pixel that
stays still in the picture while the target moves (a burned-in trail, a
caption, an upright in front) keeps its old value, and is left out of the
comparison when the plain match is weak. Recent good looks are kept; after a
loss they (and the last one turned by +-15 and 30 degrees) are searched for.
Confidence is the match score scaled down by the share of the target hidden;
frames below ``RELIABLE_CONFIDENCE`` are lost (no position is invented) and the
tracker searches wider until the target is found again.

A point or bar end inside a plate's rim is checked against that plate in the same pass
(:mod:`analysis.tracking.host`): frames where it slid on it are marked unsure.

The camera's own motion is estimated from the background in the same pass
(:mod:`analysis.tracking.camera`) and stored with the track.

Frames are read as luma only (no colour conversion) and decoded once: forward
from the seed sequentially, backward one keyframe group at a time.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator, Sequence

import cv2
import numpy as np

from analysis.tracking.camera import CameraWatch, summarise
from analysis.tracking.follow import RELIABLE_CONFIDENCE, FollowState, TrackerSettings
from analysis.tracking.host import SLID as HOST_SLID
from analysis.tracking.host import SLID_CONFIDENCE, SLID_NOTE_START, HostRim, slid_note
from analysis.tracking.scene import Thumbnail, thumbnails
from analysis.tracking.targets import AUTO, Circles, TargetChoice, choose_target, plate_circles
from analysis.session.track import CAMERA_NOTE_START
from analysis.tracking.track import (STATE_ANCHOR, STATE_TRACKED, TARGET_KINDS, TARGET_PLATE,
                                     TARGET_POINT, Track)
from analysis.video.source import Cancelled, VideoSource

__all__ = ["RELIABLE_CONFIDENCE", "BarTracker", "TrackerSettings"]

Progress = Callable[[int, int], None]
NEAR_FRAMES = 4  # frames after the seed looked at to resolve the click



class BarTracker:
    """Tracks one point through a clip. Not thread-safe; one per job."""

    def __init__(self, settings: TrackerSettings | None = None) -> None:
        self.settings = settings if settings is not None else TrackerSettings()

    def track(self, source: VideoSource, seed_frame: int, seed_xy: tuple[float, float],
              anchors: dict[int, tuple[float, float]] | None = None,
              start: int = 0, stop: int | None = None, base: Track | None = None,
              progress: Progress | None = None, cancel: Callable[[], bool] | None = None,
              partial: Callable[[Track], None] | None = None, target: str = AUTO,
              camera: bool = True) -> Track:
        """Track from ``seed_xy`` at ``seed_frame`` forward to ``stop`` and backward to ``start``.

        Parameters
        ----------
        target : str
            What the click means: ``"plate"`` (the plate's centre, followed as the centre
            of its rim), ``"bar_end"``, ``"point"`` (a marker or any point) or ``"auto"``
            (the plate centre for a click near a found plate's centre, else the point;
            with ``base``, the base track's kind). See :mod:`analysis.tracking.targets`.
        camera : bool
            Estimate the camera's own motion from the background
            (:mod:`analysis.tracking.camera`) and record it in ``camera_x/camera_y``
            (positions stay in the picture; :meth:`Track.room_xy` takes it out). A camera
            that never moved ``STILL_PX`` leaves the track exactly as without it.
        anchors : dict, optional
            Frames the user placed by hand: kept exactly and used to re-anchor.
        base : Track, optional
            Positions outside ``[start, stop)`` are kept from this track.
        progress, cancel, partial : callables, optional
            ``progress(done, total)``; ``cancel()`` returning True stops with
            :class:`Cancelled`; ``partial(track)`` receives the track as it grows.
        """
        with _OPENCV_SERIAL:
            return self._track(source, seed_frame, seed_xy, anchors, start, stop, base,
                               progress, cancel, partial, target, camera)

    def _track(self, source: VideoSource, seed_frame: int, seed_xy: tuple[float, float],
               anchors: dict[int, tuple[float, float]] | None, start: int, stop: int | None,
               base: Track | None, progress: Progress | None,
               cancel: Callable[[], bool] | None, partial: Callable[[Track], None] | None,
               target: str, camera: bool) -> Track:
        index = source.index
        stop = index.frame_count if stop is None else min(stop, index.frame_count)
        track = base.copy() if base is not None else Track.empty(index.times)
        # the forward decode starts now, at the seed frame (decoded once): it runs while
        # the click is examined
        ahead = _Prefetch(source.gray_frames(seed_frame, stop, cancel), thumbnails)
        try:
            frames = iter(ahead)
            first = next(frames, None)
            if first is None or first[0] != seed_frame:  # after ``stop``, or not decodable
                ahead.close()
                gray0 = _gray_at(source, seed_frame)
                ahead = _Prefetch(source.gray_frames(seed_frame + 1, stop, cancel), thumbnails)
                frames = iter(ahead)
            else:
                gray0 = first[2]
            # the next few frames (decoded anyway) are the evidence for a faint rim at the
            # click (analysis.tracking.targets.choose_target)
            near = list(itertools.islice(frames, NEAR_FRAMES))
            frames = itertools.chain(_handed(near), frames)
            circles = plate_circles(gray0)
            choice, seed_xy = _resolve_click(gray0, seed_xy, target, base,
                                             seed_frame in (anchors or {}),
                                             [item[2] for item in near], circles)
            track.target = choice.kind
            # a point or bar end inside a plate's rim is checked against the plate
            host = HostRim.at_click(gray0, seed_xy, circles) \
                if choice.kind != TARGET_PLATE else None
            anchors = dict(anchors or {})
            anchors[seed_frame] = seed_xy
            total = stop - start
            done = 0

            def tick() -> None:
                nonlocal done
                done += 1
                if progress and (done % 10 == 0 or done == total):
                    progress(done, total)
                if partial and done % 30 == 0:
                    partial(track)

            fps = index.average_fps
            state = FollowState(self.settings, gray0, seed_xy, anchors, fps, choice)
            state.host = host.copy() if host is not None else None
            hosts = [state.host]
            track.set(seed_frame, seed_xy[0], seed_xy[1], 1.0, STATE_ANCHOR)
            shift = np.full((len(track), 2), np.nan)
            shift[seed_frame] = 0.0
            state.camera = CameraWatch(gray0, seed_xy) if camera else None
            tick()
            # forward, one sequential decode, overlapped with tracking
            for n, _t, gray, thumb in frames:
                self._step(state, track, n, gray, anchors, shift, thumb)
                tick()
        finally:
            ahead.close()
        # backward, a keyframe group at a time (each frame decoded once)
        n = seed_frame - 1
        if n >= start:
            state = FollowState(self.settings, gray0, seed_xy, anchors, fps, choice)
            state.host = host.copy() if host is not None else None
            hosts.append(state.host)
            state.camera = CameraWatch(gray0, seed_xy) if camera else None
        while n >= start:
            if cancel is not None and cancel():
                raise Cancelled()
            g = index.group_of(n)
            g_start, _ = index.group_range(g)
            lo = max(g_start, start)
            frames = {k: gray for k, gray in source.iter_group_gray(g, stop=n + 1, cancel=cancel)
                      if k >= lo}
            thumbs = dict(zip(frames, thumbnails(list(frames.values())), strict=True))
            for k in range(n, lo - 1, -1):
                if k in frames:
                    self._step(state, track, k, frames[k], anchors, shift, thumbs[k])
                else:
                    track.mark_lost(k)
                tick()
            n = lo - 1
        slid = max((h.worst for h in hosts if h is not None), default=0.0)
        if slid > 0 or (start == 0 and stop == len(track)):  # (a part tracked again keeps
            #                                                   what was said of the rest)
            track.notes = [note for note in track.notes if not note.startswith(SLID_NOTE_START)]
        if slid > 0:
            track.notes.append(slid_note(slid))
        if camera:
            self._camera_result(track, shift, start, stop, base)
        if partial:
            partial(track)
        return track

    @staticmethod
    def _camera_result(track: Track, shift: np.ndarray, start: int, stop: int,
                       base: Track | None) -> None:
        """Keep the camera's motion when it moved; frames it could not be measured on take
        the nearest measured value (a gap in the background's features, a scene cut)."""
        done = np.zeros(len(track), bool)
        done[start:stop] = True
        ok = np.flatnonzero(done & np.isfinite(shift[:, 0]))
        if base is not None and base.camera_x is not None and base.camera_y is not None:
            shift[~done] = np.column_stack([base.camera_x, base.camera_y])[~done]
        else:
            shift[~done] = 0.0
        if len(ok) == 0:
            return
        for k in (0, 1):
            idx = np.arange(len(track))
            miss = done & ~np.isfinite(shift[:, k])
            shift[miss, k] = np.interp(idx[miss], ok, shift[ok, k])
        note = summarise(track.t, shift[:, 0], shift[:, 1])
        track.notes = [n for n in track.notes if not n.startswith(CAMERA_NOTE_START)]
        if note is None:
            track.camera_x = track.camera_y = None
            return
        track.camera_x, track.camera_y = shift[:, 0].copy(), shift[:, 1].copy()
        track.notes.append(note)

    def _step(self, st: FollowState, track: Track, n: int, gray: np.ndarray,
              anchors: dict[int, tuple[float, float]], shift: np.ndarray | None = None,
              thumb: Thumbnail | None = None) -> None:
        if n in anchors:
            x, y = anchors[n]
            track.set(n, x, y, 1.0, STATE_ANCHOR)
            st.cut_seen = st.scene.observe(gray, thumb).changed
            st.reset_at(gray, (x, y), anchors)
            if st.host is not None:
                st.host.placed(gray, (x, y))
                st.host_run = None
            found: tuple[float, float] | None = (x, y)
        else:
            found = st.follow(gray, thumb)
            if found is None:
                track.mark_lost(n, st.last_score)
            else:
                track.set(n, found[0], found[1], st.last_score, STATE_TRACKED)
                if st.host is not None:
                    self._check_host(st, track, n, gray, found)
        if st.camera is not None and shift is not None:
            where = found if found is not None else (float(st.pos[0]), float(st.pos[1]))
            if st.cut_seen and not st.camera.follows(gray):
                st.camera.cut(gray, where)  # a new shot: its picture is not the last one moved
                return
            for k, moved in st.camera.observe(gray, where, n):
                shift[k] = moved

    @staticmethod
    def _check_host(st: FollowState, track: Track, n: int, gray: np.ndarray,
                    found: tuple[float, float]) -> None:
        """A point inside a plate's rim, checked against the plate
        (:mod:`analysis.tracking.host`): when it slid, the frames since it may have, and
        each frame while it stays off, are marked unsure."""
        assert st.host is not None
        verdict = st.host.check(gray, found)
        st.host_frames.append(n)
        if verdict == HOST_SLID or st.host.slid:
            since = st.host.since if verdict == HOST_SLID else len(st.host_frames) - 1
            upto = len(st.host_frames) if st.host_run is None else st.host_run
            flag = st.host_frames[since:upto] + ([n] if upto < len(st.host_frames) else [])
            track.confidence[flag] = np.minimum(track.confidence[flag], SLID_CONFIDENCE)
            st.host_run = min(since, upto)
        else:
            st.host_run = None


class _OpenCvSerial:
    """OpenCV's own worker threads switched off while tracking passes run (process-wide,
    restored when the last pass ends). A pass already keeps every core busy decoding, and
    its OpenCV calls work on small images: handing parts of them to OpenCV's thread pool
    cost more than it saved (on the 1080p bench clip the pool's worker used ~0.12 ms of
    CPU a frame, mostly waiting for work, and the tracking thread ~0.1 ms waiting for it;
    results are the same either way)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._passes = 0
        self._threads = 0

    def __enter__(self) -> None:
        with self._lock:
            if self._passes == 0:
                self._threads = cv2.getNumThreads()
                cv2.setNumThreads(1)
            self._passes += 1

    def __exit__(self, *_exc: object) -> None:
        with self._lock:
            self._passes -= 1
            if self._passes == 0:
                cv2.setNumThreads(self._threads)


_OPENCV_SERIAL = _OpenCvSerial()


class _Prefetch:
    """Frames from ``frames`` decoded by a helper thread that starts at construction, so
    decoding runs while the seed is examined and while each frame is tracked (decoding
    releases the GIL: both cores busy). Frames are handed over four at a time (one
    hand-over per frame cost about 0.15 ms of CPU a frame; a few batches in flight absorb
    the scheduling delays of a busy machine). ``prepare(frames)``, when given, is made on
    the decoding thread for each batch (a list of frames; it returns one result per
    frame) and handed over with each frame, as ``(*item, prepared)``. Errors (and
    :class:`Cancelled`) from the producer are raised where the frames are read; call
    :meth:`close` when done (also on error)."""

    def __init__(self, frames,
                 prepare: Callable[[list[np.ndarray]], Sequence[object]] | None = None,
                 depth: int = 8, batch: int = 4) -> None:
        import queue
        import threading

        self._q: queue.Queue = queue.Queue(maxsize=max(1, depth // batch))
        self._done = object()
        self._stop = threading.Event()

        def put(item) -> bool:
            while not self._stop.is_set():
                try:
                    self._q.put(item, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def ready(chunk: list) -> list:
            if prepare is None:
                return chunk
            made = prepare([item[2] for item in chunk])
            return [(*item, m) for item, m in zip(chunk, made, strict=True)]

        def produce() -> None:
            try:
                chunk: list = []
                for item in frames:
                    chunk.append(item)
                    if len(chunk) >= batch:
                        if not put(ready(chunk)):
                            return
                        chunk = []
                if chunk and not put(ready(chunk)):
                    return
                put(self._done)
            except BaseException as exc:  # handed to the consumer
                put(exc)
            finally:
                close = getattr(frames, "close", None)
                if close is not None:
                    close()  # the source's decoder is left in a known state

        self._worker = threading.Thread(target=produce, name="track-decode", daemon=True)
        self._worker.start()

    def __iter__(self):
        while True:
            item = self._q.get()
            if item is self._done:
                return
            if isinstance(item, BaseException):
                raise item
            for k in range(len(item)):  # a frame handed on is not held here (its picture
                frame, item[k] = item[k], None  # is let go once the tracker lets it go)
                yield frame

    def close(self) -> None:
        self._stop.set()
        self._worker.join(timeout=5)


def _resolve_click(gray0: np.ndarray, seed_xy: tuple[float, float], target: str,
                   base: Track | None, placed_by_hand: bool, near: Sequence[np.ndarray] = (),
                   circles: Circles | None = None) -> tuple[TargetChoice, tuple[float, float]]:
    """What the click means, and the point to follow: a click that means a plate's centre is
    moved to the centre of its fitted rim, however near it landed (a correction placed by
    hand on an existing track is kept where it was placed). A click within 3 % of the
    radius used to be kept as the user's own reading of the centre: the plate's
    calibration, measured around the track, then started from a point a few px off the
    centre, and on the real deadlift clip (a partly seen, dark rim) read 1.840-1.856 mm/px
    from clicks 1-3 px apart; every click on the hub now gives one track and one scale."""
    if target == AUTO and base is not None and base.target in TARGET_KINDS:
        target = base.target  # a correction follows the same kind; one whose kind was not
        #                       recorded (an older track) is resolved as a new click is
    try:
        choice = choose_target(gray0, seed_xy, target, near, circles)
    except ValueError:
        if base is None:
            raise
        choice = choose_target(gray0, seed_xy, TARGET_POINT)  # no plate at a correction
    if choice.kind == TARGET_PLATE and choice.plate is not None:
        if base is None or not placed_by_hand:
            seed_xy = (choice.plate.x, choice.plate.y)  # the click means the plate's centre
    return choice, seed_xy


def _handed(items: list) -> Iterator:
    """The items of ``items``, each let go as it is handed on (a decoded picture is not
    held past its frame)."""
    while items:
        yield items.pop(0)


def _gray_at(source: VideoSource, n: int) -> np.ndarray:
    g = source.index.group_of(n)
    for k, gray in source.iter_group_gray(g, stop=n + 1):
        if k == n:
            return gray
    raise ValueError(f"frame {n} cannot be decoded")
