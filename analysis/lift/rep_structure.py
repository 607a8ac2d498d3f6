"""Splitting one detected rep into two and merging two into one, by hand.

The detector counts a rep when the bar travels back by a share of the set's range
(:mod:`analysis.lift.rep_phases`). Two quick touch-and-go reps whose lockout in between
stays low, or a long pause in the hole with a bounce, can then read as one rep; a failed
grind with a re-drive, or a pause squat whose pause drifts up and down, as two. A coach
corrects it: a split at a time inside a rep, a merge of a rep with the next.

Both re-detect the reps they make with the same rest fits as detection
(:func:`analysis.lift.rep_phases.rep_at_turns`), on turning points chosen as detection
chooses them (the extremes of the smoothed height), only within the span the coach
named. Heights below are "down" for a lift that starts down (squat, bench); for one that
starts up (deadlift, press) read them upside down.

A split at a time inside a rep: the first half turns at the lowest point between the
rep's start and that time, the second at the lowest point between that time and the
rep's end; they meet at the highest point between those turns, and each starts (ends)
at the highest point between its turn and the neighbouring rep's turn. Each half's
strokes must each travel the least a detected rep travels (``min_rom_m``, ``min_rom_px``
of :class:`analysis.lift.rep_phases.RepSettings`), so a split that would leave a half
without a concentric (or an eccentric) is refused.

A merge of a rep with the next: one rep turning at the deeper of their two turns (the
first when they are within 2 % of the range), from the highest point before the first
rep's turn to the highest point after the second rep's turn (up to the neighbouring
reps' turns): a grind's sink and re-drive are inside its concentric, measured between
the rest levels at its ends.

The set's first rep keeps its detected start, and its last rep its detected end, where
they are in the same stroke: detection trims a walk out of (back to) the rack there.

Edits are applied in the order they were made (:class:`analysis.session.overrides.RepEdit`),
before statuses and moved boundaries, which then find their reps by time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.lift.kinematics import Kinematics
from analysis.lift.rep_phases import RepPhases, RepSettings, rep_at_turns
from analysis.session.overrides import RepEdit

#: a merged rep turns at the second rep's turn only when it is deeper by more than this
#: share of the merged range (else the first rep's: ties are the first)
DEEPER_SHARE = 0.02


class RepEditRefused(ValueError):
    """A split or merge that cannot be made; its message says why in plain words."""


@dataclass
class EditedRep:
    """A rep after the edits: its phases, the edits (positions in the corrections'
    ``edits``) that made it, and how (``""`` as detected, ``"split"``, ``"merged"``)."""

    rep: RepPhases
    edits: tuple[int, ...] = ()
    how: str = ""


def _index(t: np.ndarray, when: float) -> int:
    return int(np.clip(np.searchsorted(t, when), 0, len(t) - 1))


def least_stroke(kin: Kinematics, settings: RepSettings) -> float:
    """The least travel (``kin`` units) of a stroke: the least ROM of a detected rep."""
    return settings.min_rom_m if kin.units == "m" else settings.min_rom_px


def _turned(kin: Kinematics, down: bool) -> np.ndarray:
    """The smoothed height, upside down for a lift that starts up (NaN where not valid):
    every rep then runs high, low, high."""
    return np.where(kin.valid, (1.0 if down else -1.0) * kin.height, np.nan)


def _ends(kin: Kinematics, before: float | None, after: float | None) -> tuple[int, int]:
    """Samples of the neighbouring reps' turns (the set's ends without one)."""
    return (_index(kin.t, before) if before is not None else 0,
            _index(kin.t, after) if after is not None else len(kin.t) - 1)


def _arg(g: np.ndarray, a: int, b: int, most: bool) -> int:
    seg = g[a:b + 1]
    if not np.isfinite(seg).any():
        return a
    return a + int(np.nanargmax(seg) if most else np.nanargmin(seg))


def _checked(r: RepPhases, down: bool, said: str, which: str) -> RepPhases:
    e0, e1 = r.phases["eccentric"]
    c0, c1 = r.phases["concentric"]
    order = [e0, e1, c0, c1] if down else [c0, c1, e0, e1]
    if not all(np.isfinite(order)) or any(b < a for a, b in zip(order[:-1], order[1:], strict=True)) \
            or not c1 > c0:
        raise RepEditRefused(f"{said}: {which} would have no concentric (its phases could "
                             "not be found).")
    return r


def split_phases(kin: Kinematics, direction: str, rep: RepPhases, t: float,
                 settings: RepSettings | None = None, number: int | None = None,
                 before: float | None = None, after: float | None = None
                 ) -> tuple[RepPhases, RepPhases]:
    """The two reps ``rep`` becomes when split at ``t`` (s), re-detected (module doc).

    ``number`` names the rep in messages; ``before``, ``after``: the turning times (s) of
    the reps before and after it (None: it is the set's first, last).

    Raises
    ------
    RepEditRefused
        (a ``ValueError``) in plain words when ``t`` is not inside the rep, or a half
        would have no concentric or no eccentric.
    """
    settings = settings or RepSettings()
    down = direction == "down_first"
    said = f"{f'Rep {number}' if number is not None else 'The rep'} cannot be split at " \
           f"{t:.2f} s"
    s0, s1 = rep.start, rep.end
    if not s0 < t < s1:
        raise RepEditRefused(f"{said}: that is outside it ({s0:.2f} to {s1:.2f} s). "
                             "Put the playhead between the two reps it holds.")
    g = _turned(kin, down)
    ia, it, ic = _index(kin.t, s0), _index(kin.t, t), _index(kin.t, s1)
    if not ia < it < ic or not np.isfinite(g[ia:it + 1]).any() \
            or not np.isfinite(g[it:ic + 1]).any():
        raise RepEditRefused(f"{said}: the bar is not tracked on both sides of it.")
    lo, hi = _ends(kin, before, after)
    b1, b2 = _arg(g, ia, it, False), _arg(g, it, ic, False)
    p = _arg(g, b1, b2, True)
    a, c = _arg(g, min(lo, b1), b1, True), _arg(g, b2, max(hi, b2), True)
    least = least_stroke(kin, settings)
    con, ecc = ("concentric", "eccentric")
    moves = [("first", con, g[p] - g[b1]), ("second", con, g[c] - g[b2]),
             ("first", ecc, g[a] - g[b1]), ("second", ecc, g[p] - g[b2])]
    if not down:  # up first: the first stroke of g (down) is the concentric
        moves = [(half, ecc if kind == con else con, d) for half, kind, d in moves]
    unit, scale = ("cm", 100.0) if kin.units == "m" else ("px", 1.0)
    for half, kind, d in sorted(moves, key=lambda m: m[1] != "concentric"):
        if not d >= least:
            raise RepEditRefused(
                f"{said}: its {half} half would have no {kind} (the bar "
                f"{'rises' if kind == 'concentric' else 'sinks'} {max(d, 0.0) * scale:.0f} "
                f"{unit} there, less than a rep's {least * scale:.0f} {unit}).")
    first = rep_at_turns(kin, direction, (a, b1, p), (lo, b2), True, before is None, settings)
    second = rep_at_turns(kin, direction, (p, b2, c), (b1, hi), after is not None, False,
                          settings)
    _keep_set_ends(rep, first, second, down, before is None, after is None)
    first.flags = list(rep.flags)
    second.flags = list(rep.flags)
    return (_checked(first, down, said, "its first half"),
            _checked(second, down, said, "its second half"))


def _keep_set_ends(rep: RepPhases, first: RepPhases, last: RepPhases, down: bool,
                   keep_start: bool, keep_end: bool) -> None:
    """``rep``'s detected start on ``first`` (``keep_start``) and end on ``last``
    (``keep_end``), where the stroke there is the same one (module doc)."""
    k1, k2 = ("eccentric", "concentric") if down else ("concentric", "eccentric")
    o0, o1 = rep.phases[k1][0], rep.phases[k2][1]
    f0, f1 = first.phases[k1]
    if keep_start and o0 < f1 and o0 != f0:
        first.phases[k1] = (o0, f1)
        if not down:  # a concentric start that is not the fitted one: measured at it
            first.con_levels = first.con_sd = None
    if not down and keep_start:
        st = first.phases["concentric"][0]
        first.phases["bottom_pause"] = (st, st)  # the set's lead-in: shown as no pause
    s0, s1 = last.phases[k2]
    if keep_end and o1 > s0 and o1 != s1:
        last.phases[k2] = (s0, o1)
        if down:
            last.con_levels = last.con_sd = None
            last.phases["top_pause"] = (o1, max(o1, rep.phases["top_pause"][1]))


def merge_phases(kin: Kinematics, direction: str, one: RepPhases, two: RepPhases,
                 before: float | None = None, after: float | None = None,
                 settings: RepSettings | None = None, number: int | None = None
                 ) -> RepPhases:
    """One rep made of ``one`` and the next rep ``two``, re-detected (module doc);
    ``before``, ``after``: the turning times (s) of the reps around them (None at the
    set's ends); ``number`` names ``one`` in messages.

    Raises
    ------
    RepEditRefused
        (a ``ValueError``) when the merged rep's phases cannot be found.
    """
    down = direction == "down_first"
    g = _turned(kin, down)
    lo, hi = _ends(kin, before, after)
    mid = _index(kin.t, one.end)
    i1, i2 = _index(kin.t, one.start), _index(kin.t, two.end)
    b1, b2 = _arg(g, i1, mid, False), _arg(g, mid, i2, False)
    span = float(np.nanmax(g[min(lo, i1):max(hi, i2) + 1]) - min(g[b1], g[b2]))
    b = b2 if g[b2] < g[b1] - DEEPER_SHARE * span else b1
    # from the top before the first rep's turn to the top after the second's
    a, c = _arg(g, min(lo, b1), b1, True), _arg(g, b2, max(hi, b2), True)
    merged = rep_at_turns(kin, direction, (a, b, c), (lo, hi), after is not None,
                          before is None, settings)
    _keep_set_ends(RepPhases(phases={**one.phases, **{
        k: two.phases[k] for k in (("concentric", "top_pause") if down else ("eccentric",))}},
        top=one.top, bottom=one.bottom), merged, merged, down, before is None, after is None)
    merged.flags = list(dict.fromkeys(one.flags + two.flags))
    name = f"Rep {number}" if number is not None else "The rep"
    nxt = f"rep {number + 1}" if number is not None else "the next"
    return _checked(merged, down, f"{name} cannot be merged with {nxt}", "the merged rep")


def _holding(reps: Sequence[EditedRep], when: float) -> int | None:
    """Position of the (first) rep whose span holds ``when`` (s), None when none does."""
    return next((i for i, e in enumerate(reps) if e.rep.start <= when <= e.rep.end), None)


def _turn(reps: Sequence[EditedRep], i: int) -> float | None:
    return reps[i].rep.turn_time if 0 <= i < len(reps) else None


def apply_edits(found: Sequence[RepPhases], edits: Sequence[RepEdit], kin: Kinematics,
                direction: str, settings: RepSettings | None = None
                ) -> tuple[list[EditedRep], list[str]]:
    """The detected reps ``found`` after the splits and merges ``edits``, in their order,
    and a plain note for each edit that no longer applies (the reps were detected
    differently since, e.g. after tracking again): it is then left out."""
    reps = [EditedRep(r) for r in found]
    notes: list[str] = []
    for n, e in enumerate(edits):
        if e.kind == "split":
            i = _holding(reps, e.at[0])
            if i is None:
                notes.append(f"the split at {e.at[0]:.2f} s was not applied: no rep is there")
                continue
            try:
                one, two = split_phases(kin, direction, reps[i].rep, e.at[0], settings,
                                        before=_turn(reps, i - 1), after=_turn(reps, i + 1))
            except RepEditRefused as exc:
                notes.append(f"the split at {e.at[0]:.2f} s was not applied ({exc})")
                continue
            made = (*reps[i].edits, n)
            reps[i:i + 1] = [EditedRep(one, made, "split"), EditedRep(two, made, "split")]
        else:
            i = _holding(reps, e.at[0])
            j = _holding(reps, e.at[1])
            if i is None or j != i + 1:
                notes.append(f"the merge of the reps at {e.at[0]:.2f} and {e.at[1]:.2f} s "
                             f"was not applied: they are not two reps in a row")
                continue
            try:
                merged = merge_phases(kin, direction, reps[i].rep, reps[j].rep,
                                      _turn(reps, i - 1), _turn(reps, j + 1), settings)
            except RepEditRefused as exc:
                notes.append(f"the merge at {e.at[0]:.2f} s was not applied ({exc})")
                continue
            made = tuple(dict.fromkeys((*reps[i].edits, *reps[j].edits, n)))
            reps[i:j + 1] = [EditedRep(merged, made, "merged")]
    return reps, notes
