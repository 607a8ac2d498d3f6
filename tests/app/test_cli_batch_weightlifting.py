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


@pytest.mark.parametrize("folder", ["clean and jerk", "clean_and_jerk"])
def test_a_weightlifting_clip_gives_attempt_rows(tmp_path, folder):
    """Attempt rows instead of rep rows, the lift named as measured, and the same result
    file ``liftlens analyze --lift clean_and_jerk --json`` writes (before: ``lift``
    deadlift, a 1-0-7-2 tempo rep row beside the attempt row, a deadlift result file)."""
    traj = W.clean_and_jerk(1)
    t = np.arange(0.0, traj.duration, 1 / 30)
    clip = tmp_path / "clips" / "carl" / folder / "day1.mp4"
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
    # a folder clean_and_jerk is the exercise "clean and jerk", as the app names it
    assert clip_row["exercise"] == "clean and jerk" and clip_row["attempt"] == ""
    assert {r["lift"] for r in rows} == {"clean_and_jerk"}
    assert all(r["rep"] == "" and r["tempo"] == "" for r in rows)
    assert clip_row["reps"] == "" and clip_row["mcv"] == "" and clip_row["rom"] == ""
    assert [r["attempt"] for r in attempts] == ["1"]
    truth = traj.attempts[0]
    a = attempts[0]
    assert a["rep_status"] == "made" and a["units"] == "m"
    assert a["velocity_units"] == "m/s"
    assert float(a["peak_height"]) == pytest.approx(truth.peak_height_m, abs=0.03)
    assert float(a["catch_height"]) == pytest.approx(truth.catch_height_m, abs=0.03)
    doc = json.loads((out / clip_row["result"]).read_text())
    assert doc["format"] == "liftlens-weightlifting" and doc["lift"] == "clean_and_jerk"
    assert doc["attempts"][0]["missed"] is False
    assert doc["calibration"]["m_per_px"] == pytest.approx(doc["m_per_px"])
    # the same file as analyze --lift writes for the same clip
    single = tmp_path / "single.json"
    assert main(["analyze", str(clip), "--auto", "--plate-mm", "450", "--lift",
                 "clean_and_jerk", "--json", str(single)]) == 0
    assert json.loads(single.read_text()) == doc
