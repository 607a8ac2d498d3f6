"""What a set's numbers rest on, in the words the app shows: how it was measured (the
scale, where it came from and how sure it is, the MCV's ±, the point tracked, the
camera) and its caveats (the plate measurement's warnings, every warning of the
analysis, the video file's, the reps left out of the velocity loss).

The analysis panel (:func:`widgets.panel_data.panel_data`) and the session report
(:mod:`app.session_report`) both say them from :func:`measurement_notes`, so what the
coach reads beside the plots is what the report sent to the lifter says.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from analysis.session.track import CAMERA_NOTE_START

if TYPE_CHECKING:
    from analysis.lift.result import AnalysisResult

NOT_CALIBRATED = "Not calibrated: distances in px and velocities in px/s."
#: How :func:`analysis.session.analyze.analyze_recording` starts the warning that names
#: the point tracked ("tracked point: the plate centre", "tracked point not recorded …")
TRACKED_POINT_START = "tracked point"
#: Said of a tracked set whose track carries no camera motion
NO_CAMERA_MOTION = ("No camera motion was taken out: the camera stood still, or its motion "
                    "was not measured.")
#: How sure a plate measurement is, when it is (analysis.calibration.verdict.certainty):
#: any other certainty is a caveat
SURE = "sure:"


@dataclass(frozen=True)
class MeasurementNotes:
    """One set's basis and caveats, each a sentence.

    Attributes
    ----------
    scale : list of str
        The scale (or :data:`NOT_CALIBRATED`), how sure a plate measurement is when it
        is sure, and what the MCV's ± counts.
    point : list of str
        The point tracked and the camera's motion (taken out, or none).
    warnings : list of str
        The video file's, the plate measurement's (camera not square; not sure), the
        analysis' (in its order) and the attempts' warnings.
    calibration_warning : str
        The plate measurement's warning among ``warnings`` ("" when none).
    flagged : str
        The reps left out of the set's numbers and why, as the analysis panel's tooltip
        says it (:meth:`analysis.lift.counted.CountedReps.note`; "" when every rep counts).
    """

    scale: list[str] = field(default_factory=list)
    point: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    calibration_warning: str = ""
    flagged: str = ""

    @property
    def how(self) -> list[str]:
        """How the set was measured: the scale, then the point and the camera."""
        return [*self.scale, *self.point]

    @property
    def caveats(self) -> list[str]:
        """Every warning, the reps left out last."""
        return [*self.warnings, *([self.flagged] if self.flagged else [])]

    @property
    def point_and_camera(self) -> list[str]:
        """The point tracked and the camera's motion when it moved (the analysis panel
        shows them under its warnings)."""
        return [w for w in self.point if w != NO_CAMERA_MOTION]


def sentence(text: str) -> str:
    """``text`` as a sentence of its own (capital, full stop)."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."




def scale_text(r: AnalysisResult) -> str:
    """The scale and where it came from ("Scale from plate 450 mm measured on 24 frames:
    0.612 mm/px"), or :data:`NOT_CALIBRATED`."""
    if r.units != "m" or not r.m_per_px:
        return NOT_CALIBRATED
    source = str(r.calibration.get("source", "") or "")
    scale = f"{r.m_per_px * 1000:.3f} mm/px"
    return f"Scale from {source}: {scale}" if source else f"Scale: {scale}"


def mcv_sd_text(r: AnalysisResult) -> str:
    """What each rep's MCV ± counts (one standard deviation: the track's position noise,
    and the scale's when a plate was measured in the clip); "" when no rep has one."""
    if not any(rep.metrics.mean_concentric_velocity_sd is not None
               and math.isfinite(rep.metrics.mean_concentric_velocity_sd) for rep in r.reps):
        return ""
    return f"MCV ± is one standard deviation, from {mcv_sd_source(r)}."


def mcv_sd_source(r: AnalysisResult) -> str:
    """What the reps' MCV ± counts, in words: "the track's position noise", and "and the
    scale's (± 1.2 %)" when a plate measured in the clip gave the scale its own SD
    (:func:`analysis.lift.result.with_scale_sd` folds it in)."""
    sd = r.calibration.get("scale_sd_pct") if r.units == "m" else None
    scale = f" and the scale's (± {float(sd):.1f} %)" if sd is not None else ""
    return f"the track's position noise{scale}"


def _is_tracked(text: str) -> bool:
    return text.lower().startswith(TRACKED_POINT_START)


def _is_camera(text: str) -> bool:
    return text.lower().startswith(CAMERA_NOTE_START)


def measurement_notes(r: AnalysisResult, video_warnings: Sequence[str] = ()
                      ) -> MeasurementNotes:
    """How the set of ``r`` was measured and its caveats (see :class:`MeasurementNotes`).

    Parameters
    ----------
    r : AnalysisResult
        Its ``calibration`` (source, certainty, warning, scale SD), ``warnings`` (the
        point tracked and the camera's motion come first from
        :func:`analysis.session.analyze.analyze_recording`), reps and attempts.
    video_warnings : sequence of str
        What is wrong with the video file itself (it ends early), said first.
    """
    cal = r.calibration
    scale = [sentence(scale_text(r))]
    warnings = [sentence(w) for w in video_warnings]
    warning = ""
    if r.units == "m" and r.m_per_px:
        warning = sentence(str(cal.get("warning", "") or ""))
        if warning:
            warnings.append(warning)
        how_sure = str(cal.get("certainty", "") or "").strip()
        if how_sure:
            said = sentence(f"the scale is {how_sure}")
            (scale if how_sure.lower().startswith(SURE) else warnings).append(said)
    if r.weightlifting is None and mcv_sd_text(r):
        scale.append(mcv_sd_text(r))
    tracked = [sentence(w) for w in r.warnings if _is_tracked(w)]
    camera = [sentence(w) for w in r.warnings if _is_camera(w)]
    point = tracked + (camera or ([NO_CAMERA_MOTION] if tracked else []))
    # "no calibration: …" is the scale's line
    warnings += [sentence(w) for w in r.warnings if "calibrat" not in w.lower()
                 and not _is_tracked(w) and not _is_camera(w)]
    if r.weightlifting is not None:
        wl = r.weightlifting
        warnings += [sentence(w) for w in wl.warnings]
        warnings += [sentence(f"attempt {a.number}: {w}") for a in wl.attempts
                     for w in a.warnings]
    left_out = r.set_metrics.counted.note(of=" of the set's numbers")
    flagged = "" if r.weightlifting is not None or not left_out else sentence(left_out)
    return MeasurementNotes(scale, point, warnings, warning, flagged)
