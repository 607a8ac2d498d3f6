"""The plate's centre around a tracked point, found before its rim is measured.

The outer-rim measurement (:func:`analysis.calibration.scale.measure_plate`) samples the
frames on rays around the tracked point and looks for rings: concentric with the point,
a ring is one radius on every ray. A tracked point off the plate's centre (a click on the
plate's face, a marker, a hub followed a few px off) turns each ring into a spread of
radii, and which ring comes out then depended on where the user clicked: on the real
bench clip two clicks 10 px apart measured the rim 167 and 152 px across (an inner lip),
on the real squat in a rack clicks 5-20 px apart read 4.96-5.94 mm/px. So the plate's
centre is found first, from the circles that move with the tracked point
(:func:`analysis.calibration.plate_rim.find_rim`, centres up to 0.9 of their radius
away), and the rim is measured around it: every click inside the plate starts the
measurement from the same centre.
"""

from __future__ import annotations

import cv2
import numpy as np

from analysis.calibration.plate_rim import find_rim
from analysis.tracking.circle import refine_centre

#: a circle whose centre lies up to this share of its radius from the tracked point may
#: be the plate (a point clicked anywhere on the plate's face, short of its rim band)
REACH = 0.9
#: the rough centre of the circles found (Hough on a reduced copy, about a pixel off) is
#: used only for a tracked point further than this share of the radius from it, and
#: without the frames' own fits only when seen on this share of its circumference
ROUGH_SHARE, SURE_SUPPORT = 0.1, 0.5
#: the frames' own rim centres scatter less than this (robust SD, px or share of the
#: radius) about one offset from the tracked point: the point moves with the plate
STEADY_PX, STEADY_SHARE = 0.5, 0.005


def centred(images: dict[int, np.ndarray], centres: dict[int, tuple[float, float]],
            used: list[int], r_min: float, r_max: float) -> dict[int, tuple[float, float]]:
    """``centres`` (frame -> tracked point, px) moved by the one offset that puts them on
    the plate's centre on the frames ``used`` (``images``: their BGR pictures, float32 or
    uint8; rims ``r_min..r_max`` px): the offset of the circle with the most rim edge
    around the tracked point over those frames (the plate's rings are concentric, so any
    of them gives its centre). ``centres`` unchanged when no such circle is found."""
    views = []
    for n in used:
        img = np.asarray(images[n])
        img = img if img.dtype == np.uint8 else np.clip(img, 0, 255).astype(np.uint8)
        views.append((cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img,
                      centres[n]))
    rim = find_rim(views, r_min, r_max, reach=REACH)
    if rim is None:
        return centres
    far = np.hypot(rim.dx, rim.dy) > ROUGH_SHARE * rim.r
    out = {n: (x + rim.dx, y + rim.dy) for n, (x, y) in centres.items()}
    found = {}
    for n, (gray, _p) in zip(used, views, strict=True):
        at = _rim_centre(gray, out[n], rim.r)
        if at is not None:
            found[n] = np.subtract(at, out[n])
    if len(found) < max(3, len(used) // 3):
        # no circle fits the frames closely (an oblique plate is an ellipse, a plate's
        # rings lie close): the circles' rough centre, when it is clearly the plate's
        # (a point near it is left to the rim search, which finds the centre up to a
        # tenth of the radius away, and more closely)
        return out if far and rim.support >= SURE_SUPPORT else centres
    off = np.array(list(found.values()))
    med = np.median(off, axis=0)
    scatter = 1.4826 * float(np.median(np.hypot(*(off - med).T)))
    if scatter <= max(STEADY_PX, STEADY_SHARE * rim.r):
        # the tracked point moves with the plate's centre: one offset, the median of the
        # frames' (each frame's own fit would add its scatter to the ring search)
        return {n: (x + float(med[0]), y + float(med[1])) for n, (x, y) in out.items()}
    # the point turns about the centre (or slides): each frame's own centre where its rim
    # was fitted
    return {n: (x + float(found[n][0]), y + float(found[n][1])) if n in found else (x, y)
            for n, (x, y) in out.items()}


def _rim_centre(gray: np.ndarray, start: tuple[float, float], r: float
                ) -> tuple[float, float] | None:
    """The centre of the circle of about ``r`` px fitted around ``start`` on one frame
    (each polarity tried: a plate's rim and the lip inside it are edges of opposite
    sign, and an edge of either sign on each ray fits neither), or None when it is not
    clearly seen there."""
    best = None
    for pol in (-1, 1):
        at: tuple[float, float] = start
        fit = None
        for band in ((0.85, 1.15), (0.93, 1.07)):
            fit = refine_centre(gray, at, r, pol, band=band)
            if fit is None:
                break
            at = (fit.x, fit.y)
        if fit is None or fit.inliers < 0.6 or fit.rms > max(0.5, 0.01 * fit.r) or \
                abs(fit.r - r) > 0.1 * r or np.hypot(at[0] - start[0], at[1] - start[1]) > 0.2 * r:
            continue
        if best is None or fit.rms / fit.inliers < best[0]:
            best = (fit.rms / fit.inliers, at)
    return None if best is None else best[1]
