"""Every view follows the document model, tried through the real window: switching
sessions, calibrating, closing the video, comparing, and what empty views say."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.session import Calibration, Track
from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from app import dialogs
from app.controllers.analysis import set_calibration, set_track
from widgets.analysis_panel import NO_VIDEO, NOT_TRACKED
from widgets.timeline import format_time

SLOW = LiftScript(reps=(RepSpec(1.6, 0.6, 0.9, 0.6, 0.5), RepSpec(1.6, 0.6, 1.0, 0.6, 0.5),
                        RepSpec(1.6, 0.6, 1.1, 0.6, 0.5)), setup=1.0, end_idle=0.6)


@pytest.fixture(scope="module")
def clips(tmp_path_factory, two_squats):
    """A: the shared two-squat clip (480x270, 220 px/m); B: three slow reps at 512x288."""
    d = tmp_path_factory.mktemp("views")
    b = make_lift_clip(d / "set-b.mp4", SLOW, size=(512, 288), px_per_m=240.0, noise=1.0,
                       seed=5)
    return two_squats, (d / "set-b.mp4", b)


def _open(qtbot, win, path: Path) -> None:
    win.open_path(str(path))
    qtbot.waitUntil(lambda: win.video_path == str(path) and win.canvas.frame is not None
                    and win.player.index is win.model.video, timeout=15000)


def _truth_track(truth) -> Track:
    n = len(truth.times)
    return Track(np.asarray(truth.times, float), np.asarray(truth.x, float),
                 np.asarray(truth.y, float), np.ones(n), np.ones(n, np.uint8))


def _track_with_truth(qtbot, win, truth) -> None:
    """Store the true bar path as the track (the "do" of Track bar; tracking itself is
    tested elsewhere) and wait for the analysis."""
    ws = win.workspace
    set_track(win.model, ws.drawing.undo_stack, win.model.current, _truth_track(truth),
              "Track the bar")
    qtbot.waitUntil(lambda: ws.analysis.result is not None, timeout=20000)


def test_empty_views_say_what_to_do(make_window, qtbot, clips):
    win = make_window()
    panel = win.workspace.panel
    assert panel.message == NO_VIDEO and "Open a video" in panel.message
    assert win.timeline.frame_count == 0 and win.transport.time_label.text() == "--:--.---"
    _open(qtbot, win, clips[0][0])
    assert panel.message == NOT_TRACKED and "Track the bar" in panel.message
    for plot in (panel.height_plot, panel.velocity_plot, panel.path_plot):
        for side in ("left", "bottom"):
            assert not plot.getAxis(side).autoSIPrefix  # never "(x0.001)"


def test_switching_sessions_shows_the_new_session_everywhere(make_window, qtbot, clips):
    (pa, ta), (pb, tb) = clips
    win = make_window()
    ws = win.workspace
    sessions = ws.sessions
    _open(qtbot, win, pa)
    sessions.update_fields(lifter="Ann", exercise="back squat")
    _track_with_truth(qtbot, win, ta)
    session_a = sessions.session
    ws.new_session()
    assert win.canvas.frame is None and win.model.current is None
    _open(qtbot, win, pb)
    sessions.update_fields(lifter="Ben", exercise="back squat")
    session_b = sessions.session
    assert session_b is not session_a
    sessions.flush()
    qtbot.waitUntil(lambda: sessions.state == "saved", timeout=10000)

    for session, (path, truth), lifter in ((session_a, clips[0], "Ann"),
                                           (session_b, clips[1], "Ben")):
        ws.browser.open_requested.emit(session.id)  # a double-click in the list
        qtbot.waitUntil(lambda s=session: sessions.session is not None
                        and sessions.session.id == s.id, timeout=10000)
        _open_wait = str(path)
        qtbot.waitUntil(lambda p=_open_wait: win.video_path == p and win.canvas.frame is not None
                        and win.player.index is win.model.video, timeout=15000)
        rec = win.model.current
        assert rec is not None and rec.video_path == str(path)
        idx = win.model.video
        frame = win.canvas.frame
        assert frame.image.shape[:2] == (idx.height, idx.width) == truth_size(truth)
        assert win.timeline.frame_count == idx.frame_count == len(truth.times)
        assert win.status_frame.text().startswith(f"frame 1/{idx.frame_count}")
        assert f"{idx.width}×{idx.height}" in win.status_video.text()
        assert Path(ws.exports.default_name("annotated.mp4")).name == \
            f"{path.stem}-annotated.mp4"
        assert ws.browser.highlighted_session == session.id
        assert ws.browser.recordings.currentItem().data(256) == rec.id  # Qt.UserRole
        assert ws.form.lifter.text() == lifter
        assert lifter in win.windowTitle() and path.name in win.windowTitle()
        if session is session_a:  # tracked: the panel shows A's reps, not B's
            qtbot.waitUntil(lambda: ws.analysis.result is not None, timeout=20000)
            assert len(ws.analysis.result.reps) == 2 == ws.panel.table.rowCount()
            assert [m.label for m in win.timeline.marks if m.end >= 0] == ["rep 1", "rep 2"]
        else:  # B is not tracked: nothing of A's analysis is left
            assert ws.analysis.result is None and ws.panel.message == NOT_TRACKED
            assert not win.timeline.marks and ws.analysis.track is None


def truth_size(truth) -> tuple[int, int]:
    return (270, 480) if len(truth.reps) == 2 else (288, 512)


def test_calibrating_rescales_the_plots_to_metres(make_window, qtbot, clips, monkeypatch):
    (pa, ta), _ = clips
    win = make_window()
    _open(qtbot, win, pa)
    ws = win.workspace
    _track_with_truth(qtbot, win, ta)
    panel = ws.panel
    (_, _), (hy0, hy1) = panel.height_plot.viewRange()
    assert hy1 - hy0 > 50  # px: the bar moves ~130 px
    assert np.nanmin(panel.data.height) == pytest.approx(0.0)  # up from the lowest point
    # calibrate from a drawn circle around the plate (the dialog answered: 450 mm)
    from analysis.annotations import make_annotation

    r = ta.plate_diameter_px / 2
    circle = make_annotation("circle", 0.0, [(ta.x[0], ta.y[0]), (ta.x[0] + r, ta.y[0])])
    ws.drawing.add_imported([circle], [])
    ws.drawing._select(circle.id)
    monkeypatch.setattr(dialogs, "ask_plate_diameter", lambda *a: 450.0)
    ws.actions["calibrate"].trigger()
    qtbot.waitUntil(lambda: ws.analysis.result is not None and ws.analysis.result.units == "m",
                    timeout=20000)
    assert win.model.current.calibration.m_per_px == pytest.approx(1 / 220.0, rel=0.05)
    qtbot.wait(100)  # the panel lays out its plots
    for plot in (panel.height_plot, panel.path_plot):
        (x0, x1), (y0, y1) = plot.viewRange()
        assert 0.2 < y1 - y0 < 3.0, plot  # metres, not the pixel range of before
        assert plot.getAxis("left").labelString().count("(m)") == 1
        assert "x0.001" not in plot.getAxis("left").labelString()
    (px0, px1), _ = panel.path_plot.viewRange()
    assert px1 - px0 < 3.0
    assert np.nanmin(panel.data.height) == pytest.approx(0.0) and \
        np.nanmax(panel.data.height) == pytest.approx(np.ptp(ta.y) / 220.0, rel=0.05)
    # undo: back to px, and the plots follow again
    ws.drawing.undo_stack.undo()
    qtbot.waitUntil(lambda: ws.analysis.result is not None and ws.analysis.result.units == "px",
                    timeout=20000)
    (_, _), (hy0, hy1) = panel.height_plot.viewRange()
    assert hy1 - hy0 > 50


def test_closing_the_video_empties_every_view(make_window, qtbot, clips):
    (pa, ta), _ = clips
    win = make_window()
    _open(qtbot, win, pa)
    ws = win.workspace
    _track_with_truth(qtbot, win, ta)
    for _ in range(5):
        win.actions_by_id["step_fwd"].trigger()
    qtbot.waitUntil(lambda: win.canvas.frame is not None and win.canvas.frame.index == 5)
    assert win.status_frame.text().startswith("frame 6/") and win.timeline.marks
    win.actions_by_id["close_video"].trigger()
    assert win.model.current is None and win.canvas.frame is None
    assert win.timeline.frame_count == 0 and win.timeline.marks == []
    assert win.status_frame.text() == "" and win.status_video.text() == ""
    assert win.transport.time_label.text() == "--:--.---"
    assert ws.panel.message == NO_VIDEO and ws.panel.data is None
    assert ws.analysis.result is None and ws.analysis.track is None
    assert ws.moments.list.count() == 0
    assert win.windowTitle() == "LiftLens" or "LiftLens" in win.windowTitle()
    assert "frame" not in win.windowTitle()


def test_comparison_readouts_agree_and_clear_on_escape(make_window, qtbot, clips):
    (pa, ta), (pb, tb) = clips
    win = make_window()
    _open(qtbot, win, pa)
    for _ in range(12):
        win.actions_by_id["step_fwd"].trigger()
    qtbot.waitUntil(lambda: win.canvas.frame is not None and win.canvas.frame.index == 12)
    win.opener.open(str(pb), "compare")
    c = win.compare.controller
    qtbot.waitUntil(lambda: win.compare.active and all(f is not None for f in c.shown),
                    timeout=15000)

    def agree() -> None:
        text = win.transport.time_label.text()
        assert text == f"common time {c.tau:+.3f} s"
        # the ruler under the clock reads the same common time (it read clip A's own)
        assert win.timeline.time_now() == pytest.approx(c.tau, abs=1e-6)
        status = win.status_frame.text()
        assert "common time" not in status  # on the clock: the sides' frames stay whole
        assert text in win.status_frame.toolTip()
        for side, n, frame, caption in zip(c.sides, c.frames_now(), c.shown,
                                           win.compare.view.captions, strict=True):
            t = float(side.feed.index.times[n])
            assert frame is not None and frame.index == n  # the pane shows that frame
            assert f"{side.label}: frame {n + 1}/" in status and format_time(t) in status
            assert caption.startswith(format_time(t)) and f"frame {n + 1}" in caption

    agree()  # on entering: not the single clip's "frame 13/…"
    for _ in range(7):
        win.actions_by_id["step_fwd"].trigger()
    qtbot.waitUntil(lambda: all(f is not None and f.index == n
                                for f, n in zip(c.shown, c.frames_now(), strict=True)))
    agree()
    c.set_events(0.3, 0.1)  # synced on an event: the common time starts before 0
    assert c.marks[0] < 0
    qtbot.waitUntil(lambda: all(f is not None and f.index == n
                                for f, n in zip(c.shown, c.frames_now(), strict=True)))
    agree()
    win.actions_by_id["compare_exit"].trigger()  # Esc
    assert not win.compare.active and win.model.comparison is None
    n = win.player.position
    assert "common time" not in win.transport.time_label.text()
    assert "common time" not in win.status_frame.text()
    assert win.transport.time_label.text().endswith(f"frame {n + 1} / {len(ta.times)}")
    assert win.status_frame.text().startswith(f"frame {n + 1}/{len(ta.times)}")
    assert win.timeline.frame_count == len(ta.times)


def test_comparison_uses_the_analysis_saved_in_another_session(make_window, qtbot, clips):
    (pa, ta), (pb, tb) = clips
    win = make_window()
    ws = win.workspace
    # B is tracked and calibrated in an earlier session
    _open(qtbot, win, pb)
    ws.sessions.update_fields(lifter="Ben", exercise="back squat")
    set_calibration(win.model, ws.drawing.undo_stack, win.model.current,
                    Calibration(1 / 240.0, "plate 450 mm (drawn circle)", 108.0))
    _track_with_truth(qtbot, win, tb)  # one analysis, already in metres
    assert ws.analysis.result.units == "m"
    # today's session: A, tracked; then compare with B
    ws.new_session()
    _open(qtbot, win, pa)
    ws.sessions.update_fields(lifter="Ben", exercise="back squat")
    ws.sessions.flush()
    _track_with_truth(qtbot, win, ta)
    qtbot.waitUntil(lambda: ws.sessions.state == "saved", timeout=10000)
    assert all(r.video_path != str(pb) for r in ws.sessions.session.recordings)
    win.opener.open(str(pb), "compare")
    ca = ws.compare_analysis
    qtbot.waitUntil(lambda: all(r is not None for r in ca.results), timeout=30000)
    ra, rb = ca.results
    assert len(rb.reps) == 3 and rb.units == "m"  # B's saved track and calibration
    assert len(ra.reps) == 2 and ra.units == "px"
    side_b = win.model.comparison.sides[1]
    assert side_b.recording is not None and side_b.recording.calibration is not None
    assert all(p is not None for p in win.compare.view.side_painters)
