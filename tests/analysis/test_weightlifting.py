"""Snatch, clean and jerk analysis against an independent truth (tests/truth2, written
blind from the literature): phases within 2 frames at 30 fps, heights within 1 cm,
trajectory type right, a missed lift marked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from analysis.io.track_csv import read_track_csv
from analysis.lift.weightlifting import analyze_weightlifting
from tests.truth2 import weightlifting_truth as W

ROOT = Path(__file__).resolve().parents[2]
M_PER_PX = 0.002

CASES = [
    ("snatch type 1", lambda: W.snatch(1), "snatch"),
    ("snatch type 2", lambda: W.snatch(2), "snatch"),
    ("snatch type 3", lambda: W.snatch(3), "snatch"),
    ("power clean", lambda: W.power_clean(1), "clean"),
    ("clean and jerk", lambda: W.clean_and_jerk(1), "clean_and_jerk"),
    ("missed snatch", lambda: W.missed_snatch(1), "snatch"),
]


def _run(tmp_path: Path, traj, lift: str, *, fps: float, faces: str, noise: float):
    csv = tmp_path / "track.csv"
    W.to_track_csv(traj, csv, fps=fps, m_per_px=M_PER_PX, origin_px=(700, 900),
                   lifter_faces=faces, noise_px=noise, seed=5)
    td = read_track_csv(csv)
    return analyze_weightlifting(td.t, td.x, td.y, m_per_px=M_PER_PX, lift=lift)


@pytest.mark.parametrize("name,make,lift", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("faces,noise", [("right", 0.0), ("left", 0.3)])
def test_attempt_against_truth(tmp_path, name, make, lift, faces, noise):
    traj = make()
    truth = traj.attempts[0]
    res = _run(tmp_path, traj, lift, fps=30, faces=faces, noise=noise)
    assert len(res.attempts) == 1
    a = res.attempts[0]
    assert res.lifter_faces == faces
    frame = 1 / 30
    assert abs(a.liftoff_t - truth.liftoff_t) <= 2 * frame
    names = [p.name for p in truth.phases]
    assert [p.name for p in a.phases] == names
    for want in truth.phases:
        got = a.phase(want.name)
        assert got is not None
        assert abs(got.end_t - want.end_t) <= 2 * frame, (want.name, got.end_t, want.end_t)
    assert a.peak_height_m == pytest.approx(truth.peak_height_m, abs=0.01)
    assert a.catch_height_m == pytest.approx(truth.catch_height_m, abs=0.01)
    assert a.drop_m == pytest.approx(truth.drop_m, abs=0.01)
    assert a.peak_velocity_m_s == pytest.approx(truth.peak_velocity_m_s, rel=0.04)
    assert a.x1_m == pytest.approx(truth.x1_m, abs=0.01)
    assert a.x2_m == pytest.approx(truth.x2_m, abs=0.01)
    assert a.x3_m == pytest.approx(truth.x3_m, abs=0.01)
    assert a.net_x_m == pytest.approx(truth.net_x_m, abs=0.01)
    assert a.trajectory_type == truth.trajectory_type
    assert a.missed == truth.missed


def test_jerk_measures_of_the_clean_and_jerk(tmp_path):
    traj = W.clean_and_jerk(2)
    jt = traj.attempts[0].jerk
    a = _run(tmp_path, traj, "clean_and_jerk", fps=60, faces="right", noise=0.0).attempts[0]
    assert a.jerk is not None
    assert a.jerk["dip_depth_m"] == pytest.approx(jt.dip_depth_m, abs=0.01)
    assert a.jerk["peak_velocity_m_s"] == pytest.approx(jt.peak_velocity_m_s, rel=0.04)


def test_two_attempts_in_one_clip(tmp_path):
    """A set of attempts: the bar is lowered to the floor, then lifted again."""
    first, second = W.snatch(1), W.missed_snatch(3)
    fps = 30.0
    t1 = np.arange(0, first.duration, 1 / fps)
    t2 = np.arange(0, second.duration, 1 / fps)
    # lower the first bar back to the floor in 1.5 s, rest, then the second attempt
    down = np.linspace(0, 1, int(1.5 * fps))
    y1 = first.y(t1)
    y_down = y1[-1] + (0.225 - y1[-1]) * (1 - np.cos(np.pi * down)) / 2
    y = np.concatenate([y1, y_down, np.full(int(fps), 0.225), second.y(t2)])
    x = np.concatenate([first.x(t1), np.full(len(y_down) + int(fps), first.x(t1)[-1]),
                        first.x(t1)[-1] + second.x(t2)])
    t = np.arange(len(y)) / fps
    res = analyze_weightlifting(t, 700 + x / M_PER_PX, 900 - y / M_PER_PX, m_per_px=M_PER_PX,
                                lift="snatch")
    assert [a.missed for a in res.attempts] == [False, True]


def test_a_bar_that_never_leaves_the_floor_is_no_attempt():
    t = np.arange(0, 3, 1 / 30)
    res = analyze_weightlifting(t, np.full_like(t, 500.0), np.full_like(t, 800.0),
                                m_per_px=M_PER_PX, lift="snatch")
    assert res.attempts == [] and "No attempt" in res.warnings[0]


def test_bad_input_is_a_plain_error():
    t = np.arange(5) / 30
    with pytest.raises(ValueError, match="fewer than 10"):
        analyze_weightlifting(t, t, t, m_per_px=M_PER_PX, lift="snatch")
    with pytest.raises(ValueError, match="unknown"):
        analyze_weightlifting(t, t, t, m_per_px=M_PER_PX, lift="curl")


def test_command_line_names_the_phases(tmp_path):
    csv = tmp_path / "cj.csv"
    W.to_track_csv(W.clean_and_jerk(1), csv, fps=30, m_per_px=M_PER_PX, origin_px=(700, 900),
                   lifter_faces="left")
    out = tmp_path / "cj.json"
    r = subprocess.run([sys.executable, "-m", "app.cli.main", "analyze", "--track-csv", str(csv),
                        "--lift", "clean_and_jerk", "--json", str(out)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "1 attempt," in r.stdout and "type 1" in r.stdout
    doc = json.loads(out.read_text())
    names = [p["name"] for p in doc["attempts"][0]["phases"]]
    assert names[:4] == ["first_pull", "transition", "second_pull", "turnover"]
    assert "jerk_drive" in names


def test_command_line_needs_a_scale(tmp_path):
    csv = tmp_path / "px.csv"
    csv.write_text("frame,x,y\n" + "\n".join(f"{i},{500},{800 - i}" for i in range(40)))
    r = subprocess.run([sys.executable, "-m", "app.cli.main", "analyze", "--track-csv", str(csv),
                        "--fps", "30", "--lift", "snatch"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 2 and "metres" in r.stderr and "Traceback" not in r.stderr
