"""The analysis side panel: bar path, height and velocity over time with phases shaded,
a tempo chart, the rep table and the set summary. Follows the playhead; clicking or
dragging on a plot seeks the video.

Room goes to the numbers first: the warnings take one line each ("more" shows them in
full), the narrow bar path shares its row with the tempo chart, the rep table gets the
height of all its rows and the plots the rest, never less than a height where their axes
stay readable (``PLOT_MIN_HEIGHTS``); a dock shorter than that scrolls.

Built from the document model: it shows the analysis of the recording on screen and
redraws when that recording, its inputs or its analysis change. With nothing to show it
says what to do instead of drawing empty axes. The numbers come in as a
:class:`PanelData` view model (:func:`panel_data`); heights are measured up from the
set's lowest point, lengths in m (or px before calibration), never with a scale factor
on the axis.

The plots themselves are made in :mod:`widgets.panel_plots`, the tempo chart is drawn by
:mod:`widgets.tempo_chart`, the rep table's rows are filled by :mod:`widgets.rep_table`
and the room is shared out by :mod:`widgets.split_fit`."""

from __future__ import annotations

import html
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QHBoxLayout, QLabel, QScrollArea,
                               QStackedWidget, QTableWidget, QVBoxLayout, QWidget)

from analysis.model import DocumentModel
from analysis.session.document import Recording
from widgets.aspect_plot_box import AspectPlotBoxWidget
from widgets.attempt_panel import AttemptDecor, fill_attempt_table
from widgets.boundary_lines import BoundaryLines
from widgets.panel_data import (NOT_CALIBRATED, TEMPO_TOLERANCE_TEXT, PanelData, RepView,
                                mpv_tip, panel_data)
from widgets.panel_plots import (PHASE_COLORS, PLOT_MIN_HEIGHTS, PLOT_MIN_HEIGHTS_FOLDED,
                                 PLOT_SHARES, LeastSplitter, plot_widget, rep_colors,
                                 set_plot_title, share_out)
from widgets.playhead_row import PlayheadRow
from widgets.rep_table import REP_NUMBER_ROLE, fill_rep_table
from widgets.split_fit import TableUnderPlots
from widgets.table_fit import ColumnFitter
from widgets.tempo_chart import TEMPO_TITLE, fill_tempo_chart
from widgets.warning_box import LINK_STYLE, WarningBoxLabel, WarningLine

__all__ = ["NOT_CALIBRATED", "PLOT_MIN_HEIGHTS", "TEMPO_TOLERANCE_TEXT", "AnalysisPanelWidget",
           "PanelData", "RepView", "mpv_tip", "panel_data"]

NO_VIDEO = "Open a video of a set to analyse it: File → Open video… (Ctrl+O)."
NOT_TRACKED = ("Track the bar to see the analysis: Analysis → Track bar (Ctrl+T), then click "
               "the bar end or the plate centre.")
ANALYSING = "Analysing the bar track…"
#: the calibration the banner offers (the app sets the action's own text)
CALIBRATE_PLATE = "Calibrate from the plate (measured)…"
CALIBRATE_DRAWING = "Calibrate from selected circle or line…"



class AnalysisPanelWidget(QWidget):
    """Emits ``seek_requested(t)`` when the user clicks or drags a plot, ``rep_chosen(t)``
    when a table row is picked, ``rep_menu_requested(number, global position)`` on a
    right-click on a rep's row, ``boundary_moved(number, name)`` when a stroke end's line on
    the height plot is let go (the playhead was dragged with it, by ``seek_requested``),
    ``calibrate_requested`` when the "not calibrated" banner's link is followed."""

    seek_requested = Signal(float)
    rep_chosen = Signal(float)
    rep_menu_requested = Signal(int, QPoint)
    boundary_moved = Signal(int, str)
    calibrate_requested = Signal()

    def __init__(self, model: DocumentModel | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pg.setConfigOptions(antialias=True, imageAxisOrder="row-major")
        self.data: PanelData | None = None
        self.model = model
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.setSpacing(2)
        # one line per warning, "more" for the rest: the plots and the table get room first
        self.warning = WarningBoxLabel(self)
        self.warning.link_followed.connect(lambda _link: self.calibrate_requested.emit())
        self.warning.hide()
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
        # a dock too short for every plot at its least readable height scrolls instead of
        # squashing them
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        plots = QWidget(self.scroll)
        self.scroll.setWidget(plots)
        self.pages.addWidget(self.scroll)
        plots_lay = QVBoxLayout(plots)
        plots_lay.setContentsMargins(0, 0, 0, 0)
        plots_lay.setSpacing(2)
        self.split = split = LeastSplitter(Qt.Vertical, plots)
        split.setChildrenCollapsible(False)
        split.setHandleWidth(5)
        plots_lay.addWidget(split, 1)
        self.path_plot = plot_widget("Bar path", "height", "horizontal")
        self.path_plot.setMouseEnabled(x=False, y=False)
        self.path_plot.setAspectLocked(True)
        self.path_box = AspectPlotBoxWidget(self.path_plot, max_share=0.6)
        self.height_plot = plot_widget("Height", "height")
        # the velocity plot right under it shares its time axis and reads it out: here
        # the ticks and grid only
        self.height_plot.getAxis("bottom").setStyle(showValues=False)
        self.height_plot.getAxis("bottom").showLabel(False)
        self.velocity_plot = plot_widget("Vertical velocity", "velocity")
        self.velocity_plot.setXLink(self.height_plot)
        self.tempo_plot = plot_widget(TEMPO_TITLE, "seconds", "rep")
        self.tempo_plot.setMouseEnabled(x=False, y=False)
        self._tempo_top = 0.0  # tallest tempo bar (s) when ✓/✗ marks stand above the bars
        self.table = QTableWidget(0, 9, self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setObjectName("repTable")
        # "#" and "Type" hold one digit: 24 px each put the attempt table 2 px over a 460 px dock
        self.table.horizontalHeader().setMinimumSectionSize(16)
        # numbers stay whole; in a narrow dock the tempo wraps at its dashes
        self.fitter = ColumnFitter(self.table, wrap_column=1, refitted=self._fit_split)
        self.table.cellClicked.connect(self._on_table_clicked)
        self.table.setContextMenuPolicy(Qt.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_menu)
        self.playhead_row = PlayheadRow(self.table)  # the row under the playhead, lit
        # below the splitter, not in it: the layout gives a wrapped label all its lines
        self.summary = QLabel("Track the bar to see the analysis.", plots)
        self.summary.setWordWrap(True)
        plots_lay.addWidget(self.summary)
        # the bar path is narrow (equal axes): the tempo chart uses the width beside it
        top = QWidget(split)
        top_lay = QHBoxLayout(top)
        top_lay.setContentsMargins(0, 0, 0, 0)
        top_lay.setSpacing(2)
        top_lay.addWidget(self.path_box, 0)
        top_lay.addWidget(self.tempo_plot, 1)
        self.plot_rows = (top, self.height_plot, self.velocity_plot)
        for w, least in zip(self.plot_rows, PLOT_MIN_HEIGHTS, strict=True):
            w.setMinimumHeight(least)
            split.addWidget(w)
        split.addWidget(self.table)
        self._height_title = "Height"
        # a short dock (a laptop): the bar path with the tempo chart, then the height plot
        # fold for a whole set's rows; the velocity plot (phases, time axis) stays
        self.split_fit = TableUnderPlots(
            split, self.table, PLOT_MIN_HEIGHTS,
            lambda rest: share_out(rest, PLOT_MIN_HEIGHTS, PLOT_SHARES), empty_row_h=30,
            hold_minimum=True, fold_order=(0, 1), room=self._split_room,
            folded_changed=lambda _f: self._retitle(), least_folded=PLOT_MIN_HEIGHTS_FOLDED,
            parent=self)
        self.scroll.viewport().installEventFilter(self)
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
        # the stroke ends of the rep under the playhead, to drag
        self.boundary_lines = BoundaryLines(self.height_plot, self)
        self.boundary_lines.dragging.connect(self.seek_requested.emit)
        self.boundary_lines.moved.connect(self.boundary_moved.emit)
        self._time = 0.0  # the playhead's (s)
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
        # what is wrong with the file itself (it ends early): said in the panel, where
        # the user looks, for as long as the clip is open (the status bar's message went)
        damaged = [f"⚠ {w}" for w in (m.video.warnings if m.video is not None else ())]
        if rec is None:
            self.clear(NO_VIDEO)
        elif m.has_analysis(rec) and m.analysis(rec) is not None:
            result = m.analysis(rec)
            assert result is not None
            d = panel_data(result)
            if damaged:
                d = replace(d, warning="\n".join([*damaged, d.warning]))
            self.set_data(d)
        elif m.analysis_error(rec):
            self.clear("\n\n".join([*damaged, "The analysis needs more of the bar: "
                                      f"{m.analysis_error(rec)}"]))
        elif rec.track is None or m.has_analysis(rec):
            self.clear("\n\n".join([*damaged, NOT_TRACKED]))
        else:
            self.clear("\n\n".join([*damaged, ANALYSING]))

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
        self.summary.setToolTip("")
        self.empty.setText(message)
        self.warning.set_lines([])
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
        # every sample, NaN where the bar was not seen: the curves break at a gap
        self.height_curve.setData(d.t, d.height, connect="finite")
        self.velocity_curve.setData(d.t, d.velocity, connect="finite")
        okp = np.isfinite(d.x) & ok
        self.path_all.setData(np.where(okp, d.x, np.nan), np.where(okp, d.height, np.nan),
                              connect="finite")
        self.warning.set_lines(self._banner(d))
        self.summary.setText("<br>".join(d.summary))
        self.summary.setToolTip("<br>".join(d.summary_full) if d.summary_full else "")
        self._set_reps(d.reps)
        self.tempo_plot.setVisible(d.attempts is None)
        if d.attempts is not None:
            self._height_title = "Height above the floor" if d.calibrated else "Height"
            self._retitle()
            if d.calibrated:  # which way the lifter faces is read from the measured pull
                self.path_plot.setLabel("bottom", f"horizontal ({u}), + away from the lifter")
            self.attempt_decor.show(self, d.attempts, d.t, d.x, d.height)
            fill_attempt_table(self.table, d.attempts)
            self.playhead_row.set_spans([])
            self.fitter.fit()
        else:
            self._height_title = "Height"
            self._retitle()
            self.attempt_decor.clear()
        self.pages.setCurrentIndex(1)
        self._fit_split()  # the table's rows may have changed
        for plot in (self.height_plot, self.velocity_plot, self.tempo_plot):
            plot.enableAutoRange()  # new units or a new clip: the old ranges mean nothing
            plot.autoRange()
        # the curves are clipped to the view, so their auto range saw only the old view's
        # samples (a partial track's first second): the time plots span all the data
        if len(d.t):
            self.height_plot.setXRange(float(d.t[0]), float(d.t[-1]))
        for plot, v in ((self.height_plot, d.height), (self.velocity_plot, d.velocity)):
            if np.isfinite(v).any():
                plot.setYRange(float(np.nanmin(v)), float(np.nanmax(v)))
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

    def _banner(self, d: PanelData) -> list[WarningLine]:
        """The warnings, one each; uncalibrated, the first links to the fix."""
        lines = [WarningLine(html.escape(w)) for w in d.warning.splitlines()
                 if w.strip() and w != NOT_CALIBRATED]
        if not d.calibrated:
            plate = html.escape(self.action_texts["calibrate_plate"])
            drawn = html.escape(self.action_texts["calibrate"])
            link = f'<a href="calibrate_plate" style="{LINK_STYLE}">{plate}</a>'
            fix = f"{link} (Analysis menu), or circle a plate and choose {drawn}"
            lines.insert(0, WarningLine(f"{html.escape(NOT_CALIBRATED)} For metres: {fix}",
                                        short=f"Not calibrated (px): {link}"))
        return lines

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
        colors = rep_colors(len(reps))
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
                    pen = pg.mkPen(colors[i], width=2,
                                   style=Qt.DashLine if dim else Qt.SolidLine)
                    item = self.path_plot.plot(d.x[m], d.height[m], pen=pen, name=f"rep {r.number}")
                    self.path_reps.append(item)
                if r.sticking is not None:
                    sticks_t.append(r.sticking[0])
                    sticks_v.append(float(np.interp(r.sticking[0], d.t[np.isfinite(d.velocity)],
                                                    d.velocity[np.isfinite(d.velocity)])))
        self.sticking.setData(sticks_t, sticks_v)
        self._show_boundaries()
        self._fill_tempo(reps)
        self._fill_table(reps)

    def _fill_tempo(self, reps: list[RepView]) -> None:
        # the marks' room above the bars: see set_data
        self._tempo_items, self._tempo_top = fill_tempo_chart(
            self.tempo_plot, reps, self.data.prescribed if self.data else None)

    def _fill_table(self, reps: list[RepView]) -> None:
        d = self.data
        fill_rep_table(self.table, reps, d.unit if d else "px", d.prescribed if d else None,
                       d.mcv_sd_source if d else "the track's position noise")
        self.playhead_row.set_spans([(r.start, max((p[2] for p in r.phases), default=r.start))
                                     for r in reps])
        self.fitter.fit()

    # -- room -----------------------------------------------------------------------

    def table_height_needed(self) -> int:
        """The rep table's height showing every row without scrolling (px)."""
        return self.split_fit.needed()

    def _fit_split(self) -> None:
        """The rep table gets the height of all its rows, the plots the rest, each at least
        its least readable height (PLOT_MIN_HEIGHTS); a shorter table scrolls, unless
        folding plots shows a whole set (widgets/split_fit.py)."""
        self.split_fit.fit()

    def _split_room(self) -> int:
        """The height (px) the plots and the table may take without the page scrolling:
        the scroll area's view less the summary under them."""
        lay = self.scroll.widget().layout()
        margins = lay.contentsMargins()
        # from the summary's height for the width (its height now may be a layout behind)
        under = (self.summary.heightForWidth(self.scroll.viewport().width()) + lay.spacing()
                 if not self.summary.isHidden() else 0)
        return self.scroll.viewport().height() - under - margins.top() - margins.bottom()

    def folded_names(self) -> str:
        """What the plots folded for the rep table show ("" when none is folded)."""
        names = {0: "bar path" + ("" if self.tempo_plot.isHidden() else " & tempo"),
                 1: "height"}
        return ", ".join(names[i] for i in self.split_fit.folded)

    def _retitle(self) -> None:
        """The first plot shown offers the folded ones back in its title (a click there
        unfolds them); the others keep their plain titles."""
        folded = self.split_fit.folded
        # folded, the velocity plot's time axis has its unit in the title, not under it
        self.velocity_plot.getAxis("bottom").showLabel(not folded)
        titles = {self.height_plot: self._height_title,
                  self.velocity_plot: "Vertical velocity" + (", time (s)" if folded else "")}
        first = self.velocity_plot if 1 in folded else self.height_plot
        for plot, title in titles.items():
            if plot is first and folded:
                title += f' &nbsp;<span style="color: #7fb2ff">▸ show {self.folded_names()}</span>'
            set_plot_title(plot, title)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if obj is self.scroll.viewport() and event.type() == QEvent.Resize:
            self._fit_split()  # a shorter view: the plots may fold (or unfold) for the table
        return super().eventFilter(obj, event)

    # -- playhead -------------------------------------------------------------------

    def set_time(self, t: float) -> None:
        """Move the playhead (called on every frame; only cheap updates happen)."""
        self._moving_playhead = True
        for line in self.playheads:
            line.setValue(t)
        self._moving_playhead = False
        self._time = t
        self._show_boundaries()
        self.playhead_row.follow(t)
        d = self.data
        if d is not None and len(d.t):
            i = int(np.clip(np.searchsorted(d.t, t), 0, len(d.t) - 1))
            if np.isfinite(d.x[i]) and np.isfinite(d.height[i]):
                self.path_now.setData([d.x[i]], [d.height[i]])
            else:
                self.path_now.setData([], [])

    def _show_boundaries(self) -> None:
        """The draggable stroke ends of the rep under the playhead (none between reps)."""
        d, t = self.data, self._time
        reps = d.reps if d is not None and d.attempts is None else []
        rep = next((r for r in reps if r.start <= t <= max(p[2] for p in r.phases)), None)
        if rep is not self.boundary_lines.rep:
            self.boundary_lines.show_rep(rep)

    def _on_playhead_dragged(self, line) -> None:
        if not self._moving_playhead:
            self.seek_requested.emit(float(line.value()))

    def _on_plot_clicked(self, ev, plot: pg.PlotWidget) -> None:
        title = plot.getPlotItem().titleLabel
        if self.split_fit.folded and title.sceneBoundingRect().contains(ev.scenePos()) \
                and "▸ show" in title.text:
            self.split_fit.unfold()  # the folded plots back (the table scrolls)
            self._retitle()
            return
        vb = plot.getPlotItem().vb
        if vb.sceneBoundingRect().contains(ev.scenePos()):
            self.seek_requested.emit(float(vb.mapSceneToView(ev.scenePos()).x()))

    def _on_table_clicked(self, row: int, _col: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.rep_chosen.emit(float(item.data(Qt.UserRole)))

    def _on_table_menu(self, pos: QPoint) -> None:
        item = self.table.itemAt(pos)
        number = item.data(REP_NUMBER_ROLE) if item is not None else None
        if number is not None and self.data is not None and self.data.attempts is None:
            self.table.selectRow(item.row())
            self.rep_menu_requested.emit(int(number), self.table.viewport().mapToGlobal(pos))
