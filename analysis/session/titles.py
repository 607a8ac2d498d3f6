"""Session titles as lists show them: told apart where several sessions share one."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence

from analysis.session.store import SessionSummary


def distinct_titles(rows: Sequence[SessionSummary]) -> list[str]:
    """Each session's title as lists show it (a named one with its date, lifter and
    exercise: :attr:`SessionSummary.label`), told apart where several share one (one
    lifter, day and exercise, or all unnamed): by when it was last saved ("… · saved
    14:05"), then, saved in the same minute, by a number ("… (2)") in the order they were
    saved (then by id), whatever the order of ``rows``. The session browser (newest first)
    and the choices of sessions to compare (oldest first) name them so, and the same
    session alike in both (two unnamed sessions of one day read the same in Compare's A
    and B boxes)."""
    twins = Counter(r.label for r in rows)
    out = [r.label if twins[r.label] == 1 else
           f"{r.label} · saved {time.strftime('%H:%M', time.localtime(r.updated_at))}"
           for r in rows]
    same, seen = Counter(out), Counter[str]()
    for i in sorted(range(len(rows)), key=lambda i: (rows[i].updated_at, rows[i].id)):
        t = out[i]
        if same[t] > 1:
            seen[t] += 1
            out[i] = f"{t} ({seen[t]})"
    return out
