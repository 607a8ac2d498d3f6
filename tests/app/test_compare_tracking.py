"""Tracking inside a comparison: Track bar, Find the plate and Calibrate from the plate act
on the side the user selected, on the frame that side shows, never on the main video
hidden behind the comparison; the side's numbers reach the comparison's table at once,
and a plain video's track is kept in a session of its own in the library."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from analysis.session.library import find_recording
from analysis.session.store import SessionStore
from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec

#: side B: slower reps than side A, its plate elsewhere in a bigger picture
SLOW = LiftScript(reps=(RepSpec(1.6, 0.6, 1.0, 0.6, 0.5), RepSpec(1.6, 0.6, 1.1, 0.6, 0.5)),
                  setup=1.0, end_idle=0.6)


@pytest.fixture(scope="module")
def clip_b(tmp_path_factory):
    path = tmp_path_factory.mktemp("cmp_track") / "other-lifter.mp4"
    truth = make_lift_clip(path, SLOW, size=(560, 320), px_per_m=260.0, noise=1.0, seed=7)
    return path, truth


def _click(canvas, x: float, y: float) -> None:
    p = canvas.image_to_widget(QPointF(x, y))
    QTest.mouseClick(canvas, Qt.LeftButton, Qt.NoModifier, QPoint(round(p.x()), round(p.y())))


@pytest.fixture
def comparison(qtbot, make_window, two_squats, clip_b):
    """A window whose main video (A, tracked, left at frame 40) is compared with the plain
    video B (never tracked), the comparison a few frames on and side B clicked."""
    (pa, ta), (pb, _tb) = two_squats, clip_b
    win = make_window(pa, size=(1400, 850))
    ws = win.workspace
    ws.actions["track"].trigger()
    _click(win.canvas, ta.x[0], ta.y[0])
    qtbot.waitUntil(lambda: ws.analysis.job is None and ws.analysis.result is not None,
                    timeout=60000)
    win.player.seek(40)
    qtbot.waitUntil(lambda: win.player.shown is not None and win.player.shown.index == 40,
                    timeout=10000)
    win.opener.open(str(pb), "compare")
    assert win.compare.active
    for _ in range(6):
        win.actions_by_id["step_fwd"].trigger()
    c = win.compare.controller
    qtbot.waitUntil(lambda: c.shown[1] is not None and c.shown[1].index == c.frames_now()[1],
                    timeout=10000)
    view = win.compare.view
    _click(view.canvases[1], 20, 20)  # a click on side B selects it
    assert view.active == 1
    return win


@pytest.fixture
def fingerprint_reads(monkeypatch):
    """The files whose content fingerprint was made (each reads up to 3 MiB of it)."""
    from analysis.session import portable

    reads: list[str] = []
    real = portable.fingerprint

    def spy(path):
        reads.append(str(path))
        return real(path)

    monkeypatch.setattr(portable, "fingerprint", spy)
    return reads


def test_a_video_new_to_the_library_is_not_read_again_to_track_it(qtbot, fingerprint_reads,
                                                                  comparison, clip_b):
    """Tracking a plain video in a comparison gives it a recording with the video's content
    fingerprint (so a moved copy is found again); it is the one the library lookup made in
    the background when the comparison opened, not read again on the GUI thread while the
    window waits for the click to take."""
    from analysis.session.portable import fingerprint

    win, (pb, _tb) = comparison, clip_b
    ws = win.workspace
    qtbot.waitUntil(lambda: not ws.compare_analysis.looking, timeout=10000)
    assert str(pb) in fingerprint_reads  # the lookup's (background jobs run inline here)
    before = len(fingerprint_reads)
    subject = ws.compare_sides.subject(1)
    assert subject is not None and len(fingerprint_reads) == before
    assert subject.recording.video_fingerprint == fingerprint(str(pb)) != ""


def test_track_bar_on_side_b_tracks_b_and_fills_the_table(qtbot, comparison, clip_b,
                                                           monkeypatch):
    win, (pb, tb) = comparison, clip_b
    ws, c, view = win.workspace, win.compare.controller, win.compare.view
    main_rec = win.model.current
    main_track = main_rec.track.copy()
    nb = c.frames_now()[1]
    assert nb != 40 and win.player.position == 40  # the hidden video is elsewhere
    ws.actions["track"].trigger()
    _click(view.canvases[1], tb.x[nb], tb.y[nb])  # B's plate, on the frame B shows
    side_b = win.model.comparison.sides[1]
    ca = ws.compare_analysis
    qtbot.waitUntil(lambda: side_b.recording is not None and side_b.recording.track is not None
                    and ws.analysis.job is None and ca.results[1] is not None, timeout=60000)
    tr = side_b.recording.track
    ok = np.isfinite(tr.x)
    assert ok.mean() > 0.95
    err = np.hypot(tr.x[ok] - tb.x[: len(tr)][ok], tr.y[ok] - tb.y[: len(tr)][ok])
    assert np.median(err) < 1.5 and np.percentile(err, 95) < 4  # B's own motion
    assert len(ca.results[1].reps) == 2
    # B's numbers are in the comparison's table and plots at once
    rows = {r[0]: r for r in ca._rows()}
    assert "Mean velocity (px/s)" in rows and rows["Tempo"][2] != rows["Tempo"][1]
    panel = ws.compare_panel
    assert panel.table.rowCount() == len(rows)
    assert len(panel.curves[1].getData()[0]) > 0 and panel.note.text() == ""
    # the main video and its track are as they were
    assert win.model.current is main_rec and win.player.position == 40
    assert np.array_equal(main_rec.track.x, main_track.x, equal_nan=True)
    assert main_rec.track.target == main_track.target
    assert all(r.video_path != str(pb) for r in win.model.session.recordings)
    # B was a plain video: its track is kept in a session of its own in the library
    assert "Sessions" in win.statusBar().currentMessage()
    with SessionStore(ws.sessions.library_path) as store:
        found = find_recording(store, str(pb))
    assert found is not None and found[1].track is not None and len(found[1].track) == len(tr)
    assert found[0].id != win.model.session.id
    # Find the plate on B finds B's plate, on the frame B shows
    offered = []

    def choose(parent, i, count, *_where):
        offered.append(ws.analysis._candidate)
        return "skip"

    monkeypatch.setattr("app.dialogs.ask_plate_choice", choose)
    win.actions_by_id["auto_track"].trigger()
    qtbot.waitUntil(lambda: bool(offered), timeout=20000)
    ws.analysis._stop_seeding()  # (skipped: Track bar waits for a click)
    nb = c.frames_now()[1]
    cx, cy, r = offered[0]
    assert np.hypot(cx - tb.x[nb], cy - tb.y[nb]) < 3
    assert r == pytest.approx(tb.plate_diameter_px / 2, rel=0.1)


def test_find_the_plate_and_calibrate_on_side_b(qtbot, comparison, clip_b, monkeypatch):
    win, (_pb, tb) = comparison, clip_b
    ws, c = win.workspace, win.compare.controller
    main_rec = win.model.current
    main_track = main_rec.track.copy()
    nb = c.frames_now()[1]
    offered = []

    def choose(parent, i, count, *_where):
        offered.append(ws.analysis._candidate)
        return "track"

    monkeypatch.setattr("app.dialogs.ask_plate_choice", choose)
    ws.actions["auto_track"].trigger()  # "No plate was found" on the hidden video before
    side_b = win.model.comparison.sides[1]
    ca = ws.compare_analysis
    qtbot.waitUntil(lambda: side_b.recording is not None and side_b.recording.track is not None
                    and ws.analysis.job is None and ca.results[1] is not None, timeout=60000)
    cx, cy, _r = offered[0]
    assert np.hypot(cx - tb.x[nb], cy - tb.y[nb]) < 3  # B's plate, on B's frame
    tr = side_b.recording.track
    ok = np.isfinite(tr.x)
    assert np.median(np.hypot(tr.x[ok] - tb.x[ok], tr.y[ok] - tb.y[ok])) < 1.5
    # Calibrate from the plate measures B's plate
    monkeypatch.setattr("app.dialogs.ask_plate_diameter", lambda *a, **k: 450.0)
    monkeypatch.setattr("app.dialogs.ask_yes", lambda *a, **k: True)
    monkeypatch.setattr("app.dialogs.warn", lambda *a, **k: None)
    ws.actions["calibrate_plate"].trigger()
    qtbot.waitUntil(lambda: side_b.recording.calibration is not None, timeout=30000)
    assert side_b.recording.calibration.m_per_px == pytest.approx(tb.m_per_px, rel=0.05)
    qtbot.waitUntil(lambda: ca.results[1] is not None and ca.results[1].units == "m",
                    timeout=30000)
    rows = {r[0]: r for r in ca._rows()}
    assert rows["ROM"][2].endswith(" cm") and rows["ROM"][1].endswith(" px")
    assert main_rec.calibration is None
    assert np.array_equal(main_rec.track.x, main_track.x, equal_nan=True)


def test_one_video_actions_are_greyed_out_with_the_reason(comparison):
    win = comparison
    acts = win.actions_by_id
    for name in ("rep_false", "boundary_eccentric_start", "correct", "calibrate", "moment",
                 "export_clip", "delete", "capture_rate"):
        assert not acts[name].isEnabled(), name
        assert "comparison" in acts[name].toolTip(), name
    for name in ("track", "auto_track", "calibrate_plate", "clear_track"):
        assert acts[name].isEnabled(), name
    acts["compare_exit"].trigger()
    for name in ("rep_false", "correct", "calibrate", "export_clip"):
        assert acts[name].isEnabled(), name
        assert "comparison" not in acts[name].toolTip(), name


def test_b_track_comes_back_when_compared_again(qtbot, comparison, clip_b):
    """The plain video's track outlives the comparison: compared again, B's analysis is
    there without tracking it again."""
    win, (pb, tb) = comparison, clip_b
    ws, c, view = win.workspace, win.compare.controller, win.compare.view
    nb = c.frames_now()[1]
    ws.actions["track"].trigger()
    _click(view.canvases[1], tb.x[nb], tb.y[nb])
    ca = ws.compare_analysis
    qtbot.waitUntil(lambda: ws.analysis.job is None and ca.results[1] is not None, timeout=60000)
    win.actions_by_id["compare_exit"].trigger()
    assert win.model.comparison is None
    win.opener.open(str(pb), "compare")
    qtbot.waitUntil(lambda: ca.results[1] is not None and len(ca.results[1].reps) == 2,
                    timeout=30000)
    assert win.model.comparison.sides[1].recording.track is not None
