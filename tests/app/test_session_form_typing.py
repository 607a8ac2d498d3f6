"""Session details typed in the Details tab are stored without leaving the field: when
typing pauses, and when the window closes right after the last key (a new user typed a
lifter's name, closed the window, and the library kept the old name)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from analysis.session.store import SessionStore
from widgets.session_form import TYPING_PAUSE_MS


def _stored(win, session_id: str):
    with SessionStore(win.workspace.sessions.library_path) as store:
        return store.get(session_id)


def test_a_name_typed_just_before_closing_is_kept(make_window, two_squats, qtbot):
    win = make_window(two_squats[0])
    ws = win.workspace
    sid = ws.sessions.session.id
    ws.sessions.update_fields(lifter="Owen Y")
    ws.form.set_session(ws.sessions.session)
    ws.form.lifter.setFocus()
    QTest.keyClick(ws.form.lifter, Qt.Key_End)
    QTest.keyClicks(ws.form.lifter, "eo")  # "Owen Yeo", the field keeps the focus
    QTest.keyClicks(ws.form.intent, "technique")
    assert ws.sessions.session.lifter == "Owen Y"  # not stored yet: typing goes on
    win.close()  # at once, no Tab, no Enter, no pause
    s = _stored(win, sid)
    assert s.lifter == "Owen Yeo"
    assert s.readiness.intent == "technique"


def test_typing_is_stored_once_it_pauses_and_only_once(make_window, two_squats, qtbot):
    win = make_window(two_squats[0])
    ws = win.workspace
    edits: list[dict] = []
    ws.form.edited.connect(edits.append)
    ws.form.lifter.setFocus()
    QTest.keyClicks(ws.form.lifter, "Ann")
    qtbot.waitUntil(lambda: ws.sessions.session.lifter == "Ann", timeout=5 * TYPING_PAUSE_MS)
    ws.form.lifter.editingFinished.emit()  # leaving the field sends nothing new
    assert edits == [{"lifter": "Ann"}]


def test_a_tempo_being_typed_is_not_marked_wrong_until_the_field_is_left(make_window,
                                                                        two_squats, qtbot):
    win = make_window(two_squats[0])
    ws = win.workspace
    ws.form.tempo.setFocus()
    QTest.keyClicks(ws.form.tempo, "3-1-")
    qtbot.wait(3 * TYPING_PAUSE_MS)
    assert ws.sessions.session.tempo == ""  # half a tempo is not stored
    assert ws.form.tempo.styleSheet() == ""  # nor shown as an error while typing
    ws.form.tempo.editingFinished.emit()
    assert "Not a tempo" in ws.form.tempo.toolTip()
    QTest.keyClicks(ws.form.tempo, "X-0")
    ws.form.tempo.editingFinished.emit()
    assert ws.sessions.session.tempo == "3-1-X-0"
    assert ws.form.tempo.styleSheet() == "" and "Not a tempo" not in ws.form.tempo.toolTip()
