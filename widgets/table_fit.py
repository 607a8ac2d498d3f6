"""Fitting a table's columns to its width: numbers whole, a label column wraps.

``resizeColumnsToContents`` alone made the side panel's tables wider than the dock: the
last columns were cut ("vali", "calibrat…") behind a horizontal scroll bar. The fitter
sizes every column to its contents and, when they do not fit, narrows only the column
of words (``wrap_column``) down to its longest word, wrapping it over more lines; it
refits whenever the table is resized. A cell may offer more break points than spaces
with zero-width spaces (:data:`BREAK`), e.g. after each dash of a tempo.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTableWidget


#: a zero-width space: where a cell's text may wrap without a visible space
BREAK = "\u200b"
_WORD_ENDS = re.compile(r"[\s\u200b]+")


def columns_width(table: QTableWidget) -> int:
    """The columns' total width (px)."""
    return sum(table.columnWidth(c) for c in range(table.columnCount()))


def available_width(table: QTableWidget) -> int:
    """The width the columns may fill without a horizontal scroll bar (px)."""
    return table.viewport().width()


def fit_columns(table: QTableWidget, wrap_column: int | None = None) -> bool:
    """Size the columns to their contents; when they are wider than the table, narrow
    ``wrap_column`` (its words wrap, no word cut). True when every column fits."""
    table.setWordWrap(wrap_column is not None)
    table.resizeColumnsToContents()
    over = columns_width(table) - available_width(table)
    if over > 0 and wrap_column is not None and wrap_column < table.columnCount():
        fm = QFontMetrics(table.font())
        words = [w for r in range(table.rowCount()) if (it := table.item(r, wrap_column))
                 for w in _WORD_ENDS.split(it.text()) if w]
        floor = max((fm.horizontalAdvance(w) for w in words), default=20) + 12
        current = table.columnWidth(wrap_column)
        table.setColumnWidth(wrap_column, max(current - over, floor))
    table.resizeRowsToContents()
    return columns_width(table) <= available_width(table)


class ColumnFitter(QObject):
    """Keeps ``table``'s columns fitted (:func:`fit_columns`) as its width changes, then
    calls ``refitted()`` (the rows' heights may have changed)."""

    def __init__(self, table: QTableWidget, wrap_column: int | None = None,
                 refitted: Callable[[], None] | None = None) -> None:
        super().__init__(table)
        self.table, self.wrap_column, self.refitted = table, wrap_column, refitted
        self._width = -1
        table.viewport().installEventFilter(self)

    def fit(self) -> bool:
        self._width = available_width(self.table)
        return fit_columns(self.table, self.wrap_column)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Resize and available_width(self.table) != self._width:
            self.fit()
            if self.refitted is not None:
                self.refitted()
        return False
