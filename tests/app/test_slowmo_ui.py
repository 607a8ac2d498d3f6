"""Slow motion in the app: the status bar says it, the capture-rate setting is saved in
the recording (undoable), and the analysis, timeline and panel use real time."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from analysis.synth.motion import LiftScript, RepSpec
from analysis.synth.slowmo import make_slowmo_clip

SCRIPT = LiftScript(reps=(RepSpec(0.9, 0.3, 0.6, 0.4, 0.5),), setup=0.3, end_idle=0.3)


@pytest.fixture(scope="module")
def slow_clip(tmp_path_factory):
    path = tmp_path_factory.mktemp("slowmo_ui") / "slowmo.mp4"
    return path, make_slowmo_clip(path, SCRIPT, encoding="float", noise=1.0)


def _at(win, x, y) -> QPoint:
    p = win.canvas.image_to_widget(QPointF(x, y))
    return QPoint(round(p.x()), round(p.y()))


def test_slow_motion_in_the_app(qtbot, make_window, slow_clip, monkeypatch):
    path, truth = slow_clip
    win = make_window(path, size=(1300, 800))
    ws = win.workspace
    a = ws.analysis
    assert "120 fps capture, played 4x slow" in win.status_video.text()
    ws.actions["track"].trigger()
    QTest.mouseClick(win.canvas, Qt.LeftButton, Qt.NoModifier, _at(win, truth.x[0], truth.y[0]))
    qtbot.waitUntil(lambda: a.job is None and a.result is not None, timeout=60000)
    r = a.result
    assert r.calibration["time"]["time_scale"] == pytest.approx(0.25, rel=1e-3)
    assert r.kinematics.t[-1] == pytest.approx(truth.times[-1], abs=1e-3)  # real seconds
    want_px = truth.reps[0].mean_concentric_velocity / truth.m_per_px
    assert r.reps[0].metrics.mean_concentric_velocity == pytest.approx(want_px, rel=0.05)
    # the rep's timeline mark sits on the file's frames
    rep = r.reps[0]
    mark = next(m for m in win.timeline.marks if m.label == "rep 1")
    assert mark.start == pytest.approx(rep.start * 120, abs=2)
    # the user says 240: saved in the recording, every number follows, undo restores
    import app.dialogs

    monkeypatch.setattr(app.dialogs, "ask_capture_rate", lambda parent, current: 240.0)
    win.actions_by_id["capture_rate"].trigger()
    assert ws.recording.capture_fps == 240.0
    assert ws.recording.to_dict()["video"]["capture_fps"] == 240.0  # saved in the session
    assert "240 fps capture, played 8x slow (set by you)" in win.status_video.text()
    qtbot.waitUntil(lambda: a.result is not None and
                    a.result.calibration["time"]["time_scale"] == pytest.approx(0.125), timeout=10000)
    assert a.result.reps[0].metrics.mean_concentric_velocity == pytest.approx(2 * want_px,
                                                                              rel=0.05)
    ws.drawing.undo_stack.undo()
    assert ws.recording.capture_fps == 0.0
    qtbot.waitUntil(lambda: a.result is not None and
                    a.result.calibration["time"]["time_scale"] == pytest.approx(0.25), timeout=10000)
    assert "120 fps capture, played 4x slow" in win.status_video.text()
    assert np.isfinite(a.result.kinematics.vy).any()


def test_stopwatch_counts_real_time_on_slow_motion(qtbot, make_window, slow_clip, monkeypatch):
    """A stopwatch on a 4x slow-motion clip read 4.00 s after one real second: it counted
    file time while every other number is real time. On screen and burned into an export
    it now reads the real time."""
    from analysis.export.render import ExportFrame
    from widgets.burn_in import make_burn_in

    path, truth = slow_clip
    win = make_window(path, size=(1300, 800))
    ws = win.workspace
    texts: list[str] = []
    monkeypatch.setattr("widgets.overlay_painter._label",
                        lambda p, at, text, *a, **k: texts.append(text))
    ws.drawing.set_tool("stopwatch")
    QTest.mouseClick(win.canvas, Qt.LeftButton, Qt.NoModifier, _at(win, 40, 30))
    assert [x.type for x in ws.drawing.annotations] == ["stopwatch"]
    win.player.seek(120)  # 120 frames filmed at 120 fps: one real second (4 s of file)
    qtbot.waitUntil(lambda: win.player.shown is not None and win.player.shown.index == 120)
    assert win.player.shown.time == pytest.approx(4.0, abs=1e-3)
    texts.clear()
    win.canvas.repaint()
    assert "◔ 1.00 s" in texts
    frame = win.player.shown
    texts.clear()
    ef = ExportFrame(frame.index, frame.time, frame.image.copy(), frame.time, 1.0, 1.0)
    make_burn_in(ws.exports.burn_in_spec())(ef, 0)  # what the export and snapshot draw
    assert "◔ 1.00 s" in texts


def test_speed_box_shows_real_time_speed(qtbot, make_window, slow_clip):
    """Ctrl+R played the 4x clip at 4x while the speed box said 2x (its top item)."""
    from app.player import SPEEDS

    path, _ = slow_clip
    win = make_window(path, size=(1300, 800))
    box = win.transport.speed_box
    win.actions_by_id["real_time"].trigger()
    win.player.pause()
    assert win.player.speed == pytest.approx(4.0)
    assert box.currentText() == "4× (real time)"
    win.actions_by_id["slower"].trigger()  # [ from real time: the list's next speed down
    assert win.player.speed == 2.0 and box.currentText() == "2×"
    assert box.count() == len(SPEEDS)  # the real-time item is gone with it
    win.actions_by_id["real_time"].trigger()
    win.player.pause()
    box.setCurrentIndex(SPEEDS.index(1.0))  # choosing 1x in the box
    assert win.player.speed == 1.0 and box.currentText() == "1×"
    win.transport.set_speed(3.0)  # any speed off the list is shown as it is
    assert box.currentText() == "3×"


def test_clock_timeline_and_moments_read_real_time(qtbot, make_window, slow_clip, monkeypatch):
    """The transport clock and status bar read the file's clock (00:04.000 one real second
    in) while the plots' playhead read 1.0 s: they now read real time, marked "real"."""
    from analysis.annotations.moments import KeyMoment

    path, truth = slow_clip
    win = make_window(path, size=(1300, 800))
    ws = win.workspace
    idx = win.player.index
    win.player.seek(120)  # one real second in, 4 s of file
    qtbot.waitUntil(lambda: win.player.shown is not None and win.player.shown.index == 120)
    assert win.transport.time_label.text().startswith("00:01.000 real   frame 121 /")
    assert "00:04.000" in win.transport.time_label.toolTip()
    assert "00:01.000 real time (file 00:04.000)" in win.status_frame.text()
    assert ws.panel.playheads
    assert all(p.value() == pytest.approx(1.0) for p in ws.panel.playheads)  # plots agree
    # the timeline's ruler spans the real duration; a click still finds the same frames
    assert win.timeline._times[-1] == pytest.approx(float(idx.times[-1]) / 4, rel=1e-6)
    assert win.timeline.frame_at_x(win.timeline._x(120)) == 120
    ws.recording.key_moments.append(KeyMoment(float(idx.times[120]), "bar leaves the chest"))
    ws.key_moments.refresh()
    assert ws.moments.list.item(0).text() == "00:01.000  bar leaves the chest"
    # the user says 240 fps: every clock follows at once
    import app.dialogs

    monkeypatch.setattr(app.dialogs, "ask_capture_rate", lambda parent, current: 240.0)
    win.actions_by_id["capture_rate"].trigger()
    assert win.transport.time_label.text().startswith("00:00.500 real")
    assert ws.moments.list.item(0).text() == "00:00.500  bar leaves the chest"
    assert win.timeline._times[-1] == pytest.approx(float(idx.times[-1]) / 8, rel=1e-6)


def test_drawings_fade_in_real_time_on_slow_motion(qtbot, make_window, slow_clip, monkeypatch,
                                                   tmp_path):
    """A drawing's hold (1.0 s) and fade-out (0.5 s) ran in clip seconds: on a 4x slow
    clip it was gone 1.5 s of file (0.375 real s) after its frame. They are real seconds
    now, on the canvas, in an export, in its right-click menu and in a Kinovea file."""
    import xml.etree.ElementTree as ET

    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication, QMenu

    from analysis.annotations.kva import import_kva
    from analysis.export.render import ExportFrame
    from widgets.burn_in import make_burn_in

    path, _ = slow_clip
    win = make_window(path, size=(1300, 800))
    ws = win.workspace
    d = ws.drawing
    d.set_tool("line")
    a, b = _at(win, 40, 200), _at(win, 440, 200)
    QTest.mousePress(win.canvas, Qt.LeftButton, Qt.NoModifier, a)
    QTest.mouseMove(win.canvas, QPoint((a.x() + b.x()) // 2, a.y()))
    QTest.mouseRelease(win.canvas, Qt.LeftButton, Qt.NoModifier, b)
    (line,) = ws.drawing.annotations
    assert (line.visibility.hold, line.visibility.fade_out) == (1.0, 0.5)
    d.set_tool("select")
    d.selected = None  # the selected drawing never vanishes: look at it unselected

    def burned(n: int) -> float:
        """How strongly the export draws the line on frame ``n`` (mean change on its row)."""
        win.player.seek(n)
        qtbot.waitUntil(lambda: win.player.shown is not None and win.player.shown.index == n)
        f = win.player.shown
        ef = ExportFrame(f.index, f.time, f.image.copy(), f.time, 1.0, 1.0)
        out = make_burn_in(ws.exports.burn_in_spec())(ef, 0)
        diff = np.abs(out.astype(int) - f.image.astype(int))[198:203, 60:420]
        return float(diff.max(axis=2).mean())

    full = burned(0)
    assert full > 20
    # 120 frames filmed at 120 fps: one real second (4 s of file), still held
    assert burned(120) == pytest.approx(full, rel=0.15)
    assert burned(150) == pytest.approx(full / 2, rel=0.35)  # 1.25 s: half faded out
    assert burned(185) < 0.05 * full  # 1.54 s: gone
    # the canvas hides it as the export does: no hit once it has faded out
    win.player.seek(120)
    qtbot.waitUntil(lambda: win.player.shown.index == 120)
    assert d.hit((240.0, 200.0))[0] is not None
    win.player.seek(185)
    qtbot.waitUntil(lambda: win.player.shown.index == 185)
    assert d.hit((240.0, 200.0))[0] is None
    # its menu says how long it shows, in real time
    shown: list[list[str]] = []

    class ShownMenu(QMenu):
        def exec(self, *_args):  # noqa: A003 - records instead of waiting for a click
            shown.append([act.text() for m in [self, *(x.menu() for x in self.actions()
                                                      if x.menu())] for act in m.actions()])

    monkeypatch.setattr("app.controllers.drawing.QMenu", ShownMenu)
    win.player.seek(0)
    qtbot.waitUntil(lambda: win.player.shown.index == 0)
    w = _at(win, 240, 200)
    QApplication.sendEvent(win.canvas, QContextMenuEvent(QContextMenuEvent.Mouse, w,
                                                         win.canvas.mapToGlobal(w)))
    assert "Around its time (holds 1.0 s, fades out 0.5 s, real time)" in shown[-1]
    # Kinovea counts fades in frames of the video: 0.5 real s = 2 s of file = 60 frames
    kva = tmp_path / "slow.kva"
    monkeypatch.setattr("app.dialogs.ask_save_path", lambda *a, **k: str(kva))
    win.actions_by_id["export_kva"].trigger()
    assert ET.parse(kva).getroot().find(".//Line/InfosFading/Frames").text == "60"
    back = import_kva(kva, fps=30.0, time_factor=0.25)
    assert back.annotations[0].visibility.fade_out == pytest.approx(0.5)
