"""A recording's track, calibration and rep corrections are typed and checked once, where a
session file or a library row is read: damaged values give a plain error, never a crash
later in the analysis or a view."""

from __future__ import annotations

import json
import math
import sqlite3

import numpy as np
import pytest

from analysis.session.analyze import analyze_recording
from analysis.session.calibration import Calibration
from analysis.session.document import (Recording, RecordingDataError, Session,
                                       SessionFileError, session_from_dict)
from analysis.session.overrides import Overrides, RepOverride
from analysis.session.portable import export_session, import_session
from analysis.session.store import SessionStore, StorageError
from analysis.session.track import Track
from analysis.lift.exercises import lift_for

GOOD_TRACK = {"version": 1, "t": [0.0, 0.04, 0.08], "x": [10.0, 11.0, None],
              "y": [20.0, 21.5, None], "confidence": [1.0, 0.9, None], "state": [2, 1, 3]}


def _doc(track=None, calibration=None, overrides=None) -> dict:
    rec = Recording("/videos/set1.mp4", 10, "ab" * 32)
    d = Session(lifter="Ann", date="2026-11-20", recordings=[rec]).to_dict()
    r = d["recordings"][0]
    r["track"] = GOOD_TRACK if track is None else track
    r["calibration"] = calibration if calibration is not None else {}
    r["rep_overrides"] = overrides if overrides is not None else {}
    return d


def test_a_good_recording_reads_into_typed_objects_and_round_trips():
    d = _doc(calibration={"m_per_px": 0.0015, "source": "plate 450 mm", "future_key": [1]},
             overrides={"version": 1, "reps": [{"at": 0.05, "status": "failed"}]})
    s = session_from_dict(json.loads(json.dumps(d)))
    rec = s.recordings[0]
    assert isinstance(rec.track, Track) and len(rec.track) == 3
    assert np.isnan(rec.track.x[2]) and rec.track.state.tolist() == [2, 1, 3]
    assert rec.track.frames.tolist() == [0, 1, 2]
    assert isinstance(rec.calibration, Calibration) and rec.calibration.m_per_px == 0.0015
    assert rec.calibration.extra == {"future_key": [1]}  # kept for a newer LiftLens
    assert rec.rep_overrides == Overrides((RepOverride(0.05, "failed"),))
    again = session_from_dict(json.loads(json.dumps(s.to_dict())))
    assert again == s and again.to_dict() == s.to_dict()


def test_empty_slots_mean_not_tracked_not_calibrated_no_corrections():
    d = _doc()
    d["recordings"][0]["track"] = {}
    rec = session_from_dict(d).recordings[0]
    assert rec.track is None and rec.calibration is None and not rec.rep_overrides
    assert rec.to_dict()["track"] == {} and rec.to_dict()["calibration"] == {}


BAD_TRACKS = {
    "only times": {"t": [0]},
    "state -1": dict(GOOD_TRACK, state=[2, 1, -1]),
    "state 7": dict(GOOD_TRACK, state=[2, 1, 7]),
    "state as text": dict(GOOD_TRACK, state=[2, 1, "lost"]),
    "state as bool": dict(GOOD_TRACK, state=[2, True, 3]),
    "infinite x": dict(GOOD_TRACK, x=[10.0, math.inf, None]),
    "1e999 y": dict(GOOD_TRACK, y=[20.0, 1e999, None]),
    "NaN time": dict(GOOD_TRACK, t=[0.0, math.nan, 0.08]),
    "missing time": dict(GOOD_TRACK, t=[0.0, None, 0.08]),
    "times not increasing": dict(GOOD_TRACK, t=[0.0, 0.04, 0.04]),
    "times going back": dict(GOOD_TRACK, t=[0.0, 0.08, 0.04]),
    "lengths differ": dict(GOOD_TRACK, x=[10.0, 11.0]),
    "states short": dict(GOOD_TRACK, state=[2, 1]),
    "x without y": dict(GOOD_TRACK, y=[20.0, None, None]),
    "x as text": dict(GOOD_TRACK, x=["10", 11.0, None]),
    "confidence above 1": dict(GOOD_TRACK, confidence=[1.0, 7.0, None]),
    "huge coordinate": dict(GOOD_TRACK, x=[1e12, 11.0, None]),
    "huge integer": dict(GOOD_TRACK, x=[10 ** 400, 11.0, None]),
    "no frames": dict(GOOD_TRACK, t=[], x=[], y=[], confidence=[], state=[]),
    "tracked without a position": dict(GOOD_TRACK, state=[2, 1, 1]),
    "column not a list": dict(GOOD_TRACK, x={"0": 1}),
    "not an object": [1, 2, 3],
    "newer version": dict(GOOD_TRACK, version=9),
}
BAD_CALIBRATIONS = {
    "no scale": {"source": "plate"},
    "NaN scale": {"m_per_px": math.nan},
    "infinite scale": {"m_per_px": 1e999},
    "zero scale": {"m_per_px": 0},
    "negative scale": {"m_per_px": -0.001},
    "absurd scale": {"m_per_px": 50.0},
    "scale as text": {"m_per_px": "0.001"},
    "bad axis ratio": {"m_per_px": 0.001, "axis_ratio": 3.0},
    "bad circle": {"m_per_px": 0.001, "circle": [1, 2]},
    "circle with NaN": {"m_per_px": 0.001, "circle": [1, 2, math.nan, 4]},
    "frames as text": {"m_per_px": 0.001, "frames": "24"},
    "not an object": [0.001],
}
BAD_OVERRIDES = {
    "no time": {"reps": [{"status": "failed"}]},
    "NaN time": {"reps": [{"at": math.nan}]},
    "infinite time": {"reps": [{"at": 1e999}]},
    "time as text": {"reps": [{"at": "1.5"}]},
    "unknown status": {"reps": [{"at": 1.0, "status": "great"}]},
    "unknown boundary": {"reps": [{"at": 1.0, "boundaries": {"middle": 1.2}}]},
    "boundary NaN": {"reps": [{"at": 1.0, "boundaries": {"eccentric_end": math.nan}}]},
    "reps not a list": {"reps": {"at": 1.0}},
    "rep not an object": {"reps": [1.0]},
    "not an object": [1],
}


@pytest.mark.parametrize("name", sorted(BAD_TRACKS))
def test_damaged_tracks_are_refused_in_plain_words(name):
    with pytest.raises(RecordingDataError) as err:
        session_from_dict(_doc(track=BAD_TRACKS[name]))
    _plain(err.value)


@pytest.mark.parametrize("name", sorted(BAD_CALIBRATIONS))
def test_damaged_calibrations_are_refused_in_plain_words(name):
    with pytest.raises(RecordingDataError) as err:
        session_from_dict(_doc(calibration=BAD_CALIBRATIONS[name]))
    _plain(err.value)


@pytest.mark.parametrize("name", sorted(BAD_OVERRIDES))
def test_damaged_rep_corrections_are_refused_in_plain_words(name):
    with pytest.raises(RecordingDataError) as err:
        session_from_dict(_doc(overrides=BAD_OVERRIDES[name]))
    _plain(err.value)


def _plain(exc: Exception) -> None:
    assert isinstance(exc, ValueError) and isinstance(exc, SessionFileError)
    msg = str(exc)
    assert msg.startswith("Set 1 (set1.mp4): ") and msg.endswith(".")
    assert "Traceback" not in msg and "KeyError" not in msg and len(msg) < 300


def test_a_damaged_file_is_refused_at_import_and_left_alone(tmp_path):
    good = Session(lifter="Ann", date="2026-11-20", recordings=[Recording("/v/a.mp4")])
    path = tmp_path / "s.liftlens"
    export_session(good, path)
    doc = json.loads(path.read_text())
    doc["recordings"][0]["track"] = dict(GOOD_TRACK, y=[20.0, 21.0, None])
    doc["recordings"][0]["track"]["t"] = [0.0, 0.04, 0.02]
    raw = json.dumps(doc).replace("0.02", "1e999").encode()
    path.write_bytes(raw)
    with pytest.raises(SessionFileError, match="s.liftlens.*Set 1 .a.mp4.*finite"):
        import_session(path)
    assert path.read_bytes() == raw


def test_a_damaged_library_row_is_refused_when_read(tmp_path):
    store = SessionStore(tmp_path / "lib.sqlite3")
    try:
        doc = _doc()
        store.save_document(doc)
        damaged = _doc(track={"t": [0]})
        damaged["id"] = doc["id"]
        with sqlite3.connect(tmp_path / "lib.sqlite3") as db:  # a row damaged on disk
            db.execute("UPDATE sessions SET doc=? WHERE id=?", (json.dumps(damaged), doc["id"]))
        with pytest.raises(StorageError, match="bar track is damaged"):
            store.get(doc["id"])
    finally:
        store.close()


def test_analyze_recording_uses_track_calibration_and_corrections():
    t = np.arange(0, 6, 1 / 30)
    depth = 0.25 * (1 - np.cos(2 * np.pi * t / 2)) / 2  # three 2-second reps, m
    rec = Recording("/v/a.mp4", track=Track(t, np.full_like(t, 100.0), 400 + depth / 0.001,
                                            np.ones_like(t), np.ones(len(t), np.uint8)))
    assert analyze_recording(Recording("/v/b.mp4"), "squat") is None
    px = analyze_recording(rec, "Back squat")
    assert px is not None and px.units == "px" and px.lift == "squat"
    rec.calibration = Calibration(0.001, "line of 100 mm", 100.0)
    m = analyze_recording(rec, "back squat")
    assert m.units == "m" and m.calibration["source"] == "line of 100 mm"
    assert m.reps[0].metrics.rom == pytest.approx(0.25, abs=0.01)
    rec.rep_overrides = Overrides((RepOverride(m.reps[0].turn_time, "false"),))
    assert analyze_recording(rec, "back squat").reps[0].status == "false"


@pytest.mark.parametrize("exercise, lift", [
    ("Back squat", "squat"), ("", None), ("Hip thrust", None), ("Bench press", "bench"), ("Deadlift", "deadlift"),
    ("Romanian deadlift", "deadlift"), ("Pull-up", "deadlift"), ("Power clean", "deadlift"),
    ("Overhead press", "press"), ("Push jerk", "press"), ("press", "press"),
    ("deadlift", "deadlift")])
def test_exercise_to_lift_table(exercise, lift):
    assert lift_for(exercise) == lift
