"""A set with no exercise given: what was read from the bar is said as such ("bar up
first"), not as a lift the user never chose; a first rep far slower than the last gives
no velocity loss; a track that clearly looks like a snatch or a clean suggests setting
the exercise. (Tour findings: a clean and jerk shown as a 7 s "deadlift" rep, a bench
set with a -293 % velocity loss.)"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.lift.result import analyze_track
from analysis.lift.set_metrics import velocity_loss
from tests.truth import lift_truth as T
from tests.truth2 import weightlifting_truth as W

M_PER_PX = 0.003


def _deadlifts():
    truth = T.build_set(T.family()["deadlift_touch_and_go"])
    t = np.arange(0.0, truth.duration_s, 1 / 30)
    y, _v = T.sample(truth, t)
    return t, np.full(len(t), 300.0), 800.0 - y / M_PER_PX


def _clean():
    traj = W.power_clean(1)
    t = np.arange(0.0, traj.duration, 1 / 30)
    return t, 300.0 + traj.x(t) / M_PER_PX, 800.0 - traj.y(t) / M_PER_PX


def test_no_exercise_says_the_direction_not_a_lift_name():
    t, x, y = _deadlifts()
    unnamed = analyze_track(t, x, y, m_per_px=M_PER_PX)
    named = analyze_track(t, x, y, m_per_px=M_PER_PX, lift="deadlift")
    assert unnamed.direction == "up_first" and not unnamed.lift_chosen
    assert unnamed.to_dict()["lift_chosen"] is False
    assert named.lift_chosen and named.to_dict()["lift_chosen"] is True
    from widgets.panel_data import panel_data  # no Qt in it

    head = panel_data(unnamed).summary[0]
    assert "deadlift" not in head and "bar up first" in head, head
    assert "deadlift" in panel_data(named).summary[0]


def test_a_first_rep_far_slower_than_the_last_is_no_velocity_loss():
    """bench2 read with no exercise: the unrack (0.06 m/s) then the press (0.24 m/s)."""
    vl = velocity_loss([0.06, 0.236], sds=[0.002, 0.002])
    assert vl.first_last_pct == pytest.approx(-293, abs=1)
    assert vl.first_last_implausible
    text = vl.first_last_text()
    assert text.startswith("not measured") and "3.9× slower" in text and "%" not in text
    assert vl.to_dict()["first_last_implausible"] is True


@pytest.mark.parametrize("values", [[0.50, 0.52], [0.40, 0.46, 0.45], [0.60, 0.45],
                                    [0.40, 0.45, 0.54]])
def test_an_ordinary_set_keeps_its_velocity_loss(values):
    """A last rep a little faster than the first (a slow first rep is common), or a real
    loss, is shown as measured."""
    vl = velocity_loss(values, sds=[0.01] * len(values))
    assert not vl.first_last_implausible
    assert not vl.first_last_text().startswith("not measured")


def test_a_clean_with_no_exercise_suggests_setting_it():
    t, x, y = _clean()
    res = analyze_track(t, x, y, m_per_px=M_PER_PX)
    hints = [w for w in res.warnings if w.startswith("This looks like a snatch or a clean")]
    assert len(hints) == 1 and "Set the exercise" in hints[0]
    # named, or without a scale, no suggestion
    assert not any("looks like a snatch" in w for w in
                   analyze_track(t, x, y, m_per_px=M_PER_PX, lift="deadlift").warnings)
    assert not any("looks like a snatch" in w for w in analyze_track(t, x, y).warnings)


@pytest.mark.parametrize("name", ["deadlift_touch_and_go", "deadlift_paused_hold",
                                  "deadlift_mixed_shapes"])
def test_deadlifts_are_not_taken_for_olympic_lifts(name):
    truth = T.build_set(T.family()[name])
    t = np.arange(0.0, truth.duration_s, 1 / 30)
    y, _v = T.sample(truth, t)
    res = analyze_track(t, np.full(len(t), 300.0), 800.0 - y / M_PER_PX, m_per_px=M_PER_PX)
    assert not any("looks like a snatch" in w for w in res.warnings)
