"""``liftlens analyze``: track CSV in, JSON and CSV out, plain errors with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from analysis.synth import motion as M
from analysis.io.track_csv import write_track_csv
from app.cli.main import main

PX_PER_M = 150 / 0.45


@pytest.fixture()
def deadlift_csv(tmp_path: Path):
    script = M.LiftScript(reps=(M.RepSpec(1.0, 0.6, 0.9, 0.5, 0.5),
                                M.RepSpec(1.0, 0.6, 1.2, 0.5, 0.5)), lift="deadlift")
    rng = np.random.default_rng(3)
    t = np.arange(0, M.duration(script), 1 / 30)
    xm, hm, truth = M.sample(script, t)
    x = 300 + xm * PX_PER_M + rng.normal(0, 0.5, len(t))
    y = 500 - hm * PX_PER_M + rng.normal(0, 0.5, len(t))
    p = tmp_path / "track.csv"
    write_track_csv(p, np.arange(len(t)), t, x, y, np.ones(len(t)), np.ones(len(t)))
    return p, truth


def test_track_csv_to_json_and_csv(tmp_path: Path, deadlift_csv, capsys) -> None:
    path, truth = deadlift_csv
    out_json, out_csv = tmp_path / "r.json", tmp_path / "r.csv"
    rc = main(["analyze", "--track-csv", str(path), "--m-per-px", str(1 / PX_PER_M),
               "--lift", "deadlift", "--json", str(out_json), "--csv", str(out_csv),
               "--tempo", "1-1-X-1"])
    assert rc == 0
    out = capsys.readouterr().out
    assert "deadlift: 2 rep(s)" in out
    # each MCV and the velocity loss say how far the tracking noise may move them; the
    # loss names the reps it compares (here the first rep is the fastest: one number)
    assert out.count(" ± ") == 3
    assert "velocity loss from rep 1 (first and fastest) to rep 2 (last): " in out
    d = json.loads(out_json.read_text())
    assert d["units"] == "m" and d["calibration"]["source"] == "argument"
    assert len(d["reps"]) == 2
    for rep, tr in zip(d["reps"], truth, strict=True):
        # 0.5 px noise on minimum-jerk strokes: the generic boundary rule is within
        # 0.04 m/s here (0.02 on exact tracks, tests/analysis/test_validity.py)
        assert abs(rep["metrics"]["mean_concentric_velocity"] - tr.mean_concentric_velocity) < 0.04
        assert 0.001 < rep["metrics"]["mean_concentric_velocity_sd"] < 0.04
        moving = [p for p in rep["phases"] if p["duration"] > 0]
        assert moving[0]["kind"] in ("concentric", "bottom_pause")  # deadlift: pull first
        assert next(p["kind"] for p in moving if p["kind"] != "bottom_pause") == "concentric"
        con = next(p for p in rep["phases"] if p["kind"] == "concentric")
        assert abs(con["start"] - tr.concentric[0]) < 1 / 30
    assert d["set"]["rep_count"] == 2 and d["set"]["velocity_loss"]["first_last_pct"] > 20
    assert set(d["track"]) == {"frame", "t", "x", "y", "confidence", "state"}
    assert out_csv.read_text().splitlines()[0] == "# liftlens-track v1"


def test_json_to_stdout_and_overrides(tmp_path: Path, deadlift_csv, capsys) -> None:
    path, truth = deadlift_csv
    ov = tmp_path / "ov.json"
    ov.write_text(json.dumps({"reps": [{"at": truth[1].top_pause[0], "status": "failed"}]}))
    assert main(["analyze", "--track-csv", str(path), "--lift", "deadlift",
                 "--overrides", str(ov), "--json", "-"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["units"] == "px" and [r["status"] for r in d["reps"]] == ["valid", "failed"]
    assert d["set"]["rep_count"] == 1 and d["set"]["failed_count"] == 1


@pytest.mark.parametrize("argv,msg", [
    (["analyze"], "either a VIDEO"),
    (["analyze", "--track-csv", "/no/such.csv"], "does not exist"),
    (["analyze", "x.mp4", "--track-csv", "a.csv"], "either a VIDEO"),
    (["analyze", "x.mp4"], "--seed"),
    (["analyze", "x.mp4", "--auto"], "does not exist"),
    (["analyze", "--track-csv", "a.csv", "--tempo", "3-1"], "four values"),
])
def test_errors_exit_2_with_a_plain_message(argv, msg, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert msg in err and "Traceback" not in err


def test_bad_overrides_file(tmp_path: Path, deadlift_csv, capsys) -> None:
    path, _ = deadlift_csv
    ov = tmp_path / "ov.json"
    ov.write_text("{not json")
    assert main(["analyze", "--track-csv", str(path), "--overrides", str(ov)]) == 2
    assert "cannot be read" in capsys.readouterr().err


@pytest.mark.parametrize("lift", ["deadlift", "clean"])
def test_an_unwritable_output_is_one_plain_line_for_every_lift(tmp_path: Path, deadlift_csv,
                                                              lift, capsys) -> None:
    """The lifts and the weightlifting lifts stop the same way: exit code 2, one line."""
    path, _ = deadlift_csv
    out = tmp_path / "no" / "such" / "folder" / "r.json"
    assert main(["analyze", "--track-csv", str(path), "--m-per-px", str(1 / PX_PER_M),
                 "--lift", lift, "--json", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("liftlens: ") and str(out) in err
    assert err.count("\n") == 1 and "Traceback" not in err
