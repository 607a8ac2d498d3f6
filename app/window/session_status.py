"""The open session on screen: its details form, the session list, the save state in the
status bar and the title bar (which never lies about saved state).

A mixin of :class:`app.workspace.Workspace`."""

from __future__ import annotations

import os

from analysis.lift.exercises import lift_for
from analysis.session.document import Session


class SessionStatus:
    """The open session's form, list, save state and window title."""

    def _on_session_changed(self, s: Session | None) -> None:
        """Another session is open (the model closed the previous recording): show it, and
        open the set that was on screen when it was last left (the first for older files).
        A clip still opening for the session left is dropped first."""
        self.win.cancel_opening()
        self._fill_comparisons_menu()
        self.form.set_session(s)
        self._update_title()
        shown = s.reopens_on() if s is not None else None
        if shown is not None:
            self.open_recording(shown.id)
        self._ask_for_a_set()
        if s is not None and not s.recordings:
            self.win.statusBar().showMessage(
                f"“{s.title}” has no sets yet: add a video of a set with File → Open video… "
                "or Add recording… in the Sessions tab.", 15000)

    def _ask_for_a_set(self) -> None:
        """The welcome view (shown while no clip is) asks for the open session's first
        set when it has none, instead of greeting as on a first start."""
        s = self.sessions.session
        self.win.welcome.show_session(s.title if s is not None and not s.recordings else None)

    def _on_details_edited(self, fields: dict) -> None:
        """Details edited: store them; a new exercise applies to every set of the session,
        which the status bar says when other tracked sets change how they are measured."""
        s = self.sessions.session
        before = lift_for(s.exercise) if s is not None else None
        self.details.edit(fields, self.form.typing)  # undoable: Edit → Undo names it
        s = self.sessions.session
        if "load" in fields and s is not None:
            self._say_session_load(s)
        if "load_unit" in fields and s is not None:
            self._say_unit(s)
        if "exercise" not in fields or s is None or lift_for(s.exercise) == before:
            return
        others = [r for r in s.recordings if r is not self.recording and r.track is not None]
        if others:
            sets = ", ".join(str(r.set_number) for r in others)
            self.win.statusBar().showMessage(
                f"The exercise is the session's: set{'s' if len(others) > 1 else ''} {sets} "
                f"{'are' if len(others) > 1 else 'is'} now measured as "
                f"{s.exercise or 'an unknown lift'} too. A different lift belongs in a new "
                "session (File → New session).", 15000)

    def _say_session_load(self, s: Session) -> None:
        """A session load typed while other sets count at it: say which sets it applies to
        (it rewrote sets already lifted, without a word) and which keep their own."""
        shared = [str(r.set_number) for r in s.recordings if r.load is None]
        own = [str(r.set_number) for r in s.recordings if r.load is not None]
        if len(s.recordings) < 2 or not shared:
            return
        one = len(shared) == 1
        which = (f"Set {shared[0]}" if one else
                 f"Sets {', '.join(shared[:-1])} and {shared[-1]}")
        which += (f" now count{'s' if one else ''} at {s.load:g} {s.load_unit}" if s.load
                  else f" now {'has' if one else 'have'} no load")
        kept = (f" (set{'s' if len(own) > 1 else ''} {', '.join(own)} "
                f"{'have' if len(own) > 1 else 'has'} its own)" if own else "")
        self.win.statusBar().showMessage(
            f"{which}{kept}. A set at another load: Details → Set N load.", 15000)

    def _say_unit(self, s: Session) -> None:
        """The unit changed: the loads typed are read in it, not converted (a load typed
        in the wrong unit is corrected this way); say so when sets have loads."""
        loads = [f"{load:g}" for r in s.recordings for load in [s.load_of(r)] if load]
        if loads:
            self.win.statusBar().showMessage(
                f"Loads are now read in {s.load_unit} ({', '.join(loads)} {s.load_unit}), "
                "not converted: retype any that were lifted in the other unit.", 15000)

    def _on_session_edited(self, _s: Session | None = None) -> None:
        self.form.set_recording(self.model.current)  # its number, after a set is removed
        self.form.follow(self.model.session)  # an undone or redone detail shows again
        self._update_title()
        self._ask_for_a_set()  # (its title, and whether it has a set, may have changed)

    def _on_set_load_edited(self, rec_id: str, load: float | None) -> None:
        """The load of the set on screen typed in Details: that set's own load."""
        s = self.sessions.session
        rec = s.recording(rec_id) if s is not None else None
        if rec is not None:
            self.details.set_load(rec, load)  # undoable

    def _on_sessions_listed(self, rows) -> None:
        lifters = sorted({r.lifter for r in rows if r.lifter}, key=str.lower)
        exercises = sorted({r.exercise for r in rows if r.exercise}, key=str.lower)
        if self.sessions.filters:
            lifters = exercises = None  # keep the full lists while filtering
        self.browser.set_sessions(rows, lifters, exercises)

    def _on_save_state(self, state: str) -> None:
        if self.sessions.read_only:
            self.save_label.setText("⚠ Saving is off")
            self.save_label.setToolTip(self.sessions.read_only)
            if state == self.sessions.read_only:
                self.win.statusBar().showMessage(
                    "Saving is off: the library cannot be written. Export the session "
                    "(File → Export session) to keep your changes.", 15000)
            self._update_title()
        elif state == "saved":
            self.save_label.setText("All changes saved")
            self._windows_follow(self.sessions.session)
        elif state == "saving":
            self.save_label.setText("Saving…")
        else:
            self.save_label.setText("⚠ Not saved")
            self.save_label.setToolTip(state)
            if self.sessions.conflicted:  # told in full in a message; the bar cuts it
                state = ("Not saved: this session was changed in another LiftLens window. "
                         "Your changes are still open here.")
            self.win.statusBar().showMessage(state, 15000)
        self._update_title()

    def _windows_follow(self, s: Session | None) -> None:
        """The open session is saved: Compare sessions and Progress, when open on it,
        read it again."""
        self.session_compare.follow_saved(s)
        progress = getattr(self, "progress", None)
        if progress is not None and s is not None:
            progress.follow_saved(s.lifter, s.exercise)

    def _update_title(self) -> None:
        s = self.sessions.session
        parts = []
        if self.win.video_path:
            parts.append(os.path.basename(self.win.video_path))
        if s is not None:
            mark = "" if self.sessions.state in ("saved", "saving") else " (not saved)"
            parts.append(s.title + mark)
        parts.append("LiftLens")
        if not self.win.compare.active:
            self.win.setWindowTitle(" — ".join(parts))
