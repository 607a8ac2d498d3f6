"""Applying the user's corrections to detected reps.

The corrections themselves (:class:`Overrides`, :class:`RepOverride`) are session
data, typed and validated in :mod:`analysis.session.overrides`; re-exported here.
"""

from __future__ import annotations

from analysis.session.overrides import BOUNDARIES, FORMAT_VERSION, STATUSES, Overrides, RepOverride

__all__ = ["BOUNDARIES", "FORMAT_VERSION", "STATUSES", "Overrides", "RepOverride",
           "apply_boundaries"]


def apply_boundaries(phases: dict[str, tuple[float, float]], moved: dict[str, float],
                     eccentric_first: bool) -> dict[str, tuple[float, float]]:
    """Phases with moved stroke ends; pauses stretch to follow.

    ``phases``: ``eccentric``, ``bottom_pause``, ``concentric``, ``top_pause`` -> (start,
    end) s; ``moved``: boundary name (:data:`BOUNDARIES`) -> time (s). The pause after the
    second stroke (or before the first) keeps its far end and reaches the moved stroke's
    end; where the stroke now passes it, the pause is empty: a lockout moved past the end
    of a squat's top pause, or a deadlift's lift-off moved before its floor pause began
    (a pause of none before the set's first pull) is the rep's new end or start.

    Raises
    ------
    ValueError
        When the moved boundaries would put the two strokes out of order.
    """
    ph = dict(phases)
    e0, e1 = ph["eccentric"]
    c0, c1 = ph["concentric"]
    e0 = moved.get("eccentric_start", e0)
    e1 = moved.get("eccentric_end", e1)
    c0 = moved.get("concentric_start", c0)
    c1 = moved.get("concentric_end", c1)
    if eccentric_first:
        order = [e0, e1, c0, c1]
        ph["bottom_pause"] = (e1, c0)
        ph["top_pause"] = (c1, max(c1, ph["top_pause"][1]))
    else:  # up-first: the floor pause comes before the pull
        order = [c0, c1, e0, e1]
        ph["top_pause"] = (c1, e0)
        ph["bottom_pause"] = (min(ph["bottom_pause"][0], c0), c0)
    if any(b < a for a, b in zip(order[:-1], order[1:], strict=True)):
        raise ValueError("the moved phase boundaries are out of order")
    ph["eccentric"] = (e0, e1)
    ph["concentric"] = (c0, c1)
    return ph
