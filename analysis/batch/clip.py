"""One video to a measured set: open, find the plate (or follow a given point), track,
calibrate, analyse. ``liftlens analyze VIDEO`` and ``liftlens batch`` both call
:func:`analyze_video`, and both write results with :func:`result_json` and
:func:`track_csv`, so a clip measured in a batch gives the same numbers and files
as the same clip measured alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # loaded when measuring: opening a clip first lets its decoding overlap them
    from analysis.lift.result import AnalysisResult, AnalysisSettings
    from analysis.video import VideoSource

#: Short reasons for a clip that could not be measured (the ``reason`` of a summary row);
#: a file that cannot be opened gives its :class:`analysis.video.errors.VideoError` kind:
#: "does not exist", "broken link", "a folder", "empty file", "cannot be read", "file ends
#: early" or "not a video". A clip whose file ends early (fewer frames readable than its
#: header declares) that cannot be measured fails as "file ends early", whatever else
#: went wrong in the few frames there are (:func:`ends_early`).
NOT_A_VIDEO = "not a video"
NO_PLATE = "no plate found"
TOO_SHORT = "too short"
NO_CALIBRATION = "plate not measured"
FAILED = "analysis failed"

#: Fewer frames than this cannot hold a rep (about 0.3 s at 30 fps).
MIN_FRAMES = 10


def ends_early(exc: ClipError, warnings: Sequence[str]) -> ClipError:
    """``exc``, or when the clip's index ``warnings`` say the file ends early, a
    ``file ends early`` error giving that first, then what failed: a clip cut short
    (10 of 175 frames) was reported only as "no plate found", and the coach looked for a
    plate problem instead of copying the file again."""
    from analysis.video.errors import ENDS_EARLY

    cut = next((w for w in warnings if w.startswith("The file ends early")), None)
    if cut is None or exc.reason == ENDS_EARLY:
        return exc
    head = cut.replace("; what is there is shown.", ".")  # the app's wording: it shows them
    return ClipError(ENDS_EARLY, f"{head} Copy it again from the phone or camera. In the "
                     f"frames there are: {exc}")


class SeedFrameOutside(ValueError):
    """The frame asked to start on (``--seed-frame``, a batch manifest's ``seed_frame``) is
    not in the clip; ``frame_count`` is how many frames it has."""

    def __init__(self, seed_frame: int, frame_count: int) -> None:
        super().__init__(f"--seed-frame must be between 0 and {frame_count - 1}")
        self.seed_frame, self.frame_count = seed_frame, frame_count


class ClipError(Exception):
    """A clip that cannot be measured.

    ``reason`` is one of the short reasons above (for tables); ``str(exc)`` is the
    full sentence for the user.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class VideoAnalysis:
    """What :func:`analyze_video` measured.

    Attributes
    ----------
    result : AnalysisResult
    track : dict
        ``Track.to_dict()`` (what a session's recording stores).
    calibration : dict
        ``Calibration.to_dict()`` with ``m_per_px`` (what a recording stores), or
        ``{}`` without one.
    notes : list of str
        Warnings about the measurement itself (e.g. an oblique plate), for the user.
    """

    result: AnalysisResult
    track: dict[str, Any]
    calibration: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    @property
    def tracking(self) -> dict[str, Any]:
        """Which point was tracked and what the tracker noticed (the ``tracking`` part of
        the result file): ``target`` (plate / bar_end / point, or unknown when the track
        does not say), ``target_name`` in words, ``camera_compensated`` and ``notes``."""
        from analysis.session.track import TARGET_NAMES, TARGET_UNKNOWN

        target = self.track.get("target", TARGET_UNKNOWN)
        return {"target": target, "target_name": TARGET_NAMES.get(target, target),
                "camera_compensated": self.track.get("camera_x") is not None,
                "notes": list(self.track.get("notes", []))}


def open_clip(path: str, seed_frame: int = 0) -> VideoSource:
    """Open ``path`` for :func:`analyze_video` and start decoding from ``seed_frame`` at once
    (:meth:`VideoSource.read_ahead`), where the tracking starts whether the point to follow
    is given or found there, so the decoding overlaps what the caller loads and checks
    before :func:`analyze_video` (about 0.1 s of imports for ``liftlens analyze``) and the
    plate search.

    Raises
    ------
    ClipError
        ``TOO_SHORT``, or why the file cannot be opened (see :func:`analyze_video`).
    ValueError
        ``seed_frame`` outside the clip.
    """
    from analysis.video import VideoError, VideoSource

    from analysis.video.errors import naming_path

    try:
        source = VideoSource(path)
    except VideoError as exc:
        # why in short words (a missing, empty or cut-off file is not "not a video"); the
        # file named by its path, as given on the command line or found in a batch
        raise ClipError(exc.kind or NOT_A_VIDEO, naming_path(str(exc), path)) from None
    n = source.index.frame_count
    if n < MIN_FRAMES:
        source.close()
        raise ends_early(ClipError(TOO_SHORT, f"the clip has {n} frame(s); a rep needs at "
                                   f"least {MIN_FRAMES}"), source.index.warnings)
    if not 0 <= seed_frame < n:
        source.close()
        raise SeedFrameOutside(seed_frame, n)
    source.read_ahead(seed_frame)
    return source


def analyze_video(path: str | VideoSource, *, lift: str | None = None,
                  settings: AnalysisSettings | None = None,
                  overrides: dict[str, Any] | None = None, plate_mm: float | None = None,
                  m_per_px: float | None = None, seed: tuple[float, float] | None = None,
                  seed_frame: int = 0, capture_fps: float | None = None,
                  target: str = "auto", camera: bool = True) -> VideoAnalysis:
    """Measure the set filmed in ``path``.

    Parameters
    ----------
    path : str or VideoSource
        The video file, or the clip opened by :func:`open_clip` (closed here).
    lift : str or None
        ``analysis.lift.rep_phases.LIFTS``; None: the direction from the motion.
    settings, overrides
        As :func:`analysis.lift.result.analyze_track`.
    plate_mm : float, optional
        Diameter of the plate (mm): the plate rim is measured around the track
        (:func:`analysis.calibration.scale.measure_plate`) and lengths are metres.
    m_per_px : float, optional
        A known scale instead (ignored when ``plate_mm`` is given).
    seed : (x, y), optional
        The point to follow (px, displayed image) on ``seed_frame``; without it the
        plate-like circles of that frame are tried in turn, the clearest plate first
        (:func:`analysis.calibration.scale.plate_candidates`), and when no rim can be
        followed the first one's centre is followed as a point.
    capture_fps : float, optional
        Slow motion: frames per real second the clip was filmed at; default what the
        file declares (:mod:`analysis.video.capture`), else real time. Every time and
        velocity of the result is real time; the scale is in ``calibration["time"]``.
    target : str
        What ``seed`` marks: ``plate`` (its centre, followed as the centre of the rim),
        ``bar_end``, ``point`` or ``auto`` (see :mod:`analysis.tracking.targets`); a found
        plate is followed as ``plate``.
    camera : bool
        Take the camera's own motion out of the bar path (``analysis.tracking.camera``).

    Raises
    ------
    ClipError
        With ``reason`` the ``kind`` of the :class:`~analysis.video.errors.VideoError`
        that stopped the opening (``NOT_A_VIDEO`` when it gives none), ``TOO_SHORT``
        (fewer than ``MIN_FRAMES`` frames), ``NO_PLATE`` (``seed`` absent and no
        plate-like circle), ``NO_CALIBRATION`` (``plate_mm`` given but no rim
        measured) or ``FAILED`` (the analysis refused the track).
    ValueError
        ``seed_frame`` outside the clip, or an implausible ``capture_fps``.
    """
    from analysis.video import VideoError, VideoSource

    source = path if isinstance(path, VideoSource) else open_clip(path, seed_frame)
    notes: list[str] = []
    try:
        # loaded after the clip is open: with a seed its first frames decode meanwhile
        import cv2

        from analysis.calibration.scale import measure_plate, plate_candidates
        from analysis.lift.result import analyze_track
        from analysis.tracking import BarTracker
        from analysis.video.capture import TimeScale

        ts = TimeScale.of(source.index, capture_fps)
        if seed is None:
            gray = cv2.cvtColor(_frame_at(source, seed_frame), cv2.COLOR_BGR2GRAY)
            found = plate_candidates(gray, limit=3)
            if not found:
                first = ", the clip's first" if seed_frame == 0 else ""
                raise ClipError(NO_PLATE, f"no plate was found in frame {seed_frame}{first} "
                                "(a title card, or a plate seen edge-on, mostly hidden or too "
                                "small, shows none); choose a frame where the plate is in "
                                "full view with --seed-frame N, or give --seed X,Y with the "
                                "bar end or plate centre")
            track = None
            if target == "auto":
                # the first plate whose rim the app would follow after "Track this plate"
                # (a click at its centre), followed exactly as there: the same point and
                # numbers from the app and from here (an ellipse is tried only for a plate
                # centre chosen as such, see analysis.tracking.targets)
                from analysis.tracking.targets import choose_target

                for x, y, _r in found:
                    if choose_target(gray, (x, y)).kind == "plate":
                        track = BarTracker().track(source, seed_frame, (x, y), target="auto",
                                                   camera=camera)
                        break
            for x, y, _r in found if track is None else ():  # the clearest plate first
                try:
                    track = BarTracker().track(source, seed_frame, (x, y),
                                               target="plate" if target == "auto" else target,
                                               camera=camera)
                    break
                except ValueError:
                    continue
            if track is None and target == "auto":
                # a plate seen too obliquely for its rim to be followed: its centre is
                # followed as the app does with a click there (bar end or point)
                track = BarTracker().track(source, seed_frame, found[0][:2], target="auto",
                                           camera=camera)
            if track is None:
                raise ClipError(NO_PLATE, f"no plate rim could be followed around the "
                                f"{len(found)} plate-like circle(s) found; give --seed X,Y "
                                "with the plate centre or the bar end")
        else:
            try:
                track = BarTracker().track(source, seed_frame, seed, target=target,
                                           camera=camera)
            except ValueError as exc:
                if target == "plate":
                    raise ClipError(NO_PLATE, str(exc)) from None
                raise
        notes.extend(source.index.warnings)  # e.g. a file that ends early
        notes.extend(track.notes)
        scale = m_per_px
        calibration: dict[str, Any] = {"source": "argument" if m_per_px else "none"}
        stored: dict[str, Any] = {"m_per_px": m_per_px, "source": "argument"} if m_per_px else {}
        if plate_mm is not None:
            ok = np.flatnonzero(np.isfinite(track.x))
            centres = {int(i): (float(track.x[i]), float(track.y[i])) for i in ok}
            try:
                cal = measure_plate(source, centres, plate_mm=plate_mm)
            except ValueError as exc:
                raise ClipError(NO_CALIBRATION, str(exc)) from None
            scale, stored = cal.m_per_px, cal.to_dict()
            calibration = {k: v for k, v in stored.items() if k != "m_per_px"}
            if cal.warning:
                notes.append(cal.warning)
            from analysis.session.track import plate_scale_note

            depth = plate_scale_note(track.target, cal.at_plate)
            if depth:
                notes.append(depth)
    except VideoError as exc:
        from analysis.video.errors import naming_path

        raise ClipError(exc.kind or NOT_A_VIDEO, naming_path(str(exc), source.path)) from None
    except ClipError as exc:
        raise ends_early(exc, source.index.warnings) from None
    finally:
        source.close()
    calibration["time"] = ts.to_dict()
    try:
        room_x, room_y = track.room_xy()  # the camera's own motion taken out
        result = analyze_track(np.asarray(ts.real(track.t), float), room_x, room_y,
                               m_per_px=scale, lift=lift,
                               settings=settings, overrides=overrides,
                               confidence=track.confidence, state=track.state,
                               calibration=calibration)
    except ValueError as exc:
        raise ends_early(ClipError(FAILED, str(exc)), source.index.warnings) from None
    return VideoAnalysis(result, track.to_dict(), stored, notes)


def _frame_at(source: VideoSource, n: int) -> np.ndarray:
    """Frame ``n`` (BGR, display orientation) for the plate search: frame 0 as decoded while
    the clip was indexed (not decoded a second time, and the read-ahead for the tracking
    goes on), another frame decoded now."""
    from analysis.video.index import take_first_picture

    picture = take_first_picture(source.index) if n == 0 else None
    if picture is None:
        return source.read(n).image
    return source.pack(picture, 0).to_frame().image


def result_json(res: AnalysisResult, tracking: dict[str, Any] | None = None) -> str:
    """The result file of ``liftlens analyze --json`` (docs/analysis-format.md), as text;
    ``tracking`` (:attr:`VideoAnalysis.tracking`) says which point was tracked."""
    import json

    doc = res.to_dict()
    if tracking:
        doc["tracking"] = tracking
    return json.dumps(doc, indent=1, allow_nan=False) + "\n"


def weightlifting_json(res: AnalysisResult, tracking: dict[str, Any] | None = None) -> str:
    """The result file of ``liftlens analyze --lift snatch|clean|jerk|clean_and_jerk --json``
    (``format: liftlens-weightlifting``, docs/analysis-format.md), as text: the attempts of
    ``res.weightlifting`` (:func:`analysis.lift.attempts.add_attempts`), the scale, the
    calibration (with ``m_per_px``, as in the generic file) and ``tracking``.

    Raises
    ------
    ValueError
        ``res`` has no attempts analysis.
    """
    import json

    wl = res.weightlifting
    if wl is None:
        raise ValueError("the result has no weightlifting attempts")
    doc = {"format": "liftlens-weightlifting", "version": 1, **wl.to_dict(),
           "m_per_px": res.m_per_px, "calibration": {"m_per_px": res.m_per_px, **res.calibration}}
    if tracking:
        doc["tracking"] = tracking
    return json.dumps(doc, indent=1, allow_nan=False) + "\n"


def track_csv(res: AnalysisResult) -> str:
    """The per-frame track of ``liftlens analyze --csv`` (a LiftLens track CSV), as text."""
    from analysis.io.track_csv import track_csv_text

    metric = res.calibration.get("track_units") == "m"  # a track read in metres
    return track_csv_text(res.frame, res.kinematics.t, res.x_px, res.y_px, res.confidence,
                          res.state, m_per_px=None if metric else res.m_per_px,
                          units="m" if metric else "px")
