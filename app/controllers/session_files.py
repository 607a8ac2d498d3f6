"""Session files (.liftlens): export the open session to share it, import one (its videos
are looked for next to the file). Reading and writing run off the GUI thread."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject

from analysis.session.document import Session, SessionFileError
from analysis.session.portable import export_session, import_session, locate_video
from app import dialogs
from app.export_folder import export_folder
from app.workers import run_in_background

SESSION_SUFFIX = ".liftlens"
SESSION_FILTER = "LiftLens sessions (*.liftlens);;All files (*)"
#: How long a session import's message stays in the status bar (ms).
IMPORT_SAID_MS = 10000


class SessionFiles(QObject):
    """File → Export session / Import session for one main window; ``sessions`` is the
    window's :class:`~app.controllers.session.SessionController`, ``exports`` its
    :class:`~app.controllers.export.ExportController` (a session file is asked for, and
    its folder remembered, as every other export)."""

    def __init__(self, win, sessions, exports, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.win, self.sessions, self.exports = win, sessions, exports

    def _ask(self, title: str, s: Session) -> str | None:
        """Where to write ``s``: asked at :meth:`_suggested` (again while the folder
        chosen cannot be written); the folder chosen is the next export's."""
        path = self.exports.ask_path(title, self._suggested(s), SESSION_FILTER)
        if path:
            self.exports.remember_dir(path)
        return path

    def export_session(self) -> None:
        s = self.sessions.session
        if s is None:
            dialogs.tell(self.win, "Export session", "Open a session first.")
            return
        path = self._ask("Export session", s)
        if not path:
            return
        doc = s

        def job() -> None:
            export_session(doc, path)

        run_in_background(job, lambda _r: self.win.statusBar().showMessage(
            f"Session saved to {path}", 6000),
            lambda exc: dialogs.warn(self.win, "Export session", str(exc)))

    def _suggested(self, s: Session) -> str:
        """Where a session file is offered: in the folder the user last exported to, else
        their Documents or home folder (:func:`app.export_folder.export_folder`); never
        beside the session's videos (a phone's DCIM folder, often read-only or synced)."""
        folder = export_folder(self.win.settings, SESSION_SUFFIX)
        return str(folder / f"{s.title.replace(' · ', ' ')}{SESSION_SUFFIX}")

    def export_now(self, title: str = "Save a copy of the session") -> bool:
        """Ask where, and write the open session to a file before the window goes on
        (closing, opening another session): True once written; False when the user
        cancelled or it could not be written (then they were told why)."""
        s = self.sessions.session
        if s is None:
            return True
        path = self._ask(title, s)
        if not path:
            return False
        try:
            export_session(s, path)  # a small file; the window waits for it on purpose
        except SessionFileError as exc:
            dialogs.warn(self.win, title, str(exc))
            return False
        self.win.statusBar().showMessage(f"Session saved to {path}", 6000)
        return True

    def import_session(self) -> None:
        path = dialogs.ask_open_path(self.win, "Import session", "", SESSION_FILTER)
        if not path:
            return

        def job():
            s = import_session(path)
            folder = Path(path).parent
            for rec in s.recordings:  # find the videos next to the shared file
                found = locate_video(rec, folder)
                if found:
                    rec.video_path = str(found[0])
            return s

        def failed(exc: BaseException) -> None:
            msg = str(exc) if isinstance(exc, SessionFileError) else f"Import failed: {exc}"
            dialogs.warn(self.win, "Import session", msg)

        def opened(s) -> None:  # type: ignore[no-untyped-def]
            self.sessions.open_imported(s)
            if self.sessions.session is s:  # opened (not kept back to save the open one)
                self.win.statusBar().showMessage(imported_message(s, Path(path).name),
                                                 IMPORT_SAID_MS)

        run_in_background(job, opened, failed)


def imported_message(session, file_name: str) -> str:  # type: ignore[no-untyped-def]
    """What a session import says in the status bar (for :data:`IMPORT_SAID_MS`): it
    replaces an earlier import's message, which read on as if about this one."""
    recs = list(session.recordings)
    found = sum(1 for r in recs if r.video_path and os.path.exists(r.video_path))
    n = len(recs)
    text = f"Imported “{file_name}”: {n} recording{'s' if n != 1 else ''}"
    if n and found < n:
        text += f", {n - found} without its video next to the file (open it with Relink)"
    return text + "."
