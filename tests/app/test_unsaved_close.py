"""Edits that the library does not hold are never dropped without asking: two windows on
one library (the one behind cannot save over the other's version), and a library that
cannot be written. Closing the window or opening another session asks; keeping both saves
THIS window's version; the conflict is told in a message that can be read in full."""

from __future__ import annotations

import json

from analysis.session.store import SessionStore, StorageError
from app import dialogs


class Answers:
    """Stands in for the questions: records them, answers from a script."""

    def __init__(self, monkeypatch, **script: str | None) -> None:
        self.asked: list[tuple[str, str, str, list[str]]] = []
        self.script = dict(script)
        monkeypatch.setattr(dialogs, "ask_choice", self.ask)

    def ask(self, _parent, title, text, detail, choices, cancel="Cancel"):
        keys = [k for k, _label in choices]
        self.asked.append((title, text, detail, keys))
        return self.script.get(title, "discard" if "discard" in keys else None)


def _library(win):
    with SessionStore(win.workspace.sessions.library_path) as store:
        return {r.title: store.get(r.id) for r in store.list_sessions()}


def _conflict(make_window, qtbot):
    """Window A and B on one session; B saved last, so A's next edit is refused."""
    a, b = make_window(), make_window()
    sa, sb = a.workspace.sessions, b.workspace.sessions
    s = sa.new_session(lifter="Maria")
    sa.settle()
    assert sa.state == "saved"
    sb.open_session(s.id)
    assert sb.session is not None and sb.session.lifter == "Maria"
    sb.update_fields(notes="note from B")
    sb.settle()
    assert sb.state == "saved"
    sa.update_fields(notes="note from A after B saved")
    sa.settle()
    assert sa.conflicted
    return a, b


def test_conflict_is_told_once_in_full_and_close_keeps_this_windows_version(
        make_window, qtbot, monkeypatch):
    answers = Answers(monkeypatch, **{"Not saved: changed in another window": None,
                                      "Unsaved changes": "copy"})
    a, b = _conflict(make_window, qtbot)
    told = [q for q in answers.asked if q[0] == "Not saved: changed in another window"]
    assert len(told) == 1  # a message, not only a status line cut off at the window edge
    assert "Save them as a new session" in told[0][2]
    a.workspace.sessions.update_fields(notes="still more from A")  # refused again: told once
    a.workspace.sessions.settle()
    assert len([q for q in answers.asked if q[0].startswith("Not saved")]) == 1
    assert a.close()  # used to close without a word, losing A's edits
    asked = [q for q in answers.asked if q[0] == "Unsaved changes"]
    assert len(asked) == 1 and asked[0][3] == ["copy", "discard"]
    assert "closing this window" in asked[0][2]
    lib = _library(b)
    assert len(lib) == 2
    copy = next(s for t, s in lib.items() if "(copy)" in t)
    theirs = next(s for t, s in lib.items() if "(copy)" not in t)
    assert copy.notes == "still more from A"  # this window's version, not the library's
    assert theirs.notes == "note from B"  # the other window's version untouched


def test_cancel_keeps_the_window_open_and_discard_closes_it(make_window, qtbot, monkeypatch):
    answers = Answers(monkeypatch, **{"Not saved: changed in another window": None,
                                      "Unsaved changes": None})
    a, b = _conflict(make_window, qtbot)
    assert not a.close()
    assert a.isVisible() and a.workspace.sessions.session.notes == "note from A after B saved"
    answers.script["Unsaved changes"] = "discard"
    assert a.close()
    lib = _library(b)
    assert [s.notes for s in lib.values()] == ["note from B"]


def test_copy_in_the_sessions_tab_copies_what_is_on_screen(make_window, qtbot, monkeypatch):
    Answers(monkeypatch, **{"Not saved: changed in another window": None})
    a, b = _conflict(make_window, qtbot)
    sa = a.workspace.sessions
    a.workspace.browser.duplicate_requested.emit(sa.session.id)
    sa.settle()
    assert sa.state == "saved" and "(copy)" in sa.session.title  # A goes on with its copy
    lib = _library(b)
    notes = sorted(s.notes for s in lib.values())
    assert notes == ["note from A after B saved", "note from B"]


def test_opening_another_session_asks_first(make_window, qtbot, monkeypatch):
    answers = Answers(monkeypatch, **{"Not saved: changed in another window": None,
                                      "Unsaved changes": None})
    a, b = _conflict(make_window, qtbot)
    sa = a.workspace.sessions
    mine = sa.session
    a.workspace.new_session()  # cancelled: A's session and edits stay open
    assert sa.session is mine and mine.notes == "note from A after B saved"
    assert "opening another session" in answers.asked[-1][2]
    answers.script["Unsaved changes"] = "copy"
    a.workspace.new_session()
    assert sa.session is not mine
    sa.settle()
    assert sorted(s.notes for s in _library(b).values()) == [
        "", "note from A after B saved", "note from B"]


def test_unwritable_library_offers_a_session_file_on_close(make_window, qtbot, monkeypatch,
                                                           tmp_path):
    answers = Answers(monkeypatch, **{"Unsaved changes": "export"})
    win = make_window()
    sessions = win.workspace.sessions
    sessions.new_session(lifter="Maria")
    sessions.settle()

    def refuse(self, *_a, **_k):
        raise StorageError(f"LiftLens cannot write to its library at {self.path}. Check "
                           "that the folder exists and is writable; your work is still open.")

    monkeypatch.setattr(SessionStore, "save_document", refuse)
    sessions.update_fields(notes="only in this window")
    target = tmp_path / "kept.liftlens"
    paths = [None, str(target)]
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a, **k: paths.pop(0))
    assert not win.close()  # the file dialog was cancelled: nothing is dropped
    assert answers.asked[-1][3] == ["export", "discard"]
    assert "cannot write to its library" in answers.asked[-1][2]
    assert win.close()
    assert json.loads(target.read_text())["notes"] == "only in this window"


def test_saved_work_closes_without_a_question(make_window, qtbot, monkeypatch):
    answers = Answers(monkeypatch)
    win = make_window()
    win.workspace.sessions.new_session(lifter="Maria")
    win.workspace.sessions.update_fields(notes="saved on close")
    assert win.close()
    assert answers.asked == []
    assert [s.notes for s in _library(win).values()] == ["saved on close"]


def test_a_set_clicked_in_progress_asks_and_cancel_leaves_everything_as_it_was(
        make_window, qtbot, monkeypatch):
    answers = Answers(monkeypatch, **{"Not saved: changed in another window": None,
                                      "Unsaved changes": None})
    a, _b = _conflict(make_window, qtbot)
    ws = a.workspace
    mine = ws.sessions.session
    assert ws.sessions.open_session("another-session") is False
    ws.session_compare.open_set("another-session", "its-set")
    assert answers.asked[-1][0] == "Unsaved changes"
    assert ws.sessions.session is mine and ws._auto_open  # the next session opens normally
    assert ws.session_compare._pending is None


def test_conflict_message_waits_for_the_end_of_a_drag(make_window, qtbot, monkeypatch):
    from app.controllers import unsaved

    held = [True]
    monkeypatch.setattr(unsaved, "mouse_held", lambda: held[0])
    answers = Answers(monkeypatch, **{"Not saved: changed in another window": None})
    _a, _b = _conflict(make_window, qtbot)
    assert answers.asked == []  # not while the button is down
    held[0] = False
    qtbot.waitUntil(lambda: len(answers.asked) == 1, timeout=5000)
