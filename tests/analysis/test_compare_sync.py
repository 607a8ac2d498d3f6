"""Common-timeline arithmetic: different fps, VFR, offsets, tempo normalisation."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.compare.sync import CommonTimeline, SideTiming, normalised_side
from analysis.synth.barcode import vfr_times


def test_event_alignment_with_different_fps():
    a = SideTiming(np.arange(300) / 30.0, event=2.0)  # 30 fps, rep 1 at 2.0 s
    b = SideTiming(np.arange(600) / 60.0, event=3.5)  # 60 fps, rep 1 at 3.5 s
    tl = CommonTimeline(a, b)
    assert tl.frames_at(0.0) == (60, 210)
    assert tl.frames_at(1.0) == (90, 270)
    assert tl.start == pytest.approx(-3.5) and tl.end == pytest.approx(8.0)
    # before clip A starts, A holds its first frame (or is blank without hold)
    assert tl.frames_at(-3.0) == (0, 30)
    assert tl.frames_at(-3.0, hold=False) == (-1, 30)


def test_joint_stepping_visits_every_frame_change_once():
    a = SideTiming(np.arange(30) / 30.0, event=0.0)
    b = SideTiming(np.arange(60) / 60.0, event=0.0)
    tl = CommonTimeline(a, b)
    tau = tl.start
    seen_b = [tl.frames_at(tau)[1]]
    seen_a = [tl.frames_at(tau)[0]]
    for _ in range(59):
        tau = tl.step(tau, 1)
        fa, fb = tl.frames_at(tau)
        seen_a.append(fa)
        seen_b.append(fb)
    assert seen_b == list(range(60))  # the faster side changes on every step
    assert sorted(set(seen_a)) == list(range(30))  # the slower side every other step
    back = tl.step(tau, -1)
    assert tl.frames_at(back)[1] == 58
    assert tl.step(tl.start, -5) == tl.start  # clamps


def test_vfr_side_uses_real_timestamps():
    t = vfr_times(100, 30.0)
    a = SideTiming(t, event=float(t[40]))
    b = SideTiming(np.arange(200) / 30.0, event=1.0)
    tl = CommonTimeline(a, b)
    for k in (40, 41, 57, 99):
        tau = float(t[k] - t[40])
        assert tl.frames_at(tau)[0] == k
        assert tl.frames_at(tau)[1] == int(np.floor((1.0 + tau) * 30 + 1e-6))


def test_fine_offset_shifts_one_side():
    a = SideTiming(np.arange(90) / 30.0, event=1.0, offset=0.0)
    b = SideTiming(np.arange(90) / 30.0, event=1.0, offset=2 / 30)
    assert CommonTimeline(a, b).frames_at(0.0) == (30, 32)


def test_tempo_normalised_lines_up_phases():
    # A: rep start 1.0, bottom 3.0, lockout 4.0. B (slower eccentric): 2.0, 6.0, 7.0
    a = SideTiming(np.arange(300) / 30.0, event=1.0)
    b = normalised_side(np.arange(300) / 30.0, [1.0, 3.0, 4.0], [2.0, 6.0, 7.0])
    tl = CommonTimeline(a, b)
    assert tl.frames_at(0.0) == (30, 60)   # both at rep start
    assert tl.frames_at(2.0) == (90, 180)  # both at the bottom
    assert tl.frames_at(3.0) == (120, 210)  # both at lockout
    assert tl.frames_at(1.0) == (60, 120)  # halfway down on both
    assert tl.frames_at(4.0) == (150, 240)  # after the last event: real speed
    # inverse mapping round-trips
    tau = np.linspace(-1, 5, 13)
    np.testing.assert_allclose(b.common_time(b.clip_time(tau)), tau, atol=1e-9)


def test_normalised_rejects_mismatched_events():
    with pytest.raises(ValueError):
        normalised_side(np.arange(10) / 30.0, [1.0, 2.0], [1.0])
    with pytest.raises(ValueError):
        normalised_side(np.arange(10) / 30.0, [1.0, 2.0], [2.0, 1.0])


def test_slow_motion_side_runs_on_real_time():
    """A 120 fps capture played at 30 (factor 0.25) beside a real-time 30 fps clip: one
    common second is one real second on both, four clip seconds on the slow side."""
    a = SideTiming(np.arange(300) / 30.0, event=2.0)
    b = SideTiming(np.arange(1200) / 30.0, event=8.0, factor=0.25)  # rep 1 at 2.0 s real
    tl = CommonTimeline(a, b)
    assert tl.frames_at(0.0) == (60, 240)
    assert tl.frames_at(1.0) == (90, 360)  # B: 120 captured frames per real second
    assert float(b.clip_time(1.0)) == pytest.approx(12.0)
    assert float(b.common_time(12.0)) == pytest.approx(1.0)
    assert tl.end == pytest.approx(8.0)  # both clips end 8 real seconds after the event
    assert tl.step(0.0, 1) == pytest.approx(1 / 120)  # B changes frame every 1/120 s
    with pytest.raises(ValueError):
        SideTiming(np.arange(10) / 30.0, factor=0.0)


def test_tempo_normalised_slow_motion_side():
    """Normalised between matching events given in each clip's own time: B's events land
    on A's real times, and outside them B runs at its own real pace."""
    a_events, b_events = [1.0, 2.0, 2.5], [4.0, 8.0, 10.0]  # B: 4x slow, same lift
    b = normalised_side(np.arange(600) / 30.0, a_events, b_events, factor_b=0.25)
    assert np.asarray(b.clip_time(np.array([0.0, 1.0, 1.5]))) == pytest.approx(b_events)
    assert float(b.clip_time(2.5)) == pytest.approx(14.0)  # 1 real s past the last event
    assert float(b.common_time(14.0)) == pytest.approx(2.5)
    a = normalised_side(np.arange(600) / 30.0, [4.0, 8.0], [1.0, 2.0], factor_a=0.25)
    assert float(a.clip_time(1.0)) == pytest.approx(2.0)  # A's 4 clip s = 1 real s
