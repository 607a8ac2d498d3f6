"""Stretches where the bar was not seen (a camera cut, a title card, the bar hidden, lost
frames too many to bridge), and what may not be drawn or measured across them.

:func:`analysis.lift.kinematics.compute_kinematics` bridges short gaps (up to
``max_fill_s``) and leaves longer ones out (``valid`` False, NaN). Here:

* :func:`reps_across_gaps` leaves out a rep whose strokes run through such a stretch:
  a "rep" built from the bar before a cut and after it (a 7 s eccentric across the
  cut) is no movement of the bar, and its numbers would be made up; and one whose
  stroke was already moving when the picture came back (still moving when it cut
  away). A rep seen from its rest to its rest is kept, whatever pause before it the
  cut fell in;
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
from analysis.lift.rep_phases import robust_noise

#: tracker state of a lost frame (:data:`analysis.session.track.STATE_LOST`)
_LOST = 3
#: a lost stretch ending (starting) this close (s) before a rep's first stroke leaves
#: (after its second arrives) must be followed (preceded) by the bar seen still ...
NEXT_TO_S = 0.5
#: ... over this long (s; at least three frames) ...
STILL_S = 0.1
#: ... (its speed within the noise, or below this share of the rep's mean speed)
STILL_SHARE = 0.1
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


def _strokes_start(rep: Any) -> float:
    """The start of a rep's first stroke (a floor pause before a pull is only waiting)."""
    starts = [rep.phases[k][0] for k in ("eccentric", "concentric") if k in rep.phases]
    return max(rep.start, min(starts)) if starts else rep.start


def _still(t: np.ndarray, h: np.ndarray, idx: np.ndarray, noise: float,
           slow: float) -> bool:
    """Whether the samples ``idx`` show the bar at rest: their least-squares speed is
    within 3 of its standard deviations from the noise, or below ``slow``."""
    if len(idx) < 2:
        return False
    tt = t[idx] - t[idx].mean()
    sxx = float(np.sum(tt * tt))
    if sxx <= 0:
        return False
    speed = abs(float(np.sum(tt * h[idx])) / sxx)
    return speed <= max(3.0 * noise / np.sqrt(sxx), slow)


def _ends_seen(kin: Kinematics, a: float, b: float) -> bool:
    """Whether the bar was seen at rest where the rep's strokes leave (``a``, s) and
    arrive (``b``) when a lost stretch comes within :data:`NEXT_TO_S` of them: the
    first frames seen after it (the last before it) must show the bar still. A stroke
    already under way when the picture came back (still under way when it cut away)
    fails: its start (end), and so its duration and speed, were not seen. The boundary
    fit cannot tell, as it places the boundary at the first (last) frame seen."""
    t = np.asarray(kin.t, float)
    valid = np.asarray(kin.valid, bool)
    seen = valid & np.isfinite(kin.height_raw)  # not the frames bridged over short drops
    h = np.asarray(kin.height_raw, float)
    lost = np.flatnonzero(~valid)  # gaps too long to bridge
    if not len(lost) or seen.sum() < 2:
        return True
    need = max(3, int(np.ceil(STILL_S * float(kin.fs_hz))) + 1)
    noise = robust_noise(kin)
    i0, i1 = int(np.searchsorted(t, a)), int(np.searchsorted(t, b))
    ok = np.flatnonzero(seen[i0:i1 + 1]) + i0
    # the rep's mean speed: two strokes through its range
    slow = STILL_SHARE * 2.0 * float(np.ptp(h[ok])) / max(b - a, 1e-9) if len(ok) else 0.0
    # a stroke found to leave STILL_S or more after the picture came back (to arrive that
    # long before it cut away) was seen leaving (arriving): its start is a turn seen, the
    # bar at rest or the previous stroke turning (a touch-and-go squat has no rest at the
    # top; the frames after a cut then show the previous stroke finishing, not a still
    # bar). Only a stroke placed right at the picture's edge needs the still bar.
    before = lost[(lost < i0) & (t[lost] > a - NEXT_TO_S)]
    if len(before):
        idx = np.flatnonzero(seen[before[-1]:]) + before[-1]
        if len(idx) and t[idx[0]] > a - STILL_S and not _still(t, h, idx[:need], noise, slow):
            return False
    after = lost[(lost > i1) & (t[lost] < b + NEXT_TO_S)]
    if len(after):
        idx = np.flatnonzero(seen[:after[0]])
        if len(idx) and t[idx[-1]] < b + STILL_S and not _still(t, h, idx[-need:], noise,
                                                                 slow):
            return False
    return True


def reps_across_gaps(reps: list[Any], kin: Kinematics) -> tuple[list[Any], list[str]]:
    """Leave out the reps whose strokes run through a stretch where the bar was not seen,
    or start (end) right next to one without the bar seen still there (:func:`_ends_seen`).
    Only the strokes count: a floor pause before a pull, or a top pause before the next
    rep, may hold a cut.

    Parameters
    ----------
    reps : list of RepPhases (or anything with ``start``, ``end`` and ``phases``)
        Times in s, as ``kin.t``.
    kin : Kinematics
        Its ``valid`` is False over gaps too long to bridge.

    Returns
    -------
    (kept, notes)
        The reps seen from rest to rest, in order, and one plain sentence per rep left
        out (its strokes' times and the gap's).
    """
    kept, notes = [], []
    for rep in reps:
        a, b = _strokes_start(rep), _strokes_end(rep)
        gaps = unseen_spans(kin, a, b)
        if not gaps and _ends_seen(kin, a, b):
            kept.append(rep)
            continue
        near = unseen_spans(kin, -np.inf, a)[-1:] + unseen_spans(kin, b, np.inf)[:1]
        where = ", ".join(f"{g0:.1f}–{g1:.1f} s" for g0, g1 in gaps or near)
        notes.append(f"a movement from {a:.1f} to {b:.1f} s is not "
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
