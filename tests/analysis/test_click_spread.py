"""Re-tracking a set from a slightly different click gives the same numbers.

A new user tracked the real deadlift clip three times, clicking the plate's hub at
different zooms, and read a rep's peak velocity 0.62 / 0.74 / 0.75 m/s and scales
1.82-1.87 mm/px, more apart than the +- the app printed. Two causes, each tested here on
generated clips (the plates are drawn by the independent generator in tests/truth2, whose
outer rims are exact):

* the tracker kept a click within 3 % of the plate's radius of the rim's centre as the
  user's own reading of it, and cut the template of the plate's inner point around the
  click: each click followed a slightly different track;
* the plate's rim was looked for as rings concentric with the tracked point: a point
  followed off the plate's centre (a click on the plate's face, a marker) turned each ring
  into a spread of radii, and an inner ring, the rim or nothing came out depending on the
  click.

The real clips are measured in ``test_click_spread_real``.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.calibration.scale import measure_plate
from analysis.tracking import BarTracker
from analysis.video import VideoSource
from tests.truth2.plate_images import plate_sequence, write_clip


def _clip(tmp_path_factory, name: str, frames: int, kind: str, **kw):
    d = tmp_path_factory.mktemp(name)
    pics, truths = plate_sequence(frames, kind, seed=8, width=960, height=540,
                                  diameter_px=220.0, y_top=170.3, depth_px=150.0, **kw)
    return write_clip(pics, d / f"{name}.mp4", crf=23), truths


@pytest.fixture(scope="module")
def rim_band(tmp_path_factory):
    """A squat with a plate whose rim is a coloured band barely off the wall's brightness."""
    return _clip(tmp_path_factory, "rim_band", 60, "rim_band", x0=480.4)


def test_every_click_on_the_hub_follows_one_track(rim_band):
    """Clicks on the hub 0-9 px off the plate's centre all follow the centre of its rim:
    one track. Before, a click within 3 % of the radius (3.3 px here) was kept as it
    landed, with the hub's look cut around it: the tracks lay up to 3.2 px apart and, less
    those offsets, up to 0.08 px (on the real deadlift clip, a partly seen dark rim, a
    rep's peak velocity read 0.72 and 0.80 m/s from clicks 3.6 px apart)."""
    path, truths = rim_band
    x0, y0 = truths[0].cx, truths[0].cy
    tracks = []
    for dx, dy in ((0.0, 0.0), (2.0, 1.0), (-1.0, -3.0), (3.0, -1.0), (8.0, 5.0)):
        with VideoSource(str(path)) as src:
            tr = BarTracker().track(src, 0, (x0 + dx, y0 + dy))
        assert tr.target == "plate"
        tracks.append(np.column_stack([tr.x, tr.y]))
    for xy in tracks[1:]:
        np.testing.assert_allclose(xy, tracks[0], atol=1e-6)
    true = np.column_stack([[t.cx for t in truths], [t.cy for t in truths]])
    assert np.hypot(*(tracks[0] - true).T).max() <= 0.5


# points followed on the plate's face: offsets from its centre, as shares of the radius
FACE_POINTS = ((0.0, 0.0), (0.3, 0.0), (-0.35, 0.35), (0.6, 0.1))


@pytest.mark.parametrize("kind,x0", [("iron", 480.4), ("bumper_ring", 480.4),
                                     ("rim_band", 480.4), ("bumper_ring", 100.3)],
                         ids=["iron", "bumper_ring", "rim_band", "bumper_ring-cut"])
def test_the_rim_is_measured_alike_from_any_point_on_the_plate(tmp_path_factory, kind, x0):
    """A point followed on the plate's face, up to 0.6 of its radius off the centre: the
    outer rim within 1 % of the truth and the scales within 0.5 % of each
    other (measured: +0.07 %, +0.09 %, +0.02 % from every point). Before, points 0.3-0.6
    of the radius off read -21 % to +90 % or no rim at all (iron -20.7 %, +89.7 %, none;
    bumper ring +34.8 %, none twice; rim band -9.9 %, none three times). The cut case: the
    plate's rim runs 10 px out of the picture's left edge (a partly seen rim); before,
    -3.9 %, -11.7 % and none, now +0.04 % from every point. Not yet for the
    lettered plate (a thin lip around bright lettering): there a wrong circle around the
    point is found first and the off-centre points still read -7.5 % to +106 %."""
    path, truths = _clip(tmp_path_factory, f"face_{kind}_{x0:.0f}", 24, kind, x0=x0)
    r = truths[0].diameter_px / 2
    scales = []
    for fx, fy in FACE_POINTS:
        centres = {i: (t.cx + fx * r, t.cy + fy * r) for i, t in enumerate(truths)}
        with VideoSource(str(path)) as src:
            cal = measure_plate(src, centres, plate_mm=450)
        assert cal.reference_px == pytest.approx(truths[0].diameter_px, rel=0.01), (fx, fy, cal)
        assert cal.scale_sd_pct is not None and cal.scale_sd_pct <= 0.5
        scales.append(cal.m_per_px)
    assert max(scales) / min(scales) - 1 <= 0.005, scales


def test_the_scale_sd_is_stored_and_read_back():
    from analysis.session.calibration import Calibration

    cal = Calibration(0.002, "plate 450 mm measured on 20 frames", 225.0, 0.99, 20,
                      spread_pct=0.3, scale_sd_pct=0.8)
    assert Calibration.from_dict(cal.to_dict()) == cal
    assert Calibration.from_dict(cal.to_dict()).scale_sd_pct == 0.8
    old = {k: v for k, v in cal.to_dict().items() if k != "scale_sd_pct"}
    assert Calibration.from_dict(old).scale_sd_pct is None
    with pytest.raises(ValueError):
        Calibration.from_dict({**cal.to_dict(), "scale_sd_pct": float("nan")})


def _squat_track(reps: int = 3, fps: float = 30.0, rom_px: float = 250.0):
    """A generated squat track (px, y down): each rep 1.2 s down, 0.3 s at the bottom,
    1.0 s up (smooth), 1 s standing between reps."""
    seg = []
    for _ in range(reps):
        seg += [np.zeros(int(fps)), 0.5 * (1 - np.cos(np.linspace(0, np.pi, int(1.2 * fps)))),
                np.ones(int(0.3 * fps)),
                0.5 * (1 + np.cos(np.linspace(0, np.pi, int(1.0 * fps))))]
    seg.append(np.zeros(int(fps)))
    h = np.concatenate(seg)
    t = np.arange(len(h)) / fps
    return t, 300.0 + 0.01 * np.arange(len(h)), 200.0 + rom_px * h


def test_the_scale_sd_is_in_the_mcv_sd_printed():
    """A scale measured to +-2 % moves every rep's MCV by 2 %: the MCV's SD (the +- the app
    and the command line print) includes it, in quadrature with the tracking noise's part;
    velocity loss (a ratio of MCVs) does not change. Before, the scale's SD was not read:
    the SD was the noise's alone (0.0033 m/s on MCVs of about 0.40 m/s, whose 2 % is
    0.008)."""
    from analysis.lift.result import analyze_track

    t, x, y = _squat_track()
    base = analyze_track(t, x, y, m_per_px=0.0018, lift="squat",
                         calibration={"source": "plate"})
    sure = analyze_track(t, x, y, m_per_px=0.0018, lift="squat",
                         calibration={"source": "plate", "scale_sd_pct": 2.0})
    assert len(base.reps) == len(sure.reps) == 3
    for a, b in zip(base.reps, sure.reps, strict=True):
        ma, mb = a.metrics, b.metrics
        assert ma.mean_concentric_velocity_sd is not None
        assert mb.mean_concentric_velocity == ma.mean_concentric_velocity
        assert mb.mean_concentric_velocity_sd == pytest.approx(
            np.hypot(ma.mean_concentric_velocity_sd, 0.02 * ma.mean_concentric_velocity))
    vl_a, vl_b = base.set_metrics.velocity_loss, sure.set_metrics.velocity_loss
    assert vl_b.first_last_sd == vl_a.first_last_sd
    doc = sure.to_dict()
    assert doc["calibration"]["scale_sd_pct"] == 2.0
