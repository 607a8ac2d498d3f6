"""Scale from a measured plate (over many frames) or a line; ellipse warning; detection."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from analysis.calibration.scale import detect_plate, from_line, measure_plate, plate_candidates
from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from analysis.video import VideoSource


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    path = tmp_path_factory.mktemp("cal") / "plate.mp4"
    truth = make_lift_clip(path, LiftScript(reps=(RepSpec(0.8, 0.2, 0.6, 0.3, 0.4),), setup=0.3,
                                            end_idle=0.3), size=(640, 360), px_per_m=300.0)
    return path, truth


def test_plate_measured_over_frames(clip):
    path, truth = clip
    centres = {n: (truth.x[n], truth.y[n]) for n in range(0, len(truth.x), 3)}
    with VideoSource(str(path)) as src:
        cal = measure_plate(src, centres, plate_mm=450)
    assert cal.reference_px == pytest.approx(truth.plate_diameter_px, rel=0.02)
    assert cal.m_per_px == pytest.approx(truth.m_per_px, rel=0.02)
    assert cal.axis_ratio > 0.95 and not cal.warning
    assert "450 mm" in cal.source and cal.frames >= 10


def test_oblique_plate_warns(tmp_path):
    img = np.full((360, 640, 3), 90, np.uint8)
    cv2.ellipse(img, (320, 180), (110, 80), 0, 0, 360, (20, 20, 20), -1, cv2.LINE_AA)
    cv2.ellipse(img, (320, 180), (90, 65), 0, 0, 360, (40, 40, 150), -1, cv2.LINE_AA)
    path = tmp_path / "oblique.mp4"
    from analysis.synth.encode import ClipWriter

    with ClipWriter(path, 640, 360) as w:
        for _ in range(5):
            w.write(img)
    with VideoSource(str(path)) as src:
        cal = measure_plate(src, {n: (320.0, 180.0) for n in range(5)})
    assert cal.axis_ratio < 0.85 and "ellipse" in cal.warning


def test_line_and_errors(clip):
    assert from_line(300, 450).m_per_px == pytest.approx(0.0015)
    with pytest.raises(ValueError):
        from_line(0, 450)
    path, _ = clip
    with VideoSource(str(path)) as src, pytest.raises(ValueError, match="track the plate"):
        measure_plate(src, {})


def test_detect_plate_on_a_generated_frame(clip):
    path, truth = clip
    with VideoSource(str(path)) as src:
        gray = cv2.cvtColor(src.read(0).image, cv2.COLOR_BGR2GRAY)
    found = detect_plate(gray)
    assert found is not None
    x, y, r = found
    assert np.hypot(x - truth.x[0], y - truth.y[0]) < 3
    assert 2 * r == pytest.approx(truth.plate_diameter_px, rel=0.05)


def _gym_frame(seed: int, plate: bool) -> np.ndarray:
    """A 640x360 grey frame: a window grid, a lifter's head (dark hair above, skin below,
    eyes) and torso, and, when ``plate``, a bumper plate face-on (dark face, lighter
    hub, bright sleeve end) at (470, 200) with radius 70 px."""
    rng = np.random.default_rng(seed)
    img = np.full((360, 640), 150, np.uint8)
    for x in range(0, 640, 80):  # window frames
        cv2.line(img, (x, 0), (x, 359), 90, 6)
    cv2.line(img, (0, 120), (639, 120), 90, 6)
    cv2.rectangle(img, (150, 160), (290, 359), 60, -1)  # torso (dark shirt)
    cv2.circle(img, (220, 110), 45, 205, -1)  # face
    cv2.ellipse(img, (220, 110), (45, 45), 0, 180, 360, 35, -1)  # hair above
    for ex in (204, 236):
        cv2.circle(img, (ex, 115), 5, 40, -1)
    if plate:
        cv2.circle(img, (470, 200), 70, 45, -1)
        cv2.circle(img, (470, 200), 22, 110, -1)
        cv2.circle(img, (470, 200), 12, 225, -1)
    noisy = img.astype(np.float32) + rng.normal(0, 4, img.shape)
    return np.clip(cv2.GaussianBlur(noisy, (0, 0), 1.0), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_plate_is_offered_first_and_a_head_never(seed):
    found = plate_candidates(_gym_frame(seed, plate=True))
    assert found, "the plate was not found"
    x, y, r = found[0]
    assert np.hypot(x - 470, y - 200) < 3 and r == pytest.approx(70, rel=0.06)
    assert all(np.hypot(cx - 220, cy - 110) > 30 for cx, cy, _r in found), found


def _two_plates_frame(seed: int) -> np.ndarray:
    """A 640x360 grey frame filmed a little off the bar's axis: the far plate (r 42 px,
    hub and sleeve end centred) half hidden behind the lifter's dark back, and the near
    plate (r 80 px) whole but cut by the picture's top edge, its sleeve end seen beside
    the hub, as on the real squat test3."""
    rng = np.random.default_rng(seed)
    img = np.full((360, 640), 150, np.uint8)
    for x in range(0, 640, 80):  # window frames
        cv2.line(img, (x, 0), (x, 359), 90, 6)
    cv2.circle(img, (200, 210), 42, 45, -1)  # far plate
    cv2.circle(img, (200, 210), 14, 110, -1)
    cv2.circle(img, (200, 210), 8, 225, -1)
    cv2.rectangle(img, (215, 120), (330, 359), 50, -1)  # the lifter's back, in front of it
    cv2.circle(img, (470, 45), 80, 45, -1)  # near plate
    cv2.circle(img, (482, 35), 16, 225, -1)  # its sleeve end, off the hub
    noisy = img.astype(np.float32) + rng.normal(0, 4, img.shape)
    return np.clip(cv2.GaussianBlur(noisy, (0, 0), 1.0), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_clearest_plate_is_offered_first(seed):
    """The far plate's centred hub made it look more plate-like than the near plate,
    whose hub hides behind its sleeve end: it was offered first though half hidden. Both
    are plates; the one showing the most rim (px) comes first."""
    found = plate_candidates(_two_plates_frame(seed))
    assert len(found) == 2, found
    (x1, y1, r1), (x2, y2, r2) = found
    assert np.hypot(x1 - 470, y1 - 45) < 4 and r1 == pytest.approx(80, rel=0.06)
    assert np.hypot(x2 - 200, y2 - 210) < 4 and r2 == pytest.approx(42, rel=0.06)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_plate_is_offered_when_there_is_none(seed):
    """Filmed from the front, the plates are edge-on: a head, a torso and window frames
    must not be offered as a plate."""
    assert plate_candidates(_gym_frame(seed, plate=False)) == []


def test_gradients_near_circles_are_the_whole_frames_where_the_rim_is_sampled():
    """The plate search computes gradients only around its circles: wherever a circle's
    rim (or a smaller concentric one) is sampled, the values are the whole frame's."""
    import random

    from analysis.calibration.plate_rim import ANGLES, gradients, gradients_near, support

    rng = np.random.default_rng(3)
    gray = cv2.GaussianBlur(rng.integers(0, 256, (1080, 1920), dtype=np.uint8), (0, 0), 2.0)
    for x, y, r in ((500, 400, 150), (1700, 1000, 120), (60, 60, 100)):  # one past the corner
        cv2.circle(gray, (x, y), r, 255, 6)
    full = gradients(gray)
    pick = random.Random(4)
    for _ in range(20):
        # circles in one part of the frame (a plate and what is around it), one of them
        # sometimes past the frame's corner
        cx, cy = pick.choice(((500.0, 400.0), (1700.0, 1000.0), (60.0, 60.0)))
        circles = [(cx + pick.uniform(-150, 150), cy + pick.uniform(-150, 150),
                    pick.uniform(65, 200)) for _ in range(pick.randint(1, 4))]
        near = gradients_near(gray, circles)
        assert np.count_nonzero(near[0]) < 0.5 * gray.size  # not the whole frame's
        for x, y, r in circles:
            for f in (1.0, 0.36, 0.1):
                th = np.linspace(0, 2 * np.pi, ANGLES, endpoint=False).astype(np.float32)
                band = max(2.0, 0.05 * f * r)
                rs = np.linspace(f * r - band, f * r + band, 9, dtype=np.float32)
                mx = np.cos(th)[:, None] * rs + np.float32(x)
                my = np.sin(th)[:, None] * rs + np.float32(y)
                for a, b in zip(full, near, strict=True):
                    sample = [cv2.remap(g, mx, my, cv2.INTER_LINEAR,
                                        borderMode=cv2.BORDER_CONSTANT) for g in (a, b)]
                    assert np.array_equal(*sample)
                assert support(near, x, y, f * r) == support(full, x, y, f * r)
    assert support(gradients_near(gray, [(500, 400, 150)]), 500, 400, 150) > 0.9
