"""One entry point from a recording to its analysis, used by the app, the command line,
the session report and the comparison, so all four show the same numbers."""

from __future__ import annotations

import copy
import hashlib
import os
import pickle
import threading
from collections import OrderedDict
from typing import Any

import numpy as np

from analysis.lift.attempts import add_attempts
from analysis.lift.exercises import lift_for, weightlifting_for
from analysis.lift.result import AnalysisResult, AnalysisSettings, analyze_track
from analysis.lift.weightlifting_result import WeightliftingResult
from analysis.session.document import Recording, Session
from analysis.session.track import (POINT_REASON, TARGET_POINT, TARGET_UNKNOWN,
                                    UNKNOWN_TARGET_SAID, plate_scale_note, sampling_problem)
from analysis.video.capture import TimeScale
from analysis.video.index import VideoIndex


def recording_time_scale(recording: Recording, index: VideoIndex | None = None) -> TimeScale:
    """File time -> real time of a recording (slow motion): the user's capture rate
    (``recording.capture_fps``), else the one its video declares (from ``index``, or
    read from the video file's metadata when it is where the recording says), else
    real time."""
    user = recording.capture_fps or None
    if index is not None:
        return TimeScale.of(index, user)
    t = recording.track.t if recording.track is not None else np.zeros(0)
    video = recording.video_path if user is None and os.path.isfile(recording.video_path) \
        else None
    return TimeScale.for_times(t, user, video)


def session_settings(session: Session | None) -> AnalysisSettings:
    """The analysis settings a session asks for: its prescribed tempo (Details → Tempo)
    checked on every rep; defaults otherwise (a damaged tempo is left out)."""
    tempo = (session.tempo if session is not None else "").strip()
    try:
        return AnalysisSettings(prescribed_tempo=tempo or None)
    except ValueError:
        return AnalysisSettings()


def analyze_recording(recording: Recording, exercise: str | None,
                      settings: AnalysisSettings | None = None,
                      time_scale: TimeScale | None = None) -> AnalysisResult | None:
    """Analyse a recording from its track, calibration and rep corrections.

    Parameters
    ----------
    recording : Recording
        Its ``track`` (px, s), ``calibration`` (m/px) and ``rep_overrides`` are used.
    exercise : str
        The session's exercise (free text, e.g. "back squat") or a lift profile name;
        :func:`analysis.lift.exercises.lift_for` picks the profile; a snatch, clean or
        jerk (:func:`analysis.lift.exercises.weightlifting_for`) also gets its attempts
        in ``result.weightlifting`` (:func:`analysis.lift.attempts.add_attempts`); without a
        metric scale that has no attempts (units ``"px"``) and a warning asks for the
        calibration.
    settings : AnalysisSettings, optional
    time_scale : TimeScale, optional
        File time -> real time (slow motion); default :func:`recording_time_scale`.
        Every time and velocity of the result is real time; the scale is reported in
        the result's ``calibration["time"]``.

    Returns
    -------
    AnalysisResult or None
        None when the recording has no track, or no frame with a position.

    Raises
    ------
    ValueError
        When the track cannot be analysed (too short, too few positions, frame times
        damaged: see :func:`analysis.session.track.sampling_problem`), in plain words.
    """
    tr = recording.track
    if tr is None or not tr.valid.any():
        return None
    problem = sampling_problem(tr.t[tr.valid])
    if problem:
        raise ValueError(f"The bar track cannot be analysed: {problem}.")
    cal = recording.calibration
    ts = time_scale or recording_time_scale(recording)
    provenance = cal.provenance() if cal else {}
    if ts.retimed or ts.capture_fps:
        provenance["time"] = ts.to_dict()
    x, y = tr.room_xy()  # against the room: a hand-held camera's own motion taken out
    res = _analyze_track_cached(np.asarray(ts.real(tr.t), float), x, y,
                                m_per_px=cal.m_per_px if cal else None,
                                lift=lift_for(exercise), settings=settings,
                                overrides=recording.rep_overrides, confidence=tr.confidence,
                                state=tr.state, frame=tr.frames,
                                calibration=provenance or None,
                                exercise=(exercise or "").strip() or None)
    profile = weightlifting_for(exercise)
    if profile is not None:
        add_attempts(res, profile)
        if res.weightlifting is None and res.units != "m":
            # not measured without a scale: still an attempt, never read as reps (a clean
            # and jerk shown as "1 rep (deadlift, bar up first)" with a squat's tempo)
            res.weightlifting = WeightliftingResult(profile.lift, [], None, "px")
    # which point was tracked, and when the camera moved (shown with the analysis)
    said = f"tracked point: the {tr.target_name}"
    if tr.target == TARGET_POINT:
        said += f" ({POINT_REASON})"
    elif tr.target == TARGET_UNKNOWN:
        said = UNKNOWN_TARGET_SAID
    depth = plate_scale_note(tr.target, cal is not None and cal.at_plate)
    res.warnings[:0] = [said, *([depth] if depth else []), *tr.notes]
    return res


#: Analyses kept for identical inputs (the rep boundary fits take about a second a set;
#: undo, switching views, the report and the export ask again for the same numbers).
_CACHE_SIZE = 24
_cache: OrderedDict[bytes, AnalysisResult] = OrderedDict()
_cache_lock = threading.Lock()


def _analyze_track_cached(*args: Any, **kwargs: Any) -> AnalysisResult:
    """:func:`analysis.lift.result.analyze_track`, remembered by the exact bytes of its
    inputs (a digest of their pickle); each caller gets its own copy of the result."""
    try:
        key = hashlib.sha256(pickle.dumps((args, sorted(kwargs.items())), 5)).digest()
    except Exception:  # noqa: BLE001 - an input that cannot be pickled is not cached
        return analyze_track(*args, **kwargs)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
    if hit is not None:
        return copy.deepcopy(hit)
    res = analyze_track(*args, **kwargs)
    with _cache_lock:
        _cache[key] = copy.deepcopy(res)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return res
