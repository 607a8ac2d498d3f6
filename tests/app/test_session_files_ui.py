"""File → Export session and File → Import session in the real window: the shared file
brings the lifter, the set and its drawings back, the video is found next to the file,
and a damaged file is refused in plain words while the open session stays."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from analysis.annotations import Line, Visibility


def test_export_then_import_brings_the_session_back(make_window, two_squats, tmp_path,
                                                     monkeypatch):
    share = tmp_path / "share"
    share.mkdir()
    video = share / "squat.mp4"
    shutil.copy(two_squats[0], video)
    win = make_window(video)
    ws = win.workspace
    ws.sessions.update_fields(lifter="Ann", exercise="squat")
    ws.drawing.add_imported([Line(t=0.0, points=[(10.0, 10.0), (100.0, 80.0)],
                                  visibility=Visibility("always"))], [])
    out = share / "ann.liftlens"
    offered: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _p, _t, suggested, *a, **k: (offered.append(suggested), (str(out), ""))[1])
    ws.actions["export_session"].trigger()
    assert out.stat().st_size > 0
    # offered as a whole path (a bare name landed in the program's folder), in the user's
    # own folder, not beside the video (test_export_session_folder.py)
    assert offered and Path(offered[0]).is_absolute() and offered[0].endswith(".liftlens")
    assert Path(offered[0]).parent != share
    assert "Session saved" in win.statusBar().currentMessage()

    ws.new_session()
    assert ws.sessions.session.lifter == ""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(out), ""))
    ws.actions["import_session"].trigger()
    s = ws.sessions.session
    assert s.lifter == "Ann" and s.exercise == "squat"
    assert len(s.recordings) == 1
    rec = s.recordings[0]
    assert rec.video_path == str(video)  # found next to the shared file
    assert [type(a).__name__ for a in rec.annotations] == ["Line"]
    # the import says what it did, in place of the export's "Session saved…"
    assert win.statusBar().currentMessage() == "Imported “ann.liftlens”: 1 recording."


def test_a_damaged_session_file_is_refused_and_nothing_changes(make_window, two_squats,
                                                                tmp_path, monkeypatch):
    win = make_window(two_squats[0])
    ws = win.workspace
    ws.sessions.update_fields(lifter="Bea")
    before = ws.sessions.session
    bad = tmp_path / "broken.liftlens"
    bad.write_bytes(b"PK\x03\x04 not really a session" * 10)
    said: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _p, _title, text, *a, **k: said.append(text)))
    ws.actions["import_session"].trigger()
    assert len(said) == 1 and "is not a LiftLens session file" in said[0], said
    assert ws.sessions.session is before and before.lifter == "Bea"


def test_changing_the_exercise_says_which_other_sets_it_changes(make_window, two_squats,
                                                                 tmp_path, qtbot):
    """The exercise belongs to the session: setting it while another set of the session is
    tracked says that set is now measured as that lift too (a new user re-labelled a
    clean and jerk as a bench press this way without noticing)."""
    import numpy as np

    from analysis.session import Track
    from app.controllers.analysis import set_track

    first, second = tmp_path / "cj.mp4", tmp_path / "bench.mp4"
    shutil.copy(two_squats[0], first)
    second.write_bytes(first.read_bytes() + b"\0")  # another file, same pictures
    win = make_window(first)
    ws = win.workspace
    ws.sessions.update_fields(exercise="clean and jerk")
    t = np.arange(0, 2, 1 / 30)
    set_track(win.model, ws.drawing.undo_stack, ws.recording,
              Track(t, np.full_like(t, 100.0), 200 - 50 * np.sin(t), np.ones_like(t),
                    np.ones(len(t), np.uint8)), "Track the bar")
    win.open_path(str(second))
    qtbot.waitUntil(lambda: ws.recording is not None and ws.recording.set_number == 2,
                    timeout=15000)
    ws.form.edited.emit({"exercise": "bench press"})
    text = win.statusBar().currentMessage()
    assert "set 1 is now measured as bench press" in text and "New session" in text
    ws.form.edited.emit({"exercise": "bench"})  # the same lift: nothing to say again
    win.statusBar().clearMessage()
    ws.form.edited.emit({"exercise": "bench press"})
    assert win.statusBar().currentMessage() == ""


def test_a_set_is_removed_from_the_session_and_stays_removed(make_window, two_squats, tmp_path,
                                                              qtbot, monkeypatch):
    """A wrong clip opened into a session (a new user added a truncated file) could not be
    taken out again. File → Remove this set (or the set list's menu) asks, removes it,
    numbers the later sets down, empties the screen when it was shown, and is saved."""
    from analysis.session.store import SessionStore

    first, second = tmp_path / "a.mp4", tmp_path / "b.mp4"
    shutil.copy(two_squats[0], first)
    shutil.copy(two_squats[0], second)
    with open(second, "ab") as f:
        f.write(b"\0")  # another file (its own fingerprint)
    win = make_window(first)
    ws = win.workspace
    win.open_path(str(second))
    qtbot.waitUntil(lambda: ws.recording is not None and ws.recording.video_path == str(second),
                    timeout=10000)
    s = ws.sessions.session
    assert [r.set_number for r in s.recordings] == [1, 2]
    monkeypatch.setattr("app.dialogs.ask_yes", lambda *a, **k: False)
    ws.actions["remove_set"].trigger()
    assert len(s.recordings) == 2  # said no: nothing changes
    asked: list[str] = []
    monkeypatch.setattr("app.dialogs.ask_yes", lambda _p, _t, text, *a, **k: asked.append(text)
                        or True)
    ws.remove_set(s.recordings[0].id)  # what the set list's menu sends
    assert "set 1 (“a.mp4”)" in asked[0] and "not touched" in asked[0]
    assert [(r.set_number, r.video_path) for r in s.recordings] == [(1, str(second))]
    assert ws.recording is s.recordings[0]  # the set on screen stays
    ws.actions["remove_set"].trigger()  # now the one on screen
    assert s.recordings == [] and ws.recording is None and win.canvas.frame is None
    assert "removed from the session" in win.statusBar().currentMessage()
    ws.sessions.flush()
    qtbot.waitUntil(lambda: ws.sessions.state == "saved", timeout=10000)
    store = SessionStore(ws.sessions.library_path)
    assert store.load(s.id)[0].recordings == []


def test_deleting_a_session_names_it_and_undo_brings_it_back(make_window, two_squats, qtbot,
                                                             monkeypatch):
    """Delete session asked "Move this session to the trash?" without saying which: a
    coach deleting from a long list could not tell. The question and the message after
    name the session as the list shows it, and Undo there restores it."""
    win = make_window(two_squats[0])
    ws = win.workspace
    ws.sessions.update_fields(lifter="Cleo", exercise="front squat")
    ws.sessions.flush()
    qtbot.waitUntil(lambda: ws.sessions.state == "saved", timeout=10000)
    sid = ws.sessions.session.id
    ws.sessions.refresh()
    qtbot.waitUntil(lambda: ws.browser.title_of(sid) is not None and
                    "Cleo" in ws.browser.title_of(sid), timeout=10000)
    title = ws.browser.title_of(sid)
    asked: list[str] = []
    told: list[str] = []
    monkeypatch.setattr("app.dialogs.ask_yes", lambda _p, _t, text, *a, **k: asked.append(text)
                        or True)
    monkeypatch.setattr("app.dialogs.offer_undo_delete",
                        lambda _p, named: told.append(named) or True)
    ws.delete_session(sid)
    assert asked == [f"Move “{title}” to the trash? You can undo this right after from the "
                     "message that follows."]
    qtbot.waitUntil(lambda: told == [f"“{title}”"], timeout=10000)
    # Undo chosen: the session is listed again
    qtbot.waitUntil(lambda: ws.browser.title_of(sid) == title, timeout=10000)
