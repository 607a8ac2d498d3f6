"""The first-run demo clip: every frame written, progress reported, the plate where the truth says."""

from __future__ import annotations

import numpy as np

from analysis.synth.lift_clip import make_demo_clip
from analysis.video import VideoSource, build_index


def test_demo_clip_has_every_frame_progress_and_the_plate_at_the_truth(tmp_path):
    path = tmp_path / "demo.mp4"
    seen: list[tuple[int, int]] = []
    truth = make_demo_clip(path, progress=lambda done, total: seen.append((done, total)))
    n = len(truth.times)
    assert seen[-1] == (n, n)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    index = build_index(path)
    assert index.frame_count == n
    assert (index.width, index.height) == (854, 480)
    source = VideoSource(path, index=index)
    try:
        for k in (0, n // 3, n // 2, n - 1):
            img = source.read(k).image  # BGR
            x, y, r = truth.x[k], truth.y[k], truth.plate_diameter_px / 2
            hub = img[int(np.rint(y)), int(np.rint(x))].astype(int)
            face = img[int(np.rint(y + 0.3 * r)), int(np.rint(x - 0.1 * r))].astype(int)
            assert abs(hub - np.array([175, 180, 185])).max() < 30, (k, hub)  # bar sleeve end
            assert face[2] > face[0] + 60, (k, face)  # the red face around it
    finally:
        source.close()

