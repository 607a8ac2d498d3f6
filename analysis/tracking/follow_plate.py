"""Following a plate by its rim: the part of the tracker's per-frame state
(:class:`analysis.tracking.follow.FollowState`) that places a plate's centre.

Most frames, the rim clearly seen (or found where the plate's own motion puts it) is the
answer; the inner point (hub or sleeve end) is matched by its look at least every
``INNER_EVERY``-th frame, and whenever the rim is not clearly seen. When the rim is not
where the inner point puts it, it is looked for where the plate's own motion puts it
(:mod:`analysis.tracking.recover`): an inner point whose match slid off (a dropped bar's
impact and bounce) is put back on the plate, not followed; one found again after a loss,
or far from where the plate's motion puts it, counts only with its rim around it.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from analysis.tracking.circle import CircleFit, refine_centre, refine_ellipse_centre
from analysis.tracking.matching import patch
from analysis.tracking.recover import rim_around, rim_nearby
from analysis.tracking.rest import RimRest
from analysis.tracking.scene import SceneVerdict
from analysis.tracking.targets import RIM_BAND, RIM_MAX_RMS, follow_rim

INNER_EVERY = 4  # a plate: its inner point matched by its look at least every 4th frame
RIM_CLEAR = 0.9  # share of rays that see the rim for the rim alone to place the plate
# or a rim seen on fewer rays whose centre lies within this share of the radius of where the
# plate's motion put it (on the 1080p bench clip, 85 % of the partly seen rims: median 0.7 %)
RIM_AGREE_SHARE = 0.02
# a rim looked for from within this of where it was already looked for on the frame is not
# looked for again (on the 1080p bench clip, fits started 1-2 px apart differ by at most
# 0.21 px, median 0.06: the fit hardly depends on where it starts)
SAME_RIM_PX = 2.0
AGREE_SHARE = 0.1  # a rim found this near (share of r) where the inner point put it: agrees
LOST_RIM_FRAMES = 15  # a rim seen in part places a plate whose inner point was lost this recently
JUMP_SHARE = 0.5  # an inner point this far (share of r) from the plate's motion needs its rim
FAR_SHARE = 0.5  # the inner point this far (share of r) from the last offset: the offset seen nearest
# px per frame: a plate moving slower than this may be at rest; its rim is first compared
# with the frame of its last fit (:mod:`analysis.tracking.rest`) and not fitted again when
# it has not moved (on the 1080p bench clip, the plate rests on ~40 % of the frames)
REST_SPEED = 0.25
# The plate's offset from its inner point changes with parallax as the bar moves: the inner
# point (the sleeve end, nearer the camera than the plate's face) moves farther in the
# picture than the plate's centre. On the real 60 fps squat filmed from below (1080x1920)
# the sleeve end moved 20-30 % farther than the plate's centre, smoothly. A rim seen only
# in part (a plate smeared by its speed) that puts the plate farther from its inner point's
# offset than this share of the inner point's travel since the offset was measured, plus
# OFFSET_SLACK of the radius, is another circle (an inner ring, the smear's edge): 16-37 px
# off on that clip, moving the plate against its motion.
PARALLAX_SHARE, PARALLAX_MOST = 0.3, 0.5
OFFSET_SLACK = 0.03
# the inner point puts the plate within this share of the radius of where the plate's own
# motion puts it: matched on its way with the plate (real squat: within 0.03 of the radius
# on every frame a rim was seen in part; an inner point whose look slid along a smeared
# sleeve, 0.17-0.37)
INNER_AGREE_SHARE = 0.05
# a rim seen in part this share larger than the plate is another circle (real squat: 16-37
# px off where it was 3-7 % larger, the smear and what lies beyond the rim; generated
# smeared plates: within 1.3 %); a plate farther from the camera looks smaller (the real
# squat's, 7 % at the bottom, seen there after its rim was smeared on the way down)
WEAK_LARGER, WEAK_SMALLER = 0.025, 0.1
# a rim seen on this share of the rays or more places the plate as before (real deadlift2,
# filmed low and close: fits on 0.79-0.86 of the rays at the top of a pull were the rim,
# 14-17 px from where the inner point's offset put it; on the real squat the circles off
# the rim were seen on 0.56-0.67)
RIM_TRUST = 0.75
# A plate placed by its inner point farther than STALE_TRAVEL of its radius (a diameter)
# from every place where its offset was seen (parallax may have moved it by up to
# PARALLAX_SHARE of that since) is placed with UNSURE_CONFIDENCE: below the track's
# TRUSTED_CONFIDENCE (the analysis's LOW_CONFIDENCE), so a rep through such frames is flagged, not measured as sure (on the
# real squat the rim was not seen for 1.6 radii of the way down, and the offset held
# within 10 px; the sleeve end's own parallax there was 20 % of its travel)
STALE_TRAVEL = 2.0
UNSURE_CONFIDENCE = 0.25
# Such a frame is vouched for after all when the plate's own rim, seen in part (on at least
# PART_INLIERS of the rays, tightly: RIM_MAX_RMS of the radius, as a circle or an ellipse),
# is centred within PART_AGREE_SHARE of the radius of where the plate was placed: too
# little of the rim to place the plate, enough to check it. Its size may differ by
# PART_SIZE from the radius last followed (unseen meanwhile, the plate came nearer the
# camera or went away: 18 % over the real test3 squat). On that squat (360x480, a dark plate
# against dark clothes at the bottom of each rep) the rim was never seen clearly there, so
# every rep whose offset had moved a pixel or two was flagged (reps 1, 2, 3 and 5, 97
# frames; an independent fit of the rim there found the dot 1.7 px from the plate's centre,
# median, as on the sure frames: 1.3). The rim seen in part now vouches for 84 of them; the
# 13 left, rep 3's bottom and one frame of rep 5, are the clip's worst (rim 0.1-0.13 of the
# radius off; independent fit median 3.8 px). On a generated smeared plate a partial rim
# 0.15 of the radius off was beside a plate 15 px (0.16) off the truth: the bound stays at
# AGREE_SHARE.
PART_INLIERS = 0.4
PART_AGREE_SHARE = AGREE_SHARE
PART_SIZE = 0.15
# The rim unseen and the inner point far from where the offset was measured, the offset
# measured nearest to the inner point's place is taken (parallax depends on the place); it
# is eased in at this share of the plate's motion a frame (plus half a pixel), the rate
# parallax moves it (PARALLAX_SHARE: the sleeve end moved 20-30 % farther than the plate's
# centre on the real squat), not switched at once: on that squat's way up, the switch to
# the offset measured on the way down moved the plate 8.7 px in one frame against its
# hand-labelled motion (a false velocity spike); eased, over three frames
EASE_SHARE = PARALLAX_SHARE


class PlateFollowing:
    """The plate-placing half of :class:`analysis.tracking.follow.FollowState`, which sets
    the state declared here (positions and velocities in px and px per frame)."""

    clean_rim: bool
    oblique: bool
    after_cut: bool
    cut_seen: bool
    lost: int
    rim_only: int
    rim_step: float
    plate_r: float
    plate_pol: int
    last_score: float
    pos: np.ndarray
    vel: np.ndarray
    click_offset: np.ndarray
    plate_pos: np.ndarray
    plate_vel: np.ndarray
    plate_offset: np.ndarray
    offsets_seen: deque[tuple[np.ndarray, np.ndarray]]
    offset_from: np.ndarray
    sure_from: np.ndarray
    offsets_sure: deque[tuple[np.ndarray, np.ndarray]]
    template: np.ndarray
    size: tuple[int, int]
    rest: RimRest
    _rim_tried: tuple[np.ndarray, CircleFit | None] | None

    def _follow_rim_only(self, gray: np.ndarray, scene: SceneVerdict
                         ) -> tuple[float, float] | None:
        """Most frames of a plate: its rim, clearly seen or found where the plate's motion
        puts it, is the answer. The inner point is matched by its look only every
        ``INNER_EVERY``-th frame (to keep its offset from the centre current: parallax
        changes it) and whenever the rim is not clearly seen; None then."""
        if not self.clean_rim or self.lost or self.after_cut or scene.changed or \
                self.rim_only >= INNER_EVERY - 1:
            self.rim_only = 0
            return None
        # this runs on most frames: its 2-vector arithmetic in plain floats (the same
        # operations, element by element, as on the state's arrays)
        (px, py), (vx, vy) = self.plate_pos.tolist(), self.vel.tolist()
        ox, oy = self.click_offset.tolist()
        rim_x, rim_y = px + vx - ox, py + vy - oy
        # a plate at rest: its rim has not moved since its last fit
        fit = self.rest.still(gray) if np.hypot(vx, vy) < REST_SPEED else None
        if fit is None:
            fit = follow_rim(gray, (rim_x, rim_y), self.plate_r,
                             self.plate_pol, self.oblique, self.rim_step)
            self._rim_tried = (np.array((rim_x, rim_y)), fit)
            # a rim seen in part (a plate on a dark floor) counts where the plate's motion
            # put it
            if fit is None or (fit.inliers < RIM_CLEAR and np.hypot(
                    fit.x - rim_x, fit.y - rim_y) > RIM_AGREE_SHARE * self.plate_r):
                self.rim_only = 0
                self.rest.forget()
                return None
            if fit.inliers >= RIM_CLEAR:
                self.rest.fitted(gray, fit)
            else:
                self.rest.forget()
        self.rim_only += 1
        self.cut_seen = False
        self.plate_r = 0.8 * self.plate_r + 0.2 * fit.r
        px, py = fit.x + ox, fit.y + oy
        (qx, qy), (sx, sy) = self.plate_offset.tolist(), self.pos.tolist()
        ix, iy = px - qx, py - qy
        self._plate_at(np.array((px, py)))
        self.vel = np.array((0.6 * (ix - sx) + 0.4 * vx, 0.6 * (iy - sy) + 0.4 * vy))
        self.pos = np.array((ix, iy))
        self.offset_from = self.sure_from = self.pos  # the plate itself placed: its offset holds
        self.last_score = float(min(1.0, fit.inliers))
        return px, py

    def _follow_plate(self, gray: np.ndarray, inner: tuple[float, float] | None,
                      was_lost: int = 0) -> tuple[float, float] | None:
        """The plate centre: the rim's circle fitted around the inner point's motion
        (``was_lost``: frames the inner point had been lost before this one)."""
        if inner is not None:
            pred = np.array(inner) + self.plate_offset
        elif self.after_cut:
            return None
        else:
            pred = self.plate_pos
        rim_pred = pred - self.click_offset
        tried = self._rim_tried
        if tried is not None and np.hypot(*(tried[0] - rim_pred)) <= SAME_RIM_PX:
            fit = tried[1]  # looked for from (nearly) the same place this frame already
        else:
            fit = follow_rim(gray, (float(rim_pred[0]), float(rim_pred[1])), self.plate_r,
                             self.plate_pol, self.oblique, self.rim_step)
        if fit is None and inner is not None:
            # parallax makes the offset depend on where the bar is in the picture: the
            # offset measured where the inner point was nearest to where it is now (back on
            # the floor after a fast lift, the one measured there before the lift)
            near = self._offset_near(np.asarray(inner, float))
            if near is not None and np.hypot(*(near - self.plate_offset)) > SAME_RIM_PX:
                held, self.plate_offset = self.plate_offset, near
                pred = np.array(inner) + near
                rim_pred = pred - self.click_offset
                fit = follow_rim(gray, (float(rim_pred[0]), float(rim_pred[1])), self.plate_r,
                                 self.plate_pol, self.oblique, self.rim_step)
                if fit is None:
                    # the rim not seen there either: the plate moves on at an offset eased
                    # towards the one measured nearest, as fast as parallax changes it
                    # (EASE_SHARE), not switched at once
                    self.plate_offset = self._eased(held, near)
                    pred = np.array(inner) + self.plate_offset
                    rim_pred = pred - self.click_offset
        slid = False  # the inner point's match slid off the plate
        if fit is None:
            # the rim is not where the inner point's match puts it: the match may have
            # slid off the inner point (a bar dropped on the floor: blur, a bounce, the
            # plate rolling; or the inner point is lost), so the rim is looked for where
            # the plate's own motion puts it, then where it was
            fit = self._recover_rim(gray, rim_pred, was_lost if inner is not None else self.lost)
            slid = fit is not None and (inner is None or np.hypot(
                fit.x - rim_pred[0], fit.y - rim_pred[1]) > AGREE_SHARE * self.plate_r)
        if fit is not None and inner is not None and fit.inliers < RIM_TRUST and not was_lost \
                and np.hypot(*(pred - self.plate_pos - self.plate_vel)) <= \
                INNER_AGREE_SHARE * self.plate_r:
            # a rim seen in part (smeared by the plate's speed) while the inner point was
            # matched on its way with the plate: the inner point places the plate, the rim
            # only nudges its offset (parallax changes it smoothly); a rim farther off than
            # parallax can have moved it is another circle (an inner ring, the smear's edge)
            if self._nudge_offset(fit, np.asarray(inner, float)):
                self.rest.forget()
                self._plate_at(np.asarray(inner, float) + self.plate_offset)
                # an offset nudged only part of the way to its rim is not confirmed by it
                doubt = self._offset_stale(np.asarray(inner, float)) and \
                    not self._rim_agrees(gray, self.plate_pos)
                self.last_score = UNSURE_CONFIDENCE if doubt else \
                    min(self.last_score, max(fit.inliers, 0.5))
                return float(self.plate_pos[0]), float(self.plate_pos[1])
            fit, slid = None, False
        if fit is None or fit.inliers < RIM_CLEAR:
            self.rest.forget()
        else:
            self.rest.fitted(gray, fit)
        if fit is None and inner is not None and (was_lost or np.hypot(
                *(pred - self.plate_pos - self.plate_vel)) > JUMP_SHARE * self.plate_r):
            # the inner point's look found again after a loss, or far from where the
            # plate's motion puts it, and no rim around it: the look may be on something
            # else (the background behind a blurred drop), so the plate is lost where it
            # was until its rim is seen
            self.pos = self.plate_pos - self.plate_offset
            self.vel = np.zeros(2)
            self.lost = was_lost + 1
            return None
        if fit is None:
            if inner is None:
                return None
            # the rim is not seen (a hand, blur, the frame edge): the inner point moved
            # with the plate, at the offset from the centre measured last or nearest; how
            # sure that is depends on how far it moved since (parallax)
            self._plate_at(pred)
            doubt = self._offset_stale(np.asarray(inner, float)) and \
                not self._rim_agrees(gray, pred)
            self.last_score = min(self.last_score, UNSURE_CONFIDENCE if doubt else 0.75)
            return float(pred[0]), float(pred[1])
        # without the inner point only a clearly seen rim counts, or one found where the
        # plate's motion put it within LOST_RIM_FRAMES of losing the inner point
        if inner is None and fit.inliers < 0.75 and self.lost > LOST_RIM_FRAMES:
            return None
        slid = slid or inner is None
        self.plate_r = 0.8 * self.plate_r + 0.2 * fit.r
        self._plate_at(np.array([fit.x, fit.y]) + self.click_offset)
        if slid:
            # the inner point is where the plate puts it, moving with the plate, and its
            # look is taken again there
            self.pos = self.plate_pos - self.plate_offset
            self.offset_from = self.sure_from = self.pos
            self.vel = self.plate_vel.copy()
            self.template = patch(gray, self.pos, self.size)
            self.lost = 0
            self.last_score = fit.inliers
        elif inner is not None:
            self.plate_offset = self.plate_pos - np.array(inner)
            self.offset_from = self.sure_from = np.array(inner, float)
            self.offsets_seen.append((np.array(inner, float), self.plate_offset.copy()))
            self.offsets_sure.append(self.offsets_seen[-1])
            self.last_score = min(self.last_score, max(fit.inliers, 0.5))
        else:
            self.last_score = fit.inliers
        return float(self.plate_pos[0]), float(self.plate_pos[1])

    def _eased(self, held: np.ndarray, near: np.ndarray) -> np.ndarray:
        """The offset ``held`` moved towards ``near`` by at most what parallax changes in a
        frame at the plate's speed (:data:`EASE_SHARE` of it, plus half a pixel), px."""
        step = near - held
        most = 0.5 + EASE_SHARE * float(np.hypot(*self.plate_vel))
        return held + step * min(1.0, most / max(float(np.hypot(*step)), 1e-9))

    def _plate_at(self, new: np.ndarray) -> None:
        """The plate centre placed at ``new`` (px) on this frame; its velocity follows."""
        self.plate_vel = 0.6 * (new - self.plate_pos) + 0.4 * self.plate_vel
        self.plate_pos = new

    def _recover_rim(self, gray: np.ndarray, tried: np.ndarray, lost: int = 0
                     ) -> CircleFit | None:
        """The plate's rim looked for where the plate's own motion puts it, then where it
        was placed last (:func:`analysis.tracking.recover.rim_around`); while the plate is
        ``lost`` (frames, up to ``LOST_RIM_FRAMES``) also among the circles of its size
        around its last place (:func:`analysis.tracking.recover.rim_nearby`: it may have
        bounced and rolled meanwhile). ``tried``: a start already tried on this frame."""
        last = self.plate_pos - self.click_offset
        look = (self.plate_r, self.plate_pol, self.oblique, self.rim_step)
        fit = rim_around(gray, (last + self.plate_vel, last), tried, *look)
        if fit is None and 0 < lost <= LOST_RIM_FRAMES:
            fit = rim_nearby(gray, last, *look)
        return fit

    def _nudge_offset(self, fit: CircleFit, inner: np.ndarray) -> bool:
        """Move the plate's offset from ``inner`` towards the one a rim seen in part
        (``fit``) gives, by at most what parallax changes in a frame
        (:data:`PARALLAX_SHARE` of the plate's motion, plus half a pixel).
        False (and nothing changed) when the rim is farther off than parallax can have
        moved it since the offset was last measured (:data:`PARALLAX_SHARE` of the inner
        point's travel since, plus :data:`OFFSET_SLACK` of the radius)."""
        diff = np.array([fit.x, fit.y]) + self.click_offset - inner - self.plate_offset
        moved = float(np.hypot(*(inner - self.offset_from)))
        off = float(np.hypot(*diff))
        if off > OFFSET_SLACK * self.plate_r + PARALLAX_MOST * moved or \
                not -WEAK_SMALLER <= fit.r / self.plate_r - 1.0 <= WEAK_LARGER:
            return False
        most = 0.5 + PARALLAX_SHARE * float(np.hypot(*self.plate_vel))
        self.plate_offset = self.plate_offset + diff * min(1.0, most / max(off, 1e-9))
        self.offset_from = inner
        self.offsets_seen.append((inner.copy(), self.plate_offset.copy()))
        if off - most <= OFFSET_SLACK * self.plate_r:
            # the offset reached (nearly) where the rim puts it: confirmed here; one that
            # moved only part of the way (the rim seen farther off than parallax changes it
            # in a frame) is not, and the frames placed by it are as sure as the last
            # offset that was (:meth:`_offset_stale`)
            self.sure_from = inner
            self.offsets_sure.append(self.offsets_seen[-1])
        self.plate_r = 0.8 * self.plate_r + 0.2 * fit.r  # (it looks smaller farther away)
        return True

    def _offset_stale(self, inner: np.ndarray) -> bool:
        """Whether the plate's offset from ``inner`` may have changed much since it was
        seen: the rim has not confirmed it within :data:`STALE_TRAVEL` of the radius of
        ``inner`` (a rim seen in part that moved the offset only part of the way to it does
        not confirm it), neither where it was last confirmed nor at any place where the same
        offset (within :data:`OFFSET_SLACK` of the radius) was measured (parallax depends
        on the place in the picture: a squat's way up passes where its way down was seen)."""
        reach = STALE_TRAVEL * self.plate_r
        if np.hypot(*(inner - self.sure_from)) <= reach:
            return False
        if not self.offsets_sure:
            return True
        seen = np.array([np.concatenate(e) for e in self.offsets_sure])
        near = np.hypot(seen[:, 0] - inner[0], seen[:, 1] - inner[1]) <= reach
        same = np.hypot(seen[:, 2] - self.plate_offset[0], seen[:, 3] - self.plate_offset[1]) \
            <= OFFSET_SLACK * self.plate_r
        return not bool(np.any(near & same))

    def _rim_agrees(self, gray: np.ndarray, placed: np.ndarray) -> bool:
        """Whether the plate's rim, seen at least in part (:data:`PART_INLIERS` of the
        rays, as a circle or, the plate filmed off its axis, an ellipse), is centred within
        :data:`PART_AGREE_SHARE` of the radius of the plate ``placed`` (its centre, px): the
        check that vouches for a plate placed by a stale offset (:meth:`_offset_stale`)."""
        x, y = (placed - self.click_offset).tolist()
        r = self.plate_r
        for fit in (refine_centre(gray, (x, y), r, self.plate_pol, band=RIM_BAND),
                    refine_ellipse_centre(gray, (x, y), r, self.plate_pol, band=RIM_BAND)):
            if fit is not None and fit.inliers >= PART_INLIERS and \
                    fit.rms <= max(1.0, RIM_MAX_RMS * fit.r) and \
                    abs(fit.r - r) <= PART_SIZE * r and \
                    np.hypot(fit.x - x, fit.y - y) <= PART_AGREE_SHARE * r:
                return True
        return False

    def _offset_near(self, inner: np.ndarray) -> np.ndarray | None:
        """The plate's offset from its inner point measured with the inner point nearest
        to ``inner``, once the inner point has moved more than ``FAR_SHARE`` of the plate's
        radius from where the offset was last measured (None before that, or before any)."""
        if not self.offsets_seen or \
                np.hypot(*(self.offsets_seen[-1][0] - inner)) <= FAR_SHARE * self.plate_r:
            return None
        where = np.array([p for p, _ in self.offsets_seen])
        k = int(np.argmin(np.hypot(where[:, 0] - inner[0], where[:, 1] - inner[1])))
        return self.offsets_seen[k][1].copy()
