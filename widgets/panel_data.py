"""The analysis panel's view model: the numbers of an :class:`AnalysisResult` as the panel
shows them (:func:`panel_data`): heights up from the set's lowest point, lengths in m (or px
before calibration), reps with their tempo against the prescribed one, the summary lines and
the warnings as sentences. No widget here: the panel (:mod:`widgets.analysis_panel`), the
report and the tests read the same view."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from analysis.lift.rep_metrics import tempo_misses
from analysis.lift.result import AnalysisResult, AnalysisSettings, tempo_compliance_text
from analysis.session.measurement import (NOT_CALIBRATED, MeasurementNotes,
                                          mcv_sd_source, measurement_notes)
from widgets.attempt_panel import AttemptsView, attempts_view, summary_lines

__all__ = ["NOT_CALIBRATED", "PanelData", "RepView", "mpv_tip", "panel_data"]

@dataclass
class RepView:
    number: int
    phases: list[tuple[str, float, float]]
    mean_velocity: float
    peak_velocity: float
    rom: float
    drift: float
    tempo: str
    notation: str
    holds: list[tuple[float, float, float]] = field(default_factory=list)  # start, end, share
    sticking: tuple[float, float] | None = None  # t, share of ROM
    status: str = "valid"
    tempo_parts: tuple[float, float, float, float] = (0, 0, 0, 0)
    propulsive_velocity: float | None = None  # MPV; None without a metric scale
    flags: list[str] = field(default_factory=list)  # why the rep's numbers are doubtful
    #: against the session's prescribed tempo: None without one, else the phases missed
    #: in words ("eccentric 2.1 s, wanted 3 s"); an empty list = on tempo
    tempo_misses: list[str] | None = None
    #: standard deviation of ``mean_velocity`` (what it counts: PanelData.mcv_sd_source);
    #: None when unknown
    mean_velocity_sd: float | None = None
    #: the boundaries set by hand (names of analysis.lift.rep_overrides.BOUNDARIES)
    moved: tuple[str, ...] = ()
    #: "split" or "merged" when the rep was split or merged by hand, "" as detected
    edited: str = ""

    @property
    def start(self) -> float:
        return min(p[1] for p in self.phases) if self.phases else 0.0


@dataclass
class PanelData:
    t: np.ndarray
    x: np.ndarray
    height: np.ndarray
    velocity: np.ndarray
    unit: str  # "m" or "px"
    reps: list[RepView]
    summary: list[str]
    prescribed: str | None = None  # the session's prescribed tempo (3-1-X-0)
    warning: str = ""
    calibrated: bool = True  # False: the banner offers the calibration
    attempts: AttemptsView | None = None  # a snatch, clean or jerk: attempts, not reps
    #: the summary in full (how the tempo is checked, where the scale came from): the
    #: summary's tooltip; its lines are kept short so the rep table keeps its room
    summary_full: list[str] = field(default_factory=list)
    #: what the reps' MCV ± counts, in words (the track's position noise, and the scale's
    #: when a plate measured in the clip gave it one)
    mcv_sd_source: str = "the track's position noise"


def panel_data(r: AnalysisResult) -> PanelData:
    """The panel's view of an analysis: heights up from the set's lowest point, horizontal
    positions from the bar's place there (m, or px before calibration), reps, summary."""
    k = r.kinematics
    if r.weightlifting is not None:
        return _attempts_data(r)
    low = int(np.nanargmin(k.height)) if np.isfinite(k.height).any() else 0
    height = k.height_from_lowest()
    x = k.x - k.x[low]
    reps = []
    for rep in r.reps:
        m = rep.metrics
        sp = m.sticking_point
        reps.append(RepView(
            number=rep.number,
            phases=[(kind, s, e) for kind, (s, e) in rep.phases.items()],
            mean_velocity=m.mean_concentric_velocity, peak_velocity=m.peak_concentric_velocity,
            rom=m.rom, drift=m.drift_max, tempo=rep.tempo_text, notation=rep.tempo_notation,
            holds=[(h.start, h.end, h.height_pct / 100.0) for h in rep.holds],
            sticking=(sp.time, sp.height_pct / 100.0) if sp else None, status=rep.status,
            tempo_parts=tuple(rep.tempo), propulsive_velocity=m.mean_propulsive_velocity,
            flags=list(rep.flags), tempo_misses=_tempo_misses(rep, r.prescribed_tempo),
            mean_velocity_sd=m.mean_concentric_velocity_sd, moved=tuple(rep.moved),
            edited=rep.edited))
    sm = r.set_metrics
    vl = sm.velocity_loss
    u = "m/s" if r.units == "m" else "px/s"
    way = "bar down first" if r.direction == "down_first" else "bar up first"
    if r.lift_chosen:
        what = f"{r.lift}, {way}"
        if r.direction_source == "motion":
            what += " (read from the motion: set the exercise to change it)"
    else:  # no exercise: say what was read from the bar, not a lift the user did not name
        what = f"{way}, read from the motion: set the exercise to change it"
    lines = [f"<b>{sm.rep_count} rep{'' if sm.rep_count == 1 else 's'}</b> ({what})"]
    # which reps the set's numbers leave out (the rule: analysis.lift.counted): on the
    # count's line, the reasons in the tooltip (a line more took the rep table's room)
    note, short = sm.counted.note(of=" of the set's numbers"), sm.counted.short_note()
    if short:
        lines[0] += f" · ⚑ {short}"
    loss = sm.loss_text(short=True)
    flag = " ⚠ over threshold" if vl.flagged else ""
    if loss:
        lines.append(f"Velocity loss {loss}{flag}")
    full = list(lines)
    if loss:  # the tooltip says it in full
        full[-1] = f"Velocity loss {sm.loss_text()}{flag}"
    if note:
        full.insert(1, "⚑ " + note[:1].upper() + note[1:])
    if sm.best_mcv is not None and sm.fastest_rep is not None:  # in the tooltip: the table
        mean = f", mean MCV {sm.mean_mcv:.2f} {u}" if sm.mean_mcv is not None else ""
        full.append(f"Best MCV {sm.best_mcv:.2f} {u} (rep {sm.fastest_rep}){mean}, over "
                    f"the reps in the set's numbers")
    if r.prescribed_tempo:
        # which reps are judged, as the velocity loss names them: "counted" here (the reps
        # left out are on the count's line), the reasons and how a phase is checked in the
        # tooltip
        head = f"Prescribed tempo {r.prescribed_tempo}: "
        lines.append(head + tempo_compliance_text(r.reps, short=True))
        full.append(f"{head}{tempo_compliance_text(r.reps)}. {TEMPO_RULE_TEXT}")
    if sm.path_consistency is not None:
        pc = sm.path_consistency * (100 if r.units == "m" else 1)
        lines.append(f"Bar-path consistency: {pc:.1f} {'cm' if r.units == 'm' else 'px'} RMS")
        full.append(lines[-1])
    basis = f"Velocities in {u}; filter {k.cutoff_hz:.1f} Hz{' (auto)' if k.cutoff_auto else ''}"
    full.append(basis)
    notes = measurement_notes(r)
    if r.units == "m" and r.m_per_px:
        # the scale on the same line; where it came from (plate, frames) and how sure it
        # is in the tooltip
        basis += f"; {r.m_per_px * 1000:.3f} mm/px"
        full += notes.scale
    lines.append(basis)
    warning = _warning_text(r, notes)
    return PanelData(k.t, x, height, k.vy, r.units, reps, lines, warning=warning,
                     calibrated=r.units == "m", prescribed=r.prescribed_tempo,
                     summary_full=full, mcv_sd_source=mcv_sd_source(r))


def mpv_tip(mcv: float, mpv: float | None) -> str:
    """The MPV cell's tooltip: what MPV is (Sánchez-Medina, Pérez & González-Badillo 2010),
    and why it equals the MCV when it does (coaches took identical columns for MPV not
    being computed)."""
    tip = "mean propulsive velocity: until the bar decelerates faster than gravity"
    if mpv is None:
        return tip + " (needs the scale in metres)"
    if abs(mpv - mcv) <= 1e-6 * max(abs(mcv), 1e-9):
        tip += ("; equal to the MCV here: the bar never braked harder than gravity before "
                "lockout, as usual on slow and heavy reps")
    return tip


#: How close a phase must be to the prescribed one, as the analysis checks it
#: (:func:`analysis.lift.rep_metrics.check_tempo`)
TEMPO_TOLERANCE_TEXT = (f"{AnalysisSettings().tempo_tolerance_s:g} s a phase; "
                        "X = driven up without a stop")
#: The rule in full, for the summary's tooltip and the report: X is explosive intent
#: (Poliquin's notation), not a time; a heavy rep driven as fast as possible can take 2 s
TEMPO_RULE_TEXT = (f"Checked: ± {TEMPO_TOLERANCE_TEXT}. X means explosive intent (drive "
                   "the bar up as fast as possible): it is met when the concentric is driven without a stop (no hold in it), however "
                   "long it takes, since a heavy rep driven all out can take 2 s; its speed is "
                   "in the MCV and velocity loss. A concentric under "
                   f"{AnalysisSettings().notation_x_under_s:g} s is written X in each rep's "
                   "tempo.")


def _tempo_misses(rep, prescribed: str | None) -> list[str] | None:
    """The phases of ``rep`` that missed ``prescribed`` (from the analysis' tempo_check),
    each as "eccentric 2.1 s, wanted 3 s"; None without a prescribed tempo, or for a rep
    that is not judged against it (not a full rep: see
    :func:`analysis.lift.result.tempo_compliance`; its ✓ / ✗ beside "0 of 2 reps on tempo"
    contradicted the count). A prescribed X is missed only where the drive stopped
    (:func:`analysis.lift.rep_metrics.check_tempo`), never for taking long."""
    if not prescribed or rep.tempo_check is None or rep.status != "valid":
        return None
    return tempo_misses(rep.tempo, rep.tempo_check, prescribed, rep.holds)


def _warning_text(r: AnalysisResult, notes: MeasurementNotes) -> str:
    """The panel's warning lines (:func:`analysis.session.measurement.measurement_notes`):
    the plate measurement's warning (⚠), every other warning, then the point tracked and
    the camera's motion; :data:`NOT_CALIBRATED` first without a scale."""
    lines = [f"⚠ {w}" if w == notes.calibration_warning else w for w in notes.warnings]
    if r.units != "m":
        lines.insert(0, NOT_CALIBRATED)
    return "\n".join([*lines, *notes.point_and_camera])


def _attempts_data(r: AnalysisResult) -> PanelData:
    """The panel's view of a snatch, clean or jerk (see :mod:`widgets.attempt_panel`)."""
    view, height, x = attempts_view(r)
    return PanelData(r.kinematics.t, x, height, r.kinematics.vy, r.units, [],
                     summary_lines(r, view), warning=_warning_text(r, measurement_notes(r)),
                     attempts=view, calibrated=r.units == "m")
