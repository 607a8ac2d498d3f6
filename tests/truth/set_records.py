"""What a generated set is made from and what is true of it (:mod:`tests.truth.lift_truth`):
the rep and set specs, the per-rep and per-set truth records, and the analytic set
(``y(t)``, ``v(t)``, ``a(t)``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from tests.truth.lift_shapes import _Seg

@dataclass(frozen=True)
class RepSpec:
    """One rep.

    shape            concentric shape, a key of ``SHAPES``
    rom_m            range of motion (m)
    con_mean_mps     concentric mean velocity excluding holds (= the true MCV); or give
    con_s            the concentric moving duration (s) instead (excluding holds)
    ecc_s            eccentric duration (s); ecc_shape a key of ``ECC_SHAPES``
    bottom_pause_s   rest at the lowest point (down-first: before the concentric;
                     up-first: on the floor before lift-off, ignored for the first rep)
    top_pause_s      rest at the top after lockout (down-first: before the next
                     eccentric, ignored for the last rep; up-first: lockout hold)
    hold_s           isometric hold inside the concentric (0 = none), at hold_at_frac of ROM
    """

    shape: str = "two_peak"
    rom_m: float = 0.55
    con_mean_mps: float | None = 0.5
    con_s: float | None = None
    ecc_s: float = 1.8
    ecc_shape: str = "ecc_smooth"
    bottom_pause_s: float = 0.0
    top_pause_s: float = 1.0
    hold_s: float = 0.0
    hold_at_frac: float = 0.4

    def con_moving_s(self) -> float:
        if self.con_s is not None:
            return float(self.con_s)
        if not self.con_mean_mps:
            raise ValueError("RepSpec needs con_mean_mps or con_s")
        return self.rom_m / self.con_mean_mps


@dataclass(frozen=True)
class SetSpec:
    """A set: ``direction`` "down_first" (squat, bench) or "up_first" (deadlift).

    ``base_height_m`` is the standing (top) bar height for down-first sets and the floor
    (resting) bar height for up-first sets. ``lead_in_s``/``tail_s`` are the rests before
    the first and after the last movement.
    """

    direction: str
    reps: tuple[RepSpec, ...]
    lead_in_s: float = 1.5
    tail_s: float = 1.5
    base_height_m: float = 1.40
    name: str = ""


@dataclass(frozen=True)
class Hold:
    start_t: float
    end_t: float
    duration_s: float
    height_m: float          # absolute bar height during the hold
    frac_of_rom: float       # (height - rep bottom) / ROM


@dataclass(frozen=True)
class RepTruth:
    """Analytic truth of one rep (times in s from set start, heights in m, speeds m/s)."""

    index: int
    shape: str
    rom_m: float
    bottom_y_m: float
    top_y_m: float
    eccentric_start_t: float
    eccentric_end_t: float
    eccentric_s: float
    eccentric_mean_speed_mps: float      # ROM / eccentric duration (positive)
    eccentric_peak_speed_mps: float      # max |v| in the eccentric (positive)
    bottom_pause_s: float | None
    concentric_start_t: float
    concentric_end_t: float
    concentric_s: float                  # including holds
    concentric_moving_s: float           # excluding holds
    holds: tuple[Hold, ...]
    hold_s: float
    mcv_mps: float                       # MCV = MV, holds excluded
    mean_velocity_incl_holds_mps: float
    peak_velocity_mps: float
    peak_velocity_t: float
    propulsive_end_t: float
    propulsive_s: float                  # holds excluded
    mpv_mps: float
    top_pause_s: float | None

    def tempo(self) -> tuple[float, float | None, float, float | None]:
        """(eccentric, bottom pause, concentric incl. holds, top pause) durations in s."""
        return (self.eccentric_s, self.bottom_pause_s, self.concentric_s, self.top_pause_s)

    def tempo_string(self) -> str:
        """Lifter notation, e.g. ``3-1-X-0`` (X = concentric under 1 s; ``?`` = unknown)."""
        def d(x):
            return "?" if x is None else str(int(math.floor(x + 0.5)))
        con = "X" if self.concentric_s < 1.0 else d(self.concentric_s)
        return f"{d(self.eccentric_s)}-{d(self.bottom_pause_s)}-{con}-{d(self.top_pause_s)}"


@dataclass(frozen=True)
class SetTruth:
    n_reps: int
    mcv_mps: tuple[float, ...]
    mpv_mps: tuple[float, ...]
    peak_velocity_mps: tuple[float, ...]
    fastest_rep_index: int               # 0-based, by MCV
    velocity_loss_pct: float             # fastest -> last (Sanchez-Medina & Gonzalez-Badillo 2011)
    velocity_loss_first_last_pct: float
    best_mcv_mps: float
    last_mcv_mps: float


def eval_pieces(starts: np.ndarray, pieces, t):
    """``(y, v, a)`` at times ``t`` (s; a scalar or an array) of a chain of pieces, each
    with ``eval(times) -> (y, v, a)`` and starting at ``starts[k]``; floats for a scalar
    ``t``, else arrays of its shape."""
    t = np.asarray(t, dtype=float)
    tt = np.atleast_1d(t)
    y = np.empty_like(tt)
    v = np.empty_like(tt)
    a = np.empty_like(tt)
    idx = np.clip(np.searchsorted(starts, tt, side="right") - 1, 0, len(pieces) - 1)
    for k in np.unique(idx):
        m = idx == k
        y[m], v[m], a[m] = pieces[k].eval(tt[m])
    if t.ndim == 0:
        return float(y[0]), float(v[0]), float(a[0])
    return y, v, a


class Kinematic:
    """``y(t)``, ``v(t)``, ``a(t)`` of a class whose ``_eval(t)`` gives all three."""

    def _eval(self, t):
        raise NotImplementedError

    def y(self, t):
        return self._eval(t)[0]

    def v(self, t):
        return self._eval(t)[1]

    def a(self, t):
        return self._eval(t)[2]


@dataclass
class LiftTruth(Kinematic):
    """An analytic set: ``y(t)``, ``v(t)``, ``a(t)`` accept scalars or arrays of times."""

    spec: SetSpec
    segments: tuple[_Seg, ...]
    duration_s: float
    reps: tuple[RepTruth, ...] = ()
    set: SetTruth | None = None
    _starts: np.ndarray = field(default=None, repr=False)

    def _eval(self, t):
        return eval_pieces(self._starts, self.segments, t)
