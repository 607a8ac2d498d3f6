"""Self-checks of the ground-truth generator only (no program code involved)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.truth.lift_shapes import _shape_eval
from tests.truth.lift_truth import (
    ECC_SHAPES, G, SHAPES, RepSpec, SetSpec, build_set, family, frame_times, render_clip,
    sample, to_track_csv,
)

FAM = family()
TRUTHS = {k: build_set(s) for k, s in FAM.items()}


@pytest.fixture(params=sorted(FAM))
def lt(request):
    return TRUTHS[request.param]


def test_family_is_varied():
    assert len(FAM) >= 12
    shapes = {r.shape for s in FAM.values() for r in s.reps}
    assert {"two_peak", "grinder", "speed", "skewed_early", "skewed_late", "plateau"} <= shapes
    assert {s.direction for s in FAM.values()} == {"down_first", "up_first"}
    assert {r.bottom_pause_s for s in FAM.values() for r in s.reps} >= {0.0, 0.5, 1.0, 2.0}
    assert {r.ecc_s for s in FAM.values() for r in s.reps} >= {3.0, 1.5, 0.8}


def test_segments_chain_at_rest(lt):
    segs = lt.segments
    assert segs[0].t0 == 0.0
    for s0, s1 in zip(segs, segs[1:]):
        assert s0.t1 == pytest.approx(s1.t0, abs=1e-12)
        y_end, v_end, a_end = s0.eval(np.array([s0.t1]))
        assert y_end[0] == pytest.approx(s1.y0, abs=1e-12)
        assert abs(v_end[0]) < 1e-12 and abs(a_end[0]) < 1e-9
        y_start, v_start, a_start = s1.eval(np.array([s1.t0]))
        assert abs(v_start[0]) < 1e-12 and abs(a_start[0]) < 1e-9
    # continuity: no jump across boundaries on the public functions
    tb = np.array([s.t0 for s in segs[1:]])
    for eps in (1e-9,):
        assert np.max(np.abs(lt.y(tb + eps) - lt.y(tb - eps))) < 1e-9
        assert np.max(np.abs(lt.v(tb + eps) - lt.v(tb - eps))) < 1e-6


def test_velocity_integrates_to_position_and_acc_is_derivative(lt):
    from scipy.integrate import simpson
    for s in lt.segments:
        if not s.blocks:
            continue
        tm = s.t0 + 0.623 * (s.t1 - s.t0)
        for a, b in ((s.t0, s.t1), (s.t0, tm)):
            t = np.linspace(a, b, 20001)  # composite Simpson: error << 1e-9 m
            y, v, _ = s.eval(t)
            assert simpson(v, x=t) == pytest.approx(y[-1] - y[0], abs=1e-9)
        assert float(s.eval(np.array([s.t1]))[0][0]) - s.y0 == pytest.approx(s.dy, abs=1e-12)
    # central differences at random instants
    rng = np.random.default_rng(1)
    t = rng.uniform(0.01, lt.duration_s - 0.01, 400)
    h = 1e-5
    dy = (lt.y(t + h) - lt.y(t - h)) / (2 * h)
    dv = (lt.v(t + h) - lt.v(t - h)) / (2 * h)
    assert np.max(np.abs(dy - lt.v(t))) < 1e-6
    assert np.max(np.abs(dv - lt.a(t))) < 1e-3


def test_high_rate_trapezoid_matches_exact_position():
    from scipy.integrate import cumulative_trapezoid
    lt = TRUTHS["squat_two_peak_fatigue"]
    t = np.arange(0, lt.duration_s, 1 / 20000)
    y, v = sample(lt, t)
    yi = y[0] + cumulative_trapezoid(v, t, initial=0)
    assert np.max(np.abs(yi - y)) < 1e-4 * 1e-1  # < 0.01 mm


def test_reps_match_spec(lt):
    spec = lt.spec
    down = spec.direction == "down_first"
    assert len(lt.reps) == len(spec.reps)
    for i, (r, rs) in enumerate(zip(lt.reps, spec.reps)):
        assert r.rom_m == pytest.approx(rs.rom_m, abs=1e-12)
        assert r.top_y_m - r.bottom_y_m == pytest.approx(rs.rom_m, abs=1e-12)
        assert lt.y(r.concentric_start_t) == pytest.approx(r.bottom_y_m, abs=1e-12)
        assert lt.y(r.concentric_end_t) == pytest.approx(r.top_y_m, abs=1e-12)
        assert lt.y(r.eccentric_start_t) == pytest.approx(r.top_y_m, abs=1e-12)
        assert lt.y(r.eccentric_end_t) == pytest.approx(r.bottom_y_m, abs=1e-12)
        assert r.eccentric_s == pytest.approx(rs.ecc_s, abs=1e-12)
        assert r.hold_s == pytest.approx(rs.hold_s, abs=1e-12)
        assert r.concentric_moving_s == pytest.approx(rs.con_moving_s(), abs=1e-9)
        assert r.concentric_s == pytest.approx(rs.con_moving_s() + rs.hold_s, abs=1e-9)
        assert r.mcv_mps == pytest.approx(rs.con_mean_mps, rel=1e-12)
        assert r.mean_velocity_incl_holds_mps <= r.mcv_mps + 1e-15
        if down:
            assert r.bottom_pause_s == pytest.approx(rs.bottom_pause_s)
            assert r.concentric_start_t - r.eccentric_end_t == pytest.approx(rs.bottom_pause_s)
            assert r.top_pause_s == (None if i == len(spec.reps) - 1 else rs.top_pause_s)
            assert r.eccentric_start_t < r.concentric_start_t
        else:
            assert r.top_pause_s == pytest.approx(rs.top_pause_s)
            assert r.eccentric_start_t - r.concentric_end_t == pytest.approx(rs.top_pause_s)
            assert r.bottom_pause_s == (None if i == 0 else rs.bottom_pause_s)
            assert r.concentric_start_t < r.eccentric_start_t
        # extremes of the rep and the direction of travel
        t = np.linspace(r.concentric_start_t, r.concentric_end_t, 3001)
        y, v = sample(lt, t)
        assert y.min() >= r.bottom_y_m - 1e-12 and y.max() <= r.top_y_m + 1e-12
        assert v.min() >= -1e-12
        assert r.peak_velocity_mps >= v.max() - 1e-9
        assert r.peak_velocity_mps == pytest.approx(lt.v(r.peak_velocity_t), abs=1e-12)
        te = np.linspace(r.eccentric_start_t, r.eccentric_end_t, 3001)
        assert lt.v(te).max() <= 1e-12
        # moving strictly inside the concentric except in holds
        inner = t[5:-5]
        vin = lt.v(inner)
        in_hold = np.zeros(inner.size, bool)
        for h in r.holds:
            in_hold |= (inner >= h.start_t - 0.02) & (inner <= h.end_t + 0.02)
            assert lt.y(0.5 * (h.start_t + h.end_t)) == pytest.approx(h.height_m, abs=1e-12)
            assert h.height_m - r.bottom_y_m == pytest.approx(h.frac_of_rom * r.rom_m)
            assert np.all(lt.v(np.linspace(h.start_t, h.end_t, 50)) == 0)
        assert np.all(vin[~in_hold] > 0)


def test_mpv_definition(lt):
    for r in lt.reps:
        assert r.concentric_start_t < r.propulsive_end_t <= r.concentric_end_t
        # propulsive phase: a >= -g from the start of the last move to its end
        last_start = max([r.concentric_start_t] + [h.end_t for h in r.holds])
        t = np.linspace(max(last_start, r.peak_velocity_t), r.propulsive_end_t, 2001)[:-1]
        assert lt.a(t).min() >= -G - 1e-9
        if r.propulsive_end_t < r.concentric_end_t:
            assert lt.a(r.propulsive_end_t) == pytest.approx(-G, abs=1e-7)
            assert r.mpv_mps > r.mcv_mps  # braking tail removed
        else:
            assert r.mpv_mps == pytest.approx(r.mcv_mps, rel=1e-12)
        disp = lt.y(r.propulsive_end_t) - r.bottom_y_m
        assert r.mpv_mps == pytest.approx(disp / r.propulsive_s, rel=1e-12)
        # the move into a hold never brakes harder than g (so the MPV choice is unambiguous)
        for h in r.holds:
            th = np.linspace(r.concentric_start_t, h.start_t, 2001)
            assert lt.a(th).min() > -G


def test_speed_reps_brake_harder_than_g():
    lt = TRUTHS["bench_speed"]
    for r in lt.reps:
        assert 1.4 < r.mcv_mps < 1.6
        assert r.propulsive_end_t < r.concentric_end_t
        assert r.mpv_mps > r.mcv_mps
        t = np.linspace(r.concentric_start_t, r.concentric_end_t, 2001)
        assert lt.a(t).min() < -G


def test_shape_properties():
    u = np.linspace(0, 1, 20001)
    p, f, _ = _shape_eval(u, SHAPES["two_peak"])
    d = np.diff(f)
    mx = np.nonzero((d[:-1] > 0) & (d[1:] <= 0))[0] + 1
    mn = np.nonzero((d[:-1] < 0) & (d[1:] >= 0))[0] + 1
    assert len(mx) == 2 and len(mn) == 1
    dip = 1 - f[mn[0]] / f[mx[0]]
    assert 0.30 <= dip <= 0.40
    assert 0.30 <= p[mn[0]] <= 0.45
    assert f[mx[1]] > f[mx[0]]
    # skew
    pe = u[np.argmax(_shape_eval(u, SHAPES["skewed_early"])[1])]
    pl = u[np.argmax(_shape_eval(u, SHAPES["skewed_late"])[1])]
    assert pe < 0.3 and pl > 0.65
    # plateau: within 1 % of the top for >= 70 % of the time
    fp = _shape_eval(u, SHAPES["plateau"])[1]
    assert np.mean(fp > 0.99 * fp.max()) >= 0.70
    # grinder: a near stall in the middle
    fg = _shape_eval(u, SHAPES["grinder"])[1]
    mid = (u > 0.2) & (u < 0.6)
    assert fg[mid].min() < 0.4 * fg.max()
    for blocks in list(SHAPES.values()) + list(ECC_SHAPES.values()):
        pp, ff, _ = _shape_eval(u, blocks)
        assert pp[0] == 0 and pp[-1] == pytest.approx(1.0, abs=1e-14)
        assert np.all(ff[1:-1] > 0)
        assert np.mean(ff) == pytest.approx(1.0, rel=1e-3)


def test_grinders_and_fatigue_and_equal():
    g = TRUTHS["squat_grinders"]
    assert np.mean([r.mcv_mps for r in g.reps]) == pytest.approx(0.15, abs=0.005)
    f = TRUTHS["squat_two_peak_fatigue"].set
    assert f.fastest_rep_index == 0
    assert f.velocity_loss_pct == pytest.approx(20.0, abs=1e-9)
    assert f.velocity_loss_first_last_pct == pytest.approx(20.0, abs=1e-9)
    e = TRUTHS["squat_equal_speeds"].set
    assert e.fastest_rep_index == 1
    assert 0 < e.velocity_loss_pct < 2
    assert e.velocity_loss_first_last_pct == pytest.approx(0.2, abs=1e-9)
    for lt in TRUTHS.values():
        s = lt.set
        assert s.velocity_loss_pct >= 0
        assert s.velocity_loss_pct >= s.velocity_loss_first_last_pct - 1e-12
        assert s.best_mcv_mps == max(s.mcv_mps)


def test_hold_and_tempo():
    lt = TRUTHS["squat_isometric_hold"]
    r = lt.reps[1]
    (h,) = r.holds
    assert h.duration_s == 5.0 and h.frac_of_rom == 0.4
    assert r.mean_velocity_incl_holds_mps == pytest.approx(0.55 / (0.55 / 0.45 + 5.0))
    t = TRUTHS["squat_tempo_3_1_X_0"]
    assert [x.tempo_string() for x in t.reps[:-1]] == ["3-1-X-0"] * 3
    assert t.reps[0].tempo() == pytest.approx((3.0, 1.0, 0.56 / 0.72, 0.0))


def test_up_first_starts_on_the_floor():
    lt = TRUTHS["deadlift_mixed_shapes"]
    assert lt.y(0.0) == lt.spec.base_height_m == lt.y(lt.duration_s)
    assert all(r.bottom_y_m == lt.spec.base_height_m for r in lt.reps)
    assert lt.reps[0].concentric_start_t == lt.spec.lead_in_s


def test_frame_times_and_vfr():
    t = frame_times(10.0, 60)
    assert t[0] == 0 and np.allclose(np.diff(t), 1 / 60)
    tv = frame_times(10.0, 30, vfr=True, seed=3)
    d = np.diff(tv)
    assert np.all(d > 0) and d.std() > 0.002 and tv[-1] <= 10.0


def test_track_csv_roundtrip(tmp_path):
    lt = TRUTHS["bench_speed"]
    p = tmp_path / "t.csv"
    t, x, y = to_track_csv(lt, p, fps=120, m_per_px=0.0025, origin_px=(300, 800),
                           x_drift_px=6.0)
    lines = p.read_text().splitlines()
    assert lines[0] == "# liftlens-track v1"
    assert lines[1] == "# m_per_px=0.0025"
    assert lines[2] == "frame,t_s,x_px,y_px,confidence,state"
    rows = [ln.split(",") for ln in lines[3:]]
    assert len(rows) == t.size and all(r[5] == "tracked" for r in rows)
    tt = np.array([float(r[1]) for r in rows])
    yy = np.array([float(r[3]) for r in rows])
    xx = np.array([float(r[2]) for r in rows])
    y_m = (800 - yy) * 0.0025
    assert np.max(np.abs(y_m - lt.y(tt))) < 1e-6
    assert xx[0] == 300 and xx[-1] == pytest.approx(306, abs=0.1)
    # VFR and noise run
    t2, _, y2 = to_track_csv(lt, tmp_path / "v.csv", fps=30, vfr=True, noise_px=0.5, seed=2)
    assert np.all(np.diff(t2) > 0)


def test_render_clip_small(tmp_path):
    import av
    spec = SetSpec("down_first", (RepSpec("speed", 0.4, 1.5, ecc_s=0.6, top_pause_s=0),),
                   lead_in_s=0.2, tail_s=0.2)
    lt = build_set(spec)
    p = tmp_path / "c.mp4"
    centres = render_clip(lt, p, fps=30, size=(160, 128), plate_radius_px=20)
    with av.open(str(p)) as c:
        n = sum(1 for _ in c.decode(video=0))
    assert n == centres.shape[0] == frame_times(lt.duration_s, 30).size
    assert np.ptp(centres[:, 1]) > 30


def test_fastest_rep_not_first():
    s = TRUTHS["deadlift_touch_and_go"].set
    assert s.fastest_rep_index == 1
    assert s.velocity_loss_pct == pytest.approx(100 * (0.62 - 0.50) / 0.62)
    assert s.velocity_loss_first_last_pct == pytest.approx(100 * (0.56 - 0.50) / 0.56)
