"""A set reads the same numbers after its session is saved and opened again (library and
session file): the stored track keeps every position, time and camera offset exactly.
Rounded to 0.001 px (camera motion to 0.01 px), a real deadlift's first eccentric read
0.5 frame shorter after reopening than in the CSV exported before."""

from __future__ import annotations

import numpy as np

from analysis.session.analyze import analyze_recording
from analysis.session.calibration import Calibration
from analysis.session.document import Recording, Session
from analysis.session.portable import export_session, import_session
from analysis.session.store import SessionStore
from analysis.session.track import Track
from tests.truth.lift_truth import build_set, family, frame_times, sample


def _tracked_set() -> Session:
    """A deadlift set from the independent truth generator, sampled at a phone's 29.97 fps
    with tracker-like noise and a hand-held camera's drift (px; like a tracker's output,
    no value is round)."""
    truth = build_set(family()["deadlift_mixed_shapes"])
    t = frame_times(truth.duration_s, 30000 / 1001)
    y_m, _ = sample(truth, t)
    rng = np.random.default_rng(7)
    m_per_px = 0.00185469680
    cam_x = np.cumsum(rng.normal(0, 0.07, len(t)))
    cam_y = np.cumsum(rng.normal(0, 0.07, len(t)))
    x = 180.0 + cam_x + rng.normal(0, 0.15, len(t))
    y = 600.0 - y_m / m_per_px + cam_y + rng.normal(0, 0.15, len(t))
    conf = np.clip(0.9 + rng.normal(0, 0.03, len(t)), 0, 1)
    track = Track(t, x, y, conf, np.ones(len(t), np.uint8), camera_x=cam_x, camera_y=cam_y)
    rec = Recording("/videos/deadlift.mp4", len(t), "ab" * 32, track=track,
                    calibration=Calibration(m_per_px, "plate 450 mm", 242.6))
    return Session(lifter="Ann", date="2026-11-30", exercise="deadlift", recordings=[rec])


def _numbers(session: Session) -> list[tuple]:
    res = analyze_recording(session.recordings[0], session.exercise)
    assert res is not None and len(res.reps) >= 3
    rows = [(r.phases["eccentric"], r.phases["concentric"], r.tempo_notation,
             r.metrics.mean_concentric_velocity, r.metrics.rom) for r in res.reps]
    vl = res.set_metrics.velocity_loss
    return rows + [(vl.best_last_pct, vl.first_last_pct)]


def test_a_reopened_set_reads_the_same_numbers(tmp_path):
    live = _tracked_set()
    before = _numbers(live)
    store = SessionStore(tmp_path / "library.sqlite3")
    try:
        store.save(live)
        reopened, _ = store.load(live.id)
    finally:
        store.close()
    assert reopened.recordings[0].track == live.recordings[0].track
    assert _numbers(reopened) == before
    export_session(live, tmp_path / "set.liftlens")
    assert _numbers(import_session(tmp_path / "set.liftlens")) == before
