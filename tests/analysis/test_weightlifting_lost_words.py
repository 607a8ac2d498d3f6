"""The lost frames of a weightlifting track in plain words: those bridged by
interpolation apart from the stretches too long to bridge ("23 lost frame(s) were bridged
by interpolation: 14.4-15.1 s too long to bridge" said both of one stretch)."""

from __future__ import annotations

import numpy as np

from analysis.lift.weightlifting import analyze_weightlifting
from tests.truth2 import weightlifting_truth as W

PX_PER_M = 150.0


def test_bridged_and_unbridged_lost_frames_are_told_apart():
    traj = W.clean_and_jerk(1)
    t = np.arange(0.0, traj.duration, 1 / 30)
    x = 200 + traj.x(t) * PX_PER_M
    y = 390 - traj.y(t) * PX_PER_M
    a = traj.attempts[0]
    short = np.flatnonzero(t > a.liftoff_t + 0.1)[:3]  # 3 frames early in the pull
    long_ = np.flatnonzero(t > t[-1] - 0.7)  # the last 0.7 s (the clip ends lost)
    x[short] = y[short] = np.nan
    x[long_] = y[long_] = np.nan
    res = analyze_weightlifting(t, x, y, m_per_px=1 / PX_PER_M, lift="clean_and_jerk")
    said = [w for w in res.warnings if "lost" in w]
    assert "3 lost frame(s) in short gaps were bridged by interpolation." in said, said
    gap = [w for w in said if "too long to bridge" in w]
    assert len(gap) == 1 and gap[0].startswith(f"{len(long_)} frame(s) lost at "), said
    assert f"{t[long_[0] - 1]:.1f}–{t[-1]:.1f} s" in gap[0]
    assert not [w for w in said if "bridged by" in w and "too long" in w], said
