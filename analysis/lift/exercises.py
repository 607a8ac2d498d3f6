"""Which lift profile an exercise follows (does a rep start down or up?).

The profile decides the phase order of every rep: squat and bench start with
the eccentric (the bar goes down first), deadlift and press with the concentric.
"""

from __future__ import annotations

from analysis.lift.rep_phases import LIFTS

#: (words in the exercise name, lift profile), checked in order; anything else is
#: unknown (None): the analysis then finds the direction from the motion, so a
#: deadlift without an exercise is not read as a squat.
EXERCISE_LIFTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("dead", "pull", "clean", "snatch"), "deadlift"),
    (("bench",), "bench"),
    (("press", "jerk"), "press"),
    (("squat", "lunge"), "squat"),
)
DEFAULT_LIFT: str | None = None


def lift_for(exercise: str | None) -> str | None:
    """The lift profile (one of ``analysis.lift.rep_phases.LIFTS``) for an exercise name,
    None when the name does not say (see :func:`analysis.lift.result.analyze_track`).

    A lift profile's own name maps to itself ("deadlift" -> "deadlift"), so the
    command line's ``--lift`` and the session's free-text exercise share this table.
    """
    e = (exercise or "").strip().lower()
    if e in LIFTS:
        return e
    for words, lift in EXERCISE_LIFTS:
        if any(w in e for w in words):
            return lift
    return DEFAULT_LIFT
