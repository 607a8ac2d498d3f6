"""Regression tests for what was measured on real gym sets and truth tracks (issue #10).

Generated data only: the independent truth sets of ``tests/truth`` written as tracks,
then damaged the way real tracks were (a one-frame glitch, a lost stretch, garbage,
a little tracking noise). Each test names the finding it guards.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.lift.plausibility import MAX_CON_S, MIN_MCV_MPS
from analysis.lift.result import analyze_track
from tests.truth.lift_truth import RepSpec, SetSpec, build_set, family, frame_times, sample

MPP = 0.003  # m per px, as the truth's track writer uses


def _track(truth, fps: float = 30.0, noise_px: float = 0.0, seed: int = 0):
    t = frame_times(truth.duration_s, fps)
    y_m, _ = sample(truth, t)
    rng = np.random.default_rng(seed)
    x = 320.0 + rng.normal(0, noise_px, t.size) if noise_px else np.full(t.size, 320.0)
    y = 900.0 - y_m / MPP + (rng.normal(0, noise_px, t.size) if noise_px else 0.0)
    return t, x, y


def test_one_frame_glitch_of_20_cm_inside_a_rep_does_not_split_it() -> None:
    """Finding: a one-frame tracking glitch of 0.2 m inside a rep split it in two."""
    truth = build_set(family()["squat_two_peak_fatigue"])
    t, x, y = _track(truth, noise_px=0.1, seed=1)
    tr = truth.reps[2]
    for when in (tr.concentric_start_t + 0.4 * tr.concentric_s,
                 tr.eccentric_start_t + 0.5 * tr.eccentric_s):
        yy = y.copy()
        k = int(np.argmin(np.abs(t - when)))
        yy[k] -= 0.2 / MPP  # 20 cm up for a single frame
        res = analyze_track(t, x, yy, m_per_px=MPP, lift="squat")
        assert len(res.reps) == len(truth.reps), res.warnings
        assert any("glitch" in w for w in res.warnings)
        for rep, want in zip(res.reps, truth.reps, strict=True):
            assert rep.metrics.mean_concentric_velocity == pytest.approx(want.mcv_mps, abs=0.02)


@pytest.mark.parametrize("name", ["squat_touch_and_go", "deadlift_touch_and_go",
                                  "bench_speed", "deadlift_mixed_shapes"])
def test_neighbouring_reps_never_overlap(name: str) -> None:
    """Finding: in 8 of 81 neighbouring pairs a rep's concentric ended after the next
    rep's eccentric had started."""
    truth = build_set(family()[name])
    t, x, y = _track(truth, noise_px=0.3, seed=4)
    res = analyze_track(t, x, y, m_per_px=MPP, lift=None)
    assert len(res.reps) == len(truth.reps)
    for rep in res.reps:
        for s, e in rep.phases.values():
            assert s <= e
    for a, b in zip(res.reps[:-1], res.reps[1:], strict=True):
        end_a = max(e for _, e in a.phases.values())
        start_b = min(s for s, _ in b.phases.values())
        assert end_a <= start_b + 1e-9, (a.phases, b.phases)


def test_garbage_track_gives_no_valid_slow_endless_reps() -> None:
    """Finding: on broken tracks "valid" reps appeared, one with a 9.7 s concentric at
    0.01 m/s. A track that wanders and jumps (a tracker locked on the background, then
    on a passer-by) must not give reps that look like lifts."""
    rng = np.random.default_rng(7)
    t = np.arange(0, 40, 1 / 30)
    walk = np.cumsum(rng.normal(0, 0.6, t.size))  # px: a slow random wander
    jumps = np.repeat(rng.normal(0, 40, 8), int(np.ceil(t.size / 8)))[:t.size]
    y = 500 + walk + jumps
    x = 320 + np.cumsum(rng.normal(0, 0.6, t.size))
    res = analyze_track(t, x, y, m_per_px=MPP, lift="squat")
    for rep in res.reps:
        if rep.status != "valid" or rep.flags:
            continue
        m = rep.metrics
        moving = m.concentric_time - m.hold_time
        assert moving <= MAX_CON_S
        assert m.mean_concentric_velocity >= MIN_MCV_MPS


def test_reps_on_a_lost_stretch_are_flagged_and_left_out_of_velocity_loss() -> None:
    """Finding: reps found on a stretch the tracker marked unreliable were counted
    silently. They are flagged, and velocity loss uses the others."""
    truth = build_set(family()["squat_two_peak_fatigue"])
    t, x, y = _track(truth, noise_px=0.1, seed=2)
    tr = truth.reps[3]
    state = np.ones(t.size, np.uint8)
    lost = (t > tr.concentric_start_t + 0.2) & (t < tr.concentric_start_t + 0.3)
    state[lost] = 3
    x, y = x.copy(), y.copy()
    x[lost] = np.nan
    y[lost] = np.nan
    res = analyze_track(t, x, y, m_per_px=MPP, lift="squat", state=state)
    assert len(res.reps) == len(truth.reps)
    flagged = [r.number for r in res.reps if r.flags]
    assert flagged == [4], [(r.number, r.flags) for r in res.reps]
    assert 4 not in res.set_metrics.velocity_loss.used


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_deadlift_set_with_a_little_noise_keeps_its_velocity_loss(seed: int) -> None:
    """Finding: two boundary rules were mixed within a set and 0.07 px of tracking noise
    decided which rep got which: a deadlift set's velocity loss read -21.9 % against a
    true +11.3 %. Every rep now gets the same rule; the loss keeps its sign and is
    within 3 points (a slow lift-off is timed to about half a frame under noise, which
    is 1 % of a 1 s concentric: 2 points of loss at most between two reps)."""
    R = RepSpec
    spec = SetSpec("up_first", (
        R("skewed_late", 0.52, 0.50, ecc_s=1.0, top_pause_s=0.8),
        R("two_peak", 0.52, 0.52, ecc_s=1.0, bottom_pause_s=1.2, top_pause_s=0.8),
        R("skewed_late", 0.52, 0.49, ecc_s=1.0, bottom_pause_s=1.0, top_pause_s=0.8),
        R("plateau", 0.52, 0.48, ecc_s=1.1, bottom_pause_s=1.5, top_pause_s=0.8),
        R("skewed_late", 0.52, 0.46, ecc_s=1.1, bottom_pause_s=1.0, top_pause_s=0.8)),
        base_height_m=0.225, lead_in_s=1.5, tail_s=1.5, name="deadlift_vl")
    truth = build_set(spec)
    assert truth.set.velocity_loss_pct == pytest.approx(11.5, abs=0.1)
    t, x, y = _track(truth, noise_px=0.07, seed=seed)
    res = analyze_track(t, x, y, m_per_px=MPP, lift="deadlift")
    assert len(res.reps) == 5
    assert len({r.fitted for r in res.reps}) == 1  # one rule: all fitted or none
    vl = res.set_metrics.velocity_loss
    assert vl.best_last_pct > 0
    assert vl.best_last_pct == pytest.approx(truth.set.velocity_loss_pct, abs=3)
    assert res.set_metrics.fastest_rep == 2


def test_a_hold_split_by_noise_is_one_hold_kept_out_of_mcv(tmp_path) -> None:
    """A 2 s hold low in the pull, with 0.3 px of noise: the still stretch is broken in
    two by the noise, and both pieces used to be fitted to the same hold, which was then
    left out of the concentric twice (a -0.74 s concentric, and the rep was dropped)."""
    from analysis.io.track_csv import read_track_csv
    from tests.truth.lift_truth import to_track_csv

    truth = build_set(family()["deadlift_paused_hold"])
    path = tmp_path / "hold.csv"
    to_track_csv(truth, path, fps=30.0, noise_px=0.3, seed=11)
    tr = read_track_csv(path)
    res = analyze_track(tr.t, tr.x, tr.y, m_per_px=tr.m_per_px, lift=None)
    assert len(res.reps) == 2, res.warnings
    for rep, want in zip(res.reps, truth.reps, strict=True):
        assert len(rep.holds) == 1
        assert rep.metrics.hold_time == pytest.approx(want.hold_s, abs=0.1)
        assert rep.metrics.mean_concentric_velocity == pytest.approx(want.mcv_mps, abs=0.02)


def test_a_negative_velocity_loss_says_the_last_rep_was_faster() -> None:
    """A deadlift set whose last rep was the fastest read "first→last -35 %" in the panel
    and the report, which a coach reads as a loss."""
    from analysis.lift.set_metrics import velocity_loss

    gain = velocity_loss([0.40, 0.45, 0.54])
    assert gain.first_last_pct == pytest.approx(-35.0)
    assert gain.first_last_text() == "-35 % (the last rep was faster)"
    loss = velocity_loss([0.60, 0.55, 0.48])
    assert loss.first_last_text() == "20 %"
    assert velocity_loss([0.5]).first_last_text() == ""


#: Height (mm) after the bar first stopped at lockout, every 1/30 s, on the real deadlift
#: clip (rep 1, camera-compensated track): a 2 mm dip, a 6.7 mm rise (a shrug or a
#: lean-back) and a settle 3 mm above the first stop, until the lowering 0.57 s later.
SETTLE_MM = [0.0, -0.6, -1.6, -1.9, -1.05, 0.9, 3.2, 5.3, 6.5, 6.7, 6.1, 4.9, 3.8, 3.05, 2.9]


@pytest.mark.parametrize("noise_px,seed", [(0.0, 0), (0.2, 1), (0.2, 2)])
def test_lockout_then_a_shrug_ends_the_concentric_at_the_lockout(noise_px: float,
                                                                  seed: int) -> None:
    """Finding (real deadlift): the bar stopped at lockout, then dipped and rose a few
    millimetres before the lowering; the concentric was read to end 0.44 s late, at the
    last rise (MCV 0.31 m/s instead of about 0.45). The stroke ends where the bar first
    stops at the top."""
    R = RepSpec
    spec = SetSpec("up_first", (
        R("skewed_late", 0.44, 0.50, ecc_s=1.0, top_pause_s=0.57),
        R("two_peak", 0.44, 0.45, ecc_s=1.0, bottom_pause_s=1.2, top_pause_s=0.57)),
        base_height_m=0.225, lead_in_s=1.5, tail_s=1.5, name="deadlift_shrug")
    truth = build_set(spec)
    t, x, y = _track(truth, noise_px=noise_px, seed=seed)
    for tr in truth.reps:  # the settle, faded out over the first 0.3 s of the lowering
        tau = t - tr.concentric_end_t
        settle = np.interp(tau, np.arange(len(SETTLE_MM)) / 30, SETTLE_MM) * 1e-3
        fade = np.clip(1 - (t - tr.eccentric_start_t) / 0.3, 0, 1)
        y = y - np.where(tau > 0, settle * fade, 0.0) / MPP
    res = analyze_track(t, x, y, m_per_px=MPP, lift="deadlift")
    assert len(res.reps) == 2
    for rep, tr in zip(res.reps, truth.reps, strict=True):
        assert rep.phases["concentric"][1] == pytest.approx(tr.concentric_end_t, abs=1 / 30)
        assert rep.metrics.mean_concentric_velocity == pytest.approx(tr.mcv_mps, abs=0.02)


def test_velocity_loss_text_gives_its_sd_when_known() -> None:
    """The panel and the report read the loss with how far tracking noise may move it."""
    from analysis.lift.set_metrics import velocity_loss

    vl = velocity_loss([0.60, 0.55, 0.48], sds=[0.01, 0.01, 0.01])
    assert vl.first_last_text() == f"20 ± {vl.first_last_sd:.0f} %"
    assert vl.best_last_text() == f"20 ± {vl.best_last_sd:.0f} %"
    assert 1.5 < vl.first_last_sd < 3.0  # 100/0.6 * hypot(0.01, 0.8 * 0.01) = 2.1 points
    exact = velocity_loss([0.60, 0.55, 0.48], sds=[1e-5, 1e-5, 1e-5])
    assert exact.first_last_text() == "20 %" and exact.best_last_text() == "20 %"
    gain = velocity_loss([0.40, 0.45, 0.54], sds=[0.01, 0.01, 0.01])
    assert gain.first_last_text().endswith("% (the last rep was faster)")


#: Height (mm) after the bar stopped at the top of a real squat (owenyeo test3, rep 2, every
#: 1/15 s, smoothed; here after 0.13 s at rest): the lifter stands, the bar sinks 12 mm and
#: rises 36 mm as they extend fully, before the next descent.
STAND_MM = [0.0, 0.0, 0.0, -1.0, -4.0, -10.0, -12.0, -12.0, -6.0, -3.0, -4.0, -1.0, 9.0, 24.0,
            35.0, 36.0]


@pytest.mark.parametrize("noise_px,seed", [(0.0, 0), (0.2, 1)])
def test_a_squat_ends_where_the_lifter_stood_up_not_at_a_later_extension(noise_px: float,
                                                                         seed: int) -> None:
    """Finding (real squat, 8 reps): after standing up the bar sank a centimetre and rose
    3.6 cm more before the next rep; the concentric was read to end there, 0.7 s late
    (MCV 0.35 instead of ~0.52 m/s, and the ROM took in the extra 3.6 cm). On the last
    rep the bar then went 9.5 cm up onto the hooks (7.6 cm here). The stroke ends where the bar first
    stops and its ROM ends at that height."""
    R = RepSpec
    spec = SetSpec("down_first", (
        R("two_peak", 0.55, 0.55, ecc_s=1.6, top_pause_s=1.2),
        R("skewed_late", 0.55, 0.50, ecc_s=1.6, top_pause_s=1.2),
        R("two_peak", 0.55, 0.45, ecc_s=1.6, top_pause_s=1.2)), tail_s=3.0,
        name="squat_stand_tall")
    truth = build_set(spec)
    t, x, y = _track(truth, noise_px=noise_px, seed=seed)
    for k, tr in enumerate(truth.reps):  # the extension, faded out into the next descent
        tau = t - tr.concentric_end_t
        mm = np.interp(tau, np.arange(len(STAND_MM)) / 15, STAND_MM)
        if k == len(truth.reps) - 1:  # the last rep: on up to the hooks
            mm = mm + np.interp(tau, [1.1, 1.65], [0.0, 40.0])
        nxt = truth.reps[k + 1].eccentric_start_t if k + 1 < len(truth.reps) else t[-1] + 1
        fade = np.clip(1 - (t - nxt) / 0.3, 0, 1)
        y = y - np.where(tau > 0, mm * fade, 0.0) * 1e-3 / MPP
    res = analyze_track(t, x, y, m_per_px=MPP, lift="squat")
    assert len(res.reps) == 3
    for rep, tr in zip(res.reps, truth.reps, strict=True):
        assert rep.phases["concentric"][1] == pytest.approx(tr.concentric_end_t, abs=1 / 30)
        assert rep.metrics.mean_concentric_velocity == pytest.approx(tr.mcv_mps, abs=0.02)
        assert rep.metrics.rom == pytest.approx(0.55, abs=0.005)


def _lean_back(tau: np.ndarray, top_mps: float, dur_s: float) -> np.ndarray:
    """Height (m) a lean-back adds ``tau`` s after lockout: the bar rises at
    ``top_mps * sin(pi * tau / dur_s)`` (from rest, at most ``top_mps``) for ``dur_s``
    and stays there."""
    x = np.clip(tau, 0.0, dur_s)
    return top_mps * dur_s / np.pi * (1.0 - np.cos(np.pi * x / dur_s))


@pytest.mark.parametrize("top_mps,dur_s,noise_px,seed", [
    (0.09, 0.45, 0.0, 0), (0.06, 0.35, 0.0, 0), (0.09, 0.45, 0.2, 1), (0.06, 0.35, 0.2, 2)])
def test_a_slow_lean_back_after_lockout_is_not_concentric(top_mps: float, dur_s: float,
                                                          noise_px: float, seed: int) -> None:
    """Finding (real deadlift, tracked from two seeds on the same plate): right after
    lockout the lifter leaned back and the bar rose on slowly. Where the smoothed track
    dipped a fraction of a millimetre between the two the concentric ended at lockout;
    where it did not, at the end of the lean-back (rep 5: 1.2 s instead of 0.9 s, MCV
    177 instead of 226 px/s, velocity loss 25 % instead of 5 %). Here the bar rises at up
    to 6-9 cm/s for 0.35-0.45 s from the instant of lockout, with no stop in between
    (before: ends 1-6 frames late, MCV up to 0.09 m/s low). The stroke ends at lockout:
    where its speed, already a small share of its top speed, stops falling and a second,
    slower movement begins."""
    R = RepSpec
    spec = SetSpec("up_first", (
        R("skewed_late", 0.50, 0.55, ecc_s=1.0, top_pause_s=1.0),
        R("two_peak", 0.50, 0.50, ecc_s=1.0, bottom_pause_s=1.2, top_pause_s=1.0),
        R("skewed_late", 0.49, 0.45, ecc_s=1.0, bottom_pause_s=1.2, top_pause_s=1.0)),
        base_height_m=0.225, lead_in_s=1.5, tail_s=1.5, name="deadlift_lean_back")
    truth = build_set(spec)
    t, x, y = _track(truth, noise_px=noise_px, seed=seed)
    for tr in truth.reps:  # the lean-back, given back over the first 0.3 s of the lowering
        lean = _lean_back(t - tr.concentric_end_t, top_mps, dur_s)
        fade = np.clip(1 - (t - tr.eccentric_start_t) / 0.3, 0, 1)
        y = y - lean * fade / MPP
    res = analyze_track(t, x, y, m_per_px=MPP, lift="deadlift")
    assert len(res.reps) == 3
    for rep, tr in zip(res.reps, truth.reps, strict=True):
        assert rep.phases["concentric"][1] == pytest.approx(tr.concentric_end_t, abs=1 / 30)
        assert rep.metrics.mean_concentric_velocity == pytest.approx(tr.mcv_mps, abs=0.025)
        assert rep.metrics.rom == pytest.approx(tr.rom_m, abs=0.005)
