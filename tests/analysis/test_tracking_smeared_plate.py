"""Following a plate's centre through a fast rep filmed with a slow shutter, as on the real
60 fps squat (1080x1920) where the tracker jumped: its rim is smeared where it crosses the
motion, so the rim is found only in part, or not at all, for much of the way down and up,
and the plate is placed by its inner point (hub and sleeve) at its offset from the centre.
That offset changes with parallax (the sleeve end, nearer the camera, moves farther in the
picture than the plate's centre), and circles fitted to the smear, or to a plate standing
beside the path, lie 15-40 px off: taken as the rim, they moved the plate against its
motion and back (a fake sticking point), with nothing to say so.

The clips are drawn by the independent plate generator in tests/truth2 (exact centres),
with a sleeve drawn from the hub towards the camera and the frames smeared along the
plate's path.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from analysis.lift.plausibility import LOW_CONFIDENCE
from analysis.synth.encode import ClipWriter
from analysis.tracking import BarTracker
from analysis.video import VideoSource
from tests.analysis.test_calibration_motion_blur import smeared
from tests.truth2.plate_images import render_plate

W, H, FPS = 540, 960, 60.0
X0, Y_TOP, DEPTH = 270.3, 260.4, 420.0


def _sleeve(img: np.ndarray, cx: float, cy: float, r: float, parallax: float) -> np.ndarray:
    """The bar's sleeve from the hub to its end, nearer the camera: the end sits up and
    left of the centre at the top and moves ``parallax`` px per px the plate moves down."""
    ex, ey = cx - 0.15 * r, cy - 0.35 * r + parallax * (cy - Y_TOP)
    s = 4.0  # sub-pixel drawing (2 fractional bits)
    out = img.copy()
    cv2.line(out, (round(cx * s), round(cy * s)), (round(ex * s), round(ey * s)),
             (120, 120, 125), max(3, int(0.2 * r)), cv2.LINE_AA, shift=2)
    cv2.circle(out, (round(ex * s), round(ey * s)), int(0.111 * r * s), (225, 225, 230), -1,
               cv2.LINE_AA, shift=2)
    return out


def squat_clip(path, n: int = 150, diameter: float = 190.0, shutter: float = 2.0,
               beside: float = 1.0, parallax: float = 0.22) -> np.ndarray:
    """A squat-like rep (stand 15 % of the frames, down and up, stand), the plate's centre
    at 12.6 px a frame at most, smeared over ``shutter`` frame intervals of its motion, a
    second plate of the same size standing ``beside`` diameters to the right of the path
    at mid depth. Returns the true centres, shape (n, 2) px."""
    bg, _ = render_plate("bumper_ring", seed=5, width=W, height=H, cx=X0 + beside * diameter,
                         cy=Y_TOP + DEPTH / 2, diameter_px=diameter, noise_sigma=0.0)
    rng = np.random.default_rng(3)
    frames, centres = [], []
    for i in range(n):
        s = min(max((i / n - 0.15) / 0.7, 0.0), 1.0)
        x = X0 + 8.0 * math.sin(2 * math.pi * s)
        y = Y_TOP + DEPTH * (1 - math.cos(2 * math.pi * s)) / 2
        img, _ = render_plate("bumper_ring", seed=int(rng.integers(1 << 30)), width=W, height=H,
                              cx=x, cy=y, diameter_px=diameter, background=bg,
                              noise_sigma=2.0, text_rotation_deg=20.0)
        frames.append(_sleeve(img, x, y, diameter / 2, parallax))
        centres.append((x, y))
    with ClipWriter(str(path), W, H, fps=FPS) as out:
        for i, f in enumerate(smeared(frames, centres, shutter)):
            out.write(f, i / FPS)
    return np.array(centres)


def _track(folder, **clip) -> tuple:
    path = folder / "squat.mp4"
    truth = squat_clip(path, **clip)
    with VideoSource(str(path)) as src:  # a click on the plate's centre, as in the app
        track = BarTracker().track(src, 0, (float(truth[0, 0]), float(truth[0, 1])),
                                   target="auto")
    return track, truth


def test_smeared_plate_does_not_jump(tmp_path):
    # the second plate stands 0.8 diameters beside the path: before, the plate moved
    # 29.8 px against the truth's motion in one frame at the bottom (frame 62, a circle
    # fitted to the smear and the other plate taken as the rim) and back
    track, truth = _track(tmp_path, beside=0.8)
    step = np.hypot(np.diff(track.x) - np.diff(truth[:, 0]),
                    np.diff(track.y) - np.diff(truth[:, 1]))
    assert np.nanmax(step) < 8.0, (np.nanargmax(step), np.nanmax(step))


def test_a_plate_placed_far_from_where_its_rim_was_seen_is_flagged(tmp_path):
    # a longer shutter: the rim is not seen for most of the way down and up, and the plate
    # is placed by its inner point, whose offset parallax moves (the sleeve end 22 % of the
    # plate's travel). Every frame given as sure (confidence at least the analysis's
    # LOW_CONFIDENCE) is near the truth; the others are flagged, not dropped. Before, the
    # plate was 41.6 px off at the bottom and every frame said sure.
    _assert_sure_frames_within(*_track(tmp_path, shutter=2.5), 15.0)


def test_a_plate_whose_offset_its_rim_only_nudged_is_not_sure(tmp_path):
    # the second plate 0.8 diameters beside the path: at the bottom the rim is seen only in
    # part and 30 px from where the inner point's offset puts the plate, farther than
    # parallax may move the offset in a frame, so the offset moved only 3.5 px of the
    # 32 towards it. Before, that nudge counted as the rim confirming the offset: frames
    # 63-98 were 30.7-35.8 px off with confidence 0.65-0.75 (sure). An offset nudged only
    # part of the way is not confirmed, and the frames it places are flagged once the
    # inner point has gone far from where the offset last was.
    _assert_sure_frames_within(*_track(tmp_path, beside=0.8), 15.0)


def _assert_sure_frames_within(track, truth: np.ndarray, px: float) -> None:
    """Every frame is placed, and each one given as sure (confidence at least the
    analysis's LOW_CONFIDENCE) is within ``px`` of the truth."""
    err = np.hypot(track.x - truth[:, 0], track.y - truth[:, 1])
    assert track.valid.all()
    sure = track.confidence >= LOW_CONFIDENCE
    assert np.max(err[sure]) < px, (np.flatnonzero(sure & (err > px)), np.max(err[sure]))


SQUAT = "lukestynes__bar-path-tracker__small-squat.mp4"
TRUTH = "groundtruth/small-squat/small-squat_man_anno.txt"


@pytest.mark.parametrize("click", [(497.0, 529.0), (499.0, 531.0)])
def test_real_squat_plate_centre_against_the_hand_clicked_bar_end(shared_data, click):
    """The real 60 fps squat (1080x1920) whose bar end was clicked by hand on every frame.
    The plate's centre and the sleeve end, 15-20 cm nearer the camera, are two points of
    the bar moving in parallel planes: their places in the picture are related by one
    homography (fitted robustly, least median of squares), so what is left over is the
    track's own error. Before, the plate jumped 20-38 px off on frames 180-214 (circles
    fitted to the smeared rim taken as the rim) and came back: p95 32 px, max 39 px."""
    clip = shared_data / "videos" / SQUAT
    if not clip.exists():
        pytest.skip(f"{SQUAT} is not in the shared data")
    truth = np.loadtxt(shared_data / TRUTH, delimiter=",")
    with VideoSource(str(clip)) as src:
        track = BarTracker().track(src, 0, click, target="auto")
    assert track.target == "plate" and track.valid.all()
    xy = np.column_stack([track.x, track.y]).astype(np.float32)
    h, _ = cv2.findHomography(xy, truth.astype(np.float32), cv2.LMEDS)
    err = np.hypot(*(cv2.perspectiveTransform(xy[:, None, :], h)[:, 0, :] - truth).T)
    assert np.median(err) < 5.0 and np.percentile(err, 95) < 11.0 and err.max() < 16.0, \
        (np.median(err), np.percentile(err, 95), err.max(), int(np.argmax(err)))


def test_real_squat_plate_chosen_is_as_smooth_as_found(shared_data):
    """The plate centre chosen on the real squat (``target="plate"``, the same click the
    app reads as the plate centre by itself) follows the hand-clicked bar end's motion
    frame by frame (through the homography relating the two points' planes). Before, its
    round rim smeared on the way up was fitted as an ellipse 8-17 px off the plate's centre
    on 61 frames, all sure: the track stepped 8 px up at frame 176 and back at 187 (max
    step against the truth 14.7 px, off by 20 px), a false velocity peak and MPV 0.49 below
    MCV 0.56 m/s."""
    clip = shared_data / "videos" / SQUAT
    if not clip.exists():
        pytest.skip(f"{SQUAT} is not in the shared data")
    truth = np.loadtxt(shared_data / TRUTH, delimiter=",")
    with VideoSource(str(clip)) as src:
        track = BarTracker().track(src, 0, (502.0, 535.0), target="plate")
    assert track.target == "plate" and track.valid.all()
    xy = np.column_stack([track.x, track.y]).astype(np.float32)
    h, _ = cv2.findHomography(xy, truth.astype(np.float32), cv2.LMEDS)
    mapped = cv2.perspectiveTransform(xy[:, None, :], h)[:, 0, :]
    err = np.hypot(*(mapped - truth).T)
    step = np.hypot(*(np.diff(mapped, axis=0) - np.diff(truth, axis=0)).T)
    assert step.max() < 10.0 and err.max() < 14.0, \
        (step.max(), int(np.argmax(step)), err.max(), int(np.argmax(err)))


def test_a_round_plate_chosen_is_not_followed_as_an_ellipse():
    """A plate filmed face on (its rim round at the click) stays round through the lift:
    chosen by the user, it is followed as a circle, as when the app finds it itself (an
    ellipse is fitted only to a rim that was one at the click)."""
    from analysis.tracking.targets import choose_target

    img, truth = render_plate("iron", seed=5, width=W, height=H, cx=X0, cy=400.4,
                              diameter_px=190.0, noise_sigma=2.0)
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    chosen = choose_target(gray, (truth.cx, truth.cy), "plate")
    found = choose_target(gray, (truth.cx, truth.cy))
    assert chosen.kind == found.kind == "plate" and not chosen.oblique, chosen
    assert chosen.plate == found.plate and chosen.plate is not None
    assert chosen.plate.r == pytest.approx(truth.diameter_px / 2, rel=0.02), chosen.plate


def test_a_frame_the_tracker_cannot_vouch_for_is_flagged_by_the_analysis():
    """The confidence a plate placed far from where its rim was seen gets must lie below
    the one the analysis flags a rep under: both follow the track's TRUSTED_CONFIDENCE,
    so changing one cannot silently stop the flag."""
    from analysis.lift.plausibility import LOW_CONFIDENCE
    from analysis.session.track import TRUSTED_CONFIDENCE
    from analysis.tracking.follow_plate import UNSURE_CONFIDENCE

    assert LOW_CONFIDENCE == TRUSTED_CONFIDENCE
    assert 0 < UNSURE_CONFIDENCE < TRUSTED_CONFIDENCE
