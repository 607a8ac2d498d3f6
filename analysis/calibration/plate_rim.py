"""Find the plate's outer rim around a tracked bar end, over many frames.

Real gym footage is full of circles: other plates on the rack, the hub and the
lettering rings of the plate itself, mirrors, lamps. Three cues pick the rim:

* candidates are circles (Hough gradient, the accurate variant) whose centre is
  close to the tracked point, since the plate is concentric with the bar;
* each candidate, as an offset and radius relative to the tracked point, is scored
  on every sampled frame by how much of its circumference shows a strong radial
  edge. The rim moves with the bar and keeps its score; background circles do not;
* the circle with the most support over all frames wins. Radii below 6 % of the
  picture's short side are not considered (the sleeve end and the hub are
  concentric with the plate but much smaller). The app shows the result to the
  lifter, who can draw the plate instead when the measurement is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

ANGLES = 96
_TH = np.linspace(0, 2 * np.pi, ANGLES, endpoint=False)
_COS, _SIN = np.cos(_TH).astype(np.float32), np.sin(_TH).astype(np.float32)
EDGE = 6.0  # grey levels per px: weaker radial steps are not counted as rim
MIN_SUPPORT = 0.3  # a rim seen on less of its circumference is not trusted


@dataclass(frozen=True)
class Rim:
    """A plate rim relative to the tracked point: centre offset and radius (px)."""

    dx: float
    dy: float
    r: float
    support: float  # mean share of the circumference with a rim edge, 0..1


def candidates(gray: np.ndarray, point: tuple[float, float], r_min: float, r_max: float
               ) -> list[tuple[float, float, float]]:
    """Circles of radius ``r_min..r_max`` whose centre is near ``point``, as (dx, dy, r)."""
    h, w = gray.shape
    px, py = point
    half = int(r_max * 1.15) + 4
    x0, y0 = max(0, int(px) - half), max(0, int(py) - half)
    x1, y1 = min(w, int(px) + half), min(h, int(py) + half)
    roi = gray[y0:y1, x0:x1]
    if min(roi.shape) < 2 * r_min:
        return []
    # proposals only: search a copy small enough that the largest radius is ~100 px
    scale = min(1.0, 100.0 / r_max)
    if scale < 1.0:
        roi = cv2.resize(roi, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    blur = cv2.GaussianBlur(roi, (0, 0), 1.0)
    found = cv2.HoughCircles(blur, cv2.HOUGH_GRADIENT_ALT, dp=1.5, minDist=2, param1=100,
                             param2=0.6, minRadius=max(3, int(r_min * scale)),
                             maxRadius=int(r_max * scale) + 1)
    out = []
    if found is not None:
        for cx, cy, r in found[0]:
            cx, cy, r = cx / scale, cy / scale, r / scale
            dx, dy = float(cx) + x0 - px, float(cy) + y0 - py
            if np.hypot(dx, dy) <= 0.35 * r + 3:
                out.append((dx, dy, float(r)))
    return out


def gradients(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sobel gradients (grey levels per px) of a lightly smoothed picture."""
    g = cv2.GaussianBlur(gray, (0, 0), 1.0).astype(np.float32)
    return (cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3) / 8.0,
            cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3) / 8.0)


def support(grad: tuple[np.ndarray, np.ndarray], cx: float, cy: float, r: float) -> float:
    """Share of the circle's circumference that shows a rim edge near radius ``r``.

    An angle counts when, within a thin band around the radius, the picture has a
    strong intensity step whose direction is radial (within ~22 degrees): the edge of
    a circle centred here, not a line of clutter crossing it.
    """
    gx, gy = grad
    band = max(2.0, 0.05 * r)
    rs = np.linspace(r - band, r + band, max(5, int(2 * band) + 1), dtype=np.float32)
    mx = _COS[:, None] * rs + np.float32(cx)
    my = _SIN[:, None] * rs + np.float32(cy)
    sx = cv2.remap(gx, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    sy = cv2.remap(gy, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    radial = np.abs(sx * _COS[:, None] + sy * _SIN[:, None])
    tangential = np.abs(sy * _COS[:, None] - sx * _SIN[:, None])
    edge = (radial >= EDGE) & (radial >= 2.5 * tangential)
    return float(edge.any(axis=1).mean())


def _dedupe(cands: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    out: list[tuple[float, float, float]] = []
    for c in sorted(cands, key=lambda c: c[2]):
        if not any(abs(c[2] - o[2]) < 0.03 * c[2] and np.hypot(c[0] - o[0], c[1] - o[1])
                   < 0.03 * c[2] for o in out):
            out.append(c)
    return out


def find_rim(views: Sequence[tuple[np.ndarray, tuple[float, float]]], r_min: float,
             r_max: float, propose: int = 8) -> Rim | None:
    """The plate rim around the tracked point over ``views`` (gray frame, tracked point).

    Candidates come from up to ``propose`` of the views; every candidate is scored on
    all views. Returns None when no circle keeps a rim edge on at least half of its
    circumference.
    """
    if not views:
        return None
    pick = np.unique(np.linspace(0, len(views) - 1, min(propose, len(views))).astype(int))
    cands = _dedupe([c for i in pick for c in candidates(views[i][0], views[i][1], r_min, r_max)])
    if not cands:
        return None
    grads = [gradients(g) for g, _ in views]
    scored = []
    for dx, dy, r in cands:
        s = float(np.mean([support(gr, p[0] + dx, p[1] + dy, r)
                           for gr, (_, p) in zip(grads, views, strict=True)]))
        scored.append(Rim(dx, dy, r, s))
    best = max(scored, key=lambda s: s.support)
    return best if best.support >= MIN_SUPPORT else None


def rim_points(gray: np.ndarray, cx: float, cy: float, r: float | np.ndarray, band: float = 0.1
               ) -> np.ndarray:
    """Sub-pixel rim edge points near the curve of radius ``r`` around (cx, cy): the
    strongest radial step within ``band`` (a share of the radius) on each of the
    :data:`ANGLES` rays that has one. ``r`` is one radius or one per ray (an ellipse)."""
    radius = np.broadcast_to(np.asarray(r, np.float32), (ANGLES,))
    steps = max(9, int(4 * band * float(radius.max())))
    frac = np.linspace(1 - band, 1 + band, steps, dtype=np.float32)
    rs = radius[:, None] * frac[None, :]
    mx = _COS[:, None] * rs + np.float32(cx)
    my = _SIN[:, None] * rs + np.float32(cy)
    prof = cv2.remap(gray, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    prof = cv2.GaussianBlur(prof.astype(np.float32), (1, 3), 0)
    step = (rs[:, 1] - rs[:, 0])[:, None]
    d = np.abs(np.diff(prof, axis=1)) / step
    h, w = gray.shape[:2]
    inside = (mx >= 1) & (mx <= w - 2) & (my >= 1) & (my <= h - 2)
    d[~(inside[:, 1:] & inside[:, :-1])] = 0  # the picture's border is not a rim
    k = np.argmax(d, axis=1)
    rows = np.flatnonzero((d[np.arange(ANGLES), k] >= EDGE) & (k > 0) & (k < d.shape[1] - 1))
    if len(rows) == 0:
        return np.zeros((0, 2))
    kk = k[rows]
    a, b, c = d[rows, kk - 1], d[rows, kk], d[rows, kk + 1]
    den = a - 2 * b + c
    off = np.where(np.abs(den) > 1e-9, 0.5 * (a - c) / den, 0.0).clip(-0.5, 0.5)
    rr = rs[rows, kk] + (off + 0.5) * step[rows, 0]
    return np.column_stack([cx + _COS[rows] * rr, cy + _SIN[rows] * rr]).astype(np.float64)


def ellipse_radii(axes: tuple[float, float], angle_deg: float) -> np.ndarray:
    """Distance from an ellipse's centre to the ellipse along each of the :data:`ANGLES` rays
    (``axes`` and ``angle_deg`` as :func:`cv2.fitEllipse` gives them)."""
    a, b = max(axes[0], 1e-6) / 2, max(axes[1], 1e-6) / 2
    t = _TH - np.deg2rad(angle_deg)
    return (1.0 / np.sqrt((np.cos(t) / a) ** 2 + (np.sin(t) / b) ** 2)).astype(np.float32)
