"""Self-checks of the independent truth generators (not of the program)."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from tests.truth2 import plate_images as P
from tests.truth2 import weightlifting_truth as W

# ---------------------------------------------------------------------------------------
# plates
# ---------------------------------------------------------------------------------------


def _clean_measure(kind, **kw):
    img, tr = P.render_plate(kind, clutter=False, noise_sigma=0.0, **kw)
    design = P._design(kind, None, 6.0)
    lum = 110.0 if design.background_luma is None else design.background_luma
    d, radii = P.measure_outer_diameter(img, tr, (lum,) * 3, design.discs[0][1], n_dirs=16,
                                        return_radii=True)
    return img, tr, d, radii


@pytest.mark.parametrize("kind", P.KINDS)
@pytest.mark.parametrize("ratio,angle", [(1.0, 0.0), (0.82, 95.0), (0.88, 30.0)])
def test_drawn_rim_matches_truth(kind, ratio, angle):
    for seed in (P.KINDS.index(kind), 7):
        img, tr, d, radii = _clean_measure(kind, seed=seed, axis_ratio=ratio, angle_deg=angle)
        assert img.shape == (720, 1280, 3) and img.dtype == np.uint8
        assert not np.isnan(radii).any()
        assert abs(d - tr.diameter_px) < 0.5, (kind, d, tr.diameter_px)
        # every ray individually, and opposite rays agree (the centre is right)
        assert np.abs(2 * radii - tr.diameter_px).max() < 0.5
        assert np.abs(radii[:8] - radii[8:]).max() < 0.3
        assert tr.axis_ratio == ratio
        assert tr.minor_diameter_px == pytest.approx(ratio * tr.diameter_px)


def test_subpixel_centres_are_honoured():
    for cx in (640.0, 640.25, 640.5, 640.75):
        _, tr, d, radii = _clean_measure("bumper_ring", seed=3, cx=cx, cy=361.3, diameter_px=201.7)
        assert tr.cx == cx
        assert abs(d - 201.7) < 0.2
        assert np.abs(radii[:8] - radii[8:]).max() < 0.2


def test_default_kinds_and_truth_fields():
    fns = [P.iron_plate, P.bumper_inner_ring, P.bumper_rim_band, P.lettered_plate]
    for seed, fn in enumerate(fns):
        img, tr = fn(seed=seed)
        assert 150 <= tr.diameter_px <= 400
        assert tr.axis_ratio == 1.0 and tr.angle_deg == 0.0
        R = tr.radius_px
        assert R <= tr.cx <= 1280 - R and R <= tr.cy <= 720 - R
        assert tr.clock is not None
        assert math.hypot(tr.clock.cx - tr.cx, tr.clock.cy - tr.cy) > R + tr.clock.diameter_px / 2
        assert all(r < R for r in tr.distractor_radii_px)
    img, tr = P.turned_plate("lettering", seed=2, blur_sigma=1.0)
    assert 0.80 <= tr.axis_ratio <= 0.90 and 75 <= tr.angle_deg <= 105
    assert tr.blur_sigma == 1.0


def test_rim_band_background_has_band_brightness():
    img, tr = P.bumper_rim_band(seed=4, rim_contrast=6.0)
    g = img.astype(float) @ np.array([0.114, 0.587, 0.299])
    yy, xx = np.mgrid[0:720, 0:1280]
    rr = np.hypot(xx - tr.cx, yy - tr.cy)
    R = tr.radius_px
    band = np.median(g[(rr < R - 2) & (rr > 0.91 * R + 1)])
    outside = np.median(g[(rr > R + 2) & (rr < R + 12)])
    face = np.median(g[(rr < 0.89 * R - 1) & (rr > 0.3 * R)])
    assert abs(outside - band) < 20 < band - face


def test_sequence_and_clip(tmp_path):
    import av

    frames, truths = P.plate_sequence(8, "iron", seed=1, width=640, height=360,
                                      diameter_px=160.0, x0=320.2, y_top=120.4, depth_px=60.0)
    assert len(frames) == 8 == len(truths)
    ys = [t.cy for t in truths]
    assert ys[0] == pytest.approx(120.4) and max(ys) > ys[0] + 40
    out = P.write_clip(frames, tmp_path / "seq.mp4", fps=30)
    with av.open(str(out)) as c:
        s = c.streams.video[0]
        assert s.codec_context.name == "h264"
        dec = [f.to_ndarray(format="bgr24") for f in c.decode(s)]
    assert len(dec) == 8
    assert np.abs(dec[3].astype(int) - frames[3]).mean() < 6


# ---------------------------------------------------------------------------------------
# weightlifting
# ---------------------------------------------------------------------------------------

LIFTS = {
    "snatch1": lambda: W.snatch(1),
    "snatch2": lambda: W.snatch(2),
    "snatch3": lambda: W.snatch(3),
    "power_clean": lambda: W.power_clean(),
    "clean_and_jerk": lambda: W.clean_and_jerk(),
    "missed_snatch": lambda: W.missed_snatch(),
}
PULL = ["first_pull", "transition", "second_pull", "turnover"]
NAMES = {
    "snatch1": PULL + ["recovery"],
    "snatch2": PULL + ["recovery"],
    "snatch3": PULL + ["recovery"],
    "power_clean": PULL + ["recovery"],
    "clean_and_jerk": PULL + ["recovery", "rack", "jerk_dip", "jerk_drive", "jerk_catch",
                              "jerk_recovery"],
    "missed_snatch": PULL + ["miss_drop"],
}
DT = 1e-4


@pytest.fixture(scope="module")
def lifts():
    return {k: f() for k, f in LIFTS.items()}


def _grid(a, b):
    return np.arange(a, b + DT / 2, DT)


@pytest.mark.parametrize("name", list(LIFTS))
def test_phases_contiguous_and_resolved_at_30fps(lifts, name):
    traj = lifts[name]
    (a,) = traj.attempts
    assert [p.name for p in a.phases] == NAMES[name]
    for p, q in zip(a.phases, a.phases[1:]):
        assert p.end_t == q.start_t
    for p in a.phases:
        assert p.duration >= 0.1  # >= 3 frames at 30 fps
    assert a.phases[0].start_t == a.liftoff_t
    assert a.phase("second_pull").end_t == a.peak_velocity_t
    assert a.phase("turnover").end_t == a.catch_t
    assert 0.45 <= a.phase("first_pull").duration <= 0.55
    assert 0.10 <= a.phase("transition").duration <= 0.15
    assert 0.15 <= a.phase("second_pull").duration <= 0.20
    assert 0.25 <= a.phase("turnover").duration <= 0.35 + 1e-9
    assert a.phases[-1].end_t < traj.duration


@pytest.mark.parametrize("name", list(LIFTS))
def test_velocity_landmarks(lifts, name):
    traj = lifts[name]
    (a,) = traj.attempts
    t = _grid(a.liftoff_t, a.catch_t)
    vy = traj.vy(t)
    y = traj.y(t)
    # at rest before lift-off, at the floor
    assert traj.y(np.array([0.0, a.liftoff_t]))[1] == pytest.approx(W.FLOOR_BAR_HEIGHT_M)
    assert np.all(traj.vy(_grid(0, a.liftoff_t)) == 0)
    # first local max of vy after lift-off = end of the first pull
    d = np.diff(vy)
    first_max = t[np.nonzero((d[:-1] > 0) & (d[1:] <= 0))[0][0] + 1]
    assert abs(first_max - a.end_first_pull_t) < 2 * DT
    # the dip: local min between end of first pull and peak velocity
    m = (t >= a.end_first_pull_t) & (t <= a.peak_velocity_t)
    assert abs(t[m][np.argmin(vy[m])] - a.second_pull_start_t) < 2 * DT
    assert a.transition_min_velocity_m_s < a.end_first_pull_velocity_m_s
    # peak velocity: global max of vy over the pull and turnover
    assert abs(t[np.argmax(vy)] - a.peak_velocity_t) < 2 * DT
    assert vy.max() == pytest.approx(a.peak_velocity_m_s, abs=1e-9)
    # peak height: max of y, vy = 0 there
    assert abs(t[np.argmax(y)] - a.peak_height_t) < 2 * DT
    assert y.max() == pytest.approx(a.peak_height_m, abs=1e-9)
    assert float(traj.vy(np.array([a.peak_height_t]))[0]) == pytest.approx(0, abs=1e-12)
    # catch: lowest point after the peak height, and a strict local minimum
    m = t >= a.peak_height_t
    assert abs(t[m][np.argmin(y[m])] - a.catch_t) < 2 * DT
    after = traj.y(np.array([a.catch_t - 0.02, a.catch_t, a.catch_t + 0.02]))
    assert after[1] < after[0] and after[1] < after[2]
    assert a.drop_m == pytest.approx(a.peak_height_m - a.catch_height_m)
    assert a.peak_height_rel_m == pytest.approx(a.peak_height_m - W.FLOOR_BAR_HEIGHT_M)


@pytest.mark.parametrize("name", list(LIFTS))
def test_horizontal_displacements_and_type(lifts, name):
    traj = lifts[name]
    (a,) = traj.attempts
    t = _grid(a.liftoff_t, a.catch_t)
    x = traj.x(t)
    x0 = x[0]
    before_peak = t <= a.peak_height_t
    i_rear = np.argmin(np.where(before_peak, x, np.inf))
    xr = x[i_rear]
    x_fwd = x[i_rear:].max()
    assert xr - x0 == pytest.approx(a.x1_m, abs=1e-9)
    assert x_fwd - xr == pytest.approx(a.x2_m, abs=1e-9)
    assert x[-1] - x_fwd == pytest.approx(a.x3_m, abs=1e-9)
    assert a.net_x_m == pytest.approx(a.x1_m + a.x2_m + a.x3_m)
    assert a.x1_m < 0 < a.x2_m and a.x3_m < 0
    assert a.trajectory_type == W.classify_trajectory(x_fwd - x0)
    if name.startswith("snatch"):
        assert a.trajectory_type == int(name[-1])


def test_type_margins(lifts):
    assert lifts["snatch1"].attempts[0].x_forward_m > 0.02
    assert -0.01 <= lifts["snatch2"].attempts[0].x_forward_m <= 0
    assert lifts["snatch3"].attempts[0].x_forward_m < -0.02


def test_realistic_numbers(lifts):
    s = lifts["snatch1"].attempts[0]
    assert 1.0 <= s.peak_height_m <= 1.2 and 1.7 <= s.peak_velocity_m_s <= 2.0
    assert 0.15 <= s.drop_m <= 0.25 and s.final_height_m == pytest.approx(2.0)
    c = lifts["clean_and_jerk"].attempts[0]
    assert 0.9 <= c.peak_height_m <= 1.0 and 0.7 <= c.catch_height_m <= 0.8
    j = c.jerk
    assert j.rack_height_m == pytest.approx(1.43) and 0.08 <= j.dip_depth_m <= 0.12
    assert j.dip_start_t < j.dip_bottom_t < j.peak_velocity_t < j.peak_height_t < j.catch_t
    assert j.catch_height_m < j.peak_height_m < j.final_height_m == pytest.approx(2.0)
    traj = lifts["clean_and_jerk"]
    tj = _grid(j.dip_start_t, j.recovery_end_t)
    assert abs(tj[np.argmin(traj.y(tj[tj <= j.peak_velocity_t]))] - j.dip_bottom_t) < 2 * DT
    assert abs(tj[np.argmax(traj.vy(tj))] - j.peak_velocity_t) < 2 * DT
    m = (tj >= j.peak_height_t)
    assert abs(tj[m][np.argmin(traj.y(tj[m]))] - j.catch_t) < 2 * DT
    assert np.abs(traj.vy(_grid(c.phase("rack").start_t, c.phase("rack").end_t))).max() < 1e-12
    pc = lifts["power_clean"].attempts[0]
    assert pc.catch_height_m > 0.85 and pc.drop_m < 0.1
    for k in ("snatch1", "power_clean", "clean_and_jerk"):
        assert not lifts[k].attempts[0].missed


def test_missed_snatch(lifts):
    traj = lifts["missed_snatch"]
    (a,) = traj.attempts
    assert a.missed and a.recovery_end_t is None
    assert a.landed_height_m == pytest.approx(W.FLOOR_BAR_HEIGHT_M, abs=1e-9)
    assert a.phases[-1].end_t == a.landed_t
    assert float(traj.y(np.array([traj.duration]))[0]) == pytest.approx(W.FLOOR_BAR_HEIGHT_M)
    t = _grid(a.catch_t, a.landed_t)
    assert traj.y(t).min() == pytest.approx(W.FLOOR_BAR_HEIGHT_M, abs=1e-6)
    assert a.landed_x_m > a.x_forward_m  # dumped forward
    assert 1.0 <= a.peak_height_m <= 1.2


@pytest.mark.parametrize("faces", ["right", "left"])
def test_track_csv(tmp_path, lifts, faces):
    traj = lifts["snatch1"]
    path = tmp_path / "t.csv"
    tt = W.to_track_csv(traj, path, fps=30, m_per_px=0.002, origin_px=(640.0, 700.0),
                        lifter_faces=faces)
    lines = path.read_text().splitlines()
    assert lines[0] == "# liftlens-track v1"
    assert lines[1] == "# m_per_px=0.002"
    assert lines[2] == "frame,t_s,x_px,y_px,confidence,state"
    rows = list(csv.reader(lines[3:]))
    assert rows[0][0] == "0" and rows[0][1] == "0.0" and rows[0][4:] == ["1.0", "tracked"]
    assert len(rows) == int(math.floor(traj.duration * 30 + 1e-9)) + 1
    x = np.array([float(r[2]) for r in rows])
    y = np.array([float(r[3]) for r in rows])
    t = np.array([float(r[1]) for r in rows])
    assert np.allclose(y, 700.0 - traj.y(t) / 0.002, atol=1e-3)
    sign = 1 if faces == "right" else -1
    assert tt.forward_sign_px == sign and tt.toward_lifter_sign_px == -sign
    assert np.allclose(x, 640.0 + sign * traj.x(t) / 0.002, atol=1e-3)
    assert tt.lifter_faces == faces and tt.attempts[0].lifter_faces == faces
    a = tt.attempts[0]
    # toward the lifter in the image during the first pull
    i_rear = int(round(a.rearmost_t * 30))
    assert (x[i_rear] - x[0]) * tt.toward_lifter_sign_px > 0
    # y_px is smallest (highest bar) after the recovery
    assert y.argmin() > int(a.catch_t * 30)
