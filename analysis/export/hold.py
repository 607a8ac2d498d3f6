"""Slowed exports play smoothly: each picture is held (written again) instead of
leaving the file at a few frames per second.

A 30 fps clip exported at 1/4 speed holds 7.5 pictures per second. The timing is
right, but phone players, messaging apps and browsers treat such a file badly (it
stutters, scrubs in jumps, is re-encoded with blended frames). Inventing the missing
pictures (blending, optical flow) would show bar positions that never happened, which
a measuring app must not do. So every captured picture is kept exactly as it is and
written ``n`` times in a row, each copy for ``1/n`` of its time on screen: the file
plays at the source's rate (at least :data:`SMOOTH_FPS`, at most :data:`HELD_FPS`),
and each copy carries the overlay of its own picture, so the times and velocities
burnt in stay those of the moment it was captured. H.264 codes an exact copy in a
few bytes (skipped blocks), so the file hardly grows.

An export at real speed or faster plays at its source's own rate, whatever it is,
and a slowed export that already plays at :data:`SMOOTH_FPS` or more is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from analysis.export.writer import VideoWriter

#: Pictures per second under which an export is held (the film rate; players and
#: messaging apps handle 24 fps and up as ordinary video).
SMOOTH_FPS = 24.0
#: The rate a held export aims at when the source is faster (a 60 or 120 fps source
#: slowed down needs no more copies than a 30 fps one to play smoothly).
HELD_FPS = 30.0


def hold_counts(durations: np.ndarray, source_fps: float, speed: float) -> np.ndarray:
    """How many times each output picture is written.

    Parameters
    ----------
    durations : numpy.ndarray
        Time on screen of each picture in the exported file (s), in order.
    source_fps : float
        Pictures per second of the source as it plays (frames/s).
    speed : float
        The export's speed (0.25 = four times slower than it happened).

    Returns
    -------
    numpy.ndarray of int64
        Per picture, 1 or more. All 1 at ``speed`` 1 or more, and when the export
        plays at :data:`SMOOTH_FPS` or more; otherwise each picture is written ``round(duration x target)`` times
        (at least once), the target being ``source_fps`` kept within
        [:data:`SMOOTH_FPS`, :data:`HELD_FPS`] (a 30 fps clip at 1/4 speed: 4 times,
        30 fps; at 1/8: 8 times).
    """
    d = np.asarray(durations, float)
    ones = np.ones(len(d), np.int64)
    total = float(d.sum()) if len(d) else 0.0
    if speed >= 1.0 - 1e-9 or total <= 0 or len(d) / total >= SMOOTH_FPS - 1e-6:
        return ones
    target = min(max(float(source_fps) if source_fps > 0 else 0.0, SMOOTH_FPS), HELD_FPS)
    return np.maximum(ones, np.floor(d * target + 0.5).astype(np.int64))


def held_times(out_times: np.ndarray, durations: np.ndarray, counts: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """Start and duration (s) of every written picture, copies included: picture ``k``
    shown from ``out_times[k]`` for ``durations[k]`` is split into ``counts[k]`` equal
    parts."""
    n = np.asarray(counts, np.int64)
    reps = np.repeat(np.arange(len(n)), n)
    part = np.asarray(durations, float)[reps] / n[reps]
    first = np.concatenate([[0], np.cumsum(n)[:-1]]) if len(n) else np.zeros(0, np.int64)
    j = np.arange(len(reps)) - first[reps]
    return np.asarray(out_times, float)[reps] + j * part, part


class HeldOutput:
    """Writes each picture of an export as its held copies and reports the progress:
    the last step of every video export (a clip, a comparison).

    Parameters
    ----------
    writer : VideoWriter
        The encoder (:mod:`analysis.export.writer`).
    out_times, durations : numpy.ndarray
        Start and time on screen (s) of each picture in the exported file.
    counts : numpy.ndarray
        How many times each picture is written (:func:`hold_counts`).
    progress : callable, optional
        ``progress(done, total)`` in pictures (a held picture counts once), called
        after each picture is written; ``done`` reaches ``total`` with the last one.
    """

    def __init__(self, writer: VideoWriter, out_times: np.ndarray, durations: np.ndarray,
                 counts: np.ndarray, progress: Callable[[int, int], None] | None) -> None:
        self.writer = writer
        self.counts = np.asarray(counts, np.int64)
        self.starts, self.parts = held_times(out_times, durations, self.counts)
        self.first = (np.concatenate([[0], np.cumsum(self.counts)[:-1]]) if len(self.counts)
                      else np.zeros(0, np.int64))
        self.progress = progress
        self.total = len(self.counts)
        #: Pictures written so far (a held picture counts once).
        self.done = 0

    def write(self, k: int, planar: np.ndarray) -> None:
        """Write picture ``k`` (I420, ``(h * 3 // 2, w)`` uint8) as many times as it is held."""
        j = int(self.first[k])
        for p in range(j, j + int(self.counts[k])):
            self.writer.write_video(planar, True, float(self.starts[p]), float(self.parts[p]))
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)
