"""Template tracker for the bar end or plate centre, forward and backward from a seed.

Per frame: predict from the recent motion, match the current template in a
search window around the prediction (normalised cross-correlation), refine the
peak to sub-pixel accuracy with a quadratic fit, then correct drift by matching
the seed template (and the user's anchor templates) in a small window. The
current template is refreshed from the new sub-pixel position only while the
match is trustworthy. A weak match marks the frame lost (no position is
invented) and the tracker searches wider until the target is found again.

Frames are read as luma only (no colour conversion) and decoded once: forward
from the seed sequentially, backward one keyframe group at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from analysis.tracking.circle import CircleFit, find_circle_at, refine_centre
from analysis.tracking.scene import SceneWatch
from analysis.tracking.targets import AUTO, TargetChoice, choose_target, follow_rim
from analysis.tracking.track import STATE_ANCHOR, STATE_TRACKED, TARGET_PLATE, TARGET_POINT, Track
from analysis.video.source import Cancelled, VideoSource

Progress = Callable[[int, int], None]

# A click this close to the fitted rim centre is taken as the user's own reading of the plate
# centre, and its offset is kept (a rim's edge can sit half a pixel off the centre marked on
# the plate by rendering, a bevel or the lighting); a click further off is snapped to it.
CLICK_KEEP_PX, CLICK_KEEP_SHARE = 2.0, 0.03


@dataclass(frozen=True)
class TrackerSettings:
    """Tuning of the tracker; sizes in px of the displayed image (0 = from the image size)."""

    template_radius: int = 0  # half size of the template; default 3 % of the short side
    min_search: int = 0  # minimum search radius beyond the template; default = template radius
    lost_score: float = 0.5  # below this normalised correlation the target is lost
    refresh_score: float = 0.8  # refresh the template only above this
    anchor_score: float = 0.75  # use the seed template's position above this
    reacquire_score: float = 0.7
    recut_score: float = 0.8  # re-acquiring after a scene change needs a clearer match
    refine_circle: bool = True  # snap to the fitted circle of a bar end / plate hub


class BarTracker:
    """Tracks one point through a clip. Not thread-safe; one per job."""

    def __init__(self, settings: TrackerSettings = TrackerSettings()) -> None:
        self.settings = settings

    def track(self, source: VideoSource, seed_frame: int, seed_xy: tuple[float, float],
              anchors: dict[int, tuple[float, float]] | None = None,
              start: int = 0, stop: int | None = None, base: Track | None = None,
              progress: Progress | None = None, cancel: Callable[[], bool] | None = None,
              partial: Callable[[Track], None] | None = None, target: str = AUTO) -> Track:
        """Track from ``seed_xy`` at ``seed_frame`` forward to ``stop`` and backward to ``start``.

        Parameters
        ----------
        target : str
            What the click means: ``"plate"`` (the plate's centre, followed as the centre
            of its rim), ``"bar_end"``, ``"point"`` (a marker or any point) or ``"auto"``
            (the plate centre for a click near a found plate's centre, else the point;
            with ``base``, the base track's kind). See :mod:`analysis.tracking.targets`.
        anchors : dict, optional
            Frames the user placed by hand: kept exactly and used to re-anchor.
        base : Track, optional
            Positions outside ``[start, stop)`` are kept from this track.
        progress, cancel, partial : callables, optional
            ``progress(done, total)``; ``cancel()`` returning True stops with
            :class:`Cancelled`; ``partial(track)`` receives the track as it grows.
        """
        index = source.index
        stop = index.frame_count if stop is None else min(stop, index.frame_count)
        track = base.copy() if base is not None else Track.empty(index.times)
        gray0 = _gray_at(source, seed_frame)
        if target == AUTO and base is not None:
            target = base.target
        try:
            choice = choose_target(gray0, seed_xy, target)
        except ValueError:
            if base is None:
                raise
            choice = choose_target(gray0, seed_xy, TARGET_POINT)  # no plate at a correction
        track.target = choice.kind
        if choice.kind == TARGET_PLATE and choice.plate is not None:
            rim = choice.plate
            off = np.hypot(seed_xy[0] - rim.x, seed_xy[1] - rim.y)
            if off > max(CLICK_KEEP_PX, CLICK_KEEP_SHARE * rim.r) and \
                    (base is None or seed_frame not in (anchors or {})):
                seed_xy = (rim.x, rim.y)  # the click means the plate's centre
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
        state = _State(self.settings, gray0, seed_xy, anchors, fps, choice)
        track.set(seed_frame, seed_xy[0], seed_xy[1], 1.0, STATE_ANCHOR)
        tick()
        # forward, one sequential decode, overlapped with tracking (decoding releases the GIL)
        for n, _t, gray in _prefetched(source.gray_frames(seed_frame + 1, stop, cancel)):
            self._step(state, track, n, gray, anchors)
            tick()
        # backward, a keyframe group at a time (each frame decoded once)
        state = _State(self.settings, gray0, seed_xy, anchors, fps, choice)
        n = seed_frame - 1
        while n >= start:
            if cancel is not None and cancel():
                raise Cancelled()
            g = index.group_of(n)
            g_start, _ = index.group_range(g)
            lo = max(g_start, start)
            frames = {k: gray for k, gray in source.iter_group_gray(g, stop=n + 1, cancel=cancel)
                      if k >= lo}
            for k in range(n, lo - 1, -1):
                if k in frames:
                    self._step(state, track, k, frames[k], anchors)
                else:
                    track.mark_lost(k)
                tick()
            n = lo - 1
        if partial:
            partial(track)
        return track

    def _step(self, st: _State, track: Track, n: int, gray: np.ndarray,
              anchors: dict[int, tuple[float, float]]) -> None:
        if n in anchors:
            x, y = anchors[n]
            track.set(n, x, y, 1.0, STATE_ANCHOR)
            st.scene.observe(gray)
            st.reset_at(gray, (x, y), anchors)
            return
        found = st.follow(gray)
        if found is None:
            track.mark_lost(n, st.last_score)
        else:
            track.set(n, found[0], found[1], st.last_score, STATE_TRACKED)


class _State:
    """Tracking state for one direction of travel."""

    def __init__(self, s: TrackerSettings, gray: np.ndarray, xy: tuple[float, float],
                 anchors: dict[int, tuple[float, float]], fps: float = 30.0,
                 choice: TargetChoice | None = None) -> None:
        self.s = s
        self.kind = choice.kind if choice is not None else TARGET_POINT
        if self.kind == TARGET_PLATE and choice is not None and choice.plate is not None:
            self.plate_r = choice.plate.r
            self.plate_pol = choice.polarity
            self.click_offset = np.array([xy[0] - choice.plate.x, xy[1] - choice.plate.y])
        else:
            self.kind = TARGET_POINT if self.kind == TARGET_PLATE else self.kind
        self.scene = SceneWatch(fps)
        self.scene.observe(gray)
        self.after_cut = False  # lost at a scene change: re-acquire only on a clear match
        h, w = gray.shape
        # A circular target at the click (bar end, hub) gives the template its size and a
        # drift-free sub-pixel centre; the click's offset from that centre is kept.
        self.circle = find_circle_at(gray, xy, 0.08 * min(h, w)) if s.refine_circle else None
        if self.circle is not None:
            self.polarity = _polarity(gray, self.circle)
            self.offset = np.array([xy[0] - self.circle.x, xy[1] - self.circle.y])
            self.radius = self.circle.r
            auto_r = int(round(1.35 * self.circle.r))
        else:
            auto_r = int(round(0.03 * min(h, w)))
        self.r = s.template_radius or max(8, auto_r)
        self.min_search = s.min_search or self.r
        self.size = (2 * self.r + 1, 2 * self.r + 1)
        self.last_score = 1.0
        self.lost = 0
        self.reset_at(gray, xy, anchors)

    def reset_at(self, gray: np.ndarray, xy: tuple[float, float],
                 anchors: dict[int, tuple[float, float]]) -> None:
        self.pos = np.array(xy, float)
        self.vel = np.zeros(2)
        self.template = _patch(gray, xy, self.size)
        self.reference = self.template.copy()  # the hand-placed appearance (drift check)
        self.lost = 0
        self.after_cut = False
        self.plate_pos = np.array(xy, float)
        self.plate_offset = np.zeros(2)  # plate centre - inner point (parallax changes it)

    def follow(self, gray: np.ndarray) -> tuple[float, float] | None:
        inner = self._follow_inner(gray)
        if self.kind != TARGET_PLATE:
            return inner
        return self._follow_plate(gray, inner)

    def _follow_plate(self, gray: np.ndarray, inner: tuple[float, float] | None
                      ) -> tuple[float, float] | None:
        """The plate centre: the rim's circle fitted around the inner point's motion."""
        if inner is not None:
            pred = np.array(inner) + self.plate_offset
        elif self.after_cut:
            return None
        else:
            pred = self.plate_pos
        rim_pred = pred - self.click_offset
        fit = follow_rim(gray, (float(rim_pred[0]), float(rim_pred[1])), self.plate_r,
                         self.plate_pol)
        if fit is None:
            if inner is None:
                return None
            # the rim is not seen (a hand, blur, the frame edge): the inner point moved
            # with the plate; its last offset from the centre is kept
            self.plate_pos = pred
            self.last_score = min(self.last_score, 0.75)
            return float(pred[0]), float(pred[1])
        if inner is None and fit.inliers < 0.75:
            return None  # without the inner point only a clearly seen rim counts
        self.plate_r = 0.8 * self.plate_r + 0.2 * fit.r
        self.plate_pos = np.array([fit.x, fit.y]) + self.click_offset
        if inner is not None:
            self.plate_offset = self.plate_pos - np.array(inner)
            self.last_score = min(self.last_score, max(fit.inliers, 0.5))
        else:
            self.last_score = fit.inliers
        return float(self.plate_pos[0]), float(self.plate_pos[1])

    def _follow_inner(self, gray: np.ndarray) -> tuple[float, float] | None:
        s = self.s
        scene = self.scene.observe(gray)
        if scene.changed or (self.after_cut and not scene.settled):
            # a cut, dissolve or fade: whatever the template finds now is not the bar, and
            # what the template learned during the change must not be searched for later
            self.after_cut = True
            self.template = self.reference.copy()
            return self._miss(0.0)
        speed = float(np.hypot(*self.vel))
        grow = 1 + self.lost  # search wider while lost
        radius = int(self.min_search * grow + 2.5 * speed) + 2
        predicted = self.pos + (self.vel if self.lost == 0 else 0)
        half = radius + self.r + 4
        if self.r >= 16 and radius > 6 and min(gray.shape) > 2 * half:
            # coarse search at half resolution, then a small full-resolution search
            x0, y0 = _window_origin(gray, predicted, half)
            small = cv2.pyrDown(gray[y0:y0 + 2 * half, x0:x0 + 2 * half].astype(np.float32))
            coarse = _match(small, self._half_template(),
                            ((predicted[0] - x0) / 2.0, (predicted[1] - y0) / 2.0),
                            radius // 2 + 1)
            hit = None
            if coarse is not None:
                c = (x0 + 2 * coarse[0][0], y0 + 2 * coarse[0][1])
                if not self.lost and coarse[1] >= s.refresh_score:
                    # a clear coarse match on a circular target: the circle fit gives the
                    # sub-pixel centre, so the full-resolution search can be skipped
                    refined = self._refine(gray, c)
                    if refined is not None:
                        return self._found(gray, refined, coarse[1])
                hit = _match(gray, self.template, c, 3)
        else:
            hit = _match(gray, self.template, predicted, radius)
        if hit is None:
            return self._miss(0.0)
        xy, score = hit
        if self.lost:  # re-acquire: the hand-placed appearance must agree
            ref = _match(gray, self.reference, xy, self.r // 2 + 2)
            if self.after_cut:
                # after a scene change only the hand-placed look counts, and a circular
                # target (bar end, hub) must be there too
                if ref is None or ref[1] < s.recut_score or (
                        self.circle is not None and self._refine(gray, ref[0]) is None):
                    return self._miss(score)
            elif ref is None or max(ref[1], score) < s.reacquire_score:
                return self._miss(score)
        if score < s.lost_score:
            ref = _match(gray, self.reference, predicted, radius)
            if ref is None or ref[1] < s.lost_score:
                return self._miss(max(score, ref[1] if ref else 0.0))
            xy, score = ref
        # drift correction: the circle's centre when there is one, else the reference look
        refined = self._refine(gray, xy)
        if refined is not None:
            xy = refined
        else:
            ref = _match(gray, self.reference, xy, max(2, self.r // 3))
            if ref is not None and ref[1] >= s.anchor_score and ref[1] >= score - 0.05:
                xy = ref[0]
                score = max(score, ref[1])
        return self._found(gray, xy, score)

    def _found(self, gray: np.ndarray, xy, score: float) -> tuple[float, float]:
        new = np.array(xy)
        self.vel = 0.6 * (new - self.pos) + 0.4 * self.vel if self.lost == 0 else np.zeros(2)
        self.pos = new
        self.lost = 0
        self.after_cut = False
        self.last_score = float(score)
        if score >= self.s.refresh_score:
            self.template = _patch(gray, xy, self.size)
        return float(xy[0]), float(xy[1])

    def _half_template(self) -> np.ndarray:
        if getattr(self, "_half_src", None) is not self.template:
            self._half_src = self.template
            self._half = cv2.pyrDown(self.template)
        return self._half

    def _refine(self, gray: np.ndarray, xy) -> tuple[float, float] | None:
        if self.circle is None:
            return None
        centre = (xy[0] - self.offset[0], xy[1] - self.offset[1])
        fit = refine_centre(gray, centre, self.radius, self.polarity)
        if fit is None or fit.rms > max(1.0, 0.08 * fit.r) or fit.inliers < 0.5:
            return None
        if abs(fit.r - self.radius) > 0.2 * self.radius:
            return None
        self.radius = 0.8 * self.radius + 0.2 * fit.r
        return fit.x + self.offset[0], fit.y + self.offset[1]

    def _miss(self, score: float) -> None:
        self.lost += 1
        self.last_score = float(score)
        self.vel *= 0.5
        return None


def _prefetched(frames, depth: int = 6):
    """Iterate ``frames`` produced by a helper thread, so decoding the next frames runs
    while the current one is tracked (both cores busy). Errors (and :class:`Cancelled`)
    from the producer are raised here."""
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in frames:
                while not stop.is_set():
                    try:
                        q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(done)
        except BaseException as exc:  # handed to the consumer
            q.put(exc)

    worker = threading.Thread(target=produce, name="track-decode", daemon=True)
    worker.start()
    try:
        while True:
            item = q.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join(timeout=5)


def _polarity(gray: np.ndarray, c: CircleFit) -> int:
    """+1 when the disk is brighter than the ring around it, else -1."""
    inside = cv2.getRectSubPix(gray, (3, 3), (c.x, c.y)).mean() if c.r < 4 else \
        cv2.getRectSubPix(gray, (int(c.r), int(c.r)), (c.x, c.y)).mean()
    ring = np.mean([gray[int(np.clip(c.y + 1.3 * c.r * np.sin(a), 0, gray.shape[0] - 1)),
                         int(np.clip(c.x + 1.3 * c.r * np.cos(a), 0, gray.shape[1] - 1))]
                    for a in np.linspace(0, 2 * np.pi, 16, endpoint=False)])
    return 1 if inside >= ring else -1


def _window_origin(gray: np.ndarray, centre, half_size: int) -> tuple[int, int]:
    h, w = gray.shape
    x0 = int(np.clip(round(centre[0]) - half_size, 0, max(w - 2 * half_size, 0)))
    y0 = int(np.clip(round(centre[1]) - half_size, 0, max(h - 2 * half_size, 0)))
    return x0, y0


def _gray_at(source: VideoSource, n: int) -> np.ndarray:
    g = source.index.group_of(n)
    for k, gray in source.iter_group_gray(g, stop=n + 1):
        if k == n:
            return gray
    raise ValueError(f"frame {n} cannot be decoded")


def _patch(gray: np.ndarray, xy: tuple[float, float] | np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The template centred on a sub-pixel position (bilinear), as float32."""
    return cv2.getRectSubPix(gray, size, (float(xy[0]), float(xy[1])), patchType=cv2.CV_32F)


def _match(gray: np.ndarray, template: np.ndarray, centre, radius: int
           ) -> tuple[tuple[float, float], float] | None:
    """Best match of ``template`` whose centre lies within ``radius`` px of ``centre``."""
    th, tw = template.shape
    h, w = gray.shape
    cx, cy = float(centre[0]), float(centre[1])
    x0 = int(np.floor(cx - radius - tw / 2))
    y0 = int(np.floor(cy - radius - th / 2))
    x1 = int(np.ceil(cx + radius + tw / 2)) + 1
    y1 = int(np.ceil(cy + radius + th / 2)) + 1
    x0c, y0c, x1c, y1c = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if x1c - x0c < tw + 1 or y1c - y0c < th + 1:
        return None
    window = gray[y0c:y1c, x0c:x1c].astype(np.float32)
    res = cv2.matchTemplate(window, template, cv2.TM_CCOEFF_NORMED)
    _, score, _, (px, py) = cv2.minMaxLoc(res)
    dx = dy = 0.0
    if 0 < px < res.shape[1] - 1:
        dx = _vertex(res[py, px - 1], res[py, px], res[py, px + 1])
    if 0 < py < res.shape[0] - 1:
        dy = _vertex(res[py - 1, px], res[py, px], res[py + 1, px])
    x = x0c + px + dx + (tw - 1) / 2
    y = y0c + py + dy + (th - 1) / 2
    if not np.isfinite(score):
        return None
    return (x, y), float(score)


def _vertex(a: float, b: float, c: float) -> float:
    """Sub-pixel offset of a parabola's peak through three samples."""
    denom = a - 2 * b + c
    if abs(denom) < 1e-9:
        return 0.0
    return float(np.clip(0.5 * (a - c) / denom, -0.5, 0.5))
