"""Plots above a table in a vertical splitter: the table gets the height of all its rows,
the plots the rest, each at least its least readable height; with less room the table
keeps three rows and scrolls. Used by the analysis panel and the comparison panel.

On a short dock (a 1366×768 laptop) a set of eight left the rep table three rows under
the plots at their least heights: the coach's main readout a scroll away. A splitter
given ``fold_order`` lets its plots give way there: plot rows fold (to a handle the user
can drag open again), in that order, until the table shows its first
:data:`FAVOURED_ROWS` rows whole (or as many as the room allows once every foldable row
is folded); the last plot never folds."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QSplitter, QTableWidget

#: rows a table keeps in view however short the splitter is
LEAST_ROWS = 3
#: rows the plots give way for (a typical set is 5-8 reps); a longer set scrolls past them
FAVOURED_ROWS = 8


class TableUnderPlots(QObject):
    """Sizes ``split`` (the plots, then ``table`` last). ``least``: each plot's least
    height (px); ``share(rest)``: the plots' heights sharing ``rest`` px; ``empty_row_h``:
    a row's height while the table has none. With ``hold_minimum`` the splitter itself
    asks for the least heights. It refits when the splitter is resized; once the user
    drags a handle, their sizes are kept.

    ``fold_order`` (plot indices, the first folds first) lets plots fold for the table's
    rows; ``room()`` then gives the height (px) the splitter may take without its page
    scrolling, and ``folded_changed(folded)`` is called with the folded indices whenever
    they change; ``least_folded``: the rows' least heights while any row is folded (the
    caller makes them fit, e.g. by dropping an axis title), else ``least``."""

    def __init__(self, split: QSplitter, table: QTableWidget, least: Sequence[int],
                 share: Callable[[int], list[int]], *, empty_row_h: int,
                 hold_minimum: bool = False, fold_order: Sequence[int] = (),
                 room: Callable[[], int] | None = None,
                 folded_changed: Callable[[tuple[int, ...]], None] | None = None,
                 least_folded: Sequence[int] = (),
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.split, self.table, self.least, self.share = split, table, tuple(least), share
        self.empty_row_h, self.hold_minimum = empty_row_h, hold_minimum
        self.fold_order, self.room, self.folded_changed = tuple(fold_order), room, folded_changed
        self.least_folded = tuple(least_folded) or self.least
        self.user_moved = False
        self.may_fold = True  # False once the user unfolded the plots
        #: the plot rows folded away for the table (indices into ``least``)
        self.folded: tuple[int, ...] = ()
        split.splitterMoved.connect(self._on_moved)
        split.installEventFilter(self)

    def _bar_height(self) -> int:
        bar = self.table.horizontalScrollBar()
        return bar.sizeHint().height() if bar.maximum() > 0 else 0

    def needed(self, rows: int | None = None) -> int:
        """The table's height showing every row (or its first ``rows``) without scrolling
        (px)."""
        t = self.table
        head = t.horizontalHeader()
        count = t.rowCount() if rows is None else min(rows, t.rowCount())
        body = sum(t.rowHeight(r) for r in range(count))
        return (max(head.sizeHint().height(), head.height()) + 2 * t.frameWidth() + body
                + self._bar_height() + 2)  # 2: rounding

    def _least(self, i: int, folded: Sequence[int]) -> int:
        """Row ``i``'s least height (px) with the rows ``folded`` folded."""
        return (self.least_folded if folded else self.least)[i]

    def _handles(self, folded: int = 0) -> int:
        """The height (px) of the splitter's handles, one above each row but the first;
        with ``folded`` rows folded, all but one of them hidden (see :meth:`_set_folded`)."""
        return (self.split.count() - 1 - max(folded - 1, 0)) * self.split.handleWidth()

    def _choose_folds(self) -> tuple[int, ...]:
        """The plot rows to fold so that the table's favoured rows fit the room: () when
        none need to, or when folding every foldable row would not be enough."""
        if (not self.fold_order or not self.may_fold or self.room is None
                or not self.table.rowCount()):
            return ()
        room = self.room()
        want = self.needed(FAVOURED_ROWS)
        kept = list(range(len(self.least)))
        folded: list[int] = []
        for i in self.fold_order:
            if sum(self._least(k, folded) for k in kept) + want + self._handles(len(folded)) \
                    <= room:
                break
            kept.remove(i)  # short of room even then: the more rows, the better
            folded.append(i)
        return tuple(folded)

    def _set_folded(self, folded: tuple[int, ...]) -> None:
        # one handle to drag the folded rows open (under the last of them): the others
        # are hidden, not collapsed, so no handle stands between two empty rows
        dragged = max(folded, default=-1)
        for i in range(len(self.least)):
            self.split.setCollapsible(i, i in folded)
            self.split.widget(i).setMinimumHeight(0 if i in folded else self._least(i, folded))
            self.split.widget(i).setHidden(i in folded and i != dragged)
        if folded != self.folded:
            self.folded = folded
            if self.folded_changed is not None:
                self.folded_changed(folded)

    def fit(self) -> None:
        split, t = self.split, self.table
        row_h = t.rowHeight(0) if t.rowCount() else self.empty_row_h
        table_least = (t.horizontalHeader().sizeHint().height() + 2 * t.frameWidth()
                       + min(LEAST_ROWS, max(t.rowCount(), 1)) * row_h + self._bar_height())
        t.setMinimumHeight(table_least)
        handles = self._handles(len(self.folded))
        if self.user_moved:  # the user's sizes: a row they dragged shut stays shut
            sizes = split.sizes()
            shut = tuple(i for i in self.folded if i < len(sizes) - 1 and sizes[i] == 0)
            if self.hold_minimum:
                split.setMinimumHeight(sum(self._least(i, self.folded)
                                           for i in range(len(self.least)) if i not in shut)
                                       + table_least + handles)
            return
        folded = self._choose_folds()
        self._set_folded(folded)
        handles = self._handles(len(folded))
        kept = [i for i in range(len(self.least)) if i not in folded]
        least_kept = sum(self._least(i, folded) for i in kept)
        if self.hold_minimum:
            table_min = table_least
            if folded and self.room is not None:  # the favoured rows, as far as they fit
                table_min = max(table_least, min(self.needed(FAVOURED_ROWS),
                                                 self.room() - handles - least_kept))
            split.setMinimumHeight(least_kept + table_min + handles)
        if split.height() <= 0:
            return
        avail = split.height() - handles
        table = max(table_least, min(self.needed(), avail - least_kept))
        rest = max(avail - table, least_kept)
        if not folded:
            split.setSizes([*self.share(rest), table])
            return
        # the rows kept share the rest by their least heights
        sizes = [0] * len(self.least)
        for i in kept:
            sizes[i] = rest * self._least(i, folded) // max(least_kept, 1)
        if kept:
            sizes[kept[-1]] += rest - sum(sizes)
        split.setSizes([*sizes, table])

    def unfold(self) -> None:
        """Every plot row back at its least height at least; the table takes what is left
        (and scrolls). The user's choice: kept until they drag a handle."""
        self.may_fold, self.user_moved = False, False
        self.fit()
        self.user_moved = True

    def _on_moved(self, _pos: int, _index: int) -> None:
        self.user_moved = True

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.split and event.type() == QEvent.Resize:
            self.fit()
        return super().eventFilter(obj, event)
