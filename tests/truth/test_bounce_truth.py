"""Self-checks of the bounce ground-truth generator only (no program code involved)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.truth.bounce_truth import (
    FPS_CHOICES, G, BounceRep, BounceSet, bounce_family, build_bounce_set, sample,
    to_track_csv, write_family,
)

FAM = bounce_family()
TRUTHS = {k: build_bounce_set(s) for k, s in FAM.items()}
DT = 1e-4  # brute-force grid step (s)
TOL = 1.001 * DT  # a grid instant is within one step of the truth (plus rounding)


@pytest.fixture(params=sorted(FAM))
def bt(request):
    return TRUTHS[request.param]


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) indices of the runs of True in ``mask``."""
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.nonzero(d == 1)[0], np.nonzero(d == -1)[0] - 1))


def test_family_is_varied():
    reps = [r for s in FAM.values() for r in s.reps]
    assert {r.bottom_bounce_g for r in reps} >= {0.5, 1.0, 2.0, 3.0, None}
    assert {r.top_bounce_g for r in reps} - {None}
    assert min(r.con_mean_mps for r in reps) <= 0.2 and max(r.con_mean_mps for r in reps) >= 1.2
    assert min(r.rom_m for r in reps) <= 0.25 and max(r.rom_m for r in reps) >= 0.7
    assert len({r.ecc_shape for r in reps}) == 4 and len({r.shape for r in reps}) >= 6
    assert {s.direction for s in FAM.values()} == {"down_first", "up_first"}
    fatigue = [k for k, lt in TRUTHS.items() if lt.set and np.all(np.diff(lt.set.mcv_mps) < 0)]
    assert len(fatigue) >= 4
    mixed = TRUTHS["squat_mixed_pause_bounce"].reps
    assert [r.bottom_bounce for r in mixed] == [False, True, False, True, False]
    assert [r.bottom_pause_s for r in mixed] == [1.0, 0.0, 0.0, 0.0, 2.0]


def test_velocity_and_acceleration_are_derivatives(bt):
    from scipy.integrate import simpson
    for p in bt.phases:
        t = np.linspace(p.t0, p.t1, 20001)
        y, v, _ = p.eval(t)
        assert y[-1] - y[0] == pytest.approx(p.dy, abs=1e-12)
        assert simpson(v, x=t) == pytest.approx(p.dy, abs=1e-9)
    rng = np.random.default_rng(3)
    t = np.concatenate([rng.uniform(0.01, bt.duration_s - 0.01, 500),
                        [r.concentric_start_t for r in bt.reps],
                        [r.concentric_end_t for r in bt.reps]])
    h = 1e-6
    dy = (bt.y(t + h) - bt.y(t - h)) / (2 * h)
    assert np.max(np.abs(dy - bt.v(t))) < 1e-6
    h = 1e-5
    dv = (bt.v(t + h) - bt.v(t - h)) / (2 * h)
    assert np.max(np.abs(dv - bt.a(t))) < 2e-3 * max(1.0, np.max(np.abs(bt.a(t))))


def test_continuity_across_every_boundary(bt):
    for p0, p1 in zip(bt.phases, bt.phases[1:]):
        assert p0.t1 == pytest.approx(p1.t0, abs=1e-12)
        e = [x[0] for x in p0.eval(np.array([p0.t1]))]
        s = [x[0] for x in p1.eval(np.array([p1.t0]))]
        assert e[0] == pytest.approx(s[0], abs=1e-12)           # position
        assert abs(e[1]) < 1e-12 and abs(s[1]) < 1e-12          # v = 0 at every reversal
        assert e[2] == pytest.approx(s[2], abs=1e-9)            # a continuous (C2 position)


def test_reversals_have_the_chosen_acceleration(bt):
    n_bounce = 0
    up_first = bt.spec.direction == "up_first"
    for r, rs in zip(bt.reps, bt.spec.reps):
        c0, c1 = r.concentric_start_t, r.concentric_end_t
        h = 1e-6
        if r.bottom_bounce:
            n_bounce += 1
            acc = rs.bottom_bounce_g * G
            assert r.bottom_reversal_acc_mps2 == pytest.approx(acc, rel=1e-12)
            assert bt.a(c0) == pytest.approx(acc, rel=1e-9)
            # no rest: the velocity changes sign at c0, the eccentric ends there
            assert bt.v(c0 - h) < 0 < bt.v(c0 + h)
            ecc = bt.reps[r.index - 1] if up_first else r   # the eccentric ending at c0
            assert ecc.eccentric_end_t == pytest.approx(c0, abs=1e-12)
            assert r.bottom_pause_s == 0.0
            assert (bt.v(c0 + h) - bt.v(c0 - h)) / (2 * h) == pytest.approx(acc, rel=1e-4)
        elif r.bottom_pause_s is not None:
            assert bt.a(c0) == 0.0 and r.bottom_reversal_acc_mps2 == 0.0
        if r.top_bounce:
            acc = rs.top_bounce_g * G
            assert r.top_reversal_acc_mps2 == pytest.approx(-acc, rel=1e-12)
            assert bt.a(c1) == pytest.approx(-acc, rel=1e-9)
            assert bt.v(c1 - h) > 0 > bt.v(c1 + h)
            assert r.top_pause_s == 0.0
            assert (bt.v(c1 + h) - bt.v(c1 - h)) / (2 * h) == pytest.approx(-acc, rel=1e-4)
        else:
            assert bt.a(c1) == 0.0
    assert n_bounce >= 1


def test_truth_matches_spec(bt):
    down = bt.spec.direction == "down_first"
    for i, (r, rs) in enumerate(zip(bt.reps, bt.spec.reps)):
        assert r.mcv_mps == pytest.approx(rs.con_mean_mps, rel=1e-12)
        assert r.rom_m == rs.rom_m == pytest.approx(r.top_y_m - r.bottom_y_m, abs=1e-12)
        assert r.eccentric_s == pytest.approx(rs.ecc_s, abs=1e-12)
        assert bt.y(r.concentric_start_t) == pytest.approx(r.bottom_y_m, abs=1e-12)
        assert bt.y(r.concentric_end_t) == pytest.approx(r.top_y_m, abs=1e-12)
        assert r.hold_s == 0.0 and r.holds == ()
        if down:
            assert r.top_pause_s is None if i == len(bt.reps) - 1 else r.top_pause_s >= 0
        else:
            assert (r.bottom_pause_s is None) == (i == 0)


def test_truth_agrees_with_brute_force_grid(bt):
    t = np.arange(0.0, bt.duration_s, DT)
    y, v, a = sample(bt, t)
    up = _runs(v > 0)
    down = _runs(v < 0)
    assert len(up) == len(down) == len(bt.reps)
    if bt.spec.direction == "down_first":
        pairs = list(zip(down, up))
    else:
        pairs = [(down[i], u) for i, u in enumerate(up)]
    for r, (dn, (i0, i1)) in zip(bt.reps, pairs):
        # phase limits: the instants the velocity changes sign (within one grid step)
        assert abs(t[i0] - r.concentric_start_t) <= TOL and abs(t[i1] - r.concentric_end_t) <= TOL
        assert abs(t[dn[0]] - r.eccentric_start_t) <= TOL
        assert abs(t[dn[1]] - r.eccentric_end_t) <= TOL
        seg = slice(i0 - 1, i1 + 2)
        rom = np.ptp(y[seg])
        assert rom == pytest.approx(r.rom_m, abs=1e-6)
        mcv = (y[i1 + 1] - y[i0 - 1]) / (t[i1 + 1] - t[i0 - 1])
        assert mcv == pytest.approx(r.mcv_mps, rel=2e-3)
        k = int(np.argmax(v[seg])) + i0 - 1
        assert v[k] == pytest.approx(r.peak_velocity_mps, abs=1e-6)
        assert abs(t[k] - r.peak_velocity_t) <= TOL
        below = np.nonzero(a[k:i1 + 1] < -G)[0]
        j = (k + int(below[0])) if below.size else i1 + 1
        assert abs(t[j] - r.propulsive_end_t) <= 2 * TOL
        from scipy.integrate import trapezoid
        mpv = trapezoid(v[i0 - 1:j + 1], t[i0 - 1:j + 1]) / (t[j] - t[i0 - 1])
        assert mpv == pytest.approx(r.mpv_mps, rel=5e-3)
        ev = v[dn[0]:dn[1] + 1]
        assert -ev.min() == pytest.approx(r.eccentric_peak_speed_mps, abs=1e-5)
        if r.bottom_pause_s is not None:
            gap = r.concentric_start_t - r.eccentric_end_t if bt.spec.direction == \
                "down_first" else None
            if gap is not None:
                assert gap == pytest.approx(r.bottom_pause_s, abs=1e-12)
    mcvs = np.array(bt.set.mcv_mps)
    assert bt.set.fastest_rep_index == int(np.argmax(mcvs))
    assert bt.set.velocity_loss_pct == pytest.approx(100 * (mcvs.max() - mcvs[-1]) / mcvs.max())
    assert bt.set.velocity_loss_first_last_pct == pytest.approx(
        100 * (mcvs[0] - mcvs[-1]) / mcvs[0])


def test_motion_is_physical(bt):
    """Before peak velocity the bar never brakes harder than g and after the propulsive
    end it only slows down, so the MPV's 'first a < -g after the peak' is the final
    braking; inside every phase the bar moves (no hidden stop)."""
    for r in bt.reps:
        t1 = np.linspace(r.concentric_start_t, r.peak_velocity_t, 4001)
        assert bt.a(t1).min() >= -G
        t2 = np.linspace(r.propulsive_end_t, r.concentric_end_t, 4001)
        assert bt.a(t2).max() <= 1e-9
        assert r.propulsive_s >= 0.5 * r.concentric_s
        assert bt.v(np.linspace(r.concentric_start_t, r.concentric_end_t, 4001)[1:-1]).min() > 0
        assert bt.v(np.linspace(r.eccentric_start_t, r.eccentric_end_t, 4001)[1:-1]).max() < 0
        assert r.mpv_mps >= r.mcv_mps - 1e-12


def test_bounce_rises_faster_than_a_stop():
    """Same rep, bounced vs stopped: the bounce leaves the bottom with a > 0 and is well
    above the stopped rep's velocity 30 ms later; MCV is the same by construction."""
    mk = lambda g: build_bounce_set(BounceSet("down_first", (BounceRep(  # noqa: E731
        "smooth", 0.5, 0.5, bottom_bounce_g=g),), lead_in_s=0.5, tail_s=0.5))
    b, s = mk(2.0), mk(None)
    rb, rs = b.reps[0], s.reps[0]
    assert rb.mcv_mps == rs.mcv_mps
    assert b.v(rb.concentric_start_t + 0.03) > 2 * s.v(rs.concentric_start_t + 0.03)
    assert rb.tempo_string() == rs.tempo_string() == "1-0-1-?"


def test_invalid_specs_raise():
    with pytest.raises(ValueError):
        build_bounce_set(BounceSet("down_first", (BounceRep(bottom_bounce_g=1.0,
                                                            bottom_pause_s=0.5),)))
    with pytest.raises(ValueError):   # the edge spikes would carry more than the ROM
        build_bounce_set(BounceSet("down_first", (BounceRep(
            "smooth", 0.5, 0.5, ecc_s=1.0, bottom_bounce_g=1.7, spike_frac=4.0),)))
    with pytest.raises(ValueError):
        build_bounce_set(BounceSet("sideways", (BounceRep(),)))


@pytest.mark.parametrize("fps", FPS_CHOICES)
def test_track_csv_roundtrip(tmp_path, fps):
    bt = TRUTHS["bench_tng_2g_fatigue"]
    p = tmp_path / "t.csv"
    t, x, y = to_track_csv(bt, p, fps=fps, px_per_m=500.0, origin_px=(300.0, 800.0),
                           x_drift_px=4.0)
    lines = p.read_text().splitlines()
    assert lines[:3] == ["# liftlens-track v1", "# m_per_px=0.002",
                         "frame,t_s,x_px,y_px,confidence,state"]
    rows = [ln.split(",") for ln in lines[3:]]
    assert len(rows) == t.size == int(np.floor(bt.duration_s * fps)) + 1
    assert all(r[5] == "tracked" and r[4] == "1.0" for r in rows)
    tt = np.array([float(r[1]) for r in rows])
    yy = np.array([float(r[3]) for r in rows])
    assert np.allclose(np.diff(tt), 1 / fps)
    assert np.max(np.abs((800.0 - yy) / 500.0 - bt.y(tt))) < 1e-6
    assert float(rows[0][2]) == 300.0 and float(rows[-1][2]) == pytest.approx(304.0, abs=0.1)


def test_track_csv_noise_and_no_scale(tmp_path):
    bt = TRUTHS["squat_deep_continuous"]
    t, _, y = to_track_csv(bt, tmp_path / "n.csv", fps=240, px_per_m=300.0, noise_px=0.7,
                           seed=5, write_scale=False)
    lines = (tmp_path / "n.csv").read_text().splitlines()
    assert lines[1] == "frame,t_s,x_px,y_px,confidence,state"
    resid = y - (900.0 - bt.y(t) * 300.0)
    assert resid.std() == pytest.approx(0.7, rel=0.05) and abs(resid.mean()) < 0.05
    t2, _, _ = to_track_csv(bt, tmp_path / "v.csv", fps=30, vfr=True, seed=2)
    assert np.all(np.diff(t2) > 0) and np.diff(t2).std() > 1e-3


def test_write_family(tmp_path):
    import json
    paths = write_family(tmp_path, fps_list=(30.0, 240.0), noise_px=0.3)
    assert len(paths) == 2 * len(FAM)
    d = json.loads((tmp_path / "squat_mixed_pause_bounce.truth.json").read_text())
    lt = TRUTHS["squat_mixed_pause_bounce"]
    assert d["direction"] == "down_first" and len(d["reps"]) == 5
    assert [r["bottom_bounce"] for r in d["reps"]] == [r.bottom_bounce for r in lt.reps]
    assert d["reps"][3]["bottom_reversal_acc_mps2"] == pytest.approx(2.5 * G)
    assert lt.set is not None
    assert d["set"]["velocity_loss_pct"] == pytest.approx(lt.set.velocity_loss_pct)
    rows = (tmp_path / "squat_mixed_pause_bounce-240.csv").read_text().splitlines()[3:]
    assert len(rows) == int(np.floor(lt.duration_s * 240)) + 1
