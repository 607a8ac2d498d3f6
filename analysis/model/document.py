"""The document model: what the user is working on, with an event for every real change.

Views subscribe to these events when they are built and redraw from the model;
commands change the model only through its setters, so switching a session, a
clip or a comparison can never leave one view showing the previous one. Events
fire only when a value really changes (setting the same object, or an equal
track, calibration or correction set, is silent), which stops feedback loops
between a view and the model. The style follows napari's evented models, with
psygnal signals (plain Python, synchronous, no Qt).

Events (all synchronous, emitted after the model has changed):

``session_changed(session)``
    Another session (or none) is open. ``current`` has been reset to None first.
``session_edited(session)``
    The open session's fields (:meth:`edit_session`) or list of recordings changed, or a
    set's own load.
``current_changed(recording)``
    Another recording (or none) is on screen; ``video`` is its video index.
``track_changed(recording)``, ``calibration_changed(recording)``, ``overrides_changed(recording)``,
``capture_changed(recording)``
    That recording's analysis input changed; its analysis is dropped until
    ``analysis_ready`` brings the new one.
``annotations_changed(recording)``
    That recording's drawings or key moments changed (after the edit).
``left_at_changed(recording)``
    Where the user left that recording (``Recording.left_at``) changed, or it became
    the set on screen (``Session.on_screen``): saved with the session, not an input of
    the analysis.
``analysis_ready(recording)``
    ``analysis(recording)`` holds the new result (None: nothing to analyse).
``comparison_changed(comparison)``
    A comparison was entered (a :class:`Comparison`) or left (None).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from psygnal import Signal

from analysis.session.analyze import recording_time_scale
from analysis.session.calibration import Calibration
from analysis.session.document import Recording, Session
from analysis.session.overrides import Overrides
from analysis.session.track import Track
from analysis.video.capture import TimeScale

if TYPE_CHECKING:
    from analysis.lift.result import AnalysisResult
    from analysis.video.index import VideoIndex


@dataclass(eq=False)
class ComparisonSide:
    """One video of a comparison, and the recording that holds its analysis (found in the
    open session or elsewhere in the library; None when the video was never tracked)."""

    path: str
    video: VideoIndex
    recording: Recording | None = None
    #: the exercise of the session that recording belongs to (for its lift profile)
    exercise: str = ""
    #: the library session holding ``recording`` when it is not a set of the open session
    #: (another session of the library, or one made for a video tracked in the comparison):
    #: an edit made in the comparison is written there; None for a set of the open session
    session: Session | None = None
    #: the video's content fingerprint (:func:`analysis.session.portable.fingerprint`),
    #: made in the background by the library lookup; "" until then
    fingerprint: str = ""


@dataclass(eq=False)
class Comparison:
    """Two videos on a common timeline."""

    sides: list[ComparisonSide] = field(default_factory=list)
    id: str = ""


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if a is None or b is None:
        return False
    return bool(a == b)


class DocumentModel:
    """The open session and the recording on screen; see the module docstring for events."""

    session_changed = Signal(object)
    session_edited = Signal(object)
    current_changed = Signal(object)
    track_changed = Signal(object)
    calibration_changed = Signal(object)
    overrides_changed = Signal(object)
    capture_changed = Signal(object)
    annotations_changed = Signal(object)
    left_at_changed = Signal(object)
    analysis_ready = Signal(object)
    comparison_changed = Signal(object)

    def __init__(self) -> None:
        self.session: Session | None = None
        self.current: Recording | None = None
        self.video: VideoIndex | None = None
        self.comparison: Comparison | None = None
        self._analysis: dict[str, AnalysisResult | None] = {}
        self._errors: dict[str, str] = {}

    # -- what is open -------------------------------------------------------------------

    @property
    def exercise(self) -> str:
        """The open session's exercise ("" when none): decides the lift profile."""
        return self.session.exercise if self.session is not None else ""

    def open_session(self, session: Session | None) -> None:
        """Make ``session`` the open one; the recording on screen is closed first."""
        if session is self.session:
            return
        self.leave_comparison()
        self.set_current(None, None)
        self.session = session
        self._analysis.clear()
        self._errors.clear()
        self.session_changed.emit(session)

    def session_was_edited(self) -> None:
        """Say that the open session's fields or recordings changed (after the edit)."""
        if self.session is not None:
            self.session_edited.emit(self.session)

    def set_current(self, recording: Recording | None, video: VideoIndex | None) -> None:
        """Show ``recording`` (with its video's index), or nothing (both None)."""
        if (recording is None) != (video is None):
            raise ValueError("a recording is shown with its video, and none without")
        if recording is self.current and video is self.video:
            return
        self.current, self.video = recording, video
        self.current_changed.emit(recording)
        s = self.session
        if recording is not None and s is not None and s.recording(recording.id) is recording \
                and s.reopens_on() is not recording:
            s.on_screen = recording.id  # the session reopens on it
            self.left_at_changed.emit(recording)

    def close_video(self) -> None:
        """Nothing on screen: no recording, no comparison."""
        self.leave_comparison()
        self.set_current(None, None)

    def edit_session(self, session: Session, fields: dict[str, Any]) -> None:
        """Set the open session's details (``fields``: attribute name -> value, e.g.
        ``{"lifter": "Ann", "load": 100.0}``; loads in the session's unit); only a real
        change fires ``session_edited``, once.

        Raises
        ------
        ValueError
            When ``session`` is not the open one (an edit, or its undo, must never reach
            another session), or a field is not a session detail.
        """
        if session is not self.session:
            raise ValueError("that session is not the open one")
        unknown = [k for k in fields if k in ("recordings", "id") or not hasattr(session, k)]
        if unknown:
            raise ValueError(f"not a session detail: {', '.join(unknown)}")
        changed = {k: v for k, v in fields.items() if not _same(getattr(session, k), v)}
        for k, v in changed.items():
            setattr(session, k, v)
        if changed:
            self.session_was_edited()

    def set_load(self, recording: Recording, load: float | None) -> None:
        """Give ``recording`` (a set of the open session) its own load, in the session's
        unit; None: the set counts at the session's load (:meth:`Session.load_of`).

        Raises
        ------
        ValueError
            When it is not a recording of the open session, or ``load`` is negative.
        """
        if self.session is None or all(r is not recording for r in self.session.recordings):
            raise ValueError("that set is not in the open session")
        if load is not None and not load >= 0:
            raise ValueError(f"a load must be zero or more, not {load}")
        if recording.load == load:
            return
        recording.load = load
        self.session_was_edited()

    def remove_recording(self, recording: Recording) -> None:
        """Take ``recording`` (a set) out of the open session; the later sets are numbered
        down. When it is on screen, the screen empties first.

        Raises
        ------
        ValueError
            When it is not a recording of the open session.
        """
        if self.session is None or all(r is not recording for r in self.session.recordings):
            raise ValueError("that set is not in the open session")
        if self.current is recording:
            self.close_video()
        self.session.recordings = [r for r in self.session.recordings if r is not recording]
        if self.session.on_screen == recording.id:
            self.session.on_screen = None
        for n, r in enumerate(self.session.recordings, start=1):
            r.set_number = n
        self._analysis.pop(recording.id, None)
        self._errors.pop(recording.id, None)
        self.session_was_edited()

    # -- a recording's analysis inputs -----------------------------------------------------

    def set_track(self, recording: Recording, track: Track | None) -> None:
        if _same(recording.track, track):
            return
        recording.track = track
        self._inputs_changed(recording, self.track_changed)

    def set_calibration(self, recording: Recording, calibration: Calibration | None) -> None:
        if _same(recording.calibration, calibration):
            return
        recording.calibration = calibration
        self._inputs_changed(recording, self.calibration_changed)

    def set_overrides(self, recording: Recording, overrides: Overrides) -> None:
        if _same(recording.rep_overrides, overrides):
            return
        recording.rep_overrides = overrides
        self._inputs_changed(recording, self.overrides_changed)

    def set_capture_fps(self, recording: Recording, fps: float) -> None:
        """The frames per real second ``recording`` was filmed at (0: go by the file)."""
        fps = float(fps) if fps and fps > 0 else 0.0
        if fps == recording.capture_fps:
            return
        recording.capture_fps = fps
        self._inputs_changed(recording, self.capture_changed)

    def time_scale(self, recording: Recording | None = None) -> TimeScale:
        """File time -> real time of ``recording`` (default: the one on screen, with its
        video's index): the user's capture rate, else the file's (slow motion)."""
        rec = self.current if recording is None else recording
        if rec is None:
            return TimeScale.of(self.video) if self.video is not None else TimeScale()
        return recording_time_scale(rec, self.video if rec is self.current else None)

    def _inputs_changed(self, recording: Recording, event: Any) -> None:
        self._analysis.pop(recording.id, None)
        self._errors.pop(recording.id, None)
        event.emit(recording)

    def set_left_at(self, recording: Recording, t: float | None) -> None:
        """Where the user left ``recording``: the timestamp (s, file time) of the frame on
        screen, or None."""
        if t == recording.left_at:
            return
        recording.left_at = t
        self.left_at_changed.emit(recording)

    def annotations_were_edited(self, recording: Recording) -> None:
        """Say that ``recording``'s drawings or key moments changed (after the edit)."""
        self.annotations_changed.emit(recording)

    # -- derived ------------------------------------------------------------------------

    def analysis(self, recording: Recording | None) -> AnalysisResult | None:
        """The newest analysis of ``recording`` (None until ready, or when not tracked)."""
        return self._analysis.get(recording.id) if recording is not None else None

    def analysis_error(self, recording: Recording | None) -> str:
        """Why the newest analysis of ``recording`` failed, in plain words ("" when it did not)."""
        return self._errors.get(recording.id, "") if recording is not None else ""

    def has_analysis(self, recording: Recording) -> bool:
        return recording.id in self._analysis

    def set_analysis(self, recording: Recording, result: AnalysisResult | None,
                     error: str = "") -> None:
        """Store the analysis computed from ``recording``'s current inputs (None with the
        reason in ``error`` when it failed, None alone when there is nothing to analyse)."""
        if self.has_analysis(recording) and self._analysis[recording.id] is result and \
                self._errors.get(recording.id, "") == error:
            return
        self._analysis[recording.id] = result
        self._errors[recording.id] = error
        self.analysis_ready.emit(recording)

    # -- comparison ---------------------------------------------------------------------

    def enter_comparison(self, comparison: Comparison) -> None:
        if comparison is self.comparison:
            return
        self.comparison = comparison
        self.comparison_changed.emit(comparison)

    def leave_comparison(self) -> None:
        if self.comparison is not None:
            self.comparison = None
            self.comparison_changed.emit(None)
