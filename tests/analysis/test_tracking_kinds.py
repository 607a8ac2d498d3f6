"""Tracking the point the user means, on generated clips with known motion (issue #12).

Each clip is small (640x480, 60-90 frames) and shows one kind of real-footage trouble:
parallax between the plate centre and the bar end, a burned-in static overlay, a marker
that turns, a seed at the frame edge, a hand-held camera, an occluder. The bounds are the
issue's: at least 95 % of frames within 10 % of the plate diameter (at least 6 px) and a
mean error of at most 3 px.
"""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from analysis.synth.encode import ClipWriter
from analysis.tracking import BarTracker, Track
from analysis.video import VideoSource

W, H, FPS = 640, 480, 30.0
SUB = 16  # cv2 drawing shift: 1/16 px positions


def _background(seed: int = 0, size: tuple[int, int] = (H, W)) -> np.ndarray:
    rng = np.random.default_rng(seed)
    tex = cv2.GaussianBlur(rng.integers(0, 255, size, dtype=np.uint8), (0, 0), 3)
    tex = cv2.normalize(tex, None, 95, 175, cv2.NORM_MINMAX)
    img = cv2.cvtColor(tex, cv2.COLOR_GRAY2BGR)
    for k in range(8):  # a rack, boxes: structure for the eye and for camera features
        x, y = int(rng.integers(0, size[1] - 60)), int(rng.integers(0, size[0] - 60))
        col = tuple(int(c) for c in rng.integers(30, 230, 3))
        cv2.rectangle(img, (x, y), (x + int(rng.integers(20, 90)), y + int(rng.integers(20, 90))),
                      col, -1 if k % 2 else 3)
    return img


def _circle(img: np.ndarray, x: float, y: float, r: float, col, thick: int = -1) -> None:
    cv2.circle(img, (round(x * SUB), round(y * SUB)), round(r * SUB), col, thick,
               cv2.LINE_AA, shift=4)


def draw_plate(img: np.ndarray, x: float, y: float, r: float, end: tuple[float, float] | None,
               angle: float = 0.0) -> None:
    """A bumper plate: black rim, red face with bolts, dark hub; the sleeve end at ``end``."""
    _circle(img, x, y, r, (25, 25, 30))
    _circle(img, x, y, 0.86 * r, (40, 40, 170))
    for a in np.linspace(0, 2 * np.pi, 6, endpoint=False) + angle:
        _circle(img, x + 0.55 * r * np.cos(a), y + 0.55 * r * np.sin(a), 0.05 * r, (200, 200, 200))
    _circle(img, x, y, 0.2 * r, (45, 45, 50))
    if end is not None:  # the sleeve: a grey shaft from the hub to its bright end face
        cv2.line(img, (round(x * SUB), round(y * SUB)),
                 (round(end[0] * SUB), round(end[1] * SUB)), (110, 110, 115),
                 int(0.3 * r), cv2.LINE_AA, shift=4)
        _circle(img, end[0], end[1], 0.16 * r, (90, 90, 95))
        _circle(img, end[0], end[1], 0.13 * r, (225, 225, 230))
        _circle(img, end[0], end[1], 0.05 * r, (150, 150, 150))


def squat_path(n: int, y0: float = 150.0, depth: float = 170.0, x0: float = 320.0):
    """Plate centre of a squat: down and up once, a little forward sway (px)."""
    t = np.arange(n) / FPS
    phase = np.clip((np.arange(n) - 8) / (n - 16), 0, 1)
    y = y0 + depth * 0.5 * (1 - np.cos(2 * np.pi * phase))
    x = x0 + 6 * np.sin(2 * np.pi * phase)
    return t, x, y


def write_clip(path, frames) -> None:
    with ClipWriter(path, W, H, fps=FPS) as out:
        for k, img in enumerate(frames):
            out.write(img, k / FPS)


def track(path, seed_frame: int, seed, **kw) -> Track:
    with VideoSource(str(path)) as src:
        return BarTracker().track(src, seed_frame, seed, **kw)


def score(tr: Track, x: np.ndarray, y: np.ndarray, r: float, frames=None) -> dict:
    """Hits within max(10 % of the plate diameter, 6 px); lost frames count as misses."""
    idx = np.arange(len(x)) if frames is None else np.asarray(frames)
    err = np.hypot(tr.x[idx] - x[idx], tr.y[idx] - y[idx])
    ok = np.isfinite(err)
    hits = (err[ok] <= max(0.2 * r, 6.0)).sum()
    return {"hit": hits / len(idx), "mean": float(err[ok].mean()) if ok.any() else np.inf,
            "lost": int((~ok).sum()), "max": float(err[ok].max()) if ok.any() else np.inf}


def assert_within(s: dict) -> None:
    assert s["hit"] >= 0.95 and s["mean"] <= 3.0, s


# -- parallax: the sleeve end shifts against the plate centre ---------------------------

R_PLATE = 75.0


def sleeve_end(x: np.ndarray, y: np.ndarray, k: float) -> tuple[np.ndarray, np.ndarray]:
    """Filmed off-axis, the sleeve's end face shifts by ``k`` px per px of travel from
    where it covers the hub (mid-way): above the hub standing, below it at the bottom."""
    mid = 0.5 * (y.min() + y.max())
    return x + 1.5, y + k * (y - mid)


def make_parallax(path, k: float, n: int = 72):
    bg = _background(1)
    _t, x, y = squat_path(n)
    ex, ey = sleeve_end(x, y, k)
    frames = []
    for i in range(n):
        img = bg.copy()
        end = (ex[i], ey[i])
        draw_plate(img, x[i], y[i], R_PLATE, end, angle=0.02 * i)
        frames.append(img)
    write_clip(path, frames)
    return x, y


@pytest.mark.parametrize("k", [0.0, 0.16, 0.3])
def test_plate_centre_under_parallax(tmp_path, k):
    """Clicking the plate's centre follows the centre of its rim, not the sleeve end
    that drifts across the hub (up to 0.3 px per px of travel, 51 px at the bottom)."""
    path = tmp_path / "parallax.mp4"
    x, y = make_parallax(path, k)
    tr = track(path, 0, (x[0], y[0]))
    assert tr.target == "plate" and tr.target_name == "plate centre"
    s = score(tr, x, y, R_PLATE)
    assert_within(s)
    assert s["mean"] <= 1.0 and s["lost"] == 0


def test_bar_end_follows_the_sleeve_end(tmp_path):
    path = tmp_path / "parallax.mp4"
    k = 0.2
    x, y = make_parallax(path, k)
    ex, ey = sleeve_end(x, y, k)
    tr = track(path, 0, (ex[0], ey[0]), target="bar_end")
    assert tr.target == "bar_end"
    assert_within(score(tr, ex, ey, R_PLATE))


def test_target_kind_is_stored_and_said(tmp_path):
    from app.cli.main import main

    path = tmp_path / "parallax.mp4"
    x, y = make_parallax(path, 0.16, n=40)
    out = tmp_path / "a.json"
    assert main(["analyze", str(path), "--seed", f"{x[0]:.1f},{y[0]:.1f}", "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["tracking"]["target"] == "plate"
    assert main(["analyze", str(path), "--seed", f"{x[0] + 1.5:.1f},{y[0] - 0.16 * 85:.1f}", "--target",
                 "bar_end", "--json", str(out)]) == 0
    assert json.loads(out.read_text())["tracking"]["target"] == "bar_end"
    assert main(["analyze", str(path), "--seed", "20,20", "--target", "plate"]) == 2
    tr = track(path, 0, (x[0], y[0]))
    back = Track.from_dict(json.loads(json.dumps(tr.to_dict())))
    assert back.target == "plate"
