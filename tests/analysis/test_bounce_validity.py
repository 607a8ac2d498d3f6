"""Rep numbers against the independent truth for *bounced* reps (tests/truth/bounce_truth.py).

Touch-and-go bench off the chest, squats rebounding out of the hole, deadlifts pulled again
as the plates touch the floor: the bar reverses at the bottom with 0.5-3 g and no rest, so
the concentric starts at the instant the velocity changes sign and the bottom pause is 0.
Each set is written as a LiftLens track CSV (3 mm a pixel, as bench/bench_validity.py) and
read back as the CLI does, then analysed with no exercise given.

Where the analysis is measurably wrong today the case is ``xfail(strict=True)`` with the
figure measured, so that it turns red once fixed. Where the truth's bar slows below 15 %
of its top speed just after the bounce (a rebound of 1.5-3.5 cm that nearly stalls before
the drive) or just before it (a lowering easing off a few mm above the bottom, then
dropping into the bounce), the stop rule at a turn took that slow stretch for a rest: the
bounce read as a pause of 0.11-0.25 s and the concentric started at the stall (MCV up to
+0.08 m/s, ROM up to 38 mm short). It now applies at the top only; where the smoothed
height itself stops rising in the stall (3-5 % of the top speed) the stall still reads
as a rest (the xfails below).
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import numpy as np
import pytest

from analysis.io.track_csv import read_track_csv
from analysis.lift.result import AnalysisResult, analyze_track
from tests.truth.bounce_truth import BounceTruth, bounce_family, build_bounce_set, to_track_csv

M_PER_PX = 0.003  # the validity bench's scale: 0.3 px of noise is 0.9 mm
SETS = list(bounce_family())


@functools.lru_cache(maxsize=None)
def _analyse(name: str, fps: float, noise_px: float = 0.0,
             seed: int = 0) -> tuple[BounceTruth, AnalysisResult]:
    truth = build_bounce_set(bounce_family()[name])
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"{name}.csv"
        to_track_csv(truth, path, fps=fps, px_per_m=1.0 / M_PER_PX, noise_px=noise_px, seed=seed)
        tr = read_track_csv(path)
    return truth, analyze_track(tr.t, tr.x, tr.y, m_per_px=tr.m_per_px, lift=None)


def _xfail(reason: str):
    return pytest.mark.xfail(strict=True, reason=reason)


# ------------------------------------------------------------------------------------------
# Rep count: exact everywhere measured (9 sets x 30/60/120/240 fps x 0/0.1/0.3 px, 3 draws).
# A miscounted set shifts every later rep and the velocity loss; a coach stops a set by it.
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,fps,noise_px", [(n, 30.0, 0.0) for n in SETS]
                         + [(n, 30.0, 0.3) for n in SETS]
                         + [(n, 240.0, 0.0) for n in ("bench_tng_2g_fatigue",
                                                       "squat_deep_continuous")])
def test_rep_count_is_exact(name: str, fps: float, noise_px: float) -> None:
    truth, res = _analyse(name, fps, noise_px, 1 if noise_px else 0)
    assert len(res.reps) == len(truth.reps), res.warnings
    assert res.direction == truth.spec.direction


# ------------------------------------------------------------------------------------------
# Numbers at 30 fps on exact tracks (the phone's usual rate; the rule's own error).
# ------------------------------------------------------------------------------------------

_STALL_30 = {
    "deadlift_tng_floor_bounce": _xfail(
        "rep 5 rebounds 16 mm off the floor and slows to 3 % of its top speed, where the "
        "smoothed height stops rising: the concentric starts at that stall (+4.9 frames), "
        "pause 0.166 s, MCV +0.051 m/s, ROM 17 mm short, velocity loss -8.2 points"),
}


@pytest.mark.parametrize("name", [pytest.param(n, marks=_STALL_30[n]) if n in _STALL_30 else n
                                  for n in SETS])
def test_mcv_rom_and_velocity_loss_at_30fps(name: str) -> None:
    """Every rep's MCV within 0.03 m/s and the set's RMSE within 0.02 m/s (issue #10's
    target): about the drop of one rep in a set taken to a 20 % velocity loss, the
    figure a coach stops the set on. ROM within 5 mm (1-2 % of a bench's, the depth of a
    squat judged to the centimetre). Velocity loss within 2 points (issue #10): the
    usual stop thresholds (10, 20, 30 %) are 10 points apart. Measured on the sets that
    pass: MCV up to 0.016 m/s (RMSE 0.009), ROM up to 2.9 mm, velocity loss 1.5 points."""
    truth, res = _analyse(name, 30.0)
    assert len(res.reps) == len(truth.reps)
    err = [rep.metrics.mean_concentric_velocity - tr.mcv_mps
           for rep, tr in zip(res.reps, truth.reps, strict=True)]
    assert max(abs(e) for e in err) <= 0.03, np.round(err, 3)
    assert float(np.sqrt(np.mean(np.square(err)))) <= 0.02, np.round(err, 3)
    rom = [rep.metrics.rom - tr.rom_m for rep, tr in zip(res.reps, truth.reps, strict=True)]
    assert max(abs(e) for e in rom) <= 0.005, np.round(rom, 4)
    vl = res.set_metrics.velocity_loss.best_last_pct
    assert vl == pytest.approx(truth.set.velocity_loss_pct, abs=2.0)


_MPV_30 = dict(_STALL_30, bench_short_continuous=_xfail(
    "rep 4 (0.72 m/s, 0.25 m) brakes harder than g for 61 ms (1.8 frames) before lockout: "
    "MPV read 0.716 for 0.819 (-0.103 m/s), the braking not found; reps 2-3 -0.027 / -0.022"))


@pytest.mark.parametrize("name", [pytest.param(n, marks=_MPV_30[n]) if n in _MPV_30 else n
                                  for n in SETS])
def test_mpv_at_30fps(name: str) -> None:
    """MPV within 0.03 m/s of every rep's (the bound of test_validity's MPV tests): MPV
    is the velocity the load-velocity tables are given in (Sánchez-Medina et al. 2010)."""
    truth, res = _analyse(name, 30.0)
    err = [(rep.metrics.mean_propulsive_velocity or np.nan) - tr.mpv_mps
           for rep, tr in zip(res.reps, truth.reps, strict=True)]
    assert max(abs(e) for e in err) <= 0.03, np.round(err, 3)


# ------------------------------------------------------------------------------------------
# A bounce is not a pause: bottom pause within a frame, the concentric starting at the bounce.
# ------------------------------------------------------------------------------------------

_PAUSE = {
    ("deadlift_tng_floor_bounce", 30.0): _STALL_30["deadlift_tng_floor_bounce"],
    ("squat_bounce_accels", 240.0): _xfail(
        "rep 4 (3 g) slows to 2 % of the lowering's top speed just above the bottom: a "
        "pause of 0.171 s read, concentric +4.0 frames (MCV +0.005 m/s)"),
}


@pytest.mark.parametrize("name,fps", [
    pytest.param(n, f, marks=_PAUSE[(n, f)]) if (n, f) in _PAUSE else (n, f)
    for n, f in [(n, 30.0) for n in SETS]
    + [(n, 240.0) for n in ("bench_tng_2g_fatigue", "squat_bounce_accels",
                            "squat_deep_continuous", "bench_speed_bounce_3g",
                            "bench_short_continuous")]])
def test_a_bounce_is_not_read_as_a_pause(name: str, fps: float) -> None:
    """At every bounced bottom: the pause read is at most one frame interval (a shorter one
    cannot be seen; "touch and go" against "paused" is what a coach checks, and a tempo's
    pause digit is read from it), and the concentric starts within one frame interval (at
    least 10 ms) of the bounce. Reps paused in the truth keep their pause within a frame."""
    truth, res = _analyse(name, fps)
    assert len(res.reps) == len(truth.reps)
    dt = 1.0 / fps
    for rep, tr in zip(res.reps, truth.reps, strict=True):
        if tr.bottom_pause_s is None:
            continue
        a, b = rep.phases["bottom_pause"]
        assert b - a == pytest.approx(tr.bottom_pause_s, abs=dt), rep.number
        if tr.bottom_bounce:
            c0 = rep.phases["concentric"][0]
            assert abs(c0 - tr.concentric_start_t) <= max(dt, 0.01), rep.number


# ------------------------------------------------------------------------------------------
# Under 0.3 px of noise (0.9 mm, the real phone clips' level) at 30 fps.
# ------------------------------------------------------------------------------------------

_NOISE_30 = {"bench_speed_bounce_3g": _xfail(
    "rep 1 (plateau stroke at 1.20 m/s, 0.33 s) reads its lockout 0.5 frame late under "
    "0.3 px of noise: MCV -0.076 m/s (seed 1; -0.080 / -0.081 on seeds 2 / 3; -0.010 exact)")}


@pytest.mark.parametrize("name", [pytest.param(n, marks=_NOISE_30[n]) if n in _NOISE_30 else n
                                  for n in SETS])
def test_mcv_at_30fps_under_noise(name: str) -> None:
    """Every rep's MCV within 0.05 m/s, set RMSE within 0.03 m/s under 0.3 px: twice the
    noise-free bounds (the noise's share). Measured on the sets that pass, over 3 draws:
    RMSE up to 0.023 m/s, worst rep 0.036 m/s."""
    truth, res = _analyse(name, 30.0, 0.3, 1)
    assert len(res.reps) == len(truth.reps)
    err = [rep.metrics.mean_concentric_velocity - tr.mcv_mps
           for rep, tr in zip(res.reps, truth.reps, strict=True)]
    assert max(abs(e) for e in err) <= 0.05, np.round(err, 3)
    assert float(np.sqrt(np.mean(np.square(err)))) <= 0.03, np.round(err, 3)
