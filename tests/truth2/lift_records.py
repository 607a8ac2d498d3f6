"""The truth records of the generated weightlifting bar paths (:mod:`weightlifting_truth`):
phases, the jerk, one attempt, a whole trajectory, and Vorobyev's trajectory type.

Times in s, heights in m above the floor, x in m with +x = away from the lifter (the
frame of reference is described in :mod:`tests.truth2.weightlifting_truth`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np

FLOOR_BAR_HEIGHT_M = 0.225  # bar centre on the floor = radius of a 450 mm plate
RACK_HEIGHT_M = 1.43  # bar on the shoulders (front rack), standing, ~1.75 m lifter
TYPE_TOUCH_TOL_M = 0.01  # |x_fwd| within this (and <= 0) counts as "touches the line"
_TYPE_X_FWD = {1: 0.03, 2: -0.004, 3: -0.035}


@dataclass(frozen=True)
class PhaseTruth:
    name: str
    start_t: float
    end_t: float

    @property
    def duration(self) -> float:
        return self.end_t - self.start_t


@dataclass(frozen=True)
class JerkTruth:
    """Truth of the jerk part of a clean and jerk (heights in m above the floor)."""

    rack_height_m: float
    dip_start_t: float
    dip_bottom_t: float
    dip_depth_m: float
    peak_velocity_t: float
    peak_velocity_m_s: float
    peak_height_t: float
    peak_height_m: float
    catch_t: float
    catch_height_m: float
    drop_m: float
    recovery_end_t: float
    final_height_m: float


@dataclass(frozen=True)
class AttemptTruth:
    """Exact truth for one attempt.

    Times in s, heights in m above the floor, x in m with +x = away from the lifter.
    For a clean and jerk the pull/catch fields describe the CLEAN; ``jerk`` holds the
    jerk.  ``phases`` are contiguous and ordered (each ``end_t`` is the next
    ``start_t``).
    """

    kind: str
    phases: list[PhaseTruth]
    liftoff_t: float
    peak_velocity_t: float
    peak_height_t: float
    catch_t: float
    peak_height_m: float
    catch_height_m: float
    drop_m: float
    peak_velocity_m_s: float
    x1_m: float
    x2_m: float
    x3_m: float
    net_x_m: float
    trajectory_type: int
    missed: bool
    # extras
    liftoff_height_m: float = FLOOR_BAR_HEIGHT_M
    peak_height_rel_m: float = 0.0  # peak height - lift-off height
    end_first_pull_t: float = 0.0
    end_first_pull_velocity_m_s: float = 0.0
    transition_min_velocity_m_s: float = 0.0
    second_pull_start_t: float = 0.0
    rearmost_t: float = 0.0
    forward_t: float = 0.0
    x_forward_m: float = 0.0  # most forward x after the rearmost point (type criterion)
    recovery_end_t: float | None = None
    final_height_m: float | None = None
    landed_t: float | None = None  # missed lifts: the bar is back on the floor, at rest
    landed_height_m: float | None = None
    landed_x_m: float | None = None
    jerk: JerkTruth | None = None
    lifter_faces: str | None = None  # filled in by to_track_csv

    def phase(self, name: str) -> PhaseTruth:
        for p in self.phases:
            if p.name == name:
                return p
        raise KeyError(name)


@dataclass
class Trajectory:
    """Vectorised bar path: ``x(t)``, ``y(t)`` in m, ``vx``/``vy`` in m/s, for t in s.

    Unpacks as ``x, y, attempts, duration = snatch()``.
    """

    name: str
    x: Callable[[np.ndarray], np.ndarray]
    y: Callable[[np.ndarray], np.ndarray]
    vx: Callable[[np.ndarray], np.ndarray]
    vy: Callable[[np.ndarray], np.ndarray]
    attempts: list[AttemptTruth]
    duration: float
    knots_vy: tuple[np.ndarray, np.ndarray] = field(repr=False, default=None)
    knots_x: tuple[np.ndarray, np.ndarray] = field(repr=False, default=None)

    def __iter__(self) -> Iterator:
        return iter((self.x, self.y, self.attempts, self.duration))


def classify_trajectory(x_fwd_rel_m: float, tol_m: float = TYPE_TOUCH_TOL_M) -> int:
    """Type from the most forward x (relative to lift-off) after the rearmost point."""
    if x_fwd_rel_m > 0.0:
        return 1
    if x_fwd_rel_m >= -tol_m:
        return 2
    return 3

