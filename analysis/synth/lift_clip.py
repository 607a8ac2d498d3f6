"""Render lift clips with known bar motion: a textured plate over a gym-like wall.

The plate is drawn once as a detailed sprite (rim, face, lettering, bolts, hub
and bar-sleeve end) and moved with a sub-pixel affine warp each frame, so the
true centre in every frame is exact. Optional motion blur (several sub-frame
renders averaged), sensor noise, spin of the plate, H.264 compression, VFR
timestamps and rotation metadata make it look like phone footage.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from analysis.synth.encode import TIME_BASE, ClipWriter
from analysis.synth.motion import LiftScript, RepTruth, demo_script, duration, sample

PLATE_DIAMETER_M = 0.45


@dataclass(frozen=True)
class ClipTruth:
    """Ground truth of a rendered clip: per-frame plate centre (px, displayed image)."""

    times: np.ndarray
    x: np.ndarray
    y: np.ndarray
    m_per_px: float
    plate_diameter_px: float
    reps: list[RepTruth]


def _background(w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    base = rng.integers(0, 255, (h // 8 + 2, w // 8 + 2, 3), dtype=np.uint8)
    img = cv2.resize(cv2.GaussianBlur(base, (0, 0), 1.2), (w, h), interpolation=cv2.INTER_CUBIC)
    img = (0.35 * img + 0.65 * np.array([70, 78, 88])).astype(np.uint8)
    for _ in range(14):  # racks, posters, mats
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        x1, y1 = x0 + int(rng.integers(20, w // 4)), y0 + int(rng.integers(10, h // 3))
        color = tuple(int(c) for c in rng.integers(20, 200, 3))
        cv2.rectangle(img, (x0, y0), (x1, y1), color, -1 if rng.random() < 0.6 else 3)
    floor = int(h * 0.86)
    img[floor:] = (img[floor:] * 0.5).astype(np.uint8)
    return img


def _sprite_canvas(d: int):
    """An empty BGRA sprite for a plate of diameter ``d`` px (2 px spare each side), its
    centre (px), and ``circle(r, color, thick=-1)`` drawing anti-aliased circles around that
    centre at sub-pixel precision."""
    s = d + 4
    c = s / 2
    img = np.zeros((s, s, 4), np.uint8)
    cc = (int(c * 16), int(c * 16))

    def circle(r: float, color, thick=-1) -> None:
        cv2.circle(img, cc, int(r * 16), color, thick, cv2.LINE_AA, 4)

    return img, c, circle


def plate_sprite(d: int, rng: np.random.Generator | None = None) -> np.ndarray:
    """A BGRA plate of diameter ``d`` px with texture that shows rotation."""
    rng = rng or np.random.default_rng(3)
    img, c, circle = _sprite_canvas(d)
    sh = 4
    circle(d / 2, (25, 25, 28, 255))  # rubber rim
    circle(d * 0.43, (40, 40, 150, 255))  # red face
    circle(d * 0.43, (30, 30, 110, 255), max(2, d // 60))
    for k in range(5):  # bolts
        a = 2 * np.pi * k / 5
        p = (int((c + 0.28 * d * np.cos(a)) * 16), int((c + 0.28 * d * np.sin(a)) * 16))
        cv2.circle(img, p, int(d * 0.025 * 16), (200, 200, 200, 255), -1, cv2.LINE_AA, sh)
    font_scale = d / 260
    cv2.putText(img, "20 KG", (int(c - d * 0.16), int(c - d * 0.17)), cv2.FONT_HERSHEY_DUPLEX,
                font_scale, (235, 235, 235, 255), max(1, d // 120), cv2.LINE_AA)
    cv2.putText(img, "LIFT", (int(c - d * 0.12), int(c + d * 0.26)), cv2.FONT_HERSHEY_DUPLEX,
                font_scale, (235, 235, 235, 255), max(1, d // 120), cv2.LINE_AA)
    circle(d * 0.12, (60, 60, 60, 255))  # hub
    circle(d * 0.075, (175, 180, 185, 255))  # bar sleeve end
    circle(d * 0.075, (90, 90, 95, 255), max(1, d // 100))
    return img


def marker_plate_sprite(d: int, marker_r: float = 4.5) -> np.ndarray:
    """A BGRA dark rubber plate of diameter ``d`` px, as plates often look in small phone
    clips: a faint raised ring on its face, grey lettering, and a small red round marker
    of radius ``marker_r`` px stuck on its centre (what a user clicks to follow)."""
    img, c, circle = _sprite_canvas(d)
    circle(d / 2, (34, 32, 36, 255))
    circle(d * 0.40, (48, 46, 50, 255), max(1, d // 40))
    cv2.putText(img, "20", (int(c - d * 0.2), int(c + d * 0.3)), cv2.FONT_HERSHEY_SIMPLEX,
                d / 150, (120, 120, 120, 255), 1, cv2.LINE_AA)
    cv2.putText(img, "KG", (int(c + d * 0.05), int(c - d * 0.15)), cv2.FONT_HERSHEY_SIMPLEX,
                d / 200, (90, 90, 90, 255), 1, cv2.LINE_AA)
    circle(marker_r, (40, 40, 170, 255))
    return img


def _composite(bg: np.ndarray, sprite: np.ndarray, cx: float, cy: float, angle: float) -> None:
    """Warp ``sprite`` (centre at its middle) to (cx, cy), rotated by ``angle`` degrees."""
    s = sprite.shape[0]
    m = cv2.getRotationMatrix2D(((s - 1) / 2, (s - 1) / 2), angle, 1.0)
    m[0, 2] += cx - (s - 1) / 2
    m[1, 2] += cy - (s - 1) / 2
    h, w = bg.shape[:2]
    x0, y0 = max(int(cx - s), 0), max(int(cy - s), 0)
    x1, y1 = min(int(cx + s) + 1, w), min(int(cy + s) + 1, h)
    if x1 <= x0 or y1 <= y0:
        return
    m[0, 2] -= x0
    m[1, 2] -= y0
    warped = cv2.warpAffine(sprite, m, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0, 0))
    alpha = warped[..., 3:4].astype(np.float32) / 255.0
    roi = bg[y0:y1, x0:x1].astype(np.float32)
    bg[y0:y1, x0:x1] = (roi * (1 - alpha) + warped[..., :3] * alpha).astype(np.uint8)


def render_clip(path: str | os.PathLike[str], times: np.ndarray, x: np.ndarray, y: np.ndarray, *,
                size: tuple[int, int] = (640, 360), plate_diameter_px: float = 120.0,
                fps: float = 30.0, crf: int = 20, blur_subframes: int = 1, noise: float = 2.0,
                spin_deg_per_px: float = 0.15, rotation: int = 0, seed: int = 0,
                gop: int = 60, sprite: np.ndarray | None = None,
                props: Sequence[tuple[np.ndarray, float, float]] = (),
                shutter: float = 0.5) -> None:
    """Write a clip of a plate whose centre is at ``(x[n], y[n])`` px at ``times[n]`` s.

    ``size`` and positions are in the displayed orientation; with ``rotation`` the
    pictures are stored turned and the file says how to show them upright. ``sprite``:
    the plate's look (BGRA, square, centre at its middle; e.g.
    :func:`marker_plate_sprite`), default :func:`plate_sprite` of the diameter.
    ``props``: still things in the scene, behind the plate, each a BGRA sprite (centre at
    its middle) and where its centre is (px), e.g. another bar's end on the floor.
    ``shutter``: the share of the frame interval the shutter stays open (0.5: a 180-degree
    shutter), over which ``blur_subframes`` renders are averaged.
    """
    rng = np.random.default_rng(seed)
    w, h = size
    bg = _background(w, h, rng)
    for look, px, py in props:
        _composite(bg, look, px, py, 0.0)
    if sprite is None:
        sprite = plate_sprite(int(round(plate_diameter_px)))
    cw, ch = (h, w) if rotation in (90, 270) else (w, h)
    undo = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180,
            270: cv2.ROTATE_90_CLOCKWISE}.get(rotation)
    times = np.asarray(times, float)
    frame_dt = np.diff(times, append=times[-1] + (times[-1] - times[-2] if len(times) > 1 else 1 / fps))
    with ClipWriter(path, cw, ch, fps=fps, crf=crf, gop=gop, bframes=2, rotation=rotation) as wr:
        for n, t in enumerate(times):
            acc = np.zeros((h, w, 3), np.float32)
            k = max(1, blur_subframes)
            for j in range(k):
                # sub-frame positions across the open shutter (half the frame interval: a
                # 180° shutter)
                f = (j / (k - 1) - 0.5) * shutter if k > 1 else 0.0
                tj = t + f * frame_dt[n]
                px = float(np.interp(tj, times, x))
                py = float(np.interp(tj, times, y))
                frame = bg.copy()
                _composite(frame, sprite, px, py, spin_deg_per_px * (py - y[0]))
                acc += frame
            img = acc / k
            if noise > 0:
                img += rng.normal(0, noise, img.shape)
            img = np.clip(img, 0, 255).astype(np.uint8)
            if undo is not None:
                img = cv2.rotate(img, undo)
            wr.write(img, float(t))


def make_lift_clip(path: str | os.PathLike[str], script: LiftScript, *, fps: float = 30.0,
                   times: np.ndarray | None = None, size: tuple[int, int] = (640, 360),
                   px_per_m: float = 300.0, **render) -> ClipTruth:
    """Render ``script`` and return the exact truth (positions in displayed pixels)."""
    if times is None:
        times = np.arange(0, duration(script), 1 / fps)
    times = np.round(np.asarray(times) / float(TIME_BASE)) * float(TIME_BASE)
    xm, ym, truths = sample(script, times)
    w, h = size
    d_px = PLATE_DIAMETER_M * px_per_m
    x0 = w * 0.5
    y_low = h - 0.55 * d_px  # the lowest plate centre
    x = x0 + xm * px_per_m
    y = y_low - ym * px_per_m
    render_clip(path, times, x, y, size=size, plate_diameter_px=d_px, fps=fps, **render)
    return ClipTruth(times - times[0], x, y, 1.0 / px_per_m, d_px, truths)


def _composite_u8(bg: np.ndarray, sprite: np.ndarray, alpha: np.ndarray, cx: float, cy: float,
                  angle: float) -> None:
    """:func:`_composite` in 8-bit integer arithmetic (``alpha``: the sprite's alpha, 0..255)."""
    s = sprite.shape[0]
    m = cv2.getRotationMatrix2D(((s - 1) / 2, (s - 1) / 2), angle, 1.0)
    h, w = bg.shape[:2]
    x0, y0 = max(int(cx - s), 0), max(int(cy - s), 0)
    x1, y1 = min(int(cx + s) + 1, w), min(int(cy + s) + 1, h)
    if x1 <= x0 or y1 <= y0:
        return
    m[0, 2] += cx - (s - 1) / 2 - x0
    m[1, 2] += cy - (s - 1) / 2 - y0
    size = (x1 - x0, y1 - y0)
    warped = cv2.warpAffine(sprite, m, size, flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    a = cv2.warpAffine(alpha, m, size, flags=cv2.INTER_LINEAR,
                       borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    a3 = cv2.merge([a, a, a])
    roi = bg[y0:y1, x0:x1]
    # roi * (1 - a) + warped * a, rounded, in 8 bits
    inv = cv2.bitwise_not(a3)
    bg[y0:y1, x0:x1] = cv2.add(cv2.multiply(roi, inv, scale=1 / 255),
                               cv2.multiply(warped, a3, scale=1 / 255))


def render_clip_fast(path: str | os.PathLike[str], times: np.ndarray, x: np.ndarray,
                     y: np.ndarray, *, size: tuple[int, int] = (640, 360),
                     plate_diameter_px: float = 120.0, fps: float = 30.0, crf: int = 23,
                     noise: float = 2.0, spin_deg_per_px: float = 0.15, seed: int = 0,
                     gop: int = 60, preset: str = "ultrafast",
                     progress: Callable[[int, int], None] | None = None) -> None:
    """:func:`render_clip` for the first-run demo, several times faster.

    No motion blur or rotation; sensor noise comes from a bank of 8 precomputed
    frames added in 8 bits, and x264 runs with a faster ``preset`` (still with
    B-frames and long keyframe groups, like phone footage).
    ``progress(done, total)`` is called every few frames (from this thread).
    """
    rng = np.random.default_rng(seed)
    w, h = size
    bg = _background(w, h, rng)
    rgba = plate_sprite(round(plate_diameter_px))
    sprite = np.ascontiguousarray(rgba[..., :3])
    alpha = np.ascontiguousarray(rgba[..., 3])
    bank = []
    for _ in range(8 if noise > 0 else 0):
        n = np.clip(rng.normal(0, noise, (h, w, 3)), -127, 127).round()
        bank.append((np.maximum(n, 0).astype(np.uint8), np.maximum(-n, 0).astype(np.uint8)))
    times = np.asarray(times, float)
    total = len(times)
    with ClipWriter(path, w, h, fps=fps, crf=crf, gop=gop, bframes=2, preset=preset) as wr:
        for k, t in enumerate(times):
            frame = bg.copy()
            _composite_u8(frame, sprite, alpha, float(x[k]), float(y[k]),
                          spin_deg_per_px * (float(y[k]) - float(y[0])))
            if bank:
                plus, minus = bank[int(rng.integers(len(bank)))]
                frame = cv2.subtract(cv2.add(frame, plus), minus)
            wr.write(frame, float(t))
            if progress is not None and (k % 10 == 0 or k == total - 1):
                progress(k + 1, total)


def make_demo_clip(path: str | os.PathLike[str],
                   progress: Callable[[int, int], None] | None = None) -> ClipTruth:
    """The clip LiftLens opens on first start: five squat reps, 854x480, 30 fps.

    Rendered with :func:`render_clip_fast` (a few seconds on a new machine);
    ``progress(done, total)`` reports frames written.
    """
    script = demo_script()
    fps, (w, h), px_per_m = 30.0, (854, 480), 346.0
    times = np.round(np.arange(0, duration(script), 1 / fps) / float(TIME_BASE)) * float(TIME_BASE)
    xm, ym, truths = sample(script, times)
    d_px = PLATE_DIAMETER_M * px_per_m
    x = w * 0.5 + xm * px_per_m
    y = h - 0.55 * d_px - ym * px_per_m
    render_clip_fast(path, times, x, y, size=(w, h), plate_diameter_px=d_px, fps=fps, crf=23,
                     noise=2.0, seed=11, progress=progress)
    return ClipTruth(times - times[0], x, y, 1.0 / px_per_m, d_px, truths)
