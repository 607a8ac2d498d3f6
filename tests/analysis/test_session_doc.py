"""Session documents: round trips, migrations from every version, newer files, bad files."""

from __future__ import annotations

import copy
import json

import pytest

from analysis.annotations import KeyMoment, Style, Visibility, make_annotation
from analysis.session import FORMAT_VERSION, Readiness, Recording, Session, session_from_dict
from analysis.session.document import SessionFileError
from analysis.session.migrations import STEPS, migrate
from tests.analysis.test_annotations import SAMPLES


def full_session() -> Session:
    rec = Recording("/videos/set1.mp4", 123456, "ab" * 32, set_number=1, load=140.0)
    for i, (kind, pts) in enumerate(sorted(SAMPLES.items())):
        rec.annotations.append(make_annotation(kind, 0.1 * i, pts, Style(width=2 + i),
                                          Visibility("always" if i % 2 else "timed")))
    rec.key_moments.append(KeyMoment(2.5, "bottom of rep 1", "depth ok"))
    rec.track = {"frames": [0, 1], "x": [1.0, 2.0], "y": [3.0, 4.0]}
    rec.calibration = {"m_per_px": 0.0015, "source": "plate 450 mm"}
    rec.rep_overrides = {"2": {"status": "failed"}}
    s = Session(lifter="Ann", date="2026-11-20", exercise="back squat", load=140, load_unit="kg",
                sets=5, reps=5, rpe=8.5, notes="felt fast",
                readiness=Readiness(True, 4, "left knee a bit", "speed work"),
                recordings=[rec, Recording("/videos/set2.mp4", set_number=2)])
    s.comparisons.append({"a": rec.id, "b": s.recordings[1].id, "mode": "real"})
    return s


def test_whole_session_round_trip():
    s = full_session()
    d = json.loads(json.dumps(s.to_dict()))
    back = session_from_dict(d)
    assert back == s
    assert back.to_dict() == s.to_dict()
    assert d["format_version"] == FORMAT_VERSION


def test_unknown_parts_from_a_newer_version_survive_a_save():
    d = full_session().to_dict()
    d["format_version"] = FORMAT_VERSION + 1
    d["min_reader_version"] = FORMAT_VERSION
    d["coach_signature"] = {"by": "Coach K"}
    d["recordings"][0]["audio_notes"] = ["a.m4a"]
    d["recordings"][0]["annotations"].append({"type": "skeleton", "id": "s1", "t": 1.0,
                                              "joints": 17})
    s = session_from_dict(copy.deepcopy(d))
    out = s.to_dict()
    assert out["coach_signature"] == {"by": "Coach K"}
    assert out["recordings"][0]["audio_notes"] == ["a.m4a"]
    assert {"type": "skeleton", "id": "s1", "t": 1.0, "joints": 17} in \
        out["recordings"][0]["annotations"]


def test_newer_version_that_we_cannot_read_is_a_plain_error():
    d = full_session().to_dict()
    d["format_version"] = FORMAT_VERSION + 3
    d["min_reader_version"] = FORMAT_VERSION + 2
    with pytest.raises(SessionFileError, match="newer LiftLens"):
        session_from_dict(d)


V1 = {"format": "liftlens-session", "format_version": 1, "id": "old-1", "lifter": "Bo",
      "date": "2025-03-01", "exercise": "bench", "load": "100 kg", "notes": "pause reps",
      "video": "/v/bench.mp4",
      "drawings": [{"type": "line", "id": "l1", "at": 1.5, "points": [[0, 0], [5, 5]]}],
      "moments": [{"id": "m1", "t": 2.0, "title": "touch", "comment": ""}]}


def test_every_earlier_version_migrates():
    assert set(STEPS) == set(range(1, FORMAT_VERSION))
    s = session_from_dict(copy.deepcopy(V1))
    assert (s.lifter, s.load, s.load_unit, s.exercise) == ("Bo", 100.0, "kg", "bench")
    rec = s.recordings[0]
    assert rec.video_path == "/v/bench.mp4"
    assert rec.annotations[0].t == 1.5 and rec.annotations[0].type == "line"
    assert rec.key_moments[0].title == "touch"
    # migrating never modifies its input
    d = copy.deepcopy(V1)
    migrate(d)
    assert d == V1


def test_v1_in_pounds_and_without_video():
    d = dict(V1, load="225 lb")
    del d["video"]
    s = session_from_dict(d)
    assert s.load == 225 and s.load_unit == "lb" and s.recordings == []


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(format="something-else"), "not a LiftLens"),
    (lambda d: d.update(format_version="two"), "version"),
    (lambda d: d.update(date="yesterday"), "date"),
    (lambda d: d.update(rpe=14), "RPE"),
    (lambda d: d.update(load_unit="stone"), "kg or lb"),
    (lambda d: d["recordings"][0].update(video={"size": 1}), "video path"),
    (lambda d: d["recordings"][0]["annotations"][0].update(points="x"), "drawing"),
    (lambda d: d.update(recordings={}), "damaged"),
])
def test_damaged_documents_are_plain_errors(mutate, message):
    d = full_session().to_dict()
    mutate(d)
    with pytest.raises(SessionFileError, match=message):
        session_from_dict(d)
