"""One entry point from a recording to its analysis, used by the app, the command line,
the session report and the comparison, so all four show the same numbers."""

from __future__ import annotations

from analysis.lift.exercises import lift_for
from analysis.lift.result import AnalysisResult, AnalysisSettings, analyze_track
from analysis.session.document import Recording


def analyze_recording(recording: Recording, exercise: str | None,
                      settings: AnalysisSettings | None = None) -> AnalysisResult | None:
    """Analyse a recording from its track, calibration and rep corrections.

    Parameters
    ----------
    recording : Recording
        Its ``track`` (px, s), ``calibration`` (m/px) and ``rep_overrides`` are used.
    exercise : str
        The session's exercise (free text, e.g. "back squat") or a lift profile name;
        :func:`analysis.lift.exercises.lift_for` picks the profile.
    settings : AnalysisSettings, optional

    Returns
    -------
    AnalysisResult or None
        None when the recording has no track, or no frame with a position.

    Raises
    ------
    ValueError
        When the track cannot be analysed (too short, too few positions), in plain words.
    """
    tr = recording.track
    if tr is None or not tr.valid.any():
        return None
    cal = recording.calibration
    return analyze_track(tr.t, tr.x, tr.y, m_per_px=cal.m_per_px if cal else None,
                         lift=lift_for(exercise), settings=settings,
                         overrides=recording.rep_overrides, confidence=tr.confidence,
                         state=tr.state, frame=tr.frames,
                         calibration=cal.provenance() if cal else None)
