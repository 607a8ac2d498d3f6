"""Small still pictures of videos, for lists (the library picker)."""

from __future__ import annotations

import os

import cv2
import numpy as np

from analysis.video.errors import VideoError
from analysis.video.source import VideoSource


def thumbnail(path: str | os.PathLike[str], max_side: int = 160,
              at: float = 0.3) -> np.ndarray | None:
    """A BGR picture of the video at ``at`` (0..1) of its frames, its longer side at most
    ``max_side`` px (display orientation, rotation applied).

    Returns None when the file is missing or cannot be decoded (a list shows no picture
    rather than failing).
    """
    if not os.path.isfile(path):
        return None
    try:
        with VideoSource(path) as src:
            n = min(src.frame_count - 1, max(0, int(src.frame_count * at)))
            image = src.read(n).image
    except (VideoError, OSError, ValueError):
        return None
    h, w = image.shape[:2]
    s = min(1.0, max_side / max(w, h))
    if s < 1.0:
        image = cv2.resize(image, (max(1, round(w * s)), max(1, round(h * s))),
                           interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(image)
