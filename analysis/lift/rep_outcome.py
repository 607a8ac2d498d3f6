"""Which reps were done in full: a rep that did not reach lockout is **failed**, a rep
that reached lockout from well short of the set's depth is **partial**.

Both used to be counted as valid reps unless the coach marked them by hand. A squat
whose last rep stalled half-way up and went back down read as rep 5 at 0.20 m/s, and
the set's velocity loss as 67 % instead of the 27 % of its four full reps; a half-depth
squat in the middle of the set entered the mean MCV as a full rep. Now the analysis
sees them, says so, and the one rule of :mod:`analysis.lift.counted` leaves them out of
the set's numbers (a coach can still mark either rep valid by hand: a correction wins).

The references are the set's own: the median lockout and bottom levels of its reps
(the fitted rest levels at each concentric's ends), so at least :data:`MIN_REPS` reps
are needed; with fewer nothing is judged. The thresholds are shares of the set's
median range of motion (ROM):

* failed: the concentric arrives more than :data:`FAIL_SHORT` of the ROM below the
  median lockout (the bar stalled under three quarters of the way up and came down);
  for a lift that starts at the bottom (a deadlift) the same, from the floor up;
* partial: the concentric reaches the lockout from more than :data:`PARTIAL_SHALLOW` of
  the ROM above the median bottom, i.e. the rep went down less than 80 % as deep as the
  set's typical rep (a deadlift: pulled from the knee). Depth varies a few percent
  between full reps of a set (fatigue, stance); 20 % is well outside that and well
  inside a half squat or a half-range bench. No published standard sets these shares;
  competition depth rules (IPF: hip crease below the knee) judge the body, which a bar
  track cannot see, so the set's own depth is the reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.lift.rep_phases import RepPhases

#: a concentric ending this share of the set's ROM (or more) below its lockout failed
FAIL_SHORT = 0.25
#: a rep leaving from this share of the set's ROM (or more) above its bottom is partial
PARTIAL_SHALLOW = 0.2
#: fewer reps give no reference to judge a rep against
MIN_REPS = 3
#: the reps whose ROM is at least this share of the median are the reference's
REFERENCE_SHARE = 0.5

#: a partial rep rises at least this share of the set's ROM
PARTIAL_MIN = 0.3

VALID, FAILED, PARTIAL, NOT_A_REP = "valid", "failed", "partial", "false"


@dataclass(frozen=True)
class SetLevels:
    """The set's median lockout and bottom heights (units of the kinematics) and the
    median ROM between them."""

    lockout: float
    bottom: float

    @property
    def rom(self) -> float:
        return self.lockout - self.bottom


def _ends(r: RepPhases) -> tuple[float, float]:
    """(start, end) height of a rep's concentric: its fitted rest levels."""
    return r.con_levels if r.con_levels is not None else (r.bottom, r.top)


def set_levels(reps: Sequence[RepPhases]) -> SetLevels | None:
    """The set's reference levels from ``reps`` (those of at least
    :data:`REFERENCE_SHARE` of the median ROM); None with fewer than :data:`MIN_REPS`
    such reps or no upward ROM."""
    roms = np.array([r.rom for r in reps], float)
    ok = np.isfinite(roms)
    if ok.sum() < MIN_REPS:
        return None
    med = float(np.median(roms[ok]))
    ref = [r for r, m in zip(reps, roms, strict=True) if np.isfinite(m) and m >= REFERENCE_SHARE * med]
    if len(ref) < MIN_REPS:
        return None
    starts, ends = np.array([_ends(r) for r in ref], float).T
    levels = SetLevels(float(np.median(ends)), float(np.median(starts)))
    return levels if levels.rom > 0 else None


def failed(r: RepPhases, levels: SetLevels | None) -> bool:
    """True when ``r``'s concentric left from the set's bottom (within
    :data:`PARTIAL_SHALLOW` of its ROM) and stopped :data:`FAIL_SHORT` of the ROM or
    more below its lockout (see the module). A movement that starts higher (a re-rack,
    a shrug at the top) is not a failed rep."""
    if levels is None:
        return False
    start, end = _ends(r)
    return bool(np.isfinite(start) and np.isfinite(end)
                and start <= levels.bottom + PARTIAL_SHALLOW * levels.rom
                and end < levels.lockout - FAIL_SHORT * levels.rom)


def partial(r: RepPhases, levels: SetLevels | None) -> bool:
    """True when ``r``'s concentric reached the set's lockout (within :data:`FAIL_SHORT`
    of its ROM) from more than :data:`PARTIAL_SHALLOW` of the ROM above the set's bottom
    (a squat or bench not taken down, a deadlift pulled from the knee), over at least
    :data:`PARTIAL_MIN` of the ROM (less is a wobble, not a rep)."""
    if levels is None:
        return False
    start, end = _ends(r)
    return bool(np.isfinite(start) and np.isfinite(end)
                and start > levels.bottom + PARTIAL_SHALLOW * levels.rom
                and end >= levels.lockout - FAIL_SHORT * levels.rom
                and end - start >= PARTIAL_MIN * levels.rom)


def rep_outcomes(reps: Sequence[RepPhases], levels: SetLevels | None,
                 eccentric_from: Sequence[float], down_first: bool) -> list[str]:
    """Per rep, ``"valid"``, ``"failed"``, ``"partial"`` or ``"false"`` (see the module);
    every rep is valid when ``levels`` is None (too few reps to judge).

    ``eccentric_from``: the bar's height where each rep's eccentric starts. After a
    failed squat or bench rep, a movement whose eccentric did not start from the lockout
    is not a rep (``"false"``): the spotters lifting the bar back to the rack from the
    bottom read as a slow last rep, and the velocity loss as 58 % instead of 30 %."""
    out: list[str] = []
    for r, top in zip(reps, eccentric_from, strict=True):
        if down_first and FAILED in out and levels is not None and not \
                top >= levels.lockout - FAIL_SHORT * levels.rom:
            out.append(NOT_A_REP)
        elif failed(r, levels):
            out.append(FAILED)
        elif partial(r, levels):
            out.append(PARTIAL)
        else:
            out.append(VALID)
    return out
