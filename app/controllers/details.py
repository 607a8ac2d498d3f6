"""The open session's Details (lifter, date, exercise, loads, sets × reps, RPE, tempo,
readiness, notes, and the load of the set on screen) changed as undoable commands.

Each edit the Details form stores becomes one step on the window's undo stack, named
plainly in Edit → Undo ("Undo Set 2 load 120 kg", "Undo exercise: Back squat"). The
change goes through the document model, so the form, the set list, the analysis and
autosave follow an undo or a redo as they follow the edit itself. A step holds the
session it was made in and does nothing to any other: the stack is emptied when another
session opens, and a step that still finds another session open leaves it alone.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack
from shiboken6 import isValid

from analysis.model import DocumentModel
from analysis.session.document import Readiness, Recording, Session
from app.undo_commands import DetailEdit

log = logging.getLogger(__name__)

#: the longest value (characters) quoted in an undo step's name
QUOTE_CHARS = 28
#: the words of each detail in an undo step's name
FIELD_WORDS = {"lifter": "lifter", "date": "date", "exercise": "exercise",
               "load": "session load", "load_unit": "unit", "sets": "sets", "reps": "reps",
               "rpe": "RPE", "tempo": "tempo", "notes": "notes", "name": "name"}
READINESS_WORDS = {"slept_well": "slept well", "recovered": "recovered", "pain": "pain",
                   "intent": "intent"}


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS - 1].rstrip() + "…"


def _load_words(load: float | None, unit: str) -> str:
    return f"{load:g} {unit}" if load else ""


def _readiness_parts(old: Readiness, new: Readiness) -> list[str]:
    return [k for k in READINESS_WORDS if getattr(old, k) != getattr(new, k)]


def detail_words(s: Session, key: str, old: Any, new: Any) -> str:
    """How the change of detail ``key`` from ``old`` to ``new`` of session ``s`` reads
    after "Undo " / "Redo " ("exercise: Back squat", "session load 100 kg", "notes")."""
    if key == "readiness":
        parts = []
        for k in _readiness_parts(old, new):
            v = getattr(new, k)
            if k == "slept_well":
                parts.append(f"slept well: {'yes' if v else 'no'}")
            elif k == "recovered":
                parts.append(f"recovered {v}" if v else "recovered cleared")
            else:
                parts.append(f"{READINESS_WORDS[k]}: {_quote(v)}" if v
                             else f"{READINESS_WORDS[k]} cleared")
        return ", ".join(parts) or "readiness"
    word = FIELD_WORDS.get(key, key.replace("_", " "))
    if key == "notes":
        return word
    if key == "load":
        return f"{word} {_load_words(new, s.load_unit)}" if new else f"{word} cleared"
    if new in (None, ""):
        return f"{word} cleared"
    if isinstance(new, float):
        return f"{word} {new:g}"
    if isinstance(new, int):
        return f"{word} {new}"
    text = _quote(str(new))
    if key == "exercise":
        text = text[:1].upper() + text[1:]
    return f"{word}: {text}" if key in ("lifter", "exercise", "name") else f"{word} {text}"


def set_load_words(s: Session, rec: Recording, load: float | None) -> str:
    """"Set 2 load 120 kg", or "Set 2 load as the session" (None)."""
    return f"Set {rec.set_number} load " + (_load_words(load, s.load_unit) or "as the session")


class DetailsEdits(QObject):
    """Turns what the Details form stores into undoable steps on ``undo_stack``."""

    def __init__(self, model: DocumentModel, undo_stack: QUndoStack,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.undo_stack = undo_stack
        # another session open (or none): no step of the last one may reach it. (A set
        # shown empties the stack too, see DrawingController.set_recording; a session with
        # no set on screen changed no set, so that alone did not empty it.)
        model.session_changed.connect(self._on_session_changed)

    def _on_session_changed(self, _s: Session | None) -> None:
        if isValid(self.undo_stack):
            self.undo_stack.clear()

    def edit(self, fields: dict[str, Any], typing: bool = False) -> None:
        """Store ``fields`` (session attribute -> value) in the open session, undoably.
        ``typing``: stored while the field is still being typed in (merged with the next
        edit of the same field, see :class:`DetailEdit`)."""
        s = self.model.session
        if s is None:
            return
        new = {k: v for k, v in fields.items() if getattr(s, k) != v}
        if not new:
            return
        old = {k: getattr(s, k) for k in new}
        text = ", ".join(detail_words(s, k, old[k], new[k]) for k in new)
        parts = tuple(_readiness_parts(old["readiness"], new["readiness"])) \
            if "readiness" in new else ()
        key = (s.id, id(s), tuple(sorted(new)), parts)
        self.undo_stack.push(DetailEdit(text, lambda v: self._apply(s, v), old, new, key,
                                        typing))

    def set_load(self, rec: Recording, load: float | None) -> None:
        """Give ``rec`` (a set of the open session) its own load (None: as the session's),
        undoably."""
        s = self.model.session
        if s is None or s.recording(rec.id) is not rec or rec.load == load:
            return
        key = (s.id, id(s), "set_load", rec.id)
        self.undo_stack.push(DetailEdit(set_load_words(s, rec, load),
                                        lambda v: self._apply_load(s, rec, v),
                                        rec.load, load, key))

    def finish_typing(self) -> None:
        """A Details field was left or Enter pressed: the step typed last is closed."""
        i = self.undo_stack.index()
        top = self.undo_stack.command(i - 1) if i > 0 else None
        if isinstance(top, DetailEdit):
            top.finish_typing()

    def _apply(self, s: Session, values: dict[str, Any]) -> None:
        if s is not self.model.session:  # (the stack is emptied on a switch: never here)
            log.warning("a details step of session %s skipped: it is not open", s.id)
            return
        self.model.edit_session(s, values)

    def _apply_load(self, s: Session, rec: Recording, load: float | None) -> None:
        if s is not self.model.session or s.recording(rec.id) is not rec:
            log.warning("a set load step of session %s skipped: it is not open", s.id)
            return
        self.model.set_load(rec, load)
