"""Frame containers and pixel conversions (I420 storage, BGR display)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

FrameBGR = np.ndarray  # (H, W, 3) uint8, display orientation
FrameGray = np.ndarray  # (H, W) uint8, display orientation

_ROTATE = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


@dataclass(frozen=True)
class Frame:
    """One displayed picture.

    Attributes
    ----------
    index : int
        Frame number in presentation order (0-based).
    time : float
        Presentation time in seconds from frame 0.
    image : FrameBGR
        Pixels in display orientation (rotation applied).
    """

    index: int
    time: float
    image: FrameBGR


@dataclass(frozen=True)
class PackedFrame:
    """A decoded picture kept compactly: planar I420 (1.5 bytes a pixel) or BGR.

    The cache keeps these; conversion to display BGR happens only when a frame
    is served, which costs a few milliseconds at 1080p.
    """

    index: int
    time: float
    data: np.ndarray
    coded_height: int
    rotation: int
    planar: bool

    @property
    def nbytes(self) -> int:
        return int(self.data.nbytes)

    def to_bgr(self) -> FrameBGR:
        img = cv2.cvtColor(self.data, cv2.COLOR_YUV2BGR_I420) if self.planar else self.data
        return rotate(img, self.rotation)

    def to_gray(self) -> FrameGray:
        if self.planar:
            img = self.data[: self.coded_height]
        else:
            img = cv2.cvtColor(self.data, cv2.COLOR_BGR2GRAY)
        return rotate(img, self.rotation)

    def to_frame(self) -> Frame:
        return Frame(self.index, self.time, self.to_bgr())


def rotate(img: np.ndarray, rotation: int) -> np.ndarray:
    """Rotate an image clockwise by ``rotation`` degrees (0, 90, 180 or 270)."""
    code = _ROTATE.get(rotation)
    return img if code is None else cv2.rotate(img, code)
