"""Sub-pixel centre of a circular target (bar-sleeve end, plate hub or rim).

Edges are found along rays from the estimated centre (the strongest intensity
step at the expected radius), and a circle is fitted to them with outliers
removed (or an ellipse: a plate's rim filmed a little off its axis). Unlike a
template, the fit does not drift and does not care that the plate rotates
around the bar.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

RAYS = 72
_THETA = np.linspace(0, 2 * np.pi, RAYS, endpoint=False, dtype=np.float32)
_COS, _SIN = np.cos(_THETA), np.sin(_THETA)
_ROWS = np.arange(RAYS)
_AROUND = np.array([-1, 0, 1])[:, None]
_SUM = np.add.reduce  # ndarray.sum without its Python-level wrapper


@dataclass(frozen=True)
class CircleFit:
    x: float
    y: float
    r: float
    rms: float  # px, residual of the edge points
    inliers: float  # share of rays that found the edge


def fit_circle_points(pts: np.ndarray) -> tuple[float, float, float]:
    """Algebraic (Kasa) least-squares circle through points (N, 2).

    Solved through its 3x3 normal equations in coordinates relative to the points'
    mean (well conditioned, and cheap enough to run several times per frame).
    """
    return _fit_xy(pts[:, 0], pts[:, 1])


def _fit_xy(xs: np.ndarray, ys: np.ndarray) -> tuple[float, float, float]:
    """:func:`fit_circle_points` on the points' x and y (N,) each."""
    n = len(xs)
    mx, my = float(_SUM(xs)) / n, float(_SUM(ys)) / n
    u = xs - mx
    v = ys - my
    uu, vv, uv = float(u @ u), float(v @ v), float(u @ v)
    w = u * u + v * v
    bu, bv = 0.5 * float(u @ w), 0.5 * float(v @ w)
    det = uu * vv - uv * uv
    if abs(det) < 1e-12:
        cu = cv = 0.0
    else:  # Cramer's rule on the 2x2 system
        cu = (bu * vv - bv * uv) / det
        cv = (uu * bv - uv * bu) / det
    r2 = cu * cu + cv * cv + (uu + vv) / n
    return cu + mx, cv + my, math.sqrt(max(r2, 0.0))


def refine_centre(gray: np.ndarray, centre: tuple[float, float], radius: float,
                  polarity: int = 0, band: tuple[float, float] = (0.55, 1.5),
                  step_px: float = 0.5) -> CircleFit | None:
    """Fit the circle of about ``radius`` px around ``centre``.

    ``polarity`` +1 when the disk is brighter than its surround, -1 when darker,
    0 for either. ``band``: the edge is looked for between these multiples of
    ``radius`` along each ray, sampled every ``step_px`` px (the edge is placed between
    samples by a parabola through the derivative's peak). Returns None when no
    consistent circle is found.
    """
    edges = _edges(gray, centre, radius, polarity, band, step_px)
    if edges is None:
        return None
    xs, ys = edges
    cx, cy = centre
    fx, fy, fr = _fit_xy(xs, ys)
    res = np.hypot(xs - fx, ys - fy) - fr
    for _ in range(3):
        ares = np.abs(res)
        keep = ares <= max(1.0, 2.5 * _median(ares))
        kept = int(_SUM(keep))
        if kept == len(keep) or kept < RAYS * 0.35:
            break
        xs, ys = xs[keep], ys[keep]
        fx, fy, fr = _fit_xy(xs, ys)
        res = np.hypot(xs - fx, ys - fy) - fr
    fit = CircleFit(fx, fy, fr, math.sqrt(float(res @ res) / len(res)), len(xs) / RAYS)
    if not 0.7 * radius <= fr <= 1.35 * radius or fit.inliers < 0.4:
        return None
    if np.hypot(fx - cx, fy - cy) > 0.5 * radius:
        return None
    return fit


def refine_ellipse_centre(gray: np.ndarray, centre: tuple[float, float], radius: float,
                          polarity: int = 0, band: tuple[float, float] = (0.55, 1.5),
                          step_px: float = 0.5, min_ratio: float = 0.6) -> CircleFit | None:
    """The centre of an ellipse of about ``radius`` px around ``centre``: a circle seen
    obliquely (a plate filmed off its axis). Same edges as :func:`refine_centre`, fitted
    with ``cv2.fitEllipseAMS`` (Taubin-like approximate mean square, Taubin 1991) with
    outliers removed. Returns a :class:`CircleFit` whose ``r`` is the geometric mean of the
    half-axes and whose ``rms`` is the edges' distance to the ellipse (px, approximated
    radially); None without a consistent ellipse or when its minor/major axis ratio is
    below ``min_ratio``."""
    pts = edge_points(gray, centre, radius, polarity, band, step_px)
    if pts is None or len(pts) < 8:
        return None
    cx, cy = centre
    res = None
    for _ in range(4):
        (ex, ey), (d1, d2), ang = cv2.fitEllipseAMS(pts.astype(np.float32))
        a, b = 0.5 * max(d1, d2), 0.5 * min(d1, d2)
        if not (np.isfinite(ex) and np.isfinite(ey)) or b <= 0 or b < min_ratio * a:
            return None
        res = _ellipse_residual(pts, ex, ey, 0.5 * d1, 0.5 * d2, ang)
        ares = np.abs(res)
        keep = ares <= max(1.0, 2.5 * _median(ares))
        if keep.all() or keep.sum() < RAYS * 0.35:
            break
        pts = pts[keep]
    assert res is not None
    r = float(np.sqrt(a * b))
    fit = CircleFit(float(ex), float(ey), r, float(np.sqrt(np.mean(res ** 2))), len(pts) / RAYS)
    if not 0.7 * radius <= r <= 1.35 * radius or fit.inliers < 0.4:
        return None
    if np.hypot(ex - cx, ey - cy) > 0.5 * radius:
        return None
    return fit


def _ellipse_residual(pts: np.ndarray, ex: float, ey: float, a: float, b: float,
                      angle_deg: float) -> np.ndarray:
    """Signed distance of points to an ellipse (px), approximated along the ray from its
    centre (exact for a circle; within a few % for the axis ratios accepted)."""
    t = np.radians(angle_deg)
    dx, dy = pts[:, 0] - ex, pts[:, 1] - ey
    u = dx * np.cos(t) + dy * np.sin(t)
    v = -dx * np.sin(t) + dy * np.cos(t)
    rho = np.hypot(u, v)
    k = np.sqrt((u / a) ** 2 + (v / b) ** 2)
    return rho - rho / np.maximum(k, 1e-9)


def edge_points(gray: np.ndarray, centre: tuple[float, float], radius: float,
                polarity: int = 0, band: tuple[float, float] = (0.55, 1.5),
                step_px: float = 0.5) -> np.ndarray | None:
    """The strongest edge of the given polarity on each of ``RAYS`` rays from ``centre``,
    between ``band`` multiples of ``radius`` (sub-pixel), as points (N, 2); None when
    fewer than 40 % of the rays see one."""
    edges = _edges(gray, centre, radius, polarity, band, step_px)
    return None if edges is None else np.column_stack(edges)


def _edges(gray: np.ndarray, centre: tuple[float, float], radius: float, polarity: int,
           band: tuple[float, float], step_px: float) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`edge_points` as x and y (N,) each (float32; few array operations: this runs
    on every frame of a plate)."""
    cx, cy = centre
    r_lo, r_hi = band[0] * radius, band[1] * radius
    steps = max(int((r_hi - r_lo) / step_px), 8)
    rs = _radii(r_lo, r_hi, steps)
    map_x = _COS[:, None] * rs
    map_x += np.float32(cx)
    map_y = _SIN[:, None] * rs
    map_y += np.float32(cy)
    prof = cv2.remap(gray, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    prof = cv2.GaussianBlur(prof.astype(np.float32), (1, 5), 0)
    # outward derivative, signed so that the edge looked for is a maximum
    if polarity > 0:
        score = prof[:, :-1] - prof[:, 1:]
    elif polarity < 0:
        score = prof[:, 1:] - prof[:, :-1]
    else:
        score = np.abs(prof[:, 1:] - prof[:, :-1])
    width = score.shape[1]
    k = score.argmax(axis=1)
    # each ray's peak with its neighbours (a peak at either end of its ray is not taken:
    # the neighbour read there belongs to the next ray, or is clipped)
    at = _row_starts(width) + k
    abc = score.take(at + _AROUND, mode="clip")  # (3, RAYS)
    strength = abc[1]
    ok = (k > 0) & (k < width - 1) & (strength > max(4.0, 0.35 * _median(strength)))
    rows = ok.nonzero()[0]
    if len(rows) < RAYS * 0.4:
        return None
    # sub-pixel peak along each ray
    kk = k[rows]
    a, b, c = abc[:, rows]
    denom = a - 2 * b + c  # <= 0: b is the largest of the three
    off = np.divide(0.5 * (a - c), denom, out=np.zeros_like(denom), where=denom < -1e-9)
    r_edge = rs[kk] + (off.clip(-0.5, 0.5) + 0.5) * (rs[1] - rs[0])  # between samples
    return cx + _COS[rows] * r_edge, cy + _SIN[rows] * r_edge


_ARANGE: dict[int, np.ndarray] = {}
_ROW_STARTS: dict[int, np.ndarray] = {}


def _row_starts(width: int) -> np.ndarray:
    """Index of each ray's first profile sample in a (RAYS, ``width``) array, flattened."""
    starts = _ROW_STARTS.get(width)
    if starts is None:
        starts = _ROW_STARTS[width] = _ROWS * width
    return starts


def _radii(r_lo: float, r_hi: float, steps: int) -> np.ndarray:
    """``np.linspace(r_lo, r_hi, steps, dtype=np.float32)`` (the same values) without its
    overhead, which counts at this size (it runs for every circle fitted)."""
    a = _ARANGE.get(steps)
    if a is None:
        a = _ARANGE[steps] = np.arange(steps, dtype=np.float64)
    y = a * ((r_hi - r_lo) / (steps - 1))
    y += r_lo
    y[-1] = r_hi
    return y.astype(np.float32)


def _median(a: np.ndarray) -> float:
    """Median of a small 1-D array (np.median's overhead dominates at this size)."""
    k = len(a) // 2
    part = a.copy()
    part.sort()
    return float(part[k]) if len(a) % 2 else 0.5 * float(part[k] + part[k - 1])


def find_circle_at(gray: np.ndarray, point: tuple[float, float], max_radius: float
                   ) -> CircleFit | None:
    """The smallest clear circle that contains ``point`` near its centre (at the seed click).

    Tries radii from small to large and returns the first good fit whose centre lies
    within half a radius of the point: a click on a bar end finds the sleeve end, a
    click on a bare plate centre finds the hub. The fit is refitted from its own centre
    and both must be good (clear of ``rms < max(0.8, 0.06 r)``, more than half the rays):
    a loose ring of edges fits well from one start and badly from the next (on the
    360x480 real squat clip, a click 2 px off a plate's marker found such a ring whose
    refit had 3 px rms), and its centre would then jump between frames.
    """
    r = 6.0
    while r <= max_radius:
        for pol in (1, -1):
            fit = refine_centre(gray, point, r, pol)
            if _clear(fit):
                fit2 = refine_centre(gray, (fit.x, fit.y), fit.r, pol)
                if _clear(fit2):
                    return CircleFit(fit2.x, fit2.y, fit2.r, fit2.rms, fit2.inliers)
        r *= 1.25
    return None


def _clear(fit: CircleFit | None) -> bool:
    return fit is not None and fit.rms < max(0.8, 0.06 * fit.r) and fit.inliers > 0.5


def steady_centre(gray: np.ndarray, c: CircleFit, pol: int) -> CircleFit:
    """The circle at the click, refitted from a 5x5 grid of starting points within a
    tenth of its radius and the median centre kept: a single fit of a real sleeve end
    (grooves, highlights) depends on where it starts by up to half a pixel, and every
    frame's position carries the seed's error through the click's offset from it."""
    fits = [refine_centre(gray, (c.x + dx, c.y + dy), c.r, pol)
            for dx in _GRID * c.r for dy in _GRID * c.r]
    ok = [f for f in fits if f is not None]
    if len(ok) < 13:
        return c
    return CircleFit(float(np.median([f.x for f in ok])), float(np.median([f.y for f in ok])),
                     float(np.median([f.r for f in ok])), c.rms, c.inliers)


_GRID = np.linspace(-0.1, 0.1, 5)


# a round marker (a sticker, a painted dot) at a click: its radii tried, and the click may
# lie this far (px) beyond its edge (the user aimed at it and missed by a few pixels)
_MARKER_RADII = (3.0, 4.0, 5.5, 7.5, 10.0, 13.5, 18.0, 24.0)
MARKER_MISS_PX = 2.0
# and its edge seen on this share of the rays at least (the round marker on the real squat
# clip: 0.8-0.9; a light spot in a square fiducial's pattern fits a circle as closely, but
# on 0.65 of them)
MARKER_INLIERS = 0.7
# and round within this share of its radius (rms): the marker there 0.070-0.077 from any
# click within 3 px; small ring-like bits of a 720x1280 sleeve end's texture 0.09-0.12
MARKER_RMS = 0.085
_STARTS = [(0.0, 0.0)] + [(3.0 * np.cos(a), 3.0 * np.sin(a))
                          for a in np.linspace(0, 2 * np.pi, 8, endpoint=False)]


def marker_near(gray: np.ndarray, xy: tuple[float, float], max_radius: float
                ) -> CircleFit | None:
    """A small clear circle (radius 3 px to ``max_radius``; edge on ``MARKER_INLIERS`` of
    the rays, rms within ``MARKER_RMS`` of the radius) with the click ``xy`` on it or
    within ``MARKER_MISS_PX`` of its edge: a round marker the user aimed at; None without.

    Looked for from the click and from 8 points 3 px around it (a fit started off a small
    circle's centre by more than about half its radius misses it), each fit refitted from
    its own centre; of the circles found, the one seen on most rays and roundest (the
    least rms per radius, less the share of rays) is returned, at its
    :func:`steady_centre`. So every click on or just beside the same marker gets
    the same centre: on the 360x480 real squat clip, clicks 1-3 px off the plate's red
    marker found its circle from some pixels and a loose ring of edges around the plate
    from others, and the tracks drifted apart by up to 20 px."""
    best: tuple[float, CircleFit, int] | None = None
    for r in _MARKER_RADII:
        if r > max_radius:
            break
        for dx, dy in _STARTS:
            for pol in (1, -1):
                fit = refine_centre(gray, (xy[0] + dx, xy[1] + dy), r, pol)
                if not _clear(fit):
                    continue
                fit = refine_centre(gray, (fit.x, fit.y), fit.r, pol)
                if not _clear(fit) or fit.inliers < MARKER_INLIERS or \
                        fit.rms > MARKER_RMS * fit.r or \
                        not 3.0 <= fit.r <= max_radius or \
                        np.hypot(fit.x - xy[0], fit.y - xy[1]) > fit.r + MARKER_MISS_PX:
                    continue
                key = fit.rms / fit.r - fit.inliers  # most of its edge seen, and round
                if best is None or key < best[0]:
                    best = (key, fit, pol)
    if best is None:
        return None
    return steady_centre(gray, best[1], best[2])
