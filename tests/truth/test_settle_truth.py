"""Self-checks of the settle ground truth (``settle_truth``, ``settle_motion``) only: no
program code is involved."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.truth.family_files import check_c2_joins, check_family_csv
from tests.truth.lift_truth import ECC_SHAPES, RepSpec, build_set, sample, to_track_csv
from tests.truth.settle_motion import (
    KINDS,
    SIZE_BOUNDS_M,
    UNRACK_HZ,
    SettleSeg,
    brace,
    random_lead,
    sway,
    unrack_settle,
    walkout,
)
from tests.truth.settle_truth import (
    MAX_FRAC_OF_ROM,
    SettleSet,
    build_settle_set,
    settle_family,
    write_settle_family,
)

FAM = settle_family()
TRUTHS = {k: build_settle_set(s) for k, s in FAM.items()}


@pytest.fixture(params=sorted(FAM))
def st(request):
    return TRUTHS[request.param]


def test_family_is_varied():
    assert 8 <= len(FAM) <= 12
    assert {s.lift for s in FAM.values()} == {"squat", "bench"}
    assert {s.fps for s in FAM.values()} == {30.0, 60.0}
    assert {len(s.reps) for s in FAM.values()} >= {3, 8}
    assert all(3 <= len(s.reps) <= 8 for s in FAM.values())
    assert {r.ecc_shape for s in FAM.values() for r in s.reps} == set(ECC_SHAPES)
    assert max(r.ecc_s for s in FAM.values() for r in s.reps) >= 3.5
    assert {r.bottom_pause_s for s in FAM.values() for r in s.reps} >= {0.0, 1.0}
    assert {s.noise_px for s in FAM.values()} >= {0.0, 0.5}
    for s in FAM.values():
        lo, hi = (0.40, 0.70) if s.lift == "squat" else (0.25, 0.45)
        assert all(lo <= r.rom_m <= hi for r in s.reps)
    lead = {m.kind for s in TRUTHS.values() for m in s.motions if m.before_rep == 0}
    betw = {m.kind for s in TRUTHS.values() for m in s.motions if m.before_rep > 0}
    assert lead == set(KINDS) and betw == {"brace", "sway"}
    orders = {tuple(m.kind for m in s.lead) for s in FAM.values()}
    assert len(orders) >= 4
    still = [t.settle_reps[0].still_before_descent_s for t in TRUTHS.values()]
    assert min(still) == 0.0 and max(still) > 0.5


def test_every_join_is_c2(st):
    check_c2_joins(st)


def test_motions_are_exact_derivatives_and_return_to_rest(st):
    from scipy.integrate import simpson
    rng = np.random.default_rng(3)
    h = 1e-5
    for m in st.motions:
        t = rng.uniform(m.start_t + h, m.end_t - h, 300)
        assert np.max(np.abs((st.y(t + h) - st.y(t - h)) / (2 * h) - st.v(t))) < 1e-7
        assert np.max(np.abs((st.v(t + h) - st.v(t - h)) / (2 * h) - st.a(t))) < 1e-4
        tt = np.linspace(m.start_t, m.end_t, 20001)
        assert simpson(st.v(tt), x=tt) == pytest.approx(0.0, abs=1e-10)
        assert st.y(m.start_t) == st.y(m.end_t) == m.rest_y_m
        assert np.max(np.abs(st.a(tt))) < 10.0          # < ~1 g: a bar on a lifter


def test_motion_sizes_within_stated_bounds(st):
    rom = min(r.rom_m for r in st.reps)
    for m in st.motions:
        lo, hi = SIZE_BOUNDS_M[m.kind]
        sp = m.spec
        assert lo <= sp.size_m <= hi
        if m.kind in ("unrack_settle", "sway"):
            assert m.peak_to_peak_m == pytest.approx(sp.size_m, abs=1e-9)
        else:
            assert m.max_down_m == pytest.approx(sp.size_m, abs=1e-12)
        if m.kind == "brace":
            assert m.max_up_m == 0.0 and 0.5 <= m.duration_s <= 1.0
        if m.kind == "unrack_settle":
            hz = (2 * sp.count + 1) / (2 * m.duration_s)
            assert 1 <= sp.count <= 3 and 0.3 <= m.duration_s <= 1.0
            assert UNRACK_HZ[0] - 1e-9 <= hz <= UNRACK_HZ[1] + 1e-9
        if m.kind == "walkout":
            assert 2 <= sp.count <= 3 and 0.55 <= sp.period_s() <= 0.8 + 1e-9
        assert m.peak_to_peak_m == pytest.approx(m.max_up_m + m.max_down_m, abs=1e-15)
        assert m.peak_to_peak_m < MAX_FRAC_OF_ROM * rom
        # brute force on a 0.1 ms grid
        t = np.arange(m.start_t, m.end_t, 1e-4)
        dev = st.y(t) - m.rest_y_m
        assert dev.max() == pytest.approx(m.max_up_m, abs=1e-8)
        assert -dev.min() == pytest.approx(m.max_down_m, abs=1e-8)


def test_motions_lie_outside_every_rep(st):
    reps = st.settle_reps
    for m in st.motions:
        k = m.before_rep
        start = 0.0 if k == 0 else reps[k - 1].concentric_end_t
        assert start <= m.start_t < m.end_t <= reps[k].eccentric_start_t + 1e-12
        assert m in reps[k].pre_motions
        assert m.rest_y_m == reps[k].top_y_m
    assert sum(len(r.pre_motions) for r in reps) == len(st.motions)


def test_eccentric_start_is_where_the_descent_begins(st):
    assert st.first_eccentric_start_t == st.reps[0].eccentric_start_t
    assert all(m.end_t <= st.first_eccentric_start_t for m in st.settle_reps[0].pre_motions)
    for r in st.settle_reps:
        e0, e1 = r.eccentric_start_t, r.eccentric_end_t
        assert r.descent_onset_t == e0
        assert st.y(e0) == r.top_y_m and st.v(e0) == 0.0
        inner = np.linspace(e0, e1, 4001)[1:-1]
        assert st.v(inner).max() < 0.0                  # sustained descent to the bottom
        assert st.y(e1) == pytest.approx(r.bottom_y_m, abs=1e-12)
        before = np.linspace(e0 - 0.2, e0, 401)
        assert st.v(before).min() >= -1e-12             # not descending just before
        # brute force: the last instant before the bottom with the bar at or above the top
        t = np.arange(max(0.0, e0 - 3.0), e1, 5e-4)
        at_top = t[st.y(t) >= r.top_y_m - 1e-12]
        assert abs(at_top.max() - e0) <= 5e-4
        since = r.pre_motions[-1].end_t if r.pre_motions else (
            0.0 if r.index == 0 else st.reps[r.index - 1].concentric_end_t)
        assert r.still_before_descent_s == pytest.approx(e0 - since, abs=1e-12)
        if r.pre_motions and r.pre_motions[-1].kind != "brace":
            assert r.still_before_descent_s >= 0.25 - 1e-9


def test_rep_truths_are_lift_truths(st):
    plain = build_set(st.spec)
    assert st.duration_s == plain.duration_s and st.set == plain.set
    assert len(st.settle_reps) == len(st.reps) == len(st.settle_spec.reps)
    for r, p in zip(st.reps, plain.reps, strict=True):
        for f in p.__dataclass_fields__:
            assert getattr(r, f) == getattr(p, f), f
    for r, nxt in zip(st.reps, st.reps[1:]):
        assert r.top_pause_s == pytest.approx(nxt.eccentric_start_t - r.concentric_end_t)
    # outside the motions the settle set moves exactly as the plain one
    t = np.linspace(0, st.duration_s, 20001)
    inside = np.zeros(t.size, bool)
    for m in st.motions:
        inside |= (t > m.start_t) & (t < m.end_t)
    assert np.array_equal(st.y(t[~inside]), plain.y(t[~inside]))
    assert not any(isinstance(s, SettleSeg) and s.blocks for s in st.segments)


def test_seeded_leads_are_reproducible_varied_and_bounded():
    orders = set()
    for lift in ("squat", "bench"):
        for seed in range(40):
            a, sa = random_lead(lift, seed)
            assert (a, sa) == random_lead(lift, seed)
            orders.add(tuple(m.kind for m in a))
            assert a[0].kind == "unrack_settle" and 0.3 <= a[0].gap_before_s <= 1.0
            assert (lift == "squat") == any(m.kind == "walkout" for m in a)
            for m in a:
                lo, hi = SIZE_BOUNDS_M[m.kind]
                assert lo <= m.size_m <= hi
            assert sa >= (0.0 if a[-1].kind == "brace" else 0.25)
            if seed % 8:
                continue
            spec = SettleSet(lift, (RepSpec(rom_m=0.25 if lift == "bench" else 0.40),),
                             a, sa)
            tr = build_settle_set(spec)
            assert all(m.peak_to_peak_m < 0.25 * spec.reps[0].rom_m for m in tr.motions)
    assert len(orders) >= 6


def test_invalid_specs_raise():
    rep = RepSpec(rom_m=0.50, top_pause_s=1.0)
    with pytest.raises(ValueError, match="ROM"):               # >= 25 % of a 0.08 m ROM
        build_settle_set(SettleSet("bench", (RepSpec(rom_m=0.08),), (unrack_settle(),)))
    with pytest.raises(ValueError, match="fit"):
        build_settle_set(SettleSet("squat", (rep, rep), (brace(),), 0.0,
                                   ((sway(2.0, 0.004),),)))
    with pytest.raises(ValueError, match="still"):
        build_settle_set(SettleSet("squat", (rep,), (walkout(),), 0.1))
    with pytest.raises(ValueError):
        build_settle_set(SettleSet("squat", (rep, rep), (), 0.5, ((), ())))
    with pytest.raises(ValueError):
        build_settle_set(SettleSet("squat", (RepSpec(top_pause_s=0.0), rep), (), 0.5,
                                   ((brace(),),)))
    with pytest.raises(ValueError):
        build_settle_set(SettleSet("squat", (rep,), (walkout(3, 0.3, half_s=0.2),), 0.5))
    # a brace may end exactly as the descent starts
    tr = build_settle_set(SettleSet("squat", (rep,), (brace(0.8, 0.015, 0.5),), 0.0))
    assert tr.settle_reps[0].still_before_descent_s == 0.0
    assert tr.first_eccentric_start_t == pytest.approx(1.3)


@pytest.mark.parametrize("fps", (30.0, 60.0))
def test_track_csv_roundtrip(tmp_path, fps):
    st = TRUTHS["squat_settle_basic"]
    p = tmp_path / "s.csv"
    t, _, y = to_track_csv(st, p, fps=fps, m_per_px=0.0025, origin_px=(300.0, 800.0))
    lines = p.read_text().splitlines()
    assert lines[:3] == ["# liftlens-track v1", "# m_per_px=0.0025",
                         "frame,t_s,x_px,y_px,confidence,state"]
    rows = [ln.split(",") for ln in lines[3:]]
    assert len(rows) == int(np.floor(st.duration_s * fps)) + 1
    tt = np.array([float(r[1]) for r in rows])
    yy = np.array([float(r[3]) for r in rows])
    assert np.allclose(np.diff(tt), 1 / fps)
    assert np.max(np.abs((800.0 - yy) * 0.0025 - sample(st, tt)[0])) < 1e-6
    # the motions are visible in the file: the brace dip before rep 1, in pixels
    b = next(m for m in st.motions if m.kind == "brace" and m.before_rep == 0)
    k = (tt > b.start_t) & (tt < b.end_t)
    assert (yy[k].max() - (800.0 - b.rest_y_m / 0.0025)) * 0.0025 == pytest.approx(
        b.max_down_m, abs=1e-3)


def test_write_settle_family(tmp_path):
    paths = write_settle_family(tmp_path)
    assert len(paths) == len(FAM)
    for name, spec in FAM.items():
        tr = TRUTHS[name]
        d = json.loads((tmp_path / f"{name}.truth.json").read_text())
        assert d["first_eccentric_start_t"] == tr.first_eccentric_start_t
        assert len(d["reps"]) == len(spec.reps) and len(d["motions"]) == len(tr.motions)
        for r, rd in zip(tr.settle_reps, d["reps"]):
            assert rd["eccentric_start_t"] == r.eccentric_start_t == rd["descent_onset_t"]
            assert [d["motions"][i]["start_t"] for i in rd["pre_motions"]] == [
                m.start_t for m in r.pre_motions]
        check_family_csv(tmp_path, name, spec, tr)
