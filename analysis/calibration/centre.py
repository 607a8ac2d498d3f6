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

from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np

from analysis.calibration.plate_rim import find_rim
from analysis.session.calibration import Calibration
from analysis.tracking.circle import refine_centre

#: a circle whose centre lies up to this share of its radius from the tracked point may
#: be the plate (a point clicked anywhere on the plate's face, short of its rim band)
REACH = 0.9
#: the frames' own rim fits must confirm the circle found on at least this share of the
#: frames measured (and 3): the circles found over the frames (Hough on a reduced copy) may
#: be arcs of an ellipse or of lettering, not the plate
CONFIRM_SHARE = 1 / 3
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
    out = {n: (x + rim.dx, y + rim.dy) for n, (x, y) in centres.items()}
    found = {}
    for n, (gray, _p) in zip(used, views, strict=True):
        at = _rim_centre(gray, out[n], rim.r)
        if at is not None:
            found[n] = np.subtract(at, out[n])
    if len(found) < max(3, CONFIRM_SHARE * len(used)):
        # no circle fits the frames closely: the circle found is not the plate's rim (an
        # oblique plate's rim is an ellipse, and Hough fits circles to arcs of it, of its
        # inner ring or of the lettering; their centres lie anywhere inside the plate), and
        # the tracked point is left as it is (the rim search finds the centre up to a tenth
        # of the radius away). The circles' rough centre was used here when it lay over a
        # tenth of the radius away and was seen on half of its circumference: on the
        # generated oblique bumper plate (240 px, axes 0.7) tracked at its true centre, a
        # circle 75 px across 18 px off was seen on 0.49-0.61 of it depending on the
        # clip's encoding, and the rim read 240.0 or 253.8 px
        return centres
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


def from_starts(measure: Callable[[dict[int, tuple[float, float]]], Calibration],
                centres: dict[int, tuple[float, float]], step: float) -> Calibration:
    """The rim measured by ``measure`` (centres -> Calibration, ValueError when no rim is
    found) from the plate's ``centres`` and from them moved ``step`` px (the least 1 px or
    0.2 % of the picture's short side) either way along a diagonal: the measurement with
    the median diameter, its ``scale_sd_pct`` the half range of the diameters (in
    quadrature with the spread over frames over the square root of their number; at least
    1 % when a start found no rim). A clear rim gives one diameter from each start; a
    partly seen or dark one may not (the real deadlift clip: 242.5-244.5 px from starts
    1-3 px apart), and where the user clicks moves the start as much. ValueError when no
    start finds a rim."""
    done = []
    error: ValueError | None = None
    for k in (0.0, 1.0, -1.0):
        try:
            done.append(measure({n: (x + k * step, y + k * step)
                                 for n, (x, y) in centres.items()}))
        except ValueError as e:
            error = e
    if not done:
        assert error is not None
        raise error
    d = np.array([c.reference_px for c in done])
    cal = done[int(np.argsort(d)[len(d) // 2])]
    frames = (cal.spread_pct or 0.0) / np.sqrt(max(cal.frames, 1))
    starts = 50.0 * float(d.max() - d.min()) / float(np.median(d))
    if len(done) < 3:  # a start that found no rim: the rim is not clear
        starts = max(starts, 1.0)
    return replace(cal, scale_sd_pct=round(float(np.hypot(frames, starts)), 3))
