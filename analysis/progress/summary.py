"""What the Progress view shows, computed without Qt: the pooled and per-session
load-velocity profiles with e1RM, and the best MCV over time at each load."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    best MCV by date (``trend[load_kg] = [(date, mcv), ...]``); ``over_time`` one point
    per session; ``unmeasured`` sets without reps in m/s and ``unloaded`` measured sets
    without a load (both left out of the profile)."""

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


def summarize(sets: list[SetRecord], lifter: str, exercise: str,
              mvt_m_s: float) -> ProgressSummary:
    """Summarise a history (from :func:`analysis.progress.history.collect_history`)."""
    by_id: dict[str, SessionProfile] = {}
    for s in sets:
        sp = by_id.setdefault(s.session_id, SessionProfile(s.session_id, s.date, []))
        if s.load_kg and s.best_mcv:
            sp.points.append((s.load_kg, s.best_mcv, s.set_number))
            sp.recording_ids.append(s.recording_id)
    out = ProgressSummary(lifter, exercise, mvt_m_s, sorted(by_id.values(),
                                                            key=lambda p: p.date))
    for sp in out.sessions:
        sp.profile, sp.e1rm, sp.reason = _fit([(p[0], p[1]) for p in sp.points], mvt_m_s)
        for load, mcv, _n in sp.points:
            row = out.trend.setdefault(round(load, 2), [])
            if row and row[-1][0] == sp.date:
                row[-1] = (sp.date, max(row[-1][1], mcv))
            else:
                row.append((sp.date, mcv))
    out.over_time = _over_time(sets)
    out.unmeasured = sum(not s.measured for s in sets)
    out.unloaded = sum(s.measured and not s.load_kg for s in sets)
    pooled = [(p[0], p[1]) for sp in out.sessions for p in sp.points]
    out.profile, out.e1rm, out.reason = _fit(pooled, mvt_m_s)
    return out


def _fit(points: list[tuple[float, float]], mvt: float
         ) -> tuple[LoadVelocityProfile | None, OneRepMaxEstimate | None, str]:
    try:
        prof = fit_profile([p[0] for p in points], [p[1] for p in points])
    except ProfileError as exc:
        return None, None, str(exc)
    try:
        return prof, estimate_1rm(prof, mvt), ""
    except ProfileError as exc:
        return prof, None, str(exc)


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
