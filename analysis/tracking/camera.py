"""Camera motion: how far the picture moved with a hand-held camera, from the background.

The bar path must be measured against the room, not the screen. Like Kinovea's camera
motion estimation, the background's motion is estimated from features away from the
tracked target:

1. corners (``cv2.goodFeaturesToTrack``) are picked on a copy of the frame taking every
   k-th pixel (about 320 px or more across its short side; cheap at any size, and the
   optical flow's pyramid smooths it), outside a box around the target (the bar, the plates and most of
   the lifter);
2. they are followed frame to frame with pyramidal Lucas-Kanade optical flow;
3. a similarity transform (shift, rotation, zoom) from their positions in a key frame to
   the current frame is fitted robustly (``cv2.estimateAffinePartial2D`` with RANSAC, 1 px
   threshold at full size), so a lifter or a passer-by moving through the picture are
   outliers; when too few corners survive, the current frame becomes the new key frame and
   the transforms are chained.

The result per frame is the shift of the picture at the target's position relative to the
seed frame (px). A clip whose estimated shift never reaches ``STILL_PX`` is reported as
filmed from a tripod and left exactly as tracked.
"""

from __future__ import annotations

import cv2
import numpy as np

WORK_SIDE = 320.0
WIN, LEVELS = (15, 15), 2  # optical flow window and pyramid levels (40 px of shake at 1080p)  # px: the short side of the copy the background is followed on
MAX_CORNERS = 120
MIN_POINTS = 12  # fewer inliers than this: re-key (or no estimate)
RANSAC_PX = 1.0  # inlier threshold at full size (px)
EXCLUDE = (0.22, 0.3)  # half-width and half-height of the box around the target (share of W, H)
STILL_PX = 1.0  # px: a clip whose camera never moved this far counts as filmed on a tripod


class CameraWatch:
    """Feed frames in tracking order; :meth:`observe` gives the picture's shift (px) at the
    target relative to the first frame, or None when it cannot be estimated."""

    def __init__(self, gray: np.ndarray, target: tuple[float, float]) -> None:
        h, w = gray.shape
        self.step = max(1, int(min(h, w) // WORK_SIDE))
        self.k = 1.0 / self.step
        self.key_to_seed = np.eye(3)  # the key frame's picture in the seed frame's coordinates
        self.last = np.eye(3)  # seed -> current frame (full-size px)
        self._rekey(self._small(gray), target)

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
        self.prev = small
        self.key_count = len(self.key_pts)

    def observe(self, gray: np.ndarray, target: tuple[float, float] | None
                ) -> tuple[float, float] | None:
        """The shift (dx, dy) px of the picture at ``target`` (or the centre) since the first
        frame; None when the background cannot be followed in this frame."""
        small = self._small(gray)
        est = None
        if len(self.pts) >= MIN_POINTS:
            nxt, status, _err = cv2.calcOpticalFlowPyrLK(
                self.prev, small, self.pts, None, winSize=WIN, maxLevel=LEVELS,
                criteria=(cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 20, 0.03))
            ok = status.ravel() == 1
            self.key_pts, self.pts = self.key_pts[ok], nxt[ok]
            if len(self.pts) >= MIN_POINTS:
                m, inl = cv2.estimateAffinePartial2D(
                    self.key_pts, self.pts, method=cv2.RANSAC,
                    ransacReprojThreshold=RANSAC_PX * self.k, maxIters=200, confidence=0.99)
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
            return None
        h, w = gray.shape
        px, py = (target if target is not None else (w / 2, h / 2))
        # where the room point now under the target was in the seed frame: the shift
        inv = np.linalg.inv(est)
        sx, sy, _ = inv @ np.array([px, py, 1.0])
        return float(px - sx), float(py - sy)


def summarise(t: np.ndarray, dx: np.ndarray, dy: np.ndarray) -> str | None:
    """Plain words for the user: how far and when the camera moved; None for a tripod."""
    mag = np.hypot(dx, dy)
    if not np.isfinite(mag).any() or np.nanmax(mag) < STILL_PX:
        return None
    moving = np.flatnonzero(mag >= STILL_PX)
    k = int(np.nanargmax(mag))
    return (f"the camera moved (up to {mag[k]:.0f} px, {t[moving[0]]:.1f}-{t[moving[-1]]:.1f} s): "
            "its motion, measured on the background, is taken out of the bar path")
