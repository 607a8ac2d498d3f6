"""Splitting a rep the detector merged, and merging reps it split, without the app.

The sets are generated (analysis.synth.motion: minimum-jerk strokes, so a stroke's mean
velocity is its distance over its time, and every phase time is known):

- a lockout left low: rep 2 rises only 15 cm before rep 3 starts down again. Detection
  needs a swing of 40 % of the set's range to count a turn, so it reads reps 2 and 3 as
  one rep with a long "bottom pause" (a squat) or "floor pause" (a deadlift). Split at
  the low lockout, the two halves must have rep 2's and rep 3's true phases and numbers.
- a grind and re-drive: rep 2 rises 30 cm, sinks back, and the lifter drives it up to
  lockout (rep 3). Detection counts two reps; merged, the one rep runs from rep 2's
  descent to rep 3's lockout, its concentric from rep 2's drive to rep 3's lockout.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.lift.rep_edit import merge_with_next, reset_boundaries, split_rep
from analysis.lift.rep_structure import RepEditRefused
from analysis.lift.result import analyze_track
from analysis.session import Recording, Session, session_from_dict
from analysis.session.overrides import Overrides
from analysis.synth.motion import LiftScript, RepSpec, duration, sample

PX_PER_M = 220.0
LOW_LOCKOUT = (RepSpec(1.0, 0.3, 0.6, 0.6, 0.5), RepSpec(1.0, 0.3, 0.5, 0.3, 0.15),
               RepSpec(0.6, 0.3, 0.7, 0.6, 0.5), RepSpec(1.0, 0.3, 0.8, 0.6, 0.5))
GRIND = (RepSpec(1.0, 0.3, 0.6, 0.6, 0.5), RepSpec(1.0, 0.3, 0.9, 0.2, 0.3),
         RepSpec(0.4, 0.2, 1.2, 0.6, 0.5), RepSpec(1.0, 0.3, 0.8, 0.6, 0.5))


def _set(reps, lift: str):
    script = LiftScript(reps=reps, lift=lift, setup=0.6, end_idle=0.6)
    t = np.arange(0, duration(script), 1 / 30)
    x, h, truth = sample(script, t)

    def analyse(overrides: Overrides | None = None):
        return analyze_track(t, 240 + x * PX_PER_M, 200 - h * PX_PER_M, m_per_px=1 / PX_PER_M,
                             lift=lift, overrides=overrides)

    return analyse, truth


def _matches(rep, tr, down: bool) -> None:
    """``rep``'s phases, tempo and numbers are those of the generated rep ``tr``."""
    for kind in ("eccentric", "concentric", "bottom_pause"):
        if kind == "bottom_pause" and not down:
            continue  # the floor pause before a pull is the previous rep's truth
        assert rep.phases[kind] == pytest.approx(getattr(tr, kind), abs=0.03), kind
    assert rep.metrics.rom == pytest.approx(tr.rom, abs=0.005)
    assert rep.metrics.mean_concentric_velocity == pytest.approx(
        tr.mean_concentric_velocity, rel=0.02)
    e, c = tr.eccentric[1] - tr.eccentric[0], tr.concentric[1] - tr.concentric[0]
    assert rep.tempo[0] == pytest.approx(e, abs=0.05)
    assert rep.tempo[2] == pytest.approx(c, abs=0.05)


@pytest.mark.parametrize("lift", ["squat", "deadlift"])
def test_a_rep_merged_by_detection_split_at_its_low_lockout_is_two_true_reps(lift):
    analyse, truth = _set(LOW_LOCKOUT, lift)
    down = lift == "squat"
    res = analyse()
    assert len(res.reps) == 3  # reps 2 and 3 read as one
    merged = res.reps[1]
    assert merged.start < truth[1].concentric[1] < merged.end
    t = truth[1].top_pause[0] + 0.1  # the coach steps to the low lockout
    ov = split_rep(res, res.overrides, merged, t)
    assert [e.to_dict() for e in ov.edits] == [{"split": t}]
    out = analyse(ov)
    assert not [w for w in out.warnings if "not applied" in w]
    assert [r.number for r in out.reps] == [1, 2, 3, 4]
    assert [r.edited for r in out.reps] == ["", "split", "split", ""]
    for rep, tr in zip(out.reps, truth, strict=True):
        _matches(rep, tr, down)
    # the set's numbers follow: four reps, velocity loss over the four MCVs
    assert out.set_metrics.rep_count == 4
    vl, true = out.set_metrics.velocity_loss, [tr.mean_concentric_velocity for tr in truth]
    assert vl.used == [1, 2, 3, 4]  # rep numbers
    assert vl.first_last_pct == pytest.approx(100 * (true[0] - true[3]) / true[0], abs=1.5)
    assert vl.best_last_pct == pytest.approx(100 * (max(true) - true[3]) / max(true), abs=1.5)
    assert out.to_dict(series=False)["reps"][1]["edited"] == "split"
    # Shift+Backspace on either half puts back the detected rep
    back = reset_boundaries(ov, out.reps[2])
    assert not back.edits
    assert [r.phases for r in analyse(back).reps] == [r.phases for r in res.reps]


@pytest.mark.parametrize("lift", ["squat", "deadlift"])
def test_a_split_that_leaves_a_half_without_a_concentric_is_refused(lift):
    analyse, truth = _set(LOW_LOCKOUT, lift)
    res = analyse()
    rep = res.reps[0]
    # in the middle of rep 1's lowering: one half has no concentric
    s0, s1 = rep.phases["eccentric"]
    with pytest.raises(RepEditRefused, match=r"^Rep 1 cannot be split at .* s: its (first|"
                                             r"second) half would have no concentric"):
        split_rep(res, res.overrides, rep, (s0 + s1) / 2)
    with pytest.raises(RepEditRefused, match="outside it"):
        split_rep(res, res.overrides, rep, rep.end + 1.0)


def test_a_grind_and_re_drive_read_as_two_reps_merged_is_one_true_rep():
    analyse, truth = _set(GRIND, "squat")
    res = analyse()
    assert len(res.reps) == 4
    ov = merge_with_next(res, res.overrides, res.reps[1])
    out = analyse(ov)
    assert not [w for w in out.warnings if "not applied" in w]
    assert [r.number for r in out.reps] == [1, 2, 3]
    assert [r.edited for r in out.reps] == ["", "merged", ""]
    rep = out.reps[1]
    first, second = truth[1], truth[2]
    # from rep 2's descent to rep 3's lockout, driven up from rep 2's bottom
    assert rep.phases["eccentric"] == pytest.approx(first.eccentric, abs=0.03)
    assert rep.phases["bottom_pause"] == pytest.approx(first.bottom_pause, abs=0.03)
    assert rep.phases["concentric"] == pytest.approx(
        (first.concentric[0], second.concentric[1]), abs=0.03)
    assert rep.phases["top_pause"][0] == pytest.approx(second.top_pause[0], abs=0.03)
    con = second.concentric[1] - first.concentric[0]
    assert rep.metrics.rom == pytest.approx(second.rom, abs=0.005)
    assert rep.metrics.mean_concentric_velocity == pytest.approx(second.rom / con, rel=0.02)
    assert rep.tempo[2] == pytest.approx(con, abs=0.05)
    _matches(out.reps[2], truth[3], True)  # the rep after is numbered on, unchanged
    assert out.set_metrics.rep_count == 3
    vl = out.set_metrics.velocity_loss
    true = [truth[0].mean_concentric_velocity, second.rom / con,
            truth[3].mean_concentric_velocity]
    assert vl.used == [1, 2, 3]
    assert vl.first_last_pct == pytest.approx(100 * (true[0] - true[2]) / true[0], abs=1.5)
    # the last rep has no next one
    with pytest.raises(RepEditRefused, match="Rep 3 is the set's last rep"):
        merge_with_next(out, ov, out.reps[2])
    # a status set before the merge stays with the merged rep
    marked = res.overrides.with_status(res.reps[1].start, res.reps[1].end,
                                       res.reps[1].turn_time, "failed")
    assert analyse(merge_with_next(res, marked, res.reps[1])).reps[1].status == "failed"


def test_splits_and_merges_are_saved_with_the_session_and_reopen(tmp_path):
    analyse, truth = _set(LOW_LOCKOUT, "squat")
    res = analyse()
    ov = split_rep(res, res.overrides, res.reps[1], truth[1].top_pause[0] + 0.1)
    split = analyse(ov)
    ov = merge_with_next(split, ov, split.reps[2])  # then rep 3 joined with rep 4
    ov = ov.with_status(split.reps[0].start, split.reps[0].end, split.reps[0].turn_time,
                        "partial")
    rec = Recording("/v/squat.mp4", 0, "", rep_overrides=ov)
    session = Session(lifter="Bo", exercise="squat", recordings=[rec])
    path = tmp_path / "s.json"
    path.write_text(json.dumps(session.to_dict()))
    again = session_from_dict(json.loads(path.read_text()))
    back = again.recordings[0].rep_overrides
    assert back == ov
    assert [e.kind for e in back.edits] == ["split", "merge"]
    assert [(r.number, r.edited, r.status) for r in analyse(back).reps] == [
        (1, "", "partial"), (2, "split", "valid"), (3, "merged", "valid")]
    # damaged edits are plain errors
    for bad in ({"bend": 3.0}, {"split": "soon"}, {"merge": [5.0]}, {"merge": [5.0, 4.0]}):
        with pytest.raises(ValueError, match="split|merge|time"):
            Overrides.from_dict({"version": 2, "reps": [], "edits": [bad]})
    # corrections written before splits existed read as none
    old = Overrides.from_dict({"version": 1, "reps": [{"at": 2.0, "status": "failed"}]})
    assert old.edits == () and old.reps[0].status == "failed"


@pytest.mark.parametrize("lift", ["squat", "deadlift"])
def test_two_whole_reps_merged_run_from_the_first_ones_start_to_the_seconds_end(lift):
    """Both reps are inside the merged one, whichever top (bottom) between them is the
    highest (lowest): merged, rep 1 of three equal reps ended at its own lockout before."""
    reps = (RepSpec(1.0, 0.3, 0.6, 0.6, 0.5),) * 3
    analyse, truth = _set(reps, lift)
    res = analyse()
    out = analyse(merge_with_next(res, res.overrides, res.reps[0]))
    assert [r.edited for r in out.reps] == ["merged", ""]
    rep = out.reps[0]
    k1, k2 = ("eccentric", "concentric") if lift == "squat" else ("concentric", "eccentric")
    assert rep.phases[k1][0] == pytest.approx(getattr(truth[0], k1)[0], abs=0.03)
    assert rep.phases[k2][1] == pytest.approx(getattr(truth[1], k2)[1], abs=0.03)
    assert out.reps[1].phases["concentric"] == pytest.approx(truth[2].concentric, abs=0.03)
