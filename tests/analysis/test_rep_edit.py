"""Boundaries moved by hand, without the app: which rep a boundary at a time belongs to,
the refusal of a move that puts the phases out of order, the numbers that follow, for a
lift that starts down (squat) and one that starts up (deadlift). The truth is the
generated set's (analysis.synth.motion: minimum-jerk strokes, so a stroke's mean velocity
is its distance over its time)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.lift.rep_edit import (BoundaryRefused, move_boundary, rep_near,
                                    reset_boundaries)
from analysis.lift.result import analyze_track
from analysis.session.overrides import Overrides
from analysis.synth.motion import LiftScript, RepSpec, duration, sample

PX_PER_M = 220.0
REPS = (RepSpec(1.0, 0.3, 0.6, 0.6, 0.5), RepSpec(1.0, 0.3, 0.65, 0.6, 0.5),
        RepSpec(1.0, 0.3, 0.7, 0.6, 0.5))


def _set(lift: str):
    """``analyse(overrides)`` of a three-rep generated set, its times, heights and truth."""
    script = LiftScript(reps=REPS, lift=lift, setup=0.6, end_idle=0.6)
    t = np.arange(0, duration(script), 1 / 30)
    x, h, truth = sample(script, t)

    def analyse(overrides: Overrides | None = None):
        return analyze_track(t, 240 + x * PX_PER_M, 200 - h * PX_PER_M, m_per_px=1 / PX_PER_M,
                             lift=lift, overrides=overrides)

    return analyse, t, h, truth


def test_a_deadlift_lift_off_read_late_is_moved_earlier_and_its_mcv_follows():
    analyse, t, h, truth = _set("deadlift")
    res = analyse()
    assert res.direction == "up_first"
    c0, c1 = res.reps[0].phases["concentric"]
    # the set's first pull has no floor pause before it: a lift-off set earlier than
    # the detected one was refused ("correction not applied") before
    new = c0 - 0.1
    rep = rep_near(res.reps, new, False, "concentric_start")
    assert rep is res.reps[0]
    moved = analyse(move_boundary(res, res.overrides, rep, "concentric_start", new))
    assert not [w for w in moved.warnings if "not applied" in w]
    r = moved.reps[0]
    assert r.moved == ("concentric_start",)
    assert r.phases["concentric"] == pytest.approx((new, c1))
    want = (np.interp(c1, t, h) - np.interp(new, t, h)) / (c1 - new)
    assert want == pytest.approx(truth[0].rom / (c1 - new), rel=0.01)
    assert r.metrics.mean_concentric_velocity == pytest.approx(want, rel=0.01)
    assert moved.to_dict(series=False)["reps"][0]["boundaries_moved"] == ["concentric_start"]


def test_a_deadlift_lockout_after_the_lowering_began_is_refused():
    analyse, _t, _h, _truth = _set("deadlift")
    res = analyse()
    rep = res.reps[1]
    e0 = rep.phases["eccentric"][0]
    assert rep_near(res.reps, e0 + 0.2, False, "concentric_end") is rep  # in its strokes
    with pytest.raises(BoundaryRefused, match=r"^Rep 2's lockout cannot be at .* s: it would "
                                              r"come after its eccentric start \("):
        move_boundary(res, res.overrides, rep, "concentric_end", e0 + 0.2)
    # its lift-off moved back into rep 1's lowering runs into rep 1
    e1_prev = res.reps[0].phases["eccentric"][1]
    with pytest.raises(BoundaryRefused, match="run into rep 1, whose eccentric end"):
        move_boundary(res, res.overrides, rep, "concentric_start", e1_prev - 0.1)


def test_a_squat_eccentric_moved_leaves_the_concentric_numbers_as_detected():
    analyse, _t, _h, _truth = _set("squat")
    res = analyse()
    rep = res.reps[1]
    e0 = rep.phases["eccentric"][0]
    # a frame before rep 2's descent is rep 1's top pause: the nearest start is rep 2's
    assert rep_near(res.reps, e0 - 1 / 30, True, "eccentric_start") is rep
    assert rep_near(res.reps, e0 - 1 / 30, True) is rep
    ov = move_boundary(res, res.overrides, rep, "eccentric_start", e0 - 1 / 30)
    r = analyse(ov).reps[1]
    assert r.phases["eccentric"][0] == pytest.approx(e0 - 1 / 30)
    assert r.metrics.eccentric_time == pytest.approx(rep.metrics.eccentric_time + 1 / 30)
    # the concentric's rest fits (and the MCV's SD from them) are kept
    assert r.metrics.mean_concentric_velocity == rep.metrics.mean_concentric_velocity
    sd = rep.metrics.mean_concentric_velocity_sd
    assert sd is not None and r.metrics.mean_concentric_velocity_sd == sd


def test_a_squat_lockout_before_the_drive_or_a_stroke_of_no_time_is_refused():
    analyse, _t, _h, _truth = _set("squat")
    res = analyse()
    rep = res.reps[0]
    c0 = rep.phases["concentric"][0]
    with pytest.raises(BoundaryRefused, match="it would come before its concentric start"):
        move_boundary(res, res.overrides, rep, "concentric_end", c0 - 0.1)
    with pytest.raises(BoundaryRefused, match="leaves the concentric no time"):
        move_boundary(res, res.overrides, rep, "concentric_end", c0)
    with pytest.raises(BoundaryRefused, match="tracked from"):
        move_boundary(res, res.overrides, res.reps[2], "concentric_end", 99.0)


def test_reset_keeps_the_status_and_drops_an_empty_correction():
    analyse, _t, _h, _truth = _set("squat")
    res = analyse()
    rep = res.reps[2]
    e1 = rep.phases["eccentric"][1]
    ov = move_boundary(res, Overrides(), rep, "eccentric_end", e1 + 0.05)
    ov = ov.with_status(rep.start, rep.end, rep.turn_time, "failed")
    assert Overrides.from_dict(ov.to_dict()) == ov
    moved = analyse(ov).reps[2]
    assert moved.status == "failed" and moved.moved == ("eccentric_end",)
    back = reset_boundaries(ov, moved)
    assert back.to_dict()["reps"] == [{"at": rep.turn_time, "status": "failed"}]
    assert analyse(back).reps[2].phases == rep.phases
    assert not reset_boundaries(move_boundary(res, Overrides(), rep, "eccentric_end",
                                              e1 + 0.05), moved)


@pytest.mark.parametrize("lift,boundary,shift,neighbour,pause", [
    ("deadlift", "eccentric_end", 0.25, 2, "bottom_pause"),  # rep 2 back on the floor later
    ("squat", "eccentric_start", -0.3, 0, "top_pause"),  # rep 2's descent started earlier
])
def test_a_moved_outer_boundary_clips_the_neighbours_pause(lift, boundary, shift, neighbour,
                                                           pause):
    """The pause between two reps belongs to one of them: a deadlift's floor pause to the
    rep after, a squat's top pause to the rep before. Rep 2's outer boundary moved into it
    left the neighbour's pause whole: two reps' phases overlapped and the unmoved rep's
    tempo and tempo check were wrong."""
    analyse, _t, _h, _truth = _set(lift)
    res = analyse()
    rep = res.reps[1]
    kind = "eccentric"
    at = rep.phases[kind][1 if boundary.endswith("end") else 0] + shift
    moved = analyse(move_boundary(res, res.overrides, rep, boundary, at))
    assert not [w for w in moved.warnings if "not applied" in w]
    before, after = res.reps[neighbour].phases[pause], moved.reps[neighbour].phases[pause]
    # the neighbour's pause now ends (or starts) at the moved boundary: shorter by the move
    assert after[1] - after[0] == pytest.approx(before[1] - before[0] - abs(shift), abs=1e-6)
    two = sorted([moved.reps[1], moved.reps[neighbour]], key=lambda r: r.start)
    end_first = max(e for _a, e in two[0].phases.values())
    start_second = min(a for a, _e in two[1].phases.values())
    assert end_first <= start_second + 1e-9  # no overlap
    dur = moved.reps[neighbour].tempo
    assert dur[1 if pause == "bottom_pause" else 3] == pytest.approx(after[1] - after[0])
