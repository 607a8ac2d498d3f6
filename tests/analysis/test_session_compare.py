"""Two sessions side by side: sets matched by load (or order), and the differences of best
and mean MCV, reps, velocity loss, ROM and tempo compliance, on tracks from the
independent truth generator (the lifter is 0.04 m/s faster at every load in session B)."""

from __future__ import annotations

import pytest

from analysis.progress.sessions import SessionComparison, compare_sessions, match_sets
from analysis.session.document import Recording, Session
from tests.analysis.test_progress import _recording

LOADS = ((100.0, 0.80), (120.0, 0.62), (140.0, 0.44))


def _sessions() -> tuple[Session, Session]:
    a = Session(lifter="Ana", date="2026-10-01", exercise="back squat", tempo="2-0-1-1")
    b = Session(lifter="Ana", date="2026-11-05", exercise="back squat", tempo="4-0-1-1")
    for k, (load, v) in enumerate(LOADS):
        a.recordings.append(_recording(v, load, k + 1, 100 + k))
    # B lifts the same loads in another order, 0.04 m/s faster, plus a heavier single
    # set, and a set whose load was never entered
    for k, (load, v) in enumerate(reversed(LOADS)):
        b.recordings.append(_recording(v + 0.04, load, k + 1, 200 + k))
    b.recordings.append(_recording(0.35, 150.0, 4, 204))
    unloaded = _recording(0.7, 0.0, 5, 205)
    unloaded.load = None
    b.recordings.append(unloaded)
    b.recordings.append(Recording("/nowhere/untracked.mp4", set_number=6, load=100.0))
    return a, b


@pytest.fixture(scope="module")
def comparison() -> SessionComparison:
    a, b = _sessions()
    return compare_sessions(a, b, "load")


def test_sets_are_matched_by_load(comparison):
    loads = [(p.a.load_kg if p.a else None, p.b.load_kg if p.b else None)
             for p in comparison.pairs]
    # 100 kg: A's set 1 with B's set 3 (same load, other order), then B's untracked
    # 100 kg set left alone; 150 kg only in B; the unloaded set last
    assert loads == [(100.0, 100.0), (None, 100.0), (120.0, 120.0), (140.0, 140.0),
                     (None, 150.0), (None, None)]
    first = comparison.pairs[0]
    assert (first.a.set_number, first.b.set_number) == (1, 3)
    assert comparison.pairs[-1].b.load_kg is None and comparison.pairs[-1].a is None


def test_differences_of_each_number(comparison):
    full = [p for p in comparison.pairs if p.complete]
    assert len(full) == 3
    for p in full:
        assert p.diff("best_mcv") == pytest.approx(0.04, abs=0.015)
        assert p.diff("mean_mcv") == pytest.approx(0.04, abs=0.02)
        assert p.diff("reps") == 0
        assert p.diff("rom") == pytest.approx(0.0, abs=0.01)
        assert p.value("a", "rom") == pytest.approx(0.55, abs=0.03)
        # truth reps lose 3 % and 6 %: the same velocity loss in both sessions
        assert p.value("a", "velocity_loss") == pytest.approx(6.0, abs=2.0)
        assert p.diff("velocity_loss") == pytest.approx(0.0, abs=2.0)
        # eccentric of 1.8 s: meets 2 s (± 0.5), misses 4 s
        assert (p.value("a", "tempo_compliance"), p.value("b", "tempo_compliance")) == (100, 0)
        assert p.diff("tempo_compliance") == -100
        assert p.a.mean_tempo.startswith("1.8-")
    assert comparison.mean_diff("best_mcv") == pytest.approx(0.04, abs=0.015)
    # an unpaired or unmeasured side has no difference (never a silent zero)
    lone = comparison.pairs[1]
    assert lone.diff("best_mcv") is None and lone.value("b", "best_mcv") is None


def test_notes_name_missing_loads_and_unmeasured_sets(comparison):
    text = " ".join(comparison.notes)
    assert "B, 2026-11-05: set(s) 5 have no load" in text
    assert "set(s) 6 (not tracked) not measured" in text
    assert "Different" not in text


def test_matching_by_order_and_other_lifters(comparison):
    a = [p.a for p in comparison.pairs if p.a is not None]
    b = [p.b for p in comparison.pairs if p.b is not None]
    pairs = match_sets(a, b, "order")
    assert [(p.a.set_number if p.a else None, p.b.set_number) for p in pairs] == \
        [(1, 1), (2, 2), (3, 3), (None, 4), (None, 5), (None, 6)]
    # by order, set 1 (100 kg) meets B's set 1 (140 kg): much slower, as a coach would see
    assert pairs[0].diff("best_mcv") < -0.25
    other = compare_sessions(Session(lifter="Ana", exercise="back squat"),
                             Session(lifter="Ben", exercise="bench press"), "order")
    assert other.pairs == []
    assert any("Different lifters" in n for n in other.notes)
    assert any("Different exercises" in n for n in other.notes)
    with pytest.raises(ValueError, match="load or by order"):
        match_sets([], [], "weight")


def test_auto_matching_pairs_same_loads_then_the_rest_by_nearest_load():
    from analysis.progress.history import SetRecord

    def st(sid, n, load):
        return SetRecord(sid, "", "Ana", "back squat", n, load, [], None, None)

    a = [st("a", 1, 100.0), st("a", 2, 120.0), st("a", 3, 130.0)]
    b = [st("b", 1, 120.0), st("b", 2, 140.0), st("b", 3, 150.0)]
    pairs = match_sets(a, b)  # the default: auto
    got = [(p.a.set_number if p.a else None, p.b.set_number if p.b else None) for p in pairs]
    # 120 with 120, then the nearest loads first: 130 with 140, and 100 with 150 left
    assert got == [(2, 1), (1, 3), (3, 2)]
    assert [p.same_load() for p in pairs] == [True, False, False]
    # two sessions at one load each, different: set 1 with set 1 (by load: nothing)
    only = match_sets(a[:1], b[:1])
    assert len(only) == 1 and only[0].complete and not only[0].same_load()
    assert not any(p.complete for p in match_sets(a[:1], b[:1], "load"))


def test_each_set_carries_the_point_its_track_followed(comparison):
    """The point a set's track followed reaches the comparison (the bar end reads larger
    numbers than the plate centre at one scale); an untracked set has none."""
    from analysis.session.track import TARGET_KINDS

    pairs = comparison.pairs
    tracked = [s for p in pairs for s in (p.a, p.b) if s is not None and s.reps]
    assert tracked and all(s.tracked_point in TARGET_KINDS for s in tracked)
    untracked = pairs[1].b  # B's set 6, never tracked
    assert untracked.tracked_point == "" and pairs[1].same_point()
    assert all(p.same_point() for p in pairs)  # every set here tracked the same point
