"""Which reps count in a set's numbers: the one rule every view and output uses.

A set's summary numbers are its best MCV (and the rep it came from), its mean MCV, mean
ROM and mean tempo, its velocity loss, its bar-path consistency, its tempo compliance,
and, in Progress, its point on the load-velocity profile (so the e1RM read from it).
They are all taken over the same reps, chosen here by :func:`counted_reps`, and every
output that gives one of them says which reps it is over (:meth:`CountedReps.note`,
:func:`on_tempo_text`):

- a **full rep** (status ``valid``) **with no flag** counts;
- a **flagged** rep (⚑: the track through it is unreliable, lost, filled over a gap or of
  low confidence, or the bar wandered sideways, :mod:`analysis.lift.plausibility`) is
  shown with its numbers but left out: its MCV rests on frames the tracker was not sure
  of, and one such rep read fast would become the set's best MCV, move its profile point
  and e1RM, and inflate its velocity loss;
- a **partial** rep is counted as a rep (the lifter did it) and shown, but left out: a
  shorter stroke has another mean velocity, ROM and tempo than the set's full reps;
- a **failed** rep and a movement that is **not a rep** (status ``false``) are never in
  the set's numbers; they are not in its rep count either, and the rep table shows them as
  such, so :attr:`CountedReps.left_out` does not list them again.

When every full rep is flagged, the flagged full reps are used (``from_flagged``): a set
with numbers that say "read with care" serves a coach better than a set with none, and
the outputs say so (:meth:`CountedReps.note`). A set without a full rep has no numbers.

This is the rule the velocity loss already followed: it is taken from the fastest counted
rep to the last counted one, ``100 (MCV_best - MCV_last) / MCV_best`` (Sánchez-Medina &
González-Badillo 2011, *Med Sci Sports Exerc* 43:1725-1734, who take the loss from the
fastest rep, usually the first, to the last), so the best MCV, the profile point and the
loss all read the same fastest rep.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

#: Words of a drift flag (:func:`analysis.lift.plausibility.drift_flags`): every other
#: flag is about the track (lost, filled, low confidence).
DRIFT_WORDS = "sideways"
TRACK_UNRELIABLE = "track unreliable"
DRIFTED = "bar moved sideways"
PARTIAL = "partial"


class CountableRep(Protocol):
    """What the rule reads of a rep (:class:`analysis.lift.result.RepResult`, or a
    :class:`analysis.progress.history.RepPoint`)."""

    @property
    def number(self) -> int: ...

    @property
    def status(self) -> str: ...

    @property
    def flags(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class CountedReps:
    """The reps in a set's numbers, and why the others of its rep count are not.

    Attributes
    ----------
    counted : tuple of int
        Rep numbers the set's numbers are taken over, in order.
    left_out : tuple of (int, str)
        Rep number and short reason ("track unreliable", "bar moved sideways",
        "partial") of every rep in the rep count that is not in ``counted``.
    from_flagged : bool
        Every full rep was flagged, so ``counted`` are flagged reps.
    counted_reasons : tuple of str
        With ``from_flagged``: why each counted rep was flagged (short reasons).
    """

    counted: tuple[int, ...] = ()
    left_out: tuple[tuple[int, str], ...] = ()
    from_flagged: bool = False
    counted_reasons: tuple[str, ...] = ()

    def __contains__(self, number: object) -> bool:
        return number in self.counted

    def best(self, values: Mapping[int, float]) -> tuple[int, float] | None:
        """``(rep, value)`` of the highest finite value of a counted rep (the fastest rep
        when ``values`` are MCVs); None without one. Ties go to the earlier rep."""
        got = [(n, float(values[n])) for n in self.counted
               if n in values and np.isfinite(values[n])]
        return max(got, key=lambda nv: nv[1]) if got else None

    def mean(self, values: Mapping[int, float]) -> float | None:
        """Mean of the finite values of the counted reps; None without one."""
        got = [float(values[n]) for n in self.counted if n in values and np.isfinite(values[n])]
        return float(np.mean(got)) if got else None

    def note(self, of: str = "") -> str:
        """The reps left out, in plain words: "reps 1, 2, 3, 5 left out: track unreliable"
        ("; rep 7: partial" for another reason; ``of`` follows "left out", e.g. " of the
        set's numbers"); with ``from_flagged``, "every rep is flagged ⚑ (track
        unreliable): the set's numbers use them, read them with care"; "" when every rep
        counts."""
        parts = []
        if self.from_flagged:
            parts.append("every rep is flagged ⚑ (" + _reasons_of(self.counted_reasons)
                         + "): the set's numbers use them, read them with care")
        groups: dict[str, list[int]] = {}
        for n, why in self.left_out:
            groups.setdefault(why, []).append(n)
        for k, (why, reps) in enumerate(groups.items()):
            parts.append(f"{rep_list(reps)}{' left out' + of if k == 0 else ''}: {why}")
        return "; ".join(parts)


    def short_note(self) -> str:
        """:meth:`note` without the reasons, for a narrow line: "reps 1, 2, 3, 5 left out",
        "every rep flagged: read with care"; "" when every rep counts."""
        parts = ["every rep flagged: read with care"] if self.from_flagged else []
        if self.left_out:
            parts.append(rep_list(n for n, _ in self.left_out) + " left out")
        return "; ".join(parts)


def on_tempo_text(on: int, judged: int, counted: CountedReps, short: bool = False) -> str:
    """How many reps met a prescribed tempo, saying which reps were judged: the set's
    counted reps (:func:`counted_reps`), as the velocity loss names them
    (:meth:`analysis.lift.set_metrics.VelocityLoss.span_text`): "3 of 6 counted reps on
    tempo (reps 3, 5 left out: track unreliable)"; "3 of 8 reps on tempo" when every rep
    counts. "0 of 4 reps on tempo" under a set of 8 read as four reps lost. ``short`` (a
    narrow line, with the reps left out said beside it): without the parenthesis.

    Parameters
    ----------
    on, judged : int
        Reps on tempo in every phase, and reps judged (the counted reps with a check).
    counted : CountedReps
        The set's counted reps.
    short : bool
    """
    words = ("counted rep" if counted.left_out or counted.from_flagged else "rep") \
        + ("" if judged == 1 else "s")
    text = f"{on} of {judged} {words} on tempo" if judged else "no counted rep to judge"
    note = counted.short_note() if short else counted.note()
    return text if short or not note else f"{text} ({note})"


def rep_list(numbers: Iterable[int]) -> str:
    """"rep 4" or "reps 1, 2, 3, 5"."""
    ns = list(numbers)
    return ("rep " if len(ns) == 1 else "reps ") + ", ".join(str(n) for n in ns)


def _reasons_of(reasons: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(reasons)) or TRACK_UNRELIABLE


def flag_reason(flags: Sequence[str]) -> str:
    """Short reason a flagged rep is left out: "bar moved sideways" when every flag is a
    drift flag, else "track unreliable"."""
    return DRIFTED if flags and all(DRIFT_WORDS in f for f in flags) else TRACK_UNRELIABLE


def counted_reps(reps: Iterable[CountableRep]) -> CountedReps:
    """Which reps count in the set's numbers (the rule in the module docstring).

    Parameters
    ----------
    reps : iterable of CountableRep
        The set's reps in order, any status (``valid``, ``partial``, ``failed``,
        ``false``).

    Returns
    -------
    CountedReps
    """
    reps = list(reps)
    full = [r for r in reps if r.status == "valid"]
    clean = [r for r in full if not r.flags]
    from_flagged = not clean and bool(full)
    use = full if from_flagged else clean
    chosen = {r.number for r in use}
    left = tuple((r.number, PARTIAL if r.status == "partial" else flag_reason(r.flags))
                 for r in reps if r.status in ("valid", "partial") and r.number not in chosen)
    why = tuple(flag_reason(r.flags) for r in use) if from_flagged else ()
    return CountedReps(tuple(r.number for r in use), left, from_flagged, why)
