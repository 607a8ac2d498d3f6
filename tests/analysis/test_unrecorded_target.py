"""Tracks saved before the point they follow was recorded (2026-11-29): session documents,
library records and ``liftlens batch`` result files without ``target``. Such a track loads
as "not recorded" (``unknown``), never as a point chosen, keeps it through saves, and is
told plainly: its plate-scale note claims no error, Compare sessions and Progress say which
set's point is unknown, and a correction on it resolves the click as a new track does."""

from __future__ import annotations

import json

import numpy as np

from analysis.batch.clip import VideoAnalysis
from analysis.progress.history import RepPoint, SetRecord
from analysis.progress.sessions import match_sets
from analysis.session.analyze import analyze_recording
from analysis.session.portable import import_session
from analysis.session.store import SessionStore
from analysis.session.track import (PLATE_SCALE_NOTES, TARGET_BAR_END, TARGET_PLATE,
                                    TARGET_UNKNOWN, Track)
from analysis.tracking import BarTracker
from analysis.video import VideoSource
from tests.analysis.test_plate_scale_note import LINE, PLATE, _recording
from tests.analysis.test_tracking_kinds import make_parallax

#: a track as LiftLens wrote it before 2026-11-29: no "target"
OLD_TRACK = {"version": 1, "t": [0.0, 1 / 30, 2 / 30], "x": [200.0, 200.5, None],
             "y": [600.0, 598.0, None], "confidence": [1.0, 0.9, 0.0], "state": [2, 1, 3]}
#: a session document of that time, holding it, its scale measured on the plate
OLD_SESSION = {
    "format": "liftlens-session", "format_version": 2, "min_reader_version": 2,
    "app_version": "0.1.0", "id": "0b1d5e55-0000-4000-8000-000000000001", "lifter": "Ana",
    "name": "", "date": "2026-11-20", "exercise": "back squat", "load": 100.0,
    "load_unit": "kg", "sets": None, "reps": None, "rpe": None, "tempo": "", "notes": "",
    "readiness": {"slept_well": None, "recovered": None, "pain": "", "intent": ""},
    "recordings": [{
        "id": "0b1d5e55-0000-4000-8000-000000000002",
        "video": {"path": "/videos/set1.mp4", "size": 0, "fingerprint": ""},
        "set_number": 1, "load": 100.0, "annotations": [], "key_moments": [],
        "track": OLD_TRACK,
        "calibration": {"m_per_px": 0.00185, "source": "plate 450 mm measured on 24 frames",
                        "reference_px": 243.2, "axis_ratio": 1.0, "frames": 24,
                        "warning": "", "circle": None, "spread_pct": None, "certainty": ""},
        "rep_overrides": {}}],
    "comparisons": []}


def test_an_old_track_loads_as_not_recorded_and_stays_so(tmp_path):
    track = Track.from_dict(json.loads(json.dumps(OLD_TRACK)))
    assert track.target == TARGET_UNKNOWN and track.target_name == "point not recorded"
    again = Track.from_dict(json.loads(json.dumps(track.to_dict())))
    assert track.to_dict()["target"] == "unknown" and again.target == TARGET_UNKNOWN
    # a kind this version does not know is not claimed as a point chosen either
    assert Track.from_dict({**OLD_TRACK, "target": "hip"}).target == TARGET_UNKNOWN
    # a session file of that time, and its document through the library and back
    old_file = tmp_path / "old.liftlens"
    old_file.write_text(json.dumps(OLD_SESSION), encoding="utf-8")
    assert import_session(old_file).recordings[0].track.target == TARGET_UNKNOWN
    with SessionStore(tmp_path / "library.sqlite3") as store:
        store.save_document(json.loads(json.dumps(OLD_SESSION)))
        back = store.get(OLD_SESSION["id"])
        assert back.recordings[0].track.target == TARGET_UNKNOWN
        store.save(back)  # saved again by this version: still unknown, not "point"
        saved = store.get(OLD_SESSION["id"])
    assert saved.to_dict()["recordings"][0]["track"]["target"] == "unknown"
    assert saved.recordings[0].track.target == TARGET_UNKNOWN


def test_a_result_file_without_the_point_says_unknown():
    """``liftlens batch`` reads back a clip's track from its result files; one written
    before the point was recorded says nothing of it."""
    old = VideoAnalysis(None, dict(OLD_TRACK), {}, [])  # type: ignore[arg-type]
    assert old.tracking["target"] == "unknown"
    assert old.tracking["target_name"] == "point not recorded"


def test_batch_reads_an_old_result_file_back_as_unknown(tmp_path):
    """A clip finished by an earlier ``liftlens batch`` and added to the library from its
    result files afterwards: a result file without ``tracking.target`` gives a track whose
    point is not recorded; one that names it keeps it."""
    from analysis.batch.library import LibraryWriter
    from analysis.batch.run import Clip, Label
    from analysis.io.track_csv import track_csv_text

    video = tmp_path / "set1.mp4"
    video.write_bytes(b"not decoded here")
    t = np.arange(3) / 30.0
    (tmp_path / "set1-track.csv").write_text(track_csv_text(
        np.arange(3), t, np.array([200.0, 200.5, 201.0]), np.array([600.0, 598.0, 596.0])),
        encoding="utf-8")
    entry = {"csv": "set1-track.csv", "json": "set1.json", "lift": "squat"}
    found = {}
    for name, tracking in (("old", None), ("new", {"target": "plate"})):
        doc = {"calibration": {"m_per_px": 0.002, "source": "argument"}}
        if tracking:
            doc["tracking"] = tracking
        (tmp_path / "set1.json").write_text(json.dumps(doc), encoding="utf-8")
        writer = LibraryWriter(tmp_path / f"{name}.sqlite3")
        try:
            err, _note, sid = writer.ensure(Clip(video, "set1.mp4"), Label("Ana", "squat"),
                                            entry, "", tmp_path)
            assert err == "", err
            found[name] = writer._open().get(sid).recordings[0].track.target
        finally:
            writer.close()
    assert found == {"old": TARGET_UNKNOWN, "new": TARGET_PLATE}


def test_the_plate_scale_note_of_an_old_track_claims_no_error():
    res = analyze_recording(_recording(TARGET_UNKNOWN, PLATE), "deadlift")
    assert res is not None and res.reps
    said = PLATE_SCALE_NOTES[TARGET_UNKNOWN]
    assert said in res.warnings and PLATE_SCALE_NOTES[TARGET_BAR_END] not in res.warnings
    assert said.startswith("the scale was measured at the plate, but the point this track "
                           "follows was not recorded (saved by an earlier version)")
    assert "if it is not the plate centre" in said and "about 15 %" in said
    assert res.warnings[0].startswith("tracked point not recorded (saved by an earlier "
                                      "version")
    assert not any("point chosen" in w for w in res.warnings)
    # a scale from a drawn line holds wherever it was drawn: nothing to say
    line = analyze_recording(_recording(TARGET_UNKNOWN, LINE), "deadlift")
    assert line is not None
    assert not any(w.startswith("the scale was measured at the plate") for w in line.warnings)


def _set(side: str, point: str) -> SetRecord:
    rep = RepPoint(1, 0.6, 1.1, 0.55, "2.0-0.5-0.8-0.5", (2.0, 0.5, 0.8, 0.5), True)
    return SetRecord(side, "", "Ana", "back squat", 1, 100.0, [rep], None, None,
                     tracked_point=point)


def test_compare_says_which_sets_point_is_not_recorded():
    def pair(a: str, b: str):
        (p,) = match_sets([_set("a", a)], [_set("b", b)], "order")
        return p

    old_a = pair(TARGET_UNKNOWN, TARGET_PLATE)
    assert not old_a.same_point() and not old_a.points_differ()
    assert old_a.unrecorded_points() == "a"
    assert pair(TARGET_PLATE, TARGET_UNKNOWN).unrecorded_points() == "b"
    both = pair(TARGET_UNKNOWN, TARGET_UNKNOWN)
    assert both.unrecorded_points() == "ab" and not both.same_point()
    known = pair(TARGET_BAR_END, TARGET_PLATE)
    assert known.points_differ() and known.unrecorded_points() == ""
    untracked = pair(TARGET_UNKNOWN, "")  # B has no numbers: nothing to tell
    assert untracked.same_point() and untracked.unrecorded_points() == ""


def test_a_correction_on_an_old_track_resolves_the_click_as_a_new_track(tmp_path):
    """A correction follows its base track's kind; an old track's is unknown, so the click
    is resolved as a new one (here on the plate's hub: the plate centre), not read as a
    point because "unknown" is no kind to resolve."""
    path = tmp_path / "plate.mp4"
    x, y = make_parallax(path, 0.0, n=24)
    with VideoSource(str(path)) as src:
        base = BarTracker().track(src, 0, (x[0], y[0]), target="point")
    base.target = TARGET_UNKNOWN  # as an old session loads it
    n = 12
    anchors = {**base.anchors(), n: (float(x[n]), float(y[n]))}
    with VideoSource(str(path)) as src:
        fixed = BarTracker().track(src, n, (float(x[n]), float(y[n])), anchors=anchors,
                                   base=base, start=n, target="auto")
    assert fixed.target == TARGET_PLATE
    assert np.nanmax(np.hypot(fixed.x[n:] - x[n:], fixed.y[n:] - y[n:])) < 6.0
