"""A clean and jerk tracked before calibration: the panel shows the attempt view with a
plain "calibrate to see the attempt", never the generic rep reading of the same track
("1 rep (deadlift, bar up first)" with a squat's tempo table), and the height plot spans
the whole lift. Generated lift (tests/truth2, a blind generator) rendered as a clip."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.lift.attempts import ATTEMPT_COLUMNS
from analysis.session import Track
from analysis.synth.lift_clip import render_clip_fast
from app.controllers.analysis import set_track
from tests.truth2 import weightlifting_truth as W

PX_PER_M = 150.0
SIZE = (400, 400)


@pytest.fixture(scope="module")
def cj_clip(tmp_path_factory):
    traj = W.clean_and_jerk(1)
    t = np.arange(0.0, traj.duration, 1 / 30)
    x = 200 + traj.x(t) * PX_PER_M
    y = 390 - traj.y(t) * PX_PER_M
    path = tmp_path_factory.mktemp("wl") / "clean-and-jerk.mp4"
    render_clip_fast(path, t, x, y, size=SIZE, plate_diameter_px=0.45 * PX_PER_M)
    return path, t, x, y


def test_an_uncalibrated_clean_and_jerk_is_not_read_as_reps(make_window, qtbot, cj_clip):
    path, t, x, y = cj_clip
    w = make_window(path, size=(1500, 950))
    ws = w.workspace
    ws.sessions.update_fields(exercise="clean and jerk")
    n = len(t)
    set_track(w.model, ws.drawing.undo_stack, w.model.current,
              Track(t.copy(), x.copy(), y.copy(), np.ones(n), np.ones(n, np.uint8)),
              "Track the bar")
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
