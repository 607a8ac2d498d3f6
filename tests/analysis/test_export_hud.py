"""The burned-in data overlay: when a rep's numbers appear."""

from __future__ import annotations

import numpy as np

from analysis.export.hud import hud_lines
from analysis.lift.result import analyze_track
from tests.truth.lift_truth import RepSpec, SetSpec, build_set, frame_times, sample

MPP = 0.003


def test_a_reps_numbers_show_from_its_lockout_not_from_the_next_rep():
    """A squat's rep runs on through the pause at the top until the next rep: its line
    ("Rep 1: 0.55 m/s ...") appeared only when the next rep began, so an export of one
    rep never showed its own result. It shows from the end of the concentric."""
    spec = SetSpec("down_first", (
        RepSpec("two_peak", 0.5, 0.5, ecc_s=1.0, top_pause_s=1.0, bottom_pause_s=2.0),
        RepSpec("two_peak", 0.5, 0.45, ecc_s=1.0, top_pause_s=1.0, bottom_pause_s=2.0)))
    truth = build_set(spec)
    t = frame_times(truth.duration_s, 30.0)
    _x, y_m = sample(truth, t)
    res = analyze_track(t, np.full(t.size, 320.0), 900.0 - y_m / MPP, m_per_px=MPP,
                        lift="squat")
    first = res.reps[0]
    lockout = first.phases["concentric"][1]
    lines = hud_lines(res)
    assert lines(lockout - 0.2)[0].startswith("Rep 1   ")  # live velocity in the stroke
    after = lines(lockout + 0.1)
    assert after and after[0].startswith("Rep 1: ") and "m/s" in after[0], after
    assert lockout + 0.1 < first.end  # still in the rep's top pause
