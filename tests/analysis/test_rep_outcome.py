"""Failed and partial reps are seen by the analysis, not only when marked by hand: a squat
whose last rep stalled half-way up read as a valid rep 5 at 0.20 m/s and the set's
velocity loss as 67 % (27 % over its four full reps); a half-depth rep entered the mean
MCV as a full one; a rep that stalled under half-way was dropped without a word."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.lift.result import analyze_track

FPS = 30.0
TOP, BOTTOM = 1.40, 0.85  # bar heights (m): a 0.55 m squat
M_PER_PX = 0.002


def _move(h0: float, h1: float, s: float) -> np.ndarray:
    """From ``h0`` to ``h1`` in ``s`` seconds, starting and ending at rest."""
    u = np.arange(int(round(s * FPS))) / (s * FPS)
    return h0 + (h1 - h0) * (u - np.sin(2 * np.pi * u) / (2 * np.pi))


def _rest(h: float, s: float) -> np.ndarray:
    return np.full(int(round(s * FPS)), h)


def _rep(con_s: float, bottom: float = BOTTOM, top: float = TOP, ecc_s: float = 1.5
         ) -> list[np.ndarray]:
    return [_move(top, bottom, ecc_s), _rest(bottom, 0.1), _move(bottom, top, con_s),
            _rest(top, 1.0)]


def _failed(stall_share: float) -> list[np.ndarray]:
    """Down to the bottom, up to ``stall_share`` of the way, stalled, back down, and left
    there (the spotters take the bar)."""
    stall = BOTTOM + stall_share * (TOP - BOTTOM)
    return [_move(TOP, BOTTOM, 1.5), _rest(BOTTOM, 0.1), _move(BOTTOM, stall, 1.6),
            _rest(stall, 0.6), _move(stall, BOTTOM, 1.0), _rest(BOTTOM, 2.0)]


def _analyse(parts: list[np.ndarray], lift: str = "squat", noise_px: float = 0.3):
    h = np.concatenate(parts)
    t = np.arange(len(h)) / FPS
    y = 900 - h / M_PER_PX + np.random.default_rng(1).normal(0, noise_px, len(h))
    return analyze_track(t, np.full(len(h), 300.0), y, m_per_px=M_PER_PX, lift=lift)


FULL = [_rest(TOP, 1.5)] + [p for c in (0.9, 1.0, 1.1, 1.25) for p in _rep(c)]
#: the four full reps' MCV (m/s): the ROM over the concentric's time
MCV = [0.55 / c for c in (0.9, 1.0, 1.1, 1.25)]


@pytest.mark.parametrize("stall", [0.55, 0.45])
def test_a_last_rep_that_stalls_is_failed_and_left_out_of_the_velocity_loss(stall):
    r = _analyse(FULL + _failed(stall))
    assert [rep.status for rep in r.reps] == ["valid"] * 4 + ["failed"]
    vl = r.set_metrics.velocity_loss
    assert vl.used == [1, 2, 3, 4]
    assert vl.best_last_pct == pytest.approx(100 * (MCV[0] - MCV[3]) / MCV[0], abs=2.0)
    assert r.set_metrics.best_mcv == pytest.approx(MCV[0], abs=0.02)
    assert r.set_metrics.failed_count == 1 and r.set_metrics.rep_count == 4


@pytest.mark.parametrize("depth", [0.55, 0.75])
def test_a_shallow_rep_is_partial(depth):
    """A rep going down ``depth`` of the set's depth, between full reps."""
    shallow = TOP - depth * (TOP - BOTTOM)
    parts = ([_rest(TOP, 1.5)] + _rep(0.9) + _rep(1.0) + _rep(0.5 + depth * 0.4, bottom=shallow,
                                                             ecc_s=0.6 + depth)
             + _rep(1.1) + _rep(1.2))
    r = _analyse(parts)
    assert [rep.status for rep in r.reps] == ["valid", "valid", "partial", "valid", "valid"]
    assert 3 not in r.set_metrics.velocity_loss.used
    assert r.set_metrics.mean_mcv == pytest.approx(np.mean([0.55 / c for c in (0.9, 1.0, 1.1,
                                                                                1.2)]), abs=0.02)


def test_full_reps_whose_depth_varies_a_little_are_all_valid():
    """Depth and lockout vary a few cm between full reps (fatigue, stance): not partial."""
    parts = [_rest(TOP, 1.5)]
    for con, dip, top in ((0.9, 0.0, TOP), (1.0, 0.05, TOP - 0.02), (1.1, -0.03, TOP),
                          (1.2, 0.06, TOP - 0.03), (1.3, 0.02, TOP)):
        parts += _rep(con, bottom=BOTTOM + dip, top=top)
    r = _analyse(parts)
    assert [rep.status for rep in r.reps] == ["valid"] * 5


def test_two_reps_are_not_judged_against_each_other():
    """Without at least three reps the set gives no reference: nothing is judged."""
    r = _analyse([_rest(TOP, 1.5)] + _rep(0.9) + _failed(0.6))
    assert all(rep.status == "valid" for rep in r.reps)


def test_a_deadlift_pull_that_stalls_is_failed():
    floor, lockout = 0.22, 0.80
    parts = [_rest(floor, 1.5)]
    for con in (0.9, 1.0, 1.15):
        parts += [_move(floor, lockout, con), _rest(lockout, 0.8), _move(lockout, floor, 1.0),
                  _rest(floor, 1.2)]
    stall = floor + 0.5 * (lockout - floor)
    parts += [_move(floor, stall, 1.4), _rest(stall, 0.5), _move(stall, floor, 0.8),
              _rest(floor, 2.0)]
    r = _analyse(parts, lift="deadlift")
    assert [rep.status for rep in r.reps] == ["valid"] * 3 + ["failed"]
    assert r.set_metrics.velocity_loss.used == [1, 2, 3]


def test_a_rep_marked_valid_by_hand_stays_valid():
    """The coach's word wins: a rep the analysis calls partial, marked valid, is valid."""
    from analysis.session.overrides import Overrides

    shallow = TOP - 0.6 * (TOP - BOTTOM)
    parts = ([_rest(TOP, 1.5)] + _rep(0.9) + _rep(1.0) + _rep(0.7, bottom=shallow, ecc_s=1.0)
             + _rep(1.1))
    first = _analyse(parts)
    assert first.reps[2].status == "partial"
    rep = first.reps[2]
    ov = Overrides().with_status(rep.start, rep.end, rep.turn_time, "valid")
    h = np.concatenate(parts)
    t = np.arange(len(h)) / FPS
    y = 900 - h / M_PER_PX + np.random.default_rng(1).normal(0, 0.3, len(h))
    again = analyze_track(t, np.full(len(h), 300.0), y, m_per_px=M_PER_PX, lift="squat",
                          overrides=ov)
    assert [r.status for r in again.reps] == ["valid"] * 4


@pytest.mark.parametrize(("low_frames", "flagged"), [(1, False), (2, False), (3, True), (8, True)])
def test_low_confidence_flags_a_rep_only_when_it_lasts(low_frames, flagged):
    """One or two doubtful frames (under 0.1 s at 30 fps) leave the rep's numbers as they
    are; on the real squat test3 a single frame left rep 5 out of every set number."""
    parts = FULL
    h = np.concatenate(parts)
    t = np.arange(len(h)) / FPS
    y = 900 - h / M_PER_PX + np.random.default_rng(1).normal(0, 0.3, len(h))
    conf = np.ones(len(h))
    mid = int(round(FPS * 7.0))  # in rep 2's concentric (6.6-7.6 s)
    conf[mid:mid + low_frames] = 0.2
    r = analyze_track(t, np.full(len(h), 300.0), y, m_per_px=M_PER_PX, lift="squat",
                      confidence=conf)
    rep2 = r.reps[1]
    assert rep2.phases["concentric"][0] <= t[mid] <= rep2.phases["concentric"][1]
    assert bool(rep2.flags) == flagged, rep2.flags
    assert all(not rep.flags for rep in r.reps if rep.number != 2)
