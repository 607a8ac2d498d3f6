"""Template matching pieces of the tracker: sub-pixel patches, crops that may reach past the
frame border, normalised cross-correlation with a sub-pixel peak, and a circle's polarity."""

from __future__ import annotations

import cv2
import numpy as np

from analysis.tracking.circle import CircleFit


def polarity(gray: np.ndarray, c: CircleFit) -> int:
    """+1 when the disk is brighter than the ring around it, else -1."""
    inside = cv2.getRectSubPix(gray, (3, 3), (c.x, c.y)).mean() if c.r < 4 else \
        cv2.getRectSubPix(gray, (int(c.r), int(c.r)), (c.x, c.y)).mean()
    ring = np.mean([gray[int(np.clip(c.y + 1.3 * c.r * np.sin(a), 0, gray.shape[0] - 1)),
                         int(np.clip(c.x + 1.3 * c.r * np.cos(a), 0, gray.shape[1] - 1))]
                    for a in np.linspace(0, 2 * np.pi, 16, endpoint=False)])
    return 1 if inside >= ring else -1


def patch(gray: np.ndarray, xy: tuple[float, float] | np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The template centred on a sub-pixel position (bilinear), as float32."""
    return cv2.getRectSubPix(gray, size, (float(xy[0]), float(xy[1])), patchType=cv2.CV_32F)


def crop(gray: np.ndarray, x0: int, y0: int, w: int, h: int) -> np.ndarray:
    """``gray[y0:y0+h, x0:x0+w]``, the part outside the picture filled with its edge."""
    H, W = gray.shape
    x0c, y0c, x1c, y1c = max(x0, 0), max(y0, 0), min(x0 + w, W), min(y0 + h, H)
    if x1c <= x0c or y1c <= y0c:
        return np.zeros((h, w), gray.dtype)
    part = gray[y0c:y1c, x0c:x1c]
    if part.shape == (h, w):
        return part
    return cv2.copyMakeBorder(part, y0c - y0, y0 + h - y1c, x0c - x0, x0 + w - x1c,
                              cv2.BORDER_REPLICATE)


def match(gray: np.ndarray, template: np.ndarray, centre, radius: int,
           mask: np.ndarray | None = None) -> tuple[tuple[float, float], float] | None:
    """Best match of ``template`` whose centre lies within ``radius`` px of ``centre``.

    The search window may reach past the frame border (by up to half the template; the
    picture's edge is repeated there), so a target at the edge is still centred in it.
    ``mask``: the template pixels to compare (uint8/bool, template's shape)."""
    th, tw = template.shape
    h, w = gray.shape
    cx, cy = float(centre[0]), float(centre[1])
    x0 = max(int(np.floor(cx - radius - tw / 2)), -(tw // 2) - 1)
    y0 = max(int(np.floor(cy - radius - th / 2)), -(th // 2) - 1)
    x1 = min(int(np.ceil(cx + radius + tw / 2)) + 1, w + tw // 2 + 1)
    y1 = min(int(np.ceil(cy + radius + th / 2)) + 1, h + th // 2 + 1)
    if x1 - x0 < tw + 1 or y1 - y0 < th + 1:
        return None
    x0c, y0c = x0, y0
    window = crop(gray, x0, y0, x1 - x0, y1 - y0).astype(np.float32)
    if mask is not None:
        res = cv2.matchTemplate(window, template, cv2.TM_CCOEFF_NORMED,
                                mask=mask.astype(np.float32))
        res = np.nan_to_num(res, nan=-1.0, posinf=-1.0, neginf=-1.0)
    else:
        res = cv2.matchTemplate(window, template, cv2.TM_CCOEFF_NORMED)
    _, score, _, (px, py) = cv2.minMaxLoc(res)
    dx = dy = 0.0
    if 0 < px < res.shape[1] - 1:
        dx = vertex(res[py, px - 1], res[py, px], res[py, px + 1])
    if 0 < py < res.shape[0] - 1:
        dy = vertex(res[py - 1, px], res[py, px], res[py + 1, px])
    x = x0c + px + dx + (tw - 1) / 2
    y = y0c + py + dy + (th - 1) / 2
    if not np.isfinite(score):
        return None
    return (x, y), float(score)


def vertex(a: float, b: float, c: float) -> float:
    """Sub-pixel offset of a parabola's peak through three samples."""
    denom = a - 2 * b + c
    if abs(denom) < 1e-9:
        return 0.0
    return float(np.clip(0.5 * (a - c) / denom, -0.5, 0.5))
