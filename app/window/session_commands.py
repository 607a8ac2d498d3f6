"""What the user does to sessions from the window: new, rename, delete (with undo),
remove a set, the comparisons saved in the session, and the Progress window.

A mixin of :class:`app.workspace.Workspace`."""

from __future__ import annotations

import os

from app import dialogs
from app.controllers.progress import ProgressController


class SessionCommands:
    """Session commands of the workspace (new, rename, delete, remove a set, comparisons)."""

    def new_session(self) -> None:
        self.keep_demo_work()  # the demo on screen with work on it: asked first (README)
        if self.sessions.new_session() is None:
            return  # the user kept the open session (unsaved edits)
        self.win.close_video()
        self.form.setFocus()

    def remove_set(self, rec_id: str) -> None:
        """Take a set out of the open session, after asking (its video file is kept)."""
        session = self.sessions.session
        rec = session.recording(rec_id) if session else None
        if rec is None:
            self.win.statusBar().showMessage("No set of a session is on screen.", 5000)
            return
        name = os.path.basename(rec.video_path)
        if not dialogs.ask_yes(self.win, "Remove set",
                               f"Remove set {rec.set_number} (“{name}”) from this session? Its "
                               "track, scale, rep corrections and drawings go with it. The "
                               "video file itself is not touched."):
            return
        self.model.remove_recording(rec)
        self.win.statusBar().showMessage(f"Set {rec.set_number} (“{name}”) was removed from "
                                         "the session.", 8000)

    def open_session(self, session_id: str) -> None:
        """Open a session of the list; the demo on screen with work on it asks first."""
        self.keep_demo_work()
        self.sessions.open_session(session_id)

    def rename_session(self, session_id: str) -> None:
        """Ask for the session's new name, its current one filled in (and selected, so
        typing replaces it); a session without a name of its own starts empty, as its
        date, lifter and exercise are no name to freeze (they would stop following edits)."""
        open_ = self.sessions.session
        if open_ is not None and open_.id == session_id:
            current = open_.name
        else:
            row = self.browser.summary_of(session_id)
            current = row.title if row is not None and row.named else ""
        name = dialogs.ask_text(self.win, "Rename session",
                                "Session name (left empty, it is listed by its date, lifter "
                                "and exercise):", current)
        if name is not None and name.strip() != current:
            self.sessions.rename(session_id, name.strip())

    def delete_session(self, session_id: str) -> None:
        """Move a session to the trash after asking, naming it as the list does (the open
        session by its own title when the list does not show it), with Undo after."""
        title = self.browser.title_of(session_id)
        if title is None and self.sessions.session and self.sessions.session.id == session_id:
            title = self.sessions.session.title
        named = f"“{title}”" if title else "this session"
        answer = dialogs.ask_yes(self.win, "Delete session",
                                 f"Move {named} to the trash? You can undo this right "
                                 "after from the message that follows.")
        if not answer:
            return
        if self.sessions.session and self.sessions.session.id == session_id:
            self.win.close_video()
        self.sessions.delete(session_id, lambda: self._offer_restore(session_id, named))

    def _offer_restore(self, session_id: str, named: str) -> None:
        if dialogs.offer_undo_delete(self.win, named):
            self.sessions.restore(session_id)

    def _save_comparison(self) -> None:
        s = self.sessions.session
        if s is None or not self.win.compare.active:
            return
        state = self.win.compare.state()
        s.comparisons = [c for c in s.comparisons if c.get("id") != state["id"]] + [state]
        self.sessions.mark_dirty()
        self._fill_comparisons_menu()

    def _fill_comparisons_menu(self) -> None:
        menu = self.saved_comparisons
        menu.clear()
        s = self.sessions.session
        items = [c for c in (s.comparisons if s else []) if c.get("kind") == "comparison"]
        for c in items:
            names = " vs ".join(os.path.basename(side.get("path", "?")) for side in c["sides"])
            menu.addAction(names, lambda _=False, st=c: self.win.open_comparison(st))
        menu.setEnabled(bool(items))

    def show_progress(self) -> None:
        """Open the Progress window on the open session's lifter and exercise."""
        if self.progress is None:
            self.progress = ProgressController(
                self.sessions.library_path, self.sessions.open_session,
                lambda msg: dialogs.warn(self.win, "Progress", msg), self,
                window_parent=self.win, open_set=self.session_compare.open_set)
        s = self.sessions.session
        self.progress.show(s.lifter if s else "", s.exercise if s else "")
