"""Scene changes seen from inside the tracker: cuts, dissolves, fades and blank frames.

Edited clips (a title card, a cut to a close-up, a fade through black) change the
whole picture while the template may still find something that looks like the
bar. The watch compares a small thumbnail of each frame with the one a quarter of
a second earlier (in the direction of travel), region by region on a 3x3 grid:

* within one shot most regions stay strongly correlated, even with camera shake,
  a change of exposure, or a lifter or passer-by moving through a part of the
  picture (real phone clips keep at least 7 of 9 regions);
* a cut or a dissolve changes nearly every region at once, and a fade makes the
  whole frame blank;
* a caption or banner appearing over part of the picture changes only the regions
  it covers, so it is not a scene change.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

GRID = 3  # regions per side
CELL = 12  # thumbnail pixels per region side
BLANK_STD = 4.0  # grey levels: a frame this flat (fade to black or white) shows nothing
FLAT_STD = 6.0  # a region this flat (a wall, the sky) is compared by brightness alone
REGION_CORR = 0.5  # below this a region no longer shows the same thing
CHANGED_SHARE = 0.65  # this share of the regions changed: a new scene (6 of 9)
SETTLED_CORR = 0.9  # frame-to-frame correlation of a shot that is not mid-transition


@dataclass(frozen=True)
class SceneVerdict:
    changed: bool  # a cut, dissolve or blank frame separates this frame from the shot behind it
    settled: bool  # the picture is steady (not blank, not mid-dissolve)
    share: float  # share of regions changed against the frame a quarter of a second earlier


class SceneWatch:
    """Feed frames in the order they are tracked; each gets a :class:`SceneVerdict`."""

    def __init__(self, fps: float, window_s: float = 0.25) -> None:
        self.lag = max(3, int(round(window_s * max(fps, 1.0))))
        self._history: deque[Thumbnail] = deque(maxlen=self.lag)

    def observe(self, gray: np.ndarray, thumb: Thumbnail | None = None) -> SceneVerdict:
        """The verdict on ``gray``; ``thumb``: its :func:`thumbnail` when made already
        (e.g. on the decoding thread, while the frame was still in the processor's cache)."""
        if thumb is None:
            thumb = thumbnail(gray)
        if thumb.blank:
            self._history.clear()
            return SceneVerdict(True, False, 1.0)
        if not self._history:
            self._history.append(thumb)
            return SceneVerdict(False, True, 0.0)
        near_changed, near_corr = thumb.compare(self._history[-1])
        if near_changed >= CHANGED_SHARE:  # a hard cut: the new shot starts with this frame
            self._history.clear()
            self._history.append(thumb)
            return SceneVerdict(True, False, near_changed)
        far_changed, _ = thumb.compare(self._history[0], whole=False)
        self._history.append(thumb)
        if far_changed >= CHANGED_SHARE:  # a dissolve (or a whip pan), for as long as it runs
            return SceneVerdict(True, False, far_changed)
        return SceneVerdict(False, near_corr >= SETTLED_CORR, far_changed)


def thumbnail(gray: np.ndarray) -> Thumbnail:
    """What :meth:`SceneWatch.observe` compares of a frame (any thread may make it)."""
    return thumbnails([gray])[0]


def thumbnails(grays: Sequence[np.ndarray]) -> list[Thumbnail]:
    """:func:`thumbnail` of each of ``grays`` (luma planes, 2-D uint8 of any size), made
    together: the same values as one at a time, with the array work done once for all of
    them (making a thumbnail is mostly the overhead of small array operations, paid per
    call: four frames together cost about as much as two one at a time)."""
    side = GRID * CELL
    big = 4 * side
    count = len(grays)
    if count == 0:
        return []
    # point-sample a 4x grid first (cheap at any size), then average it down (4x4 blocks:
    # each frame's block of rows is averaged on its own)
    grid = np.empty((count * big, big), np.uint8)
    for i, gray in enumerate(grays):
        rows = grid[i * big:(i + 1) * big]
        made = cv2.resize(gray, (big, big), dst=rows, interpolation=cv2.INTER_NEAREST)
        if made is not rows:  # not uint8 (OpenCV made a new picture instead)
            rows[...] = made
    t = cv2.resize(grid, (side, count * side), interpolation=cv2.INTER_AREA)
    stats = [cv2.meanStdDev(t[i * side:(i + 1) * side]) for i in range(count)]
    mean = np.array([float(m[0, 0]) for m, _ in stats])
    std = np.array([float(d[0, 0]) for _, d in stats])
    # exposure changes shift and scale the whole picture: normalise it first
    whole = t.reshape(count, side, side).astype(np.float32)
    whole -= mean.astype(np.float32)[:, None, None]
    whole *= (1.0 / np.maximum(std, 1e-6)).astype(np.float32)[:, None, None]
    regions = whole.reshape(count, GRID, CELL, GRID, CELL).swapaxes(2, 3)
    regions = regions.reshape(count, GRID * GRID, CELL * CELL)  # a copy
    level = np.add.reduce(regions, axis=2) / np.float32(CELL * CELL)
    regions -= level[:, :, None]
    spread = np.sqrt(np.einsum("fij,fij->fi", regions, regions) / (CELL * CELL))
    z = np.divide(regions, np.maximum(spread, 1e-6)[:, :, None], out=regions)
    # a wall or the sky: compared by brightness only
    flat = spread * std.astype(np.float32)[:, None] < FLAT_STD
    any_flat = flat.any(axis=1)
    blank = std < BLANK_STD
    return [_Thumb(bool(blank[i]), whole[i], z[i], level[i], flat[i], bool(any_flat[i]))
            for i in range(count)]


class _Thumb:
    """A frame reduced to 3x3 regions, normalised once so comparisons are a few products
    (made for every frame: few array operations; see :func:`thumbnails`)."""

    __slots__ = ("blank", "whole", "z", "level", "flat", "any_flat")

    def __init__(self, blank: bool, whole: np.ndarray, z: np.ndarray, level: np.ndarray,
                 flat: np.ndarray, any_flat: bool) -> None:
        self.blank = blank  # a fade to black or white: the frame shows nothing
        self.whole = whole  # (side, side) float32, the picture normalised
        self.z = z  # (GRID * GRID, CELL * CELL) float32, each region normalised
        self.level = level  # (GRID * GRID,) each region's mean in units of picture contrast
        self.flat = flat  # (GRID * GRID,) bool, regions too flat to correlate
        self.any_flat = any_flat

    def compare(self, other: Thumbnail, whole: bool = True) -> tuple[float, float]:
        """(share of regions that changed, whole-picture correlation; NaN unless ``whole``)."""
        corr = np.einsum("ij,ij->i", self.z, other.z) / (CELL * CELL)
        if self.any_flat or other.any_flat:
            both_flat = self.flat & other.flat
            level_moved = np.abs(self.level - other.level) > 0.5  # in units of picture contrast
            changed = np.where(both_flat, level_moved,
                               (self.flat != other.flat) | (corr < REGION_CORR))
            share = float(np.count_nonzero(changed)) / len(changed)
        else:
            share = float(np.count_nonzero(corr < REGION_CORR)) / len(corr)
        if not whole:
            return share, float("nan")
        return share, float(np.einsum("ij,ij->", self.whole, other.whole)) / self.whole.size


Thumbnail = _Thumb
