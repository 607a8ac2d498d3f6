"""Whether a rim fitted on one frame lies on the plate's edge: the circle shown to the
user is chosen among those that do, and when many do not, the scale is not "sure".

The physics (pinhole camera): a plate of diameter D at distance Z from the camera is
d = f D / Z px across, and the bar moving dX metres in the plate's plane moves f dX / Z
px. So the plate's own size on a frame is that frame's scale, m per px = D / d, exactly;
a plate that looks 6.5 % smaller at the bottom of a squat (it moved away from the
camera, or the lens bends the picture near its edges) makes each px there 6.5 % longer
than at the top. ROM and a rep's mean velocity add up the px moved, each at the scale of
its height: the one scale that makes them right is the plate's size at the middle of the
bar's path (the mean of D / d over the heights travelled), and a scale measured at one
end of the path (the still frames at the top, where the rim is sharpest) reads them up
to the whole change low. Taking the scale along the path needs each frame's rim within
about 1 %; on the real squat filmed upright (smeared mid-rep, a second plate of the same
colour just behind, the lifter in front) a rim search on each frame alone came within
about 3 % only (circles through edge points, checked against 356-383 px by hand), and
the size it gave at each end of the path moved from 7 % to 1 % when its start moved by
3 px on the real deadlift: not landed. What is robust: the measured rim, fitted on each
frame from the plate's median rim, lies on the plate's edge on frames where the plate
has that size and slips off it (onto the room, outside a smaller plate) where it does
not; when that happens on more than ``OFF_RIM_SHARE`` of the frames measured, the
certainty says so instead of "sure, good to about 1 %".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.calibration.plate_rim import (
    RING_SUPPORT,
    RimFit,
    edge_points,
    ellipse_along_rays,
    polar,
    ring_support,
)


def on_rim(image: np.ndarray, fit: RimFit) -> bool:
    """Whether the ellipse ``fit`` (fitted on ``image``, BGR float32 H x W x 3) lies on a
    ring of the plate: an edge within 1.2 % of it on ``RING_SUPPORT`` of the rays, with
    one colour just inside (:func:`~analysis.calibration.plate_rim.ring_support`). A fit
    that slipped onto the room's edges has the room inside it on most rays. On the real
    squat filmed upright the plate looks 6.5 % smaller at the bottom (356-362 px by hand
    against 383 standing) and the bottom frames' fits, started from the standing rim,
    lie outside the rim there: 13 of the 24 frames measured fail this check (frames
    130-205, the bottom and the ascent), the standing ones pass."""
    a = fit.major / 2
    radii = np.arange(0.8 * fit.minor / 2, 1.2 * a, 0.5, dtype=np.float32)
    samples, inside = polar(image, fit.cx, fit.cy, radii)
    ray, r, _s = edge_points(samples, inside, radii)
    exp = ellipse_along_rays(fit.cx, fit.cy, fit.cx, fit.cy, fit.major, fit.minor, fit.angle)
    return ring_support(ray, r, exp, 0.012, samples, radii) >= RING_SUPPORT


OFF_RIM_SHARE = 0.25
"""Share of the frames measured whose rim fit may lie off the plate's edge (:func:`on_rim`)
before the scale is said not to hold along the whole path. Measured: the blind
generator's plates of one size (tests/truth2: iron, bumper, rim band, lettering, square
and turned, moving 150 px; smeared along a 420 px squat): none off; the real squat
filmed upright (the plate 6.5 % smaller at the bottom): 13 of 24."""


def off_rim_certainty(fits: Sequence[RimFit], on: Sequence[int], spread_pct: float) -> str:
    """The certainty of a scale measured on the frames of ``fits`` (spread ``spread_pct``
    %) whose fits ``on`` (indices) lie on the plate's edge and the others not: fairly
    sure at best, and why. Where the bar is on the frames off the edge (lower or higher
    in the picture than on those on it, by a tenth of the plate at least) is said, so the
    circle can be checked there: on the real squat filmed upright, the bottom."""
    off = [f for i, f in enumerate(fits) if i not in set(on)]
    where = ""
    if on and off:
        dy = float(np.median([f.cy for f in off]) - np.median([fits[i].cy for i in on]))
        if abs(dy) >= 0.1 * float(np.median([f.major for f in fits])):
            where = "where the bar is lowest" if dy > 0 else "where the bar is highest"
    look = f"on a frame {where}" if where else "on frames at the top and at the bottom of the lift"
    return (f"fairly sure: measured on {len(fits)} frames, spread {spread_pct:.1f} %, but on "
            f"{len(off)} of them{f', {where},' if where else ''} the rim measured is not on the plate's edge: the "
            "plate looks another size there (it moves nearer the camera and away, or the "
            "lens bends the picture near its edges), so distances and velocities there are "
            f"off by as much; check the circle {look}, or film from further away, level "
            "with the bar")
