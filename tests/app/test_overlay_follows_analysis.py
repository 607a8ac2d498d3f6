"""The data overlay on the video follows every change of the analysis at once.

A rep boundary set at the playhead (keys 1-4), a rep's status, a reset, undo and redo
each drop the analysis and recompute it in the background. The picture was repainted
when the analysis was dropped (no overlay: nothing to show yet) but not when the new
analysis arrived, so the "Rep 1 …" box vanished from the video until the next frame step.
Here the analysis is held back as a slow machine would, then handed over: the overlay is
drawn again with the new numbers without any step.
"""

from __future__ import annotations

import numpy as np

import app.controllers.analysis as controller
from analysis.export.hud import hud_lines
from analysis.session import Calibration, Track
from app.controllers.analysis import set_calibration, set_track


def _tracked(make_window, two_squats, qtbot):
    path, truth = two_squats
    win = make_window(path, size=(1400, 850))
    ws = win.workspace
    ws.sessions.update_fields(exercise="back squat")
    n = len(truth.times)
    rec = win.model.current
    set_calibration(win.model, ws.drawing.undo_stack, rec,
                    Calibration(truth.m_per_px, "true scale", truth.plate_diameter_px))
    set_track(win.model, ws.drawing.undo_stack, rec,
              Track(truth.times.copy(), truth.x.copy(), truth.y.copy(), np.ones(n),
                    np.ones(n, np.uint8)), "Track the bar")
    qtbot.waitUntil(lambda: ws.analysis.result is not None and ws.panel.table.rowCount() == 2,
                    timeout=30000)
    return win, ws


def test_the_overlay_comes_back_with_the_new_numbers_after_every_analysis_change(
        make_window, two_squats, qtbot, monkeypatch):
    win, ws = _tracked(make_window, two_squats, qtbot)
    a = ws.analysis
    c0, c1 = a.result.reps[0].phases["concentric"]
    n = win.model.video.frame_at_time((c0 + c1) / 2)  # rising in rep 1: "Rep 1  +0.xx m/s"
    win.player.seek(n)
    qtbot.waitUntil(lambda: win.player.shown is not None and win.player.shown.index == n,
                    timeout=10000)
    painted: list[list[str]] = []
    monkeypatch.setattr(controller, "paint_hud", lambda _p, lines, *_a, **_k:
                        painted.append(list(lines)))
    held: list = []  # the analysis computed in the background, handed over later
    monkeypatch.setattr(ws.jobs, "run", lambda fn, done, failed: held.append((fn, done)))

    edits = {
        "lockout at the playhead (key 4)":
            lambda: ws.rep_boundaries.set_boundary("concentric_end"),
        "undo": ws.drawing.undo_stack.undo,
        "redo": ws.drawing.undo_stack.redo,
        "reset": lambda: ws.rep_boundaries.reset(1),
        "status": lambda: a.set_rep_status("partial", 1),
    }
    for what, edit in edits.items():
        held.clear()
        edit()
        assert held, what
        win.canvas.repaint()  # what the screen shows while the analysis is computed
        painted.clear()
        fn, done = held[-1]
        done(fn())
        # the new analysis is on screen without a step or a forced repaint
        qtbot.waitUntil(lambda: bool(painted), timeout=3000)
        want = hud_lines(a.result, a.time_scale().factor)(win.player.shown.time)
        assert painted[-1] == want and want[0].startswith("Rep 1"), what
