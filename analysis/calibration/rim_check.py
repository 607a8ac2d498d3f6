"""Whether a rim fitted on one frame lies on the plate's edge (the circle shown to the
user is chosen among those that do)."""

from __future__ import annotations

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
