"""Following one target in one direction of travel: the tracker's per-frame state
(:class:`analysis.tracking.tracker.BarTracker` feeds it the frames in order).

Per frame: predict from the recent motion, match the current template in a search window
around the prediction (:mod:`analysis.tracking.matching`), then correct drift: the circle
fit of a round target (bar end, hub, a small round marker; only where the match puts it),
or the seed's look turned as far as the target has turned in the picture (found by trying a
little either way each frame). A plate's centre is the centre of its rim, placed by
:class:`analysis.tracking.follow_plate.PlateFollowing` (its rim followed where the plate's
own motion puts it, its inner point matched at least every few frames and put back on the
plate when its match slid off).

The template only takes up pixels that moved with the target: a pixel that stays still in
the picture while the target moves (a burned-in trail, a caption, an upright in front)
keeps its old value, and is left out of the comparison when the plain match is weak.
Recent good looks are kept; after a loss they (and the last one turned by +-15 and 30
degrees) are searched for. Confidence is the match score scaled down by the share of the
target hidden; frames below ``RELIABLE_CONFIDENCE`` are lost.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import cv2
import numpy as np

from analysis.tracking.camera import CameraWatch
from analysis.tracking.follow_plate import PlateFollowing
from analysis.tracking.circle import CircleFit, find_circle_at, marker_near, refine_centre, steady_centre
from analysis.tracking.host import HostRim
from analysis.tracking.kept import KeptFrame
from analysis.tracking.matching import crop, match, patch, polarity, vertex
from analysis.tracking.rest import RimRest
from analysis.tracking.scene import SceneVerdict, SceneWatch, Thumbnail
from analysis.tracking.targets import RIM_STEP_SHARE, TargetChoice
from analysis.tracking.track import TARGET_BAR_END, TARGET_PLATE, TARGET_POINT

# Confidence (0..1) is the normalised cross-correlation of the target's look with the frame,
# scaled down by the share of the target hidden behind something that does not move with it
# (an upright, a burned-in graphic). Frames below RELIABLE_CONFIDENCE are lost: no position
# is given (TrackerSettings.lost_score; the analysis interpolates gaps up to its
# ``max_fill_s`` and leaves longer ones out, saying so).
RELIABLE_CONFIDENCE = 0.5
VISIBLE_SHARE = 0.75  # a target less visible than this has its confidence scaled down
HISTORY = 10  # recent frames kept to tell what moves with the target from what stays still
LONG_HISTORY, LONG_EVERY = 15, 6  # and every 6th frame of the last 90 (for holds)
STATIC_DIFF = 8.0  # grey levels: a pixel this close to itself while the target moved is still
CONSISTENT_DIFF = 24.0  # grey levels: a template pixel this close to its past look moved with it
BANK_SIZE = 6  # recent good appearances kept for re-acquisition
BANK_EVERY = 10  # frames between two appearances kept
TURNS = (-30.0, -15.0, 15.0, 30.0)  # degrees: turned copies of the last look tried when lost
TURNED_SCORE = 0.5  # the turned hand-placed look places the target from this score
OVERLAY_SHARE = 0.03  # this share of the target covered by something still: an overlay
TURN_PROBE_SCORE = 0.8  # below this match of the hand-placed look, try it turned either way
CLEAN_RIM_INLIERS, CLEAN_RIM_RMS = 0.9, 0.01  # the seed's rim: share of rays, rms / radius
NEAR_SEARCH = 3  # px: the inner point of a plate whose rim is followed is searched this near first
OFFSETS_KEPT = 900  # plate offsets kept with the inner point's place (30 s at 30 fps)
MARKER_SHARE = 0.022  # a round spot this share of the short side in radius at a point: a marker
# a circle fitted this far (px, or share of its radius) from where the template's match puts
# it is not a bar end's or marker's: a loose ring of edges fits around two centres 7 px apart
# on alternate frames (at 360x480); a bar end's fit moved <= 1.9 px (1080x1920 squat)
REFINE_PX, REFINE_SHARE = 1.5, 0.15


@dataclass(frozen=True)
class TrackerSettings:
    """Tuning of the tracker; sizes in px of the displayed image (0 = from the image size)."""

    template_radius: int = 0  # half size of the template; default 3 % of the short side
    min_search: int = 0  # minimum search radius beyond the template; default = template radius
    lost_score: float = 0.5  # below this normalised correlation the target is lost
    refresh_score: float = 0.8  # refresh the whole template only above this
    adapt_score: float = 0.6  # above this, pixels that changed little or moved with the target
    anchor_score: float = 0.75  # use the seed template's position above this
    reacquire_score: float = 0.7
    recut_score: float = 0.8  # re-acquiring after a scene change needs a clearer match
    refine_circle: bool = True  # snap to the fitted circle of a bar end / plate hub



class FollowState(PlateFollowing):
    """Tracking state for one direction of travel."""

    def __init__(self, s: TrackerSettings, gray: np.ndarray, xy: tuple[float, float],
                 anchors: dict[int, tuple[float, float]], fps: float = 30.0,
                 choice: TargetChoice | None = None) -> None:
        self.s = s
        self.camera: CameraWatch | None = None
        # a point or bar end inside a plate's rim: checked against the plate (set by the
        # tracker), the frames checked, in order, and where the frames marked unsure while
        # it is off start among them (None: it is not off)
        self.host: HostRim | None = None
        self.host_frames: list[int] = []
        self.host_run: int | None = None
        self.kind = choice.kind if choice is not None else TARGET_POINT
        self.oblique = self.clean_rim = False
        self.rim_step = 0.0
        # a plate's inner point (hub or sleeve end) is followed from the rim's centre, not
        # from the click: a click kept a few px off it (the user's reading of the centre)
        # only shifts the positions given. With the hub's look cut around each click, on
        # the real deadlift clip (a partly seen, dark rim, placed by its hub on most
        # frames) clicks 3.6 px apart read a rep's peak velocity 0.72 and 0.80 m/s.
        self.inner_shift = np.zeros(2)
        if self.kind == TARGET_PLATE and choice is not None and choice.plate is not None:
            self.plate_r = choice.plate.r
            self.plate_pol = choice.polarity
            self.oblique = choice.oblique
            # a rim seen whole and round at the seed can place the plate alone (the fast
            # path); a partly seen or oblique one is followed with its hub every frame
            rim = choice.plate
            self.clean_rim = rim.inliers >= CLEAN_RIM_INLIERS and rim.rms <= CLEAN_RIM_RMS * rim.r
            self.rim_step = RIM_STEP_SHARE if self.clean_rim else 0.0
            self.click_offset = np.array([xy[0] - choice.plate.x, xy[1] - choice.plate.y])
            self.inner_shift = self.click_offset.copy()
        else:
            self.kind = TARGET_POINT if self.kind == TARGET_PLATE else self.kind
        self.scene = SceneWatch(fps)
        self.scene.observe(gray)
        self.after_cut = False  # lost at a scene change: re-acquire only on a clear match
        self.cut_seen = False  # the last frame followed was a scene change
        h, w = gray.shape
        # A circular target at the click (bar end, hub) gives the template its size and a
        # drift-free sub-pixel centre; the click's offset from that centre is kept. A point
        # is followed by its look: around the centre of a small round marker at the click
        # when there is one (the same look for every click on or beside it), else around
        # the click; the click's offset from where the look is centred is kept.
        self.point_offset = np.zeros(2)
        self.circle = None
        if s.refine_circle and self.kind != TARGET_POINT:
            # (as Python floats, as the click is given: numpy floats change the fit's
            # arithmetic, and its centre by 1e-4 px)
            self.circle = find_circle_at(gray, (float(xy[0] - self.inner_shift[0]),
                                                float(xy[1] - self.inner_shift[1])),
                                         0.08 * min(h, w))
        elif s.refine_circle:
            spot = marker_near(gray, xy, MARKER_SHARE * min(h, w))
            if spot is not None:
                self.point_offset = np.array([xy[0] - spot.x, xy[1] - spot.y])
                self.circle = spot  # its fit keeps the look's centre from drifting
        if self.circle is not None:
            self.polarity = polarity(gray, self.circle)
            # a bar end: the click's offset from the circle's centre grows and shrinks with
            # the circle as it moves nearer the camera and away (a plate is placed by its
            # rim: the circle at the click, its hub, only predicts where to look)
            self.scaled_offset = self.kind == TARGET_BAR_END
            if self.scaled_offset:
                self.circle = steady_centre(gray, self.circle, self.polarity)
            self.offset = np.subtract(xy, (self.circle.x, self.circle.y)) - self.point_offset \
                - self.inner_shift
            self.offset_r = self.radius = self.circle.r
        auto_r = round(0.03 * min(h, w))  # a marker: followed by its whole look
        if self.circle is not None and self.kind != TARGET_POINT:
            auto_r = round(1.35 * self.circle.r)
        self.r = s.template_radius or max(8, auto_r)
        self.min_search = s.min_search or self.r
        self.size = (2 * self.r + 1, 2 * self.r + 1)
        yy, xx = np.mgrid[-self.r:self.r + 1, -self.r:self.r + 1]
        self.disk = (xx * xx + yy * yy) <= self.r * self.r  # what a turned look still covers
        self.last_score = 1.0
        self.lost = 0
        self.reset_at(gray, xy, anchors)

    def reset_at(self, gray: np.ndarray, xy: tuple[float, float],
                 anchors: dict[int, tuple[float, float]]) -> None:
        xy = (xy[0] - self.point_offset[0] - self.inner_shift[0],
              xy[1] - self.point_offset[1] - self.inner_shift[1])  # the look's centre
        self.pos = np.array(xy, float)
        self.vel = np.zeros(2)
        self.template = patch(gray, xy, self.size)
        self.reference = self.template.copy()  # the hand-placed appearance (drift check)
        self.ref_angle = 0.0  # how far the target has turned in the picture since (degrees)
        self.overlay = 0.0  # share of the target last seen covered by something still
        self._turned: dict[float, np.ndarray] = {}
        # past frames, cut down to what _moved_frame's readers take from them (see _keep)
        self.history: deque[KeptFrame] = deque(maxlen=HISTORY)
        self.history.append(KeptFrame(gray, self.pos.copy()))
        self.long_history: deque[KeptFrame] = deque(maxlen=LONG_HISTORY)
        self.long_history.append(KeptFrame(gray, self.pos.copy()))
        self.frames_seen = 0
        self.bank: deque[np.ndarray] = deque(maxlen=BANK_SIZE)
        self.bank_wait = BANK_EVERY
        self.lost = 0
        self.after_cut = False
        self.plate_pos = self.pos + self.inner_shift  # a plate: where its centre is said to be
        self.plate_vel = np.zeros(2)  # px per frame, from the plate's own places
        # plate centre - inner point (parallax changes it)
        self.plate_offset = self.inner_shift.copy()
        # (inner point, offset) where the rim was seen: the offset by place in the picture
        self.offsets_seen: deque[tuple[np.ndarray, np.ndarray]] = deque(maxlen=OFFSETS_KEPT)
        self.offset_from = self.pos.copy()  # where the inner point was when it was measured
        # where it was, and the offsets, when a rim confirmed the offset (not only nudged it)
        self.sure_from = self.pos.copy()
        self.offsets_sure: deque[tuple[np.ndarray, np.ndarray]] = deque(maxlen=OFFSETS_KEPT)
        self.rim_only = 0  # frames in a row placed by the plate's rim alone
        self._rim_tried: tuple[np.ndarray, CircleFit | None] | None = None  # this frame's
        self.rest = RimRest()

    def follow(self, gray: np.ndarray, thumb: Thumbnail | None = None
               ) -> tuple[float, float] | None:
        """The target's position on the next frame (None: lost); ``thumb``: the frame's
        scene thumbnail when made already (:func:`analysis.tracking.scene.thumbnail`)."""
        scene = self.scene.observe(gray, thumb)
        if self.kind != TARGET_PLATE:
            at = self._follow_inner(gray, scene)
            if at is None or not self.point_offset.any():
                return at
            return at[0] + float(self.point_offset[0]), at[1] + float(self.point_offset[1])
        self._rim_tried = None
        quick = self._follow_rim_only(gray, scene)
        if quick is not None:
            self._keep(gray, self.pos.copy())
            return quick
        was_lost = self.lost
        return self._follow_plate(gray, self._follow_inner(gray, scene), was_lost)

    def _follow_inner(self, gray: np.ndarray, scene: SceneVerdict | None = None
                      ) -> tuple[float, float] | None:
        s = self.s
        if scene is None:
            scene = self.scene.observe(gray)
        self.cut_seen = scene.changed
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
        if self.kind == TARGET_PLATE and self.clean_rim and not self.lost and self.r >= 16:
            # the plate's rim placed it on the frames before, so the inner point is within
            # a pixel or two of where it was predicted: a small full-resolution search
            # first (the wide half-resolution one only when the peak is not inside it)
            near = match(gray, self.template, predicted, NEAR_SEARCH)
            if near is not None and near[1] >= s.refresh_score and \
                    max(abs(near[0][0] - predicted[0]), abs(near[0][1] - predicted[1])) \
                    <= NEAR_SEARCH - 1:
                return self._found(gray, near[0], near[1])
        if self.r >= 16 and radius > 6 and min(gray.shape) > 2 * half:
            # coarse search at half resolution, then a small full-resolution search
            x0, y0 = round(predicted[0]) - half, round(predicted[1]) - half
            small = cv2.pyrDown(crop(gray, x0, y0, 2 * half, 2 * half).astype(np.float32))
            coarse = match(small, self._half_template(),
                            ((predicted[0] - x0) / 2.0, (predicted[1] - y0) / 2.0),
                            radius // 2 + 1)
            hit = None
            if coarse is not None:
                c = (x0 + 2 * coarse[0][0], y0 + 2 * coarse[0][1])
                if not self.lost and coarse[1] >= s.refresh_score:
                    if self.kind == TARGET_PLATE and self.clean_rim:
                        # the plate's rim fit gives the answer and measures its offset from
                        # this inner point every frame: the inner point only predicts the
                        # rim, so a clear match needs no drift correction
                        fine = match(gray, self.template, c, 3)
                        if fine is not None and fine[1] >= s.refresh_score:
                            return self._found(gray, fine[0], fine[1])
                    else:
                        # a clear coarse match on a circular target: the circle fit gives
                        # the sub-pixel centre, so the full-resolution search can be skipped
                        refined = self._refine(gray, c)
                        if refined is not None:
                            return self._found(gray, refined, coarse[1])
                hit = match(gray, self.template, c, 3)
        else:
            hit = match(gray, self.template, predicted, radius)
        if hit is not None and hit[1] < s.refresh_score and not self.after_cut:
            # something covers part of the target: compare only the pixels that did not
            # stay still while the target moved (an overlay, an upright in front)
            masked = self._match_moving(gray, predicted, radius, speed)
            if masked is not None and (self.lost or masked[1] > hit[1]):
                hit = masked
        if hit is None:
            if not self.lost:
                return self._miss(0.0)
            hit = ((float(predicted[0]), float(predicted[1])), 0.0)
        xy, score = hit
        if self.lost:  # re-acquire: the hand-placed appearance must agree
            ref = match(gray, self.reference, xy, self.r // 2 + 2)
            if self.after_cut:
                # after a scene change only the hand-placed look counts, and a circular
                # target (bar end, hub) must be there too
                if ref is None or ref[1] < s.recut_score or (
                        self.circle is not None and self._refine(gray, ref[0]) is None):
                    return self._miss(score)
            elif ref is None or max(ref[1], score) < s.reacquire_score:
                # the target may have turned since the seed: its recent looks, and the
                # last one turned a little either way
                again = self._match_bank(gray, predicted,
                                         min(radius, int(4 * self.min_search + 2.5 * speed) + 2))
                if again is None or again[1] < s.reacquire_score:
                    return self._miss(max(score, again[1] if again else 0.0))
                xy, score = again
                self.template = patch(gray, xy, self.size)
        if score < s.lost_score:
            ref = match(gray, self.reference, predicted, radius)
            if ref is None or ref[1] < s.lost_score:
                return self._miss(max(score, ref[1] if ref else 0.0))
            xy, score = ref
        # drift correction: the circle's centre when there is one, else the reference look
        refined = self._refine(gray, xy)
        if refined is not None:
            xy = refined
        else:
            ref = self._match_reference(gray, xy)
            if ref is not None and ref[1] >= s.anchor_score and ref[1] >= score - 0.05:
                xy = ref[0]
                score = max(score, ref[1])
            elif ref is not None and self.kind == TARGET_POINT and ref[1] >= TURNED_SCORE \
                    and (abs(self.ref_angle) >= 3.0 or self.overlay >= OVERLAY_SHARE) \
                    and np.hypot(ref[0][0] - xy[0], ref[0][1] - xy[1]) <= max(1.5, 0.1 * self.r):
                # the target has turned, or something that stays still covers part of it:
                # the hand-placed look (turned the same way, compared where nothing covers
                # it) locates it without the drift a refreshed template gathers
                xy = ref[0]
        return self._found(gray, xy, score)

    def _turned_reference(self, angle: float) -> np.ndarray:
        key = round(angle * 2) / 2
        look = self._turned.get(key)
        if look is None:
            if len(self._turned) > 64:
                self._turned.clear()
            c = (self.r, self.r)
            m = cv2.getRotationMatrix2D(c, key, 1.0)
            look = cv2.warpAffine(self.reference, m, self.size, flags=cv2.INTER_LINEAR,
                                  borderMode=cv2.BORDER_REPLICATE)
            self._turned[key] = look
        return look

    def _match_reference(self, gray: np.ndarray, xy) -> tuple[tuple[float, float], float] | None:
        """Drift correction: the hand-placed look, turned as the target has turned (found
        by trying a little either way each frame), compared on the pixels that did not
        stay still in the picture while the target moved."""
        xy = np.asarray(xy, float)
        still = self._still(gray, xy)
        mask = self.disk if still is None else self.disk & ~still
        if mask.mean() < 0.3:
            return None
        window = max(2, self.r // 3)
        here = match(gray, self._turned_reference(self.ref_angle), xy, window, mask=mask)
        if here is None:
            return None
        best = here
        if here[1] < TURN_PROBE_SCORE:
            # the look has changed: has the target turned? (only a clear gain counts, so
            # a look that changes otherwise, e.g. with perspective, does not turn it)
            left = match(gray, self._turned_reference(self.ref_angle - 2.0), xy, window,
                          mask=mask)
            right = match(gray, self._turned_reference(self.ref_angle + 2.0), xy, window,
                           mask=mask)
            if left is not None and right is not None:
                scores = (left[1], here[1], right[1])
                k = int(np.argmax(scores))
                if k != 1 and scores[k] > here[1] + 0.01:
                    self.ref_angle += (k - 1) * 2.0
                    best = (left, here, right)[k]
                elif k == 1:
                    self.ref_angle += 2.0 * vertex(*scores)
        seen = float(mask.sum()) / float(self.disk.sum())  # share of the target not hidden
        return best[0], best[1] * min(1.0, seen / VISIBLE_SHARE)

    def _found(self, gray: np.ndarray, xy, score: float) -> tuple[float, float]:
        new = np.array(xy)
        self.vel = 0.6 * (new - self.pos) + 0.4 * self.vel if self.lost == 0 else np.zeros(2)
        self.pos = new
        self.lost = 0
        self.after_cut = False
        self.last_score = float(score)
        if score >= self.s.adapt_score:
            self._refresh(gray, new)
        self._keep(gray, new.copy())
        self.bank_wait -= 1
        if self.bank_wait <= 0 and score >= 0.85:
            self.bank.append(self.template.copy())
            self.bank_wait = BANK_EVERY
        return float(xy[0]), float(xy[1])

    def _keep(self, gray: np.ndarray, pos: np.ndarray) -> None:
        """Keep this frame (the target at ``pos``) in the recent history, and every
        ``LONG_EVERY``-th in the long one. A kept frame is read only at its own position
        and at a position ``xy`` that :meth:`_moved_frame` returned it for: the next
        frame kept after it (in its own history) was within ``moved`` of ``xy`` (else
        that one would have been returned), so ``xy`` lies within ``moved`` plus the step
        to that next frame. Once the next frame is kept, only that much is kept of it
        (:class:`analysis.tracking.kept.KeptFrame`): the decoder's picture is let go."""
        self._append(self.history, KeptFrame(gray, pos))
        self.frames_seen += 1
        if self.frames_seen % LONG_EVERY == 0:
            self._append(self.long_history, KeptFrame(gray, pos.copy()))

    def _append(self, kept: deque[KeptFrame], new: KeptFrame) -> None:
        if kept:
            last = kept[-1]
            step = float(np.hypot(*(last.pos - new.pos)))
            last.narrow(self._moved_px() + step + 1.0, self.size)  # 1 px for rounding
        kept.append(new)

    def _moved_px(self) -> float:
        return max(3.0, 0.25 * self.r)

    def _moved_frame(self, xy: np.ndarray) -> KeptFrame | None:
        """The most recent kept frame in which the target was clearly elsewhere (at least
        :meth:`_moved_px` from ``xy``)."""
        d = self._moved_px()
        for past in reversed(self.history):
            if np.hypot(*(past.pos - xy)) >= d:
                return past
        for past in reversed(self.long_history):
            if np.hypot(*(past.pos - xy)) >= d:
                return past
        return None

    def _refresh(self, gray: np.ndarray, xy: np.ndarray) -> None:
        """Take the target's new look, but only the pixels that moved with it: a pixel that
        differs from the same point of the target a few frames ago (a burned-in line the
        target moved past, the background behind it) keeps its old value."""
        new = patch(gray, xy, self.size)
        adopt = np.abs(new - self.template) < CONSISTENT_DIFF  # small changes (turning, light)
        past = self._moved_frame(xy)
        if past is not None:
            # larger changes only where the pixel moved with the target, and did not stay
            # still in the picture while the target moved
            before = past.patch(past.pos, self.size)  # the same point of the target
            there = past.patch(xy, self.size)  # the same place in the picture
            moved = np.abs(new - before) < CONSISTENT_DIFF
            still = (np.abs(new - there) < STATIC_DIFF) & ~adopt
            adopt |= moved & ~still
        self.template = np.where(adopt, new, self.template).astype(np.float32)

    def _still(self, gray: np.ndarray, xy: np.ndarray) -> np.ndarray | None:
        """Template pixels (bool, template shape) that stayed still in the picture while the
        target moved and do not look like the target: a burned-in line, an upright in
        front. None when the target has not moved enough to tell."""
        past = self._moved_frame(xy)
        if past is None:
            return None
        now = patch(gray, xy, self.size)
        then = past.patch(xy, self.size)  # the same place in the picture, earlier
        still = (np.abs(now - then) < STATIC_DIFF) & (np.abs(now - self.template) >= CONSISTENT_DIFF)
        self.overlay = float(still.mean())
        return still

    def _match_moving(self, gray: np.ndarray, predicted: np.ndarray, radius: int, speed: float
                      ) -> tuple[tuple[float, float], float] | None:
        """Match on the pixels that did not stay still while the target moved; the score is
        scaled down by the share of the target hidden that way."""
        still = self._still(gray, predicted)
        if still is None:
            return None
        keep = ~still
        share = float(keep.mean())
        if share < 0.2 or share > 0.97:
            return None
        hit = match(gray, self.template, predicted, radius, mask=keep)
        if hit is None:
            return None
        return hit[0], hit[1] * min(1.0, share / VISIBLE_SHARE)

    def _match_bank(self, gray: np.ndarray, predicted: np.ndarray, radius: int
                    ) -> tuple[tuple[float, float], float] | None:
        looks = list(self.bank)[::-1]
        if looks:
            c = ((self.size[0] - 1) / 2.0, (self.size[1] - 1) / 2.0)
            for a in TURNS:
                m = cv2.getRotationMatrix2D(c, a, 1.0)
                looks.append(cv2.warpAffine(looks[0], m, self.size, flags=cv2.INTER_LINEAR,
                                            borderMode=cv2.BORDER_REPLICATE))
        best = None
        for look in looks:
            hit = match(gray, look, predicted, radius)
            if hit is not None and (best is None or hit[1] > best[1]):
                best = hit
        return best

    def _half_template(self) -> np.ndarray:
        if getattr(self, "_half_src", None) is not self.template:
            self._half_src = self.template
            self._half = cv2.pyrDown(self.template)
        return self._half

    def _refine(self, gray: np.ndarray, xy) -> tuple[float, float] | None:
        if self.circle is None:
            return None
        k = self.radius / self.offset_r if self.scaled_offset else 1.0
        centre = (xy[0] - self.offset[0] * k, xy[1] - self.offset[1] * k)
        fit = refine_centre(gray, centre, self.radius, self.polarity)
        if fit is None or fit.rms > max(1.0, 0.08 * fit.r) or fit.inliers < 0.5:
            return None
        moved = np.hypot(fit.x - centre[0], fit.y - centre[1])
        far = self.kind != TARGET_PLATE and moved > max(REFINE_PX, REFINE_SHARE * self.radius)
        if far or abs(fit.r - self.radius) > 0.2 * self.radius:
            return None  # far: another circle (a plate's hub only predicts where its rim is)
        self.radius = 0.8 * self.radius + 0.2 * fit.r
        if self.scaled_offset:
            k = fit.r / self.offset_r  # the clicked point, scaled with the circle seen now
        return fit.x + self.offset[0] * k, fit.y + self.offset[1] * k

    def _miss(self, score: float) -> None:
        self.lost += 1
        self.last_score = float(score)
        self.vel *= 0.5
        return None
