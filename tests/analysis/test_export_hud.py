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
    y_m, _v = sample(truth, t)  # height (m), velocity
    res = analyze_track(t, np.full(t.size, 320.0), 900.0 - y_m / MPP, m_per_px=MPP,
                        lift="squat")
    first = res.reps[0]
    lockout = first.phases["concentric"][1]
    lines = hud_lines(res)
    assert lines(lockout - 0.2)[0].startswith("Rep 1   ")  # live velocity in the stroke
    after = lines(lockout + 0.1)
    assert after and after[0].startswith("Rep 1: ") and "m/s" in after[0], after
    assert lockout + 0.1 < first.end  # still in the rep's top pause


def _set(direction: str, lift: str, mpp: float | None = MPP):
    spec = SetSpec(direction, (
        RepSpec("two_peak", 0.5, 0.5, ecc_s=1.0, top_pause_s=1.0, bottom_pause_s=1.0),
        RepSpec("two_peak", 0.5, 0.45, ecc_s=1.0, top_pause_s=1.0, bottom_pause_s=1.0),
        RepSpec("two_peak", 0.5, 0.4, ecc_s=1.0, top_pause_s=1.0, bottom_pause_s=1.0)))
    truth = build_set(spec)
    t = frame_times(truth.duration_s, 30.0)
    y_m, _v = sample(truth, t)  # height (m), velocity
    return analyze_track(t, np.full(t.size, 320.0), 900.0 - y_m / MPP,
                         m_per_px=mpp, lift=lift)


def test_a_deadlifts_numbers_show_at_lockout_while_the_bar_is_lowered():
    """A deadlift's rep ends with the bar back on the floor: its MCV was shown only then,
    not at lockout, where the coach looks for it. The live velocity of the lowering still
    shows beside it."""
    res = _set("up_first", "deadlift")
    rep = res.reps[0]
    lockout = rep.phases["concentric"][1]
    lines = hud_lines(res)
    assert not any(line.startswith("Rep 1:") for line in lines(lockout - 0.1))
    lowering = rep.phases["eccentric"][0] + 0.3
    assert lockout < lowering < rep.phases["eccentric"][1]
    shown = lines(lowering)
    assert shown[0].startswith("Rep 1   -"), shown  # the live velocity, going down
    assert any(line.startswith("Rep 1: ") and "m/s" in line for line in shown), shown


def test_velocities_read_as_in_the_rep_table():
    """Uncalibrated, the table shows whole px/s ("243"): the overlay showed "243.11 px/s"."""
    res = _set("down_first", "squat", mpp=None)
    assert res.units == "px"
    rep = res.reps[0]
    lines = hud_lines(res)(rep.phases["concentric"][1] + 0.1)
    line = next(line for line in lines if line.startswith("Rep 1: "))
    mcv = rep.metrics.mean_concentric_velocity
    assert f": {mcv:.0f} px/s" in line and "." not in line.split("px/s")[0], line
    live = hud_lines(res)(rep.phases["concentric"][0] + 0.3)[0]
    assert live.startswith("Rep 1   +") and "." not in live, live


def test_a_failed_rep_says_so_and_a_rep_marked_not_a_rep_shows_nothing():
    from analysis.lift.rep_overrides import Overrides

    base = _set("down_first", "squat")
    t, x, y = base.kinematics.t, base.x_px, base.y_px
    ov = Overrides()
    for rep, status in ((base.reps[1], "failed"), (base.reps[2], "false")):
        ov = ov.with_status(rep.start, rep.end, rep.phases["concentric"][0], status)
    res = analyze_track(t, x, y, m_per_px=MPP, lift="squat", overrides=ov)
    assert [r.status for r in res.reps] == ["valid", "failed", "false"]
    end = float(t[-1])
    shown = hud_lines(res)(end)
    assert any(line.startswith("Rep 2 (failed): ") for line in shown), shown
    assert not any(line.startswith("Rep 3") for line in shown), shown
    third = res.reps[2]
    during = hud_lines(res)(third.phases["concentric"][0] + 0.2)
    assert not any(line.startswith("Rep 3") for line in during), during


def test_a_slowed_export_says_its_speed():
    """A clip exported at half speed carried nothing that said so: whoever watched it took
    the slowed movement for the real one."""
    from analysis.export.hud import speed_text, with_speed

    assert speed_text(1.0) == ""
    assert speed_text(0.5) == "1/2× speed (slow motion)"
    assert speed_text(1 / 16) == "1/16× speed (slow motion)"
    assert speed_text(2.0) == "2× speed"
    lines = with_speed(lambda t: ["Rep 1   +0.40 m/s"], 0.25)
    assert lines is not None and lines(1.0) == ["1/4× speed (slow motion)", "Rep 1   +0.40 m/s"]
    alone = with_speed(None, 0.5)
    assert alone is not None and alone(0.0) == ["1/2× speed (slow motion)"]
    same = lambda t: []  # noqa: E731
    assert with_speed(same, 1.0) is same and with_speed(None, 1.0) is None


def test_a_velocity_that_rounds_to_zero_has_no_minus_sign():
    from analysis.lift.rep_metrics import velocity_text

    assert velocity_text(-0.001, "m", sign=True) == "+0.00"
    assert velocity_text(-0.4, "px", sign=True) == "+0"
    assert velocity_text(-0.61, "m", sign=True) == "-0.61"
    assert velocity_text(242.6, "px") == "243"
