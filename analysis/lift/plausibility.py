"""What the rep analysis refuses to trust: tracking glitches, implausible reps, bad stretches.

- **Glitches.** A sample (or two) that jumps away from both neighbours and back,
  by more than :data:`SPIKE_SHARE` of the track's height range (a real bar cannot
  travel that far and back within one frame interval), is a tracking glitch: it
  is left out and the position is interpolated over it, so it never splits a rep.
- **Implausible reps.** A candidate rep must have a real range of motion (at least
  half the set's median ROM, and the configured floor), a concentric of
  :data:`MIN_CON_S` to :data:`MAX_CON_S` seconds of movement, and with a metric
  scale a mean concentric velocity between :data:`MIN_MCV_MPS` and
  :data:`MAX_MCV_MPS` m/s (the slowest grinders move at about 0.1 m/s, the fastest
  barbell speed reps below 2.5 m/s; González-Badillo & Sánchez-Medina 2010;
  Sánchez-Medina & González-Badillo 2011). Movements that fail are not reps; the
  result says which and why.
- **Sideways outliers.** A rep of a set of three or more whose bar moved sideways more
  than :data:`DRIFT_OF_OTHERS` times the median of the set's other reps and more than
  :data:`DRIFT_OF_ROM` of the set's median ROM is *flagged* (see :func:`drift_flags`):
  a squat, bench or pull repeats its bar path from rep to rep, a step or a walk does not.
- **Unreliable stretches.** Reps that contain frames the tracker marked lost, frames
  filled by interpolation, left-out glitches or low tracker confidence are
  *flagged*: they are counted and shown, but left out of velocity loss and the
  fastest rep, and the flag says why.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from analysis.lift.kinematics import Kinematics
from analysis.lift.rep_outcome import SetLevels, failed, partial
from analysis.lift.rep_phases import RepPhases
from analysis.session.track import TRUSTED_CONFIDENCE

SPIKE_SHARE = 0.12
MIN_CON_S, MAX_CON_S = 0.1, 10.0
MIN_MCV_MPS, MAX_MCV_MPS = 0.03, 4.0
MIN_ROM_OF_MEDIAN = 0.5
LOW_CONFIDENCE = TRUSTED_CONFIDENCE
#: Low-confidence frames flag a rep only when they last this long in it (s; 3 frames at
#: 30 fps): one doubtful frame moves neither the rest fits at the concentric's ends nor
#: its displacement, and on the real squat test3 a single frame (the dot 3.8 px off a
#: plate 88 px across) left rep 5 out of every set number
LOW_CONFIDENCE_MIN_S = 0.1
DRIFT_OF_OTHERS = 3.0
DRIFT_OF_ROM = 0.4


def despike(t: np.ndarray, x: np.ndarray, y: np.ndarray, ok: np.ndarray | None = None
            ) -> np.ndarray:
    """Samples that are one- or two-frame tracking glitches.

    Parameters
    ----------
    t, x, y : numpy.ndarray
        Times (s) and positions (px); NaN where lost.
    ok : numpy.ndarray of bool, optional
        Samples to consider (others are ignored).

    Returns
    -------
    numpy.ndarray of bool
        True at glitch samples: both coordinates' jump away from the neighbours is
        measured and the larger counts; the neighbours on either side must agree
        with each other within half the jump.
    """
    n = len(t)
    out = np.zeros(n, bool)
    good = np.isfinite(x) & np.isfinite(y)
    if ok is not None:
        good &= np.asarray(ok, bool)
    idx = np.flatnonzero(good)
    if len(idx) < 8:
        return out
    yy, xx = y[idx], x[idx]
    rng = max(float(np.ptp(np.percentile(yy, [0.5, 99.5]))),
              float(np.ptp(np.percentile(xx, [0.5, 99.5]))), 1e-9)
    thr = SPIKE_SHARE * rng
    tt = np.asarray(t, float)[idx]
    for length in (1, 2):
        ks = np.arange(1, len(idx) - length)
        a, b = ks - 1, ks + length
        ta, tb = tt[a], tt[b]
        jump = np.zeros(len(ks))
        agree = np.ones(len(ks), bool)
        for v in (yy, xx):
            va, vb = v[a], v[b]
            # each sample's deviation from the straight line between the neighbours
            devs = [v[ks + m] - (va + (vb - va) * (tt[ks + m] - ta) / (tb - ta))
                    for m in range(length)]
            least = np.min(np.abs(devs), axis=0)
            same_side = np.all(np.greater(devs, 0), axis=0) | np.all(np.less(devs, 0), axis=0)
            hit = (least > thr) & same_side
            jump = np.where(hit, np.maximum(jump, least), jump)
            agree &= ~hit | (np.abs(vb - va) < 0.5 * least)
        # in order, as a glitch already found keeps its neighbours from being judged
        for j in np.flatnonzero((jump > 0) & agree):
            k = int(ks[j])
            if not (out[idx[k - 1]] or out[idx[k + length]]):
                out[idx[k:k + length]] = True
    return out


def check_reps(reps: list[RepPhases], kin: Kinematics, direction: str,
               levels: SetLevels | None = None) -> tuple[list[RepPhases], list[str]]:
    """Keep the plausible reps; plain reasons for the movements left out.

    A rep that failed or is partial (:func:`analysis.lift.rep_outcome.failed`,
    :func:`~analysis.lift.rep_outcome.partial` against the set's ``levels``) is kept
    whatever its range of motion: the lifter went down for a rep and could not lock it
    out, or did a half rep, and the coach must see it (it was left out unseen when it
    moved under half the set's range).

    The boundaries of kept reps are also made to follow one another: a rep never
    starts before the previous one ended.
    """
    if not reps:
        return [], []
    roms = np.array([r.rom for r in reps])
    med = float(np.median(roms[np.isfinite(roms)])) if np.isfinite(roms).any() else 0.0
    metric = kin.units == "m"
    kept, why = [], []
    for r in reps:
        c0, c1 = r.phases["concentric"]
        moving = c1 - c0 - sum(h.duration for h in r.holds if h.phase == "concentric")
        reason = ""
        if (not np.isfinite(r.rom) or r.rom < MIN_ROM_OF_MEDIAN * med) and \
                not (failed(r, levels) or partial(r, levels)):
            reason = (f"its range of motion ({_len(r.rom, kin.units)}) is under half the "
                      f"set's typical {_len(med, kin.units)}")
        elif not MIN_CON_S <= moving <= MAX_CON_S:
            reason = f"a concentric of {moving:.2f} s is not a lift"
        elif metric and not MIN_MCV_MPS <= r.rom / moving <= MAX_MCV_MPS:
            reason = f"a mean velocity of {r.rom / moving:.2f} m/s is not a lift"
        if reason:
            why.append(f"the movement at {r.turn_time:.1f} s is not counted as a rep: {reason}")
        else:
            kept.append(r)
    for prev, r in zip(kept[:-1], kept[1:], strict=True):
        end = prev.end
        for k, (s, e) in r.phases.items():
            if s < end:
                r.phases[k] = (end, max(end, e))
    return kept, why


def drift_flags(drifts: list[float], roms: list[float], units: str) -> list[str | None]:
    """Per rep, why its sideways drift is out of line with the set's (None when it is not).

    Parameters
    ----------
    drifts, roms : list of float
        Each rep's widest horizontal excursion and ROM (``units``); NaN when unknown.
    units : {"m", "px"}

    Returns
    -------
    list of (str or None)
        A reason for a rep whose drift exceeds :data:`DRIFT_OF_OTHERS` times the median
        of the other reps' and :data:`DRIFT_OF_ROM` of the set's median ROM; sets of
        fewer than three reps are never flagged.

    The thresholds come from the real sets we hold: within a set a rep's drift was at
    most 1.7 times the set's median and 0.34 of its ROM (a deadlift filmed at an angle;
    squats 1.4 and 0.19), while a squat whose last rep ran into the walk to the rack
    drifted 5.4 times the median, 0.59 of the ROM. Such a rep is counted and shown but
    left out of velocity loss; a grinder's long concentric or a deeper rep is not
    flagged (their paths repeat the set's)."""
    d = np.asarray(drifts, float)
    rom = np.asarray(roms, float)
    out: list[str | None] = [None] * len(d)
    if len(d) < 3 or not np.isfinite(rom).any():
        return out
    med_rom = float(np.nanmedian(rom))
    for i, v in enumerate(d):
        others = np.delete(d, i)
        others = others[np.isfinite(others)]
        if not np.isfinite(v) or len(others) < 2:
            continue
        typical = float(np.median(others))
        if v > DRIFT_OF_OTHERS * typical and v > DRIFT_OF_ROM * med_rom:
            out[i] = (f"the bar moved {_len(v, units)} sideways, the set's other reps "
                      f"{_len(typical, units)}: a step or a walk, check where the rep ends")
    return out


def _len(v: float, units: str) -> str:
    return f"{v * 100:.0f} cm" if units == "m" else f"{v:.0f} px"


def unreliable_spans(kin: Kinematics, state: np.ndarray, confidence: np.ndarray,
                     spikes: np.ndarray) -> Callable[[float, float], list[str]]:
    """A function ``(start, end) -> [reasons]`` saying why frames in that span are not
    trustworthy: lost by the tracker, filled over a gap, glitches left out, low
    tracker confidence (below :data:`LOW_CONFIDENCE`)."""
    t = kin.t
    lost = (np.asarray(state) == 3) | ~np.isfinite(kin.height_raw) & ~spikes
    filled = kin.filled & ~lost & ~spikes
    conf = np.asarray(confidence, float)
    low = np.isfinite(conf) & (conf < LOW_CONFIDENCE)
    frame_s = float(np.median(np.diff(t))) if len(t) > 1 else 0.0
    low_least = max(1, int(np.ceil(LOW_CONFIDENCE_MIN_S / frame_s - 1e-9))) if frame_s > 0 else 1

    def reasons(a: float, b: float) -> list[str]:
        m = (t >= a) & (t <= b)
        out = []
        for mask, text, least in ((lost, "the tracker lost the bar for {} frame(s)", 1),
                                  (filled, "{} frame(s) interpolated over a gap", 1),
                                  (low & ~lost, "{} frame(s) tracked with low confidence",
                                   low_least)):
            k = int(np.sum(mask & m))
            if k >= least:
                out.append(text.format(k))
        if not np.all(kin.valid[m]):
            out.append("part of the rep has no usable track")
        return out

    return reasons
