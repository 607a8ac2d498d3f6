"""The height and velocity plots show the whole lift: after a partial track (the panel
follows the tracking) the finished track's plots span every height, not the few pixels
of noise before the lift the first frames had (a clean and jerk's 442 px lift ran off the
top of a plot zoomed on 23.5-25.5 px)."""

from __future__ import annotations

import numpy as np

from tests.widgets.shown import shown
from widgets.analysis_panel import AnalysisPanelWidget, PanelData


def _lift(until: float) -> PanelData:
    fps = 30.0
    t = np.arange(0, until, 1 / fps)
    rng = np.random.default_rng(2)
    h = 24.5 + rng.normal(0, 0.4, len(t))  # the bar on the floor, tracking noise
    up = t > 5.0
    h[up] += 440 * np.clip((t[up] - 5.0) / 1.5, 0, 1)  # lifted 440 px
    return PanelData(t, np.zeros(len(t)), h, np.gradient(h, t), "px", [], ["a lift"])


def test_the_plots_span_the_whole_lift_after_a_partial_track(qtbot):
    w = shown(qtbot, AnalysisPanelWidget())
    w.set_data(_lift(1.0))  # the first second, while tracking runs
    qtbot.wait(100)
    d = _lift(15.0)
    w.set_data(d)
    qtbot.wait(300)
    for plot, v in ((w.height_plot, d.height), (w.velocity_plot, d.velocity)):
        (x0, x1), (y0, y1) = plot.getPlotItem().getViewBox().viewRange()
        assert x0 <= d.t[0] + 0.1 and x1 >= d.t[-1] - 0.1, (x0, x1)
        assert y0 <= np.nanmin(v) and y1 >= np.nanmax(v), (plot, y0, y1, np.nanmin(v),
                                                           np.nanmax(v))
