"""Progress of a snatch: each set's velocity is the best made attempt's peak bar velocity
(a missed attempt does not count), the profile is fitted on it, no e1RM is read from a
threshold (none is defined for the Olympic lifts), and the command line and the CSV show
attempts. Tracks come from the blind weightlifting truth (tests/truth2)."""

from __future__ import annotations

import argparse

import numpy as np
import pytest

from analysis.progress.history import history_csv
from analysis.progress.summary import NO_OLYMPIC_1RM, summarize
from analysis.session.calibration import Calibration
from analysis.session.document import Recording, Session
from analysis.session.store import SessionStore
from analysis.session.track import STATE_TRACKED, Track
from tests.analysis.test_progress import history
from tests.truth2 import weightlifting_truth as W

M_PER_PX = 0.002
#: load (kg) -> peak bar velocity of the made snatch (m/s): slower as the load grows
SETS = ((60.0, 2.05), (70.0, 1.90), (80.0, 1.75))


def _recording(traj, load: float, set_number: int) -> Recording:
    t = np.arange(0.0, traj.duration, 1 / 60)
    x = 640.0 + traj.x(t) / M_PER_PX
    y = 1000.0 - traj.y(t) / M_PER_PX
    track = Track(t, x, y, np.ones_like(t), np.full(len(t), STATE_TRACKED, np.uint8))
    cal = Calibration(m_per_px=M_PER_PX, source="plate 450 mm", reference_px=225.0)
    return Recording(video_path=f"/nonexistent/snatch{set_number}.mp4", set_number=set_number,
                     load=load, track=track, calibration=cal)


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    path = tmp_path_factory.mktemp("wl") / "library.sqlite3"
    store = SessionStore(path)
    truth = {}
    s = Session(lifter="Lu", date="2026-11-02", exercise="snatch", load_unit="kg")
    for n, (load, v) in enumerate(SETS, 1):
        traj = W.snatch(1, v_peak=v)
        truth[n] = traj.attempts[0]
        s.recordings.append(_recording(traj, load, n))
    s.recordings.append(_recording(W.missed_snatch(1), 85.0, 4))  # missed: no velocity
    store.save(s)
    store.close()
    return path, truth


def test_sets_are_measured_as_attempts_and_the_profile_uses_peak_velocity(library):
    path, truth = library
    sets = history(path, "Lu", "snatch")
    assert [len(s.attempts) for s in sets] == [1, 1, 1, 1] and not any(s.reps for s in sets)
    for s in sets[:3]:
        want = truth[s.set_number]
        assert s.attempts[0].made
        assert s.best_velocity == pytest.approx(want.peak_velocity_m_s, abs=0.08)
        assert s.best_peak_height == pytest.approx(want.peak_height_m, abs=0.03)
    assert not sets[3].attempts[0].made and sets[3].best_velocity is None
    summary = summarize(sets, "Lu", "snatch", 0.3)
    assert summary.weightlifting and "peak velocity" in summary.velocity
    assert [p[0] for p in summary.sessions[0].points] == [60.0, 70.0, 80.0]  # missed: out
    assert summary.profile is not None and summary.profile.slope < 0
    assert summary.e1rm is None and summary.reason == NO_OLYMPIC_1RM
    sets_csv, reps_csv = history_csv(sets)
    head = sets_csv.splitlines()[0].split(",")
    first = dict(zip(head, sets_csv.splitlines()[1].split(","), strict=True))
    assert first["attempts"] == "1" and first["made"] == "1"
    assert float(first["best_peak_velocity_m_s"]) == pytest.approx(
        truth[1].peak_velocity_m_s, abs=0.08)
    rows = reps_csv.splitlines()
    assert len(rows) == 1 + 4 and rows[-1].split(",")[10:12] == ["1", "false"]


def test_command_line_shows_attempts_and_no_threshold_1rm(library, capsys):
    from app.cli.progress import run

    path, _truth = library
    args = argparse.Namespace(lifter="Lu", exercise="snatch", mvt=None, units="kg", csv=None,
                              library=str(path))
    assert run(args) == 0
    out = capsys.readouterr().out
    assert "tries" in out and "peak v" in out and "best MCV" not in out
    assert "best made attempt's peak velocity" in out
    assert "no 1RM estimate: a 1RM from bar velocity is defined for squat" in out
