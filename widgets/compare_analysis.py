"""Comparison plots: both bar paths in one plot (aligned at the rep start), both
velocity curves on one time axis with the playhead, and a table of A against B."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from widgets.aspect_plot_box import AspectPlotBoxWidget
from widgets.readable_axis import ReadableAxisItem
from widgets.table_fit import ColumnFitter

SIDE_COLORS = ("#f08c2c", "#3ab0d5")


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
        self.note = QLabel("Track the bar in both videos to compare paths, velocity and tempo.")
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        split = QSplitter(Qt.Vertical, self)
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
        # the numbers stay whole; the row labels wrap when the dock is narrow
        self.fitter = ColumnFitter(self.table, wrap_column=0)
        for w in (self.path_box, self.vel_plot, self.table):
            split.addWidget(w)
        split.setSizes([260, 200, 220])
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
                   real: bool = False) -> None:
        """Draw each side's velocity and rep path (None: nothing for that side), the table
        ``rows`` (label, A, B, difference), and ``note`` under them (when empty, a hint
        to track both videos if a side is missing). ``real``: a side is slow motion, so
        the time axis says that common time is real time."""
        for i, s in enumerate((a, b)):
            if s is None:
                self.paths[i].setData([], [])
                self.curves[i].setData([], [])
                continue
            ok = np.isfinite(s.velocity)
            self.curves[i].setData(s.tau[ok], s.velocity[ok])
            self.paths[i].setData(s.path_x, s.path_h)
        shown = [s for s in (a, b) if s is not None]
        self.path_box.show_all(np.concatenate([s.path_x for s in shown] or [np.zeros(0)]),
                               np.concatenate([s.path_h for s in shown] or [np.zeros(0)]))
        unit = (a or b).unit if (a or b) else "px"
        self.vel_plot.setLabel("left", f"velocity ({unit}/s)")
        self.vel_plot.setLabel("bottom", "common time, real (s)" if real else "common time (s)")
        self.path_plot.setLabel("left", f"height ({unit})")
        self.path_plot.setLabel("bottom", f"horizontal ({unit})")
        self.note.setText(note or ("" if a and b else "Track the bar in both videos to compare "
                                   "paths, velocity and tempo."))
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.fitter.fit()

    def set_time(self, tau: float) -> None:
        self.playhead.blockSignals(True)
        self.playhead.setValue(tau)
        self.playhead.blockSignals(False)
