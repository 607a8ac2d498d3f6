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


def candidates(gray: np.ndarray, point: tuple[float, float], r_min: float, r_max: float,
               reach: float = 0.35) -> list[tuple[float, float, float]]:
    """Circles of radius ``r_min..r_max`` whose centre lies within ``reach`` of the radius
    (plus 3 px) of ``point``, as (dx, dy, r)."""
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
            if np.hypot(dx, dy) <= reach * r + 3:
                out.append((dx, dy, float(r)))
    return out


def gradients(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sobel gradients (grey levels per px) of a lightly smoothed picture."""
    g = cv2.GaussianBlur(gray, (0, 0), 1.0).astype(np.float32)
    return (cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3) / 8.0,
            cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3) / 8.0)


#: Pixels beyond the samples of :func:`support` whose gradients :func:`gradients_near`
#: computes: a gradient depends on the pixels up to 4 away (the blur's 3, the Sobel's 1),
#: and a sample reads the pixel after it (bilinear), so 8 leaves room to spare.
NEAR_MARGIN = 8


def gradients_near(gray: np.ndarray, circles: Sequence[tuple[float, float, float]]
                   ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`gradients` of ``gray`` where :func:`support` samples the circles ``(x, y, r)``
    (px) or any smaller concentric one, with the very same values there, and zero
    elsewhere: the gradients of the region around the circles only. A click's plate
    search on a 1080p frame, whose circles covered 7 % of it, spent 19 ms of its 44 ms
    on the whole frame's gradients. The whole frame's when the circles cover most of it.
    """
    h, w = gray.shape
    if not len(circles):
        return gradients(gray)
    c = np.asarray(circles, float)
    reach = c[:, 2] + np.maximum(2.0, 0.05 * c[:, 2])  # support's band beyond the radius
    x0 = max(0, int(np.floor(np.min(c[:, 0] - reach))) - NEAR_MARGIN)
    x1 = min(w, int(np.ceil(np.max(c[:, 0] + reach))) + NEAR_MARGIN + 1)
    y0 = max(0, int(np.floor(np.min(c[:, 1] - reach))) - NEAR_MARGIN)
    y1 = min(h, int(np.ceil(np.max(c[:, 1] + reach))) + NEAR_MARGIN + 1)
    if x1 <= x0 or y1 <= y0 or (x1 - x0) * (y1 - y0) > 0.5 * w * h:
        return gradients(gray)
    gx, gy = np.zeros((h, w), np.float32), np.zeros((h, w), np.float32)
    gx[y0:y1, x0:x1], gy[y0:y1, x0:x1] = gradients(gray[y0:y1, x0:x1])
    return gx, gy


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
             r_max: float, propose: int = 8, reach: float = 0.35) -> Rim | None:
    """The plate rim around the tracked point over ``views`` (gray frame, tracked point).

    Candidates (centres within ``reach`` of their radius of the tracked point, see
    :func:`candidates`) come from up to ``propose`` of the views; every candidate is scored
    on all views. Returns None when no circle keeps a rim edge on at least
    :data:`MIN_SUPPORT` of its circumference.
    """
    if not views:
        return None
    pick = np.unique(np.linspace(0, len(views) - 1, min(propose, len(views))).astype(int))
    cands = _dedupe([c for i in pick
                     for c in candidates(views[i][0], views[i][1], r_min, r_max, reach)])
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


# -- the outer rim over many frames ------------------------------------------------------
#
# The rim is measured, not guessed from the strongest circle: bumper plates show
# stronger circles *inside* the rim (a light inner ring, the inner edge of a coloured
# rim band, a lip, lettering, the steel hub). Three facts pick the outer rim:
#
# * the plate moves with the bar while the room does not: sampled around the tracked
#   point, the plate's own edges sit at the same place in every frame and the
#   background's do not, so the per-pixel median over frames far apart keeps the
#   plate's rings and blurs the room away;
# * every ring of the plate is an ellipse with the same centre, axis ratio and angle
#   (a circle when the camera is square to the bar); each candidate shape (axis
#   ratio and angle) turns the edges found on :data:`RAYS` rays into a histogram of
#   major-axis radii, where a ring seen on a good part of its circumference is a peak;
# * the rim is the OUTERMOST such ring. Its edge points are then fitted with an
#   ellipse on every frame on its own: the axis ratio comes from the rim itself, and
#   the spread over frames says how sure the diameter is.
#
# Edges are colour edges (the length of the BGR gradient): a blue rim band on a grey
# wall of the same brightness is a strong edge in colour and none in luma.

RAYS = 180
_RTH = np.linspace(0, 2 * np.pi, RAYS, endpoint=False)
RIM_EDGE = 4.0  # grey levels per px (BGR vector length) to count as an edge
RING_SUPPORT = 0.35  # share of the rays that must show a ring for it to count
_RATIOS = (1.0, 0.97, 0.94, 0.91, 0.88, 0.85, 0.82, 0.79, 0.76, 0.73, 0.70)
_ANGLES_DEG = tuple(range(0, 180, 12))
_BIN = 0.004  # width of a log-radius bin (0.4 %)
MAX_RINGS = 40  # candidate rings fitted, clearest first


@dataclass(frozen=True)
class RimFit:
    """The plate's outer rim on one frame: an ellipse in image pixels.

    ``major``/``minor`` are full axis lengths (px); ``angle`` is the major axis'
    direction in degrees from +x toward +y; ``points`` the rim points fitted.
    """

    frame: int
    cx: float
    cy: float
    major: float
    minor: float
    angle: float
    points: int

    @property
    def ratio(self) -> float:
        return self.minor / self.major if self.major > 0 else 0.0


def polar(image: np.ndarray, cx: float, cy: float, radii: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray]:
    """Sample ``image`` (H, W[, C], float32) on :data:`RAYS` rays from (cx, cy) at
    ``radii`` (px). Returns ``(samples (RAYS, len(radii)[, C]), inside (RAYS, len))``."""
    mx = (np.cos(_RTH)[:, None] * radii[None, :] + cx).astype(np.float32)
    my = (np.sin(_RTH)[:, None] * radii[None, :] + cy).astype(np.float32)
    h, w = image.shape[:2]
    inside = (mx >= 1) & (mx <= w - 2) & (my >= 1) & (my <= h - 2)
    samples = cv2.remap(image, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return samples, inside


def edge_points(samples: np.ndarray, inside: np.ndarray, radii: np.ndarray,
                threshold: float = RIM_EDGE, change: np.ndarray | None = None,
                calm: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Radial colour edges on every ray: ``(ray, radius px, strength)`` of each local
    maximum of the radial BGR gradient length above ``threshold`` (sub-pixel).

    ``change`` (RAYS, len(radii)), optional: how much each sample changes from frame
    to frame when the samples follow the plate. An edge of the plate has the plate,
    which follows, on its inner side: the 1.5-5 px just inside must change less than
    ``calm`` or less than half as much as the 1.5-5 px just outside. The room's edges
    have the moving room on both sides and are dropped.
    """
    step = float(radii[1] - radii[0])
    sigma = 1.0 / step  # 1 px along each ray, nothing across rays
    s = cv2.GaussianBlur(np.ascontiguousarray(samples, np.float32),
                         (2 * int(np.ceil(3 * sigma)) + 1, 1), sigma, sigmaY=0.0)
    if s.ndim < samples.ndim:
        s = s[..., None]
    d = np.diff(s, axis=1) / step
    g = np.sqrt((d * d).sum(axis=2)) if d.ndim == 3 else np.abs(d)
    g[~(inside[:, 1:] & inside[:, :-1])] = 0
    a, b, c = g[:, :-2], g[:, 1:-1], g[:, 2:]
    peak = (b > a) & (b >= c) & (b >= threshold)
    if change is not None:
        near, far = max(1, round(1.5 / step)), max(2, round(5.0 / step))
        n = change.shape[1]
        cs = np.pad(np.cumsum(change, axis=1), ((0, 0), (1, 0)))
        j = np.arange(1, g.shape[1] - 1)  # peak column -> edge between samples j and j + 1

        def window(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
            lo, hi = np.clip(lo, 0, n), np.clip(hi, 0, n)
            return (cs[:, hi] - cs[:, lo]) / np.maximum(hi - lo, 1)

        inner = window(j - far + 1, j - near + 2)
        outer = window(j + near, j + far + 1)
        peak &= (inner <= calm) | (inner <= 0.5 * outer)
    ray, k = np.nonzero(peak)
    a, b, c = a[ray, k], b[ray, k], c[ray, k]
    den = a - 2 * b + c
    off = np.where(np.abs(den) > 1e-9, 0.5 * (a - c) / den, 0.0).clip(-0.5, 0.5)
    r = radii[0] + (k + 1.5 + off) * step  # g[:, j] lies between radii j and j + 1
    return ray, r, b


def unit_radius(ratio: float, angle_deg: float) -> np.ndarray:
    """Radius along each ray of an ellipse with major semi-axis 1 (axis ratio, angle)."""
    t = _RTH - np.deg2rad(angle_deg)
    return 1.0 / np.sqrt(np.cos(t) ** 2 + (np.sin(t) / ratio) ** 2)


def _ring_support(ray: np.ndarray, r: np.ndarray, valid_rays: np.ndarray, ratio: float,
                  angle: float, lo: float, bins: int, tol: float) -> np.ndarray:
    """Share of the rays with an edge within ``tol`` (relative) of each major-axis
    radius bin, for the shape (ratio, angle)."""
    u = np.log(r / unit_radius(ratio, angle)[ray])
    b = np.floor((u - lo) / _BIN).astype(int)
    ok = (b >= 0) & (b < bins)
    present = np.zeros((RAYS, bins), bool)
    present[ray[ok], b[ok]] = True
    k = max(1, round(tol / _BIN))
    c = np.cumsum(np.pad(present, ((0, 0), (k + 1, k))), axis=1)
    near = (c[:, 2 * k + 1:] - c[:, :-(2 * k + 1)]) > 0
    return near[valid_rays].mean(axis=0) if valid_rays.any() else np.zeros(bins)


def _peaks(sup: np.ndarray, support_min: float) -> list[int]:
    """Bins where ``sup`` has a local maximum of at least ``support_min`` (a plateau
    counts once, at its middle)."""
    out, n, i = [], len(sup), 0
    while i < n:
        if sup[i] < support_min:
            i += 1
            continue
        j = i
        while j + 1 < n and abs(sup[j + 1] - sup[i]) < 1e-9:
            j += 1
        left = sup[i - 1] if i > 0 else -1.0
        right = sup[j + 1] if j + 1 < n else -1.0
        if sup[i] > left and sup[i] > right:
            out.append((i + j) // 2)
        i = j + 1
    return out


def ring_support(ray: np.ndarray, r: np.ndarray, expected: np.ndarray, tol: float,
                 samples: np.ndarray | None = None, radii: np.ndarray | None = None,
                 same: float = 30.0) -> float:
    """Share of the rays with an edge within ``tol`` (relative, at least 0.8 px) of the
    ``expected`` radius of each ray.

    With the polar ``samples`` (and their ``radii``), a ray counts only when the
    colour just inside its edge is within ``same`` (BGR distance) of the median
    colour inside the ring: a ring of a plate has one material on its inner side all
    around, while an ellipse that hops between two rings has two.
    """
    want = np.asarray(expected, float)[ray]
    near = np.abs(r - want) <= np.maximum(tol * want, 0.8)
    if not near.any():
        return 0.0
    rays, rr = ray[near], r[near]
    if samples is not None and radii is not None:
        step = float(radii[1] - radii[0])
        inner = rr - np.clip(0.015 * rr, 1.5, 3.0)
        k = np.clip(np.round((inner - radii[0]) / step).astype(int), 0, len(radii) - 1)
        colour = samples[rays, k].reshape(len(rays), -1).astype(np.float32)
        mid = np.median(colour, axis=0)
        rays = rays[np.sqrt(((colour - mid) ** 2).sum(axis=1)) <= same]
    return float(len(np.unique(rays)) / RAYS)


def outer_ring(ray: np.ndarray, r: np.ndarray, valid_rays: np.ndarray, r_min: float,
               r_max: float, tol: float = 0.015, support_min: float = RING_SUPPORT,
               samples: np.ndarray | None = None, radii: np.ndarray | None = None
               ) -> RimFit | None:
    """The outermost ring among the edges (polar coordinates around the plate's
    centre), fitted: a :class:`RimFit` (``points`` = rays that show it), or None.

    Every shape (axis ratio, angle) turns the edges into a histogram of major-axis
    radii; each peak seen on ``support_min`` of the rays is a candidate. A candidate
    is fitted with an ellipse, then counts only if the fitted ellipse itself has an
    edge within 0.6 % on ``support_min`` of the rays, with one colour just inside it
    (see :func:`ring_support`, given the polar ``samples``): an ellipse that hops
    between two close rings (a lip and the rim, seen obliquely) fits neither. The
    outermost ring that passes is the rim.
    """
    lo, hi = np.log(r_min), np.log(r_max)
    bins = int((hi - lo) / _BIN) + 1
    cands: list[tuple[float, int, float, float]] = []  # support, bin, ratio, angle
    for ratio in _RATIOS:
        for angle in (_ANGLES_DEG if ratio < 1.0 else (0,)):
            sup = _ring_support(ray, r, valid_rays, ratio, angle, lo, bins, tol)
            cands += [(float(sup[k]), k, ratio, float(angle)) for k in _peaks(sup, support_min)]
    cands.sort(key=lambda c: -c[0])
    width = int(2 * tol / _BIN)
    kept: list[tuple[float, int, float, float]] = []
    for c in cands:  # the clearest few of each ring and shape
        if not any(abs(c[1] - o[1]) <= width and abs(c[2] - o[2]) < 0.02
                   and (c[2] == 1.0 or abs((c[3] - o[3] + 90) % 180 - 90) < 13) for o in kept):
            kept.append(c)
        if len(kept) >= MAX_RINGS:
            break
    tried: list[np.ndarray] = []  # the expected radii of every candidate looked at
    rings: list[tuple[RimFit, float, np.ndarray]] = []
    for _sup, kb, shape_ratio, shape_angle in kept:
        guess = float(np.exp(lo + (kb + 0.5) * _BIN)) * unit_radius(shape_ratio, shape_angle)
        if any(np.abs(guess / e - 1).max() < 0.006 for e in tried):
            continue  # this ring (or a shape very like it) is known already
        tried.append(guess)
        fit = fit_rim(ray, r, 0.0, 0.0, guess, 1.5 * tol)
        for _ in range(2):
            if fit is None:
                break
            exp = ellipse_along_rays(0.0, 0.0, fit.cx, fit.cy, fit.major, fit.minor, fit.angle)
            fit = fit_rim(ray, r, 0.0, 0.0, exp, 0.006)
        if fit is None:
            continue
        exp = ellipse_along_rays(0.0, 0.0, fit.cx, fit.cy, fit.major, fit.minor, fit.angle)
        tried.append(exp)
        if any(np.abs(exp / e - 1).max() < 0.004 for _, _, e in rings):
            continue
        s = ring_support(ray, r, exp, 0.006, samples, radii)
        if s >= support_min and r_min <= fit.major / 2 <= r_max:
            rings.append((fit, s, exp))
    # rings of a plate are nested; an ellipse that crosses a clearer ring hops between
    # rings (seen obliquely, a lip and the rim are close) and is not one
    nested = [(f, e) for f, s, e in rings
              if not any(s2 > s + 0.05 and (e - e2).min() < -0.5 and (e - e2).max() > 0.5
                         for _, s2, e2 in rings)]
    if not nested:
        return None
    # the outermost: the largest all round (an ellipse that follows the rim only at the
    # ends of its long axis and a ring inside elsewhere can have a longer major axis)
    return max(nested, key=lambda fe: float(np.mean(fe[1])))[0]


def ellipse_along_rays(cx: float, cy: float, ex: float, ey: float, major: float,
                       minor: float, angle_deg: float) -> np.ndarray:
    """Distance from (cx, cy) along each of the :data:`RAYS` rays to an ellipse centred
    at (ex, ey) with full axes ``major``, ``minor`` (major along ``angle_deg``)."""
    phi = np.deg2rad(angle_deg)
    c, s = np.cos(phi), np.sin(phi)
    ux, uy = np.cos(_RTH) * c + np.sin(_RTH) * s, -np.cos(_RTH) * s + np.sin(_RTH) * c
    ox, oy = (ex - cx) * c + (ey - cy) * s, -(ex - cx) * s + (ey - cy) * c
    a2, b2 = (major / 2) ** 2, (minor / 2) ** 2
    qa = ux * ux / a2 + uy * uy / b2
    qb = -2 * (ux * ox / a2 + uy * oy / b2)
    qc = ox * ox / a2 + oy * oy / b2 - 1
    return (-qb + np.sqrt(np.maximum(qb * qb - 4 * qa * qc, 0))) / (2 * qa)


def fit_rim(ray: np.ndarray, r: np.ndarray, cx: float, cy: float, expected: np.ndarray,
            tol: float, frame: int = -1) -> RimFit | None:
    """Fit an ellipse to the edges nearest the ``expected`` rim radius of each ray
    (polar coordinates around (cx, cy); one edge per ray, within ``tol`` of it);
    None when fewer than a quarter of the rays show one."""
    want = np.asarray(expected, float)[ray]
    dev = np.abs(r / want - 1.0)
    ok = dev <= tol
    if not ok.any():
        return None
    order = np.lexsort((dev[ok], ray[ok]))
    rr, dd = ray[ok][order], r[ok][order]
    first = np.ones(len(rr), bool)
    first[1:] = rr[1:] != rr[:-1]
    rr, dd = rr[first], dd[first]
    if len(rr) < max(12, int(RAYS * 0.25)):
        return None
    pts = np.column_stack([cx + np.cos(_RTH[rr]) * dd, cy + np.sin(_RTH[rr]) * dd])
    (ex, ey), (a1, a2), ang = cv2.fitEllipse(pts.astype(np.float32))
    if a1 >= a2:
        major, minor, ang_major = a1, a2, ang
    else:
        major, minor, ang_major = a2, a1, ang + 90.0
    return RimFit(frame, float(ex), float(ey), float(major), float(minor),
                  float(ang_major % 180.0), len(rr))


def plate_sizes(images: Sequence[np.ndarray], centres: Sequence[tuple[float, float]],
                r_min: float, r_max: float, max_change: float = 0.15) -> np.ndarray:
    """How large the plate appears on each frame relative to the others (1 = the median),
    (F,): it grows and shrinks as it moves nearer to the camera and away.

    Around each centre the radial colour gradient is sampled on :data:`RAYS` rays at
    log-spaced radii (``r_min..r_max`` px) and its median over the rays kept: a profile
    of the plate's rings (rim, bands, lettering, hub), in which a change of size is a
    shift. Each frame's profile is aligned with the median profile (best correlation
    within ``max_change``, twice: the median is rebuilt from the aligned profiles)."""
    n_r = 600
    lr = np.exp(np.linspace(np.log(r_min), np.log(r_max), n_r)).astype(np.float32)
    step = float(np.log(lr[1] / lr[0]))
    profiles = []
    for img, (cx, cy) in zip(images, centres, strict=True):
        s, inside = polar(img, cx, cy, lr)
        d = np.diff(s, axis=1)
        g = np.sqrt((d * d).sum(axis=2)) if d.ndim == 3 else np.abs(d)
        g[~(inside[:, 1:] & inside[:, :-1])] = np.nan
        with np.errstate(all="ignore"):
            prof = np.nanmedian(g, axis=0) if np.isfinite(g).any() else np.zeros(n_r - 1)
        profiles.append(np.nan_to_num(prof))
    prof = np.array(profiles, np.float64)
    k_max = max(1, int(np.log(1 + max_change) / step))
    shifts = np.zeros(len(prof), int)
    ref = np.median(prof, axis=0)
    for _ in range(2):
        best = np.full(len(prof), -np.inf)
        for k in range(-k_max, k_max + 1):
            a = prof[:, max(0, k):prof.shape[1] + min(0, k)]
            b = ref[max(0, -k):len(ref) + min(0, -k)]
            a = a - a.mean(axis=1, keepdims=True)
            b = b - b.mean()
            den = np.sqrt((a * a).sum(axis=1) * (b * b).sum())
            c = np.where(den > 0, (a @ b) / np.maximum(den, 1e-12), -np.inf)
            better = c > best
            best[better], shifts[better] = c[better], k
        shifts -= int(np.median(shifts))
        ref = np.median([np.roll(p, -k) for p, k in zip(prof, shifts, strict=True)], axis=0)
    return np.exp(shifts * step)
