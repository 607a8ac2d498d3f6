"""The highlighted row of the set list is the set on screen, always.

The list kept its own selection: the arrow keys, a right-click, or a click on a set whose
clip was then not shown (not found, the search declined) left another set highlighted
than the one on screen. Only the model (the set on screen) moves the highlight now."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app import dialogs


@pytest.fixture
def three_sets(make_window, two_squats, tmp_path, qtbot):
    """A window on set 3 of a session of three clips: ``(window, [path of each set])``."""
    paths = []
    for i in range(3):
        p = tmp_path / f"set{i + 1}.mp4"
        p.write_bytes(two_squats[0].read_bytes() + b"\0" * i)  # three files, same pictures
        paths.append(p)
    win = make_window(paths[0])
    ws = win.workspace
    for n, p in enumerate(paths[1:], start=2):
        win.open_path(str(p))
        qtbot.waitUntil(lambda n=n: ws.recording is not None and ws.recording.set_number == n,
                        timeout=15000)
    return win, paths


def _highlighted(win) -> list[int]:
    """The set numbers of the rows the list highlights."""
    lst = win.workspace.browser.recordings
    s = win.workspace.sessions.session
    ids = [item.data(Qt.UserRole) for item in lst.selectedItems()]
    return [s.recording(i).set_number for i in ids]


def _row(win, set_number: int):
    lst = win.workspace.browser.recordings
    return lst.visualItemRect(lst.item(set_number - 1)).center()


def test_keys_and_right_clicks_do_not_move_the_highlight(three_sets, qtbot):
    win, _paths = three_sets
    lst = win.workspace.browser.recordings
    assert _highlighted(win) == [3] and win.workspace.recording.set_number == 3
    lst.setFocus()
    for key in (Qt.Key_Up, Qt.Key_Up, Qt.Key_Down):
        QTest.keyClick(lst, key)
        assert _highlighted(win) == [3], "the arrow keys highlighted a set not on screen"
    assert win.workspace.recording.set_number == 3
    # a right-click (for the set's menu, not opened here) does not highlight its row
    lst.setContextMenuPolicy(Qt.NoContextMenu)
    QTest.mouseClick(lst.viewport(), Qt.RightButton, Qt.NoModifier, _row(win, 2))
    assert _highlighted(win) == [3] and win.workspace.recording.set_number == 3
    # Enter on the row the keys went to opens that set: then it is highlighted
    assert lst.currentRow() == 1  # (the keys and the right-click left the focus on set 2)
    QTest.keyClick(lst, Qt.Key_Up)
    QTest.keyClick(lst, Qt.Key_Return)
    qtbot.waitUntil(lambda: win.workspace.recording.set_number == 1, timeout=15000)
    assert _highlighted(win) == [1]


def test_a_set_whose_clip_is_not_shown_is_not_highlighted(three_sets, qtbot, monkeypatch):
    """Set 1's clip is gone (a phone's clip deleted) and the user does not look for it:
    set 3 stays on screen, and stays the highlighted set."""
    win, paths = three_sets
    lst = win.workspace.browser.recordings
    os.remove(paths[0])
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask_yes", lambda _p, title, *a, **k: asked.append(title)
                        and False)
    QTest.mouseClick(lst.viewport(), Qt.LeftButton, Qt.NoModifier, _row(win, 1))
    qtbot.waitUntil(lambda: asked == ["Video not found"], timeout=15000)
    assert win.workspace.recording.set_number == 3
    assert _highlighted(win) == [3]
    # a set whose clip opens is highlighted once it is on screen
    QTest.mouseClick(lst.viewport(), Qt.LeftButton, Qt.NoModifier, _row(win, 2))
    qtbot.waitUntil(lambda: win.workspace.recording.set_number == 2, timeout=15000)
    assert _highlighted(win) == [2]


def test_the_highlight_follows_removing_and_switching(three_sets, qtbot, monkeypatch):
    win, paths = three_sets
    ws = win.workspace
    s = ws.sessions.session
    monkeypatch.setattr(dialogs, "ask_yes", lambda *a, **k: True)
    ws.remove_set(s.recordings[1].id)  # set 2, not on screen: set 3 becomes set 2
    assert ws.recording.set_number == 2 and _highlighted(win) == [2]
    ws.remove_set(ws.recording.id)  # the set on screen: nothing is on screen
    assert ws.recording is None and _highlighted(win) == []
    first = s.id
    ws.new_session()
    assert _highlighted(win) == []
    ws.open_session(first)
    qtbot.waitUntil(lambda: ws.recording is not None, timeout=15000)
    assert _highlighted(win) == [ws.recording.set_number]
    win.open_path(str(paths[2]))  # a clip opened directly: it is a set of the session
    qtbot.waitUntil(lambda: ws.recording is not None
                    and ws.recording.video_path == str(paths[2]), timeout=15000)
    assert _highlighted(win) == [ws.recording.set_number]
