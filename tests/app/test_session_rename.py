"""Renaming a session: the dialog holds the current name, and the list keeps telling
named sessions apart.

A coach pressed Rename and found an empty "Session name:" field; once named, a session
was listed by its name alone ("Week 1 heavy"), without the date, lifter and exercise the
unnamed ones show, so several sessions per lifter could not be told apart."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog


def _listed(ws) -> dict[str, str]:
    return {ws.browser.list.item(i).data(256): ws.browser.list.item(i).text()
            for i in range(ws.browser.list.count())}


def _session(ws, qtbot, name: str, lifter: str, date: str) -> str:
    ws.new_session()
    ws.sessions.update_fields(lifter=lifter, exercise="back squat", date=date)
    if name:
        ws.sessions.rename(ws.sessions.session.id, name)
    ws.sessions.flush()
    qtbot.waitUntil(lambda: ws.sessions.state == "saved", timeout=10000)
    return ws.sessions.session.id


def test_rename_starts_from_the_current_name(make_window, qtbot, monkeypatch):
    win = make_window()
    ws = win.workspace
    unnamed = _session(ws, qtbot, "", "Ben Two", "2026-02-11")
    heavy = _session(ws, qtbot, "Week 1 heavy", "Anna Test", "2026-02-10")
    offered: list[str] = []
    answers = iter(["Week 1 heavy singles", "Week 1 light"])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, text="", **k:
                        (offered.append(text), (next(answers), True))[1])

    ws.rename_session(heavy)  # the open session
    assert offered == ["Week 1 heavy"]  # was "": the name had to be typed again
    assert ws.sessions.session.name == "Week 1 heavy singles"
    ws.rename_session(unnamed)  # from the list: not open
    assert offered[1] == ""  # no name of its own: its date, lifter, exercise are not frozen
    qtbot.waitUntil(lambda: "Week 1 light" in _listed(ws)[unnamed], timeout=10000)
    ws.open_session(heavy)
    ws.sessions.refresh()
    qtbot.waitUntil(lambda: "singles" in _listed(ws)[heavy], timeout=10000)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, text="", **k:
                        (offered.append(text), ("", False))[1])
    ws.rename_session(unnamed)  # a listed session renamed before: its name, not its details
    assert offered[2] == "Week 1 light"


def test_named_sessions_are_listed_with_their_date_lifter_and_exercise(make_window, qtbot):
    win = make_window()
    ws = win.workspace
    first = _session(ws, qtbot, "Week 1 heavy", "Anna Test", "2026-02-10")
    second = _session(ws, qtbot, "Week 1 heavy", "Anna Test", "2026-02-17")
    other = _session(ws, qtbot, "", "Ben Two", "2026-02-11")
    ws.sessions.refresh()
    qtbot.waitUntil(lambda: len(_listed(ws)) == 3, timeout=10000)
    shown = _listed(ws)
    assert shown[first] == "Week 1 heavy — 2026-02-10 · Anna Test · back squat"
    assert shown[second] == "Week 1 heavy — 2026-02-17 · Anna Test · back squat"
    assert shown[other] == "2026-02-11 · Ben Two · back squat"  # unnamed: as before
    ws.open_session(first)
    qtbot.waitUntil(lambda: ws.sessions.session.id == first, timeout=10000)
    label = ws.browser.current_label.text()
    assert "Week 1 heavy" in label and "2026-02-10 · Anna Test · back squat" in label
