"""Edits of the session's Details are undoable, like drawings and rep boundaries: typed
into the real form and stored (Enter, leaving the field, a pause), each is one step named
in Edit → Undo ("Undo Set 2 load 120 kg"); Ctrl+Z and Ctrl+Shift+Z undo and redo it, and
the form, the set list, the saved session and what reads its loads (Progress, the report)
follow. A step never reaches another session. Before, a Details edit could not be undone
at all: Ctrl+Z in the field just stored undid nothing, or the drawing before it."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from analysis.progress.history import session_sets
from analysis.session.store import SessionStore
from app.session_report import _details
from widgets.session_form import TYPING_PAUSE_MS


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


def _menu(act) -> str:
    return act.text().replace("&", "")


def _key(win, qtbot, widget, key, mods=Qt.NoModifier) -> None:
    """A key pressed in ``widget`` of the active window (shortcuts included)."""
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    QTest.keyClick(widget, key, mods)


def _type(win, qtbot, line, text: str, enter: bool = True) -> None:
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    line.setFocus()
    line.selectAll()
    QTest.keyClicks(line, text)
    if enter:
        QTest.keyClick(line, Qt.Key_Return)


def _saved(ws, qtbot, session_id: str):
    ws.sessions.flush()
    qtbot.waitUntil(lambda: ws.sessions.state == "saved", timeout=10000)
    with SessionStore(ws.sessions.library_path) as store:
        return store.get(session_id)


def _set_rows(ws) -> list[str]:
    return [ws.browser.recordings.item(i).text() for i in range(ws.browser.recordings.count())]


def test_a_set_load_typed_is_undone_and_redone_with_the_keys(make_window, two_squats,
                                                             tmp_path, qtbot):
    win, ws = _two_sets(make_window, two_squats, tmp_path, qtbot)
    s, form, undo, redo = ws.sessions.session, ws.form, ws.actions["undo"], ws.actions["redo"]
    form.load.setValue(100.0)  # the session's load
    set1, set2 = s.recordings
    line = form.set_load.lineEdit()
    _type(win, qtbot, line, "120")
    assert set2.load == 120.0 and _menu(undo) == "Undo Set 2 load 120 kg"
    assert _set_rows(ws)[1].endswith("· 120 kg")
    assert [r.load for r in _saved(ws, qtbot, s.id).recordings] == [None, 120.0]

    _key(win, qtbot, line, Qt.Key_Z, Qt.ControlModifier)  # in the field just stored
    assert set2.load is None and s.load_of(set2) == 100.0
    assert form.set_load.text() == "as the session"
    assert _set_rows(ws)[1].endswith("· 100 kg"), _set_rows(ws)
    assert _menu(redo) == "Redo Set 2 load 120 kg" and redo.isEnabled()
    saved = _saved(ws, qtbot, s.id)
    assert [r.load for r in saved.recordings] == [None, None]
    assert [r.load_kg for r in session_sets(saved)] == [100.0, 100.0]  # Progress, e1RM
    assert dict(_details(saved))["Load"] == "100 kg"
    assert "not saved" not in win.windowTitle() and ws.save_label.text() == "All changes saved"

    _key(win, qtbot, line, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert set2.load == 120.0 and form.set_load.value() == 120.0
    assert _menu(undo) == "Undo Set 2 load 120 kg"
    saved = _saved(ws, qtbot, s.id)
    assert [r.load_kg for r in session_sets(saved)] == [100.0, 120.0]
    assert dict(_details(saved))["Load"] == "set 1 100 kg, set 2 120 kg"

    undo.trigger()  # Edit → Undo: the session load step is next, then nothing of Details
    undo.trigger()
    assert s.load is None and form.load.text() == "—"
    assert _saved(ws, qtbot, s.id).load is None


def test_typing_is_one_step_each_named_plainly(make_window, two_squats, tmp_path, qtbot):
    win, ws = _two_sets(make_window, two_squats, tmp_path, qtbot)
    s, form, undo, redo = ws.sessions.session, ws.form, ws.actions["undo"], ws.actions["redo"]
    steps = ws.drawing.undo_stack
    before = steps.count()

    _type(win, qtbot, form.lifter, "Ann", enter=False)  # stored when typing pauses ...
    qtbot.waitUntil(lambda: s.lifter == "Ann", timeout=5 * TYPING_PAUSE_MS)
    QTest.keyClick(form.lifter, Qt.Key_End)
    QTest.keyClicks(form.lifter, " Lee")
    QTest.keyClick(form.lifter, Qt.Key_Return)  # ... and on Enter: one step for both
    assert s.lifter == "Ann Lee" and steps.count() == before + 1
    assert _menu(undo) == "Undo lifter: Ann Lee"

    _type(win, qtbot, form.exercise.lineEdit(), "back squat")
    assert _menu(undo) == "Undo exercise: Back squat" and steps.count() == before + 2

    _type(win, qtbot, form.sets.lineEdit(), "12")  # not 1, then 12
    assert s.sets == 12 and _menu(undo) == "Undo sets 12" and steps.count() == before + 3

    form.notes.setFocus()
    QTest.keyClicks(form.notes, "felt slow")  # stored at each key, one step
    assert s.notes == "felt slow" and _menu(undo) == "Undo notes"
    assert steps.count() == before + 4
    _key(win, qtbot, form.notes, Qt.Key_Z, Qt.ControlModifier)  # the notes' own typing
    assert s.notes == "" and steps.count() == before + 3 and _menu(undo) == "Undo sets 12"
    QTest.keyClicks(form.notes, "felt fast")
    assert s.notes == "felt fast" and steps.count() == before + 4

    # typing not stored yet: Ctrl+Z undoes that typing in the field, no stored step
    _type(win, qtbot, form.sets.lineEdit(), "3", enter=False)
    assert form.sets.text() == "3"
    _key(win, qtbot, form.sets.lineEdit(), Qt.Key_Z, Qt.ControlModifier)
    assert s.sets == 12 and s.notes == "felt fast" and steps.count() == before + 4
    QTest.keyClick(form.sets.lineEdit(), Qt.Key_Escape)

    for _ in range(3):
        undo.trigger()  # the notes, the sets, the exercise
    assert (s.notes, s.sets, s.exercise) == ("", None, "")
    assert form.notes.toPlainText() == "" and form.sets.text() == "—"
    assert form.exercise.currentText() == "" and _menu(undo) == "Undo lifter: Ann Lee"
    assert _menu(redo) == "Redo exercise: Back squat"
    undo.trigger()
    assert s.lifter == "" and form.lifter.text() == ""
    saved = _saved(ws, qtbot, s.id)
    assert (saved.lifter, saved.exercise, saved.sets, saved.notes) == ("", "", None, "")
    redo.trigger()
    redo.trigger()
    assert (s.lifter, s.exercise) == ("Ann Lee", "back squat")
    assert form.lifter.text() == "Ann Lee" and form.exercise.currentText() == "back squat"
    saved = _saved(ws, qtbot, s.id)
    assert (saved.lifter, saved.exercise) == ("Ann Lee", "back squat")
    assert "not saved" not in win.windowTitle()


def test_an_undo_after_switching_sessions_leaves_the_other_session_alone(make_window,
                                                                          qtbot):
    win = make_window()
    ws = win.workspace
    a = ws.sessions.new_session(lifter="Ann")
    qtbot.waitUntil(lambda: ws.form.isEnabled(), timeout=5000)
    undo = ws.actions["undo"]
    _type(win, qtbot, ws.form.exercise.lineEdit(), "deadlift")
    _type(win, qtbot, ws.form.lifter, "Ann Lee")
    assert _menu(undo) == "Undo lifter: Ann Lee"
    undo.trigger()  # undone in its own session
    assert a.lifter == "Ann" and ws.form.lifter.text() == "Ann"
    ws.actions["redo"].trigger()
    assert a.lifter == "Ann Lee"
    assert _saved(ws, qtbot, a.id).lifter == "Ann Lee"

    b = ws.sessions.new_session(lifter="Bea", exercise="bench press")
    assert ws.sessions.session is b
    assert not undo.isEnabled() and _menu(undo) == "Undo"  # nothing of Ann's on offer
    ws.drawing.undo_stack.undo()  # (as the key would, were it offered)
    assert (b.lifter, b.exercise) == ("Bea", "bench press")
    assert ws.form.lifter.text() == "Bea"
    assert (a.lifter, a.exercise) == ("Ann Lee", "deadlift")
    saved = _saved(ws, qtbot, b.id)
    assert (saved.lifter, saved.exercise) == ("Bea", "bench press")
    with SessionStore(ws.sessions.library_path) as store:
        kept = store.get(a.id)
    assert (kept.lifter, kept.exercise) == ("Ann Lee", "deadlift")
