"""Plate calibration on a plate filmed obliquely, around a track that follows the
plate's true centre but slips on a few fast frames (as the tracker does at a deadlift's
lift-off): the OUTER rim is measured within 1 %, not the plate's light inner ring.

The plates are drawn by the independent generator in tests/truth2 (exact outer
diameter and centre); the real deadlift clip (its plate seen from low and close) is
checked when the shared data is present.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.calibration.scale import measure_plate
from analysis.video import VideoSource
from tests.truth2.plate_images import plate_sequence, write_clip

FRAMES = 24
# frames of the fast part of the lift where the track sits low (10 of 24; the real
# deadlift's automatic track is off the plate's centre on 7 of the 24 frames measured)
SLIPS = (5, 6, 7, 8, 9, 10, 12, 13, 15, 16)


@pytest.fixture(scope="module")
def oblique_clip(tmp_path_factory):
    made = {}

    def make(angle_deg: float):
        if angle_deg not in made:
            frames, truths = plate_sequence(FRAMES, "bumper_ring", seed=11, width=960,
                                            height=540, diameter_px=240.0, x0=480.4,
                                            y_top=150.3, depth_px=170.0, axis_ratio=0.7,
                                            angle_deg=angle_deg)
            path = write_clip(frames, tmp_path_factory.mktemp("oblique") / f"a{angle_deg:g}.mp4")
            made[angle_deg] = (path, truths)
        return made[angle_deg]

    return make


@pytest.mark.parametrize("angle_deg", [95.0, 60.0])
def test_outer_rim_of_an_oblique_bumper_plate(oblique_clip, angle_deg):
    path, truths = oblique_clip(angle_deg)
    true_d = truths[0].diameter_px
    centres = {i: (t.cx, t.cy) for i, t in enumerate(truths)}
    with VideoSource(str(path)) as src:
        cal = measure_plate(src, centres, plate_mm=450)
    assert cal.reference_px == pytest.approx(true_d, rel=0.01), cal
    assert cal.m_per_px == pytest.approx(0.45 / true_d, rel=0.01)
    assert cal.axis_ratio == pytest.approx(0.7, abs=0.03)
    assert "ellipse" in cal.warning


def test_track_slips_do_not_turn_the_rim_into_the_inner_ring(oblique_clip):
    """Frames where the tracked point sits a fifth of the plate below its centre (the
    tracker's slips on fast frames) must not decide which ring is the rim (measured
    before: the 132 px inner ring of the 240 px plate)."""
    path, truths = oblique_clip(95.0)
    true_d = truths[0].diameter_px
    centres = {i: (t.cx, t.cy + (0.2 * true_d if i in SLIPS else 0.0))
               for i, t in enumerate(truths)}
    with VideoSource(str(path)) as src:
        cal = measure_plate(src, centres, plate_mm=450)
    assert cal.reference_px == pytest.approx(true_d, rel=0.01), cal
    assert cal.circle is not None
    n, cx, cy, _r = cal.circle
    assert int(n) not in SLIPS and cal.frames >= 10
    assert np.hypot(cx - truths[int(n)].cx, cy - truths[int(n)].cy) < 1.0
    assert cal.certainty.startswith("sure"), cal.certainty


DEADLIFT = "sahityajain360__barbell-tracker__deadlift2.mp4"


def test_real_oblique_plate_measured_around_its_centre(shared_data):
    """The real deadlift clip's plate followed by its rim's ellipse (the plate centre
    chosen): the track sits on the plate's centre, and the measurement is the outer rim
    (about 250 px read by hand off frame 0), not the 134 px inner ring."""
    from analysis.tracking import BarTracker

    path = shared_data / "videos" / DEADLIFT
    if not path.exists():
        pytest.skip(f"{DEADLIFT} is not in the shared data")
    with VideoSource(str(path)) as src:
        tr = BarTracker().track(src, 0, (177, 601), target="plate")
        ok = np.flatnonzero(np.isfinite(tr.x))
        cal = measure_plate(src, {int(i): (float(tr.x[i]), float(tr.y[i])) for i in ok})
    assert 238 <= cal.reference_px <= 262, cal
    assert cal.frames >= 8 and not cal.certainty.startswith("unsure"), cal


def test_oblique_rim_is_read_alike_over_noise_draws_and_encodings(tmp_path):
    """The oblique bumper plate (240 px, axes 0.7) tracked at its true centre, the same
    pictures with 4 draws of +-2 grey levels of noise, each encoded by the generator's
    own writer (whose output also differs from run to run): every clip reads the outer
    rim within 1 % and sure, and the four read within 0.5 % of each other. The plate's
    centre searched before the rim followed these small differences: circles fitted to
    arcs of the ellipse were taken for the plate, and the same plate read 240.0, 213.8,
    215.1 px or 157.9 px (the strongest circle) from one draw to the next."""
    frames, truths = plate_sequence(12, "bumper_ring", seed=11, width=960, height=540,
                                    diameter_px=240.0, x0=480.4, y_top=150.3,
                                    depth_px=170.0, axis_ratio=0.7, angle_deg=95.0)
    true_d = truths[0].diameter_px
    centres = {i: (t.cx, t.cy) for i, t in enumerate(truths)}
    read = []
    for draw in range(4):
        rng = np.random.default_rng(draw)
        noisy = [np.clip(f.astype(np.int16) + rng.integers(-2, 3, f.shape), 0, 255)
                 .astype(np.uint8) for f in frames]
        path = write_clip(noisy, tmp_path / f"draw{draw}.mp4")
        with VideoSource(str(path)) as src:
            cal = measure_plate(src, centres, plate_mm=450)
        assert cal.reference_px == pytest.approx(true_d, rel=0.01), (draw, cal)
        assert cal.certainty.startswith("sure"), (draw, cal.certainty)
        assert cal.scale_sd_pct is not None and cal.scale_sd_pct <= 0.5, (draw, cal)
        read.append(cal.reference_px)
    assert max(read) / min(read) - 1 <= 0.005, read
