"""Small motion at the top before a rep is rest, not eccentric.

Before the first squat or bench rep the bar settles after the unrack (a dip of 2-4 cm and
back), bobs through the walk-out, or sinks with a bracing breath; between reps the lifter
re-braces. On the real squat test3 such a 3 cm settle at 0.4-0.6 s started rep 1's
eccentric at 0.34 s although the descent began at 1.7 s (a 2.7 s eccentric for 1.4 s),
and every later rep's eccentric started at the lockout's overshoot before a re-brace.
The eccentric starts where the sustained descent that reaches the bottom begins; a slow
lowering (3.5 s) is still timed in full, and so is one that eases in at a crawl.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.lift.result import analyze_track

M_PER_PX = 0.003


def _minjerk(u: np.ndarray) -> np.ndarray:
    u = np.clip(u, 0.0, 1.0)
    return 10 * u ** 3 - 15 * u ** 4 + 6 * u ** 5


class _Script:
    """A bar height (m) built from moves that start and end at rest, sampled exactly at
    any time: ``move`` goes to a height along a minimum-jerk curve, ``bump`` goes out by
    ``amp`` and back (a wobble, zero velocity at both ends), ``stand`` keeps still."""

    def __init__(self) -> None:
        self.parts: list[tuple[float, float, str, float, float]] = []
        self.t, self.h = 0.0, 0.0

    def stand(self, s: float) -> float:
        self.parts.append((self.t, self.t + s, "stand", self.h, 0.0))
        self.t += s
        return self.t

    def move(self, s: float, to: float, shape: str = "minjerk") -> float:
        self.parts.append((self.t, self.t + s, shape, self.h, to - self.h))
        self.t, self.h = self.t + s, to
        return self.t

    def bump(self, s: float, amp: float) -> float:
        self.parts.append((self.t, self.t + s, "bump", self.h, amp))
        self.t += s
        return self.t

    def sample(self, t: np.ndarray) -> np.ndarray:
        out = np.full(len(t), self.h)
        for t0, t1, kind, h0, d in self.parts:
            m = (t >= t0) & (t < t1)
            u = (t[m] - t0) / (t1 - t0)
            if kind == "minjerk":
                out[m] = h0 + d * _minjerk(u)
            elif kind == "easein":  # a crawl over 6 % of the way in the first half of
                # the time, the stroke itself starting before the crawl has ended: the
                # bar slows to a few cm/s in between but never stops or rises
                out[m] = h0 + d * (0.06 * _minjerk(u / 0.5) + 0.94 * _minjerk((u - 0.35) / 0.65))
            elif kind == "bump":
                out[m] = h0 + d * 0.5 * (1 - np.cos(2 * np.pi * u))
            else:
                out[m] = h0
        return out


def _set(rom: float, wobble: float, slow_last: bool = False,
         ease_in: bool = False) -> tuple[_Script, list[tuple[float, float]]]:
    """Three reps of ``rom`` (m) from the top, with ``wobble`` (m) of motion at the top
    before each: an unrack settle and a walk-out bob before the first, a re-brace dip
    after one lockout, a breath that lifts the bar and sets it back after another.
    Returns the script and each rep's true eccentric (start, end) in s."""
    s = _Script()
    s.stand(0.4)
    s.bump(0.35, -wobble)  # the unrack settle
    s.stand(0.35)
    s.bump(0.3, -0.7 * wobble)  # a walk-out bob
    s.stand(0.5)
    ecc = []
    for k in range(3):
        t0 = s.t
        slow = slow_last and k == 2
        t1 = s.move(3.5 if slow else 1.4, -rom, "easein" if ease_in and k == 1 else "minjerk")
        ecc.append((t0, t1))
        s.stand(0.15)
        s.move(1.1, 0.0)
        s.stand(0.3)
        if k == 0:
            s.bump(0.35, -wobble)  # re-brace: sink and stand up again
            s.stand(0.4)
        elif k == 1:
            s.bump(0.5, wobble)  # a deep breath lifts the bar and sets it back
            s.stand(0.5)
    s.stand(1.0)
    return s, ecc


def _analyze(s: _Script, lift: str, fps: float, noise_px: float, seed: int):
    t = np.arange(0.0, s.t, 1.0 / fps)
    rng = np.random.default_rng(seed)
    y = 400.0 - s.sample(t) / M_PER_PX + rng.normal(0.0, noise_px, len(t))
    x = 300.0 + rng.normal(0.0, noise_px, len(t))
    return analyze_track(t, x, y, m_per_px=M_PER_PX, lift=lift)


# Tolerance 0.1 s on the eccentric's start and duration: a minimum-jerk lowering moves
# 2 mm in its first 0.1 s of 1.4 s, about two noise SDs at 0.3 px (0.9 mm), so where it
# left rest is known to a frame or two (test_reps.py allows 0.15 s at the same noise);
# the fault was 0.3-1.4 s.
TOL_S = 0.1


@pytest.mark.parametrize("fps", [30.0, 60.0])
@pytest.mark.parametrize("lift,rom,wobble", [("squat", 0.5, 0.03), ("squat", 0.5, 0.04),
                                             ("bench", 0.4, 0.025)])
def test_wobble_at_the_top_is_rest_not_eccentric(lift, rom, wobble, fps):
    s, ecc = _set(rom, wobble)
    res = _analyze(s, lift, fps, 0.3, seed=int(fps + 1000 * wobble))
    assert len(res.reps) == 3
    for rep, (t0, t1) in zip(res.reps, ecc, strict=True):
        e0, e1 = rep.phases["eccentric"]
        assert abs(e0 - t0) <= TOL_S, (rep.number, e0, t0)
        assert abs((e1 - e0) - (t1 - t0)) <= TOL_S, (rep.number, e1 - e0, t1 - t0)
        assert rep.metrics.rom == pytest.approx(rom, abs=0.01)
    # the top pause before each later rep runs up to its descent
    for prev, (t0, _t1) in zip(res.reps[:-1], ecc[1:], strict=True):
        assert abs(prev.phases["top_pause"][1] - t0) <= TOL_S


@pytest.mark.parametrize("ease_in", [False, True])
def test_a_slow_lowering_after_a_settle_is_timed_in_full(ease_in):
    """A 3.5 s eccentric after a breath at the top, and a lowering that crawls 3 cm in
    0.7 s before its stroke (slowing to 6 cm/s between the two, 6 % of its top speed,
    without stopping): both are eccentric from where the bar left rest."""
    s, ecc = _set(0.5, 0.03, slow_last=True, ease_in=ease_in)
    res = _analyze(s, "squat", 30.0, 0.3, seed=7)
    assert len(res.reps) == 3
    for rep, (t0, t1) in zip(res.reps, ecc, strict=True):
        e0, e1 = rep.phases["eccentric"]
        # A crawl's first millimetres are not a power law from rest: its start reads up to
        # 0.23 s early with or without a wobble before it (the old code read the same
        # with none, and 0.8 s early after this 3 cm settle).
        tol = 0.25 if ease_in and rep.number == 2 else TOL_S
        assert abs(e0 - t0) <= tol, (rep.number, e0, t0)
        # not cut short; the 3.5 s lowering's arrival at the bottom is later than built
        # (0.12 s: its last 0.15 s moves 0.1 mm, under the noise, and its 0.15 s pause
        # reads as a touch and go), which is the bottom's own timing, not the start's
        assert (e1 - e0) - (t1 - t0) >= -TOL_S, (rep.number, e1 - e0, t1 - t0)
        assert abs(e1 - t1) <= (0.2 if t1 - t0 > 3 else TOL_S), (rep.number, e1, t1)


def test_a_deadlift_eccentric_still_starts_at_lockout():
    """Up-first: lockout, a short stand, then the lowering (no wobble): unchanged."""
    s = _Script()
    s.stand(1.0)
    truth = []
    for _ in range(3):
        s.move(0.9, 0.55)
        s.stand(0.6)
        t0 = s.t
        t1 = s.move(1.0, 0.0)
        truth.append((t0, t1))
        s.stand(0.8)
    res = _analyze(s, "deadlift", 30.0, 0.3, seed=11)
    assert len(res.reps) == 3
    for rep, (t0, t1) in zip(res.reps, truth, strict=True):
        e0, e1 = rep.phases["eccentric"]
        assert abs(e0 - t0) <= TOL_S and abs(e1 - t1) <= TOL_S, (rep.number, e0, e1, t0, t1)


TEST3 = "owenyeo__barbell-tracker__test3.mp4"


def test_real_squat_eccentric_starts_at_the_descent(shared_data: Path) -> None:
    """test3, the plate's centre clicked at (162.2, 76.1) on frame 0, 450 mm plate. The
    lifter stands from the unrack until about 1.7 s, the bar settling 3 cm at 0.4-0.6 s;
    between reps it overshoots lockout by 2-4 cm and settles or re-braces for 0.5-1.3 s.
    Rep 1's eccentric read 0.34-3.05 s (2.7 s) and the eccentrics 1.3-2.7 s; each
    descent to the bottom takes 1.2-1.4 s."""
    from analysis.batch.clip import analyze_video

    res = analyze_video(str(shared_data / "videos" / TEST3), lift="squat", seed=(162.2, 76.1),
                        plate_mm=450).result
    assert len(res.reps) == 8
    e0, e1 = res.reps[0].phases["eccentric"]
    assert 1.6 <= e0 <= 1.9, e0
    assert 2.95 <= e1 <= 3.15, e1  # the bottom, unchanged
    for rep in res.reps:
        e0, e1 = rep.phases["eccentric"]
        assert e1 - e0 <= 1.6, (rep.number, e0, e1)


def _settle_names() -> list[str]:
    from tests.truth.settle_truth import settle_family

    return sorted(settle_family())


@pytest.mark.parametrize("name", _settle_names())
def test_settle_truth_eccentric_starts_at_the_descent(name: str, tmp_path) -> None:
    """The independent settle truth (tests/truth/settle_truth.py): unrack settles, walk-out
    steps, braces and sway before rep 1 and between reps, each set written with its own
    frame rate and noise and read back as the CLI does. Every rep's eccentric starts at
    ``descent_onset_t`` and lasts as built, within 0.1 s: the descent leaves rest with
    zero acceleration (0.5 mm two 30 fps frames after the onset, under the 0.5-0.6 px =
    1.3-1.5 mm of noise of some sets), so any reading from positions lags it by a frame or
    more; measured 0.085 s at most (a brace straight into a 3.5 s eccentric at 30 fps and
    0.5 px). Before, rep 1 of bench_settle_speed started 1.8 s early and a bench rep after
    a re-brace 4.7 s early."""
    from analysis.io.track_csv import read_track_csv
    from tests.truth.lift_truth import to_track_csv
    from tests.truth.settle_truth import build_settle_set, settle_family

    spec = settle_family()[name]
    truth = build_settle_set(spec)
    path = tmp_path / f"{name}.csv"
    to_track_csv(truth, path, fps=spec.fps, m_per_px=spec.m_per_px, noise_px=spec.noise_px,
                 seed=1)
    tr = read_track_csv(path)
    res = analyze_track(tr.t, tr.x, tr.y, m_per_px=tr.m_per_px, lift=spec.lift)
    assert len(res.reps) == len(truth.settle_reps)
    assert abs(res.reps[0].phases["eccentric"][0] - truth.first_eccentric_start_t) <= TOL_S
    for rep, want in zip(res.reps, truth.settle_reps, strict=True):
        e0, e1 = rep.phases["eccentric"]
        assert abs(e0 - want.descent_onset_t) <= TOL_S, (rep.number, e0, want.descent_onset_t)
        dur = want.eccentric_end_t - want.eccentric_start_t
        assert abs((e1 - e0) - dur) <= TOL_S, (rep.number, e1 - e0, dur)
