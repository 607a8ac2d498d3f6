"""Metres per pixel: from the plate's circle measured over many frames, or from a line
of known length. Says where the scale came from, and warns when the plate looks like
an ellipse (the camera is not square to the bar, so velocity and ROM drift).
"""

from __future__ import annotations

import cv2
import numpy as np

from analysis.calibration.plate_rim import ANGLES, ellipse_radii, find_rim, gradients, rim_points, support
from analysis.session.calibration import Calibration
from analysis.tracking.circle import fit_circle_points
from analysis.video.source import VideoSource

PLATE_PRESETS_MM = (450.0, 445.0, 425.0)
ELLIPSE_WARN_RATIO = 0.93


def from_line(length_px: float, length_mm: float) -> Calibration:
    """Scale from a drawn line of known real length."""
    if not length_px > 0 or not length_mm > 0:
        raise ValueError("the line and its real length must both be longer than zero")
    return Calibration(length_mm / 1000.0 / length_px, f"a line of {length_mm:g} mm",
                       float(length_px))


def _gray_frames(source: VideoSource, frames: list[int]) -> dict[int, np.ndarray]:
    """The luma of ``frames``, each keyframe group decoded once (up to its last wanted frame)."""
    by_group: dict[int, set[int]] = {}
    for n in frames:
        by_group.setdefault(source.index.group_of(n), set()).add(n)
    out = {}
    for g, want in sorted(by_group.items()):
        for n, gray in source.iter_group_gray(g, stop=max(want) + 1):
            if n in want:
                out[n] = gray
    return out


def measure_plate(source: VideoSource, centres: dict[int, tuple[float, float]],
                  plate_mm: float = 450.0, frames: int = 24) -> Calibration:
    """Measure the plate's diameter around the tracked centre on up to ``frames`` frames.

    Parameters
    ----------
    centres : dict
        Frame number -> plate centre (px), e.g. from the bar track.

    Raises
    ------
    ValueError
        When no frame shows a clear plate rim.
    """
    keys = sorted(centres)
    if not keys:
        raise ValueError("track the plate first: the measurement follows its centre")
    pick = [keys[int(i)] for i in np.linspace(0, len(keys) - 1, min(frames, len(keys)))]
    short = min(source.index.width, source.index.height)
    grays = _gray_frames(source, pick)
    used = [n for n in pick if n in grays]
    views = [(grays[n], centres[n]) for n in used]
    rim = find_rim(views, 0.06 * short, 0.5 * short)
    diameters, ratios, circles = [], [], []
    for n, (gray, (px, py)) in zip(used, views, strict=True) if rim is not None else []:
        pts = rim_points(gray, px + rim.dx, py + rim.dy, rim.r, band=0.25)
        if len(pts) < ANGLES * 0.5:
            continue
        # the bar end sits in front of the plate, so their offset drifts with perspective,
        # and an oblique plate is an ellipse: look again along the shape just found
        cx, cy, r = fit_circle_points(pts)
        res = np.abs(np.hypot(pts[:, 0] - cx, pts[:, 1] - cy) - r)
        pts = pts[res <= max(2.0, 2.5 * np.median(res))]
        if len(pts) < ANGLES * 0.4:
            continue
        (ex, ey), axes, angle = cv2.fitEllipse(pts.astype(np.float32))
        again = rim_points(gray, ex, ey, ellipse_radii(axes, angle), band=0.06)
        if len(again) >= ANGLES * 0.5:
            pts = again
        (ex, ey), axes, angle = cv2.fitEllipse(pts.astype(np.float32))
        radii = ellipse_radii(axes, angle)
        dist = np.hypot(pts[:, 0] - ex, pts[:, 1] - ey)
        th = np.arctan2(pts[:, 1] - ey, pts[:, 0] - ex) % (2 * np.pi)
        expected = radii[(np.round(th / (2 * np.pi) * ANGLES).astype(int)) % ANGLES]
        good = pts[np.abs(dist - expected) <= max(2.0, 0.03 * float(np.median(expected)))]
        if len(good) < ANGLES * 0.35:
            continue
        (ex, ey), (a1, a2), _ = cv2.fitEllipse(good.astype(np.float32))
        diameters.append(max(a1, a2))
        ratios.append(min(a1, a2) / max(a1, a2))
        circles.append([float(n), float(ex), float(ey), max(a1, a2) / 2])
    if not diameters:
        raise ValueError("no clear plate rim was found around the tracked point; "
                         "calibrate with a drawn circle or a line of known length instead")
    d = float(np.median(diameters))
    ratio = float(np.median(ratios))
    warning = ""
    if ratio < ELLIPSE_WARN_RATIO:
        warning = (f"The plate looks like an ellipse (axes {ratio:.2f}): the camera is not "
                   "square to the bar, so velocity and range of motion will be off. Film "
                   "from the side, level with the bar.")
    typical = circles[int(np.argsort(diameters)[len(diameters) // 2])]
    return Calibration(plate_mm / 1000.0 / d,
                       f"plate {plate_mm:g} mm measured on {len(diameters)} frames",
                       d, ratio, len(diameters), warning, typical)


def plate_candidates(gray: np.ndarray, limit: int = 5) -> list[tuple[float, float, float]]:
    """Plate-like circles in a picture, most plate-like first: (x, y, radius) px.

    Circles between 6 % and 45 % of the picture's short side are proposed by two
    Hough detectors (the classic one on a copy about 480 px across, the accurate one
    on a copy about 400 px across). A plate shows a rim edge around most of its circumference and a
    hub or bar end at its centre (a smaller concentric circle); candidates are ranked
    by both. Gyms hold many circles, so the app shows them in turn for the lifter to
    pick, rather than trusting the first.
    """
    h, w = gray.shape
    short = min(h, w)
    r_lo, r_hi = 0.06 * short, 0.45 * short
    proposals: list[tuple[float, float, float]] = []
    k = min(1.0, 480.0 / short)  # the classic detector slows down fast with size
    blur = cv2.GaussianBlur(cv2.resize(gray, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
                            if k < 1 else gray, (0, 0), 2 * k)
    found = cv2.HoughCircles(blur, cv2.HOUGH_GRADIENT, dp=1.5, minDist=h * k * 0.2, param1=120,
                             param2=40, minRadius=int(r_lo * k), maxRadius=int(0.23 * h * k))
    if found is not None:
        proposals += [(float(x) / k, float(y) / k, float(r) / k) for x, y, r in found[0][:20]]
    scale = min(1.0, 400.0 / short)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    found = cv2.HoughCircles(cv2.GaussianBlur(small, (0, 0), 1.0), cv2.HOUGH_GRADIENT_ALT,
                             dp=1.5, minDist=max(2.0, 0.05 * short * scale), param1=100,
                             param2=0.6, minRadius=int(r_lo * scale),
                             maxRadius=int(r_hi * scale) + 1)
    if found is not None:
        proposals += [(float(x) / scale, float(y) / scale, float(r) / scale)
                      for x, y, r in found[0][:30]]
    grad = gradients(gray)
    scored = []
    for x, y, r in proposals:
        if not r_lo <= r <= r_hi:
            continue
        rim = support(grad, x, y, r)
        if rim < 0.5:  # a rim seen on half its circumference at least (a square's
            continue   # inscribed circle touches its four sides: about 0.48)
        hub = max(support(grad, x, y, f * r) for f in (0.1, 0.14, 0.2, 0.28, 0.36))
        scored.append((rim + 0.5 * hub, (x, y, r)))
    scored.sort(key=lambda t: -t[0])
    out: list[tuple[float, float, float]] = []
    for _score, c in scored:  # one entry per plate: drop near-duplicates of a better one
        if all(np.hypot(c[0] - o[0], c[1] - o[1]) > 0.3 * o[2] for o in out):
            out.append(c)
        if len(out) == limit:
            break
    return out


def detect_plate(gray: np.ndarray) -> tuple[float, float, float] | None:
    """The most plate-like circle in a picture: (x, y, radius) px, or None."""
    found = plate_candidates(gray, limit=1)
    return found[0] if found else None
