"""Session details typed in the Details tab are stored without leaving the field: when
typing pauses, and when the window closes right after the last key (a new user typed a
lifter's name, closed the window, and the library kept the old name)."""

from __future__ import annotations

import shutil

from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDateTimeEdit

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
    said = win.statusBar().currentMessage()  # said, not only marked in the field
    assert said.startswith("Tempo: “3-1-” is not kept") and "It stays none" in said, said
    QTest.keyClicks(ws.form.tempo, "X-0")
    ws.form.tempo.editingFinished.emit()
    assert ws.sessions.session.tempo == "3-1-X-0"
    assert ws.form.tempo.styleSheet() == "" and "Not a tempo" not in ws.form.tempo.toolTip()


def _type(box, text: str) -> None:
    """Type ``text`` over what ``box`` (a number field of the Details tab) shows, as a
    user does after clicking into it: no Enter, no Tab, the field keeps the focus."""
    box.setFocus()
    box.lineEdit().selectAll()
    QTest.keyClicks(box, text)


def _reopened(make_window, qtbot):
    """A new window on the same data folder, the last session open in it."""
    win = make_window()
    win.workspace.start(None, demo_when_empty=False)
    qtbot.waitUntil(lambda: win.workspace.sessions.session is not None, timeout=10000)
    return win.workspace.sessions.session


def test_numbers_typed_just_before_closing_are_kept(make_window, two_squats, qtbot):
    """RPE typed and left, then reps typed without Enter and the window closed: reopened,
    the reps were gone (the text fields were kept, the number fields were not)."""
    win = make_window(two_squats[0])
    ws = win.workspace
    sid = ws.sessions.session.id
    _type(ws.form.rpe, "8.5")
    QTest.keyClick(ws.form.rpe, Qt.Key_Return)  # stored, as when the field is left
    assert ws.sessions.session.rpe == 8.5
    _type(ws.form.load, "102.5")
    _type(ws.form.set_load, "95")
    _type(ws.form.sets, "3")
    _type(ws.form.recovered, "4")
    QTest.keyClicks(ws.form.pain, "left knee")
    ws.form.date.setDate(QDate(2024, 5, 2))  # picked from the calendar: stored at once
    ws.form.date.setFocus()
    ws.form.date.setSelectedSection(QDateTimeEdit.DaySection)
    QTest.keyClicks(ws.form.date, "15")  # the day, no Enter
    _type(ws.form.reps, "8")  # the last number, still in its field
    assert ws.sessions.session.reps is None  # not stored yet: typing goes on
    win.close()  # at once, no Tab, no Enter, no pause
    s = _reopened(make_window, qtbot)
    assert s.id == sid
    assert (s.rpe, s.reps, s.sets, s.load) == (8.5, 8, 3, 102.5)
    assert s.readiness.recovered == 4 and s.readiness.pain == "left knee"
    assert s.recordings[0].load == 95.0
    assert s.date == "2024-05-15"


def test_details_typed_are_kept_when_another_session_opens(make_window, two_squats, qtbot):
    win = make_window(two_squats[0])
    ws = win.workspace
    first = ws.sessions.session.id
    _type(ws.form.reps, "6")
    QTest.keyClicks(ws.form.tempo, "3-1-X-0")
    ws.new_session()  # File → New session, typing still in the fields
    s = _stored(win, first)
    assert s.reps == 6 and s.tempo == "3-1-X-0"

    second = ws.sessions.session.id
    assert second != first and ws.form.reps.value() == 0  # the new one's, empty
    QTest.keyClicks(ws.form.lifter, "Bea")
    _type(ws.form.rpe, "7")
    ws.open_session(first)  # the first one again, from the session list
    qtbot.waitUntil(lambda: ws.sessions.session.id == first, timeout=10000)
    s = _stored(win, second)
    assert s.lifter == "Bea" and s.rpe == 7.0
    assert ws.form.reps.value() == 6 and ws.form.rpe.value() == 0  # the first one's


def test_a_sets_load_typed_stays_with_that_set_when_another_clip_opens(
        make_window, two_squats, tmp_path, qtbot):
    first, second = tmp_path / "set1.mp4", tmp_path / "set2.mp4"
    shutil.copy(two_squats[0], first)
    second.write_bytes(first.read_bytes() + b"\0")  # another file, same pictures
    win = make_window(first)
    ws = win.workspace
    _type(ws.form.set_load, "95")  # set 1's own load, no Enter
    win.open_path(str(second))
    qtbot.waitUntil(lambda: ws.recording is not None and ws.recording.set_number == 2,
                    timeout=15000)
    set1, set2 = ws.sessions.session.recordings
    assert (set1.load, set2.load) == (95.0, None)
    assert ws.form.set_load.text() == "as the session"  # set 2's, nothing carried over
    sid = ws.sessions.session.id
    win.close()
    assert [r.load for r in _stored(win, sid).recordings] == [95.0, None]


def test_a_decimal_comma_is_read_as_the_decimal_point(make_window, two_squats, qtbot):
    """"8,5" could not be typed in RPE (it became 8) and "102,5" kg was read as 1025 kg."""
    win = make_window(two_squats[0])
    ws = win.workspace
    _type(ws.form.rpe, "8,5")
    assert ws.form.rpe.text() == "8.5"  # shown with the app's decimal point as typed
    _type(ws.form.load, "102,5")
    ws.form.commit()
    assert (ws.sessions.session.rpe, ws.sessions.session.load) == (8.5, 102.5)


def test_a_number_that_cannot_be_read_is_told_not_dropped(make_window, two_squats, qtbot):
    win = make_window(two_squats[0])
    ws = win.workspace
    _type(ws.form.rpe, "8")
    QTest.keyClick(ws.form.rpe, Qt.Key_Return)
    _type(ws.form.rpe, "+")  # half a number: it cannot be read
    ws.form.commit()
    assert ws.sessions.session.rpe == 8.0
    said = win.statusBar().currentMessage()
    assert "RPE" in said and "“+” is not kept" in said and "It stays 8.0" in said, said
    assert ws.form.rpe.text() == "8.0"  # the field shows what is kept
    _type(ws.form.reps, "")  # emptied: cleared, not the old number back
    _type(ws.form.reps, "5")
    QTest.keyClick(ws.form.reps, Qt.Key_Return)
    ws.form.reps.lineEdit().clear()
    ws.form.commit()
    assert ws.sessions.session.reps is None and ws.form.reps.text() == "—"


def test_a_number_is_stored_once_typing_pauses_as_one_step(make_window, two_squats, qtbot):
    """Stored after a pause, as text is (at most about a second of typing is at risk if
    the app is killed); the pause and the Enter after it are one undo step."""
    win = make_window(two_squats[0])
    ws = win.workspace
    _type(ws.form.reps, "1")
    qtbot.waitUntil(lambda: ws.sessions.session.reps == 1, timeout=5 * TYPING_PAUSE_MS)
    QTest.keyClicks(ws.form.reps, "2")
    QTest.keyClick(ws.form.reps, Qt.Key_Return)
    assert ws.sessions.session.reps == 12
    assert ws.actions["undo"].text().replace("&", "") == "Undo reps 12"
    ws.actions["undo"].trigger()
    assert ws.sessions.session.reps is None  # one step back: the reps as before typing
