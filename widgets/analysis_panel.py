"""The analysis side panel: bar path, height and velocity over time with phases shaded,
a tempo chart, the rep table and the set summary. Follows the playhead; clicking or
dragging on a plot seeks the video. Data comes in as a :class:`PanelData` view model;
the panel computes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QLabel, QSplitter, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

PHASE_COLORS = {"eccentric": "#3a7bd5", "concentric": "#f08c2c", "bottom_pause": "#8a8a8a",
                "top_pause": "#6e6e6e", "hold": "#9b59b6"}
REP_COLORS = ["#f08c2c", "#3ad5a0", "#d53a7b", "#d5c43a", "#3ab0d5", "#a03ad5", "#7bd53a",
              "#d5783a"]


@dataclass
class RepView:
    number: int
    phases: list[tuple[str, float, float]]
    mean_velocity: float
    peak_velocity: float
    rom: float
    drift: float
    tempo: str
    notation: str
    holds: list[tuple[float, float, float]] = field(default_factory=list)  # start, end, share
    sticking: tuple[float, float] | None = None  # t, share of ROM
    status: str = "valid"
    tempo_parts: tuple[float, float, float, float] = (0, 0, 0, 0)

    @property
    def start(self) -> float:
        return min(p[1] for p in self.phases) if self.phases else 0.0


@dataclass
class PanelData:
    t: np.ndarray
    x: np.ndarray
    height: np.ndarray
    velocity: np.ndarray
    unit: str  # "m" or "px"
    reps: list[RepView]
    summary: list[str]
    prescribed: tuple[float, float, float, float] | None = None
    warning: str = ""


def _plot(title: str, left: str, bottom: str = "time (s)") -> pg.PlotWidget:
    w = pg.PlotWidget(background="#1b1c1f")
    w.setTitle(title, color="#dcdcdc", size="10pt")
    w.setLabel("left", left)
    w.setLabel("bottom", bottom)
    w.showGrid(x=True, y=True, alpha=0.15)
    w.setMouseEnabled(x=True, y=False)
    w.setMenuEnabled(False)
    return w


class AnalysisPanelWidget(QWidget):
    """Emits ``seek_requested(t)`` when the user clicks or drags a plot, ``rep_chosen(t)``
    when a table row is picked."""

    seek_requested = Signal(float)
    rep_chosen = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pg.setConfigOptions(antialias=True, imageAxisOrder="row-major")
        self.data: PanelData | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.warning = QLabel("", self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #f0c040")
        lay.addWidget(self.warning)
        split = QSplitter(Qt.Vertical, self)
        lay.addWidget(split, 1)
        self.path_plot = _plot("Bar path", "height", "horizontal")
        self.path_plot.setMouseEnabled(x=False, y=False)
        self.path_plot.setAspectLocked(True)
        self.height_plot = _plot("Height", "height")
        self.velocity_plot = _plot("Vertical velocity", "velocity")
        self.velocity_plot.setXLink(self.height_plot)
        self.tempo_plot = _plot("Tempo per rep (ecc · pause · con · pause · hold)", "seconds", "rep")
        self.tempo_plot.setMouseEnabled(x=False, y=False)
        self.table = QTableWidget(0, 9, self)
        self.table.setHorizontalHeaderLabels(["Rep", "Tempo", "Mean v", "Peak v", "ROM",
                                              "Drift", "Sticking", "Hold", "Status"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setObjectName("repTable")
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setMinimumSectionSize(24)
        self.table.cellClicked.connect(self._on_table_clicked)
        self.summary = QLabel("Track the bar to see the analysis.", self)
        self.summary.setWordWrap(True)
        for w in (self.path_plot, self.height_plot, self.velocity_plot, self.tempo_plot,
                  self.table, self.summary):
            split.addWidget(w)
        split.setSizes([240, 140, 140, 130, 150, 90])
        # persistent items: updated with setData, never rebuilt per frame
        self.path_all = self.path_plot.plot(pen=pg.mkPen("#555", width=1))
        self.path_reps: list[pg.PlotDataItem] = []
        self.path_now = pg.ScatterPlotItem(size=9, brush=pg.mkBrush("#ff5a3c"), pen=None)
        self.path_plot.addItem(self.path_now)
        self.height_curve = self.height_plot.plot(pen=pg.mkPen("#e0e0e0", width=2))
        self.velocity_curve = self.velocity_plot.plot(pen=pg.mkPen("#e0e0e0", width=2))
        for c in (self.height_curve, self.velocity_curve):
            c.setClipToView(True)
            c.setDownsampling(auto=True, method="peak")
        self.sticking = pg.ScatterPlotItem(size=10, brush=pg.mkBrush("#ff3030"), pen=None,
                                           symbol="t")
        self.velocity_plot.addItem(self.sticking)
        self.playheads = []
        for p in (self.height_plot, self.velocity_plot):
            line = pg.InfiniteLine(angle=90, movable=True, pen=pg.mkPen("#ff5a3c", width=2))
            line.sigPositionChanged.connect(self._on_playhead_dragged)
            p.addItem(line)
            self.playheads.append(line)
            p.scene().sigMouseClicked.connect(lambda ev, plot=p: self._on_plot_clicked(ev, plot))
        self._regions: list = []
        self._tempo_items: list = []
        self._moving_playhead = False

    # -- data -----------------------------------------------------------------------

    def clear(self, message: str = "Track the bar to see the analysis.") -> None:
        self.data = None
        for c in (self.path_all, self.height_curve, self.velocity_curve):
            c.setData([], [])
        self._set_reps([])
        self.summary.setText(message)
        self.warning.setText("")

    def set_data(self, d: PanelData) -> None:
        self.data = d
        u = d.unit
        vu = f"{u}/s"
        self.height_plot.setLabel("left", f"height ({u})")
        self.velocity_plot.setLabel("left", f"velocity ({vu})")
        self.path_plot.setLabel("left", f"height ({u})")
        self.path_plot.setLabel("bottom", f"horizontal ({u})")
        ok = np.isfinite(d.height)
        self.height_curve.setData(d.t[ok], d.height[ok], connect="finite")
        okv = np.isfinite(d.velocity)
        self.velocity_curve.setData(d.t[okv], d.velocity[okv], connect="finite")
        okp = np.isfinite(d.x) & ok
        self.path_all.setData(d.x[okp], d.height[okp])
        self.warning.setText(d.warning)
        self.summary.setText("<br>".join(d.summary))
        self._set_reps(d.reps)

    def _set_reps(self, reps: list[RepView]) -> None:
        for item in self._regions:
            item.getViewBox().removeItem(item) if item.getViewBox() else None
        self._regions = []
        for item in self.path_reps:
            self.path_plot.removeItem(item)
        self.path_reps = []
        for item in self._tempo_items:
            self.tempo_plot.removeItem(item)
        self._tempo_items = []
        d = self.data
        sticks_t, sticks_v = [], []
        for i, r in enumerate(reps):
            dim = r.status in ("false", "failed")
            for kind, a, b in r.phases:
                for plot in (self.height_plot, self.velocity_plot):
                    c = QColor(PHASE_COLORS.get(kind, "#777"))
                    c.setAlpha(35 if dim else 70)
                    reg = pg.LinearRegionItem((a, b), movable=False, brush=c, pen=pg.mkPen(None))
                    reg.setZValue(-10)
                    plot.addItem(reg)
                    self._regions.append(reg)
            for a, b, _share in r.holds:
                for plot in (self.height_plot, self.velocity_plot):
                    c = QColor(PHASE_COLORS["hold"])
                    c.setAlpha(110)
                    reg = pg.LinearRegionItem((a, b), movable=False, brush=c, pen=pg.mkPen(None))
                    reg.setZValue(-9)
                    plot.addItem(reg)
                    self._regions.append(reg)
            if d is not None:
                con = next((p for p in r.phases if p[0] == "concentric"), None)
                if con is not None:
                    m = (d.t >= con[1]) & (d.t <= con[2]) & np.isfinite(d.x) & np.isfinite(d.height)
                    pen = pg.mkPen(REP_COLORS[i % len(REP_COLORS)], width=2,
                                   style=Qt.DashLine if dim else Qt.SolidLine)
                    item = self.path_plot.plot(d.x[m], d.height[m], pen=pen, name=f"rep {r.number}")
                    self.path_reps.append(item)
                if r.sticking is not None:
                    sticks_t.append(r.sticking[0])
                    sticks_v.append(float(np.interp(r.sticking[0], d.t[np.isfinite(d.velocity)],
                                                    d.velocity[np.isfinite(d.velocity)])))
        self.sticking.setData(sticks_t, sticks_v)
        self._fill_tempo(reps)
        self._fill_table(reps)

    def _fill_tempo(self, reps: list[RepView]) -> None:
        order = ["eccentric", "bottom_pause", "concentric", "top_pause"]
        xs = np.arange(1, len(reps) + 1)
        base = np.zeros(len(reps))
        for k, kind in enumerate(order):
            vals = np.array([r.tempo_parts[k] for r in reps], float)
            bar = pg.BarGraphItem(x=xs, height=vals, y0=base, width=0.6,
                                  brush=PHASE_COLORS[kind], pen=pg.mkPen("#111"))
            self.tempo_plot.addItem(bar)
            self._tempo_items.append(bar)
            base = base + vals
        holds = np.array([sum(h[1] - h[0] for h in r.holds) for r in reps], float)
        if holds.any():
            bar = pg.BarGraphItem(x=xs, height=holds, y0=base, width=0.6,
                                  brush=PHASE_COLORS["hold"], pen=pg.mkPen("#111"))
            self.tempo_plot.addItem(bar)
            self._tempo_items.append(bar)
        pres = self.data.prescribed if self.data else None
        if pres is not None and len(reps):
            line = pg.InfiniteLine(pos=sum(pres), angle=0, pen=pg.mkPen("#ffffff", style=Qt.DashLine),
                                   label=f"prescribed {'-'.join(f'{p:g}' for p in pres)}",
                                   labelOpts={"color": "#dddddd", "position": 0.1})
            self.tempo_plot.addItem(line)
            self._tempo_items.append(line)

    def _fill_table(self, reps: list[RepView]) -> None:
        u = self.data.unit if self.data else "px"
        self.table.setRowCount(len(reps))
        # compact cells (units in the headers, tempo on two lines) so every column fits
        # the dock's default width
        lu, vu = ("cm", "m/s") if u == "m" else ("px", "px/s")
        self.table.setHorizontalHeaderLabels(
            ["Rep", "Tempo", f"Mean v\n{vu}", f"Peak v\n{vu}", f"ROM\n{lu}", f"Drift\n{lu}",
             "Stick\n%", "Hold\ns", "Status"])
        for row, r in enumerate(reps):
            rom = f"{r.rom * 100:.1f}" if u == "m" else f"{r.rom:.0f}"
            drift = f"{r.drift * 100:.1f}" if u == "m" else f"{r.drift:.0f}"
            hold = " + ".join(f"{b - a:.1f}" for a, b, s in r.holds) or "—"
            hold_tip = "; ".join(f"{b - a:.2f} s at {s * 100:.0f} % of the ROM"
                                 for a, b, s in r.holds)
            stick = f"{r.sticking[1] * 100:.0f}" if r.sticking else "—"
            vf = ".2f" if u == "m" else ".0f"
            cells = [str(r.number), f"{r.tempo}\n{r.notation}", f"{r.mean_velocity:{vf}}",
                     f"{r.peak_velocity:{vf}}", rom, drift, stick, hold, r.status]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 7 and hold_tip:
                    item.setToolTip(hold_tip)
                if col == 1:
                    item.setToolTip(f"tempo {r.tempo} s (eccentric-pause-concentric-pause), "
                                    f"notation {r.notation}")
                item.setData(Qt.UserRole, r.start)
                if r.status in ("false", "failed"):
                    item.setForeground(QColor("#777"))
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()

    # -- playhead -------------------------------------------------------------------

    def set_time(self, t: float) -> None:
        """Move the playhead (called on every frame; only cheap updates happen)."""
        self._moving_playhead = True
        for line in self.playheads:
            line.setValue(t)
        self._moving_playhead = False
        d = self.data
        if d is not None and len(d.t):
            i = int(np.clip(np.searchsorted(d.t, t), 0, len(d.t) - 1))
            if np.isfinite(d.x[i]) and np.isfinite(d.height[i]):
                self.path_now.setData([d.x[i]], [d.height[i]])
            else:
                self.path_now.setData([], [])

    def _on_playhead_dragged(self, line) -> None:
        if not self._moving_playhead:
            self.seek_requested.emit(float(line.value()))

    def _on_plot_clicked(self, ev, plot: pg.PlotWidget) -> None:
        vb = plot.getPlotItem().vb
        if vb.sceneBoundingRect().contains(ev.scenePos()):
            self.seek_requested.emit(float(vb.mapSceneToView(ev.scenePos()).x()))

    def _on_table_clicked(self, row: int, _col: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.rep_chosen.emit(float(item.data(Qt.UserRole)))
