"""Rep segmentation and phase boundaries from smoothed bar kinematics.

Lift profiles
-------------
Squat and bench press start at the top and go down first (eccentric first).
Deadlift and overhead press start at the bottom and go up first (concentric
first): the press starts from the bar resting on the shoulders, so like the
deadlift its first stroke is the concentric and its rest position is the
bottom. Tempo is always written eccentric-bottom-concentric-top.

Counting reps
-------------
The smoothed height is reduced to its turning points with a hysteresis
("zig-zag") filter: a turning point is accepted only when the bar has
travelled back by at least ``min_rep_fraction`` of a typical stroke: the
set's height range, or the median swing when one movement (such as a clean
before strict presses) is more than twice the strokes that repeat.
Unracking, walking out, re-racking, bobbing and small wobbles move the bar a
few centimetres and never reach that threshold, so they make no ghost reps.
A rep is a down swing and an up swing (eccentric first: top → bottom → top)
or the reverse (concentric first), both above the threshold.

Phases
------
The bar is *still* where its vertical speed is below ``still_fraction`` of the
set's peak speed. Each stroke (eccentric or concentric) runs from the last
still frame at its start level to the first still frame at its end level
("level" = within ``pause_zone`` of the rep's ROM). Still runs in mid travel
split a stroke; those lasting ``hold_min_s`` or more are isometric holds.
Every stroke piece is then refitted with a minimum-jerk profile on the raw
heights (:mod:`analysis.lift.phases`) for sub-frame boundaries. The pause between
the two strokes is the bottom pause (eccentric first) or the top pause; the
pause after the second stroke lasts until the next rep starts, or for the
last rep until the bar moves again, at most ``max_rest_pause_s``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from analysis.lift.kinematics import Kinematics
from analysis.lift.phases import fit_stroke

LIFTS = ("squat", "bench", "deadlift", "press")
ECCENTRIC_FIRST = frozenset({"squat", "bench"})
PHASE_KINDS = ("eccentric", "bottom_pause", "concentric", "top_pause")


@dataclass(frozen=True)
class RepSettings:
    """Knobs of rep segmentation (fractions of the set's range or ROM; times in s).

    A swing must also exceed ``min_rom_m`` (calibrated) or ``min_rom_px`` to be a
    rep, so a still bar with wobble has no reps at all.
    """

    min_rep_fraction: float = 0.4
    still_fraction: float = 0.06
    pause_zone: float = 0.12
    hold_min_s: float = 1.0
    max_rest_pause_s: float = 3.0
    fit_boundaries: bool = True
    min_rom_m: float = 0.08
    min_rom_px: float = 15.0

    def __post_init__(self) -> None:
        for name in ("min_rep_fraction", "still_fraction", "pause_zone"):
            v = getattr(self, name)
            if not 0 < v < 1:
                raise ValueError(f"{name} must be between 0 and 1, not {v!r}")
        if self.hold_min_s <= 0 or self.max_rest_pause_s < 0:
            raise ValueError("hold_min_s must be positive and max_rest_pause_s not negative")


@dataclass
class Hold:
    """An isometric hold: the bar still in mid travel for at least ``hold_min_s``.

    ``start``/``end`` in s; ``height`` in the kinematics units; ``height_pct``
    from the rep's bottom (0) to its top (100); ``phase`` is the stroke it
    interrupts.
    """

    start: float
    end: float
    height: float
    height_pct: float
    phase: str

    @property
    def duration(self) -> float:
        return self.end - self.start


class PhaseSpan:
    """``start`` and ``end`` of anything with ``phases: {kind: (start, end)}`` (seconds)."""

    phases: dict[str, tuple[float, float]]

    @property
    def start(self) -> float:
        return min(s for s, _ in self.phases.values())

    @property
    def end(self) -> float:
        return max(e for _, e in self.phases.values())


@dataclass
class RepPhases(PhaseSpan):
    """Where one rep is: phase boundaries and rest levels, no metrics.

    Attributes
    ----------
    phases : dict[str, tuple[float, float]]
        ``eccentric``, ``bottom_pause``, ``concentric``, ``top_pause`` → (start, end) s.
    top, bottom : float
        Rest heights at the top and bottom of the rep (units of the kinematics).
    holds : list of Hold
    fitted : bool
        True when every stroke boundary came from a good minimum-jerk fit.
    turn_time : float
        Time (s) of the turning point (bottom for eccentric-first lifts).
    """

    phases: dict[str, tuple[float, float]]
    top: float
    bottom: float
    holds: list[Hold] = field(default_factory=list)
    fitted: bool = True
    turn_time: float = 0.0

    @property
    def rom(self) -> float:
        return self.top - self.bottom


def turning_points(h: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Turning points of ``h`` with hysteresis ``threshold``.

    Returns a list of ``(index, +1)`` for peaks and ``(index, -1)`` for
    troughs, alternating. NaN samples are skipped. The last extreme is
    included (its swing reached the threshold, the swing out of it need not).
    """
    idx = np.flatnonzero(np.isfinite(h))
    if len(idx) < 2:
        return []
    piv: list[tuple[int, int]] = []
    hi = lo = ext = int(idx[0])
    d = 0
    for i in idx[1:]:
        i = int(i)
        if d == 0:
            hi = i if h[i] > h[hi] else hi
            lo = i if h[i] < h[lo] else lo
            if h[hi] - h[lo] >= threshold:
                if hi < lo:
                    piv.append((hi, 1))
                    d, ext = -1, lo
                else:
                    piv.append((lo, -1))
                    d, ext = 1, hi
        elif d == 1:
            if h[i] > h[ext]:
                ext = i
            elif h[ext] - h[i] >= threshold:
                piv.append((ext, 1))
                d, ext = -1, i
        else:
            if h[i] < h[ext]:
                ext = i
            elif h[i] - h[ext] >= threshold:
                piv.append((ext, -1))
                d, ext = 1, i
    if d != 0:
        piv.append((ext, d))
    return piv


def still_runs(still: np.ndarray) -> list[tuple[int, int]]:
    """Runs ``(first, last)`` (inclusive indices) of True values."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], still.astype(np.int8), [0]))))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


class _Segmenter:
    def __init__(self, kin: Kinematics, lift: str, settings: RepSettings) -> None:
        self.k, self.lift, self.s = kin, lift, settings
        h = np.where(kin.valid, kin.height, np.nan)
        self.h = h
        lo, hi = np.nanpercentile(h, [0.5, 99.5])
        self.range = float(hi - lo)
        speed = np.abs(np.where(kin.valid, kin.vy, np.nan))
        self.v_still = settings.still_fraction * float(np.nanpercentile(speed, 99.5))
        self.still = kin.valid & (np.nan_to_num(speed, nan=np.inf) < self.v_still)
        # Position noise: raw minus smoothed where the bar rests (robust SD).
        r = (kin.height_raw - kin.height)[self.still]
        r = r[np.isfinite(r)]
        noise = float(1.4826 * np.median(np.abs(r - np.median(r)))) if len(r) > 10 else 0.0
        self.noise = max(noise, 1e-6 * max(self.range, 1e-9))

    def _still_near(self, a: int, b: int, level: float, zone: float, last: bool) -> int | None:
        seg = np.arange(a, b + 1)
        m = self.still[seg] & (np.abs(self.h[seg] - level) <= zone)
        if not m.any():
            return None
        return int(seg[m][-1] if last else seg[m][0])

    def stroke(self, a: int, b: int, c: int, lvl_a: float, lvl_b: float,
               zone: float) -> tuple[int, int]:
        """Rough stroke frames (start, end): from rest at level a (pivot a) to rest at level b."""
        i0 = self._still_near(a, b, lvl_a, zone, last=True)
        start = i0 if i0 is not None else a
        i1 = self._still_near(start, c, lvl_b, zone, last=False)
        end = i1 if i1 is not None else b
        return start, max(end, start)

    def refine(self, start: int, end: int, lo_lim: float, hi_lim: float, lvl_a: float,
               lvl_b: float, zone: float, kind: str, rom: float
               ) -> tuple[list[tuple[float, float]], list[Hold], bool]:
        """Moving pieces (s) of a stroke split by mid-travel rests, its holds, fit quality."""
        t = self.k.t
        rests = []
        for p, q in still_runs(self.still[start:end + 1]):
            p, q = p + start, q + start
            if p == start or q == end or q - p < 2:
                continue
            hm = float(np.nanmedian(self.h[p:q + 1]))
            if abs(hm - lvl_a) > zone and abs(hm - lvl_b) > zone:
                rests.append((p, q))
        bounds = [start] + [x for pq in rests for x in pq] + [end]
        rough = [(float(t[bounds[2 * i]]), float(t[bounds[2 * i + 1]]))
                 for i in range(len(rests) + 1)]
        # A fit sees one stroke piece and the rests on either side of it, nothing beyond.
        a, b = start, end
        while a > 0 and self.still[a - 1]:
            a -= 1
        while b < len(t) - 1 and self.still[b + 1]:
            b += 1
        lefts = [max(lo_lim, float(t[a]))] + [float(t[p]) for p, _ in rests]
        rights = [float(t[q]) for _, q in rests] + [min(hi_lim, float(t[b]))]
        dt = float(np.median(np.diff(t)))
        pieces: list[tuple[float, float]] = []
        all_ok = True
        for i, (s0, s1) in enumerate(rough):
            if self.s.fit_boundaries:
                w0, w1 = max(lefts[i], s0 - 0.4), min(rights[i], s1 + 0.4)
                m = (t >= w0) & (t <= w1)
                fit = fit_stroke(t[m], self.k.height_raw[m], s0, s1, noise=self.noise,
                                 max_shift=max(0.35, 6 * dt))
                all_ok &= fit.ok
                if fit.ok:
                    s0, s1 = fit.start, fit.end
            pieces.append((s0, s1))
        holds = []
        bottom = min(lvl_a, lvl_b)
        for (_, e), (s, _) in zip(pieces[:-1], pieces[1:], strict=True):
            if s - e >= self.s.hold_min_s - 0.5 * dt:  # within the timing resolution
                m = (t >= e) & (t <= s)
                hh = float(np.nanmedian(self.h[m])) if m.any() else float("nan")
                holds.append(Hold(e, s, hh, 100.0 * (hh - bottom) / rom, kind))
        return pieces, holds, all_ok

    def run(self) -> list[RepPhases]:
        if not np.isfinite(self.range) or self.range <= 0:
            return []
        floor = self.s.min_rom_m if self.k.units == "m" else self.s.min_rom_px
        if self.range < floor:
            return []
        piv = turning_points(self.h, max(self.s.min_rep_fraction * self.typical_swing(floor),
                                         floor))
        ecc_first = self.lift in ECCENTRIC_FIRST
        first_kind = 1 if ecc_first else -1  # a rep starts at a peak or at a trough
        k1, k2 = ("eccentric", "concentric") if ecc_first else ("concentric", "eccentric")
        turn = "bottom_pause" if ecc_first else "top_pause"
        rest = "top_pause" if ecc_first else "bottom_pause"
        t = self.k.t
        n = len(t)
        pad = max(1, int(0.4 * self.k.fs_hz))
        reps: list[RepPhases] = []
        for j in range(len(piv) - 2):
            (a, ka), (b, _), (c, kc) = piv[j], piv[j + 1], piv[j + 2]
            if ka != first_kind or kc != first_kind:
                continue
            nxt = piv[j + 3][0] if j + 3 < len(piv) else n - 1
            a, c = self._trim_lead_in(a, b, c)
            la, lb, lc = float(self.h[a]), float(self.h[b]), float(self.h[c])
            rom = min(abs(la - lb), abs(lc - lb))
            zone = self.s.pause_zone * rom
            s1, e1 = self.stroke(a, b, c, la, lb, zone)
            s2, e2 = self.stroke(b, c, nxt, lb, lc, zone)
            s2 = max(s2, e1)
            mid = 0.5 * (t[e1] + t[s2]) if s2 > e1 else float(t[b])
            prev_end = reps[-1].phases[k2][1] if reps else float(t[0])
            p1, h1, ok1 = self.refine(s1, e1, max(prev_end, float(t[a])), mid, la, lb, zone,
                                      k1, rom)
            p2, h2, ok2 = self.refine(s2, e2, mid, float(t[min(e2 + pad, n - 1)]), lb, lc, zone,
                                      k2, rom)
            st1, en1 = p1[0][0], p1[-1][1]
            st2, en2 = p2[0][0], p2[-1][1]
            if st2 < en1:  # touch-and-go: no pause at the turn
                st2 = en1 = 0.5 * (st2 + en1)
            phases = {k1: (st1, en1), turn: (en1, st2), k2: (st2, en2),
                      rest: (en2, self._rest_end(e2, en2))}
            top = max(la, lc) if ecc_first else lb
            bottom = lb if ecc_first else min(la, lc)
            reps.append(RepPhases(phases={p: phases[p] for p in PHASE_KINDS}, top=top,
                                  bottom=bottom, holds=h1 + h2, fitted=ok1 and ok2,
                                  turn_time=float(t[b])))
        # A rep's rest pause ends where the next rep starts.
        for r, nxt_rep in zip(reps[:-1], reps[1:], strict=True):
            s, _ = r.phases[rest]
            r.phases[rest] = (s, max(s, nxt_rep.phases[k1][0]))
        return reps

    def _trim_lead_in(self, a: int, b: int, c: int) -> tuple[int, int]:
        """Start (end) a rep where the bar last (first) sits at the level the rep returns
        to, when the swing into (out of) the turn is much longer than the other: a clean
        from the floor before the first press, the bar lowered to the floor after the
        last one."""
        h = self.h
        la, lb, lc = float(h[a]), float(h[b]), float(h[c])
        near = 0.1 * min(abs(la - lb), abs(lc - lb))
        if abs(la - lb) > 1.5 * abs(lc - lb):
            at = np.flatnonzero(np.abs(h[a:b] - lc) <= near)
            if len(at):
                a = a + int(at[-1])
        elif abs(lc - lb) > 1.5 * abs(la - lb):
            at = np.flatnonzero(np.abs(h[b + 1:c + 1] - la) <= near)
            if len(at):
                c = b + 1 + int(at[0])
        return a, c

    def typical_swing(self, floor: float) -> float:
        """The height of a typical rep's stroke: the set's range, unless one movement
        (a clean from the floor before strict presses, a bar lifted from the floor to
        the rack) dwarfs strokes that clearly repeat. Then the median swing (of those
        larger than a fifth of the range) stands for a rep."""
        piv = turning_points(self.h, max(0.2 * self.range, floor))
        amps = np.abs(np.diff([self.h[i] for i, _ in piv]))
        if len(amps) < 4:
            return self.range
        typical = float(np.median(amps))
        repeats = int(np.sum(np.abs(amps - typical) <= 0.3 * typical))
        if self.range > 2.0 * typical and repeats >= 4:
            return typical
        return self.range

    def _rest_end(self, e2: int, end_time: float) -> float:
        """Until the bar moves again after the rep, at most ``max_rest_pause_s``."""
        t = self.k.t
        j = e2
        while j < len(t) - 1 and self.still[j + 1]:
            j += 1
        return float(min(max(float(t[j]), end_time), end_time + self.s.max_rest_pause_s))


def segment_reps(kin: Kinematics, lift: str, settings: RepSettings | None = None
                 ) -> list[RepPhases]:
    """Find the reps of a set and their phases.

    Parameters
    ----------
    kin : Kinematics
        Smoothed track (any units; heights grow upward).
    lift : {"squat", "bench", "deadlift", "press"}
        Decides which stroke comes first (see the module docstring).
    settings : RepSettings, optional

    Returns
    -------
    list of RepPhases
        In time order; phase times in s, heights in ``kin.units``.

    Raises
    ------
    ValueError
        For an unknown lift.
    """
    if lift not in LIFTS:
        raise ValueError(f"unknown lift {lift!r}: choose one of {', '.join(LIFTS)}")
    return _Segmenter(kin, lift, settings or RepSettings()).run()
