"""A click a few pixels off a small marker follows the same physical point as a click on it.

The user clicks a marker once; where exactly the click lands is not meant to matter. On a
small real clip (360x480, a red marker on a dark plate) a click 2 px off the marker used
to find a loose ring of edges around the plate, and the track snapped between two fits of
it 7 px apart on alternate frames; other clicks drifted 2-20 px apart.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.synth.lift_clip import make_lift_clip, marker_plate_sprite
from analysis.synth.motion import LiftScript, RepSpec
from analysis.tracking import BarTracker, Track
from analysis.video import VideoSource

OFFSETS = [(0.0, 0.0), (2.0, 0.0), (0.0, 2.0), (-2.0, -1.0), (3.0, -3.0), (-3.0, 3.0),
           (1.0, -2.0)]


def _track(path, seed_frame: int, seed, **kw) -> Track:
    with VideoSource(str(path)) as src:
        return BarTracker().track(src, seed_frame, seed, **kw)


def _less_offset(tr: Track, seed_frame: int) -> np.ndarray:
    """The track (n, 2) less its position on the seed frame: the motion from the click."""
    xy = np.column_stack([tr.x, tr.y])
    return xy - xy[seed_frame]


def _zigzag(xy: np.ndarray) -> np.ndarray:
    """How far each frame lies from the midpoint of its neighbours (px): a track that
    alternates between two places has half that distance here; smooth motion ~0."""
    return np.hypot(*(xy[1:-1] - 0.5 * (xy[:-2] + xy[2:])).T)


def test_clicks_around_a_small_marker_follow_the_same_point(tmp_path):
    """A 360x480 squat, a 4.5 px red marker on a dark 56 px plate, the marker followed as a
    point from 7 clicks up to 3 px off its centre: every track, less its click's offset,
    lies within ~1 px of the click on the marker's and 1.5 px of the true motion on every
    frame, and none zigzags. Before, 4 of the clicks found the plate's face ring and
    followed its centre: up to 12 px off at the bottom of a rep, zigzags up to 3.4 px.
    Measured now: 1.10 px apart at most (median 0.03), 1.19 px off the truth."""
    d = 56.0
    path = tmp_path / "marker_small.mp4"
    script = LiftScript(reps=(RepSpec(rom=0.45),) * 2, setup=0.5, end_idle=0.5)
    truth = make_lift_clip(path, script, size=(360, 480), px_per_m=d / 0.45, crf=28,
                           noise=2.0, seed=1, sprite=marker_plate_sprite(int(d), 4.5))
    true = np.column_stack([truth.x, truth.y])
    true -= true[0]
    tracks = []
    for dx, dy in OFFSETS:
        tr = _track(path, 0, (truth.x[0] + dx, truth.y[0] + dy), target="point")
        assert tr.target == "point"
        assert np.isfinite(tr.x).all(), f"click off by {dx, dy}: frames lost"
        tracks.append(_less_offset(tr, 0))
    for (dx, dy), xy in zip(OFFSETS, tracks, strict=True):
        apart = np.hypot(*(xy - tracks[0]).T)
        assert np.median(apart) <= 0.1 and apart.max() <= 1.25, (
            f"click off by {dx, dy}: median {np.median(apart):.2f} px, max "
            f"{apart.max():.2f} px (frame {int(apart.argmax())}) from the click on the marker")
        err = np.hypot(*(xy - true).T)
        assert err.max() <= 1.5, f"click off by {dx, dy}: {err.max():.2f} px off the marker"
        zig = _zigzag(xy) - _zigzag(true)
        assert zig.max() <= 1.25, f"click off by {dx, dy}: zigzags {zig.max():.2f} px"


TEST3 = "owenyeo__barbell-tracker__test3.mp4"


@pytest.mark.realdata
def test_clicks_around_the_real_squat_marker_agree(shared_data):
    """The real 360x480 squat: clicks at the plate's red marker (66, 145.5) and 2 px beside
    it, (68, 145.5) and (66, 147.5). Before, the (68, 145.5) track alternated between
    x ~68 and ~75 from frame 2 and lost 55 frames; (66, 147.5) jumped 6.5 px at frame 12
    and lost 73. Now every frame is followed and the three tracks, less their click's
    offset, agree within 0.25 px on the median frame and 1.5 px on 99 % of the frames (the
    last frames, where the lifter racks the bar, differ by up to ~7 px)."""
    path = shared_data / "videos" / TEST3
    if not path.exists():
        pytest.skip(f"{TEST3} is not in the shared data")
    clicks = [(66.0, 145.5), (68.0, 145.5), (66.0, 147.5)]
    tracks = []
    for click in clicks:
        tr = _track(path, 0, click)
        assert np.isfinite(tr.x).all(), f"click {click}: {int((~np.isfinite(tr.x)).sum())} lost"
        tracks.append(_less_offset(tr, 0))
    for click, xy in zip(clicks[1:], tracks[1:], strict=True):
        apart = np.hypot(*(xy - tracks[0]).T)
        assert np.median(apart) <= 0.25 and np.percentile(apart, 99) <= 1.5, (
            f"click {click}: median {np.median(apart):.2f} px, 99 % "
            f"{np.percentile(apart, 99):.2f} px from the click on the marker")
        assert _zigzag(xy)[:1100].max() <= 2.0, f"click {click}: the track zigzags"
