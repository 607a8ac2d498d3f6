"""A clean and jerk tracked before calibration: the panel shows the attempt view with a
plain "calibrate to see the attempt", never the generic rep reading of the same track
("1 rep (deadlift, bar up first)" with a squat's tempo table), and the height plot spans
the whole lift. Generated lift (tests/truth2, a blind generator) rendered as a clip."""

from __future__ import annotations

import numpy as np

from analysis.lift.attempts import ATTEMPT_COLUMNS
from tests.app.weightlifting_clips import show_tracked


def test_an_uncalibrated_clean_and_jerk_is_not_read_as_reps(make_window, qtbot, cj_clip):
    path, _traj, t, x, y = cj_clip
    w = show_tracked(make_window, path, t, x, y, "clean and jerk")
    ws = w.workspace
    qtbot.waitUntil(lambda: ws.analysis.result is not None, timeout=20000)
    qtbot.wait(200)
    panel = ws.panel
    summary = panel.summary.text()
    assert "calibrate to see the attempt" in summary.lower(), summary
    assert "rep" not in summary.lower().replace("represent", ""), summary
    assert not panel.tempo_plot.isVisible()
    assert panel.table.columnCount() == len(ATTEMPT_COLUMNS) and panel.table.rowCount() == 0
    # the height plot spans the whole lift (px above the bar's lowest point)
    h = panel.data.height
    (_x0, _x1), (y0, y1) = panel.height_plot.getPlotItem().getViewBox().viewRange()
    assert y0 <= np.nanmin(h) and y1 >= np.nanmax(h), (y0, y1, np.nanmax(h))
    # and the export offers no "Rep 1" of it
    from app.controllers.export import measured_ranges

    assert measured_ranges(ws.analysis.result, lambda s: 0, lambda s: s) == []
