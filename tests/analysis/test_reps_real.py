"""Rep numbers on a real clip (../shared/data) do not depend on how the plate was picked.

Skipped with the reason when the shared clips are not beside the checkout.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.batch.clip import analyze_video

DEADLIFT = "sahityajain360__barbell-tracker__deadlift2.mp4"


def test_deadlift_reps_agree_whether_the_plate_was_found_or_clicked(shared_data: Path) -> None:
    """Finding: the same plate tracked from ``--auto`` and from a click at its centre
    (179.25, 600.488) gave rep 5 a concentric of 1.2 s (MCV 177 px/s, velocity loss 25 %,
    over the threshold) against 0.9 s (226 px/s, 5 %): the lifter leans back right after
    lockout, and on one track the smoothed height dipped a fraction of a pixel in between
    (the concentric ended at lockout), on the other it did not (it ended after the
    lean-back). The tracks themselves differ by pixels during the pull (motion blur: the
    found plate's track lags up to 17 px in rep 5's last frames), so the reps agree within
    a frame or two (1.4 frames and 4.3 % MCV at most today), not exactly."""
    clip = str(shared_data / "videos" / DEADLIFT)
    found = analyze_video(clip, lift="deadlift").result
    clicked = analyze_video(clip, lift="deadlift", seed=(179.25, 600.488)).result
    assert len(found.reps) == len(clicked.reps) == 5
    fps = found.kinematics.fs_hz
    for a, b in zip(found.reps, clicked.reps, strict=True):
        da = a.phases["concentric"][1] - a.phases["concentric"][0]
        db = b.phases["concentric"][1] - b.phases["concentric"][0]
        assert abs(da - db) * fps <= 2.0, (a.phases["concentric"], b.phases["concentric"])
        assert a.metrics.mean_concentric_velocity == pytest.approx(
            b.metrics.mean_concentric_velocity, rel=0.06)
    va, vb = found.set_metrics.velocity_loss, clicked.set_metrics.velocity_loss
    assert va.flagged == vb.flagged is False
    assert va.first_last_pct == pytest.approx(vb.first_last_pct, abs=5.0)
