"""The analysis panel's plots: how each is made (dark, readable axes that never scale
their unit, a title row as high as its text), the phase and rep colours, each plot row's
least height and share of the room the rep table leaves, and the splitter holding them
above the table (:class:`widgets.analysis_panel.AnalysisPanelWidget`)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QSplitter

from widgets.readable_axis import ReadableAxisItem

#: each phase's colour: shaded on the height and velocity plots, the tempo chart's bars
PHASE_COLORS = {"eccentric": "#3a7bd5", "concentric": "#f08c2c", "bottom_pause": "#8a8a8a",
                "top_pause": "#6e6e6e", "hold": "#9b59b6"}
#: the plots' rows (bar path and tempo, height, velocity) never get lower than this (px):
#: title, tick labels and a view box of 55-60 px, where tick labels keep apart
PLOT_MIN_HEIGHTS = (120, 85, 115)
#: the same once plots fold for the rep table (a laptop): the velocity plot, then the only
#: time plot, says its time unit in its title instead of an axis title under the ticks, and
#: keeps the same view box (the real 8-rep squat, uncalibrated, showed 7 of its 8 rows at
#: 1366×728 with the axis title)
PLOT_MIN_HEIGHTS_FOLDED = (120, 85, 100)
#: a plot title's row (px): the 10 pt text and a little air
TITLE_HEIGHT = 20
#: the share of the room left by the rep table each plot row gets
PLOT_SHARES = (0.36, 0.30, 0.34)
#: each rep's concentric on the bar path, for sets of up to 8 reps (:func:`rep_colors`)
REP_COLORS = ["#f08c2c", "#3ad5a0", "#d53a7b", "#d5c43a", "#3ab0d5", "#a03ad5", "#7bd53a",
              "#d5783a"]
#: a longer set's reps run along this colormap (pyqtgraph's "plasma") from the first rep
#: to the last, between these two points of it (its darkest purple is lost on the
#: plots' dark background)
REP_COLORMAP, REP_COLORMAP_SPAN = "plasma", (0.25, 1.0)


def rep_colors(n: int) -> list[str]:
    """The colours of a set's ``n`` reps on the bar path, first to last: :data:`REP_COLORS`
    for up to 8 reps, else :data:`REP_COLORMAP` from the first rep to the last, so no two
    reps share a colour (the eight colours used to cycle: a ninth rep took the first
    one's, and a coach read rep 9's path as rep 1's)."""
    if n <= len(REP_COLORS):
        return REP_COLORS[:n]
    lo, hi = REP_COLORMAP_SPAN
    cmap = pg.colormap.get(REP_COLORMAP)
    return [cmap.map(lo + (hi - lo) * i / (n - 1), mode="qcolor").name() for i in range(n)]


def plot_widget(title: str, left: str, bottom: str = "time (s)") -> pg.PlotWidget:
    """A dark plot titled ``title``, its axes labelled ``left`` and ``bottom`` (their units
    in the label, never a scale factor), readable tick labels, a faint grid; it pans
    along x only and has no context menu."""
    w = pg.PlotWidget(background="#1b1c1f", axisItems={
        side: ReadableAxisItem(side) for side in ("left", "bottom")})
    set_plot_title(w, title)
    for side in ("left", "bottom"):
        w.getAxis(side).enableAutoSIPrefix(False)  # "m", never "m (x0.001)"
    w.setLabel("left", left)
    w.setLabel("bottom", bottom)
    w.showGrid(x=True, y=True, alpha=0.15)
    w.setMouseEnabled(x=True, y=False)
    w.setMenuEnabled(False)
    return w


def set_plot_title(w: pg.PlotWidget, title: str) -> None:
    """The plot's title in a row as high as its text (pyqtgraph keeps 30 px for it)."""
    w.setTitle(title, color="#dcdcdc", size="10pt")
    item = w.getPlotItem()
    item.titleLabel.setMaximumHeight(TITLE_HEIGHT)
    item.layout.setRowFixedHeight(0, TITLE_HEIGHT)


def share_out(room: int, least: tuple[int, ...], shares: tuple[float, ...]) -> list[int]:
    """``room`` (px) shared out by ``shares``, none below its ``least``, adding up to
    ``room`` (or to the least heights when they need more): a row held at its least
    leaves its share to the others, which never take the table's room."""
    sizes = list(least)
    free = [i for i in range(len(least))]
    while free:
        left = room - sum(least[i] for i in range(len(least)) if i not in free)
        total = sum(shares[i] for i in free)
        want = {i: int(left * shares[i] / total) for i in free}
        held = [i for i in free if want[i] < least[i]]
        if not held:
            for i in free:
                sizes[i] = want[i]
            break
        free = [i for i in free if i not in held]
    return sizes


class LeastSplitter(QSplitter):
    """A splitter that asks for its least height: the scroll area sizes its page by the
    page's height for its width, which added the plots' large size hints (a page 1700 px
    high) or, with those ignored, left out the splitter's least height (the summary then
    drew over the table)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        return QSize(hint.width(), max(self.minimumHeight(), self.minimumSizeHint().height()))
