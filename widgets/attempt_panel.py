"""The analysis panel for a snatch, clean or jerk: attempts instead of reps.

Height and velocity over time with the pull's phases shaded in their colours, the bar
path coloured by phase with the vertical line through lift-off and the peak and catch
labelled, and the attempt table (the columns of
:data:`analysis.lift.attempts.ATTEMPT_COLUMNS`, as in the CSV and the report). Heights
are above the floor (the bar on 0.45 m plates at lift-off) as in the table; horizontal
positions from the lift-off, + away from the lifter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from analysis.lift.attempts import (ATTEMPT_COLUMNS, PHASE_LABELS, attempt_path, attempt_rows,
                                   jerk_text)
from analysis.lift.result import AnalysisResult
from widgets.overlay_painter import ATTEMPT_PHASE_COLORS



@dataclass
class AttemptView:
    """One attempt as the panel shows it (times in s, real time)."""

    number: int
    phases: list[tuple[str, float, float]]
    cells: list[str]
    missed: bool
    liftoff_t: float
    marks: list[tuple[float, str]] = field(default_factory=list)  # (t, "peak 127 cm")
    jerk: str = ""

    @property
    def start(self) -> float:
        return self.liftoff_t


@dataclass
class AttemptsView:
    """All attempts of the recording; ``label`` names the lift ("clean and jerk")."""

    label: str
    attempts: list[AttemptView]
    lifter_faces: str | None


def attempts_view(r: AnalysisResult) -> tuple[AttemptsView, np.ndarray, np.ndarray]:
    """The attempts of ``r`` and the panel's height (m above the floor at the first lift-off)
    and horizontal position (m from the first lift-off, + away from the lifter)."""
    wl = r.weightlifting
    assert wl is not None
    views = []
    for a, cells in zip(wl.attempts, attempt_rows(wl.attempts), strict=True):
        marks = [(a.peak_height_t, f"peak {a.peak_height_m * 100:.0f} cm"),
                 (a.catch_t, f"catch {a.catch_height_m * 100:.0f} cm")]
        j = a.jerk or {}
        if j.get("peak_height_t") is not None and j.get("peak_height_m") is not None:
            marks.append((float(j["peak_height_t"]),
                          f"jerk drive top {float(j['peak_height_m']) * 100:.0f} cm"))
        views.append(AttemptView(a.number, [(p.name, p.start_t, p.end_t) for p in a.phases],
                                 cells, a.missed, a.liftoff_t, marks, jerk_text(a)))
    label = wl.lift.replace("_", " ")
    height, x = attempt_path(r)  # the table's reference (analysis.lift.attempts)
    return AttemptsView(label, views, wl.lifter_faces), height, x


def summary_lines(r: AnalysisResult, v: AttemptsView) -> list[str]:
    """The summary under the table: attempts, facing, jerk, scale."""
    if r.units != "m":  # nothing measured yet: say what the calibration brings
        return [f"<b>{v.label.capitalize()}</b>: calibrate to see the attempt",
                "Peak and catch heights, the drop, the pull's phases and the bar's speed are "
                "measured in cm and m/s: calibrate from the plate (Analysis menu) or draw a "
                "circle around a plate",
                "Height in px, from the bar's lowest point"]
    made = sum(not a.missed for a in v.attempts)
    faces = {"left": "facing left", "right": "facing right"}.get(v.lifter_faces or "", "")
    n = len(v.attempts)
    lines = [f"<b>{n} attempt{'' if n == 1 else 's'}</b> ({v.label}{', ' + faces if faces else ''}): "
             f"{made} made, {n - made} missed"]
    for a in v.attempts:
        if a.jerk:
            lines.append(f"Attempt {a.number} {a.jerk}")
        lines.append(f"Attempt {a.number}: " + " · ".join(
            f"{PHASE_LABELS.get(n, n)} {e - s:.2f} s" for n, s, e in a.phases))
    names = list(dict.fromkeys(n for a in v.attempts for n, _s, _e in a.phases))
    lines.append("Phases: " + " ".join(
        f'<span style="color:{ATTEMPT_PHASE_COLORS.get(n, "#ddd")}">■ {PHASE_LABELS.get(n, n)}'
        '</span>' for n in names))
    lines.append("Heights above the floor (bar on 0.45 m plates at lift-off); horizontal "
                 "+ away from the lifter, widened; dashed line: vertical through lift-off")
    if r.m_per_px:
        lines.append(f"Scale from {r.calibration.get('source', 'calibration')}: "
                     f"{r.m_per_px * 1000:.3f} mm/px")
    return lines


class AttemptDecor:
    """The pyqtgraph items an attempt view adds to the panel's plots; removed by
    :meth:`clear` before the panel shows anything else."""

    def __init__(self) -> None:
        self._items: list[tuple[pg.PlotWidget, object]] = []
        #: the key points' labels on the bar path: (label, x, height) where they belong
        self._labels: list[tuple[pg.TextItem, float, float]] = []
        self._view: pg.ViewBox | None = None

    def _add(self, plot: pg.PlotWidget, item: object) -> None:
        plot.addItem(item)
        self._items.append((plot, item))

    def clear(self) -> None:
        for plot, item in self._items:
            plot.removeItem(item)
        self._items = []
        self._labels = []

    def _follow(self, view: pg.ViewBox) -> None:
        """Lay the labels out again whenever the bar path plot is resized or re-ranged."""
        if self._view is not view:
            view.sigResized.connect(self.spread_labels)
            view.sigYRangeChanged.connect(self.spread_labels)
            self._view = view

    def spread_labels(self, *_args: object) -> None:
        """Move the labels apart vertically so none lies over another (a label is about
        20 px tall: on a short plot, or for a power clean caught 4 cm under its peak,
        "peak", "catch" and "jerk" stood over one another), as near as that allows to
        the height of the point each names, inside the plot."""
        view = self._view
        if view is None or not self._labels:
            return
        _px, py = view.viewPixelSize()  # metres per screen pixel
        if not (np.isfinite(py) and py > 0):
            return
        gap = max(lb.boundingRect().height() for lb, _x, _h in self._labels) * py * 1.1
        order = sorted(self._labels, key=lambda e: e[2])
        ys = [h for _lb, _x, h in order]
        for i in range(1, len(ys)):  # push up from the lowest
            ys[i] = max(ys[i], ys[i - 1] + gap)
        top = view.viewRange()[1][1] - gap / 2
        if ys[-1] > top:  # over the top: push down from the highest
            ys[-1] = top
            for i in range(len(ys) - 2, -1, -1):
                ys[i] = min(ys[i], ys[i + 1] - gap)
        for (lb, x, _h), y in zip(order, ys, strict=True):
            lb.setPos(x, y)

    def show(self, panel, v: AttemptsView, t: np.ndarray, x: np.ndarray,
             h: np.ndarray) -> None:
        """Shade the phases, colour the path, draw the lift-off line and the key points."""
        self.clear()
        ok = np.isfinite(x) & np.isfinite(h)
        for a in v.attempts:
            for name, s, e in a.phases:
                color = ATTEMPT_PHASE_COLORS.get(name, "#777")
                for plot in (panel.height_plot, panel.velocity_plot):
                    c = QColor(color)
                    c.setAlpha(45 if a.missed else 80)
                    reg = pg.LinearRegionItem((s, e), movable=False, brush=c, pen=pg.mkPen(None))
                    reg.setZValue(-10)
                    self._add(plot, reg)
                m = (t >= s) & (t <= e) & ok
                if m.sum() >= 2:
                    pen = pg.mkPen(color, width=3, style=Qt.DashLine if a.missed else Qt.SolidLine)
                    self._add(panel.path_plot, pg.PlotDataItem(x[m], h[m], pen=pen))
            i0 = int(np.clip(np.searchsorted(t, a.liftoff_t), 0, len(t) - 1))
            if ok[i0]:
                self._add(panel.path_plot, pg.InfiniteLine(
                    pos=float(x[i0]), angle=90, pen=pg.mkPen("#ffffff", style=Qt.DashLine)))
            for tm, text in a.marks:
                i = int(np.clip(np.searchsorted(t, tm), 0, len(t) - 1))
                if not ok[i]:
                    continue
                dot = pg.ScatterPlotItem([x[i]], [h[i]], size=9, brush=pg.mkBrush("#ffffff"),
                                         pen=pg.mkPen("#111"))
                self._add(panel.path_plot, dot)
                lx, right = _label_x(x[ok], h[ok], float(x[i]), float(h[i]))
                label = pg.TextItem(text, color="#ffffff", anchor=(-0.1, 0.5) if right
                                    else (1.1, 0.5), fill=pg.mkBrush(0, 0, 0, 170))
                label.setPos(lx, float(h[i]))
                self._add(panel.path_plot, label)
                self._labels.append((label, lx, float(h[i])))
        self._follow(panel.path_plot.getPlotItem().getViewBox())
        self.spread_labels()


#: Height band (m) around a labelled point whose path the label keeps clear of (a label
#: is about 20 px tall, 0.2-0.3 m on the plot at the panel's least height).
LABEL_BAND_M = 0.20


def _label_x(x: np.ndarray, h: np.ndarray, xi: float, hi: float) -> tuple[float, bool]:
    """Where a key point's label goes on the bar path plot (x in m, and True when it is
    drawn to the right of there): beside the path, clear of it, on the side with more
    room, not next to the point itself. Labels drawn next to the point covered the
    turnover loop they name ("peak 116 cm" over the loop on the real clean and jerk)."""
    near = np.abs(h - hi) <= LABEL_BAND_M
    lo, top = (float(x[near].min()), float(x[near].max())) if near.any() else (xi, xi)
    # the plot is symmetric about the lift-off line (x = 0): the side with more room is
    # the one the path's band leaves more of
    return (top, True) if lo + top <= 0.0 else (lo, False)


def fill_attempt_table(table: QTableWidget, v: AttemptsView) -> None:
    """The attempt table: one row per attempt, the columns of ``ATTEMPT_COLUMNS``."""
    table.setColumnCount(len(ATTEMPT_COLUMNS))
    table.setHorizontalHeaderLabels([c[1] for c in ATTEMPT_COLUMNS])
    for col, c in enumerate(ATTEMPT_COLUMNS):
        head = table.horizontalHeaderItem(col)
        if head is not None:
            head.setToolTip(c[2])
    table.setRowCount(len(v.attempts))
    for row, a in enumerate(v.attempts):
        for col, text in enumerate(a.cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.UserRole, a.start)
            if a.missed:
                item.setForeground(QColor("#ff7070"))
            table.setItem(row, col, item)
    table.resizeColumnsToContents()
    table.resizeRowsToContents()
