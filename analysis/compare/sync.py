"""The arithmetic of a common timeline over two clips.

Common time ``tau`` is 0 at the shared event (for example the start of rep 1) and is
counted in real seconds: a slow-motion side (a phone's 120 fps capture played at 30,
``factor`` 0.25 real seconds per clip second, :class:`analysis.video.capture.TimeScale`)
moves 4 clip seconds per common second, so it compares with a real-time clip as the
lifts happened. Each side maps ``tau`` to its own clip time: in *real* mode by a shift
and its scale (``t = event + offset + tau / factor``); in *tempo-normalised* mode the second side is
stretched piecewise-linearly between matching events (rep start, bottom,
lockout) so two reps of different speed line up phase by phase. Frame lookups
use each clip's real timestamps, so different frame rates, VFR clips and
different lengths all work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from analysis.video.index import VideoIndex


@dataclass(frozen=True)
class SideTiming:
    """How one side's clip time relates to common time.

    Attributes
    ----------
    times : numpy.ndarray
        Presentation time (s) of every frame of the clip.
    event : float
        Clip time (s) of the shared event.
    offset : float
        Fine adjustment (s) added to the event time.
    warp_common, warp_clip : tuple of float
        Matching event times for tempo-normalised mode: common times (s, real) and
        this clip's times (s), increasing. Empty for real-time mode.
    factor : float
        Real seconds per clip second (1 for a real-time clip, 0.25 for a 120 fps
        capture played at 30: ``TimeScale.factor``); > 0.
    """

    times: np.ndarray
    event: float = 0.0
    offset: float = 0.0
    warp_common: tuple[float, ...] = field(default_factory=tuple)
    warp_clip: tuple[float, ...] = field(default_factory=tuple)
    factor: float = 1.0

    def __post_init__(self) -> None:
        if not (np.isfinite(self.factor) and self.factor > 0):
            raise ValueError(f"a side's time factor must be positive (got {self.factor})")

    @classmethod
    def from_index(cls, index: VideoIndex, event: float = 0.0, offset: float = 0.0,
                   factor: float = 1.0) -> SideTiming:
        return cls(np.asarray(index.times, float), event, offset, factor=factor)

    @property
    def duration(self) -> float:
        if len(self.times) < 2:
            return 0.0
        return float(self.times[-1] + np.median(np.diff(self.times)))

    @property
    def anchor(self) -> float:
        return self.event + self.offset

    def clip_time(self, tau: float | np.ndarray) -> np.ndarray:
        """Clip time (s) shown at common time ``tau`` (s, real)."""
        tau = np.asarray(tau, float)
        if len(self.warp_common) >= 2:
            return _piecewise(tau, np.asarray(self.warp_common), np.asarray(self.warp_clip),
                              1.0 / self.factor) + self.offset
        return self.anchor + tau / self.factor

    def common_time(self, t: float | np.ndarray) -> np.ndarray:
        """Inverse of :meth:`clip_time`: common time (s, real) of clip time ``t`` (s)."""
        t = np.asarray(t, float)
        if len(self.warp_common) >= 2:
            return _piecewise(t - self.offset, np.asarray(self.warp_clip),
                              np.asarray(self.warp_common), self.factor)
        return (t - self.anchor) * self.factor

    def frame_at(self, tau: float) -> int:
        """Frame shown at common time ``tau``; -1 before the clip starts or after it ends."""
        t = float(self.clip_time(tau))
        if t < self.times[0] - 1e-9 or t >= self.duration - 1e-9:
            return -1
        return int(np.searchsorted(self.times, t + 1e-9, side="right")) - 1

    def frame_or_hold(self, tau: float) -> int:
        """Like :meth:`frame_at`, but holds the first/last frame outside the clip."""
        n = self.frame_at(tau)
        if n >= 0:
            return n
        return 0 if float(self.clip_time(tau)) < self.times[0] else len(self.times) - 1


def _piecewise(x: np.ndarray, xp: np.ndarray, fp: np.ndarray, slope: float = 1.0) -> np.ndarray:
    """Linear interpolation through (xp, fp), extended with ``slope`` beyond the ends."""
    y = np.interp(x, xp, fp)
    y = np.where(x < xp[0], fp[0] + (x - xp[0]) * slope, y)
    return np.where(x > xp[-1], fp[-1] + (x - xp[-1]) * slope, y)


class CommonTimeline:
    """Two sides on one timeline: range, frame pairs and joint stepping."""

    def __init__(self, a: SideTiming, b: SideTiming) -> None:
        self.sides = (a, b)
        starts = [float(s.common_time(s.times[0])) for s in self.sides]
        ends = [float(s.common_time(s.duration)) for s in self.sides]
        self.start = min(starts)
        self.end = max(ends)
        # Every instant where either side changes frame: stepping visits each once.
        marks = np.concatenate([s.common_time(s.times) for s in self.sides])
        self.steps = np.unique(np.round(marks[(marks >= self.start) & (marks < self.end)], 9))

    @property
    def duration(self) -> float:
        return self.end - self.start

    def frames_at(self, tau: float, hold: bool = True) -> tuple[int, int]:
        """Frame of each side at common time ``tau``."""
        if hold:
            return tuple(s.frame_or_hold(tau) for s in self.sides)  # type: ignore[return-value]
        return tuple(s.frame_at(tau) for s in self.sides)  # type: ignore[return-value]

    def step(self, tau: float, k: int) -> float:
        """Common time ``k`` frame changes after (k > 0) or before (k < 0) ``tau``."""
        i = int(np.searchsorted(self.steps, tau + 1e-7, side="right")) - 1
        i = min(max(i + k, 0), len(self.steps) - 1)
        return float(self.steps[i])

    def snap(self, tau: float) -> float:
        """The step mark at or before ``tau``."""
        return self.step(tau, 0)


def normalised_side(times: np.ndarray, events_a: list[float], events_b: list[float],
                    offset: float = 0.0, factor_a: float = 1.0,
                    factor_b: float = 1.0) -> SideTiming:
    """Side B stretched so its events land on side A's (common time = A's real time after
    A's first event).

    Parameters
    ----------
    times : numpy.ndarray
        Frame times (s) of clip B.
    events_a, events_b : list of float
        Matching event times (s) in clip A and clip B (each in its own clip time), same
        length (≥ 2), increasing.
    offset : float
        B's fine adjustment (s, clip time).
    factor_a, factor_b : float
        Real seconds per clip second of A and of B (slow motion: ``TimeScale.factor``);
        outside the events B runs at its own real-time pace.
    """
    if len(events_a) != len(events_b) or len(events_a) < 2:
        raise ValueError("tempo-normalised sync needs the same two or more events on both sides")
    ea, eb = np.asarray(events_a, float), np.asarray(events_b, float)
    if np.any(np.diff(ea) <= 0) or np.any(np.diff(eb) <= 0):
        raise ValueError("events must be in increasing time order on both sides")
    return SideTiming(np.asarray(times, float), float(eb[0]), offset,
                      tuple((ea - ea[0]) * factor_a), tuple(eb), factor_b)
