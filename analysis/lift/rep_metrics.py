"""Per-rep numbers and tempo from the phases of a rep.

Definitions (units are those of the kinematics: m or px, and seconds)
---------------------------------------------------------------------
- ROM: the rest level at the top of the concentric minus the level at its start
  (from the boundary fits; smoothed heights at moved boundaries).
- Mean concentric velocity (MCV, "mean velocity" MV of linear-transducer devices,
  González-Badillo & Sánchez-Medina 2010): ROM / (concentric time minus the
  isometric holds inside it). ``mean_velocity_incl_holds`` keeps the holds in.
- Mean propulsive velocity (MPV, Sánchez-Medina, Pérez & González-Badillo 2010):
  mean velocity over the propulsive phase, from the concentric start to the first
  instant after peak velocity (and after the last hold) at which the bar's
  acceleration falls below -g (g = 9.81 m/s²); holds are left out of its time.
  When the acceleration never falls below -g, MPV = MCV. That instant and the height
  there come from local polynomials through the raw samples, gated by the position
  noise (:func:`propulsive_end`), not from the low-passed track, which flattens a brief braking. Needs a metric scale
  (None in px).
- Peak concentric velocity: highest smoothed upward velocity in the concentric,
  and the height where it happens (% of ROM from the bottom).
- Time under tension: eccentric + concentric + the pause between them (bottom
  pause for squat/bench, top pause for deadlift/press); the rest pause between
  reps is not under tension.
- Horizontal drift: the widest horizontal excursion during the two strokes, and
  the net shift from the start of the rep to the end of its second stroke.
- Sticking point: the deepest velocity trough of the concentric between two drives
  (its depth below the lower of the highest velocities before and after it; a dip of
  at least ``sticking_min_dip`` of the highest velocity before it), outside holds;
  height as % of ROM and time. On a two-peak stroke this is the classic lowest
  velocity between the first and second peak; on a wavy track (a hand-held camera
  taken out, a bounce out of the hole) the first small wobble is not taken for it
  (a real squat read 12 % from a 0.51 m/s ripple before a 0.26 m/s trough at 26 %).
  A dip within
  ``STICKING_EDGE_PCT`` of the ROM's ends is not one: there the bar is settling at
  lockout (a deadlift read "sticking point 99 %" from the bar's 1 mm wobble at the
  top) or leaving the floor; the sticking region lies between two drives
  (van den Tillaar & Ettema, 2010; Kompf & Arandjelovic, 2016).
- Tempo: phase durations eccentric-bottom-concentric-top, written
  ``3.1-1.0-0.8-0.4`` and in the lifter's notation ``3-1-X-0``: whole seconds
  (the displayed tenths rounded half up, so 1.49 s, shown 1.5, is 2), and ``X``
  when the concentric took less than ``x_under_s`` (default 1.0 s). That cut-off only
  *writes* a measured tempo; it never judges one.
- Tempo compliance (:func:`check_tempo`): a phase with a prescribed number of seconds
  is met within ± ``tolerance_s``. A prescribed ``X`` is explosive *intent*: drive the
  concentric as fast as possible (Poliquin's tempo notation). How long that takes depends
  on the load: a maximal-intent heavy rep can take 1.5-2 s at 0.3 m/s (velocity-based
  training), so a time cut-off would fail every heavy rep whatever the effort. A
  prescribed X is met when the concentric is driven without a stop: no hold (the bar
  still for ``hold_min_s``, :class:`analysis.lift.rep_phases.Hold`) inside it, whatever
  its duration. Its speed is not judged (the MCV and velocity loss say that).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from analysis.lift.kinematics import Kinematics
from analysis.lift.numeric import find_peaks_prominent
from analysis.lift.rep_phases import ECCENTRIC_FIRST, PHASE_KINDS, Hold, robust_noise

TEMPO_ORDER = PHASE_KINDS  # eccentric, bottom pause, concentric, top pause


@dataclass
class StickingPoint:
    """Velocity dip after the first drive of the concentric.

    ``time`` (s), ``height`` (units), ``height_pct`` of ROM from the bottom,
    ``velocity`` at the dip (units/s), ``dip_pct`` of the first peak velocity.
    """

    time: float
    height: float
    height_pct: float
    velocity: float
    dip_pct: float


@dataclass
class RepMetrics:
    """Numbers of one rep (lengths in ``units``, times in s, velocities in ``units``/s)."""

    rom: float
    mean_concentric_velocity: float
    mean_propulsive_velocity: float | None
    propulsive_time: float | None
    mean_velocity_incl_holds: float
    hold_time: float
    peak_concentric_velocity: float
    peak_velocity_height_pct: float
    mean_eccentric_velocity: float
    concentric_time: float
    eccentric_time: float
    time_under_tension: float
    drift_max: float
    drift_net: float
    sticking_point: StickingPoint | None
    #: Standard deviation of the MCV that the position noise leaves (units/s): the
    #: concentric's two boundary-time SDs (from their rest fits) over its moving time;
    #: None when unknown (a boundary moved by hand or not fitted). Not included: the
    #: boundary rule's own error (0.016 m/s at most on exact tracks) and holds' timing.
    mean_concentric_velocity_sd: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _at(kin: Kinematics, series: np.ndarray, time: float) -> float:
    m = np.isfinite(series)
    if not m.any():
        return float("nan")
    return float(np.interp(time, kin.t[m], series[m]))


G = 9.81  # m/s², the threshold of the propulsive phase (Sánchez-Medina et al. 2010)


def rep_metrics(kin: Kinematics, lift: str | bool, phases: dict[str, tuple[float, float]],
                holds: list[Hold], sticking_min_dip: float = 0.05,
                levels: tuple[float, float] | None = None,
                con_sd: tuple[float, float] | None = None) -> RepMetrics:
    """Measure one rep from its phase boundaries.

    Parameters
    ----------
    kin : Kinematics
    lift : str or bool
        Decides which pause counts as under tension (a lift name, or True for
        eccentric first).
    phases : dict
        ``eccentric``, ``bottom_pause``, ``concentric``, ``top_pause`` → (start, end) s.
    holds : list of Hold
        Holds inside the rep (excluded from the sticking-point search).
    sticking_min_dip : float
        Smallest velocity dip (share of the first peak) that counts as a sticking point.
    levels : (float, float), optional
        Heights at the concentric's start and end (the fitted rest levels); by
        default the smoothed heights at those times.
    con_sd : (float, float), optional
        Standard deviations (s) of the concentric's start and end times; they give
        ``mean_concentric_velocity_sd`` (MCV x hypot(sd0, sd1) / moving time).
    """
    t = kin.t
    c0, c1 = phases["concentric"]
    e0, e1 = phases["eccentric"]
    if levels is not None and all(np.isfinite(levels)):
        h_c0, h_c1 = levels
    else:
        h_c0, h_c1 = _at(kin, kin.height, c0), _at(kin, kin.height, c1)
    rom = h_c1 - h_c0
    con_time, ecc_time = c1 - c0, e1 - e0
    ecc_rom = _at(kin, kin.height, e0) - _at(kin, kin.height, e1)
    con_holds = [hd for hd in holds if hd.phase == "concentric"]
    hold_time = float(sum(_overlap(hd, c0, c1) for hd in con_holds))
    moving = con_time - hold_time
    mcv = rom / moving if moving > 0 else float("nan")
    mv_incl = rom / con_time if con_time > 0 else float("nan")
    mev = ecc_rom / ecc_time if ecc_time > 0 else float("nan")
    cm = (t >= c0) & (t <= c1) & np.isfinite(kin.vy)
    pcv, pct_at_peak = float("nan"), float("nan")
    if cm.any():
        i = int(np.flatnonzero(cm)[np.argmax(kin.vy[cm])])
        pcv = float(kin.vy[i])
        pct_at_peak = 100.0 * (float(kin.height[i]) - h_c0) / rom if rom > 0 else float("nan")
    mpv, prop_t = _propulsive(kin, cm, c0, c1, con_holds, h_c0, mcv, moving)
    ecc_first = lift if isinstance(lift, bool) else lift in ECCENTRIC_FIRST
    pause = "bottom_pause" if ecc_first else "top_pause"
    tut = ecc_time + con_time + (phases[pause][1] - phases[pause][0])
    s0 = min(e0, c0)
    s1 = max(e1, c1)
    xm = (t >= s0) & (t <= s1) & np.isfinite(kin.x)
    drift_max = float(np.ptp(kin.x[xm])) if xm.any() else float("nan")
    drift_net = _at(kin, kin.x, s1) - _at(kin, kin.x, s0)
    sp = _sticking(kin, cm, holds, h_c0, rom, sticking_min_dip)
    mcv_sd = None
    if con_sd is not None and np.isfinite(mcv) and moving > 0 and all(np.isfinite(con_sd)):
        mcv_sd = float(abs(mcv) * np.hypot(*con_sd) / moving)
    return RepMetrics(rom, mcv, mpv, prop_t, mv_incl, hold_time, pcv, pct_at_peak, mev,
                      con_time, ecc_time, tut, drift_max, drift_net, sp, mcv_sd)


def _overlap(hd: Hold, a: float, b: float) -> float:
    return max(0.0, min(hd.end, b) - max(hd.start, a))


def _propulsive(kin: Kinematics, cm: np.ndarray, c0: float, c1: float, holds: list[Hold],
                h0: float, mcv: float, moving: float) -> tuple[float | None, float | None]:
    """(MPV, propulsive time) of a concentric; (None, None) without a metric scale."""
    if kin.units != "m" or not np.isfinite(mcv):
        return None, None
    idx = np.flatnonzero(cm & np.isfinite(kin.vy))
    if len(idx) < 3:
        return mcv, moving
    after = max([hd.end for hd in holds], default=c0)
    seg = idx[kin.t[idx] >= after]
    if len(seg) < 2:
        return mcv, moving
    t_peak = float(kin.t[int(seg[np.argmax(kin.vy[seg])])])
    end = propulsive_end(kin, t_peak, c1)
    if end is None:
        return mcv, moving
    tp = min(max(end[0], c0), c1)
    prop = tp - c0 - sum(_overlap(hd, c0, tp) for hd in holds)
    if prop <= 0:
        return mcv, moving
    return (end[1] - h0) / prop, prop


#: Largest standard deviation of a local acceleration estimate, as a share of g, with
#: which the propulsive end is searched for: a braking of at most 0.7 g then crosses -g
#: only by a three-SD excursion of the noise.
ACC_SD_SHARE = 0.1
#: Largest standard deviation of the five-sample quartic's acceleration, as a share of g,
#: with which it re-places a crossing the gated fits found: the crossing's existence is
#: already settled, so here noise only has to stay below the dt²/12 smear the quartic
#: removes, a 1 g error being a three-SD excursion. At 30 fps the quartic's SD is 0.09 g
#: at 0.1 px (3 mm/px) and 0.26 g at 0.3 px; at 120 and 240 fps with 0.3 px it is many g
#: (about 16 g at 240 fps), where it put the end up to 11 frames early.
REFINE_SD_SHARE = 1.0 / 3.0


def propulsive_end(kin: Kinematics, t_peak: float, t_end: float) -> tuple[float, float] | None:
    """Where the bar's acceleration first falls below -g after peak velocity: (time s,
    height m), or None when it does not before ``t_end`` (the concentric's end).

    The acceleration at each raw sample comes from a least-squares quadratic through the
    raw heights of the samples within k frame intervals of it (a local polynomial, as in
    Savitzky & Golay 1964; the window is a time, so a lost frame does not widen it, see
    :func:`_window`); its -g crossing and the height there are interpolated between two
    samples. ``k`` is the least half-width whose acceleration has an SD (from the position noise,
    :func:`analysis.lift.rep_phases.robust_noise`) of at most ``ACC_SD_SHARE`` g, so
    noise alone does not make a braking that stays above -g cross it. These fits say
    whether and about where the bar brakes harder than g, but they average the
    acceleration over their width: k samples, and even three samples (k = 1) give the
    acceleration plus dt²/12 times its second derivative, which is large where a braking
    sets in (a 1.5 m/s speed rep's end read 0.05 frame early at 30 fps; the low-passed
    track, cut off at 4-6 Hz, flattened a plateau stroke's 2.7-frame braking at 1.3 g to
    less than g and read MPV = MCV). So the crossing is then placed, within k frame
    intervals (at least one) of where they found it, by quartics through five samples, whose
    acceleration has no such term (the fourth-order central difference, Fornberg 1988)
    and 1.3 times the noise of a three-sample one. That placement is kept only when the
    quartic's own acceleration SD is at most ``REFINE_SD_SHARE`` g and it brackets
    the crossing within the span searched; otherwise the first crossing stands (at 120
    and 240 fps with 0.3 px of noise an unchecked quartic's acceleration SD is about 16 g,
    and it put the end up to 11 frames early: MPV 0.06-0.29 m/s low on speed reps).
    """
    ok = np.isfinite(kin.height_raw)
    t, h = kin.t[ok], kin.height_raw[ok]
    ii = np.flatnonzero((t >= t_peak) & (t <= t_end))
    if len(ii) < 2:
        return None
    sig = max(robust_noise(kin), _local_noise(h[ii]))
    # the frame interval of the whole track: between peak velocity and the concentric's
    # end a fast rep has only ~5 samples, and with two of them lost their median interval
    # read two frames, every fit window doubled in time and smeared the braking away
    step = float(np.median(np.diff(t))) if len(t) > 2 else float(np.median(np.diff(t[ii])))
    mid = int(ii[len(ii) // 2])
    k = _least_half_width(t, mid, 2, 1, sig, len(ii), step)
    found = _first_below_g(t, h, ii, k, step, 2)
    if found is None:
        return None
    # the samples within k frame intervals of the crossing, and past a lost frame at
    # either end the sample beyond it (the span searched then still holds k intervals)
    near = np.flatnonzero(np.abs(t[ii] - found[0]) <= (k + 0.001) * step)
    if len(near):
        a, b = int(near[0]), int(near[-1])
        a -= int(a > 0 and t[ii[a]] - t[ii[a - 1]] > 1.5 * step)
        b += int(b < len(ii) - 1 and t[ii[b + 1]] - t[ii[b]] > 1.5 * step)
        near = np.arange(a, b + 1)
    near = ii[near]
    if len(near) < 2 or sig * _acc_sd_gain(t, int(near[len(near) // 2]), 2, step, 4) > \
            REFINE_SD_SHARE * G:
        return found  # the quartics' own noise would move the crossing more than it gains
    fine = _first_below_g(t, h, near, 2, step, 4, bracketed=True)
    return fine if fine is not None else found


def _local_noise(h: np.ndarray) -> float:
    """Position noise SD (m) of the samples ``h`` themselves, from the median absolute
    third difference (that of white noise has SD sqrt(20) sigma; a smooth stroke adds
    jerk dt³, small beside it at most samples). A tracked bar is steadier at rest than in
    motion (blur), so the track's noise, measured mostly on still frames, understates it
    where the propulsive end is looked for: on a 120 fps slow-motion clip 0.10 mm against
    about 0.8 mm, and its noise read as a braking harder than g (MPV 0.74 for a true
    0.625 m/s)."""
    d3 = np.diff(h, 3)
    if len(d3) < 5:
        return 0.0
    return float(np.median(np.abs(d3 - np.median(d3)))) * 1.4826 / np.sqrt(20.0)


def _least_half_width(t: np.ndarray, i: int, deg: int, k: int, sig: float, most: int,
                      step: float) -> int:
    """The least half-width from ``k`` frame intervals of ``step`` s whose degree-``deg``
    fit around sample ``i`` gives the acceleration with an SD of at most ``ACC_SD_SHARE``
    g (noise SD ``sig``); at most ``most``."""
    while k < most and sig * _acc_sd_gain(t, i, k, step, deg) > ACC_SD_SHARE * G:
        k += 1
    return k


def _window(t: np.ndarray, i: int, k: int, step: float, deg: int) -> np.ndarray:
    """Indices of the samples within ``k`` frame intervals (``step`` s) of sample ``i``'s
    time (half an interval of slack, for a variable frame rate): the time a local fit
    spans is what smears its acceleration, so a lost frame leaves that span as it is
    rather than stretching it by one interval. When a lost frame leaves fewer than
    ``deg + 1`` samples there, the ``k`` samples on either side are taken (the span is
    then a frame interval longer on the side of the loss)."""
    lo, hi = max(0, i - k - 1), min(len(t), i + k + 2)
    cand = np.arange(lo, hi)
    inside = cand[np.abs(t[cand] - t[i]) <= (k + 0.5) * step]
    if len(inside) >= deg + 1:
        return inside
    return np.arange(max(0, i - k), min(len(t), i + k + 1))


def _acc_sd_gain(t: np.ndarray, i: int, k: int, step: float, deg: int) -> float:
    """SD of the acceleration at sample ``i`` of a degree-``deg`` polynomial fitted to
    the samples within ``k`` frame intervals of it (:func:`_window`), per unit of
    position noise SD (1/s²)."""
    x = t[_window(t, i, k, step, deg)] - t[i]
    if len(x) < deg + 1:
        return float("inf")
    v = np.vander(x, deg + 1)
    try:
        cov = np.linalg.inv(v.T @ v)
    except np.linalg.LinAlgError:
        return float("inf")
    return 2.0 * float(np.sqrt(max(cov[deg - 2, deg - 2], 0.0)))


def _first_below_g(t: np.ndarray, h: np.ndarray, ii: np.ndarray, k: int, step: float,
                   deg: int, bracketed: bool = False) -> tuple[float, float] | None:
    """First -g crossing (time, height) of the local polynomials of degree ``deg`` fitted
    to the samples within ``k`` frame intervals (``step`` s) of each of the samples ``ii``
    (:func:`_window`). ``bracketed``: the crossing must lie between two of the samples
    (None when the first is already below -g: a refinement that places it before the
    span it was given to search disagrees with the crossing it refines)."""
    acc, fits = np.full(len(ii), np.nan), []
    at = t[ii].astype(float)  # the time each acceleration belongs to
    for n, i in enumerate(ii):
        w = _window(t, int(i), k, step, deg)
        x = t[w] - t[i]
        if len(w) >= deg + 1:
            c = np.polyfit(x, h[w], deg)
            # A window a lost frame made lopsided measures the acceleration at the
            # centre of its samples, not at sample i: what it reads of a steady jerk
            # (zero for a symmetric window or a quartic) gives that time.
            at[n] += 2.0 * float(np.polyfit(x, x ** 3 / 6.0, deg)[deg - 2])
        else:
            c = np.full(deg + 1, np.nan)
        acc[n] = 2.0 * c[deg - 2]
        fits.append(c)
    below = np.flatnonzero(acc < -G)
    if not len(below):
        return None
    j = int(below[0])
    if j == 0:
        if bracketed:
            return None
        return _after_gap(t, h, int(ii[0]), k, step, deg, float(at[0]), float(acc[0])) or \
            (float(t[ii[0]]), float(fits[0][deg]))
    ta, tb = float(at[j - 1]), float(at[j])
    a0, a1 = float(acc[j - 1]) + G, float(acc[j]) + G
    if not np.isfinite(a0) or not tb > ta:
        return float(t[ii[j]]), float(fits[j][deg])
    tp = ta + (tb - ta) * a0 / (a0 - a1)
    u = (tp - ta) / (tb - ta)
    hp = (1.0 - u) * np.polyval(fits[j - 1], tp - t[ii[j - 1]]) + \
        u * np.polyval(fits[j], tp - t[ii[j]])
    return tp, float(hp)


def _cubic_at(t: np.ndarray, h: np.ndarray, s: int, tp: float) -> float:
    """The height at ``tp`` of a cubic through samples ``s - 2`` to ``s + 2``."""
    ww = np.arange(max(0, s - 2), min(len(t), s + 3))
    return float(np.polyfit(t[ww] - tp, h[ww], min(3, len(ww) - 1))[-1])


def _after_gap(t: np.ndarray, h: np.ndarray, i: int, k: int, step: float, deg: int,
               at: float, acc: float) -> tuple[float, float] | None:
    """The -g crossing (time, height) when the first sample searched, ``i``, comes after
    a lost stretch and its fit (one-sided, measuring at ``at``) already reads ``acc`` <
    -g: the crossing lies in the stretch, between the fit of the sample before it (at
    or before peak velocity, above -g) and that one, interpolated as any other; the height
    there from a cubic through the two samples before the stretch and three after (the
    first fit, braking, would be extrapolated back across the stretch). None when there
    is no lost stretch before ``i`` or the sample before it does not read above -g.
    (The crossing was put at sample ``i`` itself: 60 fps, three frames lost at a speed
    rep's peak velocity, MPV 0.114 m/s low.)"""
    if i < 1 or not t[i] - t[i - 1] > 1.5 * step:
        return None
    w = _window(t, i - 1, k, step, deg)
    if len(w) < deg + 1:
        return None
    x = t[w] - t[i - 1]
    a0 = 2.0 * float(np.polyfit(x, h[w], deg)[deg - 2]) + G
    ta = float(t[i - 1]) + 2.0 * float(np.polyfit(x, x ** 3 / 6.0, deg)[deg - 2])
    a1 = acc + G
    if not (a0 > 0 > a1 and at > ta):
        return None
    tp = ta + (at - ta) * a0 / (a0 - a1)
    return tp, _cubic_at(t, h, i, tp)


STICKING_EDGE_PCT = 3.0
"""% of the ROM at either end of the concentric where no sticking point is reported
(1.5 cm of a 50 cm pull)."""


def _sticking(kin: Kinematics, cm: np.ndarray, holds: list[Hold], h0: float, rom: float,
              min_dip: float) -> StickingPoint | None:
    idx = np.flatnonzero(cm)
    if len(idx) < 7 or not rom > 0:
        return None
    v = kin.vy[idx].copy()
    tt = kin.t[idx]
    for hd in holds:  # a hold is not a sticking point: the lifter chose to stop
        v[(tt >= hd.start - 0.2) & (tt <= hd.end + 0.2)] = np.nan
    if np.all(np.isnan(v)):
        return None
    vmax = float(np.nanmax(v))
    troughs = find_peaks_prominent(-np.nan_to_num(v, nan=np.inf), min_dip * vmax)
    best: tuple[float, int, float, float] | None = None  # (depth, sample, dip %, % of ROM)
    for d in (int(k) for k in troughs):
        before = float(np.max(np.nan_to_num(v[:d], nan=-np.inf)))
        after = float(np.max(np.nan_to_num(v[d + 1:], nan=-np.inf)))
        if not (before > 0 and np.isfinite(after)):
            continue
        i = int(idx[d])
        pct = 100.0 * (float(kin.height[i]) - h0) / rom
        if not STICKING_EDGE_PCT <= pct <= 100.0 - STICKING_EDGE_PCT:
            continue  # the bar settling at lockout or at lift-off, not a sticking region
        depth = min(before, after) - float(v[d])
        dip = (before - float(v[d])) / before * 100.0
        if dip >= 100.0 * min_dip and (best is None or depth > best[0]):
            best = (depth, i, dip, pct)
    if best is None:
        return None
    _depth, i, dip, pct = best
    return StickingPoint(float(kin.t[i]), float(kin.height[i]), pct, float(kin.vy[i]), dip)


# -- tempo -------------------------------------------------------------------------

def tempo_durations(phases: dict[str, tuple[float, float]]) -> tuple[float, float, float, float]:
    """Phase durations (s) in tempo order: eccentric, bottom pause, concentric, top pause."""
    d = [max(0.0, phases[k][1] - phases[k][0]) for k in TEMPO_ORDER]
    return d[0], d[1], d[2], d[3]


def velocity_text(v: float, units: str, sign: bool = False) -> str:
    """A velocity as the rep table shows it: ``0.61`` (m/s, ``units`` "m") or ``243``
    (px/s, "px": a pixel has no meaningful hundredths); ``sign``: ``+0.61``. A value that
    rounds to zero reads "+0.00" (or "0.00"), never "-0.00"."""
    digits = 2 if units == "m" else 0
    return f"{round(v, digits) + 0.0:{'+' if sign else ''}.{digits}f}"


def tempo_text(durations: tuple[float, ...]) -> str:
    """``3.1-1.0-0.8-0.4``: durations (s) with one decimal."""
    return "-".join(f"{d:.1f}" for d in durations)


def _round_half_up(v: float) -> int:
    return int(math.floor(v + 0.5))


def _whole_s(v: float) -> int:
    """Whole seconds of a duration as :func:`tempo_text` shows it (0.1 s): 1.49 s is
    shown as 1.5 and written 2, never 1 next to a displayed 1.5."""
    return _round_half_up(round(v, 1))


def tempo_notation(durations: tuple[float, ...], x_under_s: float = 1.0) -> str:
    """The lifter's ``3-1-X-0`` for measured phase durations (s): whole seconds (the
    displayed tenths rounded half up), ``X`` for a concentric under ``x_under_s`` (s).

    ``x_under_s`` only writes the notation; a prescribed X is judged by
    :func:`check_tempo` (driven without a stop), never against this cut-off."""
    e, b, c, t = durations
    con = "X" if c < x_under_s else str(_whole_s(c))
    return f"{_whole_s(e)}-{_whole_s(b)}-{con}-{_whole_s(t)}"


def parse_tempo(text: str) -> tuple[float | None, float | None, float | None, float | None]:
    """Read a prescribed tempo: ``3-1-X-0``, ``31X0``, ``3.0-1-x-0.5``.

    Returns four durations (s) in tempo order; ``None`` stands for ``X`` (explosive).

    Raises
    ------
    ValueError
        When the text is not four phase values.
    """
    s = str(text).strip()
    parts = re.split(r"[-/:\s]+", s) if re.search(r"[-/:\s]", s) else list(s)
    if len(parts) != 4:
        raise ValueError(f"a tempo has four values (eccentric-bottom-concentric-top, e.g. "
                         f"3-1-X-0), not {text!r}")
    out: list[float | None] = []
    for p in parts:
        if p.upper() == "X":
            out.append(None)
            continue
        try:
            v = float(p)
        except ValueError:
            raise ValueError(f"tempo value {p!r} in {text!r} is neither seconds nor X") from None
        if not (np.isfinite(v) and v >= 0):
            raise ValueError(f"tempo value {p!r} in {text!r} must be zero or more seconds")
        out.append(v)
    return out[0], out[1], out[2], out[3]


def check_tempo(durations: tuple[float, ...], prescribed: str, tolerance_s: float = 0.5,
                holds: Sequence[Hold] = ()) -> dict[str, bool]:
    """Which phases of a rep met a prescribed tempo.

    Parameters
    ----------
    durations : tuple of 4 float
        The rep's phase durations (s), tempo order (:func:`tempo_durations`).
    prescribed : str
        The prescribed tempo (``3-1-X-0``, :func:`parse_tempo`).
    tolerance_s : float
        A phase prescribed in seconds is met within ± this (s).
    holds : sequence of Hold
        The rep's holds (:class:`analysis.lift.rep_phases.Hold`): a prescribed ``X``
        (explosive intent) is met when none of them is in the concentric, i.e. the bar
        was driven up without a stop, however long that took (see the module docstring;
        a heavy rep driven as fast as possible can take 2 s).

    Returns
    -------
    dict
        ``{phase: met}`` for ``eccentric``, ``bottom_pause``, ``concentric``, ``top_pause``.
    """
    want = parse_tempo(prescribed)
    out = {}
    for kind, got, w in zip(TEMPO_ORDER, durations, want, strict=True):
        # X prescribes intent, not a time: met unless the bar stopped in the phase (X is
        # written for the concentric; another phase written X is read the same way)
        out[kind] = (not any(h.phase == kind for h in holds) if w is None
                     else abs(got - w) <= tolerance_s)
    return out


#: A tempo phase in words
PHASE_WORDS = {"eccentric": "eccentric", "bottom_pause": "bottom pause",
               "concentric": "concentric", "top_pause": "top pause"}
#: A prescribed X as a missed phase's "wanted" says it
X_WANTED = "X (driven up without a stop)"

def tempo_miss_text(kind: str, got: float, wanted: float | None,
                    holds: Sequence[Hold] = ()) -> str:
    """A phase that missed the prescribed tempo, in words: "eccentric 1.4 s, wanted 3 s";
    for a missed X, where the drive stopped: "concentric stopped 1.2 s at 40 %, wanted X
    (driven up without a stop)". ``got`` and ``wanted`` in s (``wanted`` None for X)."""
    word = PHASE_WORDS.get(kind, kind)
    if wanted is not None:
        return f"{word} {got:.1f} s, wanted {wanted:g} s"
    stops = ", ".join(f"{h.duration:.1f} s at {h.height_pct:.0f} %"
                      for h in holds if h.phase == kind)
    return f"{word} stopped {stops or f'in its {got:.1f} s'}, wanted {X_WANTED}"


def tempo_misses(durations: tuple[float, ...], check: dict[str, bool], prescribed: str,
                 holds: Sequence[Hold] = ()) -> list[str]:
    """The phases a rep missed (``check`` from :func:`check_tempo` against ``prescribed``),
    each as :func:`tempo_miss_text` says it, in tempo order; [] when on tempo. The panel's
    tempo cell and ``liftlens analyze`` say the same words."""
    want = parse_tempo(prescribed)
    return [tempo_miss_text(kind, got, w, holds)
            for kind, got, w in zip(TEMPO_ORDER, durations, want, strict=True)
            if not check.get(kind, True)]
