"""A plate at rest keeps its last rim fit; any motion of the rim, a change of its size or
something passing in front of it makes the tracker fit the rim again
(:mod:`analysis.tracking.rest`). Generated frames: an anti-aliased plate drawn at 1/256 px
positions on a textured background, with sensor noise."""

from __future__ import annotations

import cv2
import numpy as np

from analysis.tracking.circle import refine_centre
from analysis.tracking.rest import RimRest

SUB = 8  # cv2 drawing shift: 1/256 px
H, W = 480, 640


def _frame(x: float, y: float, r: float, noise_seed: int, hand: bool = False) -> np.ndarray:
    rng = np.random.default_rng(7)
    img = cv2.GaussianBlur(rng.integers(0, 255, (H, W), dtype=np.uint8), (0, 0), 3)
    img = cv2.normalize(img, None, 150, 200, cv2.NORM_MINMAX)
    s = 1 << SUB
    cv2.circle(img, (round(x * s), round(y * s)), round(r * s), 40, -1, cv2.LINE_AA, SUB)
    cv2.circle(img, (round(x * s), round(y * s)), round(0.2 * r * s), 120, -1, cv2.LINE_AA, SUB)
    if hand:
        cv2.rectangle(img, (round(x + 0.6 * r), round(y - 30)), (round(x + 1.4 * r), round(y + 30)),
                      90, -1)
    noisy = img.astype(np.float32) + np.random.default_rng(noise_seed).normal(0, 2.0, img.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def _rest_at(x: float = 320.3, y: float = 240.6, r: float = 150.0) -> RimRest:
    g = _frame(x, y, r, 0)
    fit = refine_centre(g, (x + 2, y - 1), r, -1, band=(0.8, 1.25), step_px=0.9)
    assert fit is not None and abs(fit.x - x) < 0.1 and abs(fit.y - y) < 0.1
    rest = RimRest()
    rest.fitted(g, fit)
    return rest


def test_a_plate_at_rest_keeps_its_fit_through_sensor_noise():
    rest = _rest_at()
    kept = [rest.still(_frame(320.3, 240.6, 150.0, k)) for k in range(1, 11)]
    assert all(f is not None for f in kept)


def test_a_rim_that_moved_or_changed_size_is_fitted_again():
    rest = _rest_at()
    assert rest.still(_frame(320.35, 240.6, 150.0, 1)) is None  # 0.05 px to the right
    assert rest.still(_frame(320.3, 240.55, 150.0, 2)) is None  # 0.05 px up
    assert rest.still(_frame(320.3, 240.6, 150.05, 3)) is None  # nearer the camera
    assert rest.still(_frame(320.3, 240.6, 150.0, 4, hand=True)) is None  # a hand on the rim


def test_a_plate_creeping_slowly_is_fitted_again_before_it_has_moved_far():
    # 0.01 px a frame: each frame alone is within the rest bound, but the comparison is
    # with the frame of the last fit, so the creep cannot add up unseen
    rest = _rest_at()
    seen = [rest.still(_frame(320.3 + 0.01 * k, 240.6, 150.0, k)) for k in range(1, 8)]
    first_refit = next(k for k, f in enumerate(seen, 1) if f is None)
    assert first_refit <= 4
