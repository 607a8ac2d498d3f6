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
