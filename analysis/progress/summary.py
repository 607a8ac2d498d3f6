"""What the Progress view shows, computed without Qt: the pooled and per-session
load-velocity profiles with e1RM, and the best MCV over time at each load."""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.lift.exercises import weightlifting_for
from analysis.progress.history import SetRecord
from analysis.progress.profile import (
    LoadVelocityProfile,
    OneRepMaxEstimate,
    ProfileError,
    estimate_1rm,
    fit_profile,
)


@dataclass
class SessionProfile:
    """One session's points (load kg, best MCV m/s), its profile and e1RM or the reason."""

    session_id: str
    date: str
    points: list[tuple[float, float, int]]          # (load_kg, best_mcv, set_number)
    #: the recording of each point (same order as ``points``)
    recording_ids: list[str] = field(default_factory=list)
    profile: LoadVelocityProfile | None = None
    e1rm: OneRepMaxEstimate | None = None
    reason: str = ""


@dataclass
class SessionPoint:
    """One session over time: its mean tempo compliance (%, None without a prescribed
    tempo), mean velocity loss (%), mean ROM (m) over its measured sets, and the
    readiness check (slept well: yes/no or 1-5; recovered 1-5; pain text; None or ""
    when not answered)."""

    session_id: str
    date: str
    tempo_compliance_pct: float | None
    velocity_loss_pct: float | None
    rom_m: float | None
    slept_well: bool | int | None
    recovered: bool | int | None
    pain: str


@dataclass
class ProgressSummary:
    """Pooled profile and e1RM (or ``reason``), sessions oldest first, and per load the
    best velocity by date (``trend[load_kg] = [(date, v), ...]``); ``over_time`` one point
    per session; ``unmeasured`` sets without reps in m/s and ``unloaded`` measured sets
    without a load (both left out of the profile). ``velocity`` names the velocity of
    every point: the best rep's MCV, or for a snatch, clean or jerk the best made
    attempt's peak velocity (:attr:`analysis.progress.history.SetRecord.best_velocity`)."""

    lifter: str
    exercise: str
    mvt_m_s: float
    sessions: list[SessionProfile]
    profile: LoadVelocityProfile | None = None
    e1rm: OneRepMaxEstimate | None = None
    reason: str = ""
    trend: dict[float, list[tuple[str, float]]] = field(default_factory=dict)
    over_time: list[SessionPoint] = field(default_factory=list)
    unmeasured: int = 0
    unloaded: int = 0
    velocity: str = "best MCV"
    #: a snatch, clean or jerk: peak velocity of made attempts, a profile but no e1RM
    weightlifting: bool = False
    #: measured sets by the point their track followed (``analysis.session.track``
    #: ``TARGET_KINDS``, or ``TARGET_UNKNOWN`` for a track saved before it was recorded):
    #: more than one, and the bar end's sets read faster than the plate centre's for the
    #: same lift (nearer the camera), inside one profile
    tracked_points: dict[str, int] = field(default_factory=dict)
    #: measured sets whose numbers leave reps out (flagged ⚑ or partial reps,
    #: :mod:`analysis.lift.counted`): (date, set number, plain note), oldest first
    left_out: list[tuple[str, int, str]] = field(default_factory=list)


def summarize(sets: list[SetRecord], lifter: str, exercise: str,
              mvt_m_s: float) -> ProgressSummary:
    """Summarise a history (from :func:`analysis.progress.history.collect_history`)."""
    by_id: dict[str, SessionProfile] = {}
    olympic = weightlifting_for(exercise) is not None or any(s.attempts for s in sets)
    for s in sets:
        sp = by_id.setdefault(s.session_id, SessionProfile(s.session_id, s.date, []))
        v = s.best_velocity
        if s.load_kg and v:
            sp.points.append((s.load_kg, v, s.set_number))
            sp.recording_ids.append(s.recording_id)
    out = ProgressSummary(lifter, exercise, mvt_m_s, sorted(by_id.values(),
                                                            key=lambda p: p.date))
    if olympic:
        out.velocity, out.weightlifting = "best peak velocity (made attempts)", True
    mvt = None if olympic else mvt_m_s
    for sp in out.sessions:
        sp.profile, sp.e1rm, sp.reason = _fit([(p[0], p[1]) for p in sp.points], mvt)
        for load, mcv, _n in sp.points:
            row = out.trend.setdefault(round(load, 2), [])
            if row and row[-1][0] == sp.date:
                row[-1] = (sp.date, max(row[-1][1], mcv))
            else:
                row.append((sp.date, mcv))
    out.over_time = _over_time(sets)
    out.unmeasured = sum(not s.measured for s in sets)
    out.unloaded = sum(s.measured and not s.load_kg for s in sets)
    for s in sets:
        if s.measured and s.tracked_point:
            out.tracked_points[s.tracked_point] = out.tracked_points.get(s.tracked_point, 0) + 1
    out.left_out = [(s.date, s.set_number, s.left_out_note()) for s in sets
                    if s.measured and s.left_out_note()]
    pooled = [(p[0], p[1]) for sp in out.sessions for p in sp.points]
    out.profile, out.e1rm, out.reason = _fit(pooled, mvt)
    return out


#: Why a snatch, clean or jerk gets a profile but no e1RM.
NO_OLYMPIC_1RM = ("a 1RM from bar velocity is defined for squat, bench press, deadlift and "
                  "press (a minimal velocity threshold); a snatch, clean or jerk is missed "
                  "for technique long before its bar is too slow, so the profile is shown "
                  "without one")


def _reason(exc: ProfileError) -> str:
    """The error as a reason read after "no 1RM estimate: " (a lower-case start)."""
    text = str(exc)
    return text[:1].lower() + text[1:]


def _fit(points: list[tuple[float, float]], mvt: float | None
         ) -> tuple[LoadVelocityProfile | None, OneRepMaxEstimate | None, str]:
    """The profile and e1RM at ``mvt`` (None: no e1RM, see :data:`NO_OLYMPIC_1RM`)."""
    try:
        prof = fit_profile([p[0] for p in points], [p[1] for p in points])
    except ProfileError as exc:
        return None, None, _reason(exc)
    if mvt is None:
        return prof, None, NO_OLYMPIC_1RM
    try:
        return prof, estimate_1rm(prof, mvt), ""
    except ProfileError as exc:
        return prof, None, _reason(exc)


def _mean(values: list[float | None]) -> float | None:
    v = [x for x in values if x is not None]
    return sum(v) / len(v) if v else None


def _over_time(sets: list[SetRecord]) -> list[SessionPoint]:
    by_id: dict[str, list[SetRecord]] = {}
    for s in sets:
        by_id.setdefault(s.session_id, []).append(s)
    out = []
    for sid, group in by_id.items():
        r = group[0].readiness
        out.append(SessionPoint(sid, group[0].date,
                                _mean([s.tempo_compliance_pct for s in group]),
                                _mean([s.velocity_loss_pct for s in group]),
                                _mean([s.mean_rom for s in group]), r.get("slept_well"),
                                r.get("recovered"), str(r.get("pain") or "")))
    return sorted(out, key=lambda p: (p.date, p.session_id))
