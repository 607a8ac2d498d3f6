"""Synthetic barbell-plate images with exact outer-rim truth (calibration ground truth).

Purpose
-------
A calibration that converts pixels to metres from a plate of known diameter must
measure the plate's OUTER rim.  These generators draw plates whose outer rim is
known exactly and surround it with the things that fool a naive detector: a
lighter inner ring with strong edges, a coloured rim band that is barely darker
or lighter than the background, high-contrast lettering, a bright steel hub with
the bar's sleeve end, a second circle elsewhere (a wall clock), clutter, noise,
blur and an oblique (turned-camera) view.

Coordinate convention (the same as OpenCV drawing functions)
------------------------------------------------------------
* Image ``x`` grows to the right, ``y`` grows DOWN.
* The centre of pixel ``img[i, j]`` is at ``(x, y) = (j, i)`` (integer coordinates
  are pixel centres).  A plate centred at ``(640.0, 360.0)`` is centred on pixel
  ``img[360, 640]``; ``(640.5, 360.0)`` lies on the border between two columns.
* ``diameter_px`` is the OUTER rim diameter along the ellipse's MAJOR axis.  For a
  plate seen square-on (``axis_ratio == 1.0``) it is simply the plate diameter in
  pixels.  For a turned camera the plate is an ellipse; the major axis is the
  direction that is not foreshortened, so ``diameter_px`` still equals the true
  plate diameter in pixels and the minor axis is ``axis_ratio * diameter_px``.
* ``angle_deg`` is the direction of the MAJOR axis measured from image +x toward
  image +y (i.e. clockwise on screen), exactly the ``angle`` argument of
  ``cv2.ellipse``.  Square-on plates have ``angle_deg == 0.0`` (meaningless).

How edges are drawn (why the truth is exact)
--------------------------------------------
Every circular/elliptical boundary is rendered analytically instead of with a
polygon: for each pixel centre the signed distance ``d`` to the boundary (positive
outside) is computed in image pixels and the pixel's coverage is
``clip(0.5 - d, 0, 1)`` (a one-pixel linear anti-aliasing ramp).  The 50 % level of
the ramp therefore lies exactly on the true boundary, at any sub-pixel centre.
For a circle ``d = |p - c| - r`` is exact; for an ellipse ``d`` is the first-order
distance ``(rho - R) / |grad rho|`` which is exact on the boundary and accurate to
far below 0.01 px within the one-pixel ramp for the radii used here.  (This is
stricter than ``cv2.ellipse`` with ``shift`` bits, which approximates large
ellipses with a 5-degree polygon and loses ~0.1 px of diameter.)  Lettering is
drawn with ``cv2.putText(..., cv2.LINE_AA)`` into a plate-local texture and mapped
onto the (possibly elliptical) face with ``cv2.remap``; it never touches the rim.

Optional Gaussian blur (``blur_sigma``) is applied to the whole picture before the
noise; a symmetric blur moves the 50 % contour of a disc of radius ``R`` inward by
only about ``sigma**2 / (2 R)`` px (< 0.02 px here).  Noise is additive Gaussian
(``noise_sigma`` grey levels) and the result is clipped to uint8.

All functions return ``(image, PlateTruth)`` where ``image`` is an ``(H, W, 3)``
BGR ``uint8`` array.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

__all__ = [
    "PlateTruth",
    "ClockTruth",
    "KINDS",
    "iron_plate",
    "bumper_inner_ring",
    "bumper_rim_band",
    "lettered_plate",
    "turned_plate",
    "render_plate",
    "plate_sequence",
    "write_clip",
    "measure_outer_diameter",
]

KINDS = ("iron", "bumper_ring", "rim_band", "lettering")

BGR = tuple[int, int, int]


@dataclass(frozen=True)
class ClockTruth:
    """The distractor circle (a wall clock) elsewhere in the picture."""

    cx: float
    cy: float
    diameter_px: float


@dataclass(frozen=True)
class PlateTruth:
    """Exact truth for one rendered plate.

    Attributes
    ----------
    kind: one of :data:`KINDS`.
    cx, cy: centre of the plate in pixel coordinates (pixel centres are integers).
    diameter_px: OUTER rim diameter along the major axis (= true plate diameter in px).
    axis_ratio: minor / major axis of the outer rim; exactly 1.0 for a square-on view.
    angle_deg: major-axis direction, degrees from +x toward +y (cv2.ellipse convention).
    minor_diameter_px: ``axis_ratio * diameter_px``.
    distractor_radii_px: major-axis radii of the strong INNER edges that are not the
        rim (band edges, lettering ring, hub, sleeve end), largest first.
    clock: the second circle elsewhere in the picture (or ``None``).
    image_size: ``(width, height)``.
    blur_sigma, noise_sigma: degradations applied.
    """

    kind: str
    cx: float
    cy: float
    diameter_px: float
    axis_ratio: float = 1.0
    angle_deg: float = 0.0
    minor_diameter_px: float = 0.0
    distractor_radii_px: tuple[float, ...] = ()
    clock: ClockTruth | None = None
    image_size: tuple[int, int] = (1280, 720)
    blur_sigma: float = 0.0
    noise_sigma: float = 0.0

    @property
    def radius_px(self) -> float:
        return self.diameter_px / 2.0

    @property
    def center(self) -> tuple[float, float]:
        return (self.cx, self.cy)


# --------------------------------------------------------------------------------------
# plate designs: discs painted from the outside in, (radius fraction, BGR colour)
# --------------------------------------------------------------------------------------


@dataclass
class _Design:
    discs: list[tuple[float, BGR]]
    text: tuple[float, float, BGR] | None = None  # (inner frac, outer frac, colour)
    text_strings: tuple[str, ...] = ()
    background_luma: float | None = None  # force a background of this brightness
    background_spread: float = 60.0  # clutter brightness spread around it
    distractor_fracs: tuple[float, ...] = ()


def _hub(steel: BGR = (200, 200, 205), sleeve: BGR = (222, 222, 228)) -> list[tuple[float, BGR]]:
    # 50 mm sleeve on a 450 mm plate -> 0.111 of the radius; steel insert ~0.2.
    return [(0.20, steel), (0.16, (70, 70, 72)), (0.111, sleeve), (0.075, (165, 165, 170)),
            (0.03, (90, 90, 92))]


def _design(kind: str, band_bgr: BGR | None, rim_contrast: float) -> _Design:
    if kind == "iron":
        face, lip = (46, 46, 50), (76, 76, 80)
        discs = [(1.0, lip), (0.93, face), (0.32, (66, 66, 70)), (0.27, face)]
        discs += [(0.111, (190, 190, 195)), (0.08, (150, 150, 154)), (0.03, (70, 70, 70))]
        return _Design(discs, distractor_fracs=(0.93, 0.32, 0.27, 0.111))
    if kind == "bumper_ring":
        rubber = (34, 34, 37)
        band = band_bgr or (150, 150, 150)
        discs = [(1.0, rubber), (0.75, band), (0.55, rubber)] + _hub()
        return _Design(discs, distractor_fracs=(0.75, 0.55, 0.20, 0.16, 0.111))
    if kind == "rim_band":
        band = band_bgr or (168, 62, 34)  # competition blue (20 kg) in BGR
        luma = 0.114 * band[0] + 0.587 * band[1] + 0.299 * band[2]
        discs = [(1.0, band), (0.90, (30, 30, 33))] + _hub()
        return _Design(discs, background_luma=luma + rim_contrast, background_spread=14.0,
                       distractor_fracs=(0.90, 0.20, 0.16, 0.111))
    if kind == "lettering":
        rubber = (32, 32, 35)
        discs = [(1.0, (44, 44, 48)), (0.965, rubber)]
        hub = [(0.24, (212, 212, 218)), (0.205, (120, 120, 124)), (0.111, (236, 236, 240)),
               (0.07, (175, 175, 180)), (0.025, (100, 100, 100))]
        return _Design(discs + hub, text=(0.52, 0.88, (235, 235, 235)),
                       text_strings=("20", "KG", "LIFT", "IWF", "20", "KG", "44", "LB"),
                       distractor_fracs=(0.88, 0.52, 0.24, 0.205, 0.111))
    raise ValueError(f"unknown plate kind {kind!r}; expected one of {KINDS}")


# --------------------------------------------------------------------------------------
# background
# --------------------------------------------------------------------------------------


def _luma_to_bgr(luma: float, tint: np.ndarray) -> tuple[float, float, float]:
    b, g, r = (np.clip(luma + tint, 0, 255)).tolist()
    return (b, g, r)


def _background(rng: np.random.Generator, w: int, h: int, avoid: tuple[float, float, float],
                luma: float | None, spread: float, clock_diameter: float | None,
                ) -> tuple[np.ndarray, ClockTruth | None]:
    """Cluttered gym-like background; ``avoid`` = (cx, cy, r) kept free of the clock."""
    base = float(rng.uniform(70, 140)) if luma is None else float(luma)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    grad = (base + 12.0 * (xx / w - 0.5) - 10.0 * (yy / h - 0.5)).astype(np.float32)
    img = np.repeat(grad[:, :, None], 3, axis=2)
    img += rng.uniform(-4, 4, size=3).astype(np.float32)
    # rack uprights, mats, boxes, posters
    for _ in range(26):
        x0, y0 = rng.uniform(-100, w), rng.uniform(-100, h)
        rw, rh = rng.uniform(20, 320), rng.uniform(20, 260)
        lum = base + rng.uniform(-spread, spread)
        col = _luma_to_bgr(lum, rng.uniform(-12, 12, size=3))
        cv2.rectangle(img, (int(x0), int(y0)), (int(x0 + rw), int(y0 + rh)), col, -1, cv2.LINE_AA)
    # floor line, cables, rack holes
    for _ in range(14):
        p0 = (int(rng.uniform(0, w)), int(rng.uniform(0, h)))
        p1 = (int(rng.uniform(0, w)), int(rng.uniform(0, h)))
        lum = base + rng.uniform(-spread, spread)
        cv2.line(img, p0, p1, _luma_to_bgr(lum, rng.uniform(-8, 8, size=3)),
                 int(rng.integers(1, 6)), cv2.LINE_AA)
    clock = None
    if clock_diameter:
        ax, ay, ar = avoid
        rc = clock_diameter / 2.0
        for _ in range(200):
            ccx = float(rng.uniform(rc + 5, w - rc - 5))
            ccy = float(rng.uniform(rc + 5, h - rc - 5))
            if math.hypot(ccx - ax, ccy - ay) > ar + rc + 30:
                break
        else:  # no room: put it in a corner (still a valid distractor)
            ccx, ccy = rc + 5, rc + 5
        clock = ClockTruth(ccx, ccy, 2 * rc)
        bx0, by0 = max(0, int(ccx - rc - 3)), max(0, int(ccy - rc - 3))
        bx1, by1 = min(w, int(ccx + rc + 4)), min(h, int(ccy + rc + 4))
        sx, sy = xx[by0:by1, bx0:bx1], yy[by0:by1, bx0:bx1]
        sub = img[by0:by1, bx0:bx1]
        sub = _over(sub, _disc_alpha(sx, sy, ccx, ccy, rc, 1.0, 0.0), (40, 40, 40))
        sub = _over(sub, _disc_alpha(sx, sy, ccx, ccy, rc * 0.88, 1.0, 0.0), (215, 218, 220))
        img[by0:by1, bx0:bx1] = sub
        for k in range(12):  # hour ticks and hands
            a = 2 * math.pi * k / 12
            p0 = (int(ccx + 0.72 * rc * math.cos(a)), int(ccy + 0.72 * rc * math.sin(a)))
            p1 = (int(ccx + 0.82 * rc * math.cos(a)), int(ccy + 0.82 * rc * math.sin(a)))
            cv2.line(img, p0, p1, (30, 30, 30), 2, cv2.LINE_AA)
        cv2.line(img, (int(ccx), int(ccy)), (int(ccx + 0.5 * rc), int(ccy - 0.3 * rc)),
                 (25, 25, 25), 3, cv2.LINE_AA)
    return img, clock


# --------------------------------------------------------------------------------------
# analytic anti-aliased discs / ellipses
# --------------------------------------------------------------------------------------


def _local(xx: np.ndarray, yy: np.ndarray, cx: float, cy: float, ratio: float, angle_deg: float):
    """Plate-local circle coordinates (p along the major axis, q unforeshortened minor)."""
    th = math.radians(angle_deg)
    c, s = math.cos(th), math.sin(th)
    dx, dy = xx - cx, yy - cy
    u = dx * c + dy * s
    v = -dx * s + dy * c
    return u, v / ratio


def _grad_norm(p: np.ndarray, q: np.ndarray, rho: np.ndarray, ratio: float) -> np.ndarray:
    rho_safe = np.maximum(rho, 1e-6)
    return np.sqrt((p / rho_safe) ** 2 + (q / (rho_safe * ratio)) ** 2)


def _disc_alpha(xx, yy, cx, cy, r, ratio, angle_deg) -> np.ndarray:
    p, q = _local(xx, yy, cx, cy, ratio, angle_deg)
    rho = np.sqrt(p * p + q * q)
    d = (rho - r) / _grad_norm(p, q, rho, ratio) if ratio != 1.0 else rho - r
    return np.clip(0.5 - d, 0.0, 1.0).astype(np.float32)


def _over(img: np.ndarray, alpha: np.ndarray, colour) -> np.ndarray:
    col = np.asarray(colour, dtype=np.float32)
    return img * (1.0 - alpha[..., None]) + col * alpha[..., None]


def _text_texture(R: float, strings: tuple[str, ...], r_in: float, r_out: float,
                  off: float) -> tuple[np.ndarray, float]:
    """Alpha texture (plate-local, 1 texel per px, centre at (pad+R, pad+R)) of lettering."""
    pad = 4.0
    n = int(math.ceil(2 * (R + pad))) + 1
    tex = np.zeros((n, n), np.uint8)
    c0 = pad + R
    mid = 0.5 * (r_in + r_out) * R
    ring = (r_out - r_in) * R
    scale = 0.5 * ring / 22.0  # HERSHEY_SIMPLEX cap height ~22 px at scale 1
    longest = max(strings, key=len)
    while cv2.getTextSize(longest, cv2.FONT_HERSHEY_SIMPLEX, scale, 1)[0][0] > 0.7 * ring:
        scale *= 0.9
    thick = max(1, int(round(scale * 2.2)))
    for k, s in enumerate(strings):
        a = off + 2 * math.pi * k / len(strings)
        (tw, th), _ = cv2.getTextSize(s, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
        x = c0 + mid * math.cos(a) - tw / 2
        y = c0 + mid * math.sin(a) + th / 2
        cv2.putText(tex, s, (int(round(x)), int(round(y))), cv2.FONT_HERSHEY_SIMPLEX, scale,
                    255, thick, cv2.LINE_AA)
    # keep the lettering strictly inside its ring (never near the rim)
    yy, xx = np.mgrid[0:n, 0:n].astype(np.float32)
    rr = np.hypot(xx - c0, yy - c0)
    tex[(rr > r_out * R) | (rr < r_in * R)] = 0
    return tex.astype(np.float32) / 255.0, c0


# --------------------------------------------------------------------------------------
# public rendering
# --------------------------------------------------------------------------------------


def render_plate(kind: str = "bumper_ring", *, seed: int = 0, width: int = 1280,
                 height: int = 720, cx: float | None = None, cy: float | None = None,
                 diameter_px: float | None = None, axis_ratio: float = 1.0,
                 angle_deg: float = 0.0, band_bgr: BGR | None = None,
                 rim_contrast: float = 6.0, clutter: bool = True, clock: bool = True,
                 noise_sigma: float = 2.5, blur_sigma: float = 0.0,
                 background: np.ndarray | None = None, text_rotation_deg: float | None = None,
                 ) -> tuple[np.ndarray, PlateTruth]:
    """Render one plate of ``kind`` (see :data:`KINDS`) and return ``(image, truth)``.

    Unset ``cx``, ``cy``, ``diameter_px`` are drawn from ``seed`` (diameter 150-400 px,
    centre at a random sub-pixel position with the whole plate inside the frame).
    ``clutter=False`` gives a flat grey background without clock or clutter (grey 110,
    or the rim-band background brightness), useful for measuring the render.
    ``text_rotation_deg`` fixes where the lettering sits (default: from ``seed``).  ``background`` (H, W, 3) overrides the generated one.
    """
    if not (0.0 < axis_ratio <= 1.0):
        raise ValueError("axis_ratio must be in (0, 1]")
    rng = np.random.default_rng(seed)
    D = float(diameter_px) if diameter_px is not None else float(rng.uniform(150, 400))
    R = D / 2.0
    if cx is None:
        cx = float(rng.uniform(R + 8, width - R - 8))
    if cy is None:
        cy = float(rng.uniform(R + 8, height - R - 8))
    if axis_ratio == 1.0:
        angle_deg = 0.0
    design = _design(kind, band_bgr, rim_contrast)

    clock_t = None
    if background is not None:
        img = background.astype(np.float32).copy()
    elif clutter:
        clock_d = float(rng.uniform(0.35, 0.6) * D) if clock else None
        img, clock_t = _background(rng, width, height, (cx, cy, R), design.background_luma,
                                   design.background_spread, clock_d)
    else:
        lum = 110.0 if design.background_luma is None else design.background_luma
        img = np.full((height, width, 3), lum, np.float32)

    # the plate, in its bounding box only
    x0, x1 = max(0, int(math.floor(cx - R - 3))), min(width, int(math.ceil(cx + R + 4)))
    y0, y1 = max(0, int(math.floor(cy - R - 3))), min(height, int(math.ceil(cy + R + 4)))
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float64)
    p, q = _local(xx, yy, cx, cy, axis_ratio, angle_deg)
    rho = np.sqrt(p * p + q * q)
    gn = _grad_norm(p, q, rho, axis_ratio) if axis_ratio != 1.0 else np.ones_like(rho)

    def cov(frac: float) -> np.ndarray:
        return np.clip(0.5 - (rho - frac * R) / gn, 0.0, 1.0).astype(np.float32)

    discs = design.discs
    field = np.empty(rho.shape + (3,), np.float32)
    field[:] = np.asarray(discs[0][1], np.float32)
    text_done = design.text is None
    for frac, col in discs[1:]:
        if not text_done and frac < design.text[0]:
            field = _apply_text(field, design, R, p, q, rng, text_rotation_deg, angle_deg)
            text_done = True
        field = _over(field, cov(frac), col)
    if not text_done:
        field = _apply_text(field, design, R, p, q, rng, text_rotation_deg, angle_deg)
    a_out = cov(1.0)
    img[y0:y1, x0:x1] = _over(img[y0:y1, x0:x1], a_out, (0, 0, 0)) + field * a_out[..., None]

    if blur_sigma > 0:
        img = cv2.GaussianBlur(img, (0, 0), blur_sigma)
    if noise_sigma > 0:
        img = img + rng.normal(0.0, noise_sigma, img.shape).astype(np.float32)
    out = np.clip(np.rint(img), 0, 255).astype(np.uint8)
    truth = PlateTruth(kind=kind, cx=float(cx), cy=float(cy), diameter_px=D,
                       axis_ratio=float(axis_ratio), angle_deg=float(angle_deg),
                       minor_diameter_px=float(axis_ratio * D),
                       distractor_radii_px=tuple(f * R for f in design.distractor_fracs),
                       clock=clock_t, image_size=(width, height),
                       blur_sigma=float(blur_sigma), noise_sigma=float(noise_sigma))
    return out, truth


def _apply_text(field, design: _Design, R, p, q, rng, rot_deg, design_angle) -> np.ndarray:
    r_in, r_out, col = design.text
    off = float(rng.uniform(0, 2 * math.pi)) if rot_deg is None else math.radians(rot_deg)
    tex, c0 = _text_texture(R, design.text_strings, r_in, r_out, off)
    # texture axes stay aligned with the image axes (lettering upright whatever the
    # major-axis angle): rotate the unforeshortened local frame back by the angle.
    th = math.radians(design_angle)
    c, s = math.cos(th), math.sin(th)
    mx = (p * c - q * s + c0).astype(np.float32)
    my = (p * s + q * c + c0).astype(np.float32)
    a = cv2.remap(tex, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return _over(field, a, col)


def iron_plate(seed: int = 0, **kw) -> tuple[np.ndarray, PlateTruth]:
    """Kind 1: plain cast-iron plate - dark face, slightly lighter lip (0.93-1.0 R),
    a faint raised ring near the hub and the bar sleeve end (0.111 R) in the centre."""
    return render_plate("iron", seed=seed, **kw)


def bumper_inner_ring(seed: int = 0, **kw) -> tuple[np.ndarray, PlateTruth]:
    """Kind 2: black bumper with a LIGHT inner band from 0.55 R to 0.75 R (strong edges
    at both radii, the strongest circles in the picture) plus a steel hub/sleeve end.
    ``band_bgr`` sets the band colour (default light grey 150)."""
    return render_plate("bumper_ring", seed=seed, **kw)


def bumper_rim_band(seed: int = 0, rim_contrast: float = 6.0, **kw) -> tuple[np.ndarray, PlateTruth]:
    """Kind 3: competition bumper whose OUTER 10 % (0.90-1.0 R) is a coloured band
    (default blue, BGR (168, 62, 34)) on a background whose brightness is the band's
    luma + ``rim_contrast`` grey levels (clutter there is kept within +-14 levels).
    The strong edge is the band/face boundary at 0.90 R; the true rim at 1.0 R is a
    weak (mostly chromatic) edge."""
    return render_plate("rim_band", seed=seed, rim_contrast=rim_contrast, **kw)


def lettered_plate(seed: int = 0, **kw) -> tuple[np.ndarray, PlateTruth]:
    """Kind 4: rubber plate with high-contrast raised lettering ("20", "KG", ...) in a
    ring from 0.52 R to 0.88 R, a thin lighter lip (0.965-1.0 R), a bright steel hub
    (0.24 R) and the bright bar sleeve end (0.111 R)."""
    return render_plate("lettering", seed=seed, **kw)


def turned_plate(kind: str = "bumper_ring", seed: int = 0, axis_ratio: float | None = None,
                 angle_deg: float | None = None, **kw) -> tuple[np.ndarray, PlateTruth]:
    """Kind 5: any kind seen by a TURNED camera - the plate is an ellipse.

    ``axis_ratio`` (minor/major) defaults to a seeded value in [0.80, 0.90];
    ``angle_deg`` (major-axis direction, cv2.ellipse convention) defaults to 90 +- 15
    (a camera turned about the vertical axis foreshortens the horizontal direction).
    Truth ``diameter_px`` is the MAJOR axis = the true plate diameter in px.
    """
    rng = np.random.default_rng(10_000 + seed)
    if axis_ratio is None:
        axis_ratio = float(rng.uniform(0.80, 0.90))
    if angle_deg is None:
        angle_deg = float(90.0 + rng.uniform(-15, 15))
    return render_plate(kind, seed=seed, axis_ratio=axis_ratio, angle_deg=angle_deg, **kw)


# --------------------------------------------------------------------------------------
# sequences and clips
# --------------------------------------------------------------------------------------


def plate_sequence(n_frames: int = 90, kind: str = "bumper_ring", *, seed: int = 0,
                   fps: float = 30.0, width: int = 1280, height: int = 720,
                   diameter_px: float = 260.0, x0: float = 640.3, y_top: float = 250.6,
                   depth_px: float = 180.0, reps: int = 1, sway_px: float = 6.0,
                   axis_ratio: float = 1.0, angle_deg: float = 0.0,
                   noise_sigma: float = 2.0, blur_sigma: float = 0.0,
                   ) -> tuple[list[np.ndarray], list[PlateTruth]]:
    """A static camera watching a plate move on a squat-like path.

    Per rep (``n_frames / reps`` frames, time ``s`` in [0, 1) of the rep): stand still
    for the first 15 %, descend and ascend ``y = y_top + depth_px*(1 - cos 2 pi s')/2``
    over the middle 70 % (``s'`` rescaled to [0, 1]), stand still for the last 15 %.
    ``x = x0 + sway_px * sin(2 pi s')`` (a small horizontal drift).  Image y grows down,
    so the bottom of the squat is the LARGEST y.  The background (including the clock)
    is fixed; noise is drawn independently per frame.  Returns ``(frames, truths)``;
    ``truths[i].cx/cy`` is the exact centre in frame ``i`` (frame time ``i / fps``).
    """
    rng = np.random.default_rng(seed)
    R = diameter_px / 2.0
    design = _design(kind, None, 6.0)
    brng = np.random.default_rng(seed + 7919)
    clock_d = float(brng.uniform(0.35, 0.6) * diameter_px)
    # keep the clock away from the whole path
    avoid = (x0, y_top + depth_px / 2, R + depth_px / 2 + sway_px)
    bg, clock_t = _background(brng, width, height, avoid, design.background_luma,
                              design.background_spread, clock_d)
    per = n_frames / reps
    frames, truths = [], []
    for i in range(n_frames):
        s = (i % per) / per
        sp = min(max((s - 0.15) / 0.70, 0.0), 1.0)
        y = y_top + depth_px * (1 - math.cos(2 * math.pi * sp)) / 2
        x = x0 + sway_px * math.sin(2 * math.pi * sp)
        img, t = render_plate(kind, seed=int(rng.integers(1 << 30)), width=width, height=height,
                              cx=x, cy=y, diameter_px=diameter_px, axis_ratio=axis_ratio,
                              angle_deg=angle_deg, background=bg, noise_sigma=noise_sigma,
                              blur_sigma=blur_sigma, text_rotation_deg=20.0)
        frames.append(img)
        truths.append(replace(t, clock=clock_t))
    return frames, truths


def _x264_below_avx512() -> dict[str, str]:
    """x264 kept below AVX-512 on a CPU that has it: its AVX-512 macroblock-tree code reads
    memory it never wrote at widths such as 960 px, so the same frames gave 2-3 different
    files in 5 encodes. Below AVX-512 the file is the same on every run (the frames, and
    so the truth, are untouched)."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as feats
    except ImportError:
        return {}
    if not feats.get("AVX512F"):
        return {}
    names = (("MMX2", "SSE"), ("SSE", "SSE"), ("SSE2", "SSE2"), ("SSE3", "SSE3"),
             ("SSSE3", "SSSE3"), ("SSE4.1", "SSE41"), ("SSE4.2", "SSE42"), ("AVX", "AVX"),
             ("AVX2", "AVX2"), ("FMA3", "FMA3"), ("LZCNT", "LZCNT"), ("BMI1", "BMI"),
             ("BMI2", "BMI2"))
    return {"x264-params": "asm=" + ",".join(x for x, k in names if feats.get(k))}


def write_clip(frames: list[np.ndarray], path: str | Path, fps: float = 30.0, crf: int = 16) -> Path:
    """Encode BGR uint8 frames as H.264 (libx264, yuv420p) MP4 with PyAV.

    Frame ``i`` gets presentation time ``i / fps`` (time base ``1/fps`` for integer fps).
    Width and height must be even (yuv420p).
    """
    import av
    from fractions import Fraction

    path = Path(path)
    h, w = frames[0].shape[:2]
    if w % 2 or h % 2:
        raise ValueError("yuv420p needs even width and height")
    rate = Fraction(fps).limit_denominator(1001)
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=rate)
        stream.width, stream.height = w, h
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": str(crf), "preset": "veryfast", **_x264_below_avx512()}
        stream.codec_context.thread_count = 2
        for i, f in enumerate(frames):
            vf = av.VideoFrame.from_ndarray(np.ascontiguousarray(f), format="bgr24")
            vf.pts = i
            vf.time_base = 1 / rate
            for pkt in stream.encode(vf):
                container.mux(pkt)
        for pkt in stream.encode():
            container.mux(pkt)
    return path


# --------------------------------------------------------------------------------------
# an independent, simple measurement (used by the self-checks)
# --------------------------------------------------------------------------------------


def measure_outer_diameter(img: np.ndarray, truth: PlateTruth, outside_bgr, rim_bgr,
                           n_dirs: int = 16, return_radii: bool = False):
    """Measure the rim on a CLEAN render (flat background ``outside_bgr``, rim colour
    ``rim_bgr``, no noise/clutter) by finding, along rays from the true centre, where the
    image crosses the mid level between the two colours (bilinear sampling, linear
    interpolation of the crossing).  Each ray's crossing radius is converted to the
    major-axis radius through the ellipse equation; returns 2 * median radius (and,
    with ``return_radii``, the per-ray radii; ray k and k + n_dirs/2 are opposite, so
    equal radii in opposite rays confirm the centre)."""
    R = truth.radius_px
    h, w = img.shape[:2]
    x0, y0 = max(0, int(truth.cx - 1.2 * R)), max(0, int(truth.cy - 1.2 * R))
    x1, y1 = min(w, int(truth.cx + 1.2 * R) + 2), min(h, int(truth.cy + 1.2 * R) + 2)
    im = img[y0:y1, x0:x1].astype(np.float32)  # crop: only the plate's neighbourhood
    col_out = np.asarray(outside_bgr, np.float32)
    col_rim = np.asarray(rim_bgr, np.float32)
    axis = col_rim - col_out
    axis /= float(np.dot(axis, axis))
    proj = ((im - col_out) @ axis).astype(np.float32)  # 0 outside, 1 on the rim colour
    th = math.radians(truth.angle_deg)
    radii = []
    for k in range(n_dirs):
        phi = 2 * math.pi * (k + 0.5) / n_dirs  # angle in plate-local (circle) frame
        # local circle direction -> image direction
        du, dv = math.cos(phi), math.sin(phi) * truth.axis_ratio
        dx = du * math.cos(th) - dv * math.sin(th)
        dy = du * math.sin(th) + dv * math.cos(th)
        ts = np.arange(0.80 * R, 1.10 * R, 0.05, dtype=np.float32)
        mx = (truth.cx - x0 + ts * dx).astype(np.float32)[None, :]
        my = (truth.cy - y0 + ts * dy).astype(np.float32)[None, :]
        prof = cv2.remap(proj, mx, my, cv2.INTER_LINEAR)[0]
        idx = np.nonzero((prof[:-1] >= 0.5) & (prof[1:] < 0.5))[0]
        if len(idx) == 0:
            radii.append(float("nan"))
            continue
        j = idx[-1]
        t = ts[j] + (prof[j] - 0.5) / (prof[j] - prof[j + 1]) * (ts[j + 1] - ts[j])
        radii.append(float(t))  # local radius == major-axis radius on the ellipse
    d = 2.0 * float(np.nanmedian(radii))
    return (d, np.asarray(radii)) if return_radii else d
