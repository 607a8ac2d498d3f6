"""Moving a rep's phase boundary by hand: which rep a boundary at a time belongs to,
whether the move keeps the rep's strokes in order, and the corrections that result.

A rep has four stroke ends (:data:`analysis.lift.rep_overrides.BOUNDARIES`): the
eccentric's start and end (the bottom reached), the concentric's start and end (the
lockout). A squat or bench rep runs eccentric start <= eccentric end <= concentric start
<= concentric end; a deadlift or press rep runs concentric start <= concentric end <=
eccentric start <= eccentric end. The pauses are what lies between and follow the strokes
(:func:`analysis.lift.rep_overrides.apply_boundaries`). Times are real time (s), as the
analysis counts them.
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.lift.rep_overrides import BOUNDARIES, Overrides
from analysis.lift.rep_phases import RepPhases, RepSettings
from analysis.lift.rep_structure import RepEditRefused, merge_phases, split_phases
from analysis.lift.result import AnalysisResult, RepResult
from analysis.session.overrides import RepEdit

#: what each boundary is called in messages and undo names
BOUNDARY_WORDS = {"eccentric_start": "eccentric start", "eccentric_end": "eccentric end",
                  "concentric_start": "concentric start", "concentric_end": "lockout"}


class BoundaryRefused(ValueError):
    """A boundary move that would leave the rep's phases out of order, run into another
    rep or leave the tracked part of the clip; its message says why in plain words."""


def stroke_ends(rep: RepResult, eccentric_first: bool) -> list[tuple[str, float]]:
    """The rep's four stroke ends (boundary name, time in s) in the order they happen."""
    e0, e1 = rep.phases["eccentric"]
    c0, c1 = rep.phases["concentric"]
    ecc = [("eccentric_start", e0), ("eccentric_end", e1)]
    con = [("concentric_start", c0), ("concentric_end", c1)]
    return ecc + con if eccentric_first else con + ecc


def rep_near(reps: Sequence[RepResult], now: float, eccentric_first: bool,
             name: str | None = None) -> RepResult | None:
    """The rep a coach means at ``now`` (s): the rep whose strokes (first stroke's start to
    second stroke's end) the time falls in; between reps (in a pause, before the first or
    after the last) the rep whose boundary ``name`` is nearest, or without a name the rep
    whose strokes are nearest. So one frame before a lift-off read late, or one after a
    lockout read early, still means that rep, not the neighbour whose pause it is in.
    None without reps.

    Raises
    ------
    ValueError
        For a name that is not one of :data:`BOUNDARIES`.
    """
    if name is not None and name not in BOUNDARIES:
        raise ValueError(f"unknown boundary {name!r}")
    for rep in reps:
        ends = stroke_ends(rep, eccentric_first)
        if ends[0][1] <= now <= ends[-1][1]:
            return rep

    def distance(rep: RepResult) -> float:
        ends = stroke_ends(rep, eccentric_first)
        if name is not None:
            return abs(dict(ends)[name] - now)
        return min(abs(ends[0][1] - now), abs(ends[-1][1] - now))

    return min(reps, key=distance, default=None)


def rep_at(reps: Sequence[RepResult], now: float, slack: float = 0.05) -> RepResult | None:
    """The rep ``now`` (s) is in; between two reps, or up to ``slack`` s outside one, the
    nearer; None when no rep is within ``slack`` s."""
    near = [r for r in reps if r.start - slack <= now <= r.end + slack]
    return min(near, key=lambda r: 0.0 if r.start <= now <= r.end
               else min(abs(now - r.start), abs(now - r.end)), default=None)


def move_boundary(result: AnalysisResult, overrides: Overrides, rep: RepResult, name: str,
                  t: float) -> Overrides:
    """``overrides`` with boundary ``name`` of ``rep`` (a rep of ``result``) at ``t`` (s).

    The rep keeps its other boundaries (detected or moved before) and its status.

    Raises
    ------
    BoundaryRefused
        (a ``ValueError``) in plain words, when the move would put the rep's strokes out
        of order (or leave a stroke no time), run into the rep before or after it, or
        fall outside the tracked part of the clip.
    """
    ecc_first = result.direction == "down_first"
    said = f"Rep {rep.number}'s {BOUNDARY_WORDS[name]} cannot be at {t:.2f} s"
    kt = result.kinematics.t
    if len(kt) and not float(kt[0]) <= t <= float(kt[-1]):
        raise BoundaryRefused(f"{said}: the bar is tracked from {float(kt[0]):.2f} to "
                              f"{float(kt[-1]):.2f} s only.")
    ends = [(n, t if n == name else v) for n, v in stroke_ends(rep, ecc_first)]
    i = [n for n, _ in ends].index(name)
    # each stroke lasts some time; the pause between the strokes may be none (touch and go)
    for j in (i - 1, i + 1):
        if not 0 <= j < len(ends):
            continue
        (na, a), (_, b) = ends[min(i, j)], ends[max(i, j)]
        stroke = {min(i, j), max(i, j)} in ({0, 1}, {2, 3})
        other = f"its {BOUNDARY_WORDS[ends[j][0]]} ({ends[j][1]:.2f} s)"
        if b < a:
            raise BoundaryRefused(f"{said}: it would come {'after' if j > i else 'before'} "
                                  f"{other}.")
        if stroke and b == a:
            kind = na.split("_")[0]
            raise BoundaryRefused(f"{said}: it is {other}, which leaves the {kind} no time.")
    k = next(n for n, r in enumerate(result.reps) if r is rep)
    first, last = ends[0][1], ends[-1][1]
    if k > 0:
        prev = stroke_ends(result.reps[k - 1], ecc_first)[-1]
        if first < prev[1]:
            raise BoundaryRefused(f"{said}: it would run into rep {rep.number - 1}, whose "
                                  f"{BOUNDARY_WORDS[prev[0]]} is at {prev[1]:.2f} s.")
    if k + 1 < len(result.reps):
        nxt = stroke_ends(result.reps[k + 1], ecc_first)[0]
        if last > nxt[1]:
            raise BoundaryRefused(f"{said}: it would run into rep {rep.number + 1}, whose "
                                  f"{BOUNDARY_WORDS[nxt[0]]} is at {nxt[1]:.2f} s.")
    return overrides.with_boundary(rep.start, rep.end, rep.turn_time, name, float(t))


def reset_boundaries(overrides: Overrides, rep: RepResult) -> Overrides:
    """``overrides`` with ``rep`` back at its detected boundaries (its status kept) and,
    when it is a rep split or merged by hand, those splits and merges undone (the reps
    detected there come back)."""
    out = overrides.without_boundaries(rep.start, rep.end, rep.turn_time)
    return out.without_edits(rep.edits) if rep.edits else out


def split_rep(result: AnalysisResult, overrides: Overrides, rep: RepResult, t: float,
              settings: RepSettings | None = None) -> Overrides:
    """``overrides`` with ``rep`` (a rep of ``result``) split into two at ``t`` (s); the
    halves are found as :func:`analysis.lift.rep_structure.split_phases` says, their
    boundaries re-detected (any moved by hand in ``rep`` are dropped), its status kept by
    the half it is in.

    Raises
    ------
    RepEditRefused
        (a ``ValueError``) in plain words, when ``t`` is not inside the rep's strokes or a
        half would have no concentric (or no eccentric).
    """
    k = next(n for n, r in enumerate(result.reps) if r is rep)
    before, after = _turns_around(result, k, k)
    split_phases(result.kinematics, result.direction, _probe(rep), t, settings, rep.number,
                 before, after)
    return overrides.with_edit(RepEdit("split", (float(t),)), rep.start, rep.end)


def merge_with_next(result: AnalysisResult, overrides: Overrides, rep: RepResult) -> Overrides:
    """``overrides`` with ``rep`` (a rep of ``result``) and the next rep merged into one
    (:func:`analysis.lift.rep_structure.merge_phases`); boundaries moved by hand in
    either are dropped, statuses kept.

    Raises
    ------
    RepEditRefused
        (a ``ValueError``) when ``rep`` is the set's last rep, or the merged rep's
        phases cannot be found.
    """
    k = next(n for n, r in enumerate(result.reps) if r is rep)
    if k + 1 >= len(result.reps):
        raise RepEditRefused(f"Rep {rep.number} is the set's last rep: there is no next "
                             "rep to merge it with.")
    nxt = result.reps[k + 1]
    before, after = _turns_around(result, k, k + 1)
    merge_phases(result.kinematics, result.direction, _probe(rep), _probe(nxt), before, after,
                 number=rep.number)
    return overrides.with_edit(RepEdit("merge", (rep.turn_time, nxt.turn_time)),
                               rep.start, nxt.end)


def _probe(rep: RepResult) -> RepPhases:
    """``rep`` as detection's phases, to check a split or merge before it is stored."""
    return RepPhases(phases=dict(rep.phases), top=float("nan"), bottom=float("nan"),
                     turn_time=rep.turn_time, flags=list(rep.flags))


def _turns_around(result: AnalysisResult, first: int, last: int
                  ) -> tuple[float | None, float | None]:
    reps = result.reps
    return (reps[first - 1].turn_time if first > 0 else None,
            reps[last + 1].turn_time if last + 1 < len(reps) else None)
