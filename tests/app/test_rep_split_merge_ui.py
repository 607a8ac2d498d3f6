"""Splitting and merging reps in the real window: the rep table's right-click menu ("Split
rep N here", "Merge rep N with rep N+1"), Analysis → Split the rep at the playhead
(Ctrl+B), undo and redo by name, Shift+Backspace putting back the detected reps, the
refusal of a split that leaves a half without a concentric, and the edits saved with the
session. Before, a coach could not change how many reps the analysis found."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QMenu

from analysis.export.hud import hud_lines
from analysis.session import Calibration, Track
from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from app.controllers.analysis import set_calibration, set_track
from app.controllers.export import reps_csv
from app.session_report import _rep_rows

#: rep 2's lockout stays 15 cm up before rep 3 goes down again: read as one rep
LOW_LOCKOUT = LiftScript(reps=(RepSpec(1.0, 0.3, 0.6, 0.6, 0.5),
                               RepSpec(1.0, 0.3, 0.5, 0.3, 0.15),
                               RepSpec(0.6, 0.3, 0.7, 0.6, 0.5)),
                         lift="squat", setup=0.8, end_idle=0.6)


@pytest.fixture(scope="module")
def low_lockout(tmp_path_factory):
    path = tmp_path_factory.mktemp("low_lockout") / "squat.mp4"
    return path, make_lift_clip(path, LOW_LOCKOUT, size=(480, 270), px_per_m=220.0, noise=1.0)


def _tracked(make_window, clip, qtbot):
    path, truth = clip
    win = make_window(path, size=(1400, 850))
    ws = win.workspace
    ws.sessions.update_fields(exercise="back squat")
    n = len(truth.times)
    set_calibration(win.model, ws.drawing.undo_stack, win.model.current,
                    Calibration(truth.m_per_px, "true scale", truth.plate_diameter_px))
    set_track(win.model, ws.drawing.undo_stack, win.model.current,
              Track(truth.times.copy(), truth.x.copy(), truth.y.copy(), np.ones(n),
                    np.ones(n, np.uint8)), "Track the bar")
    _settled(ws, qtbot, lambda r: len(r.reps) == 2)  # reps 2 and 3 read as one
    return win, ws, truth


def _settled(ws, qtbot, check) -> None:
    qtbot.waitUntil(lambda: ws.analysis.result is not None and check(ws.analysis.result),
                    timeout=30000)


def _show(win, qtbot, t: float) -> float:
    frame = win.player.index.frame_at_time(t)
    win.player.seek(frame)
    qtbot.waitUntil(lambda: win.player.shown is not None and win.player.shown.index == frame,
                    timeout=10000)
    return float(win.player.shown.time)


def _menu_for(ws, row: int) -> QMenu:
    table = ws.panel.table
    table.customContextMenuRequested.emit(table.visualItemRect(table.item(row, 0)).center())
    return next(m for m in ws.panel.findChildren(QMenu) if m.isVisible())


def _item(menu: QMenu, start: str):
    return next(x for x in menu.actions() if x.text().startswith(start))


def test_a_rep_is_split_and_merged_from_the_rep_table_and_undone_by_name(
        make_window, low_lockout, qtbot):
    win, ws, truth = _tracked(make_window, low_lockout, qtbot)
    undo = ws.drawing.undo_stack
    # the coach steps to the low lockout between the two reps read as one
    t = _show(win, qtbot, truth.reps[1].top_pause[0] + 0.1)
    menu = _menu_for(ws, 1)
    split = _item(menu, "Split rep 2 here")
    assert split.isEnabled() and split.text().endswith("\tCtrl+B")
    assert _item(menu, "Merge rep 2 with rep 3").isEnabled() is False  # the last rep
    split.trigger()
    menu.close()
    _settled(ws, qtbot, lambda r: len(r.reps) == 3)
    reps = ws.analysis.result.reps
    assert [r.edited for r in reps] == ["", "split", "split"]
    for rep, tr in zip(reps, truth.reps, strict=True):
        assert rep.phases["concentric"] == pytest.approx(tr.concentric, abs=0.04)
        assert rep.metrics.mean_concentric_velocity == pytest.approx(
            tr.mean_concentric_velocity, rel=0.03)
    assert undo.undoText() == f"Split rep 2 at {t:.2f} s"
    assert "split at" in win.statusBar().currentMessage()
    # every view follows: three rows, the halves marked, three spans on the timeline
    qtbot.waitUntil(lambda: ws.panel.table.rowCount() == 3, timeout=10000)
    assert "✎" in ws.panel.table.item(1, 0).text()
    assert "split by hand" in ws.panel.table.item(2, 0).toolTip()
    assert ws.panel.data is not None and len(ws.panel.data.reps) == 3
    # the CSV, the report's rep table and the overlay burnt into an export count three
    r = ws.analysis.result
    rows = reps_csv(r).splitlines()
    assert [row.split(",")[0] for row in rows[1:4]] == ["1", "2", "3"]
    assert rows[4] == "" and rows[5] == "set_rep_count,3"
    assert [row[0] for row in _rep_rows(r)[1]] == ["1", "2", "3"]
    assert _rep_rows(r)[1][2][-1].endswith("(split by hand)")
    hud = hud_lines(r)(r.reps[2].end + 0.5)
    assert any(line.startswith("Rep 3") for line in hud), hud
    undo.undo()
    _settled(ws, qtbot, lambda r: len(r.reps) == 2)
    undo.redo()
    _settled(ws, qtbot, lambda r: len(r.reps) == 3)

    # the two halves merged back: one rep from rep 2's descent to rep 3's lockout
    menu = _menu_for(ws, 1)
    _item(menu, "Merge rep 2 with rep 3").trigger()
    menu.close()
    _settled(ws, qtbot, lambda r: len(r.reps) == 2 and r.reps[1].edited == "merged")
    assert undo.undoText() == "Merge rep 2 with rep 3"
    rep = ws.analysis.result.reps[1]
    assert rep.phases["concentric"] == pytest.approx(
        (truth.reps[1].concentric[0], truth.reps[2].concentric[1]), abs=0.04)
    # Shift+Backspace on it puts back the reps the analysis found (no split, no merge)
    ws.actions["boundary_reset"].trigger()
    _settled(ws, qtbot, lambda r: len(r.reps) == 2 and not r.reps[1].edited)
    assert not ws.recording.rep_overrides.edits
    assert undo.undoText() == "Put back the detected reps at rep 2"
    undo.undo()
    _settled(ws, qtbot, lambda r: r.reps[1].edited == "merged")


def test_the_split_action_refuses_a_half_without_a_concentric_and_is_saved(
        make_window, low_lockout, qtbot):
    win, ws, truth = _tracked(make_window, low_lockout, qtbot)
    undo = ws.drawing.undo_stack
    a = ws.analysis
    count = undo.count()
    e0, e1 = a.result.reps[0].phases["eccentric"]
    _show(win, qtbot, (e0 + e1) / 2)  # halfway down rep 1
    assert ws.actions["rep_split"].shortcut().toString() == "Ctrl+B"
    ws.actions["rep_split"].trigger()
    said = win.statusBar().currentMessage()
    assert "Rep 1 cannot be split" in said and "no concentric" in said
    assert "Nothing was changed" in said
    assert undo.count() == count and not ws.recording.rep_overrides
    # at the low lockout, from the menu's action, the split is made and saved
    _show(win, qtbot, truth.reps[1].top_pause[0] + 0.1)
    ws.actions["rep_split"].trigger()
    _settled(ws, qtbot, lambda r: len(r.reps) == 3)
    session = ws.sessions.session.id
    ws.sessions.flush()
    qtbot.waitUntil(lambda: ws.sessions.state == "saved", timeout=10000)
    assert win.close()
    again = make_window()
    again.workspace.start(None, demo_when_empty=False)
    qtbot.waitUntil(lambda: again.video_path == str(low_lockout[0]), timeout=15000)
    ws2 = again.workspace
    assert ws2.sessions.session.id == session
    _settled(ws2, qtbot, lambda r: len(r.reps) == 3)
    assert [r.edited for r in ws2.analysis.result.reps] == ["", "split", "split"]
