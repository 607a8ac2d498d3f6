"""The Progress view: a lifter's load-velocity profile and e1RM, and the best mean
concentric velocity over time at each load. Built from a
:class:`analysis.progress.summary.ProgressSummary`; clicking a point asks to open that
session."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from analysis.progress.history import LB_TO_KG
from analysis.progress.summary import ProgressSummary
from analysis.session.track import TARGET_NAMES, TARGET_UNKNOWN

_OLD, _NEW = np.array([70, 90, 140]), np.array([255, 160, 40])
_TITLE = {"size": "11pt", "color": "#d8d8d8"}
#: the over-time series: (plot attribute, legend name, colour, symbol); one item each,
#: named even while empty so the legend always says what each plot shows
_SERIES = {
    "tempo compliance": ("time_plot", "tempo compliance (% of counted reps)", (120, 200, 255), "o"),
    "velocity loss": ("time_plot", "velocity loss (%)", (240, 150, 60), "s"),
    "recovered": ("ready_plot", "recovered", (120, 210, 130), "o"),
    "slept well": ("ready_plot", "slept well (yes 5, no 1)", (170, 140, 240), "t"),
}
#: free room around the points, as a fraction of each axis' span on each side (a point
#: on the plot's edge, or a 0 % marker on the axis line, is half hidden)
_PAD = 0.12
#: the least load span of the profile, each side of a single load: 10 % of it or 5 kg,
#: whichever is more (one 100 kg set drew 99.6-100.4 kg in 0.2 kg steps)
_LEAST_LOAD_FRACTION, _LEAST_LOAD_KG = 0.10, 5.0
#: where a pain note is drawn on the readiness plot, under the 1-5 ratings
_PAIN_ROW = 0.4
#: the least velocity span (m/s) the velocity axes show: a difference within the
#: day-to-day variation of a lifter's velocity (~0.03-0.05 m/s) never fills the plot
_MIN_V_SPAN = 0.15


def _colour(i: int, n: int) -> tuple[int, int, int]:
    f = i / max(1, n - 1)
    c = _OLD + (_NEW - _OLD) * f
    return int(c[0]), int(c[1]), int(c[2])


def _widened(lo: float, hi: float, least: float) -> tuple[float, float]:
    """``lo``-``hi`` widened about its middle to span at least ``least`` (same units)."""
    if hi - lo >= least:
        return lo, hi
    mid = (lo + hi) / 2
    return mid - least / 2, mid + least / 2


def _legend_above(plot: pg.PlotWidget, columns: int) -> pg.LegendItem:
    """The plot's legend in its own row between the title and the data (the hidden top
    axis' row), ``columns`` entries a row: it never lies over a point, whatever the data
    (a legend in the top right corner hid a fast heavy set's point)."""
    item = plot.getPlotItem()
    item.layout.removeItem(item.getAxis("top"))  # never shown: its row is the legend's
    legend = item.addLegend(offset=None, brush=pg.mkBrush(20, 20, 20, 170),
                            labelTextSize="10pt", colCount=columns)
    # as wide as its entries, from the left: a stretched legend spreads its entries apart
    legend.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    item.layout.addItem(legend, 1, 1, Qt.AlignmentFlag.AlignLeft)
    return legend


class ProgressViewWidget(QWidget):
    """Choose lifter, exercise and MVT; see the profile, e1RM and trend.

    Signals
    -------
    query_changed(lifter, exercise, mvt)
        The user changed what to show.
    open_requested(session_id)
        A point was clicked.
    """

    query_changed = Signal(str, str, float)
    open_requested = Signal(str)
    #: (session id, recording id) of a clicked point: open that set
    set_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None, units: str = "kg") -> None:
        super().__init__(parent)
        self.units = units
        self._k = 1.0 / LB_TO_KG if units == "lb" else 1.0
        self.lifter = QComboBox()
        self.exercise = QComboBox()
        self.mvt = QDoubleSpinBox()
        self.mvt.setRange(0.05, 1.0)
        self.mvt.setSingleStep(0.01)
        self.mvt.setDecimals(2)
        self.mvt.setSuffix(" m/s")
        self.mvt.setToolTip("Minimal velocity threshold: the mean velocity of a true 1RM "
                            "(squat ~0.30, bench ~0.17, deadlift ~0.15, press ~0.19 m/s)")
        top = QHBoxLayout()
        for text, w in (("Lifter", self.lifter), ("Exercise", self.exercise),
                        ("1RM at", self.mvt)):
            top.addWidget(QLabel(text))
            top.addWidget(w, 1 if w is not self.mvt else 0)
        self.summary = QLabel("Choose a lifter and an exercise.")
        self.summary.setWordWrap(True)
        self.profile_plot = pg.PlotWidget()
        self.profile_plot.setTitle("Load-velocity profile: each set's best counted rep", **_TITLE)
        self.profile_plot.setLabel("bottom", f"load ({units})")
        self.profile_plot.setLabel("left", "best rep mean velocity (m/s)")
        self.trend_plot = pg.PlotWidget()
        self.trend_plot.setTitle("Best MCV per session, one line per load", **_TITLE)
        self.trend_plot.setLabel("left", "best MCV (m/s)")
        # tempo compliance and velocity loss per session, and the readiness check beside
        self.time_plot = pg.PlotWidget()
        self.time_plot.setTitle("Tempo compliance and velocity loss per session", **_TITLE)
        self.time_plot.setToolTip(
            "Tempo compliance: the share of the session's counted reps whose every phase met "
            "the prescribed tempo (Details → Tempo): ± 0.5 s a phase; X means explosive "
            "intent, met when the bar is driven up without a stop, however long it takes. "
            "Flagged (⚑) and partial reps are left out, as from every set number (the sets "
            "that leave reps out are named above the plots). Velocity loss: how much slower "
            "the last "
            "rep was than the set's fastest (MCV), averaged over the session's sets.")
        self.time_plot.setLabel("left", "%")
        self.ready_plot = pg.PlotWidget()
        self.ready_plot.setTitle("Readiness before the session", **_TITLE)
        self.ready_plot.setLabel("left", "rating (1-5)")
        self.ready_plot.setLabel("bottom", "session")
        self.ready_plot.setYRange(_PAIN_ROW, 5.0, padding=_PAD)
        self.ready_plot.getAxis("left").setTicks([[(v, str(v)) for v in range(1, 6)]])
        self.time_plot.getAxis("left").setTicks([[(v, str(v)) for v in range(0, 101, 20)]])
        for p in (self.profile_plot, self.trend_plot, self.time_plot, self.ready_plot):
            p.getAxis("left").enableAutoSIPrefix(False)
            p.getAxis("bottom").enableAutoSIPrefix(False)
            p.showGrid(x=True, y=True, alpha=0.2)
            _legend_above(p, columns=4 if p is self.profile_plot else 5)
        #: one item per over-time series, updated with setData (see _SERIES)
        self.series_items: dict[str, pg.PlotDataItem] = {}
        for key, (plot, name, col, symbol) in _SERIES.items():
            self.series_items[key] = getattr(self, plot).plot(
                [], [], pen=pg.mkPen(*col, width=2), symbol=symbol, symbolBrush=col,
                symbolPen=None, name=name)
        self.pain_item = pg.ScatterPlotItem([], [], symbol="x", size=14,
                                            brush=pg.mkBrush(240, 80, 70),
                                            pen=pg.mkPen(240, 80, 70), name="pain noted")
        self.ready_plot.addItem(self.pain_item)
        for p in (self.time_plot, self.ready_plot):
            p.setXLink(self.trend_plot)
        self.hint = QLabel("")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #f0c060")
        self.hint.setVisible(False)
        over_time = QVBoxLayout()
        over_time.addWidget(self.trend_plot, 1)
        over_time.addWidget(self.time_plot, 1)
        over_time.addWidget(self.ready_plot, 1)
        plots = QHBoxLayout()
        plots.addWidget(self.profile_plot, 1)
        plots.addLayout(over_time, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.hint)
        lay.addLayout(plots, 1)
        #: a note from the app about the open session (e.g. it names no lifter), shown
        #: with the hints of every summary
        self.session_note = ""
        #: what the over-time plots show: series name -> [(session index, value)]
        self.over_time: dict[str, list[tuple[int, float]]] = {}
        self.points: list[tuple[float, float, str]] = []   # shown (load, v, session_id)
        self.lifter.currentTextChanged.connect(self._emit)
        self.exercise.currentTextChanged.connect(self._emit)
        self.mvt.valueChanged.connect(self._emit)

    def set_choices(self, lifters: list[str], exercises: list[str]) -> None:
        for box, items in ((self.lifter, lifters), (self.exercise, exercises)):
            box.blockSignals(True)
            keep = box.currentText()
            box.clear()
            box.addItems(items)
            if keep in items:
                box.setCurrentText(keep)
            box.blockSignals(False)

    def _emit(self, *_a: object) -> None:
        if self.lifter.currentText() and self.exercise.currentText():
            self.query_changed.emit(self.lifter.currentText(), self.exercise.currentText(),
                                    float(self.mvt.value()))

    def show_summary(self, s: ProgressSummary) -> None:
        """Redraw from a summary (the only way data gets in)."""
        k, u = self._k, self.units
        self.profile_plot.clear()
        self.trend_plot.clear()
        olympic = s.weightlifting  # a snatch, clean or jerk: peak velocity, no MVT
        self.profile_plot.setLabel("left", "best peak velocity, made attempts (m/s)" if olympic
                                   else "best rep mean velocity (m/s)")
        self.profile_plot.setTitle("Load-velocity profile: each set's best attempt" if olympic
                                   else "Load-velocity profile: each set's best counted rep",
                                   **_TITLE)
        self.trend_plot.setLabel("left", "best peak velocity (m/s)" if olympic
                                 else "best MCV (m/s)")
        self.trend_plot.setTitle("Best peak velocity per session, one line per load" if olympic
                                 else "Best MCV per session, one line per load", **_TITLE)
        self.mvt.setEnabled(not olympic)
        self.points = []
        #: every drawn (load, velocity) of the profile, lines' ends too: its axes' extent
        drawn: list[tuple[float, float]] = []
        self._sets: dict[int, tuple[str, list[str]]] = {}
        n = len(s.sessions)
        for i, sp in enumerate(s.sessions):
            if not sp.points:
                continue
            col = _colour(i, n)
            xs = [p[0] * k for p in sp.points]
            ys = [p[1] for p in sp.points]
            sc = pg.ScatterPlotItem(xs, ys, size=10, brush=pg.mkBrush(*col), pen=None,
                                    data=[sp.session_id] * len(xs), name=sp.date)
            sc.sigClicked.connect(self._clicked)
            self._sets[id(sc)] = (sp.session_id, list(sp.recording_ids))
            self.profile_plot.addItem(sc)
            self.points += [(x, y, sp.session_id) for x, y in zip(xs, ys, strict=True)]
            if sp.profile is not None:
                lo, hi = min(xs), max(xs)
                ends = [(lo, sp.profile.velocity_at(lo / k)), (hi, sp.profile.velocity_at(hi / k))]
                drawn += ends
                self.profile_plot.plot([e[0] for e in ends], [e[1] for e in ends],
                                       pen=pg.mkPen(*col, width=1))
        if s.profile is not None:
            top = s.e1rm.e1rm_kg if s.e1rm else max(s.profile.loads_kg)
            lo = min(s.profile.loads_kg)
            drawn += [(lo * k, s.profile.velocity_at(lo)), (top * k, s.profile.velocity_at(top))]
            self.profile_plot.plot([lo * k, top * k], [s.profile.velocity_at(lo),
                                                        s.profile.velocity_at(top)],
                                   pen=pg.mkPen("w", width=2, style=pg.QtCore.Qt.DashLine),
                                   name="all sessions")
            if not olympic:
                self.profile_plot.addItem(pg.InfiniteLine(pos=s.mvt_m_s, angle=0,
                                                          pen=pg.mkPen(200, 60, 60)))
        self._fit_profile_range(drawn + [(x, y) for x, y, _sid in self.points])
        dates = sorted({sp.date for sp in s.sessions})
        where = {d: i for i, d in enumerate(dates)}
        for j, (load, row) in enumerate(sorted(s.trend.items())):
            col = pg.intColor(j, hues=max(3, len(s.trend)), sat=180)
            self.trend_plot.plot([where[r[0]] for r in row], [r[1] for r in row], symbol="o",
                                 pen=pg.mkPen(col, width=2), symbolBrush=col,
                                 name=f"{load * k:.0f} {u}")
        ys = [r[1] for row in s.trend.values() for r in row]
        if ys:
            self.trend_plot.setYRange(*_widened(min(ys), max(ys), _MIN_V_SPAN), padding=_PAD)
        self._plot_over_time(s, dates)
        ticks = [[(i, d[5:]) for i, d in enumerate(dates)]]  # MM-DD: the year is in the title
        for p in (self.trend_plot, self.time_plot, self.ready_plot):
            p.getAxis("bottom").setTicks(ticks)
        self.trend_plot.setXRange(-0.4, max(0, len(dates) - 1) + 0.4, padding=0)
        for p in (self.profile_plot, self.trend_plot):  # no series: no empty legend box
            legend = p.getPlotItem().legend
            legend.setVisible(bool(legend.items))
        self.summary.setText(_summary_text(s, k, u))
        self.show_hint(" ".join(t for t in (self.session_note, _hint_text(s)) if t))

    def _fit_profile_range(self, drawn: list[tuple[float, float]]) -> None:
        """Both profile axes span what is drawn with room around it (:data:`_PAD`): the
        velocity axis at least :data:`_MIN_V_SPAN` (tour 30: two sets 0.0003 m/s apart
        filled the axis, corner to corner, as if they differed), the load axis at least
        10 % or 5 kg each side of a single load, so its ticks fall on whole kg."""
        if not drawn:
            return
        xs, ys = [d[0] for d in drawn], [d[1] for d in drawn]
        mid = (min(xs) + max(xs)) / 2
        least = 2 * max(_LEAST_LOAD_FRACTION * abs(mid), _LEAST_LOAD_KG * self._k)
        self.profile_plot.setXRange(*_widened(min(xs), max(xs), least), padding=_PAD)
        self.profile_plot.setYRange(*_widened(min(ys), max(ys), _MIN_V_SPAN), padding=_PAD)

    def show_hint(self, text: str) -> None:
        """A note above the plots on what is missing (lifter, loads), or none ("")."""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def _plot_over_time(self, s: ProgressSummary, dates: list[str]) -> None:
        """Tempo compliance and velocity loss (%), and readiness, one point per session."""
        where = {d: i for i, d in enumerate(dates)}
        series: dict[str, list[tuple[int, float]]] = {
            "tempo compliance": [], "velocity loss": [], "recovered": [], "slept well": [],
            "pain": []}
        for p in s.over_time:
            x = where.get(p.date)
            if x is None:
                continue
            if p.tempo_compliance_pct is not None:
                series["tempo compliance"].append((x, p.tempo_compliance_pct))
            if p.velocity_loss_pct is not None:
                series["velocity loss"].append((x, p.velocity_loss_pct))
            if p.recovered is not None and not isinstance(p.recovered, bool):
                series["recovered"].append((x, float(p.recovered)))
            if p.slept_well is not None:  # yes/no shown as 5/1, a rating as it is
                v = (5.0 if p.slept_well else 1.0) if isinstance(p.slept_well, bool) \
                    else float(p.slept_well)
                series["slept well"].append((x, v))
            if p.pain.strip():
                series["pain"].append((x, _PAIN_ROW))
        self.over_time = series
        for key, item in self.series_items.items():
            pts = series[key]
            item.setData([q[0] for q in pts], [q[1] for q in pts])
        pains = {p.date: p.pain for p in s.over_time}
        self.pain_item.setData([q[0] for q in series["pain"]], [q[1] for q in series["pain"]],
                               data=[pains[dates[q[0]]] for q in series["pain"]])
        pct = [v for key in ("tempo compliance", "velocity loss") for _x, v in series[key]]
        self.time_plot.setYRange(min([0.0, *pct]), max([100.0, *pct]), padding=_PAD)

    def _clicked(self, item: pg.ScatterPlotItem, points: list, *_a: object) -> None:
        if points:
            self.open_requested.emit(str(points[0].data()))
            sid, recs = self._sets.get(id(item), ("", []))
            i = points[0].index()
            if sid and 0 <= i < len(recs) and recs[i]:
                self.set_requested.emit(sid, recs[i])


def _hint_text(s: ProgressSummary) -> str:
    """What the lifter can fill in to see more (loads, tempo), or what to track the same
    way; "" when nothing."""
    parts = []
    known = {k: n for k, n in s.tracked_points.items() if k != TARGET_UNKNOWN}
    unrecorded = s.tracked_points.get(TARGET_UNKNOWN, 0)
    if len(known) > 1:
        mixed = ", ".join(f"{n} at the {TARGET_NAMES.get(k, k)}"
                          for k, n in sorted(known.items()))
        parts.append(f"The sets were tracked at different points ({mixed}): points at "
                     "different distances from the camera (the bar end is nearer than the "
                     "plate) read different velocities for the same lift, and the profile "
                     "and e1RM mix that in. Track the plate centre in every set.")
    if unrecorded and sum(s.tracked_points.values()) > 1:  # one set mixes nothing in
        others = ", ".join(f"{n} at the {TARGET_NAMES.get(k, k)}"
                           for k, n in sorted(known.items()))
        parts.append(f"{unrecorded} set(s) were saved by an earlier version that did not "
                     "record which point their track followed"
                     + (f" (the others: {others})" if others else "") + ": if the sets "
                     "followed different points, the profile and e1RM mix in the camera's "
                     "view (the bar end, nearer than the plate, reads faster for the same "
                     "lift). Say which point each followed (Analysis menu, on the set), or track "
                     "the bar again.")
    if s.left_out:  # the same reps the set's own analysis leaves out
        parts.append("A set's point is its best counted rep, and its tempo compliance is over "
                     "its counted reps: flagged ⚑ and partial reps are "
                     "left out, as in the set's analysis (" + "; ".join(
                         f"{date} set {n}: {note}" for date, n, note in s.left_out) + ").")
    if s.unloaded:
        parts.append(f"{s.unloaded} measured set(s) have no load, so they are left out of "
                     "the profile: enter the load in the session's Details (or per set).")
    if s.unmeasured:
        parts.append(f"{s.unmeasured} set(s) are not measured yet (track the bar and "
                     "calibrate to have their velocities in m/s).")
    if s.over_time and not s.weightlifting and \
            all(p.tempo_compliance_pct is None for p in s.over_time):
        parts.append("No prescribed tempo: enter one in Details (e.g. 3-1-X-0) to follow "
                     "tempo compliance.")
    return " ".join(parts)


def _summary_text(s: ProgressSummary, k: float, u: str) -> str:
    if not s.sessions:
        return f"No measured sets of {s.lifter} doing {s.exercise} yet."
    loaded = sum(len(sp.points) for sp in s.sessions)
    parts = [f"{loaded + s.unloaded} measured set(s) in {len(s.sessions)} session(s)"
             + (f", {loaded} with a load." if s.unloaded else ".")]
    if s.e1rm is not None:
        e = s.e1rm
        if e.low_kg == e.low_kg:
            parts.append(f"Estimated 1RM at {s.mvt_m_s:.2f} m/s: {e.e1rm_kg * k:.1f} {u} "
                         f"(95 % interval {e.low_kg * k:.1f}–{e.high_kg * k:.1f} {u}).")
        else:
            parts.append(f"Estimated 1RM at {s.mvt_m_s:.2f} m/s: {e.e1rm_kg * k:.1f} {u} "
                         f"({e.note}).")
    else:
        parts.append(f"No 1RM estimate: {s.reason.rstrip('.')}.")
    last = s.sessions[-1]
    if last.e1rm is not None and len(s.sessions) > 1:
        parts.append(f"Latest session ({last.date}): e1RM {last.e1rm.e1rm_kg * k:.1f} {u}.")
    return " ".join(parts)
