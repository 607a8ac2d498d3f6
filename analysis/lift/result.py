"""One entry point from a bar track to reps, phases and set numbers.

``analyze_track`` is used identically by ``liftlens analyze`` and the app.
Its result is derived data: recompute it from the track, the calibration and
the user's overrides; never store it as the truth.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

# NumPy 2 loads numpy.ma at the first np.percentile (np.unique asks whether its input is a
# masked array): 7-14 ms. Loaded with this module instead, so that ``liftlens analyze``,
# which imports it while its clip decodes (analysis.batch.clip), does not pay it after the
# tracking, when nothing else runs.
import numpy.ma  # noqa: F401

from analysis.lift.counted import CountedReps, counted_reps, on_tempo_text
from analysis.lift.gaps import reps_across_gaps
from analysis.lift.kinematics import Kinematics, KinematicsSettings, compute_kinematics
from analysis.lift.plausibility import check_reps, despike, drift_flags, unreliable_spans
from analysis.lift.rep_metrics import (
    RepMetrics,
    check_tempo,
    parse_tempo,
    rep_metrics,
    tempo_durations,
    tempo_notation,
    tempo_text,
)
from analysis.lift.rep_overrides import BOUNDARIES, Overrides, apply_boundaries
from analysis.lift.rep_structure import apply_edits
from analysis.lift.rep_outcome import rep_outcomes, set_levels
from analysis.lift.rep_phases import (
    DIRECTIONS,
    LIFTS,
    PHASE_KINDS,
    Hold,
    PhaseSpan,
    RepSettings,
    direction_of,
    motion_direction,
    segment_reps,
)
from analysis.lift.set_metrics import VelocityLoss, path_consistency, velocity_loss

if TYPE_CHECKING:  # the weightlifting analysis loads only for a snatch, clean or jerk
    from analysis.lift.weightlifting import WeightliftingResult

#: version 2: ``series.height`` is measured up from the set's lowest point (0 at the
#: bottom), as the panel and the track CSV show it; version 1 wrote it ``-y`` scaled
#: (its zero the image's top edge, negative). Readers of both: subtract its minimum.
FORMAT_VERSION = 2
STATE_NAMES = {0: "none", 1: "tracked", 2: "anchor", 3: "lost"}


@dataclass(frozen=True)
class AnalysisSettings:
    """Everything tunable in the analysis (defaults suit squat, bench, deadlift, press)."""

    kinematics: KinematicsSettings = field(default_factory=KinematicsSettings)
    reps: RepSettings = field(default_factory=RepSettings)
    #: a measured concentric under this (s) is *written* X in ``tempo_notation``; it never
    #: judges a prescribed X (explosive intent: driven without a stop,
    #: :func:`analysis.lift.rep_metrics.check_tempo`)
    notation_x_under_s: float = 1.0
    velocity_loss_threshold_pct: float = 20.0
    prescribed_tempo: str | None = None
    tempo_tolerance_s: float = 0.5
    sticking_min_dip: float = 0.05

    def __post_init__(self) -> None:
        if self.prescribed_tempo is not None:
            parse_tempo(self.prescribed_tempo)
        if not self.notation_x_under_s > 0 or not self.tempo_tolerance_s >= 0:
            raise ValueError("notation_x_under_s must be positive and tempo_tolerance_s "
                             "not negative")


@dataclass
class RepResult(PhaseSpan):
    """One detected rep with its phases, holds, numbers and tempo (units as the result)."""

    number: int
    status: str
    phases: dict[str, tuple[float, float]]
    holds: list[Hold]
    metrics: RepMetrics
    tempo: tuple[float, float, float, float]
    tempo_text: str
    tempo_notation: str
    tempo_check: dict[str, bool] | None
    fitted: bool
    turn_time: float
    flags: list[str] = field(default_factory=list)
    #: the boundaries (names of :data:`analysis.lift.rep_overrides.BOUNDARIES`) the user
    #: moved by hand, in that order; empty when every boundary is the detected one
    moved: tuple[str, ...] = ()
    #: ``"split"`` or ``"merged"`` when the user split or merged detected reps into this
    #: one, ``""`` as detected; ``edits``: those edits' positions in the corrections'
    #: ``edits`` (:class:`analysis.session.overrides.Overrides`)
    edited: str = ""
    edits: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number, "status": self.status,
            "start": self.start, "end": self.end, "turn_time": self.turn_time,
            "phases": [{"kind": k, "start": s, "end": e, "duration": e - s}
                       for k, (s, e) in sorted(self.phases.items(), key=lambda kv: kv[1])],
            "holds": [{"start": h.start, "end": h.end, "duration": h.duration,
                       "height": h.height, "height_pct": h.height_pct, "phase": h.phase}
                      for h in self.holds],
            "metrics": self.metrics.to_dict(),
            "tempo": list(self.tempo), "tempo_text": self.tempo_text,
            "tempo_notation": self.tempo_notation, "tempo_check": self.tempo_check,
            "boundaries_fitted": self.fitted, "boundaries_moved": list(self.moved),
            "edited": self.edited or None, "flags": list(self.flags),
        }

    @property
    def bottom_time(self) -> float:
        """Time (s) the bar is at the bottom of the rep: for a lift that starts with the
        eccentric (squat, bench press) its turning point (:attr:`turn_time`); for one that
        starts with the concentric (deadlift, press), whose turning point is the top, the
        concentric's start (the set-up on the floor, for a deadlift)."""
        ecc, con = self.phases.get("eccentric"), self.phases["concentric"]
        return self.turn_time if ecc is not None and ecc[0] < con[0] else con[0]


def tempo_compliance(reps: list[RepResult]) -> tuple[int, int]:
    """``(on tempo, judged)``: of the reps in the set's numbers
    (:func:`analysis.lift.counted.counted_reps`) checked against a prescribed tempo
    (``tempo_check``, :func:`analysis.lift.rep_metrics.check_tempo`), how many met it in
    every phase. A partial, failed or false rep is not judged: its phases are not the
    prescribed movement; nor is a flagged one, whose phases rest on an unreliable track.
    The panel, the report, Compare sessions and Progress all count this way (they
    disagreed: 1 of 2 against 33 % for one set), and say which reps they count
    (:func:`tempo_compliance_text`)."""
    counted = counted_reps(reps)
    judged = [r for r in reps if r.number in counted and r.tempo_check is not None]
    return sum(all(r.tempo_check.values()) for r in judged  # type: ignore[union-attr]
               ), len(judged)


def tempo_compliance_text(reps: list[RepResult], short: bool = False) -> str:
    """:func:`tempo_compliance` in words, naming the reps left out: "3 of 6 counted reps on
    tempo (reps 3, 5 left out: track unreliable)" (:func:`analysis.lift.counted.on_tempo_text`;
    ``short``: without the parenthesis)."""
    on, judged = tempo_compliance(reps)
    return on_tempo_text(on, judged, counted_reps(reps), short)


@dataclass
class SetMetrics:
    """Numbers of the whole set (units as the result)."""

    rep_count: int
    failed_count: int
    partial_count: int
    false_count: int
    velocity_loss: VelocityLoss
    path_consistency: float | None
    path_consistency_per_rep: dict[int, float]
    fastest_rep: int | None = None
    flagged_count: int = 0
    #: the reps the set's numbers are taken over (:func:`analysis.lift.counted.counted_reps`)
    counted: CountedReps = field(default_factory=CountedReps)
    #: MCV of ``fastest_rep`` and mean MCV of the counted reps (units/s)
    best_mcv: float | None = None
    mean_mcv: float | None = None

    def loss_text(self, decimals: int = 0, short: bool = False) -> str:
        """The velocity loss with the reps it compares: "from rep 4 (first and fastest
        counted) to rep 8 (last counted): 17 %" (:meth:`VelocityLoss.span_text`)."""
        vl = self.velocity_loss
        return vl.span_text(self.fastest_rep, bool(self.counted.left_out or vl.rejected
                                                   or self.counted.from_flagged), decimals,
                            short)

    def to_dict(self) -> dict[str, Any]:
        return {"rep_count": self.rep_count, "failed_count": self.failed_count,
                "partial_count": self.partial_count, "false_count": self.false_count,
                "flagged_count": self.flagged_count, "fastest_rep": self.fastest_rep,
                "best_mcv": self.best_mcv, "mean_mcv": self.mean_mcv,
                "counted_reps": list(self.counted.counted),
                "left_out": [{"rep": n, "reason": why} for n, why in self.counted.left_out],
                "from_flagged": self.counted.from_flagged,
                "velocity_loss": self.velocity_loss.to_dict(),
                "path_consistency": self.path_consistency,
                "path_consistency_per_rep": {str(k): v for k, v in
                                             self.path_consistency_per_rep.items()}}


@dataclass
class AnalysisResult:
    """Track, kinematics, reps and set numbers of one recording."""

    lift: str
    units: str
    m_per_px: float | None
    calibration: dict[str, Any]
    frame: np.ndarray
    x_px: np.ndarray
    y_px: np.ndarray
    confidence: np.ndarray
    state: np.ndarray
    kinematics: Kinematics
    reps: list[RepResult]
    set_metrics: SetMetrics
    warnings: list[str]
    overrides: Overrides
    direction: str = "down_first"
    direction_source: str = "lift"
    #: the attempts of a snatch, clean or jerk (see :mod:`analysis.lift.attempts`)
    weightlifting: WeightliftingResult | None = None
    #: the tempo each rep's ``tempo_check`` was made against (``3-1-X-0``), None without one
    prescribed_tempo: str | None = None
    #: False when no exercise was given: ``lift`` is then only the phase order read from
    #: the motion ("deadlift" for bar up first), not a lift the user named, and views
    #: say "bar up first" instead of the name
    lift_chosen: bool = True

    def to_dict(self, series: bool = True) -> dict[str, Any]:
        """JSON-ready dict (see docs/analysis-format.md); NaN becomes null."""
        k = self.kinematics
        d: dict[str, Any] = {
            "format": "liftlens-analysis", "version": FORMAT_VERSION, "lift": self.lift,
            "direction": self.direction, "direction_source": self.direction_source,
            "lift_chosen": self.lift_chosen,
            "units": self.units,
            "calibration": {"m_per_px": self.m_per_px, **self.calibration},
            "kinematics": {"cutoff_hz": k.cutoff_hz, "cutoff_auto": k.cutoff_auto,
                           "fs_hz": k.fs_hz, "resampled": k.resampled},
            "reps": [r.to_dict() for r in self.reps],
            "set": self.set_metrics.to_dict(),
            "overrides": self.overrides.to_dict(),
            "warnings": list(self.warnings),
        }
        if self.prescribed_tempo:
            d["prescribed_tempo"] = self.prescribed_tempo
        if self.weightlifting is not None:
            d["weightlifting"] = self.weightlifting.to_dict()
        d = _clean(d)
        if series:  # made JSON-ready here (thousands of numbers: not walked again by _clean)
            d["track"] = {"frame": [int(v) for v in self.frame], "t": _list(k.t, 6),
                          "x": _list(self.x_px, 3), "y": _list(self.y_px, 3),
                          "confidence": _list(self.confidence, 3),
                          "state": [STATE_NAMES.get(int(s), "none") for s in self.state]}
            d["series"] = {"x": _list(k.x, 5), "height": _list(k.height_from_lowest(), 5),
                           "vx": _list(k.vx, 4), "vy": _list(k.vy, 4),
                           "filled": [bool(v) for v in k.filled]}
        return d


def _list(a: np.ndarray, nd: int) -> list[float | None]:
    """``a``'s values rounded to ``nd`` decimals, NaN and infinities as None (plain floats:
    ``tolist`` and ``math.isfinite`` instead of a NumPy scalar per value)."""
    return [round(v, nd) if math.isfinite(v) else None for v in np.asarray(a, float).tolist()]


def _clean(o: Any) -> Any:
    if isinstance(o, dict):
        return {str(k): _clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_clean(v) for v in o]
    if isinstance(o, (bool, np.bool_)):
        return bool(o)
    if isinstance(o, (int, np.integer)):
        return int(o)
    if isinstance(o, (float, np.floating)):
        return float(o) if np.isfinite(o) else None
    return o


def analyze_track(t: np.ndarray, x: np.ndarray, y: np.ndarray, *, m_per_px: float | None = None,
                  lift: str | None = None, settings: AnalysisSettings | None = None,
                  overrides: Overrides | dict[str, Any] | None = None,
                  confidence: np.ndarray | None = None, state: np.ndarray | None = None,
                  frame: np.ndarray | None = None,
                  calibration: dict[str, Any] | None = None,
                  direction: str | None = None, exercise: str | None = None) -> AnalysisResult:
    """Analyse one bar track: kinematics, reps with phases and numbers, set numbers.

    Parameters
    ----------
    t : array_like
        Frame times (s), increasing (real timestamps; VFR allowed).
    x, y : array_like
        Bar position in displayed-image pixels (y down); NaN where lost.
    m_per_px : float, optional
        Metres per pixel; without it lengths are px and velocities px/s.
    lift : {"squat", "bench", "deadlift", "press"} or None
        The exercise; None (unknown) finds the direction from the motion (a set
        whose first large movement rises is concentric first) and reports it.
    settings : AnalysisSettings, optional
    overrides : Overrides or its dict, optional
        The user's corrections; every number follows them.
    confidence, state : array_like, optional
        Tracker confidence (0..1) and state codes (0 none, 1 tracked, 2 anchor,
        3 lost) per frame, passed through; frames in state 3 are not used.
    frame : array_like, optional
        Frame numbers (default 0..n-1).
    calibration : dict, optional
        How the scale was obtained (e.g. ``{"source": "plate", "plate_mm": 450}``). Its
        ``scale_sd_pct`` (the scale's SD, %, from a plate measured in the clip) is folded
        into each rep's ``mean_concentric_velocity_sd`` (:func:`with_scale_sd`).
    direction : {"down_first", "up_first"}, optional
        The user's correction of the direction; wins over the lift and the motion.
        Without it, a bar that starts at its lowest point and rises first is analysed
        up first whatever ``lift`` says, and a warning says when the lift and the
        motion disagree.
    exercise : str, optional
        The exercise's name as the user wrote it, for that warning (default ``lift``).

    Raises
    ------
    ValueError
        Bad input, in plain words.
    """
    settings = settings or AnalysisSettings()
    if lift is not None and lift not in LIFTS:
        raise ValueError(f"unknown lift {lift!r}: choose one of {', '.join(LIFTS)}")
    if direction is not None and direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}: use down_first or up_first")
    if not isinstance(overrides, Overrides):
        overrides = Overrides.from_dict(overrides)
    n = len(np.asarray(t))
    st = np.zeros(n, np.uint8) if state is None else np.asarray(state).astype(np.uint8)
    conf = np.full(n, np.nan) if confidence is None else np.asarray(confidence, float)
    fr = np.arange(n) if frame is None else np.asarray(frame).astype(int)
    if not (len(st) == len(conf) == len(fr) == n):
        raise ValueError("the track's confidence, state and frame columns differ in length")
    spikes = despike(np.asarray(t, float), np.asarray(x, float), np.asarray(y, float),
                     st != 3)
    kin = compute_kinematics(t, x, y, m_per_px, valid=(st != 3) & ~spikes,
                             settings=settings.kinematics)
    warnings = list(kin.warnings)
    if spikes.any():
        warnings.append(f"{int(spikes.sum())} single-frame jump(s) of the track left out "
                        f"as tracking glitches")
    if m_per_px is None:
        warnings.append("no calibration: lengths are in px and velocities in px/s")
    source = "user" if direction else "lift" if lift else "motion"
    motion = motion_direction(kin, settings.reps)
    if direction is None and lift is not None and motion is not None \
            and motion != direction_of(lift):
        level = _start_level(kin)
        # only a start at the set's very bottom (the floor, pins) or top is a contradiction:
        # a bench unracked a little higher than it is pressed is not
        if level is not None and (level <= START_EDGE if motion == "up_first"
                                  else level >= 1.0 - START_EDGE):
            warnings.append(_disagreement(exercise or lift, direction_of(lift), motion))
            if motion == "up_first":  # it starts at its lowest point: so be it
                direction, source = motion, "motion"
    direction = direction or direction_of(lift) or motion
    if direction is None:
        direction, source = "down_first", "default"
    found = segment_reps(kin, lift, settings.reps, direction=direction)
    heights = set_levels(found)  # the set's lockout and bottom: failed and partial reps
    found, dropped = check_reps(found, kin, direction, heights)
    found, across = reps_across_gaps(found, kin)  # no rep is built across a cut
    warnings += dropped + across
    shaped, notes = apply_edits(found, overrides.edits, kin, direction, settings.reps)
    found = [e.rep for e in shaped]
    warnings += notes
    bad = unreliable_spans(kin, st, conf, spikes)
    ecc_first = direction == "down_first"
    reps: list[RepResult] = []
    corrected: list[tuple[dict[str, tuple[float, float]], str, tuple[str, ...]]] = []
    # a rep split or merged by hand is as the coach shaped it: not judged failed or partial
    ok = np.isfinite(kin.height)  # the bar's height where each eccentric starts
    tops = [float(np.interp(rp.phases["eccentric"][0], kin.t[ok], kin.height[ok]))
            if ok.any() else np.nan for rp in found]
    outcomes = [o if not e.how else "valid" for o, e in
                zip(rep_outcomes(found, heights, tops, ecc_first), shaped, strict=True)]
    for i, (rp, outcome) in enumerate(zip(found, outcomes, strict=True), 1):
        phases, status = dict(rp.phases), outcome
        o = overrides.for_rep(rp.start, rp.end, rp.turn_time)
        moved: tuple[str, ...] = ()
        if o is not None:
            status = o.status or status
            if o.boundaries:
                try:
                    phases = apply_boundaries(phases, o.boundaries, ecc_first)
                    moved = tuple(b for b in BOUNDARIES if b in o.boundaries)
                except ValueError as exc:
                    warnings.append(f"rep {i}: correction not applied ({exc})")
        corrected.append((phases, status, moved))
    _pauses_between(corrected, ecc_first)
    for i, (rp, ed, (phases, status, moved)) in enumerate(zip(found, shaped, corrected,
                                                              strict=True), 1):
        holds = [h for h in rp.holds
                 if phases[h.phase][0] <= h.start and h.end <= phases[h.phase][1]]
        # a concentric moved by hand is measured between the heights at its new ends (the
        # rest fits and their timing SD were of the detected ends); an eccentric moved
        # leaves it as detected
        con_moved = bool({"concentric_start", "concentric_end"} & set(moved))
        levels = None if con_moved else rp.con_levels
        m = rep_metrics(kin, ecc_first, phases, holds, settings.sticking_min_dip, levels,
                        None if con_moved else rp.con_sd)
        dur = tempo_durations(phases)
        check = (check_tempo(dur, settings.prescribed_tempo, settings.tempo_tolerance_s,
                             holds) if settings.prescribed_tempo else None)
        flags = list(rp.flags) + bad(rp.start, min(rp.end, max(e for _, e in (
            phases["eccentric"], phases["concentric"]))))
        reps.append(RepResult(i, status, {k: phases[k] for k in PHASE_KINDS}, holds, m, dur,
                              tempo_text(dur), tempo_notation(dur, settings.notation_x_under_s), check,
                              rp.fitted, rp.turn_time, flags, moved, ed.how, ed.edits))
    for r, why in zip(reps, drift_flags([r.metrics.drift_max for r in reps],
                                        [r.metrics.rom for r in reps], kin.units),
                      strict=True):
        if why:
            r.flags.append(why)
    if not reps:
        warnings.append("no reps found: the bar never moved through a clear range of motion")
    sm = _set_metrics(kin, reps, settings)  # (velocity loss: a ratio, the scale cancels)
    if m_per_px:
        with_scale_sd(reps, (calibration or {}).get("scale_sd_pct"))
    if lift is None and m_per_px:
        hint = olympic_hint(t, x, y, m_per_px, st)
        if hint:
            warnings.append(hint)
    return AnalysisResult(lift or ("squat" if ecc_first else "deadlift"), kin.units, m_per_px,
                          dict(calibration or {}), fr, np.asarray(x, float),
                          np.asarray(y, float), conf, st, kin, reps, sm, warnings, overrides,
                          direction, source, prescribed_tempo=settings.prescribed_tempo or None,
                          lift_chosen=lift is not None)


def _pauses_between(corrected: list[tuple[dict[str, tuple[float, float]], str, tuple[str, ...]]],
                    ecc_first: bool) -> None:
    """The pause between two reps belongs to one of them (a squat's top pause to the rep
    before, a deadlift's floor pause to the rep after): clipped, in place, where the other
    rep's stroke was moved by hand into it. A deadlift rep's lowering moved 0.25 s later
    left the next rep's 0.3 s floor pause whole, two reps' phases overlapping and the
    unmoved rep's tempo (and tempo check) wrong."""
    for (before, _s1, _m1), (after, _s2, _m2) in zip(corrected[:-1], corrected[1:],
                                                     strict=True):
        if ecc_first:  # rep k's top pause ends where rep k+1's lowering starts
            a, b = before["top_pause"]
            before["top_pause"] = (a, max(a, min(b, after["eccentric"][0])))
        else:  # rep k+1's floor pause starts where rep k's lowering ends
            a, b = after["bottom_pause"]
            after["bottom_pause"] = (min(b, max(a, before["eccentric"][1])), b)


def with_scale_sd(reps: list[RepResult], scale_sd_pct: Any) -> None:
    """Each rep's MCV SD (m/s) with the scale's own SD, ``scale_sd_pct`` (% of the scale;
    nothing when None), added in quadrature: a velocity in m/s is px/s times the scale, so
    a scale off by 1 % moves every rep's MCV by 1 %. Where the user clicks on a plate whose
    rim is partly seen or dark moves the scale measured (the real deadlift clip: about
    0.8 % between starts 1-3 px apart); the SD printed then covers that too. Reps without
    an SD (a boundary moved by hand) keep none."""
    try:
        share = float(scale_sd_pct) / 100.0
    except (TypeError, ValueError):
        return
    if not np.isfinite(share) or share <= 0:
        return
    for r in reps:
        m = r.metrics
        if m.mean_concentric_velocity_sd is not None and np.isfinite(m.mean_concentric_velocity):
            m.mean_concentric_velocity_sd = float(np.hypot(
                m.mean_concentric_velocity_sd, abs(m.mean_concentric_velocity) * share))


#: A lift "clearly looks Olympic" when the bar rises at least this far from a rest (m) ...
OLYMPIC_RISE_M = 0.70
#: ... at least this fast (m/s) ...
OLYMPIC_PEAK_V = 1.30
#: ... and is caught at least this far below its peak (m), then held up. A deadlift rises
#: 0.45-0.65 m at under 1 m/s and is lowered to the floor; a clean or snatch rises 0.7-1.1 m
#: at 1.5-2 m/s and is caught lower, 0.1-0.4 m in a squat, a few cm in a power clean
#: (Garhammer 1985; tests/truth2: 4 cm).
OLYMPIC_DROP_M = 0.02


def olympic_hint(t: Any, x: Any, y: Any, m_per_px: float, state: np.ndarray) -> str | None:
    """A sentence suggesting to set the exercise when a track with no exercise given looks
    like a snatch or a clean: an attempt of :func:`analysis.lift.weightlifting.analyze_weightlifting`
    rising :data:`OLYMPIC_RISE_M` at :data:`OLYMPIC_PEAK_V`, caught :data:`OLYMPIC_DROP_M`
    lower and not missed. None otherwise (or when the track cannot be read as attempts).

    ``t`` (s), ``x``, ``y`` (px, y down), ``m_per_px`` (> 0), ``state`` (3 = lost).
    """
    from analysis.lift.weightlifting import analyze_weightlifting

    lost = np.asarray(state) == 3
    try:
        with warnings.catch_warnings():  # a suggestion: numpy's notes on odd tracks are noise
            warnings.simplefilter("ignore", RuntimeWarning)
            wl = analyze_weightlifting(np.asarray(t, float), np.where(lost, np.nan, x),
                                       np.where(lost, np.nan, y), m_per_px=m_per_px,
                                       lift="clean")
    except ValueError:
        return None
    for a in wl.attempts:
        if a.peak_rise_m >= OLYMPIC_RISE_M and a.peak_velocity_m_s >= OLYMPIC_PEAK_V \
                and a.drop_m >= OLYMPIC_DROP_M and not a.missed:
            return (f"This looks like a snatch or a clean: the bar rose {a.peak_rise_m * 100:.0f} "
                    f"cm at up to {a.peak_velocity_m_s:.2f} m/s and was caught "
                    f"{a.drop_m * 100:.0f} cm lower. Set the exercise (snatch, clean, clean "
                    "and jerk) to see the pull's phases and the attempt's numbers instead of "
                    "reps.")
    return None


#: A set "starts at its bottom" when its first height is within this share of its range
#: from the lowest point (and "at its top" likewise from the highest).
START_EDGE = 0.15


def _start_level(kin: Kinematics) -> float | None:
    """Where the bar starts in the set's range: 0 at its lowest point (0.5th percentile
    of the heights), 1 at its highest (99.5th); the median of the first 0.3 s tracked."""
    h = np.where(kin.valid, kin.height, np.nan)
    ok = np.flatnonzero(np.isfinite(h))
    if len(ok) < 10:
        return None
    lo, hi = np.percentile(h[ok], [0.5, 99.5])
    if not hi > lo:
        return None
    first = ok[kin.t[ok] <= kin.t[ok[0]] + 0.3]
    return float((np.median(h[first]) - lo) / (hi - lo))


def _disagreement(name: str, expected: str | None, motion: str) -> str:
    """The sentence telling the user that the exercise and the bar's motion disagree.

    A bar that starts at its lowest point and rises first is analysed as such whatever
    the exercise says (a squat from pins, a mislabelled deadlift or clean); a bar that
    goes down first under an up-first exercise keeps the exercise's order (a press
    unracked from above, a deadlift lowered to reset), with the same warning."""
    said = "bar down first" if expected == "down_first" else "bar up first"
    if motion == "up_first":
        return (f"The exercise says {name} ({said}), but the bar starts at its lowest point "
                "and rises first: analysed as a lift from the floor (bar up first). Change "
                "the exercise if this is wrong")
    return (f"The exercise says {name} ({said}), but the bar goes down first: check the "
            "exercise (analysed as the exercise says)")


def _set_metrics(kin: Kinematics, reps: list[RepResult], s: AnalysisSettings) -> SetMetrics:
    """The set's numbers, over the reps :func:`analysis.lift.counted.counted_reps` counts."""
    counted = counted_reps(reps)
    clean = [r for r in reps if r.number in counted]
    vl = velocity_loss([r.metrics.mean_concentric_velocity for r in clean],
                       s.velocity_loss_threshold_pct,
                       max_plausible=5.0 if kin.units == "m" else None,
                       sds=[r.metrics.mean_concentric_velocity_sd for r in clean])
    vl.used = [clean[i].number for i in vl.used]
    vl.rejected = sorted([(clean[i].number, why) for i, why in vl.rejected]
                         + [(r.number, "flagged: " + "; ".join(r.flags)) for r in reps
                            if r.status == "valid" and r.flags and r.number not in counted])
    paths = []
    for r in clean:
        a = min(r.phases["eccentric"][0], r.phases["concentric"][0])
        b = max(r.phases["eccentric"][1], r.phases["concentric"][1])
        m = (kin.t >= a) & (kin.t <= b) & kin.valid
        paths.append((kin.x[m], kin.height[m]))
    score, per = path_consistency(paths)
    # best and mean over the MCVs the velocity loss accepted (a junk value is in neither)
    mcv = {r.number: r.metrics.mean_concentric_velocity for r in clean if r.number in vl.used}
    best = counted.best(mcv)
    return SetMetrics(
        rep_count=sum(r.status in ("valid", "partial") for r in reps),
        failed_count=sum(r.status == "failed" for r in reps),
        partial_count=sum(r.status == "partial" for r in reps),
        false_count=sum(r.status == "false" for r in reps),
        velocity_loss=vl, path_consistency=score,
        path_consistency_per_rep={r.number: v for r, v in zip(clean, per, strict=False)}
        if per else {}, fastest_rep=best[0] if best else None,
        flagged_count=sum(bool(r.flags) for r in reps), counted=counted,
        best_mcv=best[1] if best else None, mean_mcv=counted.mean(mcv))
