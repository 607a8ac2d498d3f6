"""One rule for which reps count in a set's numbers (``analysis.lift.counted``): a flagged
⚑ rep that is the set's fastest is shown but left out of the best MCV, the mean MCV, the
velocity loss, the load-velocity profile's point and the history CSV alike; a set whose
every rep is flagged uses them and says so."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import numpy as np
import pytest

from analysis.lift.counted import counted_reps
from analysis.progress.history import history_csv, session_sets
from analysis.progress.summary import summarize
from analysis.session.analyze import analyze_recording
from tests.analysis.flagged_set import flagged_recording, flagged_session


def _rep(n: int, status: str = "valid", flags: tuple[str, ...] = ()) -> SimpleNamespace:
    return SimpleNamespace(number=n, status=status, flags=flags)


def test_the_rule_leaves_out_flagged_partial_failed_and_false_reps() -> None:
    low = ("40 frame(s) tracked with low confidence",)
    side = ("the bar moved 30 cm sideways, the set's other reps 3 cm: a step or a walk",)
    c = counted_reps([_rep(1, flags=low), _rep(2), _rep(3, "partial"), _rep(4, "failed"),
                      _rep(5, "false"), _rep(6, flags=side), _rep(7)])
    assert c.counted == (2, 7) and not c.from_flagged
    # failed reps and "not a rep" are outside the rep count: not listed again
    assert c.left_out == ((1, "track unreliable"), (3, "partial"), (6, "bar moved sideways"))
    assert c.note() == ("rep 1 left out: track unreliable; rep 3: partial; "
                        "rep 6: bar moved sideways")
    assert c.best({1: 0.9, 2: 0.5, 7: 0.6}) == (7, 0.6)
    assert c.mean({1: 0.9, 2: 0.5, 7: 0.6}) == pytest.approx(0.55)
    assert counted_reps([_rep(1), _rep(2)]).note() == ""


def test_when_every_full_rep_is_flagged_they_are_used_and_said_so() -> None:
    low = ("12 frame(s) tracked with low confidence",)
    c = counted_reps([_rep(1, flags=low), _rep(2, flags=low), _rep(3, "partial", low)])
    assert c.counted == (1, 2) and c.from_flagged
    assert c.note() == ("every rep is flagged ⚑ (track unreliable): the set's numbers use "
                        "them, read them with care; rep 3 left out: partial")
    # no full rep at all: no numbers, and the partial rep is named
    none = counted_reps([_rep(1, "partial"), _rep(2, "failed")])
    assert none.counted == () and not none.from_flagged and none.best({1: 0.5}) is None


def test_a_flagged_fastest_rep_is_left_out_of_every_set_number() -> None:
    res = analyze_recording(flagged_recording(), "back squat")
    mcv = {r.number: r.metrics.mean_concentric_velocity for r in res.reps}
    assert [bool(r.flags) for r in res.reps] == [False, True, False, False, False]
    assert max(mcv, key=mcv.__getitem__) == 2          # the flagged rep is the fastest
    sm = res.set_metrics
    assert sm.counted.counted == (1, 3, 4, 5)
    assert sm.fastest_rep == 3 and sm.best_mcv == pytest.approx(mcv[3])
    assert sm.mean_mcv == pytest.approx(np.mean([mcv[n] for n in (1, 3, 4, 5)]))
    vl = sm.velocity_loss
    assert vl.used == [1, 3, 4, 5]
    assert vl.best_last_pct == pytest.approx(100 * (mcv[3] - mcv[5]) / mcv[3])
    assert vl.first_last_pct == pytest.approx(100 * (mcv[1] - mcv[5]) / mcv[1])
    assert sm.loss_text() == (f"from rep 3 (fastest counted) to rep 5 (last counted): "
                              f"{vl.best_last_text()}; from rep 1 (first counted): "
                              f"{vl.first_last_text()}")
    assert sm.to_dict()["left_out"] == [{"rep": 2, "reason": "track unreliable"}]

    # Progress and Compare sessions read the same numbers from the library's sessions
    session = flagged_session(loads=(100.0, 100.0))  # two sets alike
    sets = session_sets(session)
    for s in sets:
        assert s.best_mcv == pytest.approx(sm.best_mcv) and s.best_rep == 3
        assert s.mean_mcv == pytest.approx(sm.mean_mcv)
        assert s.velocity_loss_pct == pytest.approx(vl.best_last_pct)
        assert s.left_out_note() == "rep 2 left out: track unreliable"
        assert len(s.reps) == 5                        # still counted as a rep, and shown
    summary = summarize(sets, "Ana", "back squat", 0.3)
    assert [p[1] for p in summary.sessions[0].points] == pytest.approx([sm.best_mcv] * 2)
    assert summary.left_out == [("2026-10-01", 1, "rep 2 left out: track unreliable"),
                                ("2026-10-01", 2, "rep 2 left out: track unreliable")]
    set_rows, rep_rows = (list(csv.DictReader(io.StringIO(t))) for t in history_csv(sets))
    assert float(set_rows[0]["best_mcv_m_s"]) == pytest.approx(sm.best_mcv, abs=1e-4)
    assert set_rows[0]["best_rep"] == "3"
    assert set_rows[0]["left_out"] == "rep 2 left out: track unreliable"
    assert [r["in_set_numbers"] for r in rep_rows[:5]] == ["true", "false", "true", "true",
                                                          "true"]


def test_a_set_whose_every_rep_is_flagged_uses_them_and_says_so() -> None:
    res = analyze_recording(flagged_recording(flagged=(1, 2, 3, 4, 5)), "back squat")
    mcv = {r.number: r.metrics.mean_concentric_velocity for r in res.reps}
    sm = res.set_metrics
    assert all(r.flags for r in res.reps) and sm.counted.from_flagged
    assert sm.fastest_rep == 2 and sm.best_mcv == pytest.approx(mcv[2])
    assert sm.velocity_loss.best_last_pct == pytest.approx(100 * (mcv[2] - mcv[5]) / mcv[2])
    assert sm.counted.note().startswith("every rep is flagged ⚑ (track unreliable)")
    (s,) = session_sets(flagged_session(flagged=(1, 2, 3, 4, 5)))
    assert s.best_mcv == pytest.approx(mcv[2]) and "read them with care" in s.left_out_note()
    point = summarize([s], "Ana", "back squat", 0.3).sessions[0].points[0]
    assert point[1] == pytest.approx(mcv[2])
