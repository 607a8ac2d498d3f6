"""What the user's click means, and the plate centre followed as the centre of its rim.

Target kinds (``analysis.tracking.track.TARGET_*``):

* ``plate``: the centre of the plate, measured every frame as the centre of the circle
  fitted to the plate's outer rim (an ellipse when the plate is filmed off its axis). It lies in the plate's plane, the plane the scale is
  measured in. A small patch at a click on the hub is not enough: filmed close and a
  little off-axis, the bar sleeve's end (nearer the camera) shows beside the hub and
  shifts against it as the bar moves (0.16 px per px of vertical travel on the clip
  measured for issue #12); a patch refreshed every frame slides onto that bright end.
* ``bar_end``: the sleeve end (a small circle), followed by template and circle fit.
* ``point``: a marker or any other point, followed by its appearance: around the centre
  of a small round marker when the click is on or just beside one (every such click then
  follows the same look, kept from drifting by the marker's circle fit), else around the
  click; the click's offset from there is kept.

A plate centre the user chose is followed as an ellipse only when its rim at the click was
one (the plate filmed off its axis): a plate's tilt to the camera does not change during a
lift, and a round plate's rim smeared by its speed fits an ellipse stretched along the
motion, whose centre is off the plate's. On the real small squat (60 fps, a round plate)
such ellipses were taken on 61 frames of the fast way up, 8-17 px off the plate's centre
and seen on 0.57-0.75 of the rays: steps of 8 px in the track, a peak velocity 0.76
against 0.70 m/s and a mean propulsive velocity below the mean.

The default (``auto``): a click within a fifth of the radius of a plate found around it
(on the hub or the sleeve end) means the plate centre; else a click on a clear small circle
(edge found on at least ``BAR_END_INLIERS`` of the rays, within ``BAR_END_RMS`` of a
circle) means the bar end; a click
elsewhere means that point (e.g. a marker stuck on the plate, off its centre). A plate's
rim must be seen on ``RIM_MIN_INLIERS`` of the rays at the click, or, when the tracker
hands over the frames after it, on ``FAINT_INLIERS`` there and followed on at least half
of those frames: the same click on the same footage encoded twice then means the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.tracking.circle import CircleFit, find_circle_at, refine_centre, refine_ellipse_centre
from analysis.tracking.track import TARGET_BAR_END, TARGET_KINDS, TARGET_PLATE, TARGET_POINT

AUTO = "auto"
PLATE_CLICK_SHARE = 0.2  # a click this close to a found plate's centre (share of r) means it
RIM_BAND = (0.8, 1.25)  # multiples of the rim radius searched along each ray while following
RIM_MIN_INLIERS = 0.55  # share of rays that must find the rim
RIM_MAX_RMS = 0.03  # rms of the rim points about the fitted circle, share of the radius
RIM_MAX_DR = 0.08  # frame-to-frame change of the radius, share of it
RIM_STEP_SHARE = 0.005  # rim profiles sampled every 0.5 % of the radius (0.5 px at least)
RIM_MIN_RATIO = 0.6  # an oblique plate's rim: minor/major axis ratio down to this (53 degrees)
SAME_PLATE = 0.25  # rim fits whose centres lie this share of the radius apart: one plate
RMS_WEIGHT = 10.0  # a rim fit's quality: share of the rays that see it less 10 x rms / radius
FAINT_INLIERS = 0.4  # a round rim seen on this share of the rays at the click: a plate when
NEAR_AGREE = 0.5  # the frames near the click show it clearly on at least this share of them
BAR_END_INLIERS = 0.7  # share of rays that see a clicked circle for it to be a bar end
BAR_END_RMS = 0.035  # and the rms of its edge about the circle, share of the radius (a square
#                      marker's border fits a circle at about 0.06)


Circles = list[tuple[float, float, float]]


@dataclass(frozen=True)
class TargetChoice:
    kind: str  # one of TARGET_KINDS
    plate: CircleFit | None  # the plate's rim at the seed (plate kind)
    polarity: int  # +1 when the plate is brighter than its surround, -1 darker
    reason: str
    oblique: bool = False  # the rim may be followed as an ellipse (the plate centre chosen,
    #                        its rim an ellipse at the click)


def choose_target(gray: np.ndarray, xy: tuple[float, float], kind: str = AUTO,
                  near: Sequence[np.ndarray] = (), circles: Circles | None = None
                  ) -> TargetChoice:
    """Resolve the kind of target at a click on ``gray`` (luma of the seed frame, (H, W)).

    ``near``: a few frames that follow the seed frame (luma, same shape), the evidence for
    a rim seen only faintly at the click (:func:`_faint_plate`). Without them, a click
    means the plate centre only when the seed frame alone shows its rim clearly.
    ``circles``: :func:`plate_circles` of ``gray`` when made already.

    Raises
    ------
    ValueError
        ``kind`` is not ``auto`` or one of ``TARGET_KINDS``.
    """
    if kind != AUTO and kind not in TARGET_KINDS:
        raise ValueError(f"unknown target {kind!r}: choose one of auto, {', '.join(TARGET_KINDS)}")
    if kind in (TARGET_BAR_END, TARGET_POINT):
        return TargetChoice(kind, None, 0, "chosen")
    circles = plate_circles(gray) if circles is None else circles
    rim = plate_at(gray, xy, strict=kind == AUTO, circles=circles)
    if rim is None and kind == AUTO and near:
        rim = _faint_plate(gray, xy, near, circles)
    if rim is not None:
        fit, pol, oval = rim
        return TargetChoice(TARGET_PLATE, fit, pol,
                            "chosen" if kind == TARGET_PLATE else "the click is on a plate's centre",
                            oblique=kind == TARGET_PLATE and oval)
    if kind == TARGET_PLATE:
        raise ValueError("no plate rim was found around that point: click the plate's centre, "
                         "or follow the bar end or the point itself")
    end = find_circle_at(gray, xy, 0.08 * min(gray.shape))
    if end is not None and end.inliers >= BAR_END_INLIERS and end.rms <= BAR_END_RMS * end.r:
        return TargetChoice(TARGET_BAR_END, None, 0, "the click is on a round bar end")
    return TargetChoice(TARGET_POINT, None, 0, "no plate centre or bar end at the click")


def _faint_plate(gray: np.ndarray, xy: tuple[float, float], near: Sequence[np.ndarray],
                 circles: Circles) -> tuple[CircleFit, int, bool] | None:
    """A plate around a click near its centre whose rim the seed frame shows only faintly
    (round, but on fewer than ``RIM_MIN_INLIERS`` of the rays, down to ``FAINT_INLIERS``),
    taken when the frames ``near`` it show that rim clearly: on at least half of them
    (``NEAR_AGREE``) it is followed (:func:`follow_rim`) from the seed's fit, each frame
    from the last one's. One threshold on one frame's share of rays decided it before: on
    the real deadlift clip re-timed by 1.05 (the same footage re-encoded), the hub's rim
    was seen on 0.47-0.51 of the rays on the first frame and on 0.76-0.81 on the next
    three, and the same click gave the plate centre on one encoding and a point that slid
    across the plate's face on the other (ROM 52 against 43 cm)."""
    faint = plate_at(gray, xy, strict=True, min_inliers=FAINT_INLIERS, circles=circles)
    if faint is None:
        # the plate may not stand out on the seed frame at all: found on the next frame,
        # its rim is looked for on the seed frame from there
        later = next((f for f in (plate_at(frame, xy) for frame in near[:1]) if f), None)
        if later is None:
            return None
        faint = _faint_rim(gray, xy, later[0], later[1])
        if faint is None:
            return None
    fit, pol, _oval = faint
    seen = 0
    last = fit
    for frame in near:
        again = follow_rim(frame, (last.x, last.y), last.r, pol, oblique=False)
        if again is not None:
            seen += 1
            last = again
    return faint if seen >= NEAR_AGREE * len(near) else None


def _faint_rim(gray: np.ndarray, xy: tuple[float, float], near: CircleFit, pol: int
               ) -> tuple[CircleFit, int, bool] | None:
    """The rim of polarity ``pol`` around ``near`` (a rim fit) on ``gray``, as
    :func:`plate_at` takes a faint one: seen on ``FAINT_INLIERS`` of the rays, round within
    ``RIM_MAX_RMS`` of its radius, its centre within ``PLATE_CLICK_SHARE`` of it from ``xy``."""
    fit = refine_centre(gray, (near.x, near.y), near.r, pol, band=(0.7, 1.35))
    if fit is None:
        return None
    fit = refine_centre(gray, (fit.x, fit.y), fit.r, pol, band=RIM_BAND) or fit
    if fit.inliers < FAINT_INLIERS or fit.rms > max(1.0, RIM_MAX_RMS * fit.r) or \
            np.hypot(fit.x - xy[0], fit.y - xy[1]) > PLATE_CLICK_SHARE * fit.r:
        return None
    return fit, pol, False


def plate_at(gray: np.ndarray, xy: tuple[float, float], strict: bool = True,
             min_inliers: float = 0.0, circles: Circles | None = None,
             oval: bool | None = None) -> tuple[CircleFit, int, bool] | None:
    """The plate whose rim surrounds ``xy`` (its centre within a fifth of the radius when
    ``strict``, within the plate otherwise): (rim fit, polarity, whether the fit is an
    ellipse) or None. ``min_inliers``: the share of rays that must see the rim (default
    ``RIM_MIN_INLIERS``; lower, the rim must be as round as a followed one, within
    ``RIM_MAX_RMS`` of its radius). ``circles``: :func:`plate_circles` of ``gray`` when made
    already. Not ``strict`` (the user chose the plate centre; or ``oval`` when given), a rim
    that fits an ellipse much better than a circle is taken as the plate seen obliquely
    (its ellipse's centre)."""
    fits: list[tuple[float, CircleFit, int, bool]] = []  # (distance / radius, fit, polarity, oval)
    least = min_inliers or RIM_MIN_INLIERS
    loose = 2 * RIM_MAX_RMS if least >= RIM_MIN_INLIERS else RIM_MAX_RMS
    for cx, cy, r in plate_circles(gray) if circles is None else circles:
        for pol in (-1, 1):
            oval_taken = False
            fit = refine_centre(gray, (cx, cy), r, pol, band=(0.7, 1.35))
            if fit is None or fit.inliers < least or fit.rms > loose * fit.r:
                fit = None
            else:
                fit = refine_centre(gray, (fit.x, fit.y), fit.r, pol, band=RIM_BAND) or fit
                if least < RIM_MIN_INLIERS and fit.rms > max(1.0, RIM_MAX_RMS * fit.r):
                    fit = None
            if (not strict if oval is None else oval) and (fit is None or fit.rms > max(1.0, RIM_MAX_RMS * fit.r)
                               or fit.inliers < 0.9):
                oval = refine_ellipse_centre(gray, (cx, cy), r, pol, band=(0.7, 1.35),
                                             min_ratio=RIM_MIN_RATIO)
                if oval is not None:
                    oval = refine_ellipse_centre(gray, (oval.x, oval.y), oval.r, pol,
                                                 band=RIM_BAND, min_ratio=RIM_MIN_RATIO) or oval
                if oval is not None and oval.inliers >= RIM_MIN_INLIERS and \
                        oval.rms <= max(1.0, RIM_MAX_RMS * oval.r) and \
                        (fit is None or fit.rms > max(1.0, RIM_MAX_RMS * fit.r)
                         or oval.inliers >= fit.inliers + 0.1):
                    fit, oval_taken = oval, True  # more of the rim on an ellipse than a circle
            if fit is None:
                continue
            d = float(np.hypot(fit.x - xy[0], fit.y - xy[1]))
            if d > (PLATE_CLICK_SHARE if strict else 0.9) * fit.r:
                continue
            fits.append((d / fit.r, fit, pol, oval_taken))
    if not fits:
        return None
    # the plate nearest the click; of the fits of its rim (one per candidate circle and
    # polarity), the one that fits best, wherever on the plate the click landed: on the
    # real bench clip a fit along the rim (r 81.7 px, rms 0.74 px, 62 % of the rays) and
    # one mixing the rim with an inner lip (r 73.6 px, rms 2.6 px, 72 %) were both taken,
    # each by the clicks nearer its centre, and the tracks and scales differed
    near = min(fits, key=lambda f: f[0])[1]
    same = [f for f in fits if np.hypot(f[1].x - near.x, f[1].y - near.y) <= SAME_PLATE * near.r]
    _d, fit, pol, oval_taken = max(same, key=lambda f: f[1].inliers - RMS_WEIGHT * f[1].rms / f[1].r)
    return fit, pol, oval_taken


def plate_circles(gray: np.ndarray) -> Circles:
    """The plate-like circles :func:`plate_at` looks at in ``gray`` (luma, (H, W)): (x, y,
    radius) px, clearest first, 5 at most
    (:func:`analysis.calibration.scale.plate_candidates`, not blind). About 0.17 s on a
    478x850 frame: made once per clicked frame and handed on."""
    from analysis.calibration.scale import plate_candidates  # (it imports this package)

    return plate_candidates(gray, limit=5, blind=False)


def follow_rim(gray: np.ndarray, centre: tuple[float, float], radius: float, polarity: int,
               oblique: bool = True, step_share: float = RIM_STEP_SHARE) -> CircleFit | None:
    """The plate's rim near a predicted centre, or None when it is not clearly seen
    (occluded, blurred, out of the picture): at least ``RIM_MIN_INLIERS`` of the rays find
    it, the points lie within ``RIM_MAX_RMS`` of the radius of a circle (or, for a plate
    filmed off its axis, of an ellipse with axis ratio >= ``RIM_MIN_RATIO`` when
    ``oblique``; ``r`` is then the geometric mean of its half-axes), and the radius
    changed by less than ``RIM_MAX_DR``. The rim's profiles are sampled every
    ``step_share`` of the radius (0.5 px at least). The ellipse is tried only for a plate centre the
    user chose whose rim at the click was an ellipse (:attr:`TargetChoice.oblique`): on an
    automatically chosen plate it would change the tracks of real clips, whose plate
    calibration has been checked as is, and on a round plate it takes smeared rims."""
    step = max(0.5, step_share * radius)
    fit = refine_centre(gray, centre, radius, polarity, band=RIM_BAND, step_px=step)
    if fit is not None and _rim_ok(fit, radius):
        return fit
    if oblique and (fit is None or fit.inliers >= 0.4):
        # the edges may be there but off a circle: the plate seen obliquely (an ellipse)
        oval = refine_ellipse_centre(gray, centre, radius, polarity, band=RIM_BAND,
                                     step_px=step, min_ratio=RIM_MIN_RATIO)
        if oval is not None and _rim_ok(oval, radius):
            return oval
    return None


def _rim_ok(fit: CircleFit, radius: float) -> bool:
    return fit.inliers >= RIM_MIN_INLIERS and fit.rms <= max(1.0, RIM_MAX_RMS * fit.r) and \
        abs(fit.r - radius) <= RIM_MAX_DR * radius
