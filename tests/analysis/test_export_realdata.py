"""Exports of real phone footage: rotation, variable frame rate, sound, portrait sizes."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from analysis.export import export_clip, plan_clip
from analysis.video import VideoSource, build_index

pytestmark = pytest.mark.realdata


def test_rotated_vfr_clip_in_slow_motion(shared_data: Path, tmp_path: Path) -> None:
    src = shared_data / "videos" / "GhislandiGiulio__bar_path_tracker__c_j.MP4"
    index = build_index(str(src))
    out = tmp_path / "cj.mp4"
    # frames 90..189 hold the clip's irregular spacing (frames 96-98 are 23/70 ms apart)
    result = export_clip(src, out, start_frame=90, end_frame=189, speed=0.5)
    assert (result.width, result.height) == (352, 640) and not result.has_audio
    # at half speed each frame is held (shown again) so the file plays at 30 fps
    holds = plan_clip(index, start_frame=90, end_frame=189, speed=0.5).holds
    assert result.held == int(holds.max()) >= 2 and result.fps >= 24
    first = np.concatenate([[0], np.cumsum(holds)[:-1]])  # each frame's first picture
    exported = build_index(str(out))
    assert exported.rotation == 0 and exported.frame_count == int(holds.sum())
    np.testing.assert_allclose(exported.times[first],
                               (index.times[90:190] - index.times[90]) * 2, atol=3e-5)
    frame_of = np.repeat(np.arange(100), holds)
    with VideoSource(str(src), index) as source, av.open(str(out)) as c:
        for p, frame in enumerate(c.decode(video=0)):
            if p % 33:
                continue
            want = source.read(90 + int(frame_of[p])).image.astype(np.int16)
            got = frame.to_ndarray(format="bgr24").astype(np.int16)
            assert got.shape == want.shape
            assert np.abs(got - want).mean() < 6  # the same picture, re-encoded


def test_sound_kept_at_1x(shared_data: Path, tmp_path: Path) -> None:
    src = shared_data / "videos" / "GhislandiGiulio__bar_path_tracker__c_j.MP4"
    out = tmp_path / "cj-sound.mp4"
    result = export_clip(src, out, start_frame=50, end_frame=249)
    assert result.has_audio
    with av.open(str(out)) as c:
        a, v = c.streams.audio[0], c.streams.video[0]
        assert a.codec_context.name == "aac"
        a_len = sum(f.samples for f in c.decode(a)) / a.codec_context.sample_rate
    assert a_len == pytest.approx(result.duration_s, abs=0.03)
    assert float(v.duration * v.time_base) == pytest.approx(result.duration_s, abs=1e-3)


def test_portrait_1080p60_to_720p(shared_data: Path, tmp_path: Path) -> None:
    src = shared_data / "videos" / "lukestynes__bar-path-tracker__small-squat.mp4"
    out = tmp_path / "squat.mp4"
    result = export_clip(src, out, start_frame=0, end_frame=59, size="720p")
    assert (result.width, result.height) == (720, 1280)
    exported = build_index(str(out))
    assert exported.frame_count == 60 and exported.nominal_fps == pytest.approx(60, rel=0.01)
