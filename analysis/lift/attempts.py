"""A recording of a snatch, clean or jerk: its attempts added to the analysis result.

The generic analysis (:func:`analysis.lift.result.analyze_track`) still gives the track,
its kinematics and the calibration; :func:`add_attempts` analyses the same track as
weightlifting attempts (:func:`analysis.lift.weightlifting.analyze_weightlifting`) and
stores them in ``result.weightlifting``, which the panel, the overlay, the exports, the
report and the comparison show instead of reps. The same rows feed the table, the CSV
and the report (:func:`attempt_rows`), so all three show the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from analysis.compare.shown import shown_difference
from analysis.lift.exercises import WeightliftingProfile
from analysis.lift.result import AnalysisResult
from analysis.lift.weightlifting import Attempt, analyze_weightlifting
from analysis.lift.weightlifting_result import WeightliftingResult

#: Warnings of the generic rep analysis that say nothing about attempts: how it found,
#: left out or corrected reps (an attempt is not a rep; "not counted as a rep" read as
#: "the lift was not measured" beside a measured clean and jerk).
_REP_ONLY = ("no reps found", "The exercise says", "the split at", "the merge ")
_REP_WORDS = ("not counted as a rep", "correction not applied")


def rep_only(warning: str) -> bool:
    """True for a warning of the rep analysis that says nothing about attempts."""
    return warning.startswith(_REP_ONLY) or any(w in warning for w in _REP_WORDS)


#: The phases of an attempt in words (the panel, the overlay, the report)
PHASE_LABELS = {"first_pull": "first pull", "transition": "transition",
                "second_pull": "second pull", "turnover": "turnover", "recovery": "recovery",
                "miss_drop": "miss", "rack": "rack", "jerk_dip": "jerk dip",
                "jerk_drive": "jerk drive", "jerk_catch": "jerk catch",
                "jerk_recovery": "jerk recovery"}
NEEDS_SCALE = ("Weightlifting measures are in centimetres: calibrate first (Analysis → "
               "Calibrate from the plate, or draw a circle around a plate).")


def add_attempts(res: AnalysisResult, profile: WeightliftingProfile,
                 lifter_faces: str | None = None) -> None:
    """Analyse ``res``'s track as attempts of ``profile`` into ``res.weightlifting``.

    Frames the tracker marked lost are left out. Heights are above the floor for a lift
    from the floor (bar on 0.45 m plates at lift-off), from the start for a hang, block or
    jerk start. Without a metric scale nothing is measured and a warning says why.
    Warnings of the rep analysis that do not apply to attempts (:func:`rep_only`) are
    dropped, measured or not; one that says the exercise and the motion disagree is kept
    for lifts from the floor.
    """
    keep = profile.from_floor
    res.warnings = [w for w in res.warnings
                    if not rep_only(w) or (keep and w.startswith("The exercise"))]
    if res.units != "m" or not res.m_per_px:
        res.warnings.append(NEEDS_SCALE)
        return
    lost = res.state == 3
    x = np.where(lost, np.nan, res.x_px)
    y = np.where(lost, np.nan, res.y_px)
    try:
        wl = analyze_weightlifting(res.kinematics.t, x, y, m_per_px=res.m_per_px,
                                   lift=profile.lift,
                                   plate_diameter_m=0.45 if profile.from_floor else 0.0,
                                   lifter_faces=lifter_faces)
    except ValueError as exc:
        res.warnings.append(f"The attempts could not be measured: {exc}.")
        return
    if not profile.from_floor:
        wl.warnings.append("Heights are measured from where the lift starts (hang, blocks or "
                           "the shoulders), not from the floor.")
    res.weightlifting = wl


def from_floor(wl: WeightliftingResult) -> bool:
    """True when ``wl``'s heights are above the floor (a lift from the floor: the bar
    rests on 0.45 m plates at lift-off), False when they are from where the lift starts
    (hang, blocks, a jerk from the shoulders)."""
    return bool(wl.attempts) and wl.attempts[0].liftoff_height_m > 0


def height_reference(wl: WeightliftingResult) -> str:
    """The zero of every height of ``wl`` in words, for a label: "above the floor" or
    "from the start" (see :func:`from_floor`)."""
    return "above the floor" if from_floor(wl) else "from the start"


def attempt_span(wl: WeightliftingResult) -> tuple[float, float] | None:
    """``(start, end)`` (s) of the lifting: the first attempt's lift-off to the end of the
    last attempt's last phase (the lifter standing with the bar, or a missed bar back on
    the floor). What follows (the bar dropped or lowered after a made lift) is not part of
    it. None without an attempt."""
    if not wl.attempts:
        return None
    ends = [p.end_t for a in wl.attempts for p in a.phases] + [a.liftoff_t for a in wl.attempts]
    return wl.attempts[0].liftoff_t, max(ends)


def attempt_path(res: AnalysisResult) -> tuple[np.ndarray, np.ndarray]:
    """The bar's height and horizontal position per sample of ``res``'s kinematics, in the
    attempt table's reference: ``(height, x)`` in m, the height above the floor (or from
    the start, :func:`height_reference`) with the bar at the first attempt's lift-off
    height at its lift-off, ``x`` from the first lift-off, + away from the lifter. NaN
    where the bar was lost. Without attempts, heights from the lowest point and ``x``
    from there, image right positive."""
    k = res.kinematics
    wl = res.weightlifting
    fin = np.isfinite(k.height) & np.isfinite(k.x)
    if not fin.any():
        return np.full(k.t.shape, np.nan), np.full(k.t.shape, np.nan)
    if wl is not None and wl.attempts:
        a0 = wl.attempts[0]
        ok_t = k.t[fin]
        at = min(int(np.searchsorted(ok_t, a0.liftoff_t)), len(ok_t) - 1)
        i0 = int(np.flatnonzero(fin)[at])
        base_h, base_x = k.height[i0] - a0.liftoff_height_m, k.x[i0]
    else:
        low = int(np.nanargmin(np.where(fin, k.height, np.nan)))
        base_h, base_x = k.height[low], k.x[low]
    sign = -1.0 if wl is not None and wl.lifter_faces == "left" else 1.0
    return k.height - base_h, (k.x - base_x) * sign


def cm_text(v: float | None, sign: bool = False) -> str:
    """``v`` (m) in cm with one decimal ("" when unknown), signed with ``sign``; a value
    that rounds to zero reads "+0.0", never "-0.0"."""
    if v is None or not np.isfinite(v):
        return ""
    cm = round(v * 100, 1) + 0.0  # -0.0 + 0.0 is 0.0
    return f"{cm:+.1f}" if sign else f"{cm:.1f}"


def _ms(v: float | None) -> str:
    return "" if v is None or not np.isfinite(v) else f"{v:.2f}"


#: (key, header, tooltip, value of an attempt): the attempt table's columns, shared by
#: the panel, the data CSV and the report. Lengths in cm, velocities in m/s.
ATTEMPT_COLUMNS: tuple[tuple[str, str, str, Callable[[Attempt], str]], ...] = (
    ("attempt", "#", "attempt number", lambda a: str(a.number)),
    ("peak_height_cm", "Peak\ncm", "highest point of the bar after the pull (cm above the "
     "floor)", lambda a: cm_text(a.peak_height_m)),
    ("catch_height_cm", "Catch\ncm", "the bar's lowest point after its peak: where the lifter "
     "has received it", lambda a: cm_text(a.catch_height_m)),
    ("drop_cm", "Drop\ncm", "peak minus catch height", lambda a: cm_text(a.drop_m)),
    ("peak_velocity_m_s", "Peak v\nm/s", "peak upward velocity of the second pull",
     lambda a: _ms(a.peak_velocity_m_s)),
    ("dx1_cm", "Dx1\ncm", "lift-off to the most rearward point (toward the lifter, < 0)",
     lambda a: cm_text(a.x1_m, True)),
    ("dx2_cm", "Dx2\ncm", "most rearward to the most forward point (away from the lifter)",
     lambda a: cm_text(a.x2_m, True)),
    ("loop_cm", "Loop\ncm", "most forward point back to the catch (the loop, Dx3)",
     lambda a: cm_text(a.x3_m, True)),
    ("net_x_cm", "Net x\ncm", "catch minus lift-off, + away from the lifter",
     lambda a: cm_text(a.net_x_m, True)),
    ("trajectory_type", "Type", "Vorobyev's trajectory type against the vertical line through "
     "lift-off: 1 crosses it, 2 reaches it, 3 stays behind it",
     lambda a: "" if a.trajectory_type is None else str(a.trajectory_type)),
    ("result", "Result", "made, or missed (the bar came back down)",
     lambda a: "missed" if a.missed else "made"),
)


def attempt_rows(attempts: list[Attempt]) -> list[list[str]]:
    """One row of :data:`ATTEMPT_COLUMNS` values per attempt."""
    return [[fn(a) for _k, _h, _tip, fn in ATTEMPT_COLUMNS] for a in attempts]


def jerk_text(a: Attempt) -> str:
    """The jerk of a clean and jerk in one line (cm, m/s), "" without one."""
    j = a.jerk
    if not j:
        return ""
    parts = [f"dip {cm_text(j.get('dip_depth_m'))} cm",
             f"drive {_ms(j.get('peak_velocity_m_s'))} m/s"]
    if j.get("peak_height_m") is not None:  # the drive's top, before the lifter drops under
        parts.append(f"drive's top {cm_text(j.get('peak_height_m'))} cm")
    if j.get("overhead_height_m") is not None:  # standing with it locked out
        parts.append(f"overhead standing {cm_text(j.get('overhead_height_m'))} cm")
    return "jerk: " + ", ".join(parts)


class AttemptOverlay:
    """What the video overlay draws for the attempts, per sample of the track (the same
    indexing as the track's frames): the phase each sample belongs to (None outside an
    attempt), the samples of lift-off (a vertical reference line goes up from there),
    and key points with their labels (peak and catch heights in cm).

    Built once per analysis by :func:`attempt_overlay`; plain data, no Qt.
    """

    def __init__(self, phase: list[str | None], liftoffs: list[int],
                 marks: list[tuple[int, str]]) -> None:
        self.phase = phase
        self.liftoffs = liftoffs
        self.marks = marks


def attempt_overlay(res: AnalysisResult) -> AttemptOverlay | None:
    """The overlay of ``res``'s attempts (None without any)."""
    wl = res.weightlifting
    if wl is None or not wl.attempts:
        return None
    t = res.kinematics.t
    n = len(t)
    phase: list[str | None] = [None] * n
    liftoffs: list[int] = []
    marks: list[tuple[int, str]] = []

    def at(time: float | None) -> int | None:
        if time is None or not np.isfinite(time) or not n:
            return None
        return int(np.clip(np.searchsorted(t, time), 0, n - 1))

    floor = wl.attempts[0].liftoff_height_m > 0
    for a in wl.attempts:
        for p in a.phases:
            lo, hi = at(p.start_t), at(p.end_t)
            if lo is None or hi is None:
                continue
            for i in range(lo, hi + 1):
                phase[i] = p.name
        i0 = at(a.liftoff_t)
        if i0 is not None:
            liftoffs.append(i0)
        word = "" if floor else " (from start)"
        for time, label in ((a.peak_height_t, f"peak {a.peak_height_m * 100:.0f} cm{word}"),
                            (a.catch_t, ("missed · " if a.missed else "")
                             + f"catch {a.catch_height_m * 100:.0f} cm{word}")):
            at_i = at(time)
            if at_i is not None:
                marks.append((at_i, label))
        j = a.jerk or {}
        jt, jh = j.get("peak_height_t"), j.get("peak_height_m")
        if jt is not None and jh is not None:
            at_j = at(jt)
            if at_j is not None:
                marks.append((at_j, f"jerk drive top {jh * 100:.0f} cm"))
    return AttemptOverlay(phase, liftoffs, marks)


#: Every phase an attempt can have, in order (the CSV has a start and an end for each).
PHASE_ORDER = ("first_pull", "transition", "second_pull", "turnover", "recovery", "miss_drop",
               "rack", "jerk_dip", "jerk_drive", "jerk_catch", "jerk_recovery")
JERK_KEYS = ("rack_height_m", "dip_depth_m", "peak_velocity_m_s", "peak_height_m",
             "catch_height_m", "drop_m", "overhead_height_m")


def _f4(v: float | None) -> str:
    return "" if v is None else f"{v:.4f}"


def attempts_csv(res: AnalysisResult) -> str:
    """The data CSV of a snatch, clean or jerk: one row per attempt with the table's
    columns (cm, m/s), the lift-off time, each phase's start and end (s, real time), the
    jerk's measures (m, m/s) and the warnings (documented in docs/analysis-format.md)."""
    import csv
    import io

    wl = res.weightlifting
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["lift", *[c[0] for c in ATTEMPT_COLUMNS], "liftoff_s",
                *[f"{p}_{e}_s" for p in PHASE_ORDER for e in ("start", "end")],
                *[f"jerk_{k}" for k in JERK_KEYS], "warnings"])
    if wl is None:
        return buf.getvalue()
    for a, row in zip(wl.attempts, attempt_rows(wl.attempts), strict=True):
        phases = {p.name: p for p in a.phases}
        times = []
        for name in PHASE_ORDER:
            p = phases.get(name)
            times += [f"{p.start_t:.3f}", f"{p.end_t:.3f}"] if p else ["", ""]
        j = a.jerk or {}
        jv = [_f4(j.get(k)) for k in JERK_KEYS]
        w.writerow([wl.lift, *row, f"{a.liftoff_t:.3f}", *times, *jv, "; ".join(a.warnings)])
    w.writerow([])
    w.writerow(["attempts", len(wl.attempts)])
    w.writerow(["made", sum(not a.missed for a in wl.attempts)])
    w.writerow(["lifter_faces", wl.lifter_faces or ""])
    return buf.getvalue()


def compare_attempt_rows(a: Attempt, b: Attempt) -> list[tuple[str, str, str, str]]:
    """The comparison table of two attempts: (measure, A, B, B − A), lengths in cm,
    velocities in m/s, phase durations in s; "—" where one side has no value."""
    rows: list[tuple[str, str, str, str]] = []

    def num(label: str, va: float | None, vb: float | None, scale: float, fmt: str) -> None:
        sa = "—" if va is None or not np.isfinite(va) else f"{va * scale:{fmt}}"
        sb = "—" if vb is None or not np.isfinite(vb) else f"{vb * scale:{fmt}}"
        d = ""
        if va is not None and vb is not None and np.isfinite(va) and np.isfinite(vb):
            d = shown_difference(va * scale, vb * scale, fmt)
        rows.append((label, sa, sb, d))

    num("Peak height (cm)", a.peak_height_m, b.peak_height_m, 100, ".1f")
    num("Catch height (cm)", a.catch_height_m, b.catch_height_m, 100, ".1f")
    num("Drop (cm)", a.drop_m, b.drop_m, 100, ".1f")
    num("Peak velocity, 2nd pull (m/s)", a.peak_velocity_m_s, b.peak_velocity_m_s, 1, ".2f")
    num("Dx1 (cm)", a.x1_m, b.x1_m, 100, "+.1f")
    num("Dx2 (cm)", a.x2_m, b.x2_m, 100, "+.1f")
    num("Loop (cm)", a.x3_m, b.x3_m, 100, "+.1f")
    num("Net horizontal (cm)", a.net_x_m, b.net_x_m, 100, "+.1f")
    rows.append(("Trajectory type", str(a.trajectory_type or "—"), str(b.trajectory_type or "—"),
                 "" if a.trajectory_type == b.trajectory_type else "differs"))
    rows.append(("Result", "missed" if a.missed else "made", "missed" if b.missed else "made",
                 ""))
    pa, pb = {p.name: p for p in a.phases}, {p.name: p for p in b.phases}
    for name in PHASE_ORDER:
        if name in pa or name in pb:
            num(f"{name.replace('_', ' ').capitalize()} (s)",
                pa[name].duration_s if name in pa else None,
                pb[name].duration_s if name in pb else None, 1, ".2f")
    return rows
