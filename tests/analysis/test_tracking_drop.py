"""A bar dropped from the top of a deadlift: the plate centre is not lost at the bounce.

At the impact the plate falls ~1.3 m/s in a blurred frame and then bounces: the look of
its hub (which predicts where to fit the rim) is matched weakly or not at all, and was
found again on the background, which the tracker then followed for the whole rest between
reps (the same fault as on a real dropped deadlift clip, where the hub's match slid off
along the fall's extrapolation). The rim, looked for where the plate's own motion puts
it, brings it back; frames with no rim and no trusted look around the impact are lost
(the analysis fills short gaps), never placed on something else.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.synth.drop import drop_set
from analysis.synth.lift_clip import render_clip
from analysis.tracking import BarTracker
from analysis.video import VideoSource

W, H, D = 360, 640, 180.0  # portrait phone clip; plate diameter (px)
PX_PER_M = D / 0.45
FPS = 30.0


def _dark_mat(top: float) -> tuple[np.ndarray, float, float]:
    """A dark rubber floor mat from ``top`` (px) down, behind the plate's lower rim."""
    mat = np.zeros((2 * H, 2 * W, 4), np.uint8)
    mat[:] = (30, 29, 31, 255)
    return mat, W / 2, top + H


@pytest.fixture(scope="module", params=[1, 3], ids=["gym1", "gym3"])
def dropped(request, tmp_path_factory):
    times, xm, hm, impacts = drop_set(fps=FPS)
    x = W / 2 + 30 + xm * PX_PER_M
    y = H - 0.55 * D - hm * PX_PER_M
    path = tmp_path_factory.mktemp("drop") / f"drop{request.param}.mp4"
    # a shutter open the whole frame interval: a long streak at the impact
    render_clip(path, times, x, y, size=(W, H), plate_diameter_px=D, fps=FPS,
                blur_subframes=5, shutter=1.0, noise=2.0, seed=request.param,
                props=[_dark_mat(530.0)])
    with VideoSource(str(path)) as src:
        track = BarTracker().track(src, 0, (float(x[0]), float(y[0])), camera=False)
    return track, x, y, np.array(impacts)


def test_the_plate_is_followed_through_each_drop_and_bounce(dropped):
    track, x, y, impacts = dropped
    assert track.target == "plate"
    err = np.hypot(track.x - x, track.y - y)
    placed = np.isfinite(err)
    # before the fix: up to 331 px off (on the background) for whole rests between reps.
    # Within 5 % of the diameter of the path the plate's centre traced while the shutter was
    # open (here the whole frame interval): a smeared picture fixes the centre only up to
    # that path. The third drop's fastest frame streaks 39 px and its rim is fitted 9.1 px
    # from the centre at the frame's time, 0.5 px from that path (at most 2.0 px on any frame)
    t = track.t
    sub = np.linspace(-0.5, 0.5, 41)[:, None] / FPS + t[None, :]  # (41, frames)
    off_path = np.hypot(np.interp(sub, t, x) - track.x, np.interp(sub, t, y) - track.y).min(axis=0)
    worst = int(np.nanargmax(off_path))
    assert np.nanmax(off_path) <= 0.05 * D, \
        f"{off_path[worst]:.1f} px off the plate's smear path at frame {worst}"
    lost = np.flatnonzero(~placed)
    for k in lost:  # lost only at a bounce: from the impact to 0.4 s after it
        assert np.any((t[k] >= impacts - 0.05) & (t[k] <= impacts + 0.4)), \
            f"frame {k} ({t[k]:.2f} s) lost away from the drops at {impacts.round(2)}"
    assert len(lost) <= 10 * len(impacts)
    # back on the plate after every bounce, for the whole rest
    for when in impacts:
        rest = (t >= when + 0.5) & (t <= when + 1.0)
        assert placed[rest].all() and err[rest].max() <= 3.0
