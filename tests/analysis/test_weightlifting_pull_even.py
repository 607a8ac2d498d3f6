"""A pull whose speed rises at one acceleration from lift-off to peak velocity has no
transition: no double knee bend shows in the bar's speed, and the app says so.

The pull split prefers three-line fits with a transition's shape (the middle line the
least steep) when one fits nearly as well as the best; on a straight rise of the speed
such a fit always exists, bending only by the noise, and a transition of 0.04-0.10 s was
reported in 24 of 24 noisy reads (none before that preference). Truth: a tests/truth2
snatch with its pull replaced by one constant acceleration (position integrated), and
the same snatch as built (a real transition), which must keep its transition.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.lift.weightlifting import analyze_weightlifting
from tests.truth2 import weightlifting_truth as W

M_PER_PX = 0.002


def _snatch(even: bool):
    """The truth snatch's (times, heights) on a 0.1 ms grid, the pull made one steady
    acceleration when ``even``; and the truth attempt."""
    traj = W.snatch(1)
    tr = traj.attempts[0]
    tf = np.arange(0.0, traj.duration, 1e-4)
    vf = traj.vy(tf).copy()
    if even:
        vp = float(traj.vy(np.array([tr.peak_velocity_t]))[0])
        m = (tf >= tr.liftoff_t) & (tf <= tr.peak_velocity_t)
        vf[m] = vp * (tf[m] - tr.liftoff_t) / (tr.peak_velocity_t - tr.liftoff_t)
    y0 = float(traj.y(np.array([0.0]))[0])
    yf = y0 + np.concatenate([[0.0], np.cumsum(0.5 * (vf[1:] + vf[:-1]) * 1e-4)])
    return traj, tf, yf, tr


def _transitions(even: bool, fps: float, noise: float) -> list[tuple[float, list[str]]]:
    traj, tf, yf, _ = _snatch(even)
    out = []
    for seed in range(4):
        rng = np.random.default_rng(seed)
        t = np.arange(0.0, traj.duration - 0.01, 1 / fps)
        x = 640 + traj.x(t) / M_PER_PX + rng.normal(0, noise, len(t))
        y = 700 - np.interp(t, tf, yf) / M_PER_PX + rng.normal(0, noise, len(t))
        r = analyze_weightlifting(t, x, y, m_per_px=M_PER_PX, lift="snatch")
        p = r.attempts[0].phase("transition")
        out.append((0.0 if p is None else p.end_t - p.start_t, r.attempts[0].warnings))
    return out


@pytest.mark.parametrize("fps", [30.0, 60.0, 240.0])
@pytest.mark.parametrize("noise", [0.3, 0.7])
def test_an_even_speed_up_shows_no_transition(fps, noise):
    for length, warnings in _transitions(True, fps, noise):
        assert length < 1e-9, (fps, noise, length)
        assert any("No velocity dip or plateau" in w for w in warnings), warnings


@pytest.mark.parametrize("fps", [30.0, 240.0])
def test_a_real_transition_is_still_shown(fps):
    for length, _w in _transitions(False, fps, 0.7):
        assert length > 0.04, (fps, length)
