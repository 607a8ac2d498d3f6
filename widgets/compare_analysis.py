"""Comparison plots: both bar paths in one plot (aligned at the rep start), both
velocity curves on one time axis with the playhead, and a table of A against B.

The table gets the height of all its rows (it scrolled at 1600×960: 8 of 11 rows), the
plots share the rest, never below a height where their axes stay readable
(:data:`PLOT_LEAST`); a dock too short for that gives the table at least three rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from widgets.split_fit import TableUnderPlots
from widgets.aspect_plot_box import AspectPlotBoxWidget
from widgets.readable_axis import ReadableAxisItem
from widgets.table_fit import ColumnFitter

SIDE_COLORS = ("#f08c2c", "#3ab0d5")
#: the bar-path and velocity plots never get lower than this (px): title, tick labels
#: and a view box where the labels keep apart
PLOT_LEAST = (110, 120)
#: the share of the plots' room the bar paths get (the velocity curve gets the rest)
PATH_SHARE = 0.45
#: what to do while a side has no analysis
TRACK_BOTH = ("Track the bar in both videos to compare paths, velocity and tempo: click a "
              "side, then Analysis → Track bar (Ctrl+T) and click its plate centre.")


@dataclass
class CompareSeries:
    """One side, in common time: velocity curve and the chosen rep's bar path."""

    label: str
    tau: np.ndarray  # common time (s) of every frame
    velocity: np.ndarray
    path_x: np.ndarray  # the rep's path, relative to its start
    path_h: np.ndarray
    unit: str


def _axes() -> dict[str, ReadableAxisItem]:
    return {side: ReadableAxisItem(side) for side in ("left", "bottom")}


class CompareAnalysisWidget(QWidget):
    seek_requested = Signal(float)  # common time

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.note = QLabel(TRACK_BOTH)
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        self.split = split = QSplitter(Qt.Vertical, self)
        split.setChildrenCollapsible(False)
        lay.addWidget(split, 1)
        self.path_plot = pg.PlotWidget(background="#1b1c1f", title="Bar paths (rep start = 0)",
                                       axisItems=_axes())
        self.path_plot.setAspectLocked(True)
        self.path_plot.addLegend(offset=(5, 5))
        self.path_box = AspectPlotBoxWidget(self.path_plot)  # as wide as the paths need
        self.vel_plot = pg.PlotWidget(background="#1b1c1f", title="Vertical velocity",
                                      axisItems=_axes())
        self.vel_plot.setLabel("bottom", "common time (s)")
        self.vel_plot.addLegend(offset=(5, 5))
        for plot in (self.path_plot, self.vel_plot):
            for side in ("left", "bottom"):
                plot.getAxis(side).enableAutoSIPrefix(False)  # "m", never "m (x0.001)"
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(["", "A", "B", "B − A"])
        self.table.verticalHeader().setVisible(False)
        self.table.setObjectName("compareTable")
        # the numbers stay whole; the row labels wrap when the dock is narrow
        self.fitter = ColumnFitter(self.table, wrap_column=0, refitted=self._fit_split)
        for w, least in zip((self.path_box, self.vel_plot), PLOT_LEAST, strict=True):
            w.setMinimumHeight(least)
        for w in (self.path_box, self.vel_plot, self.table):
            split.addWidget(w)
        split.setSizes([260, 200, 220])
        self.split_fit = TableUnderPlots(split, self.table, PLOT_LEAST, self._share,
                                         empty_row_h=24, parent=self)
        self.paths = [self.path_plot.plot(pen=pg.mkPen(c, width=2), name=n)
                      for c, n in zip(SIDE_COLORS, "AB", strict=True)]
        self.curves = [self.vel_plot.plot(pen=pg.mkPen(c, width=2), name=n)
                       for c, n in zip(SIDE_COLORS, "AB", strict=True)]
        self.playhead = pg.InfiniteLine(angle=90, movable=True, pen=pg.mkPen("#ff5a3c", width=2))
        self.playhead.sigPositionChangeFinished.connect(
            lambda line: self.seek_requested.emit(float(line.value())))
        self.vel_plot.addItem(self.playhead)

    def set_series(self, a: CompareSeries | None, b: CompareSeries | None,
                   rows: list[tuple[str, str, str, str]], note: str = "",
                   real: bool = False, headers: tuple[str, str] = ("A", "B")) -> None:
        """Draw each side's velocity and rep path (None: nothing for that side), the table
        ``rows`` (label, A, B, difference), and ``note`` under them (when empty, a hint
        to track both videos if a side is missing). ``real``: a side is slow motion, so
        the time axis says that common time is real time."""
        for i, s in enumerate((a, b)):
            if s is None:
                self.paths[i].setData([], [])
                self.curves[i].setData([], [])
                continue
            # every sample, NaN where the bar was not seen: the curves break at a gap
            self.curves[i].setData(s.tau, s.velocity, connect="finite")
            self.paths[i].setData(s.path_x, s.path_h, connect="finite")
        shown = [s for s in (a, b) if s is not None]
        self.path_box.show_all(np.concatenate([s.path_x for s in shown] or [np.zeros(0)]),
                               np.concatenate([s.path_h for s in shown] or [np.zeros(0)]))
        unit = (a or b).unit if (a or b) else "px"
        self.vel_plot.setLabel("left", f"velocity ({unit}/s)")
        self.vel_plot.setLabel("bottom", "common time, real (s)" if real else "common time (s)")
        self.path_plot.setLabel("left", f"height ({unit})")
        self.path_plot.setLabel("bottom", f"horizontal ({unit})")
        self.note.setText(note or ("" if a and b else TRACK_BOTH))
        self.set_table(rows, headers)

    def set_table(self, rows: list[tuple[str, str, str, str]],
                  headers: tuple[str, str] = ("A", "B")) -> None:
        """The table of A against B: ``rows`` (label, A, B, difference) under the column
        titles ``headers`` of A and B, which name the rep each side compares."""
        self.table.setHorizontalHeaderLabels(["", headers[0], headers[1], "B − A"])
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.fitter.fit()
        self._fit_split()

    # -- room -----------------------------------------------------------------------

    def table_height_needed(self) -> int:
        """The table's height showing every row without scrolling (px)."""
        return self.split_fit.needed()

    def _fit_split(self) -> None:
        """The table gets the height of all its rows, the plots the rest (each at least
        its :data:`PLOT_LEAST`); with less room the table keeps three rows and scrolls."""
        self.split_fit.fit()

    @staticmethod
    def _share(rest: int) -> list[int]:
        """The bar paths get :data:`PATH_SHARE` of the plots' room, the velocity the rest."""
        path = max(PLOT_LEAST[0], min(int(rest * PATH_SHARE), rest - PLOT_LEAST[1]))
        return [path, rest - path]

    def set_time(self, tau: float) -> None:
        self.playhead.blockSignals(True)
        self.playhead.setValue(tau)
        self.playhead.blockSignals(False)
