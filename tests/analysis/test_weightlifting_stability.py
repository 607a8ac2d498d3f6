"""The pull's phases do not jump from one frame to a distant one when the track changes
by a fraction of a pixel.

Re-opening the same clip on another machine gives a track a pixel or two off (a CPU
whose numeric kernels round differently, another encoder thread count): on the shared
clean and jerk the second pull's start read 5.60 s on one and 5.36 s on another, because
the first pull ended at the first local maximum of the bar's speed followed by a dip
deep enough, and a wobble of a few cm/s decided which one that was. Here a truth
trajectory (tests/truth2) is tracked with an error that grows with the bar's speed, as a
tracker's does (smooth, 5 Hz, 2-3 px at 1.8 m/s, 0.3-0.45 px at rest), then re-read ten
times with 0.2 px and 1e-9 relative noise more: before, the first pull's end moved by
0.13-0.14 s (4 frames) between the re-reads on two of these tracks, the transition's end
by 0.13 s on the third. Over 48 such tracks (3 lifts, 2 and 3 px, 8 seeds, 6 re-reads)
7 moved by more than 2 frames before, 1 by 0.083 s now.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.lift.numeric import butter_lowpass, filtfilt
from analysis.lift.weightlifting import analyze_weightlifting
from tests.truth2 import weightlifting_truth as W

FPS = 30.0
M_PER_PX = 0.003


def _wobble(n: int, seed: int) -> np.ndarray:
    """Smooth tracking error (5 Hz low-passed white noise), unit SD."""
    b, a = butter_lowpass(2, 5.0 / (FPS / 2))
    w = filtfilt(b, a, np.random.default_rng(seed).normal(0.0, 1.0, n), 6)
    return np.asarray(w / w.std())


def _rereads(traj, lift: str, amp_px: float, seed: int, n: int = 10):
    t = np.arange(0.0, traj.duration, 1 / FPS)
    scale = amp_px * (0.15 + np.abs(traj.vy(t)) / 1.8)
    x = 700 + traj.x(t) / M_PER_PX + scale * _wobble(len(t), seed)
    y = 900 - traj.y(t) / M_PER_PX + scale * _wobble(len(t), seed + 1000)
    out = []
    for k in range(n):
        rng = np.random.default_rng(100 + k)
        xk = x * (1 + 1e-9 * rng.standard_normal(len(t))) + rng.normal(0, 0.2, len(t))
        yk = y * (1 + 1e-9 * rng.standard_normal(len(t))) + rng.normal(0, 0.2, len(t))
        res = analyze_weightlifting(t, xk, yk, m_per_px=M_PER_PX, lift=lift)
        assert len(res.attempts) == 1
        out.append(res.attempts[0])
    return out, traj.attempts[0]


@pytest.mark.parametrize("make,lift,amp_px,seed", [
    (lambda: W.clean_and_jerk(1), "clean_and_jerk", 3.0, 1),
    (lambda: W.snatch(1), "snatch", 3.0, 5),
    (lambda: W.snatch(1, v_first=1.1, v_dip=1.2), "snatch", 2.0, 2)],
    ids=["clean and jerk", "snatch", "snatch with a rising plateau"])
def test_first_pull_and_transition_stay_put_under_small_changes(make, lift, amp_px, seed):
    attempts, truth = _rereads(make(), lift, amp_px, seed)
    for name in ("first_pull", "transition"):
        ends = np.asarray([a.phase(name).end_t for a in attempts if a.phase(name)])
        assert len(ends) == len(attempts), name            # the transition never vanishes
        assert np.ptp(ends) <= 2 / FPS, (name, np.round(ends, 3))
        # and still where the definitions put them (the truth's knots), within 2 frames
        assert np.abs(ends - truth.phase(name).end_t).max() <= 2 / FPS + 1e-9, \
            (name, np.round(ends, 3), truth.phase(name).end_t)


@pytest.mark.parametrize("make,lift,noise_px", [
    (lambda: W.clean_and_jerk(1), "clean_and_jerk", 0.5),
    (lambda: W.clean_and_jerk(1), "clean_and_jerk", 0.7),
    (lambda: W.snatch(1), "snatch", 0.5)],
    ids=["clean and jerk 0.5 px", "clean and jerk 0.7 px", "snatch 0.5 px"])
def test_the_bar_held_still_is_found_through_the_track_noise(make, lift, noise_px):
    """The recovery ends, and a clean and jerk's rack starts, where the bar is held still.
    That was judged on the 12 Hz speed, which wobbles by 0.05-0.07 m/s with half a pixel of
    tracking jitter: a still stretch of 0.25 s under 0.05 m/s came by chance, seconds late.
    Before, over 10 draws the recovery ended up to 1.3 s (0.5 px) and 3.0 s (0.7 px) late on
    the clean and jerk, whose jerk was then not found at all, and up to 0.97 s late on the
    snatch; the real clean and jerk with 0.5 px more jitter lost its jerk the same way."""
    traj = make()
    truth = traj.attempts[0]
    t = np.arange(0.0, traj.duration, 1 / FPS)
    for seed in range(10):
        rng = np.random.default_rng(seed)
        res = analyze_weightlifting(t, 700 + traj.x(t) / M_PER_PX + rng.normal(0, noise_px, len(t)),
                                    900 - traj.y(t) / M_PER_PX + rng.normal(0, noise_px, len(t)),
                                    m_per_px=M_PER_PX, lift=lift)
        a = res.attempts[0]
        assert [p.name for p in a.phases] == [p.name for p in truth.phases], seed
        for p in truth.phases:
            if p.name in ("recovery", "rack"):
                got = a.phase(p.name)
                assert abs(got.end_t - p.end_t) <= 0.12, (seed, p.name, got.end_t, p.end_t)


def test_a_noisy_start_does_not_bend_the_pull_split():
    """The three lines are fitted from lift-off. They were fitted from the attempt's first
    moving sample when that came earlier: on a power clean with 0.7 px of jitter a draw
    walked it back to the clip's start, the first line had to fit the rest and the rise,
    a short steep middle line fitted a noise step (slopes 0.9, 13.9, 1.1 m/s²) and the
    first pull ended 0.12 s early with no transition. Fits without a transition's shape
    are also passed over when one with it fits nearly as well."""
    traj = W.power_clean(1)
    truth = traj.attempts[0]
    t = np.arange(0.0, traj.duration, 1 / FPS)
    for seed in range(10):
        rng = np.random.default_rng(seed)
        a = analyze_weightlifting(t, 700 + traj.x(t) / M_PER_PX + rng.normal(0, 0.7, len(t)),
                                  900 - traj.y(t) / M_PER_PX + rng.normal(0, 0.7, len(t)),
                                  m_per_px=M_PER_PX, lift="clean").attempts[0]
        for name in ("first_pull", "transition", "second_pull"):
            p = a.phase(name)
            assert p is not None, (seed, name)
            assert abs(p.end_t - truth.phase(name).end_t) <= 2 / FPS, (seed, name, p.end_t)


@pytest.mark.parametrize("make,lift", [(lambda: W.snatch(1), "snatch"),
                                       (lambda: W.power_clean(1), "clean"),
                                       (lambda: W.missed_snatch(1), "snatch")],
                         ids=["snatch", "power clean", "missed snatch"])
def test_lift_off_stays_put_under_small_changes(make, lift):
    """Lift-off was the last sample within 4 noise SDs of the rest: a crossing of a
    curve that leaves the floor flat, which the track's jitter moved by frames. Over 10
    draws of 0.3 px jitter it spread over 0.10 s (3 frames) on the snatch and the missed
    snatch, over more than a frame on the power clean; it is now fitted to the rise up to
    3 cm."""
    traj = make()
    truth = traj.attempts[0]
    t = np.arange(0.0, traj.duration, 1 / FPS)
    got = []
    for seed in range(10):
        rng = np.random.default_rng(seed)
        a = analyze_weightlifting(t, 700 + traj.x(t) / M_PER_PX + rng.normal(0, 0.3, len(t)),
                                  900 - traj.y(t) / M_PER_PX + rng.normal(0, 0.3, len(t)),
                                  m_per_px=M_PER_PX, lift=lift).attempts[0]
        got.append(a.liftoff_t)
    assert np.ptp(got) <= 1 / FPS, np.round(got, 3)
    assert np.abs(np.asarray(got) - truth.liftoff_t).max() <= 2 / FPS, np.round(got, 3)


@pytest.mark.parametrize("per_px", [4, 2], ids=["quarter-pixel", "half-pixel"])
@pytest.mark.parametrize("make,lift,phase", [
    (lambda: W.missed_snatch(1), "snatch", "miss_drop"),
    (lambda: W.snatch(1), "snatch", "recovery")], ids=["missed snatch", "snatch"])
def test_a_track_in_steps_settles(make, lift, phase, per_px):
    """A tracker whose output moves in quarter-pixel steps leaves most second differences
    of the heights exactly zero: the noise read zero and the rest tolerance fell to its
    0.5 mm floor, so the bar held or dropped still "moved" over sub-millimetre steps and
    the end of the miss (the bar still on the floor) or of the recovery ran late, 0.65 s
    and 0.37 s over 6 draws (a generated missed snatch tracked: 3.40 s for 2.65 s). With
    half-pixel steps (1.5 mm here, above that floor) the recovery still ran 0.25-0.73 s
    late: the noise is now read as at least the rounding to one step."""
    traj = make()
    want = next(p.end_t for p in traj.attempts[0].phases if p.name == phase)
    t = np.arange(0.0, traj.duration, 1 / FPS)
    for seed in range(6):
        rng = np.random.default_rng(seed)
        x = np.round((700 + traj.x(t) / M_PER_PX + rng.normal(0, 0.1, len(t))) * per_px) / per_px
        y = np.round((900 - traj.y(t) / M_PER_PX + rng.normal(0, 0.1, len(t))) * per_px) / per_px
        a = analyze_weightlifting(t, x, y, m_per_px=M_PER_PX, lift=lift).attempts[0]
        assert abs(a.phase(phase).end_t - want) <= 0.1, (seed, a.phase(phase).end_t, want)
