"""The small Levenberg-Marquardt solver reaches SciPy's optimum: on bounded textbook
problems and on the rest fits that place every rep boundary (truth-generated sets)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import least_squares

import analysis.lift.boundaries as boundaries
from analysis.io.track_csv import read_track_csv
from analysis.lift.levmar import levmar
from analysis.lift.result import analyze_track
from tests.truth.lift_truth import build_set, family, to_track_csv


def _decay(t: np.ndarray, y: np.ndarray):
    """``y = a * exp(-b t) + c`` and its Jacobian."""
    def fun(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b, c = p
        e = np.exp(-b * t)
        return a * e + c - y, np.column_stack((e, -a * t * e, np.ones_like(t)))
    return fun


@pytest.mark.parametrize("seed", range(12))
def test_bounded_fits_reach_scipys_optimum(seed):
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 4, 40)
    y = 2.0 * np.exp(-1.3 * t) + 0.5 + rng.normal(0, 0.02, t.size)
    fun = _decay(t, y)
    # every third case has a bound the optimum presses against (c <= 0.4)
    ub = np.array([10.0, 10.0, 0.4 if seed % 3 == 0 else 10.0])
    lb = np.array([0.0, 0.0, -10.0])
    x0 = rng.uniform([0.1, 0.1, -1.0], [5.0, 5.0, 0.3])
    x, cost = levmar(fun, x0, lb, ub, np.ones(3))
    ref = least_squares(lambda p: fun(p)[0], x0, jac=lambda p: fun(p)[1], bounds=(lb, ub),
                        method="trf", xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=5000)
    assert cost == pytest.approx(ref.cost, rel=1e-9)
    assert x == pytest.approx(ref.x, abs=1e-6)
    assert np.all((x >= lb) & (x <= ub))


def test_fixed_parameters_stay_and_a_bad_start_is_refused():
    t = np.linspace(0, 4, 40)
    fun = _decay(t, 2.0 * np.exp(-1.3 * t) + 0.5)
    lb, ub = np.full(3, -10.0), np.full(3, 10.0)
    x, _ = levmar(fun, np.array([1.0, 1.0, 0.7]), lb, ub, np.ones(3),
                  free=np.array([True, True, False]))
    assert x[2] == 0.7 and x[1] != 1.0
    with pytest.raises(ValueError):
        levmar(lambda p: (np.full(3, np.nan), np.zeros((3, 3))), np.zeros(3), lb, ub,
               np.ones(3))


def _scipy_solve(prob, starts, lb, ub, x_scale, pause=True):
    """The rest fit's reference: SciPy's trust-region solver to tight tolerances from
    each start, the best optimum."""
    free = prob.free(pause)
    best = None
    for x0 in starts:
        base = np.clip(x0, lb, ub)
        if not pause:
            base[2] = 0.0

        def full(z, base=base):
            p = base.copy()
            p[free] = z
            return p

        z0 = np.clip(base[free], lb[free] + 1e-12 * x_scale[free],
                     ub[free] - 1e-12 * x_scale[free])
        sol = least_squares(lambda z, full=full: prob.both(full(z))[0], z0,
                            jac=lambda z, full=full: prob.both(full(z))[1][:, free],
                            bounds=(lb[free], ub[free]), x_scale=x_scale[free], method="trf",
                            xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=3000)
        if best is None or sol.cost < best[1]:
            best = (full(sol.x), float(sol.cost))
    return best


@pytest.mark.parametrize("name,noise,seed", [
    ("bench_speed", 0.3, 5), ("deadlift_mixed_shapes", 0.3, 11),
    ("squat_touch_and_go", 0.1, 17), ("squat_paused_2s", 0.3, 5)])
def test_rep_boundaries_are_scipys_optimum(name, noise, seed, tmp_path, monkeypatch):
    truth = build_set(family()[name])
    path = tmp_path / "set.csv"
    to_track_csv(truth, path, fps=30.0, noise_px=noise, seed=seed)
    tr = read_track_csv(path)

    def phases():
        res = analyze_track(tr.t, tr.x, tr.y, m_per_px=tr.m_per_px, lift=None)
        return np.array([[s for kind in ("eccentric", "concentric") for s in r.phases[kind]]
                         for r in res.reps])

    mine = phases()
    monkeypatch.setattr(boundaries, "_solve", _scipy_solve)
    ref = phases()
    assert mine.shape == ref.shape == (len(truth.reps), 4)
    assert np.abs(mine - ref).max() * 30 < 0.01  # frames
