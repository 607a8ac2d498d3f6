"""A lifter's history of one exercise, read from the session library.

Each set is one recording with a track: its reps are measured by
:func:`analysis.session.analyze.analyze_recording`, exactly as the app shows them.
Loads are converted to kilograms (1 lb = 0.45359237 kg, the international pound).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analysis.lift.counted import CountedReps, counted_reps, on_tempo_text
from analysis.lift.exercises import exercise_key, same_exercise
from analysis.session.analyze import analyze_recording, session_settings
from analysis.session.document import Session
from analysis.session.loads import LB_TO_KG



@dataclass(frozen=True)
class RepPoint:
    """One rep of the rep count: number, MCV (m/s), peak velocity (m/s), ROM (m), tempo
    text, the four phase durations (s: eccentric, bottom, concentric, top), whether every
    phase met the session's prescribed tempo (None when none is prescribed or not judged),
    its status (``valid`` or ``partial``) and flags (⚑, why its track is unreliable): the
    set's numbers take only the reps :func:`analysis.lift.counted.counted_reps` counts."""

    number: int
    mcv_m_s: float
    peak_m_s: float
    rom_m: float
    tempo: str
    tempo_s: tuple[float, float, float, float] = (np.nan, np.nan, np.nan, np.nan)
    tempo_ok: bool | None = None
    status: str = "valid"
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttemptPoint:
    """One attempt of a snatch, clean or jerk: number, made (False = missed), peak
    vertical bar velocity (m/s), peak and catch height above the floor (m; from the start
    for a hang, block or jerk start), as :class:`analysis.lift.weightlifting.Attempt`."""

    number: int
    made: bool
    peak_m_s: float
    peak_height_m: float
    catch_height_m: float


@dataclass
class SetRecord:
    """One set (recording) of a session, with its measured reps (SI units).

    ``reps`` are every rep of the rep count (full and partial, flagged or not); the set's
    numbers (best and mean MCV, mean ROM and tempo, tempo compliance, the profile's point)
    are over the reps :attr:`counted` names, as the analysis panel's velocity loss
    (:mod:`analysis.lift.counted`); :meth:`left_out_note` says which were left out."""

    session_id: str
    date: str
    lifter: str
    exercise: str
    set_number: int
    load_kg: float | None
    reps: list[RepPoint]
    velocity_loss_pct: float | None
    path_consistency: float | None
    readiness: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    recording_id: str = ""
    #: the session's prescribed tempo ("" = none)
    prescribed_tempo: str = ""
    #: a snatch, clean or jerk: its attempts in m (reps stay empty)
    attempts: list[AttemptPoint] = field(default_factory=list)
    #: what the track followed (``analysis.session.track.TARGET_KINDS``, ``"unknown"`` not
    #: recorded by the version that saved it; "" untracked): the
    #: bar end, nearer the camera, reads larger numbers than the plate centre at one scale
    tracked_point: str = ""

    @property
    def measured(self) -> bool:
        """True when the set has reps (or attempts) in m/s (tracked and calibrated)."""
        return bool(self.reps or self.attempts)

    @property
    def best_velocity(self) -> float | None:
        """What the load-velocity profile uses: the best rep's MCV, or for a snatch,
        clean or jerk the highest peak bar velocity of a made attempt (peak bar velocity
        is how weightlifting analyses report bar speed; Garhammer 1993, *J Appl Sport
        Sci Res* 7:76-89; their mean concentric velocity has no defined stroke)."""
        if self.attempts:
            return max((a.peak_m_s for a in self.attempts if a.made), default=None)
        return self.best_mcv

    @property
    def best_peak_height(self) -> float | None:
        """Highest peak bar height of a made attempt (m), None without one."""
        return max((a.peak_height_m for a in self.attempts if a.made), default=None)

    @property
    def counted(self) -> CountedReps:
        """The reps in the set's numbers (:func:`analysis.lift.counted.counted_reps`)."""
        return counted_reps(self.reps)

    def left_out_note(self) -> str:
        """"reps 1, 2, 3, 5 left out: track unreliable", or "" when every rep counts
        (:meth:`analysis.lift.counted.CountedReps.note`)."""
        return self.counted.note()

    def _counted(self) -> list[RepPoint]:
        c = self.counted
        return [r for r in self.reps if r.number in c]

    def _tempo_checked(self) -> list[bool]:
        return [r.tempo_ok for r in self._counted() if r.tempo_ok is not None]

    @property
    def tempo_compliance_pct(self) -> float | None:
        """Share of the counted reps (%) whose every phase met the prescribed tempo (± 0.5
        s; X, explosive intent, met when the concentric is driven without a stop:
        :func:`analysis.lift.rep_metrics.check_tempo`); a partial or flagged rep is not
        judged (:func:`analysis.lift.result.tempo_compliance`). None without a prescribed
        tempo or counted reps."""
        checked = self._tempo_checked()
        return 100.0 * sum(checked) / len(checked) if checked else None

    def tempo_compliance_text(self, short: bool = False) -> str:
        """:attr:`tempo_compliance_pct` as a count naming the reps it is over: "3 of 6
        counted reps on tempo (reps 3, 5 left out: track unreliable)", as the analysis
        panel says it (:func:`analysis.lift.counted.on_tempo_text`; ``short``: without
        the parenthesis); "" when not judged."""
        checked = self._tempo_checked()
        return on_tempo_text(sum(checked), len(checked), self.counted, short) \
            if checked else ""

    @property
    def mean_tempo_s(self) -> tuple[float, float, float, float] | None:
        """Mean phase durations (s) over the counted reps, tempo order."""
        reps = self._counted()
        if not reps:
            return None
        m = np.nanmean(np.array([r.tempo_s for r in reps], float), axis=0)
        return float(m[0]), float(m[1]), float(m[2]), float(m[3])

    @property
    def mean_tempo(self) -> str:
        """``2.1-0.8-1.0-0.6``: the mean phase durations (s), "" without reps."""
        t = self.mean_tempo_s
        return "" if t is None else "-".join(f"{v:.1f}" for v in t)

    @property
    def best_rep(self) -> int | None:
        """Number of the counted rep with the highest MCV (the fastest), None without one."""
        best = self.counted.best({r.number: r.mcv_m_s for r in self.reps})
        return best[0] if best else None

    @property
    def best_mcv(self) -> float | None:
        """MCV (m/s) of :attr:`best_rep`: the set's point on the load-velocity profile."""
        best = self.counted.best({r.number: r.mcv_m_s for r in self.reps})
        return best[1] if best else None

    @property
    def mean_mcv(self) -> float | None:
        """Mean MCV (m/s) of the counted reps."""
        return self.counted.mean({r.number: r.mcv_m_s for r in self.reps})

    @property
    def mean_rom(self) -> float | None:
        """Mean ROM (m) of the counted reps."""
        return self.counted.mean({r.number: r.rom_m for r in self.reps})


def to_kg(load: float | None, unit: str) -> float | None:
    """A load in kg from the session's unit ("kg" or "lb"); None stays None."""
    if load is None or not np.isfinite(load):
        return None
    return float(load) * LB_TO_KG if unit.strip().lower() in ("lb", "lbs") else float(load)


def session_sets(session: Session) -> list[SetRecord]:
    """The measured sets of one session (recordings without a track or scale are skipped
    with a warning on the record, since their velocities are not in m/s)."""
    out: list[SetRecord] = []
    readiness = {"slept_well": session.readiness.slept_well,
                 "recovered": session.readiness.recovered, "pain": session.readiness.pain}
    settings = session_settings(session)
    for rec in session.recordings:
        load = session.load_of(rec)
        record = SetRecord(session_id=session.id, date=session.date, lifter=session.lifter,
                           exercise=session.exercise, set_number=rec.set_number,
                           load_kg=to_kg(load, session.load_unit), reps=[],
                           velocity_loss_pct=None, path_consistency=None,
                           readiness=readiness, recording_id=rec.id,
                           prescribed_tempo=settings.prescribed_tempo or "",
                           tracked_point=rec.track.target if rec.track is not None else "")
        try:
            res = analyze_recording(rec, session.exercise, settings)
        except ValueError as exc:
            record.warnings.append(str(exc))
            out.append(record)
            continue
        if res is None:
            record.warnings.append("not tracked")
        elif res.units != "m":
            record.warnings.append("not calibrated: velocities in px/s are left out")
        elif res.weightlifting is not None:
            record.attempts = [AttemptPoint(a.number, not a.missed, float(a.peak_velocity_m_s),
                                            float(a.peak_height_m), float(a.catch_height_m))
                               for a in res.weightlifting.attempts]
            if not record.attempts:
                record.warnings.append("no attempt found")
        else:
            for r in res.reps:
                if r.status not in ("valid", "partial"):
                    continue
                m = r.metrics
                # judged as analysis.lift.result.tempo_compliance: full reps only
                ok = None if r.tempo_check is None or r.status != "valid" \
                    else all(r.tempo_check.values())
                record.reps.append(RepPoint(r.number, float(m.mean_concentric_velocity),
                                            float(m.peak_concentric_velocity), float(m.rom),
                                            r.tempo_text, (float(r.tempo[0]), float(r.tempo[1]),
                                                           float(r.tempo[2]), float(r.tempo[3])),
                                            ok, r.status, tuple(r.flags)))
            vl = res.set_metrics.velocity_loss
            record.velocity_loss_pct = vl.best_last_pct
            record.path_consistency = res.set_metrics.path_consistency
        out.append(record)
    return out


def collect_history(store: Any, lifter: str, exercise: str) -> list[SetRecord]:
    """Every set of ``lifter`` doing ``exercise`` in the library, oldest first.

    ``exercise`` matches the session's exercise text (case, underscores and hyphens
    aside: :func:`analysis.lift.exercises.exercise_key`), or, when nothing matches, the
    same lift written another way ("squat" for "back squat":
    :func:`analysis.lift.exercises.same_exercise`). Another lift with the same lift
    profile is never gathered (a deadlift shown as a clean and jerk): an empty list then.
    """
    key = exercise_key(exercise)
    mine = store.list_sessions(lifter=lifter)
    summaries = [s for s in mine if exercise_key(s.exercise) == key]
    if not summaries:
        summaries = [s for s in mine if same_exercise(s.exercise, exercise)]
    sets: list[SetRecord] = []
    for s in sorted(summaries, key=lambda s: (s.date, s.id)):
        sets.extend(session_sets(store.get(s.id)))
    return sets


SET_COLUMNS = ("date", "session_id", "lifter", "exercise", "set", "load_kg", "reps",
               "best_mcv_m_s", "mean_mcv_m_s", "velocity_loss_pct", "mean_rom_m",
               "path_consistency", "slept_well", "recovered", "pain", "mean_tempo_s",
               "prescribed_tempo", "tempo_compliance_pct", "attempts", "made",
               "best_peak_velocity_m_s", "best_peak_height_m", "best_rep", "left_out")
REP_COLUMNS = ("date", "session_id", "set", "load_kg", "rep", "mcv_m_s", "peak_velocity_m_s",
               "rom_m", "tempo", "tempo_ok", "attempt", "made", "peak_height_m",
               "catch_height_m", "in_set_numbers", "flags")


def _f(v: float | None, nd: int = 4) -> str:
    return "" if v is None or not np.isfinite(v) else f"{v:.{nd}f}"


def history_csv(sets: list[SetRecord]) -> tuple[str, str]:
    """(sets CSV, reps CSV) texts; columns as ``SET_COLUMNS`` and ``REP_COLUMNS`` (the
    reps CSV has a row per attempt for a snatch, clean or jerk)."""
    a, b = io.StringIO(), io.StringIO()
    wa, wb = csv.writer(a, lineterminator="\n"), csv.writer(b, lineterminator="\n")
    wa.writerow(SET_COLUMNS)
    wb.writerow(REP_COLUMNS)
    for s in sets:
        r = s.readiness
        wa.writerow([s.date, s.session_id, s.lifter, s.exercise, s.set_number, _f(s.load_kg, 2),
                     len(s.reps), _f(s.best_mcv), _f(s.mean_mcv), _f(s.velocity_loss_pct, 1),
                     _f(s.mean_rom), _f(s.path_consistency), r.get("slept_well", ""),
                     r.get("recovered", ""), r.get("pain", ""), s.mean_tempo,
                     s.prescribed_tempo, _f(s.tempo_compliance_pct, 0),
                     len(s.attempts) if s.attempts else "",
                     sum(at.made for at in s.attempts) if s.attempts else "",
                     _f(s.best_velocity) if s.attempts else "", _f(s.best_peak_height),
                     s.best_rep or "", s.left_out_note()])
        counted = s.counted
        for p in s.reps:
            wb.writerow([s.date, s.session_id, s.set_number, _f(s.load_kg, 2), p.number,
                         _f(p.mcv_m_s), _f(p.peak_m_s), _f(p.rom_m), p.tempo,
                         "" if p.tempo_ok is None else str(p.tempo_ok).lower(), "", "", "",
                         "", str(p.number in counted).lower(), "; ".join(p.flags)])
        for at in s.attempts:  # a snatch, clean or jerk: a row per attempt
            wb.writerow([s.date, s.session_id, s.set_number, _f(s.load_kg, 2), "", "",
                         _f(at.peak_m_s), "", "", "", at.number, str(at.made).lower(),
                         _f(at.peak_height_m), _f(at.catch_height_m), "", ""])
    return a.getvalue(), b.getvalue()
