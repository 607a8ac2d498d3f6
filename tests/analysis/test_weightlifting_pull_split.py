"""Where the first pull ends: at about knee height, not at a wobble of the speed just off
the floor (the tracks of the independent truth in tests/truth2, with a surge of the bar
off the floor or a velocity plateau instead of a dip; and the real clean and jerk).

Before, the first pull ended at the first local maximum of the bar's speed: a 1 cm surge
0.1 s after lift-off ended it there (0.09 s long), and a transition without a dip was
0.01 s or zero long, shorter than one frame.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.lift.weightlifting import analyze_weightlifting
from tests.truth2 import weightlifting_truth as W

M_PER_PX = 0.002
FPS = 30.0
PULL = ("first_pull", "transition", "second_pull", "turnover")


def _attempt(traj, lift: str, *, noise: float = 0.0, surge_m: float = 0.0):
    """Analyse ``traj`` filmed at 30 fps (lifter facing right); ``surge_m``: the bar jumps
    up this far over 0.03 s, 0.07 s after lift-off (it breaks from the floor, then stalls)."""
    t = np.arange(0.0, traj.duration, 1 / FPS)
    truth = traj.attempts[0]
    y = traj.y(t) + surge_m * (1 + np.tanh((t - truth.liftoff_t - 0.07) / 0.01)) / 2
    rng = np.random.default_rng(7)
    x_px = 700 + traj.x(t) / M_PER_PX + rng.normal(0, noise, len(t))
    y_px = 900 - y / M_PER_PX + rng.normal(0, noise, len(t))
    res = analyze_weightlifting(t, x_px, y_px, m_per_px=M_PER_PX, lift=lift)
    assert len(res.attempts) == 1
    return res.attempts[0], truth


def _assert_pull_within_2_frames(got, truth) -> None:
    for name in PULL:
        p, want = got.phase(name), truth.phase(name)
        assert p is not None, (name, [q.name for q in got.phases])
        assert abs(p.end_t - want.end_t) <= 2 / FPS, (name, p.end_t, want.end_t)
        assert abs(p.start_t - want.start_t) <= 2 / FPS, (name, p.start_t, want.start_t)


@pytest.mark.parametrize("make,lift", [(lambda: W.snatch(1), "snatch"),
                                       (lambda: W.clean_and_jerk(1), "clean_and_jerk")],
                         ids=["snatch", "clean and jerk"])
@pytest.mark.parametrize("noise", [0.0, 0.3])
def test_a_surge_off_the_floor_does_not_end_the_first_pull(make, lift, noise):
    a, truth = _attempt(make(), lift, noise=noise, surge_m=0.01)
    _assert_pull_within_2_frames(a, truth)
    assert a.phase("first_pull").duration_s > 0.4


@pytest.mark.parametrize("v_first,v_dip", [(1.2, 1.2), (1.1, 1.2)],
                         ids=["flat plateau", "rising plateau"])
@pytest.mark.parametrize("noise", [0.0, 0.3])
def test_a_velocity_plateau_is_the_transition(v_first, v_dip, noise):
    """No dip: the bar's speed levels off while the knees re-bend (the truth's transition
    runs from the first to the second knot of the plateau)."""
    a, truth = _attempt(W.snatch(1, v_first=v_first, v_dip=v_dip), "snatch", noise=noise)
    _assert_pull_within_2_frames(a, truth)
    assert a.first_pull_peak_velocity_m_s is None  # there is no first peak to report


@pytest.mark.parametrize("make,lift", [
    (lambda: W.snatch(1), "snatch"), (lambda: W.power_clean(1), "clean"),
    (lambda: W.clean_and_jerk(1), "clean_and_jerk"), (lambda: W.missed_snatch(1), "snatch"),
    (lambda: W.snatch(1, v_first=1.2, v_dip=1.2), "snatch"),
    (lambda: W.snatch(1, v_first=1.1, v_dip=1.2), "snatch"),
    (lambda: W.snatch(1, v_first=1.0, v_dip=1.35), "snatch")])
@pytest.mark.parametrize("surge_m", [0.0, 0.01])
def test_no_phase_is_shorter_than_a_frame(make, lift, surge_m):
    a, _truth = _attempt(make(), lift, noise=0.3, surge_m=surge_m)
    assert all(p.duration_s >= 1 / FPS - 1e-9 for p in a.phases), \
        [(p.name, round(p.duration_s, 3)) for p in a.phases]


def test_an_even_acceleration_gives_no_transition_and_says_so():
    """The bar speeding up evenly through the knee band: no dip, no plateau. The first
    pull ends with the bar at about knee height and no transition is shown."""
    a, truth = _attempt(W.snatch(1, v_first=1.0, v_dip=1.35, transition_s=0.12), "snatch")
    assert a.phase("transition") is None
    rise = truth.peak_height_m - W.FLOOR_BAR_HEIGHT_M
    end = a.phase("first_pull").end_t
    at_end = float(np.asarray(W.snatch(1, v_first=1.0, v_dip=1.35).y(np.asarray([end])))[0])
    assert 0.15 * rise <= at_end - W.FLOOR_BAR_HEIGHT_M <= 0.5 * rise
    assert any("no transition is shown" in w for w in a.warnings)


def test_real_clean_and_jerk_first_pull_reaches_the_knee(shared_data):
    """The shared clean and jerk measured as the app and ``analyze --auto`` measure it (the
    plate found and followed, 450 mm). Read off the frames: lift-off at about 4.9 s, the
    bar at the knee at 5.46 s and at the hips at 5.63 s, peak velocity at about 5.8 s.
    Before, the first pull ended 0.09 s after lift-off with the bar at mid-shin and the
    transition lasted 0.04 s (CLI) or 0.02 s (app), less than a frame."""
    from analysis.batch.clip import analyze_video
    from analysis.lift.attempts import add_attempts
    from analysis.lift.exercises import WeightliftingProfile

    path = shared_data / "videos" / "GhislandiGiulio__bar_path_tracker__c_j.MP4"
    if not path.exists():
        pytest.skip("the clean and jerk clip is not in the shared data")
    res = analyze_video(str(path), plate_mm=450, lift="deadlift").result
    add_attempts(res, WeightliftingProfile("clean_and_jerk"))
    assert res.weightlifting is not None and len(res.weightlifting.attempts) == 1
    a = res.weightlifting.attempts[0]
    first, second = a.phase("first_pull"), a.phase("second_pull")
    # the bar leaves its lowest point (-1618.0 mm) on the frame at 4.797 s and rises 0.4,
    # 1.3, 2.3, 4.1 mm over the next four frames (33 ms apart): lift-off is read there, a
    # frame or three before the rise is plain to the eye
    assert 4.76 < a.liftoff_t < 5.0
    assert 5.3 < first.end_t < 5.55            # the bar at about the knee
    assert 5.45 < second.start_t < 5.65        # to the hips
    assert 5.75 < second.end_t < 5.9           # peak velocity
    assert 0.15 < second.duration_s < 0.35
    dt = float(np.median(np.diff(res.kinematics.t)))
    assert all(p.duration_s >= dt * 0.999 for p in a.phases)
