"""An optional H.264 clip of a generated set (:mod:`tests.truth.lift_truth`): a plate on a
textured background, moving with the bar."""

from __future__ import annotations

import numpy as np

from tests.truth.set_records import LiftTruth
from tests.truth.set_track_csv import frame_times, sample

def _background(size: tuple[int, int], seed: int) -> np.ndarray:
    import cv2
    w, h = size
    rng = np.random.default_rng(seed)
    noise = rng.normal(0, 1, (h // 4 + 1, w // 4 + 1)).astype(np.float32)
    noise = cv2.resize(noise, (w, h), interpolation=cv2.INTER_CUBIC)[:h, :w]
    grad = np.linspace(90, 150, h, dtype=np.float32)[:, None]
    bg = grad + 18 * noise
    img = np.dstack([bg * 0.9, bg, bg * 1.05])
    # a few static rack-like verticals and a floor line
    for x in rng.integers(0, w, 4):
        img[:, max(0, x - 3):x + 3] *= 0.7
    img[int(h * 0.9):, :] *= 0.8
    return np.clip(img, 0, 255).astype(np.uint8)


def render_clip(truth: LiftTruth, path, fps: float = 30, size: tuple[int, int] = (640, 480),
                m_per_px: float | None = None, plate_radius_px: float = 60, seed: int = 0,
                origin_px: tuple[float, float] | None = None, crf: int = 18) -> np.ndarray:
    """Render a side view of a plate moving with the bar and encode H.264 (libx264,
    yuv420p) with PyAV. Returns the true pixel centre per frame, shape (n, 2): (x, y).

    The plate is a dark disc with a light rim ring and a bright hub, drawn with 1/256-px
    sub-pixel precision (cv2 ``shift=8``, anti-aliased) on a static textured background.
    By default ``m_per_px`` maps the set's full height range onto 60 % of the image (pass
    it explicitly to know the scale; frames are at ``frame_times(duration, fps)``, so the
    scale is also ``ptp(sample(truth, times)[0]) / ptp(centres[:, 1])``). Keep clips short:
    encoding costs ~4 ms per 640x480 frame.
    """
    from fractions import Fraction

    import av
    import cv2

    w, h = size
    t = frame_times(truth.duration_s, fps)
    y_m, _ = sample(truth, t)
    lo, hi = float(np.min(y_m)), float(np.max(y_m))
    if m_per_px is None:
        m_per_px = max(hi - lo, 0.1) / (0.6 * h - 2 * plate_radius_px)
    if origin_px is None:
        origin_px = (w / 2, h / 2 + (lo + hi) / 2 / m_per_px)
    cx = np.full(t.size, float(origin_px[0]))
    cy = origin_px[1] - y_m / m_per_px
    bg = _background(size, seed)
    S = 256
    R = plate_radius_px
    container = av.open(str(path), mode="w")
    stream = container.add_stream("libx264", rate=int(round(fps)))
    stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
    stream.options = {"crf": str(crf), "preset": "veryfast"}
    try:
        for i in range(t.size):
            img = bg.copy()
            c = (int(round(cx[i] * S)), int(round(cy[i] * S)))
            cv2.circle(img, c, int(round(R * S)), (40, 40, 45), -1, cv2.LINE_AA, 8)
            cv2.circle(img, c, int(round(R * 0.93 * S)), (200, 200, 205),
                       max(2, int(R * 0.06)), cv2.LINE_AA, 8)
            cv2.circle(img, c, int(round(R * 0.22 * S)), (235, 235, 240), -1, cv2.LINE_AA, 8)
            cv2.circle(img, c, int(round(R * 0.08 * S)), (60, 60, 60), -1, cv2.LINE_AA, 8)
            frame = av.VideoFrame.from_ndarray(img, format="bgr24")
            frame.pts = i
            frame.time_base = Fraction(1, int(round(fps)))
            for pkt in stream.encode(frame):
                container.mux(pkt)
        for pkt in stream.encode():
            container.mux(pkt)
    finally:
        container.close()
    return np.column_stack([cx, cy])
