"""A clip joins the open session only when the user says so (tour 29: an overhead press
given on the command line became "set 3" of the last back-squat session, and counted in
that lifter's history)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from analysis.session.store import SessionStore
from analysis.synth.barcode import BarcodeSpec, make_barcode_clip
from app import dialogs
from app.controllers.clip_gate import question


@pytest.fixture
def clips(tmp_path):
    a, b = tmp_path / "squat.mp4", tmp_path / "press.mp4"
    make_barcode_clip(a, BarcodeSpec(frames=40, gop=10))
    make_barcode_clip(b, BarcodeSpec(frames=30, gop=10))
    return str(a), str(b)


@pytest.fixture
def answers(monkeypatch):
    """Answers to the where-does-it-go question, in order ("add", "own" or None for
    Cancel); each question is kept in ``answers.asked`` as ``(title, text, detail,
    choices, cancel)``."""
    class Answers(list):
        asked: list = []

    got = Answers()

    def ask_choice(parent, title, text, detail, choices, cancel="Cancel", warning=True):
        got.asked.append((title, text, detail, list(choices), cancel))
        assert warning == (title == "Damaged video")  # a plain question is no warning
        return got.pop(0)

    monkeypatch.setattr(dialogs, "ask_choice", ask_choice)
    return got


def _saved(ws, session_id):
    assert ws.sessions.settle()
    with SessionStore(ws.sessions.library_path) as store:
        return [r.video_path for r in store.get(session_id).recordings]


def test_a_clip_given_on_the_command_line_opens_on_its_own(make_window, clips, qtbot):
    squat, press = clips
    win = make_window(squat)
    old = win.workspace.sessions.session
    win.workspace.sessions.update_fields(lifter="Alex Rivera", exercise="back squat")
    assert [r.video_path for r in old.recordings] == [squat]
    assert win.close()

    again = make_window()  # `liftlens press.mp4` on the same library
    ws = again.workspace
    ws.start(press, demo_when_empty=False)
    qtbot.waitUntil(lambda: again.video_path == press and again.player.shown is not None,
                    timeout=10000)
    s = ws.sessions.session
    assert s is not None and s.id != old.id  # a session of its own
    assert [r.video_path for r in s.recordings] == [press]
    assert _saved(ws, old.id) == [squat]  # the last session is as it was
    assert old.title not in again.windowTitle()
    ws.sessions.update_fields(exercise="overhead press")  # (only looked at, it is not kept)
    assert again.close()

    third = make_window()  # no file given: the last session (now the press's) reopens
    third.workspace.start(None, demo_when_empty=False)
    qtbot.waitUntil(lambda: third.video_path == press, timeout=10000)
    assert third.workspace.sessions.session.id == s.id
    assert third.close()


def test_a_set_of_the_last_session_given_on_the_command_line_opens_as_that_set(
        make_window, clips, qtbot):
    """Not a new session holding the same clip again each time it is opened."""
    squat, press = clips
    win = make_window(squat)
    win.open_path(press)  # set 2
    qtbot.waitUntil(lambda: win.video_path == press and win.player.shown is not None,
                    timeout=10000)
    session = win.workspace.sessions.session
    assert win.close()  # the session is left on set 2
    again = make_window()
    again.workspace.start(squat, demo_when_empty=False)
    qtbot.waitUntil(lambda: again.video_path == squat and again.player.shown is not None,
                    timeout=10000)
    s = again.workspace.sessions.session
    assert s.id == session.id and [r.video_path for r in s.recordings] == [squat, press]
    assert again.model.current is s.recordings[0]
    # a set of an older session (not the last one used) opens as that set too
    again.workspace.new_session()
    assert again.workspace.sessions.session.id != session.id
    assert again.close()
    third = make_window()
    third.workspace.start(press, demo_when_empty=False)
    qtbot.waitUntil(lambda: third.video_path == press and third.player.shown is not None,
                    timeout=10000)
    s = third.workspace.sessions.session
    assert s.id == session.id and third.model.current is s.recordings[1]


def test_file_open_asks_where_the_clip_goes(make_window, clips, answers, qtbot, monkeypatch):
    squat, press = clips
    win = make_window(squat)
    ws = win.workspace
    session = ws.sessions.session
    ws.sessions.update_fields(lifter="Alex Rivera")
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a, **k: press)

    answers.append(None)  # Cancel: nothing changes
    win.choose_file()
    qtbot.waitUntil(lambda: len(answers.asked) == 1, timeout=10000)
    title, text, detail, choices, cancel = answers.asked[0]
    assert title == "Open video" and text == "Add “press.mp4” to the open session?"
    assert choices == [("add", f"Add to “{session.title}” as set 2"),
                       ("own", "Open on its own")] and cancel == "Cancel"
    assert "stays as it is" in detail and "not opened" in detail
    qtbot.waitUntil(lambda: "was not opened" in win.statusBar().currentMessage(), timeout=5000)
    assert win.video_path == squat and ws.sessions.session is session
    assert [r.video_path for r in session.recordings] == [squat]

    answers.append("add")  # Add: set 2, as before
    win.choose_file()
    qtbot.waitUntil(lambda: win.video_path == press, timeout=10000)
    assert [r.video_path for r in session.recordings] == [squat, press]
    assert _saved(ws, session.id) == [squat, press]


def test_open_on_its_own_leaves_the_open_session_as_it_was(make_window, clips, answers,
                                                           qtbot, monkeypatch):
    squat, press = clips
    win = make_window(squat)
    ws = win.workspace
    session = ws.sessions.session
    ws.sessions.update_fields(lifter="Alex Rivera")  # (only looked at, it would not be kept)
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a, **k: press)
    answers.append("own")
    win.choose_file()
    qtbot.waitUntil(lambda: win.video_path == press and win.player.shown is not None,
                    timeout=10000)
    own = ws.sessions.session
    assert own is not session and [r.video_path for r in own.recordings] == [press]
    assert _saved(ws, session.id) == [squat]
    assert _saved(ws, own.id) == [press]


def test_add_recording_in_the_sessions_list_adds_without_asking(make_window, clips, answers,
                                                                qtbot, monkeypatch):
    squat, press = clips
    win = make_window(squat)
    session = win.workspace.sessions.session
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a, **k: press)
    win.workspace.browser.add_recording_requested.emit()
    qtbot.waitUntil(lambda: win.video_path == press, timeout=10000)
    assert [r.video_path for r in session.recordings] == [squat, press]
    assert answers.asked == []


def test_a_set_is_moved_to_a_session_of_its_own(make_window, clips, qtbot, monkeypatch):
    """Tour 29: an overhead press that had become set 2 of a back-squat session could only
    be removed (losing its work), not moved out."""
    squat, press = clips
    win = make_window(squat)
    ws = win.workspace
    ws.sessions.update_fields(lifter="Alex Rivera", exercise="back squat")
    win.open_path(press)  # set 2, by mistake
    qtbot.waitUntil(lambda: win.video_path == press and win.player.shown is not None,
                    timeout=10000)
    old = ws.sessions.session
    rec = old.recordings[1]
    asked = []
    monkeypatch.setattr(dialogs, "ask_yes", lambda *a, **k: asked.append(a[2]) or True)
    win.actions_by_id["move_set"].trigger()
    assert asked and "Move set 2 (“press.mp4”)" in asked[0]
    qtbot.waitUntil(lambda: ws.sessions.session is not None and ws.sessions.session.id != old.id
                    and win.video_path == press, timeout=10000)
    new = ws.sessions.session
    assert [(r.video_path, r.set_number, r.id) for r in new.recordings] == [(press, 1, rec.id)]
    assert new.lifter == "Alex Rivera" and new.exercise == "" and new.date == old.date
    assert _saved(ws, old.id) == [squat]


def _listed(ws):
    """Ids of the sessions in the library and in the Sessions list."""
    assert ws.sessions.settle()
    with SessionStore(ws.sessions.library_path) as store:
        stored = [x.id for x in store.list_sessions()]
    shown = [ws.browser.list.item(i).data(Qt.UserRole) for i in range(ws.browser.list.count())]
    return stored, shown


def _open_on_its_own(win, path, answers, qtbot, monkeypatch):
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a, **k: path)
    answers.append("own")
    win.choose_file()
    qtbot.waitUntil(lambda: win.video_path == path and win.player.shown is not None,
                    timeout=10000)
    return win.workspace.sessions.session


def test_a_clip_opened_on_its_own_and_only_looked_at_leaves_no_session(
        make_window, clips, answers, qtbot, monkeypatch):
    """Before, each clip opened on its own and only looked at stayed in the Sessions list
    as an "Unnamed lifter" session; one the user did something with is kept."""
    squat, press = clips
    win = make_window(squat)
    ws = win.workspace
    ws.sessions.update_fields(lifter="Alex Rivera", exercise="back squat")
    first = ws.sessions.session
    looked = _open_on_its_own(win, press, answers, qtbot, monkeypatch)
    assert "“2026" in answers.asked[-1][2] and "stays as it is" in answers.asked[-1][2]
    assert looked.id != first.id and looked.id in _listed(ws)[0]
    win.player.seek(12)  # where the clip was left is no work on it
    qtbot.waitUntil(lambda: win.player.position == 12, timeout=5000)
    ws.browser.open_requested.emit(first.id)
    qtbot.waitUntil(lambda: win.video_path == squat, timeout=10000)
    qtbot.waitUntil(lambda: _listed(ws) == ([first.id], [first.id]), timeout=5000)
    assert "Unnamed lifter" not in win.windowTitle() and ws.sessions.session.id == first.id

    worked = _open_on_its_own(win, press, answers, qtbot, monkeypatch)
    ws.sessions.update_fields(lifter="Sam")  # something done with it: kept
    ws.browser.open_requested.emit(first.id)
    qtbot.waitUntil(lambda: win.video_path == squat, timeout=10000)
    assert sorted(_listed(ws)[0]) == sorted([first.id, worked.id])


def test_a_clip_looked_at_on_its_own_before_closing_leaves_the_last_session_as_it_was(
        make_window, clips, answers, qtbot, monkeypatch):
    squat, press = clips
    win = make_window(squat)
    ws = win.workspace
    ws.sessions.update_fields(lifter="Alex Rivera")
    first = ws.sessions.session
    _open_on_its_own(win, press, answers, qtbot, monkeypatch)
    assert win.close()
    again = make_window()  # started without a clip: the lifter's session reopens
    again.workspace.start(None, demo_when_empty=False)
    qtbot.waitUntil(lambda: again.video_path == squat, timeout=10000)
    assert again.workspace.sessions.session.id == first.id
    assert _listed(again.workspace)[0] == [first.id]


def test_a_new_session_left_empty_is_not_kept(make_window, clips, qtbot):
    squat, _press = clips
    win = make_window(squat)
    ws = win.workspace
    ws.sessions.update_fields(lifter="Alex Rivera")
    first = ws.sessions.session
    ws.new_session()
    empty = ws.sessions.session
    assert empty.id != first.id and empty.id in _listed(ws)[0]
    ws.browser.open_requested.emit(first.id)
    qtbot.waitUntil(lambda: win.video_path == squat, timeout=10000)
    qtbot.waitUntil(lambda: _listed(ws) == ([first.id], [first.id]), timeout=5000)


def test_the_question_says_a_session_only_looked_at_is_not_kept():
    _text, detail, *_rest = question("press.mp4", (), "2026-12-01 · Unnamed lifter · session",
                                     2, unused=True)
    assert "“2026-12-01 · Unnamed lifter · session” is not kept" in detail
    assert "stays as it is" not in detail


def test_a_session_back_as_it_was_made_after_a_change_is_kept(make_window, clips, qtbot,
                                                               monkeypatch):
    """A set added by mistake and moved out again leaves its session as it was made, but
    that session was used: it is kept, as the move's question says ("keeps its other
    sets"), not deleted as one only looked at."""
    squat, press = clips
    win = make_window(squat)  # a session made for the clip, nothing typed
    ws = win.workspace
    win.open_path(press)  # set 2
    qtbot.waitUntil(lambda: win.video_path == press and win.player.shown is not None,
                    timeout=10000)
    old = ws.sessions.session
    monkeypatch.setattr(dialogs, "ask_yes", lambda *a, **k: True)
    win.actions_by_id["move_set"].trigger()
    qtbot.waitUntil(lambda: ws.sessions.session is not None and ws.sessions.session.id != old.id
                    and win.video_path == press, timeout=10000)
    moved = ws.sessions.session
    assert sorted(_listed(ws)[0]) == sorted([old.id, moved.id])
    assert _saved(ws, old.id) == [squat]


def test_a_session_emptied_of_its_only_set_is_not_kept(make_window, clips, answers, qtbot,
                                                       monkeypatch):
    squat, press = clips
    win = make_window(squat)
    ws = win.workspace
    ws.sessions.update_fields(lifter="Alex Rivera")
    first = ws.sessions.session
    own = _open_on_its_own(win, press, answers, qtbot, monkeypatch)
    monkeypatch.setattr(dialogs, "ask_yes", lambda *a, **k: True)
    ws.remove_set(own.recordings[0].id)  # nothing left in it
    assert not own.recordings
    ws.browser.open_requested.emit(first.id)
    qtbot.waitUntil(lambda: win.video_path == squat, timeout=10000)
    qtbot.waitUntil(lambda: _listed(ws) == ([first.id], [first.id]), timeout=5000)
