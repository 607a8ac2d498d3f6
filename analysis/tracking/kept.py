"""Past frames the tracker keeps (:class:`analysis.tracking.follow.FollowState`'s recent
and long histories), cut down to the part it can still read.

A frame handed to the tracker is the decoder's own picture memory
(:meth:`analysis.video.source.VideoSource.gray_frames`): a kept view holds the whole
picture, and the decoder then makes (and zeroes) a new one for every picture held. A kept
frame is only ever read by :func:`analysis.tracking.matching.patch`, at its own position or
at a later frame's position that lies within a known distance of it, so once that distance
is known (:meth:`KeptFrame.narrow`) only the pixels such patches read are copied out and
the picture is let go. The patches read from the copy are bit-identical to the ones read
from the whole frame (the same pixels, the same sub-pixel weights, the same border rule at
the picture's edges).
"""

from __future__ import annotations

import math

import cv2
import numpy as np


class KeptFrame:
    """A past frame (``gray``, uint8 H x W) and the target's position ``pos`` (x, y px) on
    it; whole until :meth:`narrow` keeps only what later patches read."""

    __slots__ = ("pos", "_img", "_x0", "_y0", "_whole")

    def __init__(self, gray: np.ndarray, pos: np.ndarray) -> None:
        self.pos = pos
        self._img = gray
        self._x0 = self._y0 = 0
        self._whole = True

    @property
    def whole(self) -> bool:
        """True while the whole frame is kept (before :meth:`narrow`)."""
        return self._whole

    def narrow(self, reach: float, size: tuple[int, int]) -> None:
        """Keep (a copy of) only the pixels read by patches of ``size`` (w, h) centred
        within ``reach`` px of ``pos`` (each axis); the rest of the picture is let go.

        A patch of width ``w`` centred at ``x`` reads columns ``ip .. ip + w`` with
        ``ip = floor(x - (w - 1) / 2)`` (bilinear: one more than its width), and OpenCV
        takes its fast, border-free path only when that column range lies inside the
        image; a pixel of slack on each side keeps both true on the copy. At the picture's
        edge the copy ends where the picture does, so the border rule is the same."""
        if not self._whole:
            return
        gray = self._img
        h, w = gray.shape
        pw, ph = size
        x, y = float(self.pos[0]), float(self.pos[1])
        if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(reach)):
            return  # kept whole: nothing bounds the reads
        x0 = max(0, math.floor(x - reach - (pw - 1) / 2) - 2)
        y0 = max(0, math.floor(y - reach - (ph - 1) / 2) - 2)
        x1 = min(w, math.floor(x + reach - (pw - 1) / 2) + pw + 3)
        y1 = min(h, math.floor(y + reach - (ph - 1) / 2) + ph + 3)
        if x1 - x0 < pw + 2 or y1 - y0 < ph + 2:
            return  # the target was (nearly) off the picture: kept whole
        self._img = np.array(gray[y0:y1, x0:x1])  # a copy: the picture is let go
        self._x0, self._y0 = x0, y0
        self._whole = False

    def patch(self, xy: tuple[float, float] | np.ndarray, size: tuple[int, int]) -> np.ndarray:
        """:func:`analysis.tracking.matching.patch` of the whole frame at ``xy``: the
        template of ``size`` (w, h) centred there (bilinear), float32. ``xy`` must lie
        within the reach given to :meth:`narrow` once it was called."""
        if self._whole:
            return cv2.getRectSubPix(self._img, size, (float(xy[0]), float(xy[1])),
                                     patchType=cv2.CV_32F)
        # OpenCV takes the centre as float32: rounded first, then moved by whole pixels
        # (exact in float32), it gives the very same sub-pixel weights as on the frame
        cx = float(np.float32(xy[0])) - self._x0
        cy = float(np.float32(xy[1])) - self._y0
        return cv2.getRectSubPix(self._img, size, (cx, cy), patchType=cv2.CV_32F)
