"""Finding a followed plate's rim again when the point that predicts it has slid off.

A plate's centre is followed as the centre of its rim, looked for where its inner point
(hub or sleeve end, matched by its look) puts it (:mod:`analysis.tracking.follow`). When
a bar is dropped the inner point's look is blurred at the impact and the plate bounces
and rolls: the match slides along the fall's extrapolation, or is lost and found again on
the background. The rim is then looked for where the plate's own motion puts it and where
it was placed last (:func:`rim_around`), and, while the plate is lost, among the circles of
its size around its last place (:func:`rim_nearby`). Every candidate must pass
:func:`analysis.tracking.targets.follow_rim`'s checks (share of rays, roundness, radius).
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from analysis.tracking.circle import CircleFit
from analysis.tracking.targets import follow_rim

# a rim partly hidden (a dark plate on a dark floor mat) is found from some starts and not
# from others a few px away (real deadlift2, frames 208-240: found from 2-7 of 7 starts up
# to 20 px apart, the centres found within ~2 px of each other): each place is tried from
# its centre and from this share of the radius either way
RECOVER_STEP = 0.08
SAME_START_PX = 2.0  # a start this near one already tried on the frame is skipped
# circles of the plate's size within this share of its radius of its last place (Hough on
# a copy where the rim is ~NEARBY_R px), the NEARBY_TRIES nearest tried
NEARBY_SHARE, NEARBY_R, NEARBY_TRIES = 1.0, 60.0, 4


def rim_around(gray: np.ndarray, places: Sequence[np.ndarray], tried: np.ndarray,
               radius: float, polarity: int, oblique: bool, step_share: float
               ) -> CircleFit | None:
    """The first rim found around ``places`` (rim centres, px, in order), each tried from
    its centre and ``RECOVER_STEP`` of the radius either way; starts within
    ``SAME_START_PX`` of ``tried`` are skipped. None when no start finds it."""
    d = RECOVER_STEP * radius
    for c in places:
        for dx, dy in ((0.0, 0.0), (d, 0.0), (-d, 0.0), (0.0, d), (0.0, -d)):
            x, y = float(c[0] + dx), float(c[1] + dy)
            if np.hypot(x - tried[0], y - tried[1]) <= SAME_START_PX:
                continue
            fit = follow_rim(gray, (x, y), radius, polarity, oblique, step_share)
            if fit is not None:
                return fit
    return None


def rim_nearby(gray: np.ndarray, centre: np.ndarray, radius: float, polarity: int,
               oblique: bool, step_share: float) -> CircleFit | None:
    """The rim among the circles of about ``radius`` px (0.85-1.15x; Hough gradient
    method on a copy scaled so the rim is ~``NEARBY_R`` px) whose centres lie within
    ``NEARBY_SHARE`` of the radius of ``centre``, the nearest tried first; None when
    none is a rim."""
    r = radius
    half = int(NEARBY_SHARE * r) + int(1.2 * r)
    cx, cy = int(round(centre[0])), int(round(centre[1]))
    x0, y0 = max(cx - half, 0), max(cy - half, 0)
    sub = gray[y0:max(cy + half, 0), x0:max(cx + half, 0)]
    if min(sub.shape) < r:
        return None
    k = min(1.0, NEARBY_R / r)
    if k < 1.0:
        sub = cv2.resize(sub, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
    found = cv2.HoughCircles(cv2.GaussianBlur(sub, (0, 0), 1.5), cv2.HOUGH_GRADIENT, dp=1,
                             minDist=0.3 * r * k, param1=80, param2=15,
                             minRadius=int(0.85 * r * k), maxRadius=int(1.15 * r * k) + 1)
    if found is None:
        return None
    near = sorted((float(np.hypot(x0 + x / k - centre[0], y0 + y / k - centre[1])),
                   x0 + x / k, y0 + y / k) for x, y, _ in found[0])
    for dist, x, y in near[:NEARBY_TRIES]:
        if dist > NEARBY_SHARE * r:
            break
        fit = follow_rim(gray, (float(x), float(y)), r, polarity, oblique, step_share)
        if fit is not None:
            return fit
    return None
