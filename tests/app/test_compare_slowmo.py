"""A slow-motion clip compared with a real-time one: the comparison's common time, its
table, its plots and its clocks are real time, so the same lift filmed both ways compares
as equal (the comparison ran on file time: the 4x clip's concentric read 2.4 s against
0.6 s, and its frames drifted 4x away from the other side's)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from analysis.synth.slowmo import make_slowmo_clip
from widgets.timeline import format_time

#: one squat: 0.9 s down, 0.3 s at the bottom, 0.6 s up (real seconds)
SCRIPT = LiftScript(reps=(RepSpec(0.9, 0.3, 0.6, 0.4, 0.5),), setup=0.5, end_idle=0.4)


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    d = tmp_path_factory.mktemp("cmp_slowmo")
    normal = make_lift_clip(d / "normal.mp4", SCRIPT, size=(480, 270), px_per_m=200.0,
                            noise=1.0, seed=5)
    slow = make_slowmo_clip(d / "slowmo.mp4", SCRIPT, noise=1.0)  # 120 fps played at 30
    return (d / "normal.mp4", normal), (d / "slowmo.mp4", slow)


def _track(qtbot, win, path, truth) -> None:
    win.open_path(str(path))
    qtbot.waitUntil(lambda: win.video_path == str(path) and win.canvas.frame is not None,
                    timeout=10000)
    win.canvas.fit()
    a = win.workspace.analysis
    win.workspace.actions["track"].trigger()
    p = win.canvas.image_to_widget(QPointF(truth.x[0], truth.y[0]))
    QTest.mouseClick(win.canvas, Qt.LeftButton, Qt.NoModifier, QPoint(round(p.x()), round(p.y())))
    qtbot.waitUntil(lambda: a.job is None and a.result is not None, timeout=60000)
    assert len(a.result.reps) == 1


def test_slow_motion_side_compares_in_real_time(qtbot, make_window, clips):
    (pn, tn), (ps, ts) = clips
    win = make_window(size=(1400, 850))
    _track(qtbot, win, ps, ts)
    _track(qtbot, win, pn, tn)
    win.opener.open(str(ps), "compare")  # A: the real-time clip, B: the 4x slow one
    ca = win.workspace.compare_analysis
    qtbot.waitUntil(lambda: all(r is not None for r in ca.results), timeout=20000)
    c = win.compare.controller
    win.workspace.actions["sync_concentric"].trigger()
    ta, tb = c.clip_times()
    assert ta == pytest.approx(tn.reps[0].concentric[0], abs=0.07)
    assert tb == pytest.approx(4 * ts.reps[0].concentric[0], abs=0.1)  # B's file clock
    # the table: tempo and durations are real time on both sides, so they agree
    rows = {r[0]: r for r in ca._rows()}
    for name, want in (("Eccentric (s)", 0.9), ("Concentric (s)", 0.6)):
        a_s, b_s, diff = (float(v) for v in rows[name][1:])
        assert a_s == pytest.approx(want, abs=0.1) and b_s == pytest.approx(want, abs=0.1)
        assert abs(diff) <= 0.1, rows[name]
    assert rows["Tempo"][1] == rows["Tempo"][2]
    va, vb = (float(v) for v in rows["Mean velocity (px/s)"][1:3])
    assert vb == pytest.approx(va, rel=0.1)  # same bar speed, not a quarter of it
    # one real concentric later both sides are at lockout
    c.seek(c.position_at_time(0.6))
    ta, tb = c.clip_times()
    assert ta == pytest.approx(tn.reps[0].concentric[1], abs=0.07)
    assert tb / 4 == pytest.approx(ts.reps[0].concentric[1], abs=0.03)
    # the time axis: B's velocity curve spans the real length of its clip
    panel = win.workspace.compare_panel
    xb = panel.curves[1].getData()[0]
    assert xb[-1] - xb[0] == pytest.approx(ts.times[-1], abs=0.1)
    assert "real" in panel.vel_plot.getAxis("bottom").labelText
    # the clocks read real time, marked so
    assert win.transport.time_label.text() == f"common time {c.tau:+.3f} s real"
    na, nb = c.frames_now()
    real_b = float(c.sides[1].feed.index.times[nb]) / 4
    assert f"({format_time(real_b)} real)" in win.status_frame.text()
    want = f"{format_time(real_b)} real  frame {nb + 1}"
    qtbot.waitUntil(lambda: win.compare.view.captions[1].startswith(want), timeout=5000)
    assert " real" not in win.compare.view.captions[0]
    assert [s.time_factor for s in c.sides] == pytest.approx([1.0, 0.25])
    # tempo-normalised: at A's lowest point B shows its own lowest point
    win.workspace.actions["normalised"].trigger()
    assert c.normalised
    tau = tn.reps[0].bottom_pause[0] - ca.results[0].reps[0].start
    c.seek(c.position_at_time(tau))
    _, tb = c.clip_times()
    assert tb / 4 == pytest.approx(ts.reps[0].bottom_pause[0], abs=0.06)
