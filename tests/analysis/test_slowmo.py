"""Slow motion is analysed in real time: the capture rate from the file (both ways the
Android key is stored) or from the user, applied to every time, velocity and export."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from analysis.synth.motion import LiftScript, RepSpec
from analysis.synth.slowmo import make_slowmo_clip
from analysis.video import build_index
from analysis.video.capture import TimeScale, parse_fps
from app.cli.main import main

SCRIPT = LiftScript(reps=(RepSpec(0.9, 0.3, 0.6, 0.4, 0.5),), setup=0.3, end_idle=0.3)


def _case_dir() -> Path:
    """``../shared/cases`` beside the checkout (or beside ``$LIFTLENS_SHARED_DATA``)."""
    env = os.environ.get("LIFTLENS_SHARED_DATA")
    roots = [Path(env).parent] if env else []
    roots.append(Path(__file__).resolve().parents[2].parent / "shared")
    for root in roots:
        if (root / "cases").is_dir():
            return root / "cases" / "public" / "22-android-slowmo"
    return roots[-1] / "cases" / "public" / "22-android-slowmo"


CASE = _case_dir()


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    """The same 120 fps capture at 30 fps timestamps: tagged as Android's muxer does
    (float), as FFmpeg does (text), and untagged (a re-encoded copy)."""
    d = tmp_path_factory.mktemp("slowmo")
    out = {}
    for enc in ("float", "text", None):
        path = d / f"slowmo_{enc}.mp4"
        out[enc] = (path, make_slowmo_clip(path, SCRIPT, encoding=enc, noise=1.0))
    return out


def test_parse_and_describe():
    assert parse_fps("120.000000") == 120.0
    assert parse_fps("240/1") == 240.0
    assert parse_fps("abc") is None and parse_fps("0") is None and parse_fps("nan") is None
    ts = TimeScale(120.0, 30.0, "file")
    assert ts.factor == 0.25 and ts.slowed
    assert ts.describe() == "120 fps capture, played 4x slow"
    assert ts.real(8.0) == 2.0 and ts.file(2.0) == 8.0
    assert TimeScale(240.0, 30.0, "user").describe() == "240 fps capture, played 8x slow (set by you)"
    # a high-frame-rate recording tagged with its own rate is real time
    assert TimeScale(60.0, 59.94, "file").factor == 1.0
    assert TimeScale().factor == 1.0 and not TimeScale().retimed
    with pytest.raises(ValueError, match="capture rate"):
        TimeScale.for_times(np.arange(10) / 30, -5)


@pytest.mark.parametrize("enc", ["float", "text"])
def test_index_reads_the_android_key(clips, enc):
    idx = build_index(clips[enc][0])
    assert idx.capture_fps == pytest.approx(120.0)
    assert idx.capture_key == "com.android.capture.fps"
    assert idx.average_fps == pytest.approx(30.0, rel=1e-3)
    cap = idx.to_dict()["capture"]
    assert cap["time_scale"] == pytest.approx(0.25, rel=1e-3)
    assert cap["description"] == "120 fps capture, played 4x slow"
    untagged = build_index(clips[None][0])
    assert untagged.capture_fps == 0.0 and untagged.to_dict()["capture"]["time_scale"] == 1.0


def test_info_shows_the_capture_rate(clips, capsys):
    path = str(clips["float"][0])
    assert main(["info", path, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["capture"]["capture_fps"] == 120.0 and d["capture"]["source"] == "file"
    assert main(["info", path]) == 0
    out = capsys.readouterr().out
    assert "120 fps capture, played 4x slow" in out and "s real time" in out


def _analyze(path, truth, tmp_path, *extra):
    out = tmp_path / "a.json"
    seed = f"{truth.x[0]:.2f},{truth.y[0]:.2f}"
    assert main(["analyze", str(path), "--seed", seed, "--m-per-px", str(truth.m_per_px),
                 "--json", str(out), *extra]) == 0
    return json.loads(out.read_text())


def _check_real_time(d, truth):
    assert len(d["reps"]) == len(truth.reps)
    for got, want in zip(d["reps"], truth.reps, strict=True):
        m = got["metrics"]
        conc = next(p for p in got["phases"] if p["kind"] == "concentric")
        assert m["mean_concentric_velocity"] == pytest.approx(want.mean_concentric_velocity,
                                                              abs=0.03)
        # 3 capture frames: the one generic boundary rule (docs/analysis-format.md)
        assert conc["start"] == pytest.approx(want.concentric[0], abs=3 / 120 + 1e-6)
        assert conc["end"] == pytest.approx(want.concentric[1], abs=3 / 120 + 1e-6)
    assert d["track"]["t"][-1] == pytest.approx(truth.times[-1], abs=1e-3)


def test_tagged_clip_is_analysed_in_real_time(clips, tmp_path, capsys):
    path, truth = clips["float"]
    d = _analyze(path, truth, tmp_path)
    assert d["calibration"]["time"]["time_scale"] == pytest.approx(0.25, rel=1e-3)
    assert d["calibration"]["time"]["source"] == "file"
    _check_real_time(d, truth)
    assert "played 4x slow" in capsys.readouterr().out


def test_untagged_clip_needs_the_capture_rate(clips, tmp_path):
    path, truth = clips[None]
    want = truth.reps[0].mean_concentric_velocity
    d = _analyze(path, truth, tmp_path)  # nothing says slow motion: file time, 4x slow
    assert d["reps"][0]["metrics"]["mean_concentric_velocity"] == pytest.approx(want / 4,
                                                                                abs=0.02)
    d = _analyze(path, truth, tmp_path, "--capture-fps", "120")
    assert d["calibration"]["time"]["source"] == "user"
    _check_real_time(d, truth)


def test_user_rate_wins_over_the_file_and_bad_rates_are_plain(clips, tmp_path, capsys):
    path, truth = clips["text"]
    d = _analyze(path, truth, tmp_path, "--capture-fps", "240")
    assert d["calibration"]["time"]["time_scale"] == pytest.approx(0.125, rel=1e-3)
    got = d["reps"][0]["metrics"]["mean_concentric_velocity"]
    assert got == pytest.approx(2 * truth.reps[0].mean_concentric_velocity, abs=0.06)
    capsys.readouterr()
    assert main(["analyze", str(path), "--seed", "10,10", "--capture-fps", "-3"]) == 2
    err = capsys.readouterr().err
    assert "capture rate" in err and "Traceback" not in err


def test_track_csv_with_capture_rate(clips, tmp_path):
    path, truth = clips[None]
    csv = tmp_path / "track.csv"
    seed = f"{truth.x[0]:.2f},{truth.y[0]:.2f}"
    assert main(["analyze", str(path), "--seed", seed, "--m-per-px", str(truth.m_per_px),
                 "--csv", str(csv)]) == 0
    out = tmp_path / "b.json"
    assert main(["analyze", "--track-csv", str(csv), "--capture-fps", "120", "--json",
                 str(out)]) == 0
    _check_real_time(json.loads(out.read_text()), truth)


def test_export_counts_in_real_time(clips, tmp_path, capsys):
    path, _ = clips["float"]
    idx = build_index(path)
    real = idx.duration_s / 4
    out = tmp_path / "real.mp4"
    assert main(["export", str(path), "-o", str(out), "--no-audio"]) == 0
    assert "played 4x slow" in capsys.readouterr().err
    e = build_index(out)
    assert e.frame_count == idx.frame_count  # every captured frame kept
    assert e.duration_s == pytest.approx(real, rel=0.02)
    assert e.average_fps == pytest.approx(120.0, rel=0.02)
    # 1/4 keeps the slow motion as filmed; --start/--end are real seconds
    out2 = tmp_path / "slow.mp4"
    assert main(["export", str(path), "-o", str(out2), "--speed", "1/4", "--start", "1.0",
                 "--end", "2.0"]) == 0
    e2 = build_index(out2)
    assert e2.frame_count == 120
    assert e2.duration_s == pytest.approx(4.0, rel=0.02)
    # the user's rate on the command line wins
    out3 = tmp_path / "user.mp4"
    assert main(["export", str(path), "-o", str(out3), "--capture-fps", "60", "--end",
                 "1.0"]) == 0
    assert build_index(out3).frame_count == 60


@pytest.mark.skipif(not CASE.is_dir(), reason="the slow-motion case is not at "
                    "../shared/cases/public/22-android-slowmo")
def test_android_slowmo_case_reads_real_time(tmp_path):
    truth = json.loads((CASE / "truth.json").read_text())
    out = tmp_path / "case.json"
    assert main(["analyze", str(CASE / "android_slowmo_4x.mp4"), "--auto", "--plate-mm",
                 "450", "--json", str(out)]) == 0
    d = json.loads(out.read_text())
    assert d["calibration"]["time"]["capture_fps"] == 120.0
    assert len(d["reps"]) == len(truth)
    for got, want in zip(d["reps"], truth, strict=True):
        conc = next(p for p in got["phases"] if p["kind"] == "concentric")
        assert got["metrics"]["mean_concentric_velocity"] == pytest.approx(0.62, abs=0.03)
        assert got["metrics"]["mean_concentric_velocity"] == pytest.approx(want["mcv"], abs=0.03)
        assert conc["duration"] == pytest.approx(0.8, abs=0.1)
        assert conc["start"] == pytest.approx(want["conc"][0], abs=0.1)
        assert conc["end"] == pytest.approx(want["conc"][1], abs=0.1)
        assert got["metrics"]["rom"] == pytest.approx(want["rom"], rel=0.03)
        # a 0.8 s stroke of 0.5 m peaking at 1.15 m/s brakes at about 0.5 g, never g:
        # its whole concentric is propulsive (tracking noise once read MPV 0.74)
        assert got["metrics"]["mean_propulsive_velocity"] == pytest.approx(want["mcv"],
                                                                            abs=0.03)


def test_the_capture_rate_is_saved_with_the_recording(clips):
    from analysis.session.analyze import analyze_recording, recording_time_scale
    from analysis.session.document import Recording, SessionFileError
    from analysis.session.track import Track

    rec = Recording("/nowhere/clip.mp4", capture_fps=120.0)
    d = rec.to_dict()
    assert d["video"]["capture_fps"] == 120.0
    assert Recording.from_dict(d).capture_fps == 120.0
    assert "capture_fps" not in Recording("/v.mp4").to_dict()["video"]
    d["video"]["capture_fps"] = -1
    with pytest.raises(SessionFileError, match="capture rate"):
        Recording.from_dict(d)
    # a recording of the tagged clip is analysed in real time without being opened
    path, truth = clips["float"]
    n = len(truth.times)
    t = build_index(path).times
    track = Track(t, truth.x, truth.y, np.ones(n), np.ones(n, np.uint8))
    tagged = Recording(str(path), track=track)
    assert recording_time_scale(tagged).factor == pytest.approx(0.25, rel=1e-3)
    r = analyze_recording(tagged, "back squat")
    assert r.calibration["time"]["source"] == "file"
    assert r.kinematics.t[-1] == pytest.approx(truth.times[-1], abs=1e-3)
