"""Which analysis an exercise gets: a lift profile (does a rep start down or up?), and for
the snatch, the clean and the jerk the weightlifting analysis of each attempt.

The profile decides the phase order of every rep: squat and bench start with
the eccentric (the bar goes down first), deadlift and press with the concentric.
A weightlifting exercise (:func:`weightlifting_for`) keeps a lift profile for the
generic numbers (deadlift for lifts from the floor, press for a jerk alone) and is
analysed attempt by attempt by :mod:`analysis.lift.weightlifting`.
"""

from __future__ import annotations

from dataclasses import dataclass

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

#: (words, weightlifting lift), checked in order after the pulls are ruled out: the
#: first match wins, so "clean and jerk" is not read as a clean.
WEIGHTLIFTING_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("clean and jerk", "clean & jerk", "clean&jerk", "c&j", "c & j", "clean_and_jerk"),
     "clean_and_jerk"),
    (("snatch",), "snatch"),
    (("jerk",), "jerk"),
    (("clean",), "clean"),
)
#: Exercises named with these words are strength exercises of the lifts, not the lifts:
#: a pull or a deadlift has no catch, a snatch balance or a push press no pull.
NOT_WEIGHTLIFTING: tuple[str, ...] = ("pull", "dead", "balance", "push press", "high pull")
#: Variants (options of the same analysis): "power" is caught above parallel, "hang"
#: starts from the hang (the bar above the knees, not on the floor), "block" from blocks,
#: "split"/"push"/"squat" name the jerk's or the catch's style.
VARIANTS: tuple[str, ...] = ("power", "hang", "block", "split", "push", "squat")


@dataclass(frozen=True)
class WeightliftingProfile:
    """A weightlifting exercise: ``lift`` is one of
    :data:`analysis.lift.weightlifting.WEIGHTLIFTING_LIFTS`; ``variants`` the words of
    :data:`VARIANTS` in the name; ``from_floor`` is False for a hang or block start
    (heights are then measured from the start, not the floor)."""

    lift: str
    variants: tuple[str, ...] = ()

    @property
    def from_floor(self) -> bool:
        return not ({"hang", "block"} & set(self.variants)) and self.lift != "jerk"

    @property
    def label(self) -> str:
        """``power clean``, ``hang snatch``, ``clean and jerk``."""
        named = [v for v in self.variants if v in ("power", "hang", "block", "split", "push")]
        return " ".join([*named, self.lift.replace("_", " ")])


def lift_for(exercise: str | None) -> str | None:
    """The lift profile (one of ``analysis.lift.rep_phases.LIFTS``) for an exercise name,
    None when the name does not say (see :func:`analysis.lift.result.analyze_track`).

    A lift profile's own name maps to itself ("deadlift" -> "deadlift"), so the
    command line's ``--lift`` and the session's free-text exercise share this table.
    A weightlifting lift's own name maps like the exercise ("clean_and_jerk" ->
    "deadlift", "jerk" -> "press").
    """
    e = (exercise or "").strip().lower()
    if e in LIFTS:
        return e
    for words, lift in EXERCISE_LIFTS:
        if any(w in e for w in words):
            return lift
    return DEFAULT_LIFT


def weightlifting_for(exercise: str | None) -> WeightliftingProfile | None:
    """The weightlifting profile of an exercise name (``"power clean"``, ``"hang snatch"``,
    ``"clean & jerk"``, ``"split jerk"``, ``"snatch"``), None for any other exercise
    (pulls, deadlifts, presses, squats, snatch balance)."""
    e = " ".join((exercise or "").strip().lower().replace("-", " ").split())
    if not e or any(w in e for w in NOT_WEIGHTLIFTING):
        return None
    for words, lift in WEIGHTLIFTING_WORDS:
        if any(w in e for w in words):
            found = tuple(v for v in VARIANTS if v in e.split())
            return WeightliftingProfile(lift, found)
    return None


def exercise_key(exercise: str | None) -> str:
    """An exercise name as compared: case, underscores, hyphens and spacing aside
    (``"Clean_and_Jerk"`` and ``"clean and jerk"`` are one exercise; a batch folder name
    and the app's list name it either way)."""
    return " ".join((exercise or "").lower().replace("_", " ").replace("-", " ").split())


def same_exercise(a: str | None, b: str | None) -> bool:
    """True when two exercise names are one lift written two ways: equal keys
    (:func:`exercise_key`), or one name's words all in the other's ("squat" and "back
    squat", "bench" and "bench press") with the same lift profile (:func:`lift_for`) and
    the same weightlifting lift and variants (:func:`weightlifting_for`).

    A different lift is never the same exercise, even with the same lift profile: a clean
    and jerk or a snatch (deadlift profile) is not a deadlift, a power clean is not a
    clean, and an Olympic lift never matches a powerlift. Empty names match nothing.
    """
    ka, kb = exercise_key(a), exercise_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    wa, wb = set(ka.split()), set(kb.split())
    if not (wa <= wb or wb <= wa):
        return False
    return lift_for(ka) == lift_for(kb) and weightlifting_for(ka) == weightlifting_for(kb)
