"""The analysis side panel: bar path, height and velocity over time with phases shaded,
a tempo chart, the rep table and the set summary. Follows the playhead; clicking or
dragging on a plot seeks the video.

Built from the document model: it shows the analysis of the recording on screen and
redraws when that recording, its inputs or its analysis change. With nothing to show it
says what to do instead of drawing empty axes. The numbers come in as a
:class:`PanelData` view model (:func:`panel_data`); heights are measured up from the
set's lowest point, lengths in m (or px before calibration), never with a scale factor
on the axis."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QLabel, QSplitter, QStackedWidget,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from analysis.lift.rep_metrics import TEMPO_ORDER, parse_tempo
from analysis.lift.result import AnalysisResult, AnalysisSettings
from analysis.model import DocumentModel
from analysis.session.document import Recording
from widgets.aspect_plot_box import AspectPlotBoxWidget
from widgets.attempt_panel import (AttemptDecor, AttemptsView, attempts_view,
                                   fill_attempt_table, summary_lines)

NO_VIDEO = "Open a video of a set to analyse it: File → Open video… (Ctrl+O)."
NOT_TRACKED = ("Track the bar to see the analysis: Analysis → Track bar (Ctrl+T), then click "
               "the bar end or the plate centre.")
ANALYSING = "Analysing the bar track…"
NOT_CALIBRATED = "Not calibrated: distances in px and velocities in px/s."
#: the calibration the banner offers (the app sets the action's own text)
CALIBRATE_PLATE = "Calibrate from the plate (measured)…"
CALIBRATE_DRAWING = "Calibrate from selected circle or line…"

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
    propulsive_velocity: float | None = None  # MPV; None without a metric scale
    flags: list[str] = field(default_factory=list)  # why the rep's numbers are doubtful
    #: against the session's prescribed tempo: None without one, else the phases missed
    #: in words ("eccentric 2.1 s, wanted 3 s"); an empty list = on tempo
    tempo_misses: list[str] | None = None
    #: standard deviation of ``mean_velocity`` from the position noise; None when unknown
    mean_velocity_sd: float | None = None

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
    prescribed: str | None = None  # the session's prescribed tempo (3-1-X-0)
    warning: str = ""
    calibrated: bool = True  # False: the banner offers the calibration
    attempts: AttemptsView | None = None  # a snatch, clean or jerk: attempts, not reps


def _plot(title: str, left: str, bottom: str = "time (s)") -> pg.PlotWidget:
    w = pg.PlotWidget(background="#1b1c1f")
    w.setTitle(title, color="#dcdcdc", size="10pt")
    for side in ("left", "bottom"):
        w.getAxis(side).enableAutoSIPrefix(False)  # "m", never "m (x0.001)"
    w.setLabel("left", left)
    w.setLabel("bottom", bottom)
    w.showGrid(x=True, y=True, alpha=0.15)
    w.setMouseEnabled(x=True, y=False)
    w.setMenuEnabled(False)
    return w


class AnalysisPanelWidget(QWidget):
    """Emits ``seek_requested(t)`` when the user clicks or drags a plot, ``rep_chosen(t)``
    when a table row is picked, ``calibrate_requested`` when the "not calibrated" banner's
    link is followed."""

    seek_requested = Signal(float)
    rep_chosen = Signal(float)
    calibrate_requested = Signal()

    def __init__(self, model: DocumentModel | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pg.setConfigOptions(antialias=True, imageAxisOrder="row-major")
        self.data: PanelData | None = None
        self.model = model
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.warning = QLabel("", self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #f0c040")
        self.warning.setTextFormat(Qt.RichText)
        self.warning.setTextInteractionFlags(Qt.LinksAccessibleByMouse
                                             | Qt.LinksAccessibleByKeyboard)
        self.warning.linkActivated.connect(lambda _link: self.calibrate_requested.emit())
        self.action_texts = {"calibrate_plate": CALIBRATE_PLATE,
                             "calibrate": CALIBRATE_DRAWING}
        lay.addWidget(self.warning)
        self.pages = QStackedWidget(self)
        lay.addWidget(self.pages, 1)
        self.empty = QLabel(NO_VIDEO, self)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setMargin(24)
        self.pages.addWidget(self.empty)
        plots = QWidget(self)
        self.pages.addWidget(plots)
        plots_lay = QVBoxLayout(plots)
        plots_lay.setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Vertical, plots)
        plots_lay.addWidget(split, 1)
        self.path_plot = _plot("Bar path", "height", "horizontal")
        self.path_plot.setMouseEnabled(x=False, y=False)
        self.path_plot.setAspectLocked(True)
        self.path_box = AspectPlotBoxWidget(self.path_plot)
        self.height_plot = _plot("Height", "height")
        self.velocity_plot = _plot("Vertical velocity", "velocity")
        self.velocity_plot.setXLink(self.height_plot)
        self.tempo_plot = _plot("Tempo per rep (ecc · pause · con · pause · hold)", "seconds", "rep")
        self.tempo_plot.setMouseEnabled(x=False, y=False)
        self._tempo_top = 0.0  # tallest tempo bar (s) when ✓/✗ marks stand above the bars
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
        # below the splitter, not in it: the layout gives a wrapped label all its lines
        self.summary = QLabel("Track the bar to see the analysis.", plots)
        self.summary.setWordWrap(True)
        plots_lay.addWidget(self.summary)
        for w in (self.path_box, self.height_plot, self.velocity_plot, self.tempo_plot,
                  self.table):
            split.addWidget(w)
        # the rep table gets room for about five two-line rows on a laptop-height dock
        split.setSizes([200, 125, 125, 145, 225])
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
        self.attempt_decor = AttemptDecor()
        self._moving_playhead = False
        self.pages.setCurrentWidget(self.empty)
        if model is not None:
            for event in (model.current_changed, model.track_changed, model.calibration_changed,
                          model.overrides_changed, model.analysis_ready):
                event.connect(self._on_model_changed)
            self._on_model_changed(model.current)

    # -- following the model ----------------------------------------------------------

    def _on_model_changed(self, rec: Recording | None) -> None:
        m = self.model
        if m is None or rec is not m.current:
            return  # another recording's inputs (a comparison side) changed
        if rec is None:
            self.clear(NO_VIDEO)
        elif m.has_analysis(rec) and m.analysis(rec) is not None:
            result = m.analysis(rec)
            assert result is not None
            self.set_data(panel_data(result))
        elif m.analysis_error(rec):
            self.clear(f"The analysis needs more of the bar: {m.analysis_error(rec)}")
        elif rec.track is None or m.has_analysis(rec):
            self.clear(NOT_TRACKED)
        else:
            self.clear(ANALYSING)

    # -- data -----------------------------------------------------------------------

    def clear(self, message: str = NOT_TRACKED) -> None:
        """No plots: ``message`` says what to do instead."""
        self.data = None
        self.attempt_decor.clear()
        for c in (self.path_all, self.height_curve, self.velocity_curve):
            c.setData([], [])
        self.path_now.setData([], [])
        self._set_reps([])
        self.summary.setText(message)
        self.empty.setText(message)
        self.warning.setText("")
        self.pages.setCurrentWidget(self.empty)

    @property
    def message(self) -> str:
        """What the panel says instead of plots ("" while it shows plots)."""
        return self.empty.text() if self.pages.currentWidget() is self.empty else ""

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
        self.warning.setText(self._banner(d))
        self.summary.setText("<br>".join(d.summary))
        self._set_reps(d.reps)
        self.tempo_plot.setVisible(d.attempts is None)
        if d.attempts is not None:
            self.height_plot.setTitle("Height above the floor", color="#dcdcdc", size="10pt")
            self.path_plot.setLabel("bottom", f"horizontal ({u}), + away from the lifter")
            self.attempt_decor.show(self, d.attempts, d.t, d.x, d.height)
            fill_attempt_table(self.table, d.attempts)
        else:
            self.height_plot.setTitle("Height", color="#dcdcdc", size="10pt")
            self.attempt_decor.clear()
        self.pages.setCurrentIndex(1)
        for plot in (self.height_plot, self.velocity_plot, self.tempo_plot):
            plot.enableAutoRange()  # new units or a new clip: the old ranges mean nothing
            plot.autoRange()
        if self._tempo_top > 0:  # the ✓/✗ marks above the tallest bar
            self.tempo_plot.setYRange(0, self._tempo_top * 1.6, padding=0)
        self.path_plot.setAspectLocked(d.attempts is None)
        if d.attempts is None:
            self.path_box.show_all(d.x[okp], d.height[okp])
        elif okp.any():
            # the loop is a few cm wide on a path 1-2 m high: widen the horizontal axis
            self.path_box.clear_extent()
            half = max(float(np.abs(d.x[okp]).max()) * 1.4, 0.12)
            self.path_plot.setRange(xRange=(-half, half), yRange=(0, float(d.height[okp].max())
                                                                  * 1.05), padding=0)

    def _banner(self, d: PanelData) -> str:
        """The warnings as rich text; uncalibrated, the first line links to the fix."""
        lines = [html.escape(w) for w in d.warning.splitlines() if w.strip()]
        if not d.calibrated:
            plate = html.escape(self.action_texts["calibrate_plate"])
            drawn = html.escape(self.action_texts["calibrate"])
            fix = (f'<a href="calibrate_plate" style="color: #7cc4ff">{plate}</a> '
                   f"(Analysis menu), or circle a plate and choose {drawn}")
            lines = [f"{html.escape(NOT_CALIBRATED)} For metres: {fix}"] + [
                ln for ln in lines if ln != html.escape(NOT_CALIBRATED)]
        return "<br>".join(lines)

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
        # reps are counted: a tick under each bar (every k-th in a long set), never at x.5
        step = max(1, -(-len(reps) // 12))
        self.tempo_plot.getAxis("bottom").setTicks(
            [[(int(i), str(i)) for i in xs[::step]], []] if len(reps) else None)
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
        marked = [(x, r) for x, r in zip(xs, reps, strict=True)
                  if pres is not None and r.tempo_misses is not None]
        top = float(np.max(base + holds)) if len(reps) else 0.0
        for x, r in marked:  # on / off the prescribed tempo, above each rep's bar
            ok = not r.tempo_misses
            mark = pg.TextItem("✓" if ok else "✗", color="#5fd068" if ok else "#ff6b6b",
                               anchor=(0.5, 1.0))
            mark.setPos(float(x), float(base[int(x) - 1] + holds[int(x) - 1]))
            self.tempo_plot.addItem(mark)
            self._tempo_items.append(mark)
        self._tempo_top = top if marked else 0.0  # room for the marks: see _fit_tempo_plot

    def _fill_table(self, reps: list[RepView]) -> None:
        u = self.data.unit if self.data else "px"
        self.table.setColumnCount(10)
        self.table.setRowCount(len(reps))
        # compact cells (units in the headers, tempo on two lines) so every column fits
        # the dock's default width
        lu, vu = ("cm", "m/s") if u == "m" else ("px", "px/s")
        self.table.setHorizontalHeaderLabels(
            ["Rep", "Tempo", f"MCV\n{vu}", f"MPV\n{vu}", f"Peak v\n{vu}", f"ROM\n{lu}",
             f"Drift\n{lu}", "Stick\n%", "Hold\ns", "Status"])
        for row, r in enumerate(reps):
            rom = f"{r.rom * 100:.1f}" if u == "m" else f"{r.rom:.0f}"
            drift = f"{r.drift * 100:.1f}" if u == "m" else f"{r.drift:.0f}"
            hold = " + ".join(f"{b - a:.1f}" for a, b, s in r.holds) or "—"
            hold_tip = "; ".join(f"{b - a:.2f} s at {s * 100:.0f} % of the ROM"
                                 for a, b, s in r.holds)
            stick = f"{r.sticking[1] * 100:.0f}" if r.sticking else "—"
            vf = ".2f" if u == "m" else ".0f"
            mpv = "—" if r.propulsive_velocity is None else f"{r.propulsive_velocity:{vf}}"
            status = r.status + (" ⚑" if r.flags else "")
            sd = r.mean_velocity_sd
            # the SD on a second line when the cell's precision can show it
            shown_sd = sd is not None and np.isfinite(sd) and round(sd, 2 if u == "m" else 0) > 0
            mcv = f"{r.mean_velocity:{vf}}" + (f"\n± {sd:{vf}}" if shown_sd else "")
            cells = [str(r.number), f"{r.tempo}\n{r.notation}", mcv, mpv,
                     f"{r.peak_velocity:{vf}}", rom, drift, stick, hold, status]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 8 and hold_tip:
                    item.setToolTip(hold_tip)
                if col == 2:
                    item.setToolTip("mean concentric velocity (holds left out)" + (
                        f"; ± {sd:.3f} {vu} (one standard deviation) from the track's "
                        f"position noise" if sd is not None and np.isfinite(sd) else ""))
                if col == 3:
                    item.setToolTip(mpv_tip(r.mean_velocity, r.propulsive_velocity))
                if col == 9 and r.flags:
                    item.setToolTip("not used for velocity loss: " + "; ".join(r.flags))
                if col == 1:
                    tip = (f"tempo {r.tempo} s (eccentric-pause-concentric-pause), "
                           f"notation {r.notation}")
                    if r.tempo_misses is not None and self.data and self.data.prescribed:
                        pres = self.data.prescribed
                        tip += (f"\non the prescribed {pres}" if not r.tempo_misses else
                                f"\noff the prescribed {pres}: " + "; ".join(r.tempo_misses))
                        item.setBackground(QColor("#2e6b3a" if not r.tempo_misses
                                                  else "#8a3030"))
                        item.setForeground(QColor("#ffffff"))
                    item.setToolTip(tip)
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


def panel_data(r: AnalysisResult) -> PanelData:
    """The panel's view of an analysis: heights up from the set's lowest point, horizontal
    positions from the bar's place there (m, or px before calibration), reps, summary."""
    k = r.kinematics
    if r.weightlifting is not None:
        return _attempts_data(r)
    low = int(np.nanargmin(k.height)) if np.isfinite(k.height).any() else 0
    height = k.height - k.height[low]
    x = k.x - k.x[low]
    reps = []
    for rep in r.reps:
        m = rep.metrics
        sp = m.sticking_point
        reps.append(RepView(
            number=rep.number,
            phases=[(kind, s, e) for kind, (s, e) in rep.phases.items()],
            mean_velocity=m.mean_concentric_velocity, peak_velocity=m.peak_concentric_velocity,
            rom=m.rom, drift=m.drift_max, tempo=rep.tempo_text, notation=rep.tempo_notation,
            holds=[(h.start, h.end, h.height_pct / 100.0) for h in rep.holds],
            sticking=(sp.time, sp.height_pct / 100.0) if sp else None, status=rep.status,
            tempo_parts=tuple(rep.tempo), propulsive_velocity=m.mean_propulsive_velocity,
            flags=list(rep.flags), tempo_misses=_tempo_misses(rep, r.prescribed_tempo),
            mean_velocity_sd=m.mean_concentric_velocity_sd))
    sm = r.set_metrics
    vl = sm.velocity_loss
    u = "m/s" if r.units == "m" else "px/s"
    way = "bar down first" if r.direction == "down_first" else "bar up first"
    if r.direction_source == "motion":
        way += " (read from the motion: set the exercise to change it)"
    lines = [f"<b>{sm.rep_count} rep{'' if sm.rep_count == 1 else 's'}</b> ({r.lift}, {way})"]
    if sm.flagged_count:
        lines.append(f"{sm.flagged_count} rep(s) flagged ⚑ (track unreliable): left out of "
                     f"velocity loss")
    if vl.first_last_pct is not None:
        flag = " ⚠ over threshold" if vl.flagged else ""
        best = f" (rep {sm.fastest_rep})" if sm.fastest_rep else ""
        lines.append(f"Velocity loss from the fastest rep{best}: {vl.best_last_text()}, "
                     f"first→last {vl.first_last_text()}{flag}")
    if r.prescribed_tempo:
        checked = [v for v in reps if v.tempo_misses is not None and v.status == "valid"]
        on = sum(1 for v in checked if not v.tempo_misses)
        lines.append(f"Prescribed tempo {r.prescribed_tempo}: {on} of {len(checked)} reps "
                     f"on tempo (± {TEMPO_TOLERANCE_TEXT})")
    if sm.path_consistency is not None:
        pc = sm.path_consistency * (100 if r.units == "m" else 1)
        lines.append(f"Bar-path consistency: {pc:.1f} {'cm' if r.units == 'm' else 'px'} RMS")
    lines.append(f"Velocities in {u}; filter {k.cutoff_hz:.1f} Hz"
                 f"{' (auto)' if k.cutoff_auto else ''}")
    warning = ""
    source = str(r.calibration.get("source", "") or "")
    if r.units != "m":
        warning = NOT_CALIBRATED
    elif source and r.m_per_px:
        lines.append(f"Scale from {source}: {r.m_per_px * 1000:.3f} mm/px")
        if r.calibration.get("warning"):
            warning = "⚠ " + str(r.calibration["warning"])
    warning = _warning_text(r, warning)
    return PanelData(k.t, x, height, k.vy, r.units, reps, lines, warning=warning,
                     calibrated=r.units == "m", prescribed=r.prescribed_tempo)


def mpv_tip(mcv: float, mpv: float | None) -> str:
    """The MPV cell's tooltip: what MPV is (Sánchez-Medina, Pérez & González-Badillo 2010),
    and why it equals the MCV when it does (coaches took identical columns for MPV not
    being computed)."""
    tip = "mean propulsive velocity: until the bar decelerates faster than gravity"
    if mpv is None:
        return tip + " (needs the scale in metres)"
    if abs(mpv - mcv) <= 1e-6 * max(abs(mcv), 1e-9):
        tip += ("; equal to the MCV here: the bar never braked harder than gravity before "
                "lockout, as usual on slow and heavy reps")
    return tip


#: How close a phase must be to the prescribed one, as the analysis checks it
TEMPO_TOLERANCE_TEXT = (f"{AnalysisSettings().tempo_tolerance_s:g} s a phase; "
                        f"X = under {AnalysisSettings().explosive_s:g} s")
_PHASE_WORDS = {"eccentric": "eccentric", "bottom_pause": "bottom pause",
                "concentric": "concentric", "top_pause": "top pause"}


def _tempo_misses(rep, prescribed: str | None) -> list[str] | None:
    """The phases of ``rep`` that missed ``prescribed`` (from the analysis' tempo_check),
    each as "eccentric 2.1 s, wanted 3 s"; None without a prescribed tempo."""
    if not prescribed or rep.tempo_check is None:
        return None
    want = parse_tempo(prescribed)
    out = []
    for kind, got, w in zip(TEMPO_ORDER, rep.tempo, want, strict=True):
        if not rep.tempo_check.get(kind, True):
            wanted = "X (under 1 s)" if w is None else f"{w:g} s"
            out.append(f"{_PHASE_WORDS.get(kind, kind)} {got:.1f} s, wanted {wanted}")
    return out


def _warning_text(r: AnalysisResult, warning: str) -> str:
    """The calibration warning, then every other warning of the analysis as a sentence."""
    others = [_sentence(w) for w in r.warnings if "calibrat" not in w.lower()]
    if r.weightlifting is not None:
        wl = r.weightlifting
        others += [_sentence(w) for w in wl.warnings]
        others += [_sentence(f"attempt {a.number}: {w}") for a in wl.attempts for w in a.warnings]
    if others:
        warning = "\n".join([warning, *others]).strip()
    return warning


def _attempts_data(r: AnalysisResult) -> PanelData:
    """The panel's view of a snatch, clean or jerk (see :mod:`widgets.attempt_panel`)."""
    view, height, x = attempts_view(r)
    warning = ""
    if r.calibration.get("warning"):
        warning = "⚠ " + str(r.calibration["warning"])
    return PanelData(r.kinematics.t, x, height, r.kinematics.vy, r.units, [],
                     summary_lines(r, view), warning=_warning_text(r, warning), attempts=view)


def _sentence(text: str) -> str:
    """A warning from the analysis as a sentence of its own (capital, full stop)."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."
