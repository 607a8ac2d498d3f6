"""The table row under the playhead: a rep (or attempt) table highlights the row whose time
span holds the playhead, as stepping (→, Ctrl+→ by rep) or playing moves it. The highlight
is the view's selection, set from the playhead time each frame (the model's time), never
a state the table keeps of its own: a row clicked seeks there and is then highlighted for
the same reason."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QTableWidget


class PlayheadRow:
    """Selects the row of ``table`` whose ``(start, end)`` span (s) holds the playhead."""

    def __init__(self, table: QTableWidget) -> None:
        self.table = table
        self.spans: list[tuple[float, float]] = []
        self.row = -1  # the row highlighted (-1: none)
        self.t: float | None = None  # the playhead's last time (s)

    def set_spans(self, spans: Sequence[tuple[float, float]]) -> None:
        """The rows' time spans (s), in row order, after the table was refilled."""
        self.spans = [(float(a), float(b)) for a, b in spans]
        self.row = -2  # refilled: highlighted again where the playhead is
        if self.t is not None:
            self.follow(self.t)

    def follow(self, t: float) -> None:
        """Highlight the row under time ``t`` (s), none between rows. Cheap: the selection
        changes only when the row does."""
        self.t = t
        row = next((k for k, (a, b) in enumerate(self.spans) if a <= t <= b), -1)
        if row == self.row:
            return
        self.row = row
        sel = self.table.selectionModel()
        if row >= 0:  # this row only, whatever keys are held (selectRow adds with Ctrl)
            sel.select(self.table.model().index(row, 0),
                       QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
            self.table.scrollToItem(self.table.item(row, 0))
        else:
            sel.clearSelection()
