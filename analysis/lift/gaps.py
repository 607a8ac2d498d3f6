"""Stretches where the bar was not seen (a camera cut, a title card, the bar hidden, lost
frames too many to bridge), and what may not be drawn or measured across them.

:func:`analysis.lift.kinematics.compute_kinematics` bridges short gaps (up to
``max_fill_s``) and leaves longer ones out (``valid`` False, NaN). Here:

* :func:`reps_across_gaps` leaves out a rep whose strokes run through such a stretch:
  a "rep" built from the bar before a cut and after it (a 7 s eccentric across the
  cut) is no movement of the bar, and its numbers would be made up;
* :func:`trail_positions` gives the positions the bar-path overlay may draw: the
  tracker's positions without the lost frames, the single-frame glitches the analysis
  leaves out, and the first frames after a lost stretch that the tracker matched
  much worse than it matches the bar elsewhere (a fade or dissolve into the scene).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from analysis.lift.kinematics import Kinematics
from analysis.lift.plausibility import despike

#: tracker state of a lost frame (:data:`analysis.session.track.STATE_LOST`)
_LOST = 3
#: after a lost stretch, frames matched below this share of the track's median
#: confidence are the tracker latching on while the picture fades in, not the bar
REACQUIRE_SHARE = 0.8


def unseen_spans(kin: Kinematics, a: float, b: float) -> list[tuple[float, float]]:
    """The stretches ``(first, last)`` (s, times of their first and last unmeasured
    frames, whole) that reach into the open interval ``(a, b)``, where the kinematics
    have no usable track (``kin.valid`` False: a gap too long to bridge)."""
    t = np.asarray(kin.t, float)
    bad = ~np.asarray(kin.valid, bool)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], bad.astype(np.int8), [0]))))
    out = []
    for s, e in zip(edges[::2], edges[1::2] - 1, strict=True):
        if t[e] > a and t[s] < b and bool(((t[s:e + 1] > a) & (t[s:e + 1] < b)).any()):
            out.append((float(t[s]), float(t[e])))
    return out


def _strokes_end(rep: Any) -> float:
    """The end of a rep's second stroke (its top pause is only waiting for the next)."""
    ends = [rep.phases[k][1] for k in ("eccentric", "concentric") if k in rep.phases]
    return min(rep.end, max(ends)) if ends else rep.end


def reps_across_gaps(reps: list[Any], kin: Kinematics) -> tuple[list[Any], list[str]]:
    """Leave out the reps whose strokes run through a stretch where the bar was not seen.

    Parameters
    ----------
    reps : list of RepPhases (or anything with ``start``, ``end`` and ``phases``)
        Times in s, as ``kin.t``.
    kin : Kinematics
        Its ``valid`` is False over gaps too long to bridge.

    Returns
    -------
    (kept, notes)
        The reps that never cross such a gap, in order, and one plain sentence per rep
        left out (its times and the gap's).
    """
    kept, notes = [], []
    for rep in reps:
        gaps = unseen_spans(kin, float(rep.start), _strokes_end(rep))
        if not gaps:
            kept.append(rep)
            continue
        where = ", ".join(f"{g0:.1f}–{g1:.1f} s" for g0, g1 in gaps)
        notes.append(f"a movement from {rep.start:.1f} to {_strokes_end(rep):.1f} s is not "
                     f"counted as a rep: the bar was not seen at {where} (a camera cut, the "
                     f"bar hidden or lost), so it cannot be measured")
    return kept, notes


def trail_positions(t: np.ndarray, x: np.ndarray, y: np.ndarray, state: np.ndarray,
                    confidence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions the bar-path overlay draws, shape (n,) each (px, NaN = not drawn).

    Parameters
    ----------
    t : numpy.ndarray, shape (n,)
        Frame times (s).
    x, y : numpy.ndarray, shape (n,)
        The tracker's positions in the picture (px); NaN where lost.
    state, confidence : numpy.ndarray, shape (n,)
        The tracker's state codes (3 = lost) and match confidence (-1..1, NaN unknown).

    Returns
    -------
    (x, y)
        Copies with NaN at the lost frames, at the single-frame glitches the analysis
        leaves out (:func:`analysis.lift.plausibility.despike`) and at the first frames
        after a lost stretch matched below
        :data:`REACQUIRE_SHARE` of the track's median confidence, where the tracker
        latched on to a fading picture.
    """
    t = np.asarray(t, float)
    xs, ys = np.array(x, float), np.array(y, float)
    st = np.asarray(state)
    conf = np.asarray(confidence, float)
    gone = (st == _LOST) | ~np.isfinite(xs) | ~np.isfinite(ys)
    hide = gone.copy()
    seen = ~gone & np.isfinite(conf)
    if seen.any():
        low = np.isfinite(conf) & (conf < REACQUIRE_SHARE * float(np.median(conf[seen])))
        n = len(xs)
        ends = np.flatnonzero(gone[:-1] & ~gone[1:]) + 1  # first frames after a gap
        for j in ends.tolist():
            while j < n and not gone[j] and low[j]:
                hide[j] = True  # latching on to the picture fading in after a lost stretch
                j += 1
    if (~hide).sum() >= 2:
        hide |= despike(t, xs, ys, ~hide)
    xs[hide] = np.nan
    ys[hide] = np.nan
    return xs, ys
