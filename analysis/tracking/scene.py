"""Scene changes seen from inside the tracker: cuts, dissolves, fades and blank frames.

Edited clips (a title card, a cut to a close-up, a fade through black) change the
whole picture while the template may still find something that looks like the
bar. The watch compares a tiny normalised thumbnail of each frame with the one a
quarter of a second earlier (in the direction of travel): within one shot the
thumbnails stay strongly correlated even with camera shake, a lifter moving, or
a change of exposure (real phone clips stay above ~0.65), while a cut or a
dissolve drops the correlation below 0.5 and a fade makes the frame blank.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import cv2
import numpy as np

THUMB = 32  # thumbnail side, px
BLANK_STD = 4.0  # grey levels: a frame this flat (fade to black or white) shows nothing
CHANGE_CORR = 0.5  # below this, the picture is no longer the same shot
SETTLED_CORR = 0.9  # frame-to-frame correlation of a shot that is not mid-transition


@dataclass(frozen=True)
class SceneVerdict:
    changed: bool  # a cut, dissolve or blank frame separates this frame from the shot behind it
    settled: bool  # the picture is steady (not blank, not mid-dissolve)
    correlation: float  # with the frame a quarter of a second earlier (-1 when blank)


class SceneWatch:
    """Feed frames in the order they are tracked; each gets a :class:`SceneVerdict`."""

    def __init__(self, fps: float, window_s: float = 0.25) -> None:
        self.lag = max(3, int(round(window_s * max(fps, 1.0))))
        self._history: deque[np.ndarray] = deque(maxlen=self.lag)

    def observe(self, gray: np.ndarray) -> SceneVerdict:
        thumb = _thumbnail(gray)
        if thumb is None:
            self._history.clear()
            return SceneVerdict(True, False, -1.0)
        if not self._history:
            self._history.append(thumb)
            return SceneVerdict(False, True, 1.0)
        far = float(np.mean(thumb * self._history[0]))
        near = float(np.mean(thumb * self._history[-1]))
        if near < CHANGE_CORR:  # a hard cut: the new shot starts with this frame
            self._history.clear()
            self._history.append(thumb)
            return SceneVerdict(True, False, near)
        self._history.append(thumb)
        if far < CHANGE_CORR:  # a dissolve (or a whip pan): changed for as long as it runs
            return SceneVerdict(True, False, far)
        return SceneVerdict(False, near >= SETTLED_CORR, far)

    def reset(self) -> None:
        self._history.clear()


def _thumbnail(gray: np.ndarray) -> np.ndarray | None:
    """Zero-mean, unit-variance thumbnail, or None for a blank frame."""
    # point-sample a 4x grid first (cheap at any size), then average it down
    grid = cv2.resize(gray, (4 * THUMB, 4 * THUMB), interpolation=cv2.INTER_NEAREST)
    small = cv2.resize(grid, (THUMB, THUMB), interpolation=cv2.INTER_AREA).astype(np.float32)
    std = float(small.std())
    if std < BLANK_STD:
        return None
    return (small - float(small.mean())) / std
