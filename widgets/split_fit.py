"""Plots above a table in a vertical splitter: the table gets the height of all its rows,
the plots the rest, each at least its least readable height; with less room the table
keeps three rows and scrolls. Used by the analysis panel and the comparison panel."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QSplitter, QTableWidget

#: rows a table keeps in view however short the splitter is
LEAST_ROWS = 3


class TableUnderPlots(QObject):
    """Sizes ``split`` (the plots, then ``table`` last). ``least``: each plot's least
    height (px); ``share(rest)``: the plots' heights sharing ``rest`` px; ``empty_row_h``:
    a row's height while the table has none. With ``hold_minimum`` the splitter itself
    asks for the least heights. It refits when the splitter is resized; once the user
    drags a handle, their sizes are kept."""

    def __init__(self, split: QSplitter, table: QTableWidget, least: Sequence[int],
                 share: Callable[[int], list[int]], *, empty_row_h: int,
                 hold_minimum: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.split, self.table, self.least, self.share = split, table, tuple(least), share
        self.empty_row_h, self.hold_minimum = empty_row_h, hold_minimum
        self.user_moved = False
        split.splitterMoved.connect(self._on_moved)
        split.installEventFilter(self)

    def _bar_height(self) -> int:
        bar = self.table.horizontalScrollBar()
        return bar.sizeHint().height() if bar.maximum() > 0 else 0

    def needed(self) -> int:
        """The table's height showing every row without scrolling (px)."""
        t = self.table
        head = t.horizontalHeader()
        rows = sum(t.rowHeight(r) for r in range(t.rowCount()))
        return (max(head.sizeHint().height(), head.height()) + 2 * t.frameWidth() + rows
                + self._bar_height() + 2)  # 2: rounding

    def fit(self) -> None:
        split, t = self.split, self.table
        row_h = t.rowHeight(0) if t.rowCount() else self.empty_row_h
        table_least = (t.horizontalHeader().sizeHint().height() + 2 * t.frameWidth()
                       + min(LEAST_ROWS, max(t.rowCount(), 1)) * row_h + self._bar_height())
        t.setMinimumHeight(table_least)
        handles = len(self.least) * split.handleWidth()
        if self.hold_minimum:
            split.setMinimumHeight(sum(self.least) + table_least + handles)
        if self.user_moved or split.height() <= 0:
            return
        avail = split.height() - handles
        table = max(table_least, min(self.needed(), avail - sum(self.least)))
        rest = max(avail - table, sum(self.least))
        split.setSizes([*self.share(rest), table])

    def _on_moved(self, _pos: int, _index: int) -> None:
        self.user_moved = True

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.split and event.type() == QEvent.Resize:
            self.fit()
        return super().eventFilter(obj, event)
