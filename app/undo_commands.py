"""Undoable edits (QUndoStack commands): a recording's drawings and key moments, its
analysis inputs, and the open session's details.

Commands keep the items themselves (annotations are replaced, never mutated in
place), so undo restores exactly what was there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand


class ListEdit(QUndoCommand):
    """Insert, remove or replace one item (matched by ``id``) in a list of the document."""

    def __init__(self, text: str, items: list[Any], old: Any | None, new: Any | None,
                 on_change: Callable[[], None], index: int | None = None) -> None:
        super().__init__(text)
        self._items = items
        self._old = old
        self._new = new
        self._on_change = on_change
        self._index = index

    def _swap(self, remove: Any | None, insert: Any | None) -> None:
        pos = len(self._items)
        if remove is not None:
            for i, item in enumerate(self._items):
                if item.id == remove.id:
                    pos = i
                    del self._items[i]
                    break
        elif self._index is not None:
            pos = min(self._index, len(self._items))
        if insert is not None:
            self._items.insert(pos, insert)
        self._on_change()

    def redo(self) -> None:
        self._swap(self._old, self._new)

    def undo(self) -> None:
        self._swap(self._new, self._old)


class ModelEdit(QUndoCommand):
    """Set one value of the document model (a recording's track, calibration or rep
    corrections) through its setter; undo sets the old value back. The model fires its
    event, so every view follows redo and undo alike."""

    def __init__(self, text: str, setter: Callable[[Any], None], old: Any, new: Any) -> None:
        super().__init__(text)
        self._setter, self._old, self._new = setter, old, new

    def redo(self) -> None:
        self._setter(self._new)

    def undo(self) -> None:
        self._setter(self._old)


class DetailEdit(ModelEdit):
    """Set some details of the open session (its fields, or a set's own load) through the
    model; undo sets the old values back.

    Edits stored while a field is still being typed in (typing paused, the notes at every
    key) are ``typing``: the next edit of the same details (``key``) merges into this one,
    so a name or a note typed in bursts is one undo step, named by its last value. Once the
    field is left or Enter is pressed (:meth:`finish_typing`), the step is closed."""

    ID = 0x5E55  # one id for all details edits; mergeWith compares the keys

    def __init__(self, text: str, setter: Callable[[Any], None], old: Any, new: Any,
                 key: tuple[Any, ...], typing: bool = False) -> None:
        super().__init__(text, setter, old, new)
        self.key = key
        self.typing = typing

    def id(self) -> int:  # noqa: D102 - Qt override
        return self.ID

    def finish_typing(self) -> None:
        """The field was left (or Enter pressed): the next edit is a step of its own."""
        self.typing = False

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not (self.typing and isinstance(other, DetailEdit) and other.key == self.key):
            return False
        self._new = other._new
        self.typing = other.typing
        self.setText(other.text())
        # typed back to what it was: no step at all (QUndoStack drops an obsolete command)
        self.setObsolete(self._new == self._old)
        return True
