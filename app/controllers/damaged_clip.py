"""A damaged clip (it ends early, or cannot be read past some frame) joins the session only
when the user says so.

Opening a clip makes it the next set of the open session (or of a new one). A file cut
short on a phone or by an unfinished copy used to join at once, with only a status-bar
message that soon went. Now the window asks first (:meth:`DamagedClipGate.may_show`, the
"ask": a question that changes nothing); only "Add" lets the window show the clip, which
adds it as before (the "do", :meth:`app.controllers.session.SessionController.add_recording`).
Declining leaves the clip on screen, the session and the library as they were.

A clip already in the session (its damage was accepted when it was added) and the demo
clip are not asked about.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app import dialogs
from app.controllers.session import SessionController
from app.video_opener import OpenedVideo


def damage_question(name: str, damage: tuple[str, ...], set_number: int | None
                    ) -> tuple[str, str, str]:
    """``(text, detail, add label)`` of the question about a damaged clip ``name``;
    ``set_number``: the set it would become in the open session (None: no session is
    open, a new one would start)."""
    where = (f"as set {set_number} of the open session" if set_number is not None
             else "to a new session")
    text = f"“{name}” is damaged."
    detail = ("\n".join(damage) + "\n\n"
              f"Add it {where} anyway? Its analysis can only use the frames that can be "
              "read. Copying it again from the phone or camera usually gives the whole "
              "clip.\n\nDon't add: the clip is not opened, and the session stays as it is.")
    label = f"Add as set {set_number}" if set_number is not None else "Add to a new session"
    return text, detail, label


class DamagedClipGate:
    """``may_show(path, opened)``: True when the clip may take the main view (it is whole,
    already a set, the demo, or the user chose to add it)."""

    def __init__(self, parent: QWidget, sessions: SessionController,
                 is_demo: Callable[[str], bool]) -> None:
        self.parent = parent
        self.sessions = sessions
        self.is_demo = is_demo

    def may_show(self, path: str, opened: OpenedVideo) -> bool:
        damage = opened.index.damage
        if not damage or self.is_demo(path):
            return True
        if self.sessions.find_recording(path, opened.fingerprint) is not None:
            return True  # accepted when it was added
        session = self.sessions.session
        number = len(session.recordings) + 1 if session is not None else None
        text, detail, label = damage_question(os.path.basename(path), damage, number)
        answer = dialogs.ask_choice(self.parent, "Damaged video", text, detail,
                                    [("add", label)], cancel="Don't add")
        return answer == "add"
