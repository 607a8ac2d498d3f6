"""A scale measured at the plate holds at the plate's distance from the camera: a result
whose track followed the bar end (nearer the camera, filmed from the side) or a point says
so, in the app's analysis and in ``liftlens analyze``; the plate centre and a drawn line say
nothing."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.batch.clip import analyze_video
from analysis.session.analyze import analyze_recording
from analysis.session.calibration import Calibration
from analysis.session.document import Recording
from analysis.session.track import (PLATE_SCALE_NOTES, TARGET_BAR_END, TARGET_PLATE,
                                    TARGET_POINT, Track)
from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from tests.truth.lift_truth import build_set, family, frame_times, sample

SCRIPT = LiftScript(reps=(RepSpec(0.8, 0.2, 0.6, 0.3, 0.5),), setup=0.3, end_idle=0.3)


def _recording(target: str, calibration: Calibration) -> Recording:
    """A deadlift set from the independent truth generator as a tracked ``target``."""
    truth = build_set(family()["deadlift_mixed_shapes"])
    t = frame_times(truth.duration_s, 30.0)
    y_m, _ = sample(truth, t)
    rng = np.random.default_rng(3)
    x = 200.0 + rng.normal(0, 0.15, len(t))
    y = 600.0 - y_m / calibration.m_per_px + rng.normal(0, 0.15, len(t))
    track = Track(t, x, y, np.full(len(t), 0.9), np.ones(len(t), np.uint8), target=target)
    return Recording("/videos/set.mp4", len(t), "ab" * 32, track=track, calibration=calibration)


PLATE = Calibration(0.00185, "plate 450 mm measured on 24 frames", 243.2, frames=24)
LINE = Calibration(0.00185, "line of 500 mm", 270.3)


@pytest.mark.parametrize("target, calibration, said", [
    (TARGET_BAR_END, PLATE, PLATE_SCALE_NOTES[TARGET_BAR_END]),
    (TARGET_POINT, PLATE, PLATE_SCALE_NOTES[TARGET_POINT]),
    (TARGET_PLATE, PLATE, None),
    (TARGET_BAR_END, LINE, None),
])
def test_the_app_says_when_the_scale_is_not_at_the_tracked_point(target, calibration, said):
    res = analyze_recording(_recording(target, calibration), "deadlift")
    assert res is not None and res.reps
    notes = [w for w in res.warnings if w.startswith("the scale was measured at the plate")]
    assert notes == ([said] if said else [])


def test_the_command_line_says_it_for_a_point_on_a_plate_scale(tmp_path):
    path = tmp_path / "squat.mp4"
    truth = make_lift_clip(path, SCRIPT, size=(480, 270), px_per_m=220.0)
    seed = (float(truth.x[0]), float(truth.y[0]))
    point = analyze_video(str(path), lift="squat", plate_mm=450, seed=seed, target="point")
    plate = analyze_video(str(path), lift="squat", plate_mm=450, seed=seed, target="plate")
    assert point.tracking["target"] == TARGET_POINT and plate.tracking["target"] == TARGET_PLATE
    assert PLATE_SCALE_NOTES[TARGET_POINT] in point.notes
    assert not any(n.startswith("the scale was measured at the plate") for n in plate.notes)
