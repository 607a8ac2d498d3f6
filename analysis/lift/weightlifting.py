"""The snatch, the clean and the jerk from a side-view bar track: phases, heights, loop.

One attempt is one "rep"; a clip may hold several attempts (each starts with the bar
leaving the floor, or for the jerk alone, leaving the shoulders).

Phase rules (bar-only versions of the knee-angle definitions)
-------------------------------------------------------------
The literature defines the pull with the knee angle (Enoka 1979; Baumann et al. 1988;
Garhammer 1985; Isaka et al. 1996; Kipp & Harris 2015): first pull = lift-off to the
first maximum knee extension (bar at about knee height); transition (double knee bend)
= to maximal knee re-flexion; second pull = to full extension, where the bar reaches
its peak vertical velocity; turnover = from peak velocity to the catch; catch = the
bar's lowest point after its peak height, where the lifter has received it and rides
it down (Garhammer 1985); recovery = until the lifter stands, bar still. A bar track
has no knee, so the accepted bar-only proxy is the vertical velocity ``vy`` (Kipp &
Harris 2015; Isaka et al. 1996 show the first ``vy`` peak at the end of the first knee
extension and the dip during the double knee bend):

=============  ===================================================================
phase          from -> to
=============  ===================================================================
first_pull     lift-off (last instant at rest on the floor) -> where vy stops rising
               steeply, with the bar at about knee height (15-50 % of its rise to the
               peak): the first joint of three lines fitted to vy
               (:mod:`analysis.lift.weightlifting_pull`)
transition     -> where vy starts rising steeply again after its dip or plateau (the
               second joint)
second_pull    -> peak vertical velocity (max vy before peak height)
turnover       -> catch: the lowest point after peak height (first local min of y)
recovery       -> the bar is still at its final height (|vy| low-passed at 3 Hz under
               0.05 m/s for 0.25 s)
miss_drop      (missed lift) catch -> the bar is back on the floor, still
rack           (clean and jerk) the bar still on the shoulders before the jerk
jerk_dip       bar starts down -> lowest point of the dip
jerk_drive     -> peak upward velocity
jerk_catch     -> the lowest point after the jerk's peak height (caught overhead)
jerk_recovery  -> the bar is still overhead
=============  ===================================================================

The first ``vy`` maximum after lift-off is not always the end of the first pull: the bar
breaking from the floor, or a tracked point's wobble, gives a small bump of ``vy`` a frame
or two after lift-off, with the bar still at the shin (on the real clean and jerk clip,
0.39 -> 0.43 -> 0.38 m/s with the bar 3 cm up, which ended the "first pull" after 0.09 s),
and many lifters show no dip, only a plateau of the speed while the knees re-bend (Kipp
& Harris 2015). Any one local extremum is also the answer of one frame, which a wobble
of a few cm/s moves to a distant one. So the pull is split by the shape of the whole
speed curve (:func:`analysis.lift.weightlifting_pull.pull_split`): three lines fitted
from lift-off to peak velocity, the first joint with the bar at about knee height. When
the bar speeds up evenly (the middle line not the least steep) no transition is
reported (a warning says so). No phase is ever shorter than one frame interval.

Horizontal measures (Hiskia 1997; Stone et al. 1998; Musser et al. 2014), signed with
+x pointing away from the lifter (forward), x = 0 at lift-off:

* ``x1_m``: x of the most rearward point before peak height (toward the lifter, < 0);
* ``x2_m``: from there to the most forward point before the catch (away, > 0);
* ``x3_m``: from the most forward point back to the catch (the loop, < 0 usually);
* ``net_x_m``: catch minus lift-off.

Trajectory type (Vorobyev's classification as used by Hiskia 1997, Stone et al. 1998
and Musser et al. 2014), against the vertical line through lift-off: type 1, the bar
crosses the line forward after the second pull (most forward point > +0.5 cm);
type 2, it reaches the line without crossing it (within -1 cm .. +0.5 cm); type 3, it
stays behind the line (< -1 cm). The tolerances absorb tracking noise.

Which way the lifter faces: in every type the bar first moves toward the lifter (Dx1 < 0,
to the power position at the end of the transition) and then away from the lifter in the
second pull (Dx2 > 0), so the sign of ``x(peak height) - 2 x(transition end) +
x(lift-off)`` (both moves at once) tells the facing, unless the caller gives it
(``lifter_faces``). The first move alone is small (2-7 cm) and a bar rolled at the
set-up or a tracking drift of a centimetre can reverse it; the sum of both moves was
9.8-13.9 cm on every truth case.

Heights are above the floor on the assumption that the bar rests on plates of
``plate_diameter_m`` (0.45 m by the IWF rules) at lift-off; ``*_rise_m`` values are
relative to the lift-off height and need no such assumption.
"""

from __future__ import annotations

import numpy as np

from analysis.lift.weightlifting_pull import pull_split
from analysis.lift.weightlifting_result import Attempt, Phase, WeightliftingResult
from analysis.lift.weightlifting_signal import (
    REST_MIN_S,
    REST_SPEED_M_S,
    LiftSignals,
    crossing,
    jump_outliers,
    long_gaps,
    refine_extremum,
    onset,
    ONSET_FIT_M,
)

#: Lift names for this module (the command line's ``--lift`` and the exercise table).
WEIGHTLIFTING_LIFTS: tuple[str, ...] = ("snatch", "clean", "jerk", "clean_and_jerk")

LIFTOFF_RISE_M = 0.02       # the bar has left the floor once 2 cm above its rest height
MIN_ATTEMPT_RISE_M = 0.30   # an excursion smaller than this is not an attempt
LIFTOFF_REST_S = 0.15       # the bar is still at least this long before a lift-off
CROSS_TOL_M = 0.005
TOUCH_TOL_M = 0.010
#: After the jerk's catch the bar is overhead until it falls this far (m) below the catch
#: height: the lifter lets it down (a split jerk's recovery raises it, never lowers it).
OVERHEAD_LEFT_M = 0.15


# ----------------------------------------------------------------------------- analysis


def _lost_words(t: np.ndarray, ok: np.ndarray, bad: np.ndarray,
                gaps: list[tuple[float, float]]) -> list[str]:
    """The lost frames in plain words: those bridged by interpolation (inside the track,
    in short gaps) apart from the stretches too long to bridge (``gaps``: last seen,
    first seen again, s), where nothing is measured."""
    lost = ~ok & ~bad
    seen = np.flatnonzero(ok)
    inside = np.zeros(len(t), bool)
    if len(seen):
        inside[seen[0]:seen[-1] + 1] = True
    in_gap = np.zeros(len(t), bool)
    for a, b in gaps:
        in_gap |= (t > a) & ((t < b) | (b >= t[-1]))
    out = []
    bridged = int((lost & inside & ~in_gap).sum())
    if bridged:
        out.append(f"{bridged} lost frame(s) in short gaps were bridged by interpolation.")
    for a, b in gaps:
        n = int((lost & (t > a) & ((t < b) | (b >= t[-1]))).sum())
        out.append(f"{n} frame(s) lost at {a:.1f}–{b:.1f} s, too long to bridge: nothing is "
                   "measured there.")
    return out


def analyze_weightlifting(t: np.ndarray, x: np.ndarray, y: np.ndarray, *, m_per_px: float,
                          lift: str, plate_diameter_m: float = 0.45,
                          lifter_faces: str | None = None) -> WeightliftingResult:
    """Find the attempts of a snatch, clean, jerk or clean and jerk in a bar track.

    Parameters
    ----------
    t : (N,) float array
        Real times (s), strictly increasing (variable frame rate is fine).
    x, y : (N,) float arrays
        Bar position in image pixels (y grows down); NaN for lost frames (filled
        linearly; a long gap gives a warning).
    m_per_px : float
        Scale (metres per pixel, > 0).
    lift : str
        One of :data:`WEIGHTLIFTING_LIFTS`.
    plate_diameter_m : float
        The plates' diameter; the bar rests at half of it above the floor at lift-off.
    lifter_faces : "left", "right" or None
        Which way the lifter faces in the picture; None finds it from the motion.

    Returns
    -------
    WeightliftingResult

    Raises
    ------
    ValueError
        Unknown lift, bad scale, or fewer than 10 usable samples.
    """
    if lift not in WEIGHTLIFTING_LIFTS:
        raise ValueError(f"unknown weightlifting lift {lift!r}")
    if not (m_per_px > 0 and np.isfinite(m_per_px)):
        raise ValueError("the scale (metres per pixel) must be a positive number")
    t = np.asarray(t, float)
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y) & np.isfinite(t)
    if ok.sum() < 10:
        raise ValueError("the track has fewer than 10 positions: nothing to analyse")
    warnings: list[str] = []
    bad = jump_outliers(t, x * m_per_px, y * m_per_px)
    if bad.any():
        at = ", ".join(f"{t[i]:.1f} s" for i in np.flatnonzero(bad & ~np.roll(bad, 1))[:4])
        warnings.append(f"{int(bad.sum())} frame(s) where the track jumped away faster than a "
                        f"bar can move and back (at {at}) were left out as tracking glitches.")
        ok &= ~bad
    gaps = long_gaps(t, ok)
    warnings += _lost_words(t, ok, bad, gaps)
    t, x, y = t[ok], x[ok], y[ok]
    s = LiftSignals.build(t, -(y - y[0]) * m_per_px, (x - x[0]) * m_per_px, gaps)

    faces = lifter_faces
    attempts: list[Attempt] = []
    for k, (i0, i_end) in enumerate(_attempt_starts(s, lift)):
        a = _attempt(s, k + 1, lift, i0, i_end, plate_diameter_m, faces)
        if a is None:
            continue
        if faces is None and a.warnings and a.warnings[-1].startswith("_faces:"):
            faces = a.warnings.pop()[len("_faces:"):]
        elif a.warnings and a.warnings[-1].startswith("_faces:"):
            a.warnings.pop()
        attempts.append(a)
    if not attempts:
        warnings.append("No attempt found: the bar never left its rest position by "
                        f"{MIN_ATTEMPT_RISE_M * 100:.0f} cm or more.")
    return WeightliftingResult(lift=lift, attempts=attempts, lifter_faces=faces, units="m",
                               warnings=warnings)


def _attempt_starts(s: LiftSignals, lift: str) -> list[tuple[int, int]]:
    """(lift-off index, end index) of each excursion from a rest height by >= 30 cm.

    Where the bar rests, when it leaves the rest and when it is back are judged on the
    heights and speed low-passed at :data:`~analysis.lift.weightlifting_signal.
    STILL_CUTOFF_HZ` (``h_still``, ``still_v``): a bar at rest has no motion above 3 Hz,
    and the 12 Hz heights and speed keep most of the track's noise. With 1 px of jitter at
    6 mm/px (6 mm) the 12 Hz heights of a bar on the floor spread over 2 cm within 0.15 s
    and the 12 Hz speed wobbles by 0.1-0.25 m/s, so the walk back to lift-off stopped at
    random and the rest before it read "moving"; the scan then skips to where the bar is
    back at that height, which after a clean and jerk held overhead is never: 3 of 40 such
    generated clean and jerks found no attempt. The 3 Hz heights' noise is about 2.5 mm.
    """
    h = s.h
    hs = h if s.h_still is None else s.h_still
    vs = s.vy if s.still_v is None else s.still_v
    out: list[tuple[int, int]] = []
    i = 0
    n = len(h)
    while i < n - 2:
        rest = hs[i]
        # the bar must be still here
        above = np.nonzero(np.abs(hs[i:] - rest) > LIFTOFF_RISE_M)[0]
        if not len(above):
            break
        j = i + int(above[0])
        if lift != "jerk" and hs[j] < rest:
            i = j + 1       # moving down from rest: not a lift-off (unless a jerk dip)
            continue
        # walk back to where the bar was still: the lift-off
        k = j
        while k > i and abs(vs[k - 1]) >= REST_SPEED_M_S * 0.4:
            k -= 1
        # the excursion ends when the bar is back near this rest height and still, or at
        # the end
        near = np.abs(hs[j:] - rest) < LIFTOFF_RISE_M * 2
        back = np.nonzero(near & (np.abs(vs[j:]) < REST_SPEED_M_S))[0]
        end = j + int(back[0]) if len(back) else n - 1
        # a lift leaves a rest (the floor, the rack): the bar still for a moment before it,
        # unless the clip starts there; a squat's bottom or a bounce is no lift-off. "Still"
        # is judged by how far the bar moved (within LIFTOFF_RISE_M), not by its speed: a
        # lifter taking the slack out of the bar, or a few mm of tracking jitter, moves it
        # at 0.1 m/s for a frame or two without it ever leaving its rest
        calm = max(2, int(round(LIFTOFF_REST_S / s.dt)))
        if k > calm and np.ptp(hs[k - calm:k + 1]) > LIFTOFF_RISE_M:
            i = end + 1
            continue
        seg = h[k:end + 1] - rest
        if seg.max() >= MIN_ATTEMPT_RISE_M or (lift == "jerk" and seg.max() >= 0.15):
            out.append((k, end))
        i = end + 1
    return out


def _liftoff(s: LiftSignals, i0: int) -> float:
    """Lift-off time (s): when the bar left its rest, fitted to the raw heights up to
    where the bar is 3 cm above it (:func:`analysis.lift.weightlifting_signal.onset`).

    It was the last sample within 4 noise SDs of the rest, then back along the smoothed
    speed to 0.01 m/s: a crossing of a curve that leaves the rest flat, which a pixel of
    the track moved by frames (4.80-4.86 s on the real clean and jerk tracked on five CPU
    kernel families, 4.76-4.91 s with 0.2 px more jitter; now 4.88 s, within 0.01 s and
    0.03 s). That rule is kept for a rise too short to fit."""
    t, vy = s.t, s.vy
    lo = max(0, i0 - int(round(REST_MIN_S / s.dt)))
    rest_raw = float(np.median(s.raw[lo:i0 + 1]))
    hi = np.nonzero(s.raw[i0:] - rest_raw > ONSET_FIT_M)[0]
    t0 = onset(t, s.raw, i0 + int(hi[0])) if len(hi) else None
    if t0 is not None:
        return t0
    above = np.nonzero(s.raw[i0:] - rest_raw > s.thr)[0]
    j = i0 + int(above[0]) if len(above) else i0
    while j > lo and vy[j - 1] > 0.01 and s.raw[j - 1] > rest_raw:
        j -= 1
    if j > lo and vy[j - 1] > 0.01:
        # stopped at the rest height itself while the smoothed speed was still rising: the
        # bar came up from a few mm below its rest (slack taken out of the bar, tracking
        # jitter) and left it after this sample
        return float(t[j - 1])
    return crossing(t, vy, j - 1, 0.01) if j > lo and vy[j] > 0.01 else float(t[j])


def _attempt(s: LiftSignals, number: int, lift: str, i0: int, i_end: int, plate_d: float,
             faces: str | None) -> Attempt | None:
    t, h, vy = s.t, s.h, s.vy
    warnings: list[str] = []
    liftoff_t = _liftoff(s, i0)
    floor_h = plate_d / 2.0
    if lift == "jerk":
        return _jerk_only(s, number, i0, h[i0])
    # the rest height on the 3 Hz heights, as the rest was found: one 12 Hz sample carries
    # most of the track's noise (4-5 mm at 6 mm/px with 1 px of jitter)
    rest = h[i0] if s.h_still is None else s.h_still[i0]
    # peak height: first downward zero crossing of vy after the bar has risen 30 cm
    risen = np.nonzero(h[i0:] - rest >= MIN_ATTEMPT_RISE_M * 0.9)[0]
    if not len(risen):
        return None
    i_ph = s.next_peak(i0 + int(risen[0]))
    if i_ph is None:
        return None
    peak_height_t, peak_h = refine_extremum(t, h, i_ph)
    # peak velocity in the pull
    i_pv = i0 + int(np.argmax(vy[i0:i_ph + 1]))
    peak_velocity_t, peak_v = refine_extremum(t, vy, i_pv)
    fp_t, dip_t, first_peak_v, i_dip = pull_split(s, i0, i_pv, i_ph, liftoff_t, warnings)
    # catch: first local min of height after peak height
    i_c = s.next_low(i_ph)
    if i_c is not None:
        catch_t, catch_h = refine_extremum(t, h, i_c)
    else:
        i_c = len(t) - 1
        catch_t, catch_h = float(t[i_c]), float(h[i_c])
        warnings.append("The clip ends before the bar was caught.")
    # missed: the bar comes back to the floor without having been held still up high
    # first (a lift that was completed and then lowered or dropped is not a miss)
    after = h[i_c:i_end + 1] if i_end > i_c else h[i_c:]
    missed = False
    if len(after) and after.min() < rest + 0.15:
        i_floor = i_c + int(np.nonzero(after < rest + 0.15)[0][0])
        i_hold = s.still_from(i_c + 1)
        missed = not (i_hold is not None and i_hold < i_floor and h[i_hold] > rest + 0.3)
    phases = [Phase("first_pull", liftoff_t, fp_t)]
    if dip_t - fp_t >= s.dt * 0.999:  # never a phase shorter than a frame interval
        phases.append(Phase("transition", fp_t, dip_t))
    else:
        dip_t = fp_t
    phases += [Phase("second_pull", dip_t, peak_velocity_t),
              Phase("turnover", peak_velocity_t, catch_t)]
    jerk: dict[str, float | None] | None = None
    if missed:
        i_land = i_c + int(np.argmin(after))
        land = s.settle(i_land)
        end_t = land if land is not None else float(t[min(i_land, len(t) - 1)])
        phases.append(Phase("miss_drop", catch_t, end_t))
    else:
        i_st = s.still_from(i_c + 1)
        settled = s.settle(i_c + 1)
        rec_end = settled if settled is not None else float(t[-1])
        # held up high before the bar was lowered (the highest still stretch, a short one
        # included: the 3 Hz speed carries a lowering back into a 0.3 s hold)
        hold = s.held(i_c + 1, rest + 0.15) if lift != "clean_and_jerk" else None
        if hold is not None and not (
                settled is not None and abs(settled - t[hold[0]]) <= REST_MIN_S):
            # held briefly, then lowered: the recovery ends at the hold, not in the lowering
            # (a clean and jerk's highest hold is the jerk's: its rack is found as before)
            rec_end = float(t[hold[0]])
        phases.append(Phase("recovery", catch_t, rec_end))
        if lift == "clean_and_jerk":
            jerk, jphases, notes = _jerk(s, i_st, rest, floor_h)
            warnings += notes
            if jphases:
                phases.append(Phase("rack", rec_end, jphases[0].start_t))
                phases.extend(jphases)
            elif not notes:
                warnings.append("No jerk found after the clean.")
    # horizontal
    i_mid = i_dip if i_dip is not None else int(np.searchsorted(t, dip_t))
    sign, faces_found = _forward_sign(s.xr, i0, i_mid, i_ph, faces)
    if faces is None and faces_found is None:
        warnings.append("The bar hardly moved horizontally in the pull: which way the lifter "
                        "faces is unknown, horizontal measures assume facing right.")
    xf = (s.xr - s.xr[i0]) * sign
    i_rear = i0 + int(np.argmin(xf[i0:i_ph + 1]))
    i_fwd = i_rear + int(np.argmax(xf[i_rear:i_c + 1]))
    x1 = float(xf[i_rear])
    x2 = float(xf[i_fwd] - xf[i_rear])
    x3 = float(xf[i_c] - xf[i_fwd])
    fwd = float(xf[i_fwd])
    ttype = 1 if fwd > CROSS_TOL_M else (2 if fwd >= -TOUCH_TOL_M else 3)
    a = Attempt(number=number, lift=lift, phases=phases, liftoff_t=liftoff_t,
                liftoff_height_m=floor_h, peak_velocity_t=peak_velocity_t,
                peak_velocity_m_s=peak_v, peak_height_t=peak_height_t,
                peak_height_m=floor_h + peak_h - rest, peak_rise_m=peak_h - rest,
                catch_t=catch_t, catch_height_m=floor_h + catch_h - rest,
                drop_m=peak_h - catch_h, x1_m=x1, x2_m=x2, x3_m=x3,
                net_x_m=float(xf[i_c]), most_forward_m=fwd, trajectory_type=ttype,
                missed=missed, first_pull_peak_velocity_m_s=first_peak_v, jerk=jerk,
                warnings=warnings)
    if faces_found is not None:
        a.warnings.append("_faces:" + faces_found)
    return a


def _forward_sign(xr: np.ndarray, i0: int, i_mid: int, i_ph: int,
                  faces: str | None) -> tuple[float, str | None]:
    """+1 when the lifter faces image-right (forward = +x_px), else -1; the facing found
    from the toward-then-away motion of the pull (None when it is under 1 cm)."""
    if faces in ("left", "right"):
        return (1.0 if faces == "right" else -1.0), faces
    bend = float(xr[i_ph] - 2.0 * xr[i_mid] + xr[i0])
    if abs(bend) < 0.01:
        return 1.0, None
    faces = "right" if bend > 0 else "left"
    return (1.0 if faces == "right" else -1.0), faces


def _jerk(s: LiftSignals, i_rack: int | None, rest: float, floor_h: float
          ) -> tuple[dict[str, float | None] | None, list[Phase], list[str]]:
    """The jerk after a rack position starting at index ``i_rack``: its measures, phases
    and plain notes (what could not be measured where the bar was lost)."""
    if i_rack is None:
        return None, [], []
    t, h, vy = s.t, s.h, s.vy
    rack_h = h[i_rack]
    below = np.nonzero(h[i_rack:] < rack_h - 0.03)[0]
    if not len(below):
        return None, [], []
    j = i_rack + int(below[0])
    k = j
    while k > i_rack and vy[k - 1] < -REST_SPEED_M_S * 0.4:
        k -= 1
    dip_start = crossing(t, vy, k - 1, -REST_SPEED_M_S * 0.4) if k > i_rack else float(t[k])
    gap = s.gap_after(k)
    i_dl = s.next_low(j)
    if gap is not None and (i_dl is None or i_dl >= gap[0]):
        a, b = gap[1]
        return None, [], [f"The bar was lost from {a:.1f} s to {b:.1f} s, in the jerk's dip: "
                          "the jerk cannot be measured."]
    if i_dl is None:
        return None, [], []
    dip_low_t, dip_low_h = refine_extremum(t, h, i_dl)
    i_jp = s.next_peak(i_dl)
    if gap is not None and (i_jp is None or i_jp >= gap[0]):
        return _jerk_cut(s, i_dl, gap, dip_start, dip_low_t, rack_h - dip_low_h, rest, floor_h,
                         float(rack_h))
    if i_jp is None:
        return None, [], []
    i_pv = i_dl + int(np.argmax(vy[i_dl:i_jp + 1]))
    pv_t, pv = refine_extremum(t, vy, i_pv)
    jp_t, jp_h = refine_extremum(t, h, i_jp)
    i_jc = s.next_low(i_jp)
    if i_jc is not None:
        jc_t, jc_h = refine_extremum(t, h, i_jc)
    else:
        i_jc = len(t) - 1
        jc_t, jc_h = float(t[-1]), float(h[-1])
    # held overhead: still before the bar is let down (the track may go on to the floor)
    hold = s.held(i_jc + 1, jc_h - OVERHEAD_LEFT_M)
    notes: list[str] = []
    if hold is not None:
        i_st, held_h = hold
        settled = s.settle(i_jc + 1)
        # (settled at this hold: not at a pause in the split before it)
        rec_end = settled if settled is not None and \
            abs(settled - t[i_st]) <= REST_MIN_S else float(t[i_st])
        overhead: float | None = floor_h + held_h - rest
    else:
        lowered = np.nonzero(h[i_jc:] < jc_h - OVERHEAD_LEFT_M)[0]
        rec_end = float(t[i_jc + int(lowered[0])] if len(lowered) else t[-1])
        overhead = None
        notes.append("The bar was not held still overhead after the jerk"
                     + (f" (let down at {rec_end:.1f} s)" if len(lowered) else
                        " before the track ends")
                     + ": its height overhead is not measured.")
    phases = [Phase("jerk_dip", dip_start, dip_low_t), Phase("jerk_drive", dip_low_t, pv_t),
              Phase("jerk_catch", pv_t, jc_t), Phase("jerk_recovery", jc_t, rec_end)]
    measures: dict[str, float | None] = {
        "rack_height_m": floor_h + float(rack_h) - rest, "dip_depth_m": float(rack_h - dip_low_h),
        "peak_velocity_m_s": pv, "peak_height_t": jp_t, "peak_height_m": floor_h + jp_h - rest,
        "catch_height_m": floor_h + jc_h - rest, "drop_m": jp_h - jc_h,
        "overhead_height_m": overhead}
    return measures, phases, notes


def _jerk_cut(s: LiftSignals, i_dl: int, gap: tuple[int, tuple[float, float]], dip_start: float,
              dip_low_t: float, dip_depth: float, rest: float, floor_h: float, rack_h: float
              ) -> tuple[dict[str, float | None], list[Phase], list[str]]:
    """A jerk whose bar was lost after the dip (overhead, out of the picture): the dip
    and the drive from what was tracked; the peak, catch and recovery are not measured,
    unless the bar is seen again, still overhead, after the gap."""
    t, h, vy = s.t, s.h, s.vy
    i_gap, (a, b) = gap
    i_last = max(i_dl + 1, i_gap - 1)
    i_pv = i_dl + int(np.argmax(vy[i_dl:i_last + 1]))
    pv_t, pv = refine_extremum(t, vy, i_pv)
    rising = i_pv >= i_last - 1
    phases = [Phase("jerk_dip", dip_start, dip_low_t),
              Phase("jerk_drive", dip_low_t, pv_t if not rising else float(t[i_last]))]
    notes = [f"The bar was lost from {a:.1f} s to {b:.1f} s, overhead in the jerk: the jerk's "
             "dip and drive are measured from what was tracked"
             + (" (its peak velocity is at least the one shown: the bar was still speeding "
                "up when lost)" if rising else "")
             + "; its peak height, catch and recovery cannot be."]
    overhead: float | None = None
    i_back = int(np.searchsorted(t, b))
    i_st = s.still_from(i_back) if i_back < len(t) else None
    if i_st is not None and h[i_st] > rack_h + 0.3:
        overhead = floor_h + float(h[i_st]) - rest
        notes.append(f"The bar is seen again still overhead at {t[i_st]:.1f} s: the jerk was "
                     "completed.")
    measures: dict[str, float | None] = {
        "rack_height_m": floor_h + rack_h - rest, "dip_depth_m": float(dip_depth),
        "peak_velocity_m_s": pv, "peak_height_t": None, "peak_height_m": None,
        "catch_height_m": None, "drop_m": None, "overhead_height_m": overhead,
        "lost_from_t": a, "lost_to_t": b}
    return measures, phases, notes


def _jerk_only(s: LiftSignals, number: int, i0: int, rest: float) -> Attempt | None:
    """A jerk from the shoulders: heights are relative to the rack (no floor)."""
    measures, phases, notes = _jerk(s, i0, rest, 0.0)
    catch = next((p for p in phases if p.name == "jerk_catch"), None)
    if measures is None or catch is None:
        return None  # not found, or lost overhead: the result's warnings name the gap
    m = {k: float(v) for k, v in measures.items() if v is not None}
    return Attempt(number=number, lift="jerk", phases=phases, liftoff_t=phases[0].start_t,
                   liftoff_height_m=0.0, peak_velocity_t=catch.start_t,
                   peak_velocity_m_s=m["peak_velocity_m_s"],
                   peak_height_t=m["peak_height_t"], peak_height_m=m["peak_height_m"],
                   peak_rise_m=m["peak_height_m"], catch_t=catch.end_t,
                   catch_height_m=m["catch_height_m"], drop_m=m["drop_m"],
                   x1_m=None, x2_m=None, x3_m=None, net_x_m=None, most_forward_m=None,
                   trajectory_type=None, missed=False, jerk=measures,
                   warnings=["Heights of a jerk alone are measured from the rack position.",
                             *notes])  # e.g. not held still overhead
