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
    normal = table.horizontalHeader().property(_NORMAL_FONT)
    if normal is not None:  # squeezed before: its header's text back to its size
        table.horizontalHeader().setFont(normal)
    table.resizeColumnsToContents()
    over = columns_width(table) - available_width(table)
    if over > 0 and wrap_column is not None and wrap_column < table.columnCount():
        fm = QFontMetrics(table.font())
        words = [w for r in range(table.rowCount()) if (it := table.item(r, wrap_column))
                 for w in _WORD_ENDS.split(it.text()) if w]
        floor = max((fm.horizontalAdvance(w) for w in words), default=20) + 12
        current = table.columnWidth(wrap_column)
        table.setColumnWidth(wrap_column, max(current - over, floor))
    if columns_width(table) > available_width(table):
        _tighten(table, wrap_column)
    table.resizeRowsToContents()
    return columns_width(table) <= available_width(table)


#: room (px) around a column's widest text once the columns are squeezed
TIGHT_PAD = 8
#: the header's text size when the columns do not fit (share of the table's text)
SMALL_HEADER = 0.85
_NORMAL_FONT = "liftlensNormalFont"


def _tighten(table: QTableWidget, skip: int | None) -> None:
    """Columns still wider than the table (the attempt table's eleven columns put "Result"
    a scroll away in a 440 px dock): the header's text a little smaller, then each
    column whose header is wider than its cells gives up what is needed of that excess
    (its header then ends in "…", its tooltip names it in full); no cell is cut."""
    header = table.horizontalHeader()
    if header.property(_NORMAL_FONT) is None:
        header.setProperty(_NORMAL_FONT, header.font())
    font = table.font()
    size = font.pixelSize() if font.pixelSize() > 0 else QFontMetrics(font).height()
    small = header.font()
    if font.pixelSize() > 0:
        small.setPixelSize(max(int(round(size * SMALL_HEADER)), 10))
    else:
        small.setPointSizeF(max(font.pointSizeF() * SMALL_HEADER, 7.5))
    header.setFont(small)
    widths = [table.columnWidth(c) for c in range(table.columnCount())]
    table.resizeColumnsToContents()
    if skip is not None and skip < len(widths):
        table.setColumnWidth(skip, widths[skip])
    over = columns_width(table) - available_width(table)
    if over <= 0:
        return
    fm = QFontMetrics(table.font())
    spare = {}
    for c in range(table.columnCount()):  # (a wrapped column's cells are wider: none)
        need = max((fm.horizontalAdvance(it.text()) for r in range(table.rowCount())
                    if (it := table.item(r, c)) is not None), default=0) + TIGHT_PAD
        if table.columnWidth(c) > need:
            spare[c] = table.columnWidth(c) - need
    total = sum(spare.values())
    if not total:
        return
    share = min(1.0, over / total)
    for c, room in spare.items():
        table.setColumnWidth(c, table.columnWidth(c) - int(round(room * share + 0.49)))


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
