"""What a plate measurement says in words: how sure the scale is, whether the camera is
square to the plate, and why no rim was found (:mod:`analysis.calibration.scale`)."""

from __future__ import annotations

import numpy as np

#: Axis ratio of the plate's ellipse below which the camera is said not to be square.
ELLIPSE_WARN_RATIO = 0.93
#: The plate's size differs this much between frames (10th-90th percentile): the frames
#: are sampled again, each at its own size, and the certainty says the size changes.
RESCALE_SPREAD = 0.03


def ellipse_warning(ratio: float) -> str:
    """A warning when the plate's axis ``ratio`` (minor / major) says the camera is not
    square to the plate (below :data:`ELLIPSE_WARN_RATIO`), else ""."""
    if ratio >= ELLIPSE_WARN_RATIO:
        return ""
    return (f"The plate looks like an ellipse (axes {ratio:.2f}): the camera is not "
            "square to the bar, so velocity and range of motion will be off. Film "
            "from the side, level with the bar.")


#: Why no scale was measured, and what to do instead.
NO_RIM = ("no clear plate rim was found around the tracked point; "
          "calibrate with a drawn circle or a line of known length instead")


def certainty(frames: int, spread_pct: float, size_change_pct: float = 0.0) -> str:
    """How sure the scale is, in plain words. ``size_change_pct``: how much larger the
    plate looks on some frames than on others (it moved nearer the camera); one scale
    is then off by up to half of that far from the plate's median size."""
    if size_change_pct > 100 * RESCALE_SPREAD and frames >= 4 and spread_pct <= 1.5:
        return (f"fairly sure: measured on {frames} frames, spread {spread_pct:.1f} %, but "
                f"the plate looks {size_change_pct:.0f} % larger on some frames than on "
                "others (it moves nearer the camera and away), so distances far from its "
                f"median size are off by up to {size_change_pct / 2:.0f} %; film from "
                "further away")
    if frames >= 8 and spread_pct <= 0.5:
        return (f"sure: measured on {frames} frames, spread {spread_pct:.1f} % "
                "(the scale is good to about 1 %)")
    if frames >= 4 and spread_pct <= 1.5:
        return (f"fairly sure: measured on {frames} frames, spread {spread_pct:.1f} %; "
                "check that the circle shown is the plate's outer edge")
    what = f"spread {spread_pct:.1f} %" if np.isfinite(spread_pct) else "a single frame"
    return (f"unsure: measured on {frames} frame(s), {what}; check the circle shown, or "
            "draw a circle around the plate instead")
