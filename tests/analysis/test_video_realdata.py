"""Real phone clips from ../shared/data: open, orientation, VFR, stepping."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.video import VideoSource, build_index

pytestmark = pytest.mark.realdata


def test_clean_and_jerk_is_upright_vfr(shared_data):
    index = build_index(str(shared_data / "videos" / "GhislandiGiulio__bar_path_tracker__c_j.MP4"))
    assert (index.width, index.height) == (352, 640)
    assert index.rotation == 90
    assert index.frame_count == 450
    assert index.vfr
    spacing = np.diff(index.times)
    assert spacing.min() < 0.030 and spacing.max() > 0.060


def test_every_clip_opens_and_steps(shared_data):
    clips = sorted((shared_data / "videos").iterdir())
    assert len(clips) >= 8
    for path in clips:
        with VideoSource(str(path)) as src:
            n = src.frame_count
            assert n > 100, path.name
            last = src.read(n - 1)
            back = src.read(n - 2)
            fwd = src.read(n // 2)
            first = src.read(0)
            for f, k in ((last, n - 1), (back, n - 2), (fwd, n // 2), (first, 0)):
                assert f.index == k
                assert f.image.shape == (src.index.height, src.index.width, 3)
            # consecutive frames of a real clip differ, the same frame twice does not
            again = src.read(n // 2)
            assert np.array_equal(again.image, fwd.image), path.name
            assert not np.array_equal(back.image, last.image), path.name
