"""Comparison driven by the analysis: sync on rep events, tempo-normalised, A-vs-B table."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec

SLOW = LiftScript(reps=(RepSpec(2.0, 0.8, 1.1, 0.6, 0.5), RepSpec(2.0, 0.8, 1.2, 0.6, 0.5)),
                  setup=1.4, end_idle=0.6)


@pytest.fixture(scope="module")
def clips(tmp_path_factory, two_squats):
    d = tmp_path_factory.mktemp("cmp")
    b = make_lift_clip(d / "slow.mp4", SLOW, size=(480, 270), px_per_m=220.0, noise=1.0, seed=3)
    return two_squats, (d / "slow.mp4", b)


def _track(qtbot, win, path, truth):
    win.open_path(str(path))
    qtbot.waitUntil(lambda: win.video_path == str(path) and win.canvas.frame is not None,
                    timeout=10000)
    ws = win.workspace
    ws.actions["track"].trigger()
    p = win.canvas.image_to_widget(QPointF(truth.x[0], truth.y[0]))
    QTest.mouseClick(win.canvas, Qt.LeftButton, Qt.NoModifier, QPoint(round(p.x()), round(p.y())))
    qtbot.waitUntil(lambda: ws.analysis.job is None and ws.analysis.result is not None,
                    timeout=60000)
    assert len(ws.analysis.result.reps) == 2


def test_sync_on_rep_events_and_normalise(qtbot, clips, make_window):
    win = make_window(size=(1400, 850))
    (pa, ta), (pb, tb) = clips
    _track(qtbot, win, pb, tb)
    _track(qtbot, win, pa, ta)
    win.opener.open(str(pb), "compare")
    ca = win.workspace.compare_analysis
    qtbot.waitUntil(lambda: all(r is not None for r in ca.results), timeout=20000)
    c = win.compare.controller
    view = win.compare.view
    assert all(pt is not None for pt in view.side_painters)  # each side's own bar path
    win.workspace.actions["sync_concentric"].trigger()
    assert c.tau == pytest.approx(0.0, abs=1 / 30)  # the frame shown at the common event
    ta_c, tb_c = c.clip_times()
    assert ta_c == pytest.approx(ta.reps[0].concentric[0], abs=0.07)
    assert tb_c == pytest.approx(tb.reps[0].concentric[0], abs=0.07)
    rows = {r[0]: r for r in (ca._rows())}
    assert "Mean velocity (px/s)" in rows and rows["Tempo"][1] != rows["Tempo"][2]
    # the table names the rep it compares on each side, and follows the playhead
    table = win.workspace.compare_panel.table

    def heads():
        return [table.horizontalHeaderItem(i).text() for i in (1, 2)]

    assert heads() == ["A · rep 1", "B · rep 1"]
    here = c.position
    c.seek(len(c.marks) - 1)  # the end: both sides in their last rep
    qtbot.waitUntil(lambda: heads() == ["A · rep 2", "B · rep 2"], timeout=5000)
    assert {r[0]: r for r in ca._rows()}["Tempo"] != rows["Tempo"]
    c.seek(here)
    qtbot.waitUntil(lambda: heads() == ["A · rep 1", "B · rep 1"], timeout=5000)
    # pixels whole, as in the rep table ("90.25 px/s" here against "90" there)
    assert all("." not in rows[k][i] for k in ("Mean velocity (px/s)", "ROM (px)")
               for i in (1, 2, 3)), rows
    assert win.workspace.compare_panel.table.rowCount() == len(rows)
    # one side in metres, the other in pixels: no difference of metres and pixels ("ROM
    # 42.2 | 28890.8 | +28848.6" before), and B's curves are left out with a note why
    import dataclasses

    px_result = ca.results[0]
    ca.results[0] = dataclasses.replace(px_result, units="m")
    rows = {r[0]: r for r in ca._rows()}
    assert rows["ROM"][3] == "calibrate both" and rows["ROM"][1].endswith(" cm")
    assert rows["ROM"][2].endswith(" px") and rows["Mean velocity"][2].endswith(" px/s")
    assert rows["Concentric (s)"][3].startswith(("+", "-"))  # times still compare
    ca._update_view()
    panel = win.workspace.compare_panel
    assert "not calibrated" in panel.note.text() and "Side B" in panel.note.text()
    b_x, a_x = panel.curves[1].getData()[0], panel.curves[0].getData()[0]
    assert (b_x is None or len(b_x) == 0) and len(a_x) > 0
    ca.results[0] = px_result
    ca._update_view()
    assert panel.note.text() == ""
    # tempo-normalised: at A's lowest point, B shows its lowest point too
    win.workspace.actions["normalised"].trigger()
    assert c.normalised
    # it says what it did: at the rep's start both sides look as before (nothing moved)
    said = win.statusBar().currentMessage()
    assert said.startswith("Tempo-normalised on rep 1 ") and "Shift+Y" in said, said
    bottom_a = ta.reps[0].bottom_pause[0]
    tau = bottom_a - ca.results[0].reps[0].start
    c.seek(c.position_at_time(tau))
    _, tb_now = c.clip_times()
    assert tb_now == pytest.approx(tb.reps[0].bottom_pause[0], abs=0.12)
    # ghost aligned on the bar: B's bar lands on A's bar in A's picture
    win.workspace.actions["ghost_align"].trigger()
    view = win.compare.view
    assert view.overlay
    na, nb = c.frames_now()
    ra, rb = ca.results
    bx = rb.x_px[nb] + view.ghost_offset.x()  # same size clips: scale 1, no letterbox
    by = rb.y_px[nb] + view.ghost_offset.y()
    assert (bx, by) == pytest.approx((ra.x_px[na], ra.y_px[na]), abs=0.01)
    # swapping sides: painters and analysis follow
    before = list(ca._paths)
    win.actions_by_id["compare_swap"].trigger()
    assert ca._paths == before[::-1] and all(pt is not None for pt in view.side_painters)
    qtbot.waitUntil(lambda: ca.results[0] is not None and ca.results[0].kinematics.t[-1]
                    == pytest.approx(tb.times[-1], abs=0.05), timeout=20000)
    win.close()
