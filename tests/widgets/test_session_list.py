"""The session list tells apart sessions whose titles are the same."""

from __future__ import annotations

import time

from analysis.session.store import SessionSummary
from widgets.session_browser import SessionBrowserWidget


def test_sessions_with_the_same_title_show_when_they_were_saved(qtbot):
    """Two sessions of one lifter, day and exercise looked identical in the list."""
    t1 = time.mktime((2026, 11, 30, 9, 5, 0, 0, 0, -1))
    t2 = time.mktime((2026, 11, 30, 18, 40, 0, 0, 0, -1))
    title = "2026-11-30 · Ann · back squat"
    rows = [SessionSummary("a", title, "Ann", "2026-11-30", "back squat", t1),
            SessionSummary("b", title, "Ann", "2026-11-30", "back squat", t2),
            SessionSummary("c", "2026-11-29 · Bo · deadlift", "Bo", "2026-11-29", "deadlift", t1)]
    w = SessionBrowserWidget()
    qtbot.addWidget(w)
    w.set_sessions(rows)
    texts = [w.list.item(i).text() for i in range(w.list.count())]
    assert texts == [f"{title} · saved 09:05", f"{title} · saved 18:40",
                     "2026-11-29 · Bo · deadlift"]


def test_long_names_fit_a_narrow_dock_and_stay_apart(qtbot):
    """In a 330 px dock the sets of one lifter's phone clips read "Set 1: sahityajain360__
    barbell-tracker__dead…" behind a horizontal scroll bar, and sets 1 and 3 looked the
    same. Now a set's name is elided in its middle (its end, where the clips differ, stays;
    the full path is its tooltip) and a long session title wraps."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFontMetrics

    from analysis.session.document import Recording, Session

    title = "2026-11-30 · Sahitya Jain · conventional deadlift, heavy singles"
    rows = [SessionSummary("a", title, "Sahitya Jain", "2026-11-30", "deadlift", 0.0)]
    s = Session(lifter="Sahitya Jain", exercise="deadlift")
    for n, clip in enumerate(("deadlift2", "test3", "bench2"), start=1):
        s.recordings.append(Recording(
            video_path=f"/clips/sahityajain360__barbell-tracker__gym-session-2026-11-30__{clip}.mp4", set_number=n))
    w = SessionBrowserWidget()
    qtbot.addWidget(w)
    w.setFixedWidth(330)
    w.show()
    w.set_sessions(rows)
    w.set_session(s)
    qtbot.waitUntil(lambda: w.recordings.viewport().width() > 0)
    for lst in (w.list, w.recordings):
        lst.doItemsLayout()  # the lists lay their items out lazily
        qtbot.wait(20)
        assert lst.horizontalScrollBar().maximum() == 0, "a horizontal scroll is needed"
    fm = QFontMetrics(w.recordings.font())
    room = w.recordings.viewport().width() - 8
    shown = []
    for i, rec in enumerate(s.recordings):
        item = w.recordings.item(i)
        assert item.toolTip() == rec.video_path
        assert fm.horizontalAdvance(item.text()) > room  # the name is too long: elided
        assert w.recordings.textElideMode() == Qt.ElideMiddle
        shown.append(fm.elidedText(item.text(), w.recordings.textElideMode(), room))
    assert [t.split("…")[-1].endswith(end) for t, end in
            zip(shown, ("deadlift2.mp4", "test3.mp4", "bench2.mp4"), strict=True)] == [True] * 3
    assert all(t.startswith(f"Set {n}: ") for n, t in enumerate(shown, start=1))
    # the long title wraps inside the list instead of running past it
    rect = w.list.visualItemRect(w.list.item(0))
    assert rect.width() <= w.list.viewport().width()
    assert rect.height() >= 2 * QFontMetrics(w.list.font()).height()


def test_titles_saved_in_the_same_minute_are_numbered():
    """Two unnamed sessions of one day saved a few seconds apart (New session twice) read
    the same even with their save time; the choices of sessions to compare used the bare
    title, so A and B read identically (tour 31)."""
    from analysis.session.titles import distinct_titles

    t = time.mktime((2026, 12, 1, 4, 27, 5, 0, 0, -1))
    title = "2026-12-01 · Unnamed lifter · session"
    rows = [SessionSummary("a", title, "", "2026-12-01", "", t),
            SessionSummary("b", title, "", "2026-12-01", "", t + 20),
            SessionSummary("c", title, "", "2026-12-01", "", t + 3600),
            SessionSummary("d", "2026-11-29 · Bo · deadlift", "Bo", "2026-11-29", "deadlift", t)]
    assert distinct_titles(rows) == [f"{title} · saved 04:27 (1)", f"{title} · saved 04:27 (2)",
                                     f"{title} · saved 05:27", "2026-11-29 · Bo · deadlift"]
    assert len(set(distinct_titles(rows))) == len(rows)


def test_a_numbered_title_names_the_same_session_in_either_order():
    """The session list shows the newest first and Compare's boxes the oldest first: a
    number given in list order named the newer of two sessions saved in the same minute
    "(1)" in the list and the older one "(1)" in Compare."""
    from analysis.session.titles import distinct_titles

    t = time.mktime((2026, 12, 1, 4, 27, 5, 0, 0, -1))
    title = "2026-12-01 · Unnamed lifter · session"
    rows = [SessionSummary("a", title, "", "2026-12-01", "", t),
            SessionSummary("b", title, "", "2026-12-01", "", t + 20),
            SessionSummary("c", title, "", "2026-12-01", "", t + 20)]
    oldest_first = dict(zip("abc", distinct_titles(rows), strict=True))
    newest_first = dict(zip("cba", distinct_titles(rows[::-1]), strict=True))
    assert oldest_first == newest_first
    assert oldest_first["a"] == f"{title} · saved 04:27 (1)"
