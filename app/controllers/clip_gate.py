"""Where a newly opened clip goes: a set of the open session only when the user says so.

A clip used to join whatever session was open (the one used last, reopened at start) as
its next set: an overhead press given on the command line became "set 3" of a
back-squat session and counted in that lifter's history. Now:

- a clip given on the command line opens on its own: the last session is not reopened
  under it, and the clip starts a session of its own (as the first clip of a new
  library always did), so its track and drawings are saved without touching any other
  session;
- a clip the user picks (File → Open video…, a recent file, a dropped file) while a
  session is open is asked about in plain words: "Add to <session> as set N", "Open on
  its own" (a new session of its own; the open one stays as it is) or Cancel;
- a session made for a clip opened on its own and left with nothing done with it (the
  clip only looked at) is not kept: the Sessions list holds no such sessions, and the
  session open before it is the last one again (see
  :meth:`app.controllers.session.SessionController.unused`);
- "Add recording…" of the Sessions list adds without asking (the user said so there);
- a damaged clip (it ends early, or cannot be read past some frame) is asked about in
  any case, with the same three answers.

Asking and doing are apart: :meth:`ClipGate.question` builds the question and changes
nothing; :meth:`ClipGate.may_show` asks it and only then does what was chosen (a new
session for "on its own"; adding is done by the workspace as before, see
:meth:`app.controllers.session.SessionController.add_recording`). Cancel leaves the clip
on screen, the session and the library as they were.

A clip already in the open session and the demo clip are never asked about. A set that
joined a session by mistake is moved out with File → Move this set to a session of its
own… (:meth:`ClipGate.move_out` asks, :meth:`ClipGate.move_to_own_session` does).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from analysis.session.document import Recording, Session
from app import dialogs
from app.controllers.session import SessionController
from app.video_opener import OpenedVideo

#: how a clip being opened was asked for: "add" (as the open session's next set, the
#: programmatic default and "Add recording…"), "ask" (picked by the user: asked when a
#: session is open), "own" (on its own: the command line)
HOW = ("add", "ask", "own")


def _as_damage(sentence: str) -> str:
    """A damage sentence of the index, for a question asked before the clip is shown: what
    is shown of it is told by the answers, not here."""
    for shown in ("; what is there is shown.", "; only those can be shown."):
        if sentence.endswith(shown):
            return sentence[: -len(shown)] + "."
    return sentence


def question(name: str, damage: tuple[str, ...], session_title: str | None,
             set_number: int | None, unused: bool = False,
             ) -> tuple[str, str, list[tuple[str, str]], str, bool]:
    """``(text, detail, choices, cancel label, warning)`` of the question about opening
    the clip ``name``; ``damage``: the index's damage sentences (empty: a whole clip);
    ``session_title``/``set_number``: the open session and the set the clip would become
    in it (None: no session is open); ``unused``: nothing was done with the open session
    (a clip only looked at), so it is not kept when another opens. ``choices`` are ``(key, label)`` with keys "add"
    and "own"; ``warning``: the question is about damage (a warning icon)."""
    damaged = bool(damage)
    if session_title is not None:
        add_label = f"Add to “{session_title}” as set {set_number}"
        choices = [("add", add_label), ("own", "Open on its own")]
        own = ("Open on its own: the clip opens in a new session of its own; "
               + (f"“{session_title}” is not kept, as nothing was done with it."
                  if unused else f"“{session_title}” stays as it is."))
        add = f"Add: it becomes set {set_number} of “{session_title}”."
    else:
        choices = [("own", "Open on its own")]
        own = "Open on its own: the clip opens in a new session of its own."
        add = ""
    if damaged:
        text = f"“{name}” is damaged."
        cancel = "Don't open"
        detail = ("\n".join(_as_damage(d) for d in damage) + "\n\n"
                  "Its analysis can only use the frames that can be read. Copying it again "
                  "from the phone or camera usually gives the whole clip.\n\n"
                  + (add + "\n" if add else "") + own + "\n"
                  "Don't open: the clip is not opened, and the session stays as it is.")
    else:
        text = f"Add “{name}” to the open session?"
        cancel = "Cancel"
        detail = (f"“{session_title}” is open.\n\n{add}\n{own}\n"
                  "Cancel: the clip is not opened.")
    return text, detail, choices, cancel, damaged


class ClipGate:
    """``may_show(path, opened)``: True when the clip may take the main view (the
    window's hook); ``open_chosen(path, how)`` opens a clip with how it was asked for.

    ``start_own()`` starts a session of its own for the clip (False: the user kept the
    open session instead, e.g. to save its edits)."""

    def __init__(self, parent: QWidget, sessions: SessionController,
                 is_demo: Callable[[str], bool], open_path: Callable[[str], None],
                 start_own: Callable[[], bool]) -> None:
        self.parent = parent
        self.sessions = sessions
        self.is_demo = is_demo
        self._open_path = open_path
        self._start_own = start_own
        self._how: dict[str, str] = {}  # absolute path -> how it was asked for

    def open_chosen(self, path: str, how: str = "ask") -> None:
        """Open ``path``; ``how`` (see :data:`HOW`) says where it may go."""
        assert how in HOW, how
        self._how[os.path.abspath(path)] = how
        self._open_path(path)

    def may_show(self, path: str, opened: OpenedVideo) -> bool:
        how = self._how.pop(os.path.abspath(path), "add")
        damage = opened.index.damage
        if self.is_demo(path) or self.sessions.find_recording(path, opened.fingerprint):
            return True  # the demo; a set of the session (its damage accepted when added)
        session = self.sessions.session
        if session is not None and not session.recordings and not damage:
            return True  # an empty session (just made with New session): the clip is set 1
        if not damage and (session is None or how == "add"):
            return True  # no session: the clip starts one of its own
        if not damage and how == "own":
            return self._start_own()
        title = session.title if session is not None else None
        number = len(session.recordings) + 1 if session is not None else None
        text, detail, choices, cancel, warning = question(
            os.path.basename(path), damage, title, number, self.sessions.unused())
        answer = dialogs.ask_choice(self.parent, "Damaged video" if warning else "Open video",
                                    text, detail, choices, cancel=cancel, warning=warning)
        if answer == "own" and session is not None:
            return self._start_own()
        return answer is not None

    # -- a set moved out of its session -------------------------------------------------

    def move_out(self, rec: Recording | None) -> None:
        """Ask whether to move the set ``rec`` (on screen) to a session of its own; then
        do it and open that session on it."""
        session = self.sessions.session
        if rec is None or session is None or session.recording(rec.id) is not rec:
            dialogs.tell(self.parent, "Move set", "No set of a session is on screen.")
            return
        name, title = os.path.basename(rec.video_path), session.title
        if not dialogs.ask_yes(
                self.parent, "Move set",
                f"Move set {rec.set_number} (“{name}”) out of “{title}” into a session of "
                "its own? Its track, scale, rep corrections and drawings go with it, and it "
                f"no longer counts in this session's numbers or history. “{title}” keeps its "
                "other sets. The new session has the same lifter and date; enter its "
                "exercise in Details."):
            return
        self.move_to_own_session(rec)

    def move_to_own_session(self, rec: Recording) -> Session | None:
        """Save ``rec`` as set 1 of a new session (the open session's lifter and date, no
        exercise), take it out of the open session and open the new one on it. None when
        the library could not be written (the open session is then as it was)."""
        session = self.sessions.session
        assert session is not None and session.recording(rec.id) is rec
        number = rec.set_number
        kept = self.sessions.keep_aside(rec, lifter=session.lifter, date=session.date)
        if kept is None:
            rec.set_number = number
            return None
        self.sessions.model.remove_recording(rec)
        self.sessions.open_session(kept.id)  # the open one is saved first
        return kept
