"""Rep segmentation and phase boundaries from the bar's height.

Lift direction
--------------
Squat and bench press start at the top and go down first (eccentric first).
Deadlift and overhead press start at the bottom and go up first (concentric
first): the press starts from the bar resting on the shoulders, so like the
deadlift its first stroke is the concentric and its rest position is the
bottom. With no lift given (``lift=None``) the direction comes from the motion:
a set whose first large movement is upward (the bar starts low and rises) is
concentric first. Tempo is always written eccentric-bottom-concentric-top.

Counting reps
-------------
The smoothed height is reduced to its turning points with a hysteresis
("zig-zag") filter: a turning point is accepted only when the bar has
travelled back by at least ``min_rep_fraction`` of a typical stroke: the
set's height range, or the median swing when one movement (such as a clean
before strict presses) is more than twice the strokes that repeat.
Unracking, walking out, re-racking, bobbing and small wobbles move the bar a
few centimetres and never reach that threshold, so they make no ghost reps.
A rep is a down swing and an up swing (eccentric first: top -> bottom -> top)
or the reverse (concentric first), both above the threshold.

Phases: one rule for every rep
------------------------------
Every boundary is where the bar arrives at or leaves a rest: the bottom, the
top, or an isometric hold. Each rest is fitted on the raw heights by
:func:`analysis.lift.boundaries.fit_rest` (level, arrival, departure; local
power laws on either side, no stroke shape assumed), so every rep of every set
gets sub-frame boundaries by the same rule. The concentric runs from leaving
the bottom to arriving at the top, the eccentric from leaving the top to
arriving at the bottom (the linear-transducer convention,
González-Badillo & Sánchez-Medina 2010). There is no speed threshold at all,
so a slow (3 s) eccentric is as long as it is. A hold is a stretch of at least
``hold_min_s`` in mid travel where the smoothed speed stays below
``hold_speed_rom`` ROM per second; its arrival and departure come from the
same fit. Down-first: the top pause after the concentric lasts until the next
rep starts, or for the last rep until the bar moves again, at most
``max_rest_pause_s``. Up-first: the bottom pause is the floor pause *before* the
rep's pull (a dead stop), at most ``max_rest_pause_s``; the first rep's is the
set's lead-in and shown as none.

The set's last rep ends at lockout when the bar then walks to the rack (and the
first starts after the walk out): the swing past the lockout level is cut where the
stroke stopped once the bar travels sideways more than ``WALK_SIDEWAYS`` of the ROM
beyond it (see ``_Segmenter._walk``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from analysis.lift.boundaries import RestFit, fit_rest
from analysis.lift.kinematics import Kinematics

LIFTS = ("squat", "bench", "deadlift", "press")
ECCENTRIC_FIRST = frozenset({"squat", "bench"})
PHASE_KINDS = ("eccentric", "bottom_pause", "concentric", "top_pause")
DIRECTIONS = ("down_first", "up_first")
#: The set's first (last) rep starts (ends) where its stroke stops at the level of its
#: other end when, beyond that level, the bar then travels sideways more than this share
#: of the ROM (and more than it keeps rising or sinking): a walk from (to) the rack.
WALK_SIDEWAYS = 0.25


def direction_of(lift: str | None) -> str | None:
    """``down_first`` (squat, bench), ``up_first`` (deadlift, press), None when unknown."""
    if lift is None:
        return None
    return "down_first" if lift in ECCENTRIC_FIRST else "up_first"


@dataclass(frozen=True)
class RepSettings:
    """Knobs of rep segmentation (fractions of the set's range or of a rep's ROM; s).

    A swing must also exceed ``min_rom_m`` (calibrated) or ``min_rom_px`` to be a
    rep, so a still bar with wobble has no reps at all. ``fit_zone`` is the band
    (share of ROM) around a rest whose samples the boundary fit uses.
    ``hold_speed_rom``: a hold is slower than this many ROMs per second
    (0.04 = 2 cm/s on a 0.5 m squat).
    """

    min_rep_fraction: float = 0.4
    pause_zone: float = 0.12
    fit_zone: float = 0.05
    hold_min_s: float = 1.0
    hold_speed_rom: float = 0.04
    max_rest_pause_s: float = 3.0
    min_rom_m: float = 0.08
    min_rom_px: float = 15.0

    def __post_init__(self) -> None:
        for name in ("min_rep_fraction", "pause_zone", "fit_zone", "hold_speed_rom"):
            v = getattr(self, name)
            if not 0 < v < 1:
                raise ValueError(f"{name} must be between 0 and 1, not {v!r}")
        if self.hold_min_s <= 0 or self.max_rest_pause_s < 0:
            raise ValueError("hold_min_s must be positive and max_rest_pause_s not negative")


@dataclass
class Hold:
    """An isometric hold: the bar still in mid travel for at least ``hold_min_s``.

    ``start``/``end`` in s (sub-frame, from the rest fit); ``height`` in the
    kinematics units; ``height_pct`` from the rep's bottom (0) to its top (100);
    ``phase`` is the stroke it interrupts.
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
        ``eccentric``, ``bottom_pause``, ``concentric``, ``top_pause`` -> (start, end) s.
    top, bottom : float
        Rest heights at the top and bottom of the rep (units of the kinematics),
        from the boundary fits.
    holds : list of Hold
    fitted : bool
        True when every boundary of the rep came from a rest fit (sub-frame);
        False when one fell back to the frame-resolution estimate.
    turn_time : float
        Time (s) of the turning point (bottom for eccentric-first lifts).
    flags : list of str
        Plain reasons not to trust the rep's numbers (e.g. the tracker lost the bar).
    con_levels : (float, float) or None
        Fitted rest heights at the concentric's start and end.
    con_sd : (float, float) or None
        Standard deviations (s) of the concentric's start and end times from the
        position noise (see :class:`analysis.lift.boundaries.RestFit`).
    """

    phases: dict[str, tuple[float, float]]
    top: float
    bottom: float
    holds: list[Hold] = field(default_factory=list)
    fitted: bool = True
    turn_time: float = 0.0
    flags: list[str] = field(default_factory=list)
    con_levels: tuple[float, float] | None = None
    con_sd: tuple[float, float] | None = None

    @property
    def rom(self) -> float:
        """Height gained by the concentric (the fitted rest levels at its ends)."""
        if self.con_levels is not None:
            return self.con_levels[1] - self.con_levels[0]
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


#: px: the least position noise a track is taken to have. A video tracker resolves a
#: bar's position to about this (0.02-0.03 px per frame measured on clean rendered clips,
#: see bench/bench_validity.py), so steps smaller than it are not read as motion. Without
#: it, a tracker that reports a resting plate at exactly the same place frame after frame
#: made the rest look noiseless and a slow lift-off read up to 1.2 frames early (the
#: tracker's own 0.01 px at the lift-off counted as the bar leaving); it also steadies the
#: boundary fits of exact tracks (validity bench, exact 30 fps: worst stroke shape's MCV
#: RMSE 0.0157 -> 0.0125 m/s).
NOISE_FLOOR_PX = 0.02


def robust_noise(kin: Kinematics) -> float:
    """Position noise SD of the raw heights (units), from their third differences, and
    at least ``NOISE_FLOOR_PX`` (in units).

    For white noise the third difference has variance 20 sigma^2; motion adds to it,
    so only the quietest fifth of the samples is used."""
    floor = NOISE_FLOOR_PX * kin.scale
    h = kin.height_raw[np.isfinite(kin.height_raw)]
    if len(h) < 10:
        return floor
    d3 = np.abs(np.diff(h, 3))
    # the quietest fifth of the set (its rests) speaks for the noise: the 20th
    # percentile of |N(0, s)| is 0.2533 s
    return max(float(np.percentile(d3, 20) / 0.2533 / np.sqrt(20.0)), floor)


def motion_direction(kin: Kinematics, settings: RepSettings | None = None) -> str | None:
    """``up_first`` when the set's first large movement rises (it starts low), else
    ``down_first``; None when the bar never moves through a clear range."""
    seg = _Segmenter(kin, "down_first", settings or RepSettings())
    piv = seg.pivots()
    if not piv:
        return None
    return "down_first" if piv[0][1] == 1 else "up_first"


class _Segmenter:
    def __init__(self, kin: Kinematics, direction: str, settings: RepSettings) -> None:
        self.k, self.direction, self.s = kin, direction, settings
        h = np.where(kin.valid, kin.height, np.nan)
        self.h = h
        self.raw = np.where(kin.valid, kin.height_raw, np.nan)
        fin = np.isfinite(h)
        if fin.any():
            lo, hi = np.nanpercentile(h, [0.5, 99.5])
            self.range = float(hi - lo)
        else:
            self.range = float("nan")
        self.noise = robust_noise(kin)
        self.floor = settings.min_rom_m if kin.units == "m" else settings.min_rom_px

    # -- turning points ------------------------------------------------------------
    def pivots(self) -> list[tuple[int, int]]:
        if not np.isfinite(self.range) or self.range < self.floor:
            return []
        return turning_points(self.h, max(self.s.min_rep_fraction
                                          * self.typical_swing(self.floor), self.floor))

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

    # -- rests ---------------------------------------------------------------------
    def rest(self, i: int, sL: int, sR: int, rom: float, lo: int, hi: int) -> RestFit:
        zone = max(self.s.fit_zone * rom, 6.0 * self.noise)
        return fit_rest(self.k.t, self.raw, self.h, i, sL, sR, zone, self.noise, lo, hi)

    def holds_in(self, a: int, b: int, up: bool, rom: float, lvl_a: float, lvl_b: float,
                 kind: str, bottom: float) -> list[tuple[RestFit, Hold]]:
        """Isometric holds in the stroke from sample ``a`` to ``b``."""
        t, k = self.k.t, self.k
        if b - a < 3:
            return []
        speed = np.abs(np.where(k.valid[a:b + 1], k.vy[a:b + 1], np.inf))
        still = speed < self.s.hold_speed_rom * rom
        zone = self.s.pause_zone * rom
        out: list[tuple[RestFit, Hold]] = []
        for p, q in still_runs(still):
            p, q = p + a, q + a
            if t[q] - t[p] < 0.5 * self.s.hold_min_s:
                continue
            hm = float(np.nanmedian(self.h[p:q + 1]))
            if abs(hm - lvl_a) <= zone or abs(hm - lvl_b) <= zone:
                continue
            s = 1 if up else -1
            f = self.rest((p + q) // 2, -s, s, rom, a, b)
            # within the timing resolution (a frame and a half, at least 60 ms)
            if f.leave - f.arrive < self.s.hold_min_s - max(1.5 / max(k.fs_hz, 1e-9), 0.06):
                continue
            if any(f.arrive < g.leave and g.arrive < f.leave for g, _ in out):
                continue  # a second still run inside a hold already found (noise split it)
            lvl = f.level if np.isfinite(f.level) else hm
            out.append((f, Hold(f.arrive, f.leave, lvl, 100.0 * (lvl - bottom) / rom, kind)))
        return out

    def _trim(self, a: int, b: int, c: int, first: bool = False, last: bool = False
              ) -> tuple[int, int]:
        """Start (end) a rep where the bar last (first) sits at the level the rep returns
        to, when the swing into (out of) the turn is not all the rep's stroke.

        Two cases: the swing is much longer (1.5x) than the other (a clean from the
        floor before the first press, the bar lowered to the floor after the last one),
        or, for the set's ``first`` (``last``) rep, the swing goes on into a walk from
        (to) the rack once the stroke has stopped at the other side's level
        (see :meth:`_walk`)."""
        h = self.h
        la, lb, lc = float(h[a]), float(h[b]), float(h[c])
        near = 0.1 * min(abs(la - lb), abs(lc - lb))
        speed = np.abs(np.nan_to_num(self.k.vy, nan=np.inf))
        if abs(la - lb) > 1.5 * abs(lc - lb):
            at = a + np.flatnonzero(np.abs(h[a:b] - lc) <= near)
            if len(at):  # the stillest moment at that level
                a = int(at[np.argmin(speed[at])])
        elif abs(lc - lb) > 1.5 * abs(la - lb):
            at = b + 1 + np.flatnonzero(np.abs(h[b + 1:c + 1] - la) <= near)
            if len(at):
                c = int(at[np.argmin(speed[at])])
        elif first and (stop := self._walk(a, b, lc, lb, -1)) is not None:
            a = stop
        elif last and (stop := self._walk(c, b, la, lb, 1)) is not None:
            c = stop
        return a, c

    def _walk(self, end: int, b: int, level: float, lb: float, step: int) -> int | None:
        """Where the swing between the turn ``b`` and ``end`` (after it: ``step`` 1,
        before it: -1) stops at ``level`` (the rep's other end) before a walk; None when
        it is not a walk.

        A squat or bench stroke is vertical: the bar stops at lockout, at the height it
        started from, and moves sideways a few centimetres over the whole rep (5-8 cm
        on the real squat sets we hold, a bench's J-curve 5-10 cm). Walking the bar to
        the rack (or out of it) moves it a step's length sideways (30+ cm) while its
        image height changes only through perspective and the lifter's posture. So the
        swing is a walk when, from where it first reaches ``level`` (within 10 % of
        the ROM) to ``end``, the bar travels sideways (range of x) more than
        :data:`WALK_SIDEWAYS` of the ROM and more than it goes on past ``level``
        (a stroke that ends higher than it started, without walking, is a stroke).
        Only the set's first and last swings are tested: walks happen before the
        first rep and after the last, never between reps. The stroke then ends
        (starts) where its vertical velocity first reaches zero at that level: the
        linear-transducer end of the concentric (González-Badillo & Sánchez-Medina
        2010), or the stillest sample while the bar stays at that level."""
        h, x, vy = self.h, self.k.x, self.k.vy
        rom = abs(level - lb)
        over = max(abs(float(h[end]) - lb) - rom, 0.0)
        if not np.isfinite(over):
            return None
        lo, hi = (b, end) if step > 0 else (end, b)
        span = np.arange(lo, hi + 1)
        past = np.abs(h[span] - lb) >= rom - 0.1 * rom
        if not past.any():
            return None
        reach = int(span[np.flatnonzero(past)[0 if step > 0 else -1]])
        seg = x[min(reach, end):max(reach, end) + 1]
        seg = seg[np.isfinite(seg)]
        if len(seg) < 2:
            return None
        side = float(np.ptp(seg))
        if not side > max(over, WALK_SIDEWAYS * rom):
            return None
        # the run of samples at the level from the reach on, and the stroke's stop in it
        d = 1.0 if level > lb else -1.0
        run = []
        j = reach
        while 0 <= j < len(h) and np.isfinite(h[j]) and abs(h[j] - level) <= 0.1 * rom:
            run.append(j)
            j += step
        if not run:
            run = [reach]
        for j in run:
            v = vy[j] * d
            if np.isfinite(v) and (v <= 0 if step > 0 else v >= 0):
                return j
        sp = np.abs(np.nan_to_num(vy[run], nan=np.inf))
        return int(run[int(np.argmin(sp))])

    # -- reps ----------------------------------------------------------------------
    def run(self) -> list[RepPhases]:
        piv = self.pivots()
        if len(piv) < 3:
            return []
        down = self.direction == "down_first"
        first_kind = 1 if down else -1  # a rep starts at a peak or at a trough
        k1, k2 = ("eccentric", "concentric") if down else ("concentric", "eccentric")
        rest_kind = "top_pause" if down else "bottom_pause"
        n = len(self.k.t)
        reps: list[RepPhases] = []
        fits: dict[tuple[int, int, int], RestFit] = {}

        def fit(i: int, sL: int, sR: int, rom: float, lo: int, hi: int) -> RestFit:
            key = (i, sL, sR)
            if key not in fits:
                fits[key] = self.rest(i, sL, sR, rom, lo, hi)
            return fits[key]

        for j in range(len(piv) - 2):
            (a, ka), (b, _), (c, kc) = piv[j], piv[j + 1], piv[j + 2]
            if ka != first_kind or kc != first_kind:
                continue
            lo = piv[j - 1][0] if j > 0 else 0
            hi = piv[j + 3][0] if j + 3 < len(piv) else n - 1
            a2, c2 = self._trim(a, b, c, first=j < 2, last=j + 4 >= len(piv))
            reps.append(self.rep_at((a, b, c), (a2, c2), lo, hi, j + 3 < len(piv), j == 0,
                                    fit))
        # A rep's top pause ends where the next rep starts (never after it); a floor
        # pause starts where the previous rep ended.
        for r, nxt in zip(reps[:-1], reps[1:], strict=True):
            if down:
                s0, e0 = r.phases[rest_kind]
                r.phases[rest_kind] = (s0, max(s0, min(e0, nxt.phases[k1][0])))
            else:
                s0, e0 = nxt.phases[rest_kind]
                s0 = max(s0, r.phases[k2][1])
                nxt.phases[rest_kind] = (min(s0, e0), e0)
        return reps

    def rep_at(self, pivots: tuple[int, int, int], trimmed: tuple[int, int], lo: int, hi: int,
               more_after: bool, lead_in: bool,
               fit: Callable[[int, int, int, float, int, int], RestFit]) -> RepPhases:
        """The rep whose strokes turn at sample ``pivots`` (start, turn, end: turning points
        of the height), started and ended at ``trimmed`` (see :meth:`_trim`), its rests
        fitted by ``fit`` within samples ``lo``..``hi``; ``more_after``: a rep follows
        (its top pause then ends where the next descent starts); ``lead_in``: the set's
        first rep (an up-first rep's floor pause is then none)."""
        a, b, c = pivots
        a2, c2 = trimmed
        down = self.direction == "down_first"
        k1, k2 = ("eccentric", "concentric") if down else ("concentric", "eccentric")
        turn = "bottom_pause" if down else "top_pause"
        rest_kind = "top_pause" if down else "bottom_pause"
        t = self.k.t
        s_first = -1 if down else 1  # bar side around the rep's end rests: below a top (-1)
        la, lb, lc = float(self.h[a2]), float(self.h[b]), float(self.h[c2])
        rom = max(min(abs(la - lb), abs(lc - lb)), 1e-9)
        # the start rest: a turn (or, trimmed, a rest in the swing into the rep)
        if a2 == a:
            fa = fit(a, s_first, s_first, rom, lo, b)
        else:
            fa = fit(a2, -s_first, s_first, rom, a, b)
        fb = fit(b, -s_first, -s_first, rom, a2, c2)
        if c2 == c:
            fc = fit(c, s_first, s_first, rom, b, hi)
        else:
            fc = fit(c2, s_first, -s_first, rom, b, c)
        fa, fb, fc = (self._sane(f, i) for f, i in ((fa, a2), (fb, b), (fc, c2)))
        top = max(fa.level, fc.level) if down else fb.level
        bottom = fb.level if down else min(fa.level, fc.level)
        rom_fit = (fc.level - fb.level) * (1 if down else -1)
        if not np.isfinite(rom_fit) or rom_fit <= 0:
            rom_fit = rom
        h1 = self.holds_in(a2, b, not down, rom_fit, la, lb, k1, bottom)
        h2 = self.holds_in(b, c2, down, rom_fit, lb, lc, k2, bottom)
        st1, en1 = fa.leave, fb.arrive
        st2, en2 = fb.leave, fc.arrive
        if down:  # the top pause after the concentric, until the next descent
            rest_end = fc.leave if more_after and c2 == c else self._rest_end(c2, en2)
            rest = (en2, max(en2, rest_end))
        else:  # the floor pause before the pull (a dead stop), at most max_rest_pause_s
            rest = (max(fa.arrive, st1 - self.s.max_rest_pause_s), st1)
            if lead_in or a2 != a:  # the set's lead-in: unknown, shown as no pause
                rest = (st1, st1)
        phases = {k1: (st1, en1), turn: (en1, st2), k2: (st2, en2), rest_kind: rest}
        ok = fa.ok and fb.ok and fc.ok and all(f.ok for f, _ in h1 + h2)
        return RepPhases(phases={p: phases[p] for p in PHASE_KINDS}, top=top, bottom=bottom,
                         holds=[hd for _, hd in h1 + h2], fitted=ok, turn_time=float(t[b]),
                         con_levels=(fb.left_from, fc.arrived_at) if down
                         else (fa.left_from, fb.arrived_at),
                         con_sd=(fb.leave_sd, fc.arrive_sd) if down
                         else (fa.leave_sd, fb.arrive_sd))

    def _sane(self, f: RestFit, i: int) -> RestFit:
        """A rest whose level could not be fitted (the bar lost around it) keeps the
        smoothed height there (or nearby) and frame-resolution times."""
        if np.isfinite(f.level) and np.isfinite(f.arrive) and np.isfinite(f.leave):
            return f
        near = np.flatnonzero(np.isfinite(self.h))
        if not len(near):
            return f
        j = int(near[np.argmin(np.abs(near - i))])
        t = float(self.k.t[j])
        arrive = f.arrive if np.isfinite(f.arrive) else t
        leave = f.leave if np.isfinite(f.leave) else t
        return RestFit(arrive, max(arrive, leave), float(self.h[j]), False)

    def _rest_end(self, c: int, end_time: float) -> float:
        """Until the bar moves again after the rep, at most ``max_rest_pause_s``."""
        t = self.k.t
        zone = max(self.s.pause_zone * 0.25 * self.range, 6.0 * self.noise)
        j = c
        while j < len(t) - 1 and np.isfinite(self.h[j + 1]) and abs(self.h[j + 1] - self.h[c]) <= zone:
            j += 1
        return float(min(max(float(t[j]), end_time), end_time + self.s.max_rest_pause_s))


def segment_reps(kin: Kinematics, lift: str | None, settings: RepSettings | None = None,
                 direction: str | None = None) -> list[RepPhases]:
    """Find the reps of a set and their phases.

    Parameters
    ----------
    kin : Kinematics
        Smoothed track (any units; heights grow upward).
    lift : {"squat", "bench", "deadlift", "press"} or None
        Decides which stroke comes first (see the module docstring); None = from
        ``direction`` or, failing that, from the motion.
    settings : RepSettings, optional
    direction : {"down_first", "up_first"}, optional
        Overrides the lift's direction.

    Returns
    -------
    list of RepPhases
        In time order; phase times in s, heights in ``kin.units``.

    Raises
    ------
    ValueError
        For an unknown lift or direction.
    """
    if lift is not None and lift not in LIFTS:
        raise ValueError(f"unknown lift {lift!r}: choose one of {', '.join(LIFTS)}")
    if direction is not None and direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}: use down_first or up_first")
    settings = settings or RepSettings()
    d = direction or direction_of(lift) or motion_direction(kin, settings) or "down_first"
    return _Segmenter(kin, d, settings).run()


def rep_at_turns(kin: Kinematics, direction: str, pivots: tuple[int, int, int],
                 window: tuple[int, int], more_after: bool, lead_in: bool,
                 settings: RepSettings | None = None) -> RepPhases:
    """One rep's phases found by the same rest fits as :func:`segment_reps`, for strokes
    that turn at the samples ``pivots`` (start, turn, end) named by the caller rather than
    by the set's turning points: used to re-detect the halves of a rep split by hand.

    ``window`` (first, last sample) bounds the samples the start and end rests are fitted
    on; ``more_after``: another rep follows (a down-first rep's top pause then ends where
    it starts); ``lead_in``: the set's first rep. Phase times in s, heights in
    ``kin.units``; the set's noise and range are those of the whole track.

    Raises
    ------
    ValueError
        For an unknown direction.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}: use down_first or up_first")
    seg = _Segmenter(kin, direction, settings or RepSettings())
    return seg.rep_at(pivots, (pivots[0], pivots[2]), window[0], window[1], more_after,
                      lead_in, seg.rest)
