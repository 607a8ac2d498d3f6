"""The user's corrections to detected reps: plain, JSON-serialisable data.

A correction names its rep by a time inside it (``at``, s) rather than by a
number, so it still finds its rep when detection changes (e.g. after
re-tracking). Statuses: ``valid`` (default), ``false`` (not a rep: not counted,
not in set numbers), ``failed`` (attempted, not completed: not counted, not in
velocity loss), ``partial`` (counted, shown, but left out of velocity loss and
path consistency). Boundaries move the four stroke ends; the pauses follow.

Stored form (``to_dict``)::

    {"version": 1,
     "reps": [{"at": 12.3, "status": "failed"},
              {"at": 20.1, "boundaries": {"concentric_start": 20.45}}]}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

STATUSES = ("valid", "false", "failed", "partial")
BOUNDARIES = ("eccentric_start", "eccentric_end", "concentric_start", "concentric_end")
FORMAT_VERSION = 1


@dataclass
class RepOverride:
    """One rep's correction: ``at`` (s, a time inside the rep), status, moved boundaries (s)."""

    at: float
    status: str | None = None
    boundaries: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not np.isfinite(self.at):
            raise ValueError("a rep correction needs the time of its rep")
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"unknown rep status {self.status!r}: use one of "
                             f"{', '.join(STATUSES)}")
        for k, v in self.boundaries.items():
            if k not in BOUNDARIES:
                raise ValueError(f"unknown phase boundary {k!r}: use one of "
                                 f"{', '.join(BOUNDARIES)}")
            if not np.isfinite(v):
                raise ValueError(f"the time of boundary {k!r} is not a number")


@dataclass
class Overrides:
    """All corrections of one recording."""

    reps: list[RepOverride] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = []
        for r in self.reps:
            d: dict[str, Any] = {"at": r.at}
            if r.status is not None:
                d["status"] = r.status
            if r.boundaries:
                d["boundaries"] = dict(r.boundaries)
            out.append(d)
        return {"version": FORMAT_VERSION, "reps": out}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Overrides:
        """Read stored corrections; ``ValueError`` in plain words when malformed."""
        if d is None:
            return cls()
        if not isinstance(d, dict) or not isinstance(d.get("reps", []), list):
            raise ValueError("the rep corrections are damaged (expected {'reps': [...]})")
        reps = []
        for i, r in enumerate(d.get("reps", [])):
            try:
                reps.append(RepOverride(float(r["at"]), r.get("status"),
                                        {str(k): float(v) for k, v in
                                         dict(r.get("boundaries") or {}).items()}))
            except (KeyError, TypeError, AttributeError) as exc:
                raise ValueError(f"rep correction {i + 1} is damaged ({exc})") from exc
        return cls(reps)

    def for_rep(self, start: float, end: float, turn: float) -> RepOverride | None:
        """The correction whose ``at`` lies in [start, end]; the one nearest ``turn`` wins."""
        inside = [r for r in self.reps if start <= r.at <= end]
        return min(inside, key=lambda r: abs(r.at - turn)) if inside else None


def apply_boundaries(phases: dict[str, tuple[float, float]], moved: dict[str, float],
                     eccentric_first: bool) -> dict[str, tuple[float, float]]:
    """Phases with moved stroke ends; pauses stretch to follow.

    Raises
    ------
    ValueError
        When the moved boundaries would put the phases out of order.
    """
    ph = dict(phases)
    e0, e1 = ph["eccentric"]
    c0, c1 = ph["concentric"]
    e0 = moved.get("eccentric_start", e0)
    e1 = moved.get("eccentric_end", e1)
    c0 = moved.get("concentric_start", c0)
    c1 = moved.get("concentric_end", c1)
    if eccentric_first:
        order = [ph["eccentric"][0] if "eccentric_start" not in moved else e0, e1, c0, c1,
                 ph["top_pause"][1]]
        ph["bottom_pause"] = (e1, c0)
        ph["top_pause"] = (c1, ph["top_pause"][1])
    else:
        order = [c0, c1, e0, e1, ph["bottom_pause"][1]]
        ph["top_pause"] = (c1, e0)
        ph["bottom_pause"] = (e1, ph["bottom_pause"][1])
    if any(b < a for a, b in zip(order[:-1], order[1:], strict=True)):
        raise ValueError("the moved phase boundaries are out of order")
    ph["eccentric"] = (e0, e1)
    ph["concentric"] = (c0, c1)
    return ph
