"""Edits the library does not hold are never dropped without asking.

Two cases leave the open session's edits only in this window: another LiftLens window
saved the same session after it was opened here (the save is refused rather than
overwrite it), or the library cannot be written (a full disk, a read-only folder). The
first is told once in a message with what to do; and closing the window or opening
another session then asks: keep them (as a new session of the library, or in a session
file when the library cannot be written), discard them, or cancel.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from analysis.session.store import CONFLICT_MESSAGE
from app import dialogs

#: what the window is about to do, as the question names it
ACTIONS = {"close": "closing this window", "switch": "opening another session"}


def mouse_held() -> bool:
    """A mouse button is down (a drawing or handle is being dragged)."""
    return QGuiApplication.mouseButtons() != Qt.NoButton


class UnsavedWork(QObject):
    """Asks about the open session's unsaved edits for one main window.

    ``sessions``: the window's :class:`~app.controllers.session.SessionController`;
    ``commit``: stores a detail still being typed; ``export_now``: writes the open session
    to a file the user picks (True once written)."""

    def __init__(self, win, sessions, commit: Callable[[], None],
                 export_now: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.win, self.sessions = win, sessions
        self._commit, self._export_now = commit, export_now
        self._told: set[str] = set()  # sessions whose conflict was already told
        self._asking = False
        sessions.save_state_changed.connect(self._on_save_state)
        sessions.may_leave = lambda: self.may_drop("switch")

    def _on_save_state(self, state: str) -> None:
        s = self.sessions.session
        if state != CONFLICT_MESSAGE or s is None or s.id in self._told or self._asking:
            return
        if mouse_held():  # not in the middle of a drag: asked once the button is up
            QTimer.singleShot(300, lambda: self._on_save_state(self.sessions.state))
            return
        self._told.add(s.id)
        self._asking = True
        try:
            choice = dialogs.ask_choice(
                self.win, "Not saved: changed in another window",
                f"“{s.title}” was changed in another LiftLens window after you opened it "
                "here, so your changes were not saved over it.",
                "Your changes are still open here. Save them as a new session to keep both "
                "versions, or reopen the session to see the other window's version (your "
                "changes here are then discarded).",
                [("copy", "Save mine as a new session"),
                 ("reload", "Reopen theirs (discard mine)")], cancel="Decide later")
        finally:
            self._asking = False
        if choice == "copy":
            self._keep_as_new_session()
        elif choice == "reload":
            self.sessions.open_session(s.id, ask=False)

    def _keep_as_new_session(self) -> bool:
        old = self.sessions.session.title if self.sessions.session else ""
        s = self.sessions.keep_as_new_session()
        self.sessions.settle()
        if self.sessions.unsaved_problem is not None:
            dialogs.warn(self.win, "Not saved", self.sessions.unsaved_problem)
            return False
        self.win.statusBar().showMessage(
            f"Your version is saved as “{s.title}” and stays open here; the other window's "
            f"version is still “{old}”.", 15000)
        return True

    def may_drop(self, action: str = "close") -> bool:
        """Before closing the window (``action`` "close") or opening another session
        ("switch"): save what can be saved, and when the open session still has edits the
        library does not hold, ask what to do with them. True: go on (they are kept
        elsewhere or the user discarded them); False: the user cancelled."""
        self._commit()
        sessions = self.sessions
        if sessions.session is None:
            return True
        self._asking = True  # the outcome is asked about below, not in a second message
        try:
            sessions.settle()
        finally:
            self._asking = False
        problem = sessions.unsaved_problem
        if problem is None:
            return True
        title = sessions.session.title
        if sessions.conflicted:
            problem = ("This session was changed in another LiftLens window after it was "
                       "opened here, so your changes were not saved over it.")
            keep = ("copy", "Save mine as a new session")
            how = ("save them as a new session to keep both versions (the other window's "
                   "stays as it is), or discard them.")
        else:
            if sessions.read_only:  # the start-up message said the rest
                problem = (f"LiftLens cannot write to its library at {sessions.library_path}, "
                           "so saving is off.")
            keep = ("export", "Save a copy to a file…")
            how = ("save a copy to a session file (File → Import session brings it back "
                   "later), or discard them.")
        self._asking = True
        try:
            choice = dialogs.ask_choice(
                self.win, "Unsaved changes",
                f"Your changes to “{title}” are not saved.",
                f"{problem}\n\nBefore {ACTIONS.get(action, action)}: {how}",
                [keep, ("discard", "Discard my changes")])
        finally:
            self._asking = False
        if choice == "copy":
            return self._keep_as_new_session()
        if choice == "export":
            if not self._export_now():
                return False
            sessions.drop_unsaved()  # kept in the file
            return True
        if choice == "discard":
            sessions.drop_unsaved()
            return True
        return False
