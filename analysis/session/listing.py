"""A session as the library lists it (:class:`SessionSummary`): its name, date, lifter
and exercise, and how lists label it. Read from the library's browse columns
(:mod:`analysis.session.store`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SessionSummary:
    """One row of the session browser.

    ``updated_at`` is the last save time in seconds since the epoch; ``deleted``
    is True for sessions in the trash.
    """

    id: str
    title: str
    lifter: str
    date: str
    exercise: str
    updated_at: float
    deleted: bool = False

    @property
    def details(self) -> str:
        """Its date, lifter and exercise ("2026-02-10 · Anna Test · back squat"): the title
        of a session without a name of its own."""
        return _details(self.date, self.lifter, self.exercise)

    @property
    def named(self) -> bool:
        """True when the user gave it a name of its own (its title is not its details)."""
        return self.title != self.details

    @property
    def label(self) -> str:
        """How lists name it: a named session by its name, then its date, lifter and
        exercise ("Week 1 heavy — 2026-02-10 · Anna Test · back squat"), as several named
        sessions of one lifter must still be told apart; an unnamed one by those alone."""
        return f"{self.title} — {self.details}" if self.named else self.title


def _details(date: str, lifter: str, exercise: str) -> str:
    """A session's date, lifter and exercise as its automatic title reads them."""
    return " · ".join([date, lifter or "Unnamed lifter", exercise or "session"])


def summary_of(row: tuple[Any, ...]) -> SessionSummary:
    sid, name, lifter, date, exercise, updated, deleted = row
    title = name or _details(date, lifter, exercise)
    return SessionSummary(sid, title, lifter, date, exercise, updated, bool(deleted))
