"""Frame containers and pixel conversions (I420 storage, BGR display).

OpenCV is imported where a picture is first converted, not with this module:
``liftlens analyze`` opens its clip and starts decoding (luma planes, no conversion)
before OpenCV's ~40 ms of loading, which then overlaps the decode.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FrameBGR = np.ndarray  # (H, W, 3) uint8, display orientation
FrameGray = np.ndarray  # (H, W) uint8, display orientation


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

    @property
    def size(self) -> tuple[int, int]:
        """``(width, height)`` of the picture in display orientation (px)."""
        h, w = self.image.shape[:2]
        return int(w), int(h)


class CachedFrame(Frame):
    """A frame served from the cache: its BGR picture (:attr:`image`) is converted from the
    kept :class:`PackedFrame` on first use, so a view that shows it smaller
    (:func:`display_bgr`) never converts the full picture (about 3 ms at 1080p, on the
    thread that shows it). Equal to ``Frame(index, time, packed.to_bgr())`` in every
    other way."""

    packed: PackedFrame

    def __init__(self, packed: PackedFrame) -> None:  # noqa: D107 - fields as Frame's
        object.__setattr__(self, "index", packed.index)
        object.__setattr__(self, "time", packed.time)
        object.__setattr__(self, "packed", packed)

    def __getattr__(self, name: str) -> np.ndarray:
        # only reached while ``image`` is not yet an instance attribute
        if name != "image":
            raise AttributeError(name)
        image = self.packed.to_bgr()
        object.__setattr__(self, "image", image)
        return image

    @property
    def size(self) -> tuple[int, int]:
        h, w = self.packed.data.shape[:2]
        if self.packed.planar:
            h = self.packed.coded_height
        return (int(h), int(w)) if self.packed.rotation in (90, 270) else (int(w), int(h))

    @property
    def converted(self) -> bool:
        """Whether the full BGR picture has been made."""
        return "image" in self.__dict__


def _halve(img: np.ndarray) -> np.ndarray:
    """Half size by averaging 2x2 blocks (a box filter: about half the cost of
    ``cv2.pyrDown`` at 1080p, and no aliasing at this exact factor); odd sizes go
    through ``pyrDown``."""
    import cv2

    h, w = img.shape[:2]
    if w % 2 or h % 2:
        return cv2.pyrDown(img)
    return cv2.resize(img, (w // 2, h // 2), interpolation=cv2.INTER_AREA)


def display_bgr(frame: Frame, size: tuple[int, int]) -> FrameBGR:
    """``frame``'s picture resized to ``size`` = ``(width, height)`` (px) for showing it
    smaller than it is (a fit-to-window view).

    It is first halved (2x2 averages) while more than 2.5 times too wide (linear
    interpolation alone aliases below 0.4x), then interpolated linearly to the size. A
    cached I420 frame not yet converted is scaled in its planes and converted at the
    size shown (at 1080p shown at about half size: ~2 ms instead of ~6-9 ms); its full
    picture is left unconverted.
    """
    import cv2

    tw, th = max(int(size[0]), 1), max(int(size[1]), 1)
    packed = frame.packed if isinstance(frame, CachedFrame) and not frame.converted else None
    if packed is None or not packed.planar:
        img = frame.image
        while img.shape[1] > 2.5 * tw:
            img = _halve(img)
        return cv2.resize(img, (tw, th), interpolation=cv2.INTER_LINEAR)
    # the planes, in stored orientation, scaled before the conversion
    h, w = packed.coded_height, packed.data.shape[1]
    sw, sh = (tw, th) if packed.rotation in (0, 180) else (th, tw)
    y = packed.data[:h]
    chroma = packed.data[h:].reshape(-1)
    quarter = (h // 2) * (w // 2)
    u = chroma[:quarter].reshape(h // 2, w // 2)
    v = chroma[quarter: 2 * quarter].reshape(h // 2, w // 2)
    while w > 2.5 * sw and w % 4 == 0 and h % 4 == 0:
        y, u, v = _halve(y), _halve(u), _halve(v)
        h, w = h // 2, w // 2
    ew, eh = sw + sw % 2, sh + sh % 2  # I420 needs an even size
    y = cv2.resize(y, (ew, eh), interpolation=cv2.INTER_LINEAR)
    u = cv2.resize(u, (ew // 2, eh // 2), interpolation=cv2.INTER_LINEAR)
    v = cv2.resize(v, (ew // 2, eh // 2), interpolation=cv2.INTER_LINEAR)
    i420 = np.concatenate((y.reshape(-1), u.reshape(-1), v.reshape(-1))).reshape(eh * 3 // 2, ew)
    img = rotate(cv2.cvtColor(i420, cv2.COLOR_YUV2BGR_I420), packed.rotation)
    if img.shape[1] != tw or img.shape[0] != th:
        img = cv2.resize(img, (tw, th), interpolation=cv2.INTER_LINEAR)
    return img


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
        import cv2

        img = cv2.cvtColor(self.data, cv2.COLOR_YUV2BGR_I420) if self.planar else self.data
        return rotate(img, self.rotation)

    def to_gray(self) -> FrameGray:
        if self.planar:
            img = self.data[: self.coded_height]
        else:
            import cv2

            img = cv2.cvtColor(self.data, cv2.COLOR_BGR2GRAY)
        return rotate(img, self.rotation)

    def to_frame(self) -> Frame:
        """This picture as a :class:`Frame` (converted to BGR when first used)."""
        return CachedFrame(self)


def rotate(img: np.ndarray, rotation: int) -> np.ndarray:
    """Rotate an image clockwise by ``rotation`` degrees (0, 90, 180 or 270)."""
    if rotation not in (90, 180, 270):
        return img
    import cv2

    code = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180,
            270: cv2.ROTATE_90_COUNTERCLOCKWISE}[rotation]
    return cv2.rotate(img, code)
