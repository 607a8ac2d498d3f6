"""``liftlens batch`` on a clean and jerk: a clip in a LIFTER/clean and jerk/ folder is
found, tracked, calibrated from its plate and measured as an attempt (summary rows per
attempt with the peak and catch heights against the generated truth)."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from analysis.synth.lift_clip import render_clip_fast
from app.cli.main import main
from tests.truth2 import weightlifting_truth as W

PX_PER_M = 150.0


def test_a_weightlifting_clip_gives_attempt_rows(tmp_path):
    traj = W.clean_and_jerk(1)
    t = np.arange(0.0, traj.duration, 1 / 30)
    clip = tmp_path / "clips" / "carl" / "clean and jerk" / "day1.mp4"
    clip.parent.mkdir(parents=True)
    render_clip_fast(clip, t, 200 + traj.x(t) * PX_PER_M, 390 - traj.y(t) * PX_PER_M,
                     size=(400, 400), plate_diameter_px=0.45 * PX_PER_M)
    out = tmp_path / "out"
    rc = main(["batch", str(tmp_path / "clips"), "--out", str(out), "--exercise-from-folder",
               "--plate-mm", "450", "--jobs", "1", "-q"])
    assert rc == 0
    with open(out / "summary.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    clip_row, *attempts = rows
    assert clip_row["exercise"] == "clean and jerk" and clip_row["attempt"] == ""
    assert [r["attempt"] for r in attempts] == ["1"]
    truth = traj.attempts[0]
    a = attempts[0]
    assert a["rep_status"] == "made" and a["units"] == "m"
    assert float(a["peak_height"]) == pytest.approx(truth.peak_height_m, abs=0.03)
    assert float(a["catch_height"]) == pytest.approx(truth.catch_height_m, abs=0.03)
    doc = json.loads((out / clip_row["result"]).read_text())
    assert doc["weightlifting"]["attempts"][0]["missed"] is False
