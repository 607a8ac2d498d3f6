"""Compare with a recording picked from the library: it comes from another session with its
track, calibration, rep corrections and drawings, and its analysis shows without tracking
the video again."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QDialog

from analysis.annotations.shapes import Line
from analysis.session.calibration import Calibration
from analysis.session.document import Recording, Session
from analysis.session.library import list_recordings, load_recording
from analysis.session.portable import describe_video
from analysis.session.store import SessionStore
from analysis.session.track import STATE_TRACKED, Track
from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from widgets.library_picker import LibraryPickerDialog

SLOW = LiftScript(reps=(RepSpec(2.0, 0.8, 1.1, 0.6, 0.5), RepSpec(2.0, 0.8, 1.2, 0.6, 0.5),
                        RepSpec(2.0, 0.8, 1.3, 0.6, 0.5)), setup=1.0, end_idle=0.6)


@pytest.fixture(scope="module")
def clips(tmp_path_factory, two_squats):
    d = tmp_path_factory.mktemp("cmplib")
    b = make_lift_clip(d / "last-month.mp4", SLOW, size=(480, 270), px_per_m=220.0,
                       noise=1.0, seed=5)
    return two_squats, (d / "last-month.mp4", b)


def _saved_recording(path, truth) -> Recording:
    n = len(truth.times)
    rec = Recording(str(path), set_number=2, load=120.0)
    describe_video(rec, str(path))
    rec.track = Track(np.asarray(truth.times, float), np.asarray(truth.x, float),
                      np.asarray(truth.y, float), np.ones(n),
                      np.full(n, STATE_TRACKED, np.uint8))
    rec.calibration = Calibration(m_per_px=truth.m_per_px, source="plate of 450 mm",
                                  reference_px=0.45 / truth.m_per_px)
    rec.annotations.append(Line(t=0.5, points=[(100.0, 50.0), (300.0, 200.0)]))
    return rec


def test_library_lists_and_reads_recordings(tmp_path, clips):
    (_, _), (pb, tb) = clips
    store = SessionStore(tmp_path / "lib.sqlite3")
    s = Session(lifter="Ana", date="2026-10-01", exercise="back squat", load=100.0)
    s.recordings.append(_saved_recording(pb, tb))
    s.recordings.append(Recording("/elsewhere/untracked.mp4", set_number=1))
    store.save(s)
    entries = list_recordings(store)
    assert [(e.set_number, e.tracked, e.calibrated, e.drawings, e.load) for e in entries] == \
        [(1, False, False, 0, 100.0), (2, True, True, 1, 120.0)]
    assert entries[1].label == "2026-10-01 · Ana · back squat 120 kg · set 2"
    session, rec = load_recording(store, s.id, entries[1].recording_id)
    assert session.id == s.id and rec.track is not None and len(rec.annotations) == 1
    assert list_recordings(store, lifter="Ben") == []
    store.close()


def test_pick_a_recording_from_another_session(make_window, qtbot, clips, tmp_path,
                                               monkeypatch):
    (pa, _), (pb, tb) = clips
    from app.settings import data_dir

    monkeypatch.setenv("LIFTLENS_DATA_DIR", str(tmp_path / "data"))
    store = SessionStore(data_dir() / "library.sqlite3")
    old = Session(lifter="Ana", date="2026-10-01", exercise="back squat", load=100.0)
    saved = _saved_recording(pb, tb)
    old.recordings.append(saved)
    store.save(old)
    store.close()

    # tracking the picked video again would be a bug: make it fail loudly
    import analysis.tracking as tracking

    def no_tracking(*a, **k):
        raise AssertionError("the picked recording was tracked again")

    monkeypatch.setattr(tracking.BarTracker, "__init__", no_tracking)
    import app.controllers.analysis as ctl

    monkeypatch.setattr(ctl.BarTracker, "__init__", no_tracking)

    shown = {}

    def pick(self):
        shown["rows"] = [(e.date, e.set_number, e.load) for e in self.shown]
        shown["thumbs"] = set(self._thumbs)
        assert self.select(saved.id)
        self.accept()
        return QDialog.Accepted

    monkeypatch.setattr(LibraryPickerDialog, "exec", pick)
    win = make_window(pa, size=(1400, 850))
    ws = win.workspace
    assert win.model.session is not None and win.model.session.id != old.id
    win.actions_by_id["compare_with"].trigger()
    # the list came from the library, with a thumbnail of the picked video
    assert ("2026-10-01", 2, 120.0) in shown["rows"] and saved.id in shown["thumbs"]
    qtbot.waitUntil(lambda: win.compare.active, timeout=10000)
    ca = ws.compare_analysis
    qtbot.waitUntil(lambda: ca.results[1] is not None, timeout=20000)
    side = win.model.comparison.sides[1]
    # the recording of the other session, as saved: track, scale, drawings
    assert side.recording is not None and side.recording.id == saved.id
    assert side.exercise == "back squat"
    np.testing.assert_array_equal(side.recording.track.x, saved.track.x)
    assert side.recording.calibration.m_per_px == pytest.approx(tb.m_per_px)
    assert len(side.recording.annotations) == 1
    # its analysis shows at once: three reps in m/s, in the comparison table
    rb = ca.results[1]
    assert rb.units == "m" and len(rb.reps) == 3
    assert rb.reps[0].metrics.mean_concentric_velocity == pytest.approx(
        tb.reps[0].mean_concentric_velocity, rel=0.15)
    assert win.compare.view.side_painters[1] is not None
    assert win.compare.controller.sides[1].label.startswith("2026-10-01 · Ana")
    # the open set is named the same way, not by its file name (the captions differed)
    own = win.model.session
    assert win.compare.controller.sides[0].label == " · ".join(
        p for p in (own.date, own.lifter, own.exercise, "set 1") if p)
    # the open session was not given the other session's video
    assert all(r.id != saved.id for r in win.model.session.recordings)
    # the side-by-side export carries B's data overlay (bottom-left of its half), as the
    # screen does: the last frame lists its finished reps with their MCV and tempo
    import av

    assert ws.exports.compare_results()[1] is rb
    from analysis.export.hud import hud_lines

    during = hud_lines(rb)(0.5 * (rb.reps[0].start + rb.reps[0].phases["concentric"][1]))
    assert len(during) == 1 and during[0].startswith("Rep 1   ") and during[0].endswith("m/s")
    text = hud_lines(rb)(rb.reps[-1].end)  # from its last frame on, a rep is finished
    assert len(text) == 3 and text[-1].startswith("Rep 3: ") and "m/s" in text[-1]
    assert rb.reps[2].tempo_text in text[-1]
    out = tmp_path / "sbs.mp4"
    from widgets.export_dialog import ExportDialogWidget

    def save_as_out(dialog):  # the export dialog, its file name typed and Save pressed
        dialog.path.setText(str(out))
        return ExportDialogWidget.Accepted

    monkeypatch.setattr(ExportDialogWidget, "exec", save_as_out)
    if win.compare.view.layout_name != "side_by_side":  # the export follows the screen
        ws.actions["compare_layout"].trigger()
    ws.actions["export_sbs"].trigger()
    qtbot.waitUntil(lambda: out.exists() and ws.exports.job is not None
                    and not ws.exports.job.running, timeout=120000)
    with av.open(str(out)) as c:
        frames = [f.to_ndarray(format="bgr24").astype(int) for f in c.decode(video=0)]
    img = frames[-1]
    w = img.shape[1]
    half = (w - 8) // 2  # both clips are 480x270: equal halves around an 8 px gap
    a_text = _hud_box(img, 0, half)
    b_text = _hud_box(img, w - half, w)
    # white text on B's side (the generated gym never reaches white); A was never
    # tracked, so it has no overlay
    assert b_text > 150 and a_text < 20, (b_text, a_text)


def test_file_button_falls_back_to_a_video_file(make_window, qtbot, clips, monkeypatch):
    (pa, _), (pb, _) = clips
    from app import dialogs

    asked = []
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a, **k: asked.append(a) or str(pb))

    def want_file(self):
        self.file_button.click()
        return QDialog.Accepted

    monkeypatch.setattr(LibraryPickerDialog, "exec", want_file)
    win = make_window(pa, size=(1200, 800))
    win.actions_by_id["compare_with"].trigger()
    qtbot.waitUntil(lambda: win.compare.active, timeout=10000)
    assert asked and win.compare.controller.sides[1].feed.index.path == str(pb)


def _hud_box(img: np.ndarray, x0: int, x1: int) -> int:
    """Near-white pixels in the bottom-left corner of a slot (left of the plate, which is
    in the middle)."""
    h = img.shape[0]
    region = img[h * 3 // 4:, x0:x0 + (x1 - x0) * 3 // 10]
    bright = (region.min(axis=2) > 225).sum()
    return int(bright)


def test_the_picker_opens_on_the_exercise_however_it_is_written(qtbot):
    """From a clean and jerk set the picker opened on all exercises with a deadlift chosen:
    the lifter's other clean and jerk sets were stored as "clean_and_jerk" (a batch
    folder's name). Exercises are one whatever their case, underscores and hyphens."""
    from analysis.session.library import LibraryRecording
    from widgets.library_picker import LibraryPickerDialog

    def entry(rid: str, exercise: str) -> LibraryRecording:
        return LibraryRecording("s" + rid, rid, "Jo", "2026-12-01", exercise, None, "kg", 1,
                                f"/v/{rid}.mp4", True, True, 0)

    entries = [entry("a", "deadlift"), entry("b", "clean_and_jerk"),
               entry("c", "Clean and Jerk")]
    dlg = LibraryPickerDialog(entries, None, "Jo", "clean and jerk")
    qtbot.addWidget(dlg)
    assert dlg.exercise.count() == 3  # all, clean and jerk (once), deadlift
    assert dlg.exercise.currentData() == "clean and jerk"
    assert sorted(e.recording_id for e in dlg.shown) == ["b", "c"]
    assert dlg.table.currentRow() == 0 and dlg.shown[0].exercise != "deadlift"
