"""Moving a rep's boundary by hand in the real window: step to the frame, press 1-4 (or the
Analysis menu, or the rep table's right-click menu). The rep's phases and numbers follow
at once, undo and redo restore them, a move that puts the phases out of order is refused
in the status bar with nothing changed, and the correction is saved with the session.
Before, the only correction was a rep's status: a lockout timed differently could not be
set, and the rep's tempo and velocity stayed as detected."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu

from analysis.session import Calibration, Track
from app.controllers.analysis import set_calibration, set_track


def _tracked(make_window, two_squats, qtbot):
    """The two-squat clip with its true bar path as the track and its true scale."""
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
    return win, ws, truth


def _show(win, qtbot, frame: int) -> float:
    win.player.seek(frame)
    qtbot.waitUntil(lambda: win.player.shown is not None and win.player.shown.index == frame,
                    timeout=10000)
    return float(win.player.shown.time)


def _focus(win, qtbot) -> None:
    """The window active and the video focused: where a key goes when the coach steps."""
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)
    win.canvas.setFocus()


def _height(truth, t: float) -> float:
    """The true bar height (m, up) at ``t`` (s), from the true track."""
    return float(-np.interp(t, truth.times, truth.y) * truth.m_per_px)


def _settled(ws, qtbot, check) -> None:
    qtbot.waitUntil(lambda: ws.analysis.result is not None and check(ws.analysis.result),
                    timeout=20000)


def test_moving_a_lockout_by_key_follows_the_physics_and_undoes(make_window, two_squats,
                                                                 qtbot):
    win, ws, truth = _tracked(make_window, two_squats, qtbot)
    a = ws.analysis
    before = a.result.reps[0]
    c0, c1 = before.phases["concentric"]
    mcv0 = before.metrics.mean_concentric_velocity
    rep2 = a.result.reps[1].phases
    assert c1 == pytest.approx(truth.reps[0].concentric[1], abs=0.02)
    # the coach times the lockout 5 frames later, in the top pause, and presses 4
    t = _show(win, qtbot, win.player.index.frame_at_time(c1) + 5)
    _focus(win, qtbot)
    QTest.keyClick(win.canvas, Qt.Key_4)
    _settled(ws, qtbot, lambda r: r.reps[0].moved == ("concentric_end",))
    rep = a.result.reps[0]
    assert rep.phases["concentric"] == pytest.approx((c0, t))
    assert rep.phases["top_pause"][0] == pytest.approx(t)  # the pause follows
    # MCV = ROM / concentric time between the new ends, on the true track
    rom = _height(truth, t) - _height(truth, c0)
    assert rom == pytest.approx(truth.reps[0].rom, abs=0.002)
    want = rom / (t - c0)
    assert rep.metrics.mean_concentric_velocity == pytest.approx(want, rel=0.01)
    assert want < mcv0 - 0.05  # a real change, not noise
    assert rep.tempo[2] == pytest.approx(t - c0)
    assert a.result.reps[1].phases == rep2  # the other rep untouched
    # the panel shows it: the rep marked ✎, its MCV the new one
    cell = ws.panel.table.item(0, 0)
    assert "✎" in cell.text() and "lockout" in cell.toolTip()
    assert ws.panel.table.item(0, 2).text().split("\n")[0] == f"{want:.2f}"
    assert ws.drawing.undo_stack.undoText() == f"Move rep 1's lockout to {t:.2f} s"
    assert "Undo Move rep 1's lockout" in ws.actions["undo"].text()
    assert "moved" in win.statusBar().currentMessage()
    # Ctrl+Z says what it undid, in place of the move's message (which read on, stale)
    ws.actions["undo"].trigger()
    assert win.statusBar().currentMessage() == f"Undone: Move rep 1's lockout to {t:.2f} s."
    _settled(ws, qtbot, lambda r: not r.reps[0].moved)
    assert a.result.reps[0].phases["concentric"] == pytest.approx((c0, c1))
    assert a.result.reps[0].metrics.mean_concentric_velocity == pytest.approx(mcv0)
    assert not ws.recording.rep_overrides
    ws.actions["redo"].trigger()
    assert win.statusBar().currentMessage().startswith("Redone: Move rep 1's lockout")
    _settled(ws, qtbot, lambda r: r.reps[0].moved == ("concentric_end",))
    assert a.result.reps[0].metrics.mean_concentric_velocity == pytest.approx(want, rel=0.01)


def test_a_boundary_out_of_order_is_refused_and_nothing_changes(make_window, two_squats,
                                                                 qtbot, monkeypatch):
    win, ws, _truth = _tracked(make_window, two_squats, qtbot)
    a = ws.analysis
    e0, e1 = a.result.reps[0].phases["eccentric"]
    count = ws.drawing.undo_stack.count()
    # in the middle of rep 1's descent, "lockout here" would put it before the concentric
    t = _show(win, qtbot, win.player.index.frame_at_time((e0 + e1) / 2))
    ws.actions["boundary_concentric_end"].trigger()
    said = win.statusBar().currentMessage()
    assert said.startswith(f"Rep 1's lockout cannot be at {t:.2f} s: it would come before "
                           "its concentric start"), said
    assert said.endswith("Nothing was changed.")
    assert ws.drawing.undo_stack.count() == count
    assert not ws.recording.rep_overrides
    # into the next rep: rep 1's lockout cannot pass rep 2's eccentric start
    late = win.player.index.frame_at_time(a.result.reps[1].phases["eccentric"][0]) + 3
    _show(win, qtbot, late)
    ws.rep_boundaries.set_boundary("concentric_end", 1)
    said = win.statusBar().currentMessage()
    assert "would run into rep 2" in said and said.endswith("Nothing was changed."), said
    assert ws.drawing.undo_stack.count() == count
    # while the bar is tracked again the reps shown are about to be replaced: wait
    _show(win, qtbot, win.player.index.frame_at_time(a.result.reps[0].phases["concentric"][1]))
    with monkeypatch.context() as mp:
        mp.setattr(a, "job", SimpleNamespace(running=True))
        ws.actions["boundary_concentric_end"].trigger()
    assert win.statusBar().currentMessage().startswith("Wait for the tracking to finish")
    assert ws.drawing.undo_stack.count() == count


def test_right_click_on_a_rep_sets_its_boundary_and_reset_puts_it_back(make_window,
                                                                      two_squats, qtbot):
    win, ws, _truth = _tracked(make_window, two_squats, qtbot)
    a = ws.analysis
    rep2 = a.result.reps[1]
    e0 = rep2.phases["eccentric"][0]
    # the descent read a frame late: the coach shows the frame before, right-clicks rep 2
    t = _show(win, qtbot, win.player.index.frame_at_time(e0) - 2)
    table = ws.panel.table
    table.customContextMenuRequested.emit(table.visualItemRect(table.item(1, 0)).center())
    menus = [m for m in ws.panel.findChildren(QMenu) if m.isVisible()]
    assert len(menus) == 1
    texts = [x.text() for x in menus[0].actions()]
    assert texts[0] == f"Rep 2: set at the playhead ({t:.2f} s)"
    assert texts[1].startswith("Eccentric start, now") and texts[1].endswith("\t1")
    assert texts[4].startswith("Concentric end (lockout)") and texts[4].endswith("\t4")
    next(x for x in menus[0].actions() if x.text().startswith("Eccentric start")).trigger()
    menus[0].close()
    _settled(ws, qtbot, lambda r: r.reps[1].moved == ("eccentric_start",))
    assert a.result.reps[1].phases["eccentric"][0] == pytest.approx(t)
    # the concentric is as detected: its numbers do not move
    assert a.result.reps[1].metrics.mean_concentric_velocity == pytest.approx(
        rep2.metrics.mean_concentric_velocity)
    a.set_rep_status("partial", 2)
    _settled(ws, qtbot, lambda r: r.reps[1].status == "partial")
    ws.actions["boundary_reset"].trigger()  # the playhead is nearest rep 2
    _settled(ws, qtbot, lambda r: not r.reps[1].moved)
    assert a.result.reps[1].phases["eccentric"][0] == pytest.approx(e0)
    assert a.result.reps[1].status == "partial"  # its status stays
    assert ws.drawing.undo_stack.undoText() == "Reset rep 2's boundaries"


def test_a_moved_boundary_is_saved_and_reopens_after_a_restart(make_window, two_squats, qtbot):
    win, ws, _truth = _tracked(make_window, two_squats, qtbot)
    a = ws.analysis
    c0 = a.result.reps[1].phases["concentric"][0]
    t = _show(win, qtbot, win.player.index.frame_at_time(c0) + 3)  # the drive began later
    ws.actions["boundary_concentric_start"].trigger()
    _settled(ws, qtbot, lambda r: r.reps[1].moved == ("concentric_start",))
    mcv = a.result.reps[1].metrics.mean_concentric_velocity
    session = ws.sessions.session.id
    ws.sessions.flush()
    qtbot.waitUntil(lambda: ws.sessions.state == "saved", timeout=10000)
    assert win.close()
    again = make_window()
    again.workspace.start(None, demo_when_empty=False)
    qtbot.waitUntil(lambda: again.video_path == str(two_squats[0]), timeout=15000)
    ws2 = again.workspace
    assert ws2.sessions.session.id == session
    _settled(ws2, qtbot, lambda r: len(r.reps) == 2)
    rep = ws2.analysis.result.reps[1]
    assert rep.moved == ("concentric_start",)
    assert rep.phases["concentric"][0] == pytest.approx(t)
    assert rep.metrics.mean_concentric_velocity == pytest.approx(mcv)


def test_dragging_the_lockout_line_on_the_height_plot_moves_the_video_and_the_lockout(
        make_window, two_squats, qtbot):
    win, ws, _truth = _tracked(make_window, two_squats, qtbot)
    a = ws.analysis
    c0, c1 = a.result.reps[0].phases["concentric"]
    _show(win, qtbot, win.player.index.frame_at_time((c0 + c1) / 2))  # in rep 1
    plot = ws.panel.height_plot
    line = ws.panel.boundary_lines.lines["concentric_end"]
    assert line.isVisible() and line.value() == pytest.approx(c1)
    vb = plot.getPlotItem().vb
    target = win.player.index.times[win.player.index.frame_at_time(c1) + 5]
    y = float(np.mean(vb.viewRange()[1]))

    def at(t: float) -> QPoint:
        p = plot.mapFromScene(vb.mapViewToScene(QPointF(t, y)))
        return QPoint(p.x(), p.y())

    # the pointer comes over the line (it lights up and takes the drag), then drags it
    # past the scene's drag distance and back to the frame wanted
    QTest.mouseMove(plot.viewport(), at(c1 - 0.2))
    qtbot.wait(60)  # the scene sends hover events at most 50 times a second
    QTest.mouseMove(plot.viewport(), at(c1))
    qtbot.wait(60)
    QTest.mousePress(plot.viewport(), Qt.LeftButton, Qt.NoModifier, at(c1))
    for t in [*np.linspace(c1, target + 0.3, 8).tolist(), target + 0.15, target]:
        QTest.mouseMove(plot.viewport(), at(t))
        qtbot.wait(20)
    QTest.mouseRelease(plot.viewport(), Qt.LeftButton, Qt.NoModifier, at(target))
    _settled(ws, qtbot, lambda r: r.reps[0].moved == ("concentric_end",))
    frame = win.player.position  # the video followed the line to the frame let go on
    assert abs(frame - (win.player.index.frame_at_time(c1) + 5)) <= 1
    assert a.result.reps[0].phases["concentric"][1] == pytest.approx(
        float(win.player.index.times[frame]))
    qtbot.waitUntil(lambda: line.value() == pytest.approx(
        a.result.reps[0].phases["concentric"][1]), timeout=5000)
    # the playhead now sits on the lockout's line: a drag there scrubs, it moves no line
    moved = a.result.reps[0].phases["concentric"][1]
    later = float(win.player.index.times[frame + 10])
    QTest.mouseMove(plot.viewport(), at(moved - 0.2))
    qtbot.wait(60)
    QTest.mouseMove(plot.viewport(), at(moved))
    qtbot.wait(60)
    QTest.mousePress(plot.viewport(), Qt.LeftButton, Qt.NoModifier, at(moved))
    for t in np.linspace(moved, later, 6).tolist():
        QTest.mouseMove(plot.viewport(), at(t))
        qtbot.wait(20)
    QTest.mouseRelease(plot.viewport(), Qt.LeftButton, Qt.NoModifier, at(later))
    qtbot.waitUntil(lambda: abs(win.player.position - (frame + 10)) <= 1, timeout=5000)
    assert line.value() == pytest.approx(moved)
    assert a.result.reps[0].phases["concentric"][1] == pytest.approx(moved)


def test_a_deadlift_lift_off_read_late_is_moved_earlier_by_key(make_window, tmp_path, qtbot):
    """A lift that starts up: key 3 a few frames before the first pull's lift-off (in the
    set-up on the floor, before any detected pause) moves that rep's concentric start;
    the right-click menu lists the rep's boundaries in the order they happen."""
    from analysis.synth.lift_clip import make_lift_clip
    from analysis.synth.motion import LiftScript, RepSpec

    script = LiftScript(reps=(RepSpec(1.0, 0.3, 0.6, 0.6, 0.5),
                              RepSpec(1.0, 0.3, 0.7, 0.6, 0.5)),
                        lift="deadlift", setup=0.8, end_idle=0.6)
    truth = make_lift_clip(tmp_path / "deadlift.mp4", script, size=(480, 270),
                           px_per_m=220.0, noise=1.0)
    win = make_window(tmp_path / "deadlift.mp4", size=(1400, 850))
    ws = win.workspace
    ws.sessions.update_fields(exercise="deadlift")
    n = len(truth.times)
    set_calibration(win.model, ws.drawing.undo_stack, win.model.current,
                    Calibration(truth.m_per_px, "true scale", truth.plate_diameter_px))
    set_track(win.model, ws.drawing.undo_stack, win.model.current,
              Track(truth.times.copy(), truth.x.copy(), truth.y.copy(), np.ones(n),
                    np.ones(n, np.uint8)), "Track the bar")
    _settled(ws, qtbot, lambda r: len(r.reps) == 2)
    a = ws.analysis
    assert a.result.direction == "up_first"
    c0, c1 = a.result.reps[0].phases["concentric"]
    assert c0 == pytest.approx(truth.reps[0].concentric[0], abs=0.02)
    t = _show(win, qtbot, win.player.index.frame_at_time(c0) - 3)
    _focus(win, qtbot)
    QTest.keyClick(win.canvas, Qt.Key_3)
    _settled(ws, qtbot, lambda r: r.reps[0].moved == ("concentric_start",))
    rep = a.result.reps[0]
    assert rep.phases["concentric"] == pytest.approx((t, c1))
    want = (_height(truth, c1) - _height(truth, t)) / (c1 - t)
    assert rep.metrics.mean_concentric_velocity == pytest.approx(want, rel=0.01)
    assert not [w for w in a.result.warnings if "not applied" in w]
    table = ws.panel.table
    table.customContextMenuRequested.emit(table.visualItemRect(table.item(0, 0)).center())
    menu = next(m for m in ws.panel.findChildren(QMenu) if m.isVisible())
    texts = [x.text().split(",")[0] for x in menu.actions()[1:5]]
    menu.close()
    assert texts == ["Concentric start", "Concentric end (lockout)", "Eccentric start",
                     "Eccentric end (bottom reached)"]
