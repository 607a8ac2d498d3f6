"""What the window says about its library and log: each problem once, in plain words.

At start, everything found before the window is ready (a library that cannot be
written, or created, a log file that cannot be opened) is told in one message; later,
the same library failure from the next background job is not repeated for a while (a
failing library used to put up the same box once per job: three times at start).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject

from app import dialogs
from app.launch import take_log_problem

#: seconds during which the same library failure is not told again
REPEAT_AFTER_S = 10.0


class LibraryNotices(QObject):
    """Tells the library's and the log's problems for one main window; ``sessions`` is
    its :class:`~app.controllers.session.SessionController`, ``show_state`` redraws the
    save-state label."""

    def __init__(self, win, sessions, show_state: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.win, self.sessions, self._show_state = win, sessions, show_state
        self.starting = False  # until started(): problems wait, to be told together
        self._pending: list[str] = []
        self._told: dict[str, float] = {}  # message -> when it was last told
        sessions.failed.connect(self._on_failed)
        sessions.library_read_only.connect(self._on_read_only)

    def started(self) -> None:
        """The window is up: tell in one message what was found meanwhile."""
        self.starting = False
        found, self._pending = self._pending, []
        self._told.update((p, time.monotonic()) for p in found)
        problems = [p for p in (*found, self.sessions.read_only, take_log_problem()) if p]
        if problems:
            title = ("Saving is off" if self.sessions.read_only else
                     "Sessions" if found else "Log file")
            dialogs.warn(self.win, title, "\n\n".join(problems))

    def _on_failed(self, message: str) -> None:
        if self.starting:
            if message not in self._pending:
                self._pending.append(message)
            return
        if time.monotonic() - self._told.get(message, -1e9) < REPEAT_AFTER_S:
            return
        self._told[message] = time.monotonic()
        dialogs.warn(self.win, "Sessions", message)

    def _on_read_only(self, message: str) -> None:
        self._show_state(self.sessions.state)
        if not self.starting:  # at start: one message with the others
            dialogs.warn(self.win, "Saving is off", message)
