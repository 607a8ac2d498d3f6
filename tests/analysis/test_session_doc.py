"""Session documents: round trips, migrations from every version, newer files, bad files."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from analysis.annotations import KeyMoment, Style, Visibility, make_annotation
from analysis.session import FORMAT_VERSION, Readiness, Recording, Session, session_from_dict
from analysis.session.document import MIN_READER_VERSION, SessionFileError
from analysis.session.migrations import STEPS, migrate
from analysis.session.calibration import Calibration
from analysis.session.overrides import Overrides, RepOverride
from analysis.session.track import Track
from tests.analysis.test_annotations import SAMPLES


def full_session() -> Session:
    rec = Recording("/videos/set1.mp4", 123456, "ab" * 32, set_number=1, load=140.0)
    for i, (kind, pts) in enumerate(sorted(SAMPLES.items())):
        rec.annotations.append(make_annotation(kind, 0.1 * i, pts, Style(width=2 + i),
                                          Visibility("always" if i % 2 else "timed")))
    rec.key_moments.append(KeyMoment(2.5, "bottom of rep 1", "depth ok"))
    rec.track = Track(np.array([0.0, 0.033]), np.array([1.0, np.nan]), np.array([3.0, np.nan]),
                      np.array([1.0, 0.2]), np.array([2, 3], np.uint8))
    rec.calibration = Calibration(0.0015, "plate 450 mm", 300.0, 0.98, 24, "", (3, 1.5, 2.5, 150))
    rec.rep_overrides = Overrides((RepOverride(1.5, "failed"),
                                   RepOverride(4.0, None, {"concentric_start": 4.25})))
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


def test_newer_version_keeps_its_version_header_on_save():
    d = full_session().to_dict()
    d["format_version"] = FORMAT_VERSION + 1
    d["min_reader_version"] = FORMAT_VERSION
    s = session_from_dict(copy.deepcopy(d))
    s.notes = "edited by an older LiftLens"
    out = s.to_dict()
    # still declares what it holds, so the newer LiftLens does not migrate it again
    assert (out["format_version"], out["min_reader_version"]) == (FORMAT_VERSION + 1,
                                                                  FORMAT_VERSION)
    assert session_from_dict(out).notes == "edited by an older LiftLens"
    # a document of our own version always declares ours
    own = full_session().to_dict()
    assert (own["format_version"], own["min_reader_version"]) == (FORMAT_VERSION,
                                                                  MIN_READER_VERSION)


def _add_unknown_fields_everywhere(d: dict) -> None:
    d["coach"] = {"name": "K", "ok": True}
    d["readiness"]["hrv"] = 61
    for r in d["recordings"]:
        r["audio"] = ["a.m4a"]
        r["video"]["codec"] = "hevc"
        for a in r["annotations"]:
            a["glow"] = 3
            a["style"]["shadow"] = {"blur": 2}
            a["visibility"]["easing"] = "cubic"
        for k in r["key_moments"]:
            k["severity"] = "high"


def test_unknown_fields_at_every_level_round_trip_exactly():
    d = json.loads(json.dumps(full_session().to_dict()))
    _add_unknown_fields_everywhere(d)
    d["recordings"][0]["annotations"].append({"type": "skeleton", "id": "s", "t": 0, "j": [1]})
    s = session_from_dict(copy.deepcopy(d))
    assert s.to_dict() == d
    # and an edit keeps them
    s.recordings[0].annotations[0] = s.recordings[0].annotations[0].translated(5, 5)
    out = s.to_dict()
    assert out["recordings"][0]["annotations"][0]["style"]["shadow"] == {"blur": 2}
    assert out["recordings"][0]["video"]["codec"] == "hevc"


@pytest.mark.parametrize("min_reader", [FORMAT_VERSION + 1, True, "2", None, 2.0])
def test_newer_version_with_a_bad_or_higher_min_reader_is_refused(min_reader):
    d = full_session().to_dict()
    d["format_version"] = FORMAT_VERSION + 1
    d["min_reader_version"] = min_reader
    with pytest.raises(SessionFileError, match="newer LiftLens"):
        session_from_dict(d)


def test_readiness_answers_are_yes_no_or_ratings():
    for slept, rec in [(True, 4), (3, False), (None, None), (5, 1)]:
        d = full_session().to_dict()
        d["readiness"].update(slept_well=slept, recovered=rec)
        r = session_from_dict(d).readiness
        assert (r.slept_well, r.recovered) == (slept, rec)
    for bad in (0, 6, "yes", 2.5):
        d = full_session().to_dict()
        d["readiness"]["recovered"] = bad
        with pytest.raises(SessionFileError, match="recovered"):
            session_from_dict(d)
    r = Readiness()
    r.pain_or_compensation = "right hip shift"
    assert r.pain == "right hip shift" and r.to_dict()["pain"] == "right hip shift"


def test_snapshots_are_independent_and_hash_tracks_changes():
    s = full_session()
    snap = s.to_dict()
    snap["recordings"][0]["track"]["x"].append(99.0)
    snap["recordings"][0]["annotations"][0]["points"][0][0] = -5
    assert s.recordings[0].to_dict()["track"]["x"] == [1.0, None]  # snapshots share nothing
    h = s.content_hash()
    assert h == full_session_like(s).content_hash()
    s.recordings[0].annotations[0] = s.recordings[0].annotations[0].translated(0.5, 0)
    assert s.content_hash() != h
    assert session_from_dict(s.to_dict()).content_hash() == s.content_hash()
    rec = s.recordings[0]
    rec.content_hash = "cd" * 32
    assert rec.video_fingerprint == "cd" * 32


def full_session_like(s: Session) -> Session:
    return session_from_dict(json.loads(json.dumps(s.to_dict())))


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
    # each step raises the version by exactly one
    for version, step in STEPS.items():
        sample = copy.deepcopy(EARLIER[version])
        assert step(sample)["format_version"] == version + 1
    # and every earlier shape reaches the current version and saves as it
    for _version, doc in EARLIER.items():
        s = session_from_dict(copy.deepcopy(doc))
        out = s.to_dict()
        assert out["format_version"] == FORMAT_VERSION
        assert session_from_dict(out) == s
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


#: version 2: rep corrections could mark and move reps, not split or merge them
V2 = {"format": "liftlens-session", "format_version": 2, "min_reader_version": 2,
      "id": "old-2", "lifter": "Bo", "date": "2026-03-01", "exercise": "squat",
      "recordings": [{"id": "r1", "video": {"path": "/v/squat.mp4", "size": 0,
                                            "fingerprint": ""},
                      "set_number": 1,
                      "rep_overrides": {"version": 1, "reps": [
                          {"at": 4.2, "status": "failed"},
                          {"at": 8.0, "boundaries": {"concentric_end": 8.9}}]}}]}

#: one sample document of every earlier format version
EARLIER = {1: V1, 2: V2}


@pytest.mark.parametrize("field, value", [("drawings", True), ("moments", 7),
                                          ("drawings", {"a": 1})])
def test_damaged_v1_lists_are_plain_errors(field, value):
    """Found by the fuzz test: a v1 file whose drawings were ``true`` raised TypeError."""
    d = dict(copy.deepcopy(V1), **{field: value})
    with pytest.raises(SessionFileError, match="damaged"):
        session_from_dict(d)


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
    (lambda d: d["recordings"][0]["video"].update(size=-1), "size"),
    (lambda d: d["recordings"][0].update(track=[1, 2]), "track"),
    (lambda d: d.update(comparisons=[1]), "comparison"),
    (lambda d: d.update(id=""), "id"),
    (lambda d: d.update(sets=True), "sets"),
    (lambda d: d.update(load=float("inf")), "load"),
    (lambda d: d["recordings"][0]["key_moments"].append({"t": 1}), "drawing"),
    (lambda d: d.update(format_version=0), "version"),
    (lambda d: d["recordings"][0].update(left_at_s="end"), "left on"),
    (lambda d: d["recordings"][0].update(left_at_s=-1.0), "left on"),
    (lambda d: d["recordings"][0].update(left_at_s=float("nan")), "left on"),
    (lambda d: d.update(on_screen_set=3), "last on screen"),
    (lambda d: d.update(on_screen_set=""), "last on screen"),
])
def test_damaged_documents_are_plain_errors(mutate, message):
    d = full_session().to_dict()
    mutate(d)
    with pytest.raises(SessionFileError, match=message):
        session_from_dict(d)


def test_where_each_set_was_left_is_kept_and_older_files_open_without_it():
    """The frame each set was left on (its timestamp, s) is saved with the session, so a
    set reopened after a restart shows it again; files written before it existed (no
    ``left_at_s``) still open, at the first frame, and save without it."""
    s = full_session()
    s.recordings[0].left_at = 2.0333333333333332
    d = json.loads(json.dumps(s.to_dict()))
    assert d["recordings"][0]["left_at_s"] == 2.0333333333333332
    assert "left_at_s" not in d["recordings"][1]  # never left: nothing written
    back = session_from_dict(d)
    assert back.recordings[0].left_at == 2.0333333333333332  # exact, not rounded
    assert back.recordings[1].left_at is None and back == s
    old = full_session().to_dict()  # as LiftLens wrote it before
    assert all("left_at_s" not in r for r in old["recordings"])
    opened = session_from_dict(json.loads(json.dumps(old)))
    assert [r.left_at for r in opened.recordings] == [None, None]
    assert opened.to_dict() == old


def test_the_set_last_on_screen_is_kept_and_older_files_open_on_the_first_set():
    """The session reopens on the set that was on screen when it was left (saved as the
    document's ``on_screen_set``); files written before it (no such field), and an id
    naming a set that is gone, open on the first set and save as they were."""
    s = full_session()
    assert s.reopens_on() is s.recordings[0]
    s.on_screen = s.recordings[1].id
    d = json.loads(json.dumps(s.to_dict()))
    assert d["on_screen_set"] == s.recordings[1].id
    back = session_from_dict(d)
    assert back == s and back.reopens_on() is back.recordings[1]
    old = full_session().to_dict()  # as LiftLens wrote it before
    assert "on_screen_set" not in old
    opened = session_from_dict(json.loads(json.dumps(old)))
    assert opened.on_screen is None and opened.reopens_on() is opened.recordings[0]
    assert opened.to_dict() == old
    d["on_screen_set"] = "a-set-that-was-removed"
    gone = session_from_dict(d)
    assert gone.reopens_on() is gone.recordings[0]
