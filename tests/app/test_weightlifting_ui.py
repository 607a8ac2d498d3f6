"""A clean and jerk in the app: the panel shows the attempt (phases shaded, the attempt
table), the video and the export draw the path coloured by phase with the lift-off line
and the peak and catch labelled, and the data CSV and the report carry the attempt."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor

from analysis.export.render import ExportFrame
from analysis.lift.attempts import ATTEMPT_COLUMNS
from analysis.session import Calibration, Track
from app.controllers.analysis import set_calibration, set_track
from app.controllers.export import CONTEXT_COLUMNS, csv_context, reps_csv
from tests.app.weightlifting_clips import PX_PER_M, SIZE, render_lift, show_tracked
from tests.truth2 import weightlifting_truth as W
from widgets.burn_in import make_burn_in
from widgets.overlay_painter import ATTEMPT_PHASE_COLORS


@pytest.fixture
def win(make_window, qtbot, cj_clip):
    path, _traj, t, x, y = cj_clip
    w = show_tracked(make_window, path, t, x, y, "clean and jerk")
    ws = w.workspace
    set_calibration(w.model, ws.drawing.undo_stack, w.model.current,
                    Calibration(1 / PX_PER_M, "plate 450 mm (drawn circle)", 0.45 * PX_PER_M))
    qtbot.waitUntil(lambda: ws.analysis.result is not None
                    and ws.analysis.result.weightlifting is not None, timeout=20000)
    return w


def _colour_share(img: np.ndarray, hex_colour: str, tol: int = 40) -> int:
    """Pixels of a BGR picture within ``tol`` of a colour."""
    c = hex_colour.lstrip("#")
    rgb = np.array([int(c[i:i + 2], 16) for i in (0, 2, 4)])
    return int((np.abs(img[..., ::-1].astype(int) - rgb).max(axis=2) <= tol).sum())


def test_the_panel_shows_the_attempt(win, cj_clip):
    _path, traj, *_ = cj_clip
    truth = traj.attempts[0]
    panel = win.workspace.panel
    assert panel.table.columnCount() == len(ATTEMPT_COLUMNS) and panel.table.rowCount() == 1
    heads = [panel.table.horizontalHeaderItem(i).text() for i in range(len(ATTEMPT_COLUMNS))]
    assert heads[1].startswith("Peak") and heads[5].startswith("Dx1") and heads[9] == "Type"
    cells = [panel.table.item(0, i).text() for i in range(len(ATTEMPT_COLUMNS))]
    assert float(cells[1]) == pytest.approx(truth.peak_height_m * 100, abs=1.0)
    assert float(cells[2]) == pytest.approx(truth.catch_height_m * 100, abs=1.0)
    assert cells[9] == str(truth.trajectory_type) and cells[10] == "made"
    assert not panel.tempo_plot.isVisible()
    summary = panel.summary.text()
    assert "1 attempt</b>" in summary and "jerk: dip" in summary and "second pull" in summary
    assert "no reps found" not in panel.warning.text().lower()
    # the pull phases shaded in their colours on both time plots
    items = panel.height_plot.getPlotItem().items
    brushes = {it.brush.color().name() for it in items if hasattr(it, "getRegion")}
    for name in ("first_pull", "second_pull", "turnover", "jerk_drive"):
        assert ATTEMPT_PHASE_COLORS[name] in brushes, name
    # clicking the row goes to the lift-off
    seen = []
    panel.rep_chosen.connect(seen.append)
    panel._on_table_clicked(0, 3)
    assert seen and seen[0] == pytest.approx(truth.liftoff_t, abs=0.07)


def test_the_video_and_the_export_draw_the_same_overlay(win, qtbot, cj_clip):
    _path, traj, t, x, _y = cj_clip
    ws = win.workspace
    last = len(t) - 1
    win.player.seek(last)
    qtbot.waitUntil(lambda: win.canvas.frame is not None and win.canvas.frame.index == last,
                    timeout=10000)
    screen = win.canvas.grab().toImage()
    rgb = screen.convertToFormat(screen.Format.Format_RGB888)
    w, h = rgb.width(), rgb.height()
    shown = np.frombuffer(rgb.constBits(), np.uint8).reshape(h, rgb.bytesPerLine())[:, :w * 3]
    shown = shown.reshape(h, w, 3)[..., ::-1]  # to BGR
    # the export: the same painter on a black frame of the clip's size
    spec = ws.exports.burn_in_spec(drawings=False, trail="full", hud=False)
    assert spec.attempts is not None
    black = np.zeros((SIZE[1], SIZE[0], 3), np.uint8)
    out = make_burn_in(spec)(ExportFrame(last, float(t[last]), black, float(t[last]), 1.0,
                                         1.0, SIZE[0], SIZE[1]), 0)
    for name in ("first_pull", "second_pull", "turnover", "jerk_drive"):
        colour = ATTEMPT_PHASE_COLORS[name]
        assert _colour_share(out, colour) > 5, f"export lacks {name}"
        assert _colour_share(shown, colour) > 5, f"screen lacks {name}"
    # the dashed vertical line through lift-off, above the lift-off point
    x0 = int(round(x[ws.analysis.attempt_overlay().liftoffs[0]]))
    column = out[20:200, x0 - 1:x0 + 2].max(axis=1)
    assert (column.min(axis=1) > 80).sum() > 40        # white dashes
    # the key points labelled in cm: white text boxes right of the peak and the catch
    assert (out[..., :].min(axis=2) > 200).sum() > 100


def test_the_data_csv_and_the_report_have_the_attempt(win, cj_clip, tmp_path):
    _path, traj, *_ = cj_clip
    r = win.workspace.analysis.result
    text = reps_csv(r)
    head = text.splitlines()[0].split(",")
    assert "peak_height_cm" in head and "trajectory_type" in head and "jerk_dip_start_s" in head
    row = dict(zip(head, text.splitlines()[1].split(","), strict=False))
    assert float(row["catch_height_cm"]) == pytest.approx(
        traj.attempts[0].catch_height_m * 100, abs=1.0)
    # with the set's context: the same columns, then lifter, date, exercise, load… per attempt
    win.model.session.lifter, win.model.session.load = "Giulio", 90.0
    lines = reps_csv(r, None, csv_context(win.model.session, win.workspace.recording)
                     ).splitlines()
    head2 = lines[0].split(",")
    assert head2[:len(head)] == head and head2[len(head):] == list(CONTEXT_COLUMNS)
    row2 = dict(zip(head2, lines[1].split(","), strict=True))
    assert (row2["lifter"], row2["load"], row2["load_unit"]) == ("Giulio", "90", "kg")
    assert lines[len(r.weightlifting.attempts) + 1] == ""  # the name/value rows follow as before
    from app.session_report import build_report

    html = build_report(win.model.session)
    assert "Peak cm" in html and "Dx1 cm" in html and "Attempt 1: first pull" in html
    assert "jerk: dip" in html


def _snatch_clip(d, kind: int):
    traj = W.snatch(kind)
    path = d / f"snatch-{kind}.mp4"
    return (path, traj, *render_lift(path, traj))


def test_the_comparison_table_compares_two_attempts(make_window, qtbot, tmp_path):
    clips = [_snatch_clip(tmp_path, 1), _snatch_clip(tmp_path, 3)]
    win = make_window(size=(1500, 950))
    ws = win.workspace
    for path, _traj, t, x, y in clips:
        win.open_path(str(path))
        qtbot.waitUntil(lambda p=path: win.video_path == str(p) and win.canvas.frame is not None,
                        timeout=10000)
        ws.sessions.update_fields(exercise="snatch")
        n = len(t)
        undo = ws.drawing.undo_stack
        set_track(win.model, undo, win.model.current,
                  Track(t.copy(), x.copy(), y.copy(), np.ones(n), np.ones(n, np.uint8)), "Track")
        set_calibration(win.model, undo, win.model.current,
                        Calibration(1 / PX_PER_M, "plate", 0.45 * PX_PER_M))
        qtbot.waitUntil(lambda: ws.analysis.result is not None
                        and ws.analysis.result.weightlifting is not None, timeout=20000)
    win.opener.open(str(clips[0][0]), "compare")
    ca = ws.compare_analysis
    qtbot.waitUntil(lambda: all(r is not None for r in ca.results), timeout=20000)
    rows = {r[0]: r for r in ca._rows()}
    sides = [r.weightlifting.attempts[0].trajectory_type for r in ca.results]
    assert sorted(sides) == [1, 3]
    assert rows["Trajectory type"][1:] == (str(sides[0]), str(sides[1]), "differs")
    assert "Peak height (cm)" in rows and "Second pull (s)" in rows
    assert ws.compare_panel.table.rowCount() == len(rows)
    # sync on the catch of the attempts (the "lowest point" event)
    ws.actions["sync_bottom"].trigger()
    ta, tb = win.compare.controller.clip_times()
    catches = [r.weightlifting.attempts[0].catch_t for r in ca.results]
    assert ta == pytest.approx(catches[0], abs=0.07) and tb == pytest.approx(catches[1], abs=0.07)


def test_the_timeline_marks_the_attempt_not_reps(win, cj_clip):
    """The timeline under the video shows the clean and jerk as one attempt, from lift-off
    to the end of the catch (a rep reading of it would cut it into strokes)."""
    _path, traj, *_ = cj_clip
    truth = traj.attempts[0]
    marks = [m for m in win.timeline.marks if m.end >= 0]  # spans, not key moments
    assert [m.label for m in marks] == ["attempt 1"]
    idx = win.player.index
    start = idx.times[marks[0].start]
    assert start == pytest.approx(truth.liftoff_t, abs=0.1)
    assert idx.times[marks[0].end] > truth.catch_t


def test_the_timeline_shows_the_attempts_phases(win, cj_clip, qtbot):
    """The README's promise: the pull's phases coloured on the timeline too (it showed the
    attempt as one blue band). The second pull's red is drawn where the truth puts it."""
    _path, traj, *_ = cj_clip
    second = traj.attempts[0].phase("second_pull")
    tl = win.timeline
    mark = next(m for m in tl.marks if m.end >= 0)
    assert [c for _s, _e, c in mark.parts][:3] == [ATTEMPT_PHASE_COLORS[n] for n in
                                                   ("first_pull", "transition", "second_pull")]
    win.show()
    qtbot.waitExposed(win)
    img = tl.grab().toImage()
    idx = win.player.index
    mid = int(np.searchsorted(idx.times, (second.start_t + second.end_t) / 2))
    x = int(round(tl._x(mid)))
    y = tl.height() - 8 - 4  # the span's band at the bottom of the track
    got = img.pixelColor(x, y)
    want = QColor(ATTEMPT_PHASE_COLORS["second_pull"])
    assert got.red() > 180 and got.green() < 110, (got.name(), want.name())


def test_export_offers_attempts_not_reps():
    """A clean and jerk is measured as attempts: the export ranges are "Attempt 1", not
    also "Rep 1" (the generic reading of the same track: the clean and jerk, then the bar
    lowered to the floor, read as one up-first rep with a 7 s concentric)."""
    from analysis.lift.attempts import add_attempts
    from analysis.lift.exercises import WeightliftingProfile
    from analysis.lift.result import analyze_track
    from app.controllers.export import measured_ranges

    traj = W.clean_and_jerk(1)
    t = np.arange(0.0, traj.duration + 4.0, 1 / 30)
    h = traj.y(np.minimum(t, traj.duration))
    # after the jerk: lowered to the floor over 2 s, then still
    top, end = float(traj.y(np.asarray([traj.duration]))[0]), traj.duration
    down = np.clip((t - end) / 2.0, 0.0, 1.0)
    h = np.where(t > end, top - (top - W.FLOOR_BAR_HEIGHT_M) * (1 - np.cos(np.pi * down)) / 2, h)
    x_px = 200 + traj.x(np.minimum(t, end)) * PX_PER_M
    y_px = 390 - h * PX_PER_M
    res = analyze_track(t, x_px, y_px, m_per_px=1 / PX_PER_M, lift="deadlift")
    assert res.reps  # the generic reading has a rep
    add_attempts(res, WeightliftingProfile("clean_and_jerk"))
    labels = [label for label, _frames in measured_ranges(res, lambda s: round(s * 30),
                                                           lambda s: s)]
    assert labels == ["Attempt 1"], labels


def test_attempt_plots_keep_readable_heights(win, qtbot):
    """At 1500×950 the height and velocity plots of the attempt panel keep a readable view
    (before: about 30 px each, their y labels over one another, while the attempt table
    below them had rows of empty space)."""
    panel = win.workspace.panel
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(200)
    for plot in (panel.height_plot, panel.velocity_plot):
        view = plot.getPlotItem().getViewBox()
        assert view.height() >= 55, (plot.height(), view.height())
    t = panel.table
    rows = sum(t.rowHeight(r) for r in range(t.rowCount()))
    assert t.height() <= panel.table_height_needed() + 4, (t.height(), rows)


def test_path_labels_keep_clear_of_the_path(win, qtbot):
    """The peak, catch and jerk labels on the bar path plot sit beside the path, not over
    it (before, "peak" was drawn over the turnover loop it names)."""
    import pyqtgraph as pg

    panel = win.workspace.panel
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(200)
    plot = panel.path_plot.getPlotItem()
    vb = plot.getViewBox()
    d = panel.data
    ok = np.isfinite(d.x) & np.isfinite(d.height)
    pts = [vb.mapViewToScene(pg.Point(float(a), float(b)))
           for a, b in zip(d.x[ok], d.height[ok], strict=True)]
    labels = [it for it in plot.items if isinstance(it, pg.TextItem)]
    assert len(labels) >= 3  # peak, catch, jerk
    for label in labels:
        box = label.sceneBoundingRect().adjusted(2, 2, -2, -2)
        inside = [p for p in pts if box.contains(p)]
        assert not inside, (label.toPlainText(), len(inside))
