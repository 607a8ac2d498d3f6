"""Weightlifting exercises get their own analysis (attempts), a lift that starts on the
floor is analysed as such whatever the exercise says, and the user is told when the
exercise and the motion disagree."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.lift.attempts import (ATTEMPT_COLUMNS, add_attempts, attempt_overlay,
                                    attempts_csv, compare_attempt_rows)
from analysis.lift.exercises import lift_for, weightlifting_for
from analysis.lift.result import analyze_track
from analysis.lift.weightlifting import analyze_weightlifting
from tests.truth2 import weightlifting_truth as W

M = 0.002


@pytest.mark.parametrize("name,lift,variants", [
    ("snatch", "snatch", ()), ("Power Clean", "clean", ("power",)),
    ("hang snatch", "snatch", ("hang",)), ("clean and jerk", "clean_and_jerk", ()),
    ("Clean & Jerk", "clean_and_jerk", ()), ("split jerk", "jerk", ("split",)),
    ("power jerk", "jerk", ("power",)), ("hang power clean", "clean", ("power", "hang")),
    ("squat clean", "clean", ("squat",)),
])
def test_weightlifting_exercises_have_their_profile(name, lift, variants):
    p = weightlifting_for(name)
    assert p is not None and p.lift == lift and p.variants == variants
    assert p.from_floor == (lift != "jerk" and "hang" not in variants)


@pytest.mark.parametrize("name", ["snatch pull", "clean deadlift", "push press", "back squat",
                                  "snatch balance", "deadlift", "", None])
def test_other_exercises_are_not_weightlifting(name):
    assert weightlifting_for(name) is None


def test_the_rep_profiles_are_unchanged():
    assert [lift_for(e) for e in ("back squat", "bench press", "deadlift", "overhead press",
                                  "clean", "snatch", "jerk", "curl")] == \
        ["squat", "bench", "deadlift", "press", "deadlift", "deadlift", "press", None]


def _track(traj, fps=30.0):
    t = np.arange(0.0, traj.duration, 1 / fps)
    return t, 700 + traj.x(t) / M, 900 - traj.y(t) / M


def test_a_clean_and_jerk_exercise_is_analysed_as_attempts():
    traj = W.clean_and_jerk(1)
    t, x, y = _track(traj)
    res = analyze_track(t, x, y, m_per_px=M, lift=lift_for("clean and jerk"),
                        exercise="clean and jerk")
    add_attempts(res, weightlifting_for("clean and jerk"))
    wl = res.weightlifting
    assert wl is not None and len(wl.attempts) == 1
    a, truth = wl.attempts[0], traj.attempts[0]
    assert a.peak_height_m == pytest.approx(truth.peak_height_m, abs=0.01)
    assert not any(w.startswith("no reps found") for w in res.warnings)
    assert res.to_dict(series=False)["weightlifting"]["attempts"][0]["phases"][0]["name"] == \
        "first_pull"
    # the data CSV: the table's columns, the phases and the jerk
    lines = attempts_csv(res).splitlines()
    head = lines[0].split(",")
    assert head[1:1 + len(ATTEMPT_COLUMNS)] == [c[0] for c in ATTEMPT_COLUMNS]
    row = dict(zip(head, lines[1].split(","), strict=False))
    assert float(row["peak_height_cm"]) == pytest.approx(truth.peak_height_m * 100, abs=1)
    assert float(row["jerk_dip_depth_m"]) == pytest.approx(truth.jerk.dip_depth_m, abs=0.01)
    assert float(row["second_pull_end_s"]) == pytest.approx(truth.peak_velocity_t, abs=0.07)
    # the overlay: every attempt sample has a phase, lift-off and key points labelled in cm
    ov = attempt_overlay(res)
    assert ov is not None and len(ov.phase) == len(t)
    assert ov.phase[int(round(truth.peak_velocity_t * 30)) - 2] == "second_pull"
    assert [m[1] for m in ov.marks][:2] == [f"peak {a.peak_height_m * 100:.0f} cm",
                                            f"catch {a.catch_height_m * 100:.0f} cm"]
    assert abs(t[ov.liftoffs[0]] - truth.liftoff_t) <= 2 / 30


def test_a_hang_start_measures_heights_from_the_start():
    traj = W.snatch(1)
    t, x, y = _track(traj)
    res = analyze_track(t, x, y, m_per_px=M, lift="deadlift")
    add_attempts(res, weightlifting_for("hang snatch"))
    a = res.weightlifting.attempts[0]
    assert a.peak_height_m == pytest.approx(traj.attempts[0].peak_height_m - 0.225, abs=0.01)
    assert any("not from the floor" in w for w in res.weightlifting.warnings)


def test_without_a_scale_the_user_is_told_to_calibrate():
    t, x, y = _track(W.snatch(1))
    res = analyze_track(t, x, y, lift="deadlift")
    add_attempts(res, weightlifting_for("snatch"))
    assert res.weightlifting is None and any("calibrate" in w for w in res.warnings)


def test_two_attempts_compared():
    a = analyze_weightlifting(*_track(W.snatch(1)), m_per_px=M, lift="snatch").attempts[0]
    b = analyze_weightlifting(*_track(W.snatch(3)), m_per_px=M, lift="snatch").attempts[0]
    rows = {r[0]: r[1:] for r in compare_attempt_rows(a, b)}
    assert rows["Trajectory type"] == ("1", "3", "differs")
    pa, pb = float(rows["Peak height (cm)"][0]), float(rows["Peak height (cm)"][1])
    assert float(rows["Peak height (cm)"][2]) == pytest.approx(pb - pa, abs=0.11)
    assert "Second pull (s)" in rows and rows["Result"] == ("made", "made", "")


def test_a_lift_from_the_floor_is_analysed_up_first_whatever_the_exercise_says():
    """A clean labelled "back squat": the bar starts at its lowest point and rises first."""
    t, x, y = _track(W.power_clean(1))
    res = analyze_track(t, x, y, m_per_px=M, lift="squat", exercise="back squat")
    assert res.direction == "up_first" and res.direction_source == "motion"
    assert any("The exercise says back squat" in w and "from the floor" in w
               for w in res.warnings)
    agreed = analyze_track(t, x, y, m_per_px=M, lift="deadlift")
    assert agreed.direction == "up_first" and agreed.direction_source == "lift"
    assert not any("The exercise says" in w for w in agreed.warnings)
    user = analyze_track(t, x, y, m_per_px=M, lift="squat", direction="down_first")
    assert user.direction == "down_first" and user.direction_source == "user"


def test_a_bar_going_down_first_under_a_floor_lift_is_told_not_flipped():
    """A squat labelled "deadlift": the warning says so; the exercise's order is kept."""
    t = np.arange(0, 6, 1 / 30)
    h = 1.4 - 0.25 * (1 - np.cos(2 * np.pi * np.clip(t - 1, 0, 4) / 2))  # two squats
    res = analyze_track(t, np.full_like(t, 500.0), 900 - h / M, m_per_px=M, lift="deadlift")
    assert res.direction == "up_first"
    assert any("goes down first" in w for w in res.warnings)


def test_squats_labelled_snatch_are_no_attempts_and_the_user_is_told():
    """A squat's bottom is no lift-off (the bar never rests there): no attempt is made up,
    and the warnings say the exercise and the motion disagree."""
    t = np.arange(0, 6, 1 / 30)
    h = 1.4 - 0.25 * (1 - np.cos(2 * np.pi * np.clip(t - 1, 0, 4) / 2))
    res = analyze_track(t, np.full_like(t, 500.0), 900 - h / M, m_per_px=M,
                        lift=lift_for("snatch"), exercise="snatch")
    add_attempts(res, weightlifting_for("snatch"))
    assert res.weightlifting is not None and res.weightlifting.attempts == []
    assert any("No attempt found" in w for w in res.weightlifting.warnings)
    assert any("The exercise says snatch" in w and "goes down first" in w for w in res.warnings)


@pytest.mark.parametrize("m_per_px", [None, M], ids=["uncalibrated", "calibrated"])
def test_an_olympic_lift_gets_no_rep_finding_warnings(m_per_px):
    """A clean and jerk's panel said "no reps found" beside "calibrate to see the
    attempt", and "a movement from 4.8 to 14.3 s is not counted as a rep" beside "1 attempt,
    1 made": the rep finder's words say nothing about attempts, measured or not."""
    t, x, y = _track(W.clean_and_jerk(1))
    res = analyze_track(t, x, y, m_per_px=m_per_px, lift=lift_for("clean and jerk"),
                        exercise="clean and jerk")
    res.warnings += [  # as the gap and plausibility checks word them
        "a movement from 4.8 to 14.3 s is not counted as a rep: the bar was not seen at "
        "14.3–15.1 s (a camera cut, the bar hidden or lost), so it cannot be measured",
        "the movement at 2.0 s is not counted as a rep: a concentric of 0.10 s is not a lift",
        "rep 1: correction not applied (no rep there)"]
    add_attempts(res, weightlifting_for("clean and jerk"))
    said = " ".join(res.warnings).lower()
    assert "no reps found" not in said and " rep" not in said.replace("calibrate", "")
    assert (res.weightlifting is not None) == (m_per_px is not None)
