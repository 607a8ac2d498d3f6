"""Camera motion: how far the picture moved with a hand-held camera, from the background.

The bar path must be measured against the room, not the screen. Like Kinovea's camera
motion estimation, the background's motion is estimated from features away from the
tracked target:

1. corners (``cv2.goodFeaturesToTrack``) are picked on a copy of the frame taking every
   k-th pixel (about ``WORK_SIDE`` px across its short side; cheap at any size, and the
   optical flow's pyramid smooths it), outside a box around the target (the bar, the
   plates and most of the lifter);
2. they are followed frame to frame with pyramidal Lucas-Kanade optical flow;
3. a similarity transform (shift, rotation, zoom) from their positions in a key frame to
   the current frame is fitted robustly (``cv2.estimateAffinePartial2D`` with RANSAC, 1 px
   threshold at full size), so a lifter or a passer-by moving through the picture are
   outliers; when too few corners survive, the current frame becomes the new key frame and
   the transforms are chained.

While the camera stands still (the last ``STILL_RUN`` estimates within ``STILL_STEP_PX``
of each other and of no motion), only every ``STILL_EVERY``-th frame is measured; the
frames between take the values on either side (a tripod clip's are all zero). When an
estimate shows motion, the frames skipped before it are measured one by one after all
(they are kept until then), and every frame is measured until the camera is still again.

At a scene cut (:meth:`CameraWatch.cut`) the chain is restarted: the new shot is taken to
start where the last one ended, so a cut is not mistaken for camera motion. A change of
the whole picture through which the background can still be followed
(:meth:`CameraWatch.follows`: a shake, a fast pan) is measured as motion, not taken for a
cut.

The result per frame is the shift of the picture at the target's position relative to the
seed frame (px). A clip whose estimated shift never reaches ``STILL_PX`` is reported as
filmed from a tripod and left exactly as tracked.
"""

from __future__ import annotations

import cv2
import numpy as np

from analysis.session.track import CAMERA_NOTE_START

WORK_SIDE = 270.0  # px: the short side of the copy the background is followed on
WIN, LEVELS = (13, 13), 2  # optical flow window and pyramid levels (40 px of shake at 1080p)
LK_CRITERIA = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 12, 0.03)
MAX_CORNERS = 60
MIN_POINTS = 12  # fewer inliers than this: re-key (or no estimate)
RANSAC_PX = 1.0  # inlier threshold at full size (px)
EXCLUDE = (0.22, 0.3)  # half-width and half-height of the box around the target (share of W, H)
STILL_PX = 1.0  # px: a clip whose camera never moved this far counts as filmed on a tripod
STILL_STEP_PX = 0.25  # px: estimates this close together (and to no motion): a still camera
STILL_RUN = 4  # this many of them in a row: measure only every STILL_EVERY-th frame
FOLLOW_SHARE = 0.5  # share of the corners that must follow one motion across a change of picture
FOLLOW_ZOOM = 0.1  # and the zoom between the two pictures within this of 1
STILL_EVERY = 10  # (the frames between are kept, and measured after all when it moved)


class CameraWatch:
    """Feed frames in tracking order; :meth:`observe` gives the picture's shift (px) at the
    target relative to the first frame for the frames it measured (not those of a still
    camera that were skipped, nor those whose background could not be followed)."""

    def __init__(self, gray: np.ndarray, target: tuple[float, float]) -> None:
        h, w = gray.shape
        self.step = max(1, int(min(h, w) // WORK_SIDE))
        self.k = 1.0 / self.step
        self.key_to_seed = np.eye(3)  # the key frame's picture in the seed frame's coordinates
        self.last = np.eye(3)  # seed -> current frame (full-size px)
        self.last_shift = np.zeros(2)
        self.still = 0  # estimates in a row that showed no motion
        # frames not looked at since the last estimate: (tag, frame, target)
        self.pending: list[tuple[int, np.ndarray, tuple[float, float] | None]] = []
        small = self._small(gray)
        self.prev = small
        self._rekey(small, target)

    def _small(self, gray: np.ndarray) -> np.ndarray:
        if self.step == 1:
            return gray
        return np.ascontiguousarray(gray[::self.step, ::self.step])

    def _rekey(self, small: np.ndarray, target: tuple[float, float] | None) -> None:
        mask = np.full(small.shape, 255, np.uint8)
        if target is not None:
            h, w = small.shape
            cx, cy = target[0] * self.k, target[1] * self.k
            ex, ey = EXCLUDE[0] * w, EXCLUDE[1] * h
            mask[max(0, int(cy - ey)):max(0, int(cy + ey)), max(0, int(cx - ex)):max(0, int(cx + ex))] = 0
        pts = cv2.goodFeaturesToTrack(small, MAX_CORNERS, 0.01, 8, mask=mask, blockSize=5)
        self.key_pts = np.zeros((0, 1, 2), np.float32) if pts is None else pts.astype(np.float32)
        self.pts = self.key_pts.copy()
        self.key_count = len(self.key_pts)

    def cut(self, gray: np.ndarray, target: tuple[float, float] | None) -> None:
        """A scene cut before ``gray``: the new shot is taken to start where the last one
        ended (its own motion is measured from here on; nothing is chained across)."""
        self.key_to_seed = np.linalg.inv(self.last)
        small = self._small(gray)
        self.prev = small
        self._rekey(small, target)
        self.still = 0
        self.pending.clear()  # left to the values on either side

    def follows(self, gray: np.ndarray) -> bool:
        """Whether the background of the last frame measured can still be followed into
        ``gray``: at least ``FOLLOW_SHARE`` of its corners found again, moved together by
        one shift, turn and zoom (within ``FOLLOW_ZOOM``). Then a change of the whole
        picture (a shake, a fast pan) is the camera moving, not a new shot. Changes nothing."""
        need = max(MIN_POINTS, FOLLOW_SHARE * len(self.pts))
        if len(self.pts) < need:
            return False
        nxt, status, _err = cv2.calcOpticalFlowPyrLK(
            self.prev, self._small(gray), self.pts, None, winSize=WIN, maxLevel=LEVELS,
            criteria=LK_CRITERIA)
        ok = status.ravel() == 1
        if ok.sum() < need:
            return False
        m, inl = cv2.estimateAffinePartial2D(
            self.pts[ok], nxt[ok], method=cv2.RANSAC, ransacReprojThreshold=RANSAC_PX * self.k,
            maxIters=100, confidence=0.99)
        if m is None or inl is None or int(inl.sum()) < need:
            return False
        return abs(float(np.hypot(m[0, 0], m[1, 0])) - 1.0) <= FOLLOW_ZOOM

    def observe(self, gray: np.ndarray, target: tuple[float, float] | None, tag: int = 0
                ) -> list[tuple[int, tuple[float, float]]]:
        """The shift (dx, dy) px of the picture at ``target`` (or the centre) since the first
        frame, as ``[(tag, shift), ...]`` for the frames measured now: none while a still
        camera's frames are skipped; this frame's when it stays still; and when it moved
        since the last measured frame, every frame skipped since (in order) and this one.
        A frame whose background could not be followed is left out."""
        if self.still >= STILL_RUN and len(self.pending) < STILL_EVERY - 1:
            self.pending.append((tag, gray, target))
            return []
        if not self.pending:
            shift = self._measure(gray, target)
            return [] if shift is None else [(tag, shift)]
        saved = self._saved()
        shift = self._measure(gray, target)
        if shift is not None and self.still > 0:  # still over the frames skipped: done
            self.pending.clear()
            return [(tag, shift)]
        # the camera moved somewhere in the frames skipped: measure each of them
        self._restore(saved)
        frames, self.pending = [*self.pending, (tag, gray, target)], []
        out = []
        for t, g, where in frames:
            shift = self._measure(g, where)
            if shift is not None:
                out.append((t, shift))
        return out

    def _saved(self) -> tuple:
        return (self.key_to_seed, self.last, self.last_shift, self.still, self.prev,
                self.key_pts, self.pts, self.key_count)

    def _restore(self, saved: tuple) -> None:
        (self.key_to_seed, self.last, self.last_shift, self.still, self.prev,
         self.key_pts, self.pts, self.key_count) = saved

    def _measure(self, gray: np.ndarray, target: tuple[float, float] | None
                 ) -> tuple[float, float] | None:
        small = self._small(gray)
        est = None
        if len(self.pts) >= MIN_POINTS:
            nxt, status, _err = cv2.calcOpticalFlowPyrLK(
                self.prev, small, self.pts, None, winSize=WIN, maxLevel=LEVELS,
                criteria=LK_CRITERIA)
            ok = status.ravel() == 1
            self.key_pts, self.pts = self.key_pts[ok], nxt[ok]
            if len(self.pts) >= MIN_POINTS:
                m, inl = cv2.estimateAffinePartial2D(
                    self.key_pts, self.pts, method=cv2.RANSAC,
                    ransacReprojThreshold=RANSAC_PX * self.k, maxIters=100, confidence=0.99)
                if m is not None and inl is not None and int(inl.sum()) >= MIN_POINTS:
                    inl = inl.ravel() == 1
                    self.key_pts, self.pts = self.key_pts[inl], self.pts[inl]
                    key_to_cur = np.vstack([m, [0, 0, 1]])
                    s = np.diag([self.k, self.k, 1.0])
                    key_to_cur = np.linalg.inv(s) @ key_to_cur @ s  # full-size px
                    # seed -> key is the inverse of key_to_seed; seed -> current:
                    est = key_to_cur @ np.linalg.inv(self.key_to_seed)
        self.prev = small
        if est is not None:
            self.last = est
        if est is None or len(self.pts) < max(MIN_POINTS, 0.4 * self.key_count):
            # re-key on this frame; its place in the seed frame is the last estimate
            self.key_to_seed = np.linalg.inv(self.last)
            self._rekey(small, None if target is None else (target[0], target[1]))
        if est is None:
            self.still = 0
            return None
        h, w = gray.shape
        px, py = (target if target is not None else (w / 2, h / 2))
        # where the room point now under the target was in the seed frame: the shift
        inv = np.linalg.inv(est)
        sx, sy, _ = inv @ np.array([px, py, 1.0])
        shift = np.array([px - sx, py - sy])
        calm = np.hypot(*(shift - self.last_shift)) < STILL_STEP_PX and \
            np.hypot(*shift) < STILL_PX / 2
        self.still = self.still + 1 if calm else 0
        self.last_shift = shift
        return float(shift[0]), float(shift[1])


def summarise(t: np.ndarray, dx: np.ndarray, dy: np.ndarray) -> str | None:
    """Plain words for the user: how far and when the camera moved; None for a tripod."""
    mag = np.hypot(dx, dy)
    if not np.isfinite(mag).any() or np.nanmax(mag) < STILL_PX:
        return None
    moving = np.flatnonzero(mag >= STILL_PX)
    k = int(np.nanargmax(mag))
    when = f"{t[moving[0]]:.1f}-{t[moving[-1]]:.1f} s"
    return (f"{CAMERA_NOTE_START} (up to {mag[k]:.0f} px, {when}): its motion, measured on the "
            "background, is taken out of the bar path")
