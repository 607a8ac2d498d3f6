"""Self-checks of the failed / partial / rest-pause / cluster ground truth
(``failed_truth``, ``failed_family``) only: no program code is involved."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from tests.truth.family_files import check_c2_joins, check_family_csv
from tests.truth.failed_family import fail_family, write_fail_family
from tests.truth.failed_truth import (
    INTRA_SET_REST_S,
    PARTIAL_BELOW_FRAC,
    Attempt,
    FailSet,
    build_fail_set,
)
from tests.truth.lift_truth import RepSpec, SetSpec, build_set, sample, to_track_csv

FAM = fail_family()
TRUTHS: dict[str, Any] = {k: build_fail_set(s) for k, s in FAM.items()}   # FailTruth


@pytest.fixture(params=sorted(FAM))
def ft(request):
    return TRUTHS[request.param]


def _lockout(ft) -> float:
    """The set's lockout height (m): the standing height, or floor + full ROM."""
    sp = ft.fail_spec
    if sp.direction == "down_first":
        return sp.base_height_m
    return sp.base_height_m + ft.fail_set.full_rom_m


def test_family_is_varied():
    assert 8 <= len(FAM) <= 10
    assert {s.lift for s in FAM.values()} == {"squat", "bench", "deadlift"}
    assert {s.fps for s in FAM.values()} == {30.0, 60.0}
    assert min(s.noise_px for s in FAM.values()) == 0.0
    assert max(s.noise_px for s in FAM.values()) >= 0.4
    statuses = {(s.lift, a.status) for s in FAM.values() for a in s.attempts}
    assert statuses >= {("squat", "failed"), ("bench", "failed"), ("deadlift", "failed"),
                        ("squat", "partial"), ("bench", "partial"), ("deadlift", "partial")}
    kinds = {r.kind for t in TRUTHS.values() for r in t.fail_set.rests}
    assert kinds == {"top_still", "top_rerack", "floor"}
    fails = [a.failure for t in TRUTHS.values() for a in t.attempts if a.failure]
    assert any(f.rack_y_m is None for f in fails) and any(f.rack_y_m for f in fails)
    assert any(len(t.fail_set.clusters) == 3 and max(map(len, t.fail_set.clusters)) <= 3
               for t in TRUTHS.values())                  # a cluster set 3-3-2


def test_every_join_is_c2(ft):
    check_c2_joins(ft)


def test_v_and_a_are_derivatives(ft):
    rng = np.random.default_rng(5)
    t = rng.uniform(1e-3, ft.duration_s - 1e-3, 3000)
    h = 1e-5
    assert np.max(np.abs((ft.y(t + h) - ft.y(t - h)) / (2 * h) - ft.v(t))) < 1e-6
    assert np.max(np.abs((ft.v(t + h) - ft.v(t - h)) / (2 * h) - ft.a(t))) < 1e-3
    tt = np.linspace(0, ft.duration_s, 400001)
    assert np.max(np.abs(ft.a(tt))) < 1.3 * 9.81          # a bar moved by a lifter


def test_statuses_follow_their_definitions(ft):
    """Valid and partial reps lock out, partial ones with < 80 % of the full ROM (the
    family's at 40-60 %); a failed attempt stops going up below lockout (v = 0) and goes
    back down, and the bar never reaches lockout again."""
    top = _lockout(ft)
    full = ft.fail_set.full_rom_m
    for a in ft.attempts:
        c0, c1 = a.concentric_start_t, a.concentric_end_t
        inner = np.linspace(c0, c1, 2001)[1:-1]
        assert ft.v(c0) == 0.0 and ft.v(c1) == 0.0 and ft.v(inner).min() > 0.0
        assert ft.y(c0) == pytest.approx(a.bottom_y_m, abs=1e-12)
        assert ft.y(c1) == pytest.approx(a.top_y_m, abs=1e-12)
        assert a.rom_m == pytest.approx(a.top_y_m - a.bottom_y_m, abs=1e-12)
        assert a.rom_frac_of_full == pytest.approx(a.rom_m / full)
        if a.status == "failed":
            f = a.failure
            assert a.mcv_mps is None and a.mpv_mps is None and a.rep is None
            assert not a.counts and a.index == len(ft.attempts) - 1
            assert top - a.top_y_m > 0.25 * full
            # highest point from the rise to the spotters' re-rack (or the set's end)
            end = f.spot_rerack_start_t or ft.duration_s
            after = np.arange(c0, end, 1e-3)
            assert ft.y(after).max() == pytest.approx(f.stall_y_m, abs=1e-9)
            assert f.stall_start_t == c1 and f.stall_y_m == a.top_y_m
            back = np.linspace(f.stall_end_t, f.return_end_t, 2001)[1:-1]
            assert ft.v(back).max() < 0.0                   # straight back down
            assert ft.y(f.return_end_t) == pytest.approx(f.end_y_m, abs=1e-12)
            assert f.end_y_m <= a.bottom_y_m + 1e-12
            if ft.fail_spec.direction == "down_first":
                assert 0.3 <= f.stall_frac_of_rom <= 0.7
                assert a.eccentric_end_t <= a.concentric_start_t
            else:
                assert 0.05 <= a.rom_m <= 0.20               # 5-20 cm off the floor
            if f.rack_y_m is not None:                        # spotters: slow, not to lockout
                assert 0.03 <= top - f.rack_y_m <= 0.06 + 1e-9
                assert ft.y(ft.duration_s) == f.rack_y_m
                assert f.spot_rerack_end_t - f.spot_rerack_start_t >= 3.0
                tt = np.linspace(f.return_end_t, ft.duration_s, 20001)
                assert ft.y(tt).max() == pytest.approx(f.rack_y_m, abs=1e-12)
            assert "failed" in a.left_out_reason
            continue
        assert a.top_y_m == pytest.approx(top, abs=1e-12)      # locked out
        assert a.mcv_mps == pytest.approx(a.rom_m / (c1 - c0), rel=1e-12)
        tt = np.linspace(c0, c1, 20001)
        assert np.trapezoid(ft.v(tt), tt) / (c1 - c0) == pytest.approx(a.mcv_mps, rel=1e-6)
        assert a.rep is not None and a.rep.mcv_mps == a.mcv_mps
        if a.status == "partial":
            assert 0.40 <= a.rom_frac_of_full <= 0.60 < PARTIAL_BELOW_FRAC
            assert not a.counts and "partial" in a.left_out_reason
        else:
            assert a.counts and a.left_out_reason is None
            assert abs(a.rom_frac_of_full - 1.0) <= 0.05


def test_set_numbers_follow_their_definitions(ft):
    fs = ft.fail_set
    valid = [a for a in ft.attempts if a.status == "valid"]
    mcv = [a.mcv_mps for a in valid]
    assert fs.n_attempts == len(ft.attempts) and fs.n_valid == len(valid)
    assert fs.valid_indices == tuple(a.index for a in valid)
    assert fs.statuses == tuple(a.status for a in ft.attempts)
    assert fs.valid_mcv_mps == tuple(mcv)
    assert fs.mcv_mps == tuple(a.mcv_mps for a in ft.attempts)
    k = int(np.argmax(mcv))
    assert fs.best_mcv_mps == max(mcv) and fs.best_rep_index == valid[k].index
    assert fs.mean_mcv_mps == pytest.approx(sum(mcv) / len(mcv))
    assert fs.last_valid_index == valid[-1].index and fs.last_mcv_mps == mcv[-1]
    assert fs.velocity_loss_pct == pytest.approx(100 * (max(mcv) - mcv[-1]) / max(mcv))
    assert fs.velocity_loss_first_last_pct == pytest.approx(100 * (mcv[0] - mcv[-1]) / mcv[0])
    assert [x[0] for x in fs.left_out] == [a.index for a in ft.attempts if not a.counts]
    assert all(s in r for (_, s, r) in fs.left_out)
    # lift_truth's records hold exactly the valid reps
    assert tuple(r.index for r in ft.reps) == fs.valid_indices
    assert ft.set.n_reps == fs.n_valid and ft.set.best_mcv_mps == fs.best_mcv_mps
    assert ft.set.velocity_loss_pct == pytest.approx(fs.velocity_loss_pct)
    locked = sorted(a.rom_m for a in ft.attempts if a.status != "failed")
    assert fs.full_rom_m == pytest.approx(float(np.median(locked)))
    assert fs.partial_threshold_m == pytest.approx(PARTIAL_BELOW_FRAC * fs.full_rom_m)


def test_left_out_reps_change_the_numbers():
    """Counting the partial / failed reps would give other set numbers (so the family
    tells an analysis that counts them from one that does not)."""
    half = TRUTHS["squat_half_reps"]
    assert max(a.mcv_mps for a in half.attempts) > half.fail_set.best_mcv_mps
    last = TRUTHS["bench_partial_last"]
    assert last.fail_set.last_valid_index == len(last.attempts) - 2
    assert last.attempts[-1].mcv_mps > last.fail_set.last_mcv_mps
    cl = TRUTHS["squat_cluster_3_3_2"]
    assert cl.fail_set.best_rep_index == 3                 # fastest after a cluster rest
    for t in TRUTHS.values():
        if t.attempts[-1].status == "failed":
            assert t.fail_set.last_valid_index == len(t.attempts) - 2


def test_rests_are_rests_between_reps(ft):
    fs = ft.fail_set
    by_after = {r.after_index: r for r in fs.rests}
    at = ft.attempts
    for a, b in zip(at, at[1:]):
        if ft.fail_spec.direction == "down_first":
            gap0, gap1 = a.concentric_end_t, b.eccentric_start_t
        else:
            gap0, gap1 = a.rep.eccentric_end_t, b.concentric_start_t
        r = by_after.get(a.index)
        if r is None:
            assert gap1 - gap0 < INTRA_SET_REST_S
            continue
        assert (r.start_t, r.end_t) == (pytest.approx(gap0), pytest.approx(gap1))
        assert r.duration_s >= INTRA_SET_REST_S
        tt = np.linspace(r.start_t, r.end_t, 20001)
        y = ft.y(tt)
        assert y.max() == pytest.approx(r.y_m, abs=1e-12)
        assert r.y_m - y.min() == pytest.approx(r.rerack_depth_m, abs=1e-9)
        if r.kind == "top_rerack":
            assert 0.03 <= r.rerack_depth_m <= 0.06 and 10 <= r.duration_s <= 30
        else:
            assert r.rerack_depth_m == 0.0 and 10 <= r.duration_s <= 30
    flat = [i for g in fs.clusters for i in g]
    assert flat == list(range(len(at)))
    assert len(fs.clusters) == len(fs.rests) + 1
    assert all(g[-1] == r.after_index for g, r in zip(fs.clusters, fs.rests))


def test_rep_truths_are_lift_truths(ft):
    """Valid and partial reps are lift_truth's reps: build_set of the same reps (the
    attempts before any failure) gives the same RepTruth values."""
    sp = ft.fail_spec
    if any(a.start_above_floor_m for a in sp.attempts):
        pytest.skip("build_set starts every up-first rep on the floor")
    done = [a for a in sp.attempts if a.status != "failed"]
    plain = build_set(SetSpec(sp.direction, tuple(
        RepSpec(a.shape, a.rom_m, a.con_mean_mps, ecc_s=a.ecc_s, ecc_shape=a.ecc_shape,
                bottom_pause_s=a.bottom_pause_s, top_pause_s=a.top_pause_s)
        for a in done), sp.lead_in_s, sp.tail_s, sp.base_height_m))
    mine = [a.rep for a in ft.attempts if a.rep is not None]
    assert len(mine) == len(plain.reps)
    for r, p in zip(mine, plain.reps):
        for f in p.__dataclass_fields__:
            want, got = getattr(p, f), getattr(r, f)
            if f == "top_pause_s" and want is None:
                continue                  # the failed attempt follows: not the tail here
            if isinstance(want, float):
                assert got == pytest.approx(want, rel=1e-12, abs=1e-12), f
            else:
                assert got == want, f


def test_invalid_specs_raise():
    v, f = Attempt("valid"), Attempt("failed")
    p = Attempt("partial", rom_m=0.25)
    for bad in ((f, v), (v, Attempt("partial")), (v, p), (Attempt("x"),),
                (Attempt("valid", top_pause_s=1.0, rerack_m=0.05), v),
                (Attempt("failed", stall_frac=1.2),)):
        with pytest.raises(ValueError):
            build_fail_set(FailSet("squat", bad))
    with pytest.raises(ValueError):
        build_fail_set(FailSet("deadlift", (v, Attempt("valid", rerack_m=0.04))))
    with pytest.raises(ValueError):
        build_fail_set(FailSet("press", (v,)))
    ok: Any = build_fail_set(FailSet("squat", (v, v, p, v)))
    assert ok.fail_set.statuses == ("valid", "valid", "partial", "valid")


@pytest.mark.parametrize("fps", (30.0, 60.0))
def test_track_csv_roundtrip(tmp_path, fps):
    ft = TRUTHS["bench_rest_pause_rerack_fail"]
    p = tmp_path / "f.csv"
    to_track_csv(ft, p, fps=fps, m_per_px=0.0025, origin_px=(300.0, 800.0))
    lines = p.read_text().splitlines()
    assert lines[:3] == ["# liftlens-track v1", "# m_per_px=0.0025",
                         "frame,t_s,x_px,y_px,confidence,state"]
    rows = [ln.split(",") for ln in lines[3:]]
    assert len(rows) == int(np.floor(ft.duration_s * fps)) + 1
    tt = np.array([float(r[1]) for r in rows])
    y_m = (800.0 - np.array([float(r[3]) for r in rows])) * 0.0025
    assert np.max(np.abs(y_m - sample(ft, tt)[0])) < 1e-6
    f = ft.attempts[-1].failure
    after = (tt > f.rise_start_t) & (tt < f.spot_rerack_start_t)
    assert y_m[after].max() < _lockout(ft) - 0.2                  # never locked out
    assert y_m[tt > f.rise_start_t].max() < _lockout(ft) - 0.03   # the rack is lower


def test_write_fail_family(tmp_path):
    paths = write_fail_family(tmp_path)
    assert len(paths) == len(FAM)
    for name, spec in FAM.items():
        tr = TRUTHS[name]
        d = json.loads((tmp_path / f"{name}.truth.json").read_text())
        assert [a["status"] for a in d["attempts"]] == list(tr.fail_set.statuses)
        assert [a["mcv_mps"] for a in d["attempts"]] == list(tr.fail_set.mcv_mps)
        assert d["set"]["velocity_loss_pct"] == tr.fail_set.velocity_loss_pct
        assert d["set"]["best_rep_index"] == tr.fail_set.best_rep_index
        assert len(d["set"]["rests"]) == len(tr.fail_set.rests)
        check_family_csv(tmp_path, name, spec, tr)
