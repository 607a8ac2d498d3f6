"""Undoable edits of a recording's drawings and key moments (QUndoStack commands).

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
