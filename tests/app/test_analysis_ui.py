"""Track a generated lift in the app: seed click, background tracking, calibration,
reps in the panel and on the timeline, correction by dragging, undo. The clip is tracked
end to end in the app by a click and by Find plate; the tests about what follows tracking
(correction, status, report) start from one real tracker run shared by the module."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog

from analysis.annotations.moments import KeyMoment
from analysis.session import Track
from analysis.session.calibration import Calibration
from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from analysis.tracking.tracker import BarTracker
from analysis.video import VideoSource
from app.controllers.analysis import set_track

SCRIPT = LiftScript(reps=(RepSpec(1.0, 0.4, 0.6, 0.6, 0.5), RepSpec(1.0, 0.4, 0.7, 0.6, 0.5),
                          RepSpec(1.0, 0.4, 0.85, 0.6, 0.5)), setup=0.8, end_idle=0.8)


@pytest.fixture(scope="module")
def lift_clip(tmp_path_factory):
    path = tmp_path_factory.mktemp("lift") / "squat.mp4"
    truth = make_lift_clip(path, SCRIPT, size=(640, 360), px_per_m=300.0, noise=1.5)
    return path, truth


@pytest.fixture(scope="module")
def tracked(lift_clip) -> Track:
    """The clip tracked once by the real tracker from the plate centre in frame 0, with the
    app's defaults (what Track bar and a click run in the background)."""
    path, truth = lift_clip
    with VideoSource(str(path)) as src:
        return BarTracker().track(src, 0, (float(truth.x[0]), float(truth.y[0])))


def _use_track(qtbot, win, track: Track) -> None:
    """Store a copy of ``track`` as the recording's track (the "do" of Track bar) and wait
    for the analysis."""
    ws = win.workspace
    set_track(win.model, ws.drawing.undo_stack, ws.recording, track.copy(), "Track the bar")
    qtbot.waitUntil(lambda: ws.analysis.job is None and ws.analysis.result is not None,
                    timeout=60000)


@pytest.fixture
def win(make_window, lift_clip):
    w = make_window(lift_clip[0], size=(1400, 850))
    w.workspace.sessions.update_fields(exercise="back squat")
    return w


def _at(win, x, y) -> QPoint:
    p = win.canvas.image_to_widget(QPointF(x, y))
    return QPoint(round(p.x()), round(p.y()))


def test_track_calibrate_and_see_reps(qtbot, win, lift_clip, monkeypatch):
    _, truth = lift_clip
    ws = win.workspace
    a = ws.analysis
    ws.actions["track"].trigger()
    QTest.mouseClick(win.canvas, Qt.LeftButton, Qt.NoModifier, _at(win, truth.x[0], truth.y[0]))
    qtbot.waitUntil(lambda: a.job is None and a.result is not None, timeout=60000)
    tr = a.track
    err = np.hypot(tr.x - truth.x, tr.y - truth.y)
    assert np.nanmax(err) < 2.0 and np.isfinite(err).all()
    assert ws.recording.track  # saved with the recording
    assert a.result.units == "px"
    assert "Not calibrated" in ws.panel.warning.text()
    # calibrate from a circle drawn around the plate (450 mm)
    ws.drawing.set_tool("circle")
    r = truth.plate_diameter_px / 2
    QTest.mousePress(win.canvas, Qt.LeftButton, Qt.NoModifier, _at(win, truth.x[0], truth.y[0]))
    QTest.mouseMove(win.canvas, _at(win, truth.x[0] + r, truth.y[0]))
    QTest.mouseRelease(win.canvas, Qt.LeftButton, Qt.NoModifier,
                       _at(win, truth.x[0] + r, truth.y[0]))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("450 mm plate", True))
    ws.actions["calibrate"].trigger()
    qtbot.waitUntil(lambda: a.result is not None and a.result.units == "m", timeout=10000)
    assert a.m_per_px() == pytest.approx(truth.m_per_px, rel=0.03)
    reps = a.result.reps
    assert len(reps) == 3
    assert ws.panel.table.rowCount() == 3
    spans = [m for m in win.timeline.marks if m.end >= 0]
    assert len(spans) == 3
    for rep, t in zip(reps, truth.reps, strict=True):
        # a tracked clip with image noise: the generic boundary rule (no assumed stroke
        # shape, docs/analysis-format.md) is within 0.08 m/s here, 0.02 on exact tracks
        assert rep.metrics.mean_concentric_velocity == pytest.approx(
            t.mean_concentric_velocity, abs=0.08)
    # undo the calibration: back to px
    ws.drawing.undo_stack.undo()
    qtbot.waitUntil(lambda: a.result is not None and a.result.units == "px", timeout=10000)


def test_correction_by_dragging_keeps_an_anchor(qtbot, win, tracked):
    ws = win.workspace
    a = ws.analysis
    _use_track(qtbot, win, tracked)
    win.player.seek(40)
    qtbot.waitUntil(lambda: win.player.shown.index == 40)
    ws.actions["correct"].trigger()
    n = 40
    start = (a.track.x[n], a.track.y[n])
    target = (start[0] + 6, start[1] - 4)
    QTest.mousePress(win.canvas, Qt.LeftButton, Qt.NoModifier, _at(win, *start))
    QTest.mouseMove(win.canvas, _at(win, *target))
    QTest.mouseRelease(win.canvas, Qt.LeftButton, Qt.NoModifier, _at(win, *target))
    qtbot.waitUntil(lambda: a.job is None and a.track.state[n] == 2, timeout=60000)
    tol = 2 * win.canvas.screen_px()
    assert a.track.x[n] == pytest.approx(target[0], abs=tol)
    assert a.track.y[n] == pytest.approx(target[1], abs=tol)
    # the frames before the correction keep their positions (they were re-tracked
    # backward from the dragged point, which made a good track worse)
    assert np.array_equal(a.track.x[:n], tracked.x[:n], equal_nan=True)
    assert np.array_equal(a.track.y[:n], tracked.y[:n], equal_nan=True)
    ws.drawing.undo_stack.undo()
    qtbot.waitUntil(lambda: a.track is not None and a.track.state[n] != 2, timeout=10000)


def test_find_plate_track_and_measure_it(qtbot, win, lift_clip, monkeypatch):
    _, truth = lift_clip
    ws = win.workspace
    a = ws.analysis
    monkeypatch.setattr("app.dialogs.ask_yes", lambda *a_, **k: True)
    monkeypatch.setattr("app.dialogs.ask_plate_choice", lambda *a_: "track")
    ws.actions["auto_track"].trigger()
    qtbot.waitUntil(lambda: a.job is None and a.result is not None, timeout=60000)
    err = np.hypot(a.track.x - truth.x, a.track.y - truth.y)
    assert np.nanmax(err) < 3.0
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a_, **k: ("450 mm", True))
    ws.actions["calibrate_plate"].trigger()
    qtbot.waitUntil(lambda: a.result is not None and a.result.units == "m", timeout=30000)
    assert a.m_per_px() == pytest.approx(truth.m_per_px, rel=0.03)
    assert "measured" in ws.recording.calibration.source


def test_the_plate_question_holds_the_camera_angle_and_nothing_covers_the_circle(
        qtbot, win, tracked, monkeypatch):
    """The camera-angle warning of a plate measurement came in a second dialog after the
    lifter had said Yes to the circle, and the data overlay covered part of the circle
    while they judged it: the warning is part of the one question, and the overlay is
    not drawn while it is asked."""
    import app.controllers.analysis as analysis_controller

    ws = win.workspace
    a = ws.analysis
    _use_track(qtbot, win, tracked)
    assert a.hud_shown
    warning = "the camera is not square to the bar (the plate's axes are 0.86 of each other)"
    cal = Calibration(0.45 / 90, "plate 450 mm measured on 24 frames", 90.0, frames=24,
                      circle=(10.0, 320.0, 180.0, 45.0), warning=warning)
    monkeypatch.setattr("app.controllers.plate_finding.measure_plate", lambda *a_, **k: cal)
    painted: list[int] = []
    real_paint = analysis_controller.paint_hud
    monkeypatch.setattr(analysis_controller, "paint_hud",
                        lambda *a_, **k: painted.append(1) or real_paint(*a_, **k))
    asked: list[str] = []

    questions: list[str] = []

    def answer(_parent, _title, text, *rest, details=""):
        questions.append(text)
        asked.append(f"{text}\n\n{details}")
        painted.clear()
        win.canvas.repaint()  # the picture behind the question
        assert not painted, "the data overlay was drawn over the circle"
        return True

    monkeypatch.setattr("app.dialogs.ask_yes", answer)
    warned: list[str] = []
    monkeypatch.setattr("app.dialogs.warn", lambda _p, title, text: warned.append(title))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a_, **k: ("450 mm", True))
    ws.actions["calibrate_plate"].trigger()
    qtbot.waitUntil(lambda: a.result is not None and a.result.units == "m", timeout=30000)
    assert len(asked) == 1 and "not square to the bar" in asked[0], asked
    assert "outer rim?" in asked[0]
    # the question first, on its own; the facts it rests on under it, one a paragraph
    assert questions[0].endswith("Is the circle shown in cyan the plate's outer rim?")
    assert "px across" not in questions[0] and "not square" not in questions[0]
    details = asked[0].split("\n\n", 1)[1]
    assert details.startswith("The plate measures ") and "mm per px." in details
    assert details.count("\n\n") >= 2  # the size, the camera angle, what to do instead
    assert warned == []  # no second dialog
    painted.clear()
    win.canvas.repaint()
    assert painted  # the overlay is back once the question is answered


def test_session_report(qtbot, win, tracked, tmp_path):
    from app.session_report import write_report

    ws = win.workspace
    _use_track(qtbot, win, tracked)
    ws.sessions.update_fields(lifter="Ann", notes="felt quick")
    out = tmp_path / "report.html"
    write_report(ws.sessions.session, str(out))
    text = out.read_text()
    assert "Ann" in text and "felt quick" in text and "back squat" in text
    assert text.count("<tr><td>") >= 3 + 10  # three reps and the details
    assert text.count("<svg") == 2  # velocity and bar path charts
    assert text.count("data:image/png;base64,") == 1  # the contact sheet
    assert (tmp_path / "report.pdf").stat().st_size > 0


def test_mark_rep_status_and_back(qtbot, win, tracked):
    ws = win.workspace
    a = ws.analysis
    _use_track(qtbot, win, tracked)
    rep2 = a.result.reps[1]
    win.player.seek(win.player.index.frame_at_time(rep2.turn_time))
    qtbot.waitUntil(lambda: win.player.shown.index == win.player.position)
    for status in ("failed", "valid"):
        a.set_rep_status(status)
        qtbot.waitUntil(lambda s=status: a.result is not None and a.result.reps[1].status == s,
                        timeout=10000)
    assert a.result.set_metrics.rep_count == 3
    ws.drawing.undo_stack.undo()
    qtbot.waitUntil(lambda: a.result is not None and a.result.reps[1].status == "failed",
                    timeout=10000)
    assert a.result.set_metrics.failed_count == 1



def test_a_rep_chosen_in_the_table_is_the_rep_marked(qtbot, win, tracked):
    """Clicking rep N in the table showed the frame just before its start (still rep N-1),
    so "Mark rep under playhead" marked the previous rep; Ctrl+→ could not move past it."""
    ws = win.workspace
    a = ws.analysis
    _use_track(qtbot, win, tracked)
    reps = a.result.reps
    assert len(reps) >= 2
    for rep in reps:
        ws.panel.rep_chosen.emit(rep.start)  # what a click on its row sends
        qtbot.waitUntil(lambda: win.player.shown.index == win.player.position)
        assert rep.start - 1e-6 <= a.time_now() <= rep.start + 1 / 30 + 1e-6
    win.player.seek(0)
    qtbot.waitUntil(lambda: win.player.shown.index == 0)
    for rep in reps:
        assert a.jump_rep(+1)
        qtbot.waitUntil(lambda: win.player.shown.index == win.player.position)
        assert rep.start - 1e-6 <= a.time_now() <= rep.start + 1 / 30 + 1e-6
    ws.panel.rep_chosen.emit(reps[1].start)
    qtbot.waitUntil(lambda: win.player.shown.index == win.player.position)
    a.set_rep_status("false")
    qtbot.waitUntil(lambda: a.result is not None and a.result.reps[1].status == "false",
                    timeout=10000)
    assert a.result.reps[0].status == "valid"

def test_ctrl_arrows_walk_through_every_rep_both_ways(qtbot, win, tracked):
    """Ctrl+← from the last rep stayed on it: the frame shown for a rep is just after its
    start, so by time the playhead was always "after" the current rep's start."""
    ws = win.workspace
    a = ws.analysis
    _use_track(qtbot, win, tracked)
    reps = a.result.reps
    assert len(reps) >= 3
    real = a.time_scale().real(np.asarray(win.player.index.times, float))
    # the frame of a rep: the first at or after its start
    starts = [int(np.searchsorted(real, r.start - 1e-6)) for r in reps]
    assert starts == sorted(set(starts)) and starts[0] > 0
    win.player.seek(0)
    qtbot.waitUntil(lambda: win.player.shown.index == 0)
    seen = []
    for _ in range(len(reps) + 1):  # one more press at the end: stays on the last rep
        ws.actions["next_moment"].trigger()
        qtbot.waitUntil(lambda: win.player.shown.index == win.player.position)
        seen.append(win.player.position)
    assert seen == starts + [starts[-1]]
    back = []
    for _ in range(len(reps)):
        ws.actions["prev_moment"].trigger()
        qtbot.waitUntil(lambda: win.player.shown.index == win.player.position)
        back.append(win.player.position)
    # from the last rep back to the first, then nothing earlier: stays on rep 1
    assert back == starts[-2::-1] + [starts[0]]


def test_ctrl_arrows_walk_key_moments_both_ways(qtbot, win):
    """Without reps Ctrl+←/→ go through the key moments, also one set between two frames."""
    ws = win.workspace
    idx = win.player.index
    times = [float(idx.times[10]), (float(idx.times[30]) + float(idx.times[31])) / 2,
             float(idx.times[50])]
    ws.recording.key_moments[:] = [KeyMoment(t, f"moment {i}") for i, t in enumerate(times)]
    win.player.seek(0)
    seen = []
    for _ in range(3):
        ws.actions["next_moment"].trigger()
        seen.append(win.player.position)
    assert seen == [10, 30, 50]
    for _ in range(3):
        ws.actions["prev_moment"].trigger()
        seen.append(win.player.position)
    assert seen[3:] == [30, 10, 10]


def test_find_plate_offers_the_circles_in_turn(qtbot, win, lift_clip, monkeypatch):
    """A gym has many circles: "Next circle" moves on, and the one accepted is tracked."""
    _, truth = lift_clip
    a = win.workspace.analysis
    decoy = (40.0, 40.0, 30.0)
    plate = (float(truth.x[0]), float(truth.y[0]), float(truth.plate_diameter_px / 2))
    monkeypatch.setattr("app.controllers.plate_finding.plate_candidates",
                        lambda gray: [decoy, plate])
    shown, answers = [], iter(["next", "track"])

    def choose(parent, i, count, *_where):
        shown.append((i, count, a._candidate))
        return next(answers)

    monkeypatch.setattr("app.dialogs.ask_plate_choice", choose)
    started = []
    monkeypatch.setattr(a, "start_tracking", lambda n, xy, **_k: started.append((n, xy)))
    win.workspace.actions["auto_track"].trigger()
    qtbot.waitUntil(lambda: bool(started), timeout=20000)
    assert [s[:2] for s in shown] == [(0, 2), (1, 2)]
    assert shown[0][2] == decoy and shown[1][2] == plate  # each is drawn while asked about
    assert started == [(0, (plate[0], plate[1]))] and a._candidate is None


def test_a_plate_chosen_whose_rim_is_not_followed_is_not_said_to_be_clicked(
        qtbot, win, lift_clip, monkeypatch):
    """Tour 30: Find the plate → Track this plate on a plate whose rim could not be
    followed said "Tracked the point clicked." though nothing was clicked."""
    _, truth = lift_clip
    a = win.workspace.analysis
    r = float(truth.plate_diameter_px / 2)
    circle = (float(truth.x[0]) + 0.5 * r, float(truth.y[0]), r)  # off the plate's centre
    monkeypatch.setattr("app.controllers.plate_finding.plate_candidates", lambda gray: [circle])
    monkeypatch.setattr("app.dialogs.ask_plate_choice", lambda *a_: "track")
    win.workspace.actions["auto_track"].trigger()
    qtbot.waitUntil(lambda: a.job is None and a.track is not None and a.result is not None,
                    timeout=60000)
    assert a.track.target == "point"
    said = win.statusBar().currentMessage()
    assert said.startswith("Tracked the plate chosen, its centre followed by how it looks")
    assert "clicked" not in said and "clicked" not in win.workspace.panel.warning.text()


def test_the_hint_to_click_goes_when_tracking_starts(qtbot, win, lift_clip, monkeypatch):
    """Tour 30: while tracking ran, the status bar still said "Click the centre of the
    plate …" beside the progress bar."""
    _, truth = lift_clip
    ws = win.workspace
    ws.actions["track"].trigger()
    assert win.statusBar().currentMessage().startswith("Click the centre of the plate")
    said_then = []
    start = ws.jobs.start
    monkeypatch.setattr(ws.jobs, "start", lambda *a_, **k: (
        said_then.append(win.statusBar().currentMessage()), start(*a_, **k))[1])
    QTest.mouseClick(win.canvas, Qt.LeftButton, Qt.NoModifier,
                     _at(win, float(truth.x[0]), float(truth.y[0])))
    qtbot.waitUntil(lambda: ws.analysis.job is None and ws.analysis.track is not None,
                    timeout=60000)
    assert said_then and not any("Click" in m for m in said_then), said_then


def test_reps_are_checked_against_the_sessions_prescribed_tempo(qtbot, win, tracked, tmp_path):
    """Details → Tempo: every rep is checked against it in the panel (summary, a coloured
    tempo cell saying which phase missed) and in the report; changing it measures again."""
    from app.session_report import write_report

    ws = win.workspace
    a = ws.analysis
    _use_track(qtbot, win, tracked)
    assert all(r.tempo_check is None for r in a.result.reps)
    assert not any("Prescribed tempo" in line for line in ws.panel.data.summary)

    ws.sessions.update_fields(tempo="3-1-X-0")  # these reps lower in about 1 s
    qtbot.waitUntil(lambda: a.result is not None and a.result.prescribed_tempo == "3-1-X-0",
                    timeout=30000)
    ecc = [r.tempo[0] for r in a.result.reps]
    assert all(e < 2.5 for e in ecc), ecc
    assert any("Prescribed tempo 3-1-X-0: 0 of 3 reps on tempo" in line
               for line in ws.panel.data.summary), ws.panel.data.summary
    cell = ws.panel.table.item(0, 1)
    assert f"eccentric {ecc[0]:.1f} s, wanted 3 s" in cell.toolTip(), cell.toolTip()
    assert cell.background().color().red() > cell.background().color().green()

    first = a.result.reps[0].tempo_notation  # what rep 1 did, as a prescription
    ws.sessions.update_fields(tempo=first)
    qtbot.waitUntil(lambda: a.result is not None and a.result.prescribed_tempo == first,
                    timeout=30000)
    assert all(a.result.reps[0].tempo_check.values())
    assert "on the prescribed" in ws.panel.table.item(0, 1).toolTip()
    on = sum(all(r.tempo_check.values()) for r in a.result.reps)
    assert any(f"{on} of 3 reps on tempo" in line for line in ws.panel.data.summary)
    out = tmp_path / "report.html"
    write_report(ws.sessions.session, str(out), pdf=False)
    assert out.read_text().count(" ✓") == on


def test_the_data_overlay_is_on_screen_as_in_the_export(qtbot, win, tracked, monkeypatch):
    """The annotated export burns in the rep, its live velocity and the finished reps by
    default, and the screen never showed them: what was exported was more than what was
    seen. The picture shows the same lines (Analysis → Data overlay on video, on by
    default), and none once it is turned off."""
    import app.controllers.analysis as controller
    from analysis.export.hud import hud_lines

    _use_track(qtbot, win, tracked)
    ws = win.workspace
    r = ws.analysis.result
    painted: list[list[str]] = []
    monkeypatch.setattr(controller, "paint_hud", lambda _p, lines, *_a, **_k:
                        painted.append(list(lines)))
    after_first = r.reps[0].end + 0.2
    n = win.model.video.frame_at_time(after_first)
    win.player.seek(n)
    qtbot.waitUntil(lambda: win.player.shown is not None and win.player.shown.index == n,
                    timeout=15000)
    win.canvas.repaint()
    assert ws.actions["hud"].isChecked()
    want = hud_lines(r, ws.analysis.time_scale().factor)(win.player.shown.time)
    assert painted and painted[-1] == want and want[0].startswith("Rep")
    assert any(line.startswith("Rep 1:") for line in want)  # the finished rep listed
    painted.clear()
    ws.actions["hud"].trigger()  # off
    win.canvas.repaint()
    assert painted == []


def test_the_overlay_and_bar_path_choices_are_remembered(make_window, lift_clip, qtbot):
    """Turned off, the data overlay (and a bar path shown for the last second only) were
    back to their defaults after a restart."""
    w = make_window(lift_clip[0])
    ws = w.workspace
    ws.actions["hud"].trigger()  # off
    ws.actions["trail_last_second"].trigger()
    assert not ws.analysis.hud_shown and ws.analysis.trail_mode == "last_second"
    w.close()
    again = make_window(lift_clip[0])  # the same data folder: a restart
    a = again.workspace
    assert not a.analysis.hud_shown and not a.actions["hud"].isChecked()
    assert a.analysis.trail_mode == "last_second" and a.actions["trail_last_second"].isChecked()
    assert not a.actions["trail_full"].isChecked()
