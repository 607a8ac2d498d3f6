"""The bottom of a rep is where the bar is lowest, for every lift: the report's and the
contact sheet's "bottom" pictures and Compare's "lowest point" alignment read it. For a
deadlift the turning point is the lockout, and the report showed the lockout twice (at
"bottom" and at "lockout", 0.02 s apart) instead of the set-up on the floor."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.lift.result import analyze_track
from analysis.synth.motion import LiftScript, RepSpec, sample

PX_PER_M = 400.0
FPS = 30.0


@pytest.mark.parametrize("lift", ["squat", "deadlift", "bench", "press"])
def test_the_bottom_is_where_the_bar_is_lowest(lift):
    reps = (RepSpec(1.0, 0.4, 0.8, 0.6, 0.5), RepSpec(1.2, 0.0, 0.9, 0.5, 0.48),
            RepSpec(0.9, 0.8, 1.1, 0.7, 0.47))
    script = LiftScript(reps=reps, lift=lift, setup=0.8, end_idle=0.8)
    t = np.arange(0.0, 12.0, 1 / FPS)
    x, h, truths = sample(script, t)
    res = analyze_track(t, 300 + x * PX_PER_M, 800 - h * PX_PER_M, m_per_px=1 / PX_PER_M,
                        lift=lift)
    assert len(res.reps) == len(truths)
    for rep, tr in zip(res.reps, truths, strict=True):
        lowest = float(np.min(h[(t >= tr.start) & (t <= tr.end)]))
        at = float(np.interp(rep.bottom_time, t, h))
        assert at == pytest.approx(lowest, abs=0.01), (rep.number, rep.bottom_time)
        # between the end of the lowering and the start of the lift
        assert tr.eccentric[1] - 1 / FPS <= rep.bottom_time <= tr.concentric[0] + 1 / FPS \
            if lift in ("squat", "bench") else \
            rep.bottom_time == pytest.approx(tr.concentric[0], abs=1.5 / FPS)
