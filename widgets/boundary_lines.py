"""The stroke ends of the rep under the playhead as lines on a plot that can be dragged:
while a line is dragged the video follows it (``dragging(t)``), and where it is let go
``moved(rep number, boundary name)`` asks for that boundary at the frame shown. The line
goes back to the rep's boundary at once; it moves when the analysis does, so a move the
app refuses leaves it where it was."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal

from widgets.panel_data import RepView
from widgets.panel_plots import PHASE_COLORS

#: the four stroke ends: (boundary name, phase, which end of it, words for the tooltip)
ENDS = (("eccentric_start", "eccentric", 0, "eccentric start"),
        ("eccentric_end", "eccentric", 1, "eccentric end (bottom)"),
        ("concentric_start", "concentric", 0, "concentric start"),
        ("concentric_end", "concentric", 1, "lockout"))


class BoundaryLines(QObject):
    """Four movable lines on ``plot`` at the stroke ends of the rep shown (none without)."""

    dragging = Signal(float)
    moved = Signal(int, str)

    def __init__(self, plot: pg.PlotWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rep: RepView | None = None
        self.held = False  # a line is being dragged: the rep shown does not change
        self.lines: dict[str, pg.InfiniteLine] = {}
        for name, phase, _end, _words in ENDS:
            color = PHASE_COLORS.get(phase, "#aaa")
            line = pg.InfiniteLine(angle=90, movable=True,
                                   pen=pg.mkPen(color, width=1, style=Qt.DashLine),
                                   hoverPen=pg.mkPen(color, width=3))
            # under the playhead's line: where they meet (just after pressing 1-4) a drag
            # scrubs the video, as everywhere else on the plot; over the phase shading
            line.setZValue(-1)
            line.hide()
            line.sigDragged.connect(lambda ln: self._on_dragged(ln))
            line.sigPositionChangeFinished.connect(lambda _ln, n=name: self._on_finished(n))
            plot.addItem(line)
            self.lines[name] = line

    def show_rep(self, rep: RepView | None) -> None:
        """Put the lines on ``rep``'s stroke ends (hide them for None); not while one is
        dragged."""
        if self.held:
            return
        self.rep = rep
        phases = {kind: (a, b) for kind, a, b in rep.phases} if rep is not None else {}
        for name, phase, end, words in ENDS:
            line = self.lines[name]
            if phase not in phases:
                line.hide()
                continue
            line.setValue(phases[phase][end])
            line.setToolTip(f"Rep {rep.number}'s {words}: drag it to the frame where it "
                            "happens (the video follows)" if rep is not None else "")
            line.show()

    def _on_dragged(self, line: pg.InfiniteLine) -> None:
        self.held = True
        self.dragging.emit(float(line.value()))

    def _on_finished(self, name: str) -> None:
        rep, at = self.rep, float(self.lines[name].value())
        self.held = False
        self.show_rep(rep)  # back on the rep's boundaries until the analysis moves them
        # a drag cancelled (right button) ends where it began: nothing asked
        if rep is not None and at != float(self.lines[name].value()):
            self.moved.emit(rep.number, name)
