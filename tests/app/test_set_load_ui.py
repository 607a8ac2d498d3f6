"""A set's own load, in the real window: a session holds sets lifted at different loads
(warm-ups, a pyramid, back-off sets). Typing the load of the set on screen gives that set
its load and no other; the set list, the saved session, Progress and the report all read
each set's load. Before, the only load was the session's: typing set 3's load rewrote the
load of sets 1 and 2 without a word, and a load-velocity profile of one session was a
vertical stack of points."""

from __future__ import annotations

import shutil

import pytest

from analysis.progress.history import session_sets
from analysis.session.document import Recording, Session, session_from_dict
from analysis.session.library import list_recordings
from analysis.session.store import SessionStore
from app.session_report import _details


def _two_sets(make_window, two_squats, tmp_path, qtbot):
    first, second = tmp_path / "set1.mp4", tmp_path / "set2.mp4"
    shutil.copy(two_squats[0], first)
    second.write_bytes(first.read_bytes() + b"\0")  # another file, same pictures
    win = make_window(first)
    ws = win.workspace
    win.open_path(str(second))
    qtbot.waitUntil(lambda: ws.recording is not None and ws.recording.set_number == 2,
                    timeout=15000)
    return win, ws


def _set_rows(ws) -> list[str]:
    return [ws.browser.recordings.item(i).text() for i in range(ws.browser.recordings.count())]


def test_each_set_keeps_its_own_load(make_window, two_squats, tmp_path, qtbot):
    win, ws = _two_sets(make_window, two_squats, tmp_path, qtbot)
    form = ws.form
    form.load.setValue(100.0)  # the session's load, as typed in Details
    s = ws.sessions.session
    assert s.load == 100.0
    said = win.statusBar().currentMessage()
    assert "Sets 1 and 2 now count at 100 kg" in said and "Set N load" in said, said

    assert form.set_load_label.text() == "Set 2 load" and form.set_load.isEnabled()
    form.set_load.setValue(120.0)  # set 2 was lifted heavier
    set1, set2 = s.recordings
    assert (set1.load, set2.load) == (None, 120.0)
    assert (s.load_of(set1), s.load_of(set2)) == (100.0, 120.0)
    rows = _set_rows(ws)
    assert rows[0].startswith("Set 1") and rows[0].endswith("· 100 kg"), rows
    assert rows[1].startswith("Set 2") and rows[1].endswith("· 120 kg"), rows

    # set 1 on screen: the field shows its load (the session's), set 2 keeps 120
    ws.open_recording(set1.id)
    qtbot.waitUntil(lambda: ws.recording is set1, timeout=15000)
    assert form.set_load_label.text() == "Set 1 load"
    assert form.set_load.value() == 0 and form.set_load.text() == "as the session"
    form.load.setValue(110.0)  # the session's load again: set 2 is not rewritten
    assert (s.load_of(set1), s.load_of(set2)) == (110.0, 120.0)
    said = win.statusBar().currentMessage()
    assert "Set 1 now counts at 110 kg (set 2 has its own)" in said, said
    form.load.setValue(0.0)  # the session's load cleared
    assert "Set 1 now has no load (set 2 has its own)" in win.statusBar().currentMessage()
    form.load.setValue(110.0)

    # saved with the session, read back by the library, Progress and the report
    ws.sessions.flush()
    qtbot.waitUntil(lambda: ws.sessions.state == "saved", timeout=10000)
    with SessionStore(tmp_path / "data" / "library.sqlite3") as store:
        saved = store.get(s.id)
        listed = [r.load for r in list_recordings(store) if r.session_id == s.id]
    assert [r.load for r in saved.recordings] == [None, 120.0]
    assert listed == [110.0, 120.0]
    assert [r.load_kg for r in session_sets(saved)] == [110.0, 120.0]
    assert dict(_details(saved))["Load"] == "set 1 110 kg, set 2 120 kg"

    # back to "as the session"
    ws.open_recording(set2.id)
    qtbot.waitUntil(lambda: ws.recording is set2, timeout=15000)
    assert form.set_load.value() == 120.0
    form.set_load.setValue(0.0)
    assert set2.load is None and s.load_of(set2) == 110.0
    assert dict(_details(s))["Load"] == "110 kg"


def test_a_set_load_is_only_for_a_set_of_the_open_session():
    from analysis.model import DocumentModel

    model = DocumentModel()
    s = Session(load=80.0, recordings=[Recording("a.mp4", 1, "x", set_number=1)])
    model.open_session(s)
    seen: list[object] = []
    model.session_edited.connect(seen.append)
    model.set_load(s.recordings[0], 90.0)
    model.set_load(s.recordings[0], 90.0)  # the same value: one event only
    assert seen == [s] and s.load_of(s.recordings[0]) == 90.0
    with pytest.raises(ValueError, match="not in the open session"):
        model.set_load(Recording("b.mp4", 1, "y"), 90.0)
    with pytest.raises(ValueError, match="zero or more"):
        model.set_load(s.recordings[0], -5.0)
    again = session_from_dict(s.to_dict())
    assert again.recordings[0].load == 90.0 and again.load == 80.0


def test_a_load_is_stored_once_typed_and_emptied_is_as_the_session(make_window, two_squats,
                                                                   tmp_path, qtbot):
    """Typing 105 stored 1, 10 and 105 kg in turn (and said \"now count at 1 kg\"); an
    emptied Set N load showed nothing while the set kept its own load. A unit changed
    says that the loads are read in it, not converted."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    win, ws = _two_sets(make_window, two_squats, tmp_path, qtbot)
    s = ws.sessions.session
    stored: list[float | None] = []
    ws.form.edited.connect(lambda f: "load" in f and stored.append(f["load"]))
    edit = ws.form.load.lineEdit()
    ws.form.load.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, "105")
    assert stored == [] and s.load is None  # nothing yet while typing
    QTest.keyClick(edit, Qt.Key_Return)
    assert stored == [105.0] and s.load == 105.0

    set2 = ws.recording
    ws.form.set_load.setValue(120.0)
    assert set2.load == 120.0
    line = ws.form.set_load.lineEdit()
    ws.form.set_load.setFocus()
    line.selectAll()
    QTest.keyClick(line, Qt.Key_Delete)
    QTest.keyClick(line, Qt.Key_Return)
    assert set2.load is None and s.load_of(set2) == 105.0
    assert ws.form.set_load.text() == "as the session"

    ws.form.unit.setCurrentText("lb")
    said = win.statusBar().currentMessage()
    assert "read in lb (105, 105 lb), not converted" in said, said


def test_an_exercise_typed_is_stored_once(make_window, two_squats, tmp_path, qtbot):
    """Typing an exercise stored "s", "sq", ... and said the tracked sets were now
    "measured as s": it is stored on Enter (or a pause, or leaving the field)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    win, ws = _two_sets(make_window, two_squats, tmp_path, qtbot)
    stored: list[str] = []
    ws.form.edited.connect(lambda f: "exercise" in f and stored.append(f["exercise"]))
    edit = ws.form.exercise.lineEdit()
    edit.setFocus()
    QTest.keyClicks(edit, "front squat")
    assert stored == []
    QTest.keyClick(edit, Qt.Key_Return)
    assert stored == ["front squat"] and ws.sessions.session.exercise == "front squat"
    ws.form.exercise.setCurrentIndex(ws.form.exercise.findText("deadlift"))
    ws.form.exercise.activated.emit(ws.form.exercise.currentIndex())  # chosen from the list
    assert stored[-1] == "deadlift" and ws.sessions.session.exercise == "deadlift"
