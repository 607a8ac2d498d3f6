"""What the weightlifting analysis (:mod:`analysis.lift.weightlifting`) returns: each
attempt's phases and measures, in SI units (s, m, m/s)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Phase:
    """One phase of an attempt: name and times (s)."""

    name: str
    start_t: float
    end_t: float

    @property
    def duration_s(self) -> float:
        return self.end_t - self.start_t


@dataclass
class Attempt:
    """One attempt's phases and measures (SI units: s, m, m/s).

    ``number`` counts from 1. ``missed`` is True when the bar came back to the floor
    after the catch. ``jerk`` holds the jerk's own measures in a clean and jerk (or a
    jerk alone). ``warnings`` are plain sentences.
    """

    number: int
    lift: str
    phases: list[Phase]
    liftoff_t: float
    liftoff_height_m: float
    peak_velocity_t: float
    peak_velocity_m_s: float
    peak_height_t: float
    peak_height_m: float
    peak_rise_m: float
    catch_t: float
    catch_height_m: float
    drop_m: float
    x1_m: float | None
    x2_m: float | None
    x3_m: float | None
    net_x_m: float | None
    most_forward_m: float | None
    trajectory_type: int | None
    missed: bool
    first_pull_peak_velocity_m_s: float | None = None
    jerk: dict[str, float | None] | None = None
    warnings: list[str] = field(default_factory=list)

    def phase(self, name: str) -> Phase | None:
        return next((p for p in self.phases if p.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["phases"] = [{"name": p.name, "start_t": p.start_t, "end_t": p.end_t,
                        "duration_s": p.duration_s} for p in self.phases]
        return d


@dataclass
class WeightliftingResult:
    """All attempts of a clip. ``lifter_faces`` is ``"left"`` or ``"right"`` in the image."""

    lift: str
    attempts: list[Attempt]
    lifter_faces: str | None
    units: str
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"lift": self.lift, "units": self.units, "lifter_faces": self.lifter_faces,
                "attempts": [a.to_dict() for a in self.attempts], "warnings": self.warnings}
