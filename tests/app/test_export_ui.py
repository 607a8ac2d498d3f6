"""Export from the app: WYSIWYG burn-in, an annotated clip decoded back, snapshot, CSV."""

from __future__ import annotations

import av
import cv2
import numpy as np
import pytest
from PySide6.QtGui import QImage

from analysis.annotations import make_annotation
from analysis.annotations.model import Style, Visibility
from analysis.export.render import ExportFrame
from analysis.synth.barcode import read_number
from tests.analysis.clips import numbered_clip
from widgets.burn_in import BurnInSpec, make_burn_in
from widgets.overlay_painter import paint_annotations


@pytest.fixture
def win(make_window, clip_cache):
    return make_window(numbered_clip(clip_cache, "cfr")[0])


def _drawings():
    always = Visibility("always")
    return [make_annotation("line", 0.0, [(20, 30), (300, 200)], Style("#ff3030", 4), always),
            make_annotation("angle", 0.0, [(40, 200), (120, 120), (200, 210)], Style(), always),
            make_annotation("text", 0.0, [(150, 40)], Style("#ffffff", 2, 16), always,
                            text="knees out")]


def test_exported_frame_matches_the_screen(qtbot, win):
    """WYSIWYG: the burn-in of a frame equals the canvas overlay at the same size."""
    c = win.canvas
    frame = win.player.shown
    h, w = frame.image.shape[:2]
    items = _drawings()
    c.overlays = [lambda p, canvas: paint_annotations(p, items, frame.time, (w, h))]
    c.setFixedSize(w, h)
    qtbot.waitUntil(lambda: c.width() == w and c.height() == h)
    c.fit()
    assert c.zoom == pytest.approx(1.0)
    screen = c.grab().toImage().convertToFormat(QImage.Format_RGB32)
    ptr = screen.constBits()
    on_screen = np.frombuffer(ptr, np.uint8).reshape(h, screen.bytesPerLine() // 4, 4)[:, :w, :3]
    ef = ExportFrame(frame.index, frame.time, frame.image.copy(), frame.time, 1.0, 1.0)
    exported = make_burn_in(BurnInSpec((w, h), items))(ef, 0)
    diff = np.abs(on_screen.astype(int) - exported.astype(int))
    drawn = np.abs(exported.astype(int) - frame.image.astype(int)).max(axis=2) > 40
    assert drawn.sum() > 500  # the overlay is really there
    assert np.percentile(diff.max(axis=2), 99.5) <= 8
    assert diff.mean() < 1.0


def test_annotated_export_decodes_with_overlays(qtbot, win, tmp_path):
    ws = win.workspace
    ws.recording.annotations.extend(_drawings())
    exports = ws.exports
    spec = exports.burn_in_spec(drawings=True, trail="off", hud=False)
    from analysis.export.clip import export_clip

    out = tmp_path / "annotated.mp4"
    res = export_clip(win.video_path, out, start_frame=10, end_frame=39, speed=0.5,
                      render=make_burn_in(spec), index=win.player.index)
    assert res.frames == 30
    with av.open(str(out)) as c:
        s = c.streams.video[0]
        assert s.codec_context.name == "h264"
        frames = [f for f in c.decode(s)]
    assert len(frames) == 60  # each frame held twice: 30 fps, not 15
    times = [float(f.pts * f.time_base) for f in frames]
    assert times[2] - times[0] == pytest.approx(2 / 30, abs=1e-3)  # half speed
    first = frames[0].to_ndarray(format="bgr24")
    assert read_number(first) == 10
    r, g, b = first[..., 2].astype(int), first[..., 1].astype(int), first[..., 0].astype(int)
    red = (r > 180) & (g < 90) & (b < 90)
    assert red.sum() > 150  # the red line is burned in


def test_csv_export(qtbot, win, tmp_path, monkeypatch):

    from analysis.lift.result import analyze_track
    from app.controllers.export import reps_csv, track_csv

    t = np.arange(300) / 30
    y = 300 - 100 * (0.5 - 0.5 * np.cos(2 * np.pi * t / 3))
    r = analyze_track(t, np.full_like(t, 100.0), y, m_per_px=0.002)
    text = reps_csv(r)
    assert text.splitlines()[0].startswith("rep,status,start_s")
    assert len([ln for ln in text.splitlines() if ln[:1].isdigit()]) == len(r.reps) >= 2
    tr = track_csv(r).splitlines()
    assert len(tr) == 301 and tr[0].startswith("frame,t_s,x_px")
    # what the lengths rest on: the scale and its source (a sheet of sets cannot tell)
    import csv

    rows = {row[0]: row[1:] for row in csv.reader(text.splitlines()) if row}
    assert rows["scale_mm_per_px"] == ["2.00000"] and rows["scale_source"] == [""]
    px = {row[0]: row[1:] for row in csv.reader(reps_csv(analyze_track(
        t, np.full_like(t, 100.0), y)).splitlines()) if row}
    assert px["scale_mm_per_px"] == [""] and px["scale_source"] == ["not calibrated (px)"]


def test_csv_export_gives_the_mcv_and_velocity_loss_sds(tmp_path):
    # a generated set with 0.3 px of position noise: the SDs the analysis reports are
    # written next to the numbers, per rep and for the set's velocity loss
    import csv

    from analysis.io.track_csv import read_track_csv
    from analysis.lift.result import analyze_track
    from app.controllers.export import reps_csv
    from tests.truth.lift_truth import build_set, family, to_track_csv

    truth = build_set(family()["squat_two_peak_fatigue"])
    to_track_csv(truth, tmp_path / "t.csv", noise_px=0.3, seed=1)
    tr = read_track_csv(tmp_path / "t.csv")
    r = analyze_track(tr.t, tr.x, tr.y, m_per_px=tr.m_per_px, lift="squat")
    rows = list(csv.reader(reps_csv(r).splitlines()))
    col = rows[0].index("mean_concentric_velocity_sd_m_s")
    reps = [row for row in rows[1:] if row and row[0].isdigit()]
    assert len(reps) == len(r.reps) == 5
    for row, rep in zip(reps, r.reps, strict=True):
        sd = rep.metrics.mean_concentric_velocity_sd
        assert sd is not None and 0.001 < sd < 0.05
        assert float(row[col]) == pytest.approx(sd, abs=5e-5)
    named = {row[0]: row[1] for row in rows if len(row) == 2}
    vl = r.set_metrics.velocity_loss
    assert float(named["velocity_loss_first_last_sd_pct"]) == pytest.approx(vl.first_last_sd,
                                                                          abs=0.05)
    assert float(named["velocity_loss_best_last_sd_pct"]) == pytest.approx(vl.best_last_sd,
                                                                         abs=0.05)


def test_contact_sheet_of_key_moments(qtbot, win, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("depth", True))
    for n in (10, 40, 70):
        win.player.seek(n)
        qtbot.waitUntil(lambda n=n: win.player.shown.index == n)
        win.workspace.actions["moment"].trigger()
    out = tmp_path / "sheet.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    win.workspace.actions["sheet"].trigger()
    qtbot.waitUntil(out.exists, timeout=20000)
    img = cv2.imread(str(out))
    assert img is not None and img.shape[1] > 900


def test_a_rep_marked_not_a_rep_is_not_offered_as_an_export_range(make_window, two_squats,
                                                                   qtbot, monkeypatch):
    """The annotated-clip dialog still listed "Rep 8" after it was marked not a rep."""
    import numpy as np

    from analysis.session import Track
    from app.controllers import export as export_ctl
    from app.controllers.analysis import set_track

    path, truth = two_squats
    win = make_window(path)
    ws = win.workspace
    n = len(truth.times)
    set_track(win.model, ws.drawing.undo_stack, win.model.current,
              Track(np.asarray(truth.times, float), np.asarray(truth.x, float),
                    np.asarray(truth.y, float), np.ones(n), np.ones(n, np.uint8)),
              "Track the bar")
    qtbot.waitUntil(lambda: ws.analysis.result is not None, timeout=20000)
    assert [rep.number for rep in ws.analysis.result.reps] == [1, 2]
    offered: list[list[str]] = []

    class Refused:
        Accepted = 1

        def __init__(self, ranges, *args, **kwargs):
            offered.append([name for name, _ in ranges])

        def exec(self):
            return 0

    monkeypatch.setattr(export_ctl, "ExportDialogWidget", Refused)
    ws.exports.export_clip_dialog()
    assert offered[-1][-2:] == ["Rep 1", "Rep 2"]
    rep = ws.analysis.result.reps[1]
    ws.analysis.seek_rep(rep.turn_time)  # the playhead in rep 2, then "Not a rep"
    qtbot.waitUntil(lambda: rep.start <= ws.analysis.time_now() <= rep.end, timeout=5000)
    ws.analysis.set_rep_status("false")
    qtbot.waitUntil(lambda: ws.analysis.result.reps[1].status == "false", timeout=20000)
    ws.exports.export_clip_dialog()
    assert "Rep 2" not in offered[-1] and "Rep 1" in offered[-1]


def test_the_data_csv_says_whose_set_it_is(qtbot, make_window, tmp_path, monkeypatch):
    """A reps CSV sent on its own had no lifter, date, exercise or load. Every rep row now
    ends with them (and the set and the video), so stacked CSVs keep them apart; the
    columns before them and the set's name/value rows are as they were."""
    import csv

    from PySide6.QtWidgets import QFileDialog

    from analysis.synth.lift_clip import make_lift_clip
    from analysis.synth.motion import LiftScript, RepSpec
    from analysis.tracking import BarTracker
    from analysis.video import VideoSource
    from app.controllers.analysis import set_track

    path = tmp_path / "squat.mp4"
    script = LiftScript(reps=(RepSpec(1.0, 0.4, 0.6, 0.6, 0.5), RepSpec(1.0, 0.4, 0.7, 0.6, 0.5)),
                        setup=0.8, end_idle=0.8)
    truth = make_lift_clip(path, script, size=(640, 360), px_per_m=300.0, noise=1.5)
    with VideoSource(str(path)) as src:
        track = BarTracker().track(src, 0, (float(truth.x[0]), float(truth.y[0])))
    win = make_window(path, size=(1400, 850))
    ws = win.workspace
    ws.sessions.update_fields(lifter="Owen, Y.", exercise="back squat", load=102.5,
                              date="2026-11-28")
    set_track(win.model, ws.drawing.undo_stack, ws.recording, track, "Track the bar")
    qtbot.waitUntil(lambda: ws.analysis.job is None and ws.analysis.result is not None,
                    timeout=60000)
    out = tmp_path / "set.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    ws.actions["export_csv"].trigger()
    rows = list(csv.reader(out.read_text().splitlines()))
    head = rows[0]
    assert head[:3] == ["rep", "status", "start_s"]
    assert head[-7:] == ["lifter", "date", "exercise", "set", "load", "load_unit", "video"]
    reps = [dict(zip(head, row, strict=True)) for row in rows[1:] if row and row[0].isdigit()]
    assert len(reps) == len(ws.analysis.result.reps) == 2
    for rep in reps:
        assert (rep["lifter"], rep["date"], rep["exercise"]) == ("Owen, Y.", "2026-11-28",
                                                                  "back squat")
        assert (rep["set"], rep["load"], rep["load_unit"], rep["video"]) == ("1", "102.5", "kg",
                                                                             "squat.mp4")
        assert float(rep["mean_concentric_velocity_px_s"]) > 0
    named = {row[0]: row[1] for row in rows if len(row) == 2}
    assert named["set_rep_count"] == "2" and named["tracked_point"]
    # the set's own load, when it has one, is the one written
    ws.recording.load = 110.0
    asked: list[str] = []
    monkeypatch.setattr("app.dialogs.ask_yes", lambda _p, _t, text, *a, **k: (
        asked.append(text), True)[1])
    ws.actions["export_csv"].trigger()
    # replaced after one question naming both files
    assert len(asked) == 1 and "“set.csv” and “set-track.csv” already exist" in asked[0]
    rows = list(csv.reader(out.read_text().splitlines()))
    assert {row[head.index("load")] for row in rows[1:3]} == {"110"}


def test_the_track_csv_height_is_the_panels_height_from_the_lowest_point():
    """The data export's ``height_m`` read -0.607 standing to -1.303 at the bottom (``-y``
    scaled) while the panel plots the height up from the set's lowest point (0.70 to 0):
    the file now holds the panel's height, 0 at the bottom and positive above it."""
    import csv

    from analysis.lift.result import analyze_track
    from app.controllers.export import track_csv
    from widgets.panel_data import panel_data

    t = np.arange(300) / 30  # a squat filmed 600-900 px down the picture, 2 mm/px
    y = 600 + 300 * (0.5 - 0.5 * np.cos(2 * np.pi * t / 5))
    r = analyze_track(t, np.full_like(t, 100.0), y, m_per_px=0.002, lift="squat")
    rows = list(csv.DictReader(track_csv(r).splitlines()))
    h = np.array([float(row["height_m"]) for row in rows])
    assert h.min() == pytest.approx(0.0, abs=1e-5) and h.max() == pytest.approx(0.6, abs=0.01)
    assert h[0] == pytest.approx(0.6, abs=0.01)  # standing, at the start
    bottom = int(np.argmax(y))
    assert h[bottom] == pytest.approx(0.0, abs=0.005)
    assert h == pytest.approx(panel_data(r).height, abs=1e-5)
    series = np.array(r.to_dict()["series"]["height"], float)  # the analysis JSON's too
    assert h == pytest.approx(series, abs=1e-4)


def test_a_clip_exported_at_half_speed_says_so(qtbot, win, tmp_path, monkeypatch):
    """The annotated clip at 1/2x carried nothing that said it was slowed; with the data
    overlay on it now reads "1/2× speed (slow motion)" above the rep lines, and at 1x
    nothing is added."""
    from app.controllers import export as export_ctl

    ws = win.workspace
    drawn: list[list[str]] = []
    monkeypatch.setattr("widgets.burn_in.paint_hud",
                        lambda p, lines, *a, **k: drawn.append(list(lines)))
    rendered: list = []

    def fake_export(video, path, *, render, **kwargs):
        img = np.zeros((240, 320, 3), np.uint8)
        render(ExportFrame(3, 0.1, img, 0.1, 1.0, 1.0), 0)
        rendered.append(kwargs["speed"])
        from types import SimpleNamespace

        return SimpleNamespace(warnings=[], frames=1, duration_s=0.1, path=path,
                               held_text=lambda *_a: "")

    monkeypatch.setattr(export_ctl, "export_clip", fake_export)
    for speed in (0.5, 1.0):
        class Chosen:
            Accepted = 1

            def __init__(self, *args, **kwargs):
                pass

            def exec(self):
                return 1

            def options(self, speed=speed):
                return {"path": str(tmp_path / f"clip-{speed}.mp4"), "start": 0, "end": 20,
                        "speed": speed, "size": "source", "drawings": True, "trail": "full",
                        "hud": True, "audio": False}

        monkeypatch.setattr(export_ctl, "ExportDialogWidget", Chosen)
        drawn.clear()
        ws.exports.export_clip_dialog()
        qtbot.waitUntil(lambda: ws.exports.job is None or not ws.exports.job.running,
                        timeout=10000)
        qtbot.waitUntil(lambda s=speed: s in rendered, timeout=10000)
        if speed == 0.5:
            assert drawn == [["1/2× speed (slow motion)"]], drawn  # no track: the label alone
        else:
            assert drawn == [], drawn
