"""Analysis → Say which point this older track followed…: a track saved before the tracked
point was recorded gets the point the coach names (undoable), and the analysis then says
what it says of a track that recorded it; a track that records its point keeps it."""

from __future__ import annotations

import numpy as np

from analysis.session.calibration import Calibration
from analysis.session.track import STATE_TRACKED, TARGET_UNKNOWN, Track
from app import dialogs
from app.controllers.analysis import set_track


def test_the_coach_says_which_point_an_old_track_followed(make_window, qtbot, two_squats,
                                                          monkeypatch):
    path, truth = two_squats
    win = make_window(path)
    ws, rec = win.workspace, win.model.current
    n = len(truth.times)
    undo = ws.drawing.undo_stack
    set_track(win.model, undo, rec, Track(
        np.asarray(truth.times, float), np.asarray(truth.x, float), np.asarray(truth.y, float),
        np.ones(n), np.full(n, STATE_TRACKED, np.uint8), target=TARGET_UNKNOWN), "Track")
    win.model.set_calibration(rec, Calibration(truth.m_per_px, "plate 450 mm measured on 24 "
                                               "frames", 0.45 / truth.m_per_px, frames=24))
    qtbot.waitUntil(lambda: ws.analysis.result is not None and ws.analysis.result.warnings[0]
                    .startswith("tracked point not recorded"), timeout=20000)
    assert "was not recorded (saved by an earlier version)" in ws.panel.warning.text()
    asked, told = [], []
    monkeypatch.setattr(dialogs, "ask_choice",
                        lambda _p, title, text, detail, choices, **k: asked.append(
                            [key for key, _ in choices]) or "plate")
    monkeypatch.setattr(dialogs, "tell", lambda _p, title, text: told.append(text))
    ws.actions["declare_target"].trigger()
    assert asked == [["plate", "bar_end", "point"]] and told == []
    assert rec.track.target == "plate"
    qtbot.waitUntil(lambda: ws.analysis.result.warnings[0] == "tracked point: the plate centre",
                    timeout=20000)
    assert "the scale was measured at the plate" not in ws.panel.warning.text().lower()
    assert undo.undoText() == "Say the tracked point"
    undo.undo()
    assert rec.track.target == TARGET_UNKNOWN
    undo.redo()
    # a track that records its point keeps it: the lifter is told, nothing is asked
    ws.actions["declare_target"].trigger()
    assert len(asked) == 1 and rec.track.target == "plate"
    assert told == ["This track records that it followed the plate centre. To follow "
                    "another point, track the bar again."]
