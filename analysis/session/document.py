"""The session document: one training day of one lifter, with its recordings.

A recording refers to a video file (path, size and a content fingerprint so a
moved file can be found again) and owns its drawings, key moments and the
inputs of the analysis (track, calibration, rep edits). Anything derived from
those (kinematics, reps, metrics) is recomputed, never stored as the truth.

Files carry ``format_version``; older versions are migrated step by step
(:mod:`analysis.session.migrations`). A file from a newer LiftLens opens when
its ``min_reader_version`` allows it, and everything this version does not
understand (unknown drawing types, unknown fields) is kept and written back.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from analysis.annotations.model import (Annotation, AnnotationError, KeyMoment,
                                        UnknownAnnotation, annotation_from_dict)
from analysis.session.calibration import Calibration
from analysis.session.errors import RecordingDataError, SessionFileError
from analysis.session.overrides import Overrides
from analysis.session.track import Track

FORMAT = "liftlens-session"
#: the document version this LiftLens writes (3: a recording's rep corrections may split
#: and merge reps, ``rep_overrides`` version 2)
FORMAT_VERSION = 3
#: the oldest reader that can open (and safely re-save) what this version writes: one
#: that does not know splits and merges would show the detected reps and drop them
MIN_READER_VERSION = 3
APP_VERSION = "0.1.0"
LOAD_UNITS = ("kg", "lb")


__all__ = ["APP_VERSION", "FORMAT", "FORMAT_VERSION", "LOAD_UNITS", "MIN_READER_VERSION",
           "Readiness", "Recording", "RecordingDataError", "Session", "SessionFileError",
           "session_from_dict"]


def _new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Readiness:
    """The short check before lifting.

    ``slept_well`` and ``recovered`` are each either yes/no (bool) or a 1..5 rating
    (1 = not at all, 5 = fully), or None when not answered. ``pain`` holds any pain
    or compensation noticed (also reachable as ``pain_or_compensation``); ``intent``
    says what the session is for.
    """

    slept_well: bool | int | None = None
    recovered: bool | int | None = None
    pain: str = ""
    intent: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pain_or_compensation(self) -> str:
        return self.pain

    @pain_or_compensation.setter
    def pain_or_compensation(self, value: str) -> None:
        self.pain = value

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.extra)
        d.update({"slept_well": self.slept_well, "recovered": self.recovered, "pain": self.pain,
                  "intent": self.intent})
        return d

    @classmethod
    def from_dict(cls, d: Any) -> Readiness:
        d = _obj(d, "readiness")
        known = {"slept_well", "recovered", "pain", "intent"}
        return cls(_rating(d.get("slept_well"), "slept well"),
                   _rating(d.get("recovered"), "recovered"), _text(d.get("pain", ""), "pain"),
                   _text(d.get("intent", ""), "intent"),
                   extra={k: v for k, v in d.items() if k not in known})


def _rating(v: Any, what: str) -> bool | int | None:
    if v is None or isinstance(v, bool):
        return v
    if not isinstance(v, int) or not 1 <= v <= 5:
        raise SessionFileError(f"readiness: {what} must be yes/no or 1 to 5")
    return v


@dataclass
class Recording:
    """One video of the session (usually one set) and everything drawn or measured on it.

    Attributes
    ----------
    video_path : str
        Where the video was when it was added (absolute path).
    video_size : int
        Its size in bytes (0 = unknown).
    video_fingerprint : str
        Its quick content hash (``analysis.session.portable.fingerprint``: SHA-256 of
        the size and the first, middle and last MiB), so a moved or renamed copy
        can be recognised; ``""`` = unknown. Also reachable as ``content_hash``.
    set_number : int
    load : float or None
        Load of this set in the session's unit, when it differs from the session's.
    annotations : list
        Drawings (:class:`Annotation`, or :class:`UnknownAnnotation` kept from a newer file).
    key_moments : list of KeyMoment
    track : Track or None
        The bar track (None until tracked).
    calibration : Calibration or None
        The scale (None: not calibrated; lengths in px).
    rep_overrides : Overrides
        The user's rep corrections (empty when none).
    capture_fps : float
        Slow motion: frames per real second the user says the video was filmed at
        (0 = go by the file; see :mod:`analysis.video.capture`). Stored in ``video``.
    left_at : float or None
        Where the user left this set: the timestamp (s, file time, like the drawings)
        of the frame on screen when they went to another set, another session or
        closed LiftLens; opening the set again shows that frame. None: never left
        (opens at the first frame). Stored as ``left_at_s``; files written before it
        existed simply lack it.
    id : str
        UUID.
    extra, video_extra : dict
        Fields from a newer LiftLens (of the recording, of its ``video`` object), kept.
    """

    video_path: str
    video_size: int = 0
    video_fingerprint: str = ""
    set_number: int = 1
    load: float | None = None
    annotations: list[Annotation | UnknownAnnotation] = field(default_factory=list)
    key_moments: list[KeyMoment] = field(default_factory=list)
    track: Track | None = None
    calibration: Calibration | None = None
    rep_overrides: Overrides = field(default_factory=Overrides)
    id: str = field(default_factory=_new_id)
    capture_fps: float = 0.0
    left_at: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    video_extra: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return self.video_fingerprint

    @content_hash.setter
    def content_hash(self, value: str) -> None:
        self.video_fingerprint = value

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.extra)
        video = dict(self.video_extra)
        video.update({"path": self.video_path, "size": self.video_size,
                      "fingerprint": self.video_fingerprint})
        if self.capture_fps > 0:
            video["capture_fps"] = self.capture_fps
        d.update({
            "id": self.id, "video": video,
            "set_number": self.set_number, "load": self.load,
            "annotations": [a.to_dict() for a in self.annotations],
            "key_moments": [k.to_dict() for k in self.key_moments],
            "track": self.track.to_dict() if self.track is not None else {},
            "calibration": self.calibration.to_dict() if self.calibration is not None else {},
            "rep_overrides": self.rep_overrides.to_dict() if self.rep_overrides else {},
        })
        if self.left_at is not None:  # absent until the set is first left
            d["left_at_s"] = self.left_at
        return d

    @classmethod
    def from_dict(cls, d: Any) -> Recording:
        d = _obj(d, "recording")
        video = _obj(d.get("video"), "recording video")
        path = video.get("path")
        if not isinstance(path, str) or not path:
            raise SessionFileError("a recording has no video path")
        size = video.get("size", 0)
        if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size < 1 << 62:
            raise SessionFileError("a recording's video size is not a whole number")
        try:
            annotations = [annotation_from_dict(a) for a in _list(d.get("annotations", []))]
            moments = [KeyMoment.from_dict(k) for k in _list(d.get("key_moments", []))]
        except AnnotationError as exc:
            raise SessionFileError(f"a drawing is damaged: {exc}") from exc
        set_number = d.get("set_number", 1)
        if isinstance(set_number, bool) or not isinstance(set_number, int) or set_number < 0:
            raise SessionFileError("set number must be a whole number")
        known = {"id", "video", "set_number", "load", "annotations", "key_moments", "track",
                 "calibration", "rep_overrides", "left_at_s"}
        try:
            raw_track = d.get("track", {})
            track = None if raw_track == {} else Track.from_dict(raw_track)
            calibration = Calibration.from_dict(d.get("calibration", {}))
            overrides = Overrides.from_dict(d.get("rep_overrides", {}))
        except RecordingDataError as exc:
            raise RecordingDataError(f"Set {set_number} ({_name(path)}): {exc}") from exc
        return cls(video_path=path, video_size=size,
                   video_fingerprint=_text(video.get("fingerprint", ""), "fingerprint"),
                   set_number=set_number, load=_opt_num(d.get("load"), "load"),
                   annotations=annotations, key_moments=moments,
                   track=track, calibration=calibration, rep_overrides=overrides,
                   id=_ident(d.get("id")), extra={k: v for k, v in d.items() if k not in known},
                   video_extra={k: v for k, v in video.items()
                                if k not in ("path", "size", "fingerprint", "capture_fps")},
                   capture_fps=_capture_fps(video.get("capture_fps")),
                   left_at=_left_at(d.get("left_at_s")))


@dataclass
class Session:
    """One training day of one lifter."""

    lifter: str = ""
    name: str = ""  # optional title the user gave; otherwise date · lifter · exercise
    date: str = field(default_factory=lambda: dt.date.today().isoformat())
    exercise: str = ""
    load: float | None = None
    load_unit: str = "kg"
    sets: int | None = None
    reps: int | None = None
    rpe: float | None = None
    #: prescribed tempo, eccentric-bottom-concentric-top (``3-1-X-0``); "" = none
    tempo: str = ""
    notes: str = ""
    readiness: Readiness = field(default_factory=Readiness)
    recordings: list[Recording] = field(default_factory=list)
    comparisons: list[dict[str, Any]] = field(default_factory=list)
    #: id of the set (recording) on screen when the session was last left, so it reopens
    #: on that set; None (files written before it, or never left) opens the first set.
    #: Stored as ``on_screen_set``; like a recording's ``left_at_s`` it is an optional
    #: field older readers keep, so no ``format_version`` step.
    on_screen: str | None = None
    id: str = field(default_factory=_new_id)
    extra: dict[str, Any] = field(default_factory=dict)
    #: (format_version, min_reader_version) of a newer file this was read from: saving
    #: keeps them, so the newer LiftLens still knows which of its parts the file holds
    origin_format: tuple[int, int] | None = field(default=None, compare=False, repr=False)

    @property
    def title(self) -> str:
        return self.name or self.details

    @property
    def details(self) -> str:
        """Its date, lifter and exercise ("2026-02-10 · Anna Test · back squat"): the title
        of a session without a name of its own."""
        parts = [self.date, self.lifter or "Unnamed lifter", self.exercise or "session"]
        return " · ".join(parts)

    def recording(self, rec_id: str) -> Recording | None:
        return next((r for r in self.recordings if r.id == rec_id), None)

    def load_of(self, recording: Recording) -> float | None:
        """The load ``recording`` (a set) was lifted at, in :attr:`load_unit`: its own
        (:attr:`Recording.load`, a warm-up, pyramid or back-off set) or else the
        session's; None when neither was entered."""
        return recording.load if recording.load is not None else self.load

    def reopens_on(self) -> Recording | None:
        """The set to show when the session is opened: the one on screen when it was
        last left (:attr:`on_screen`), else the first; None when it has no sets."""
        found = self.recording(self.on_screen) if self.on_screen is not None else None
        return found or (self.recordings[0] if self.recordings else None)

    def to_dict(self) -> dict[str, Any]:
        """The whole document as JSON values, header first: ``format``,
        ``format_version``, ``min_reader_version``, ``app_version``.

        The result shares no mutable state with the session, so it can be handed
        to another thread (autosave) or kept as an undo snapshot.
        """
        version, min_reader = self.origin_format or (FORMAT_VERSION, MIN_READER_VERSION)
        d: dict[str, Any] = {"format": FORMAT, "format_version": version,
                             "min_reader_version": min_reader, "app_version": APP_VERSION}
        d.update(self.extra)
        d.update({
            "format": FORMAT, "format_version": version, "min_reader_version": min_reader,
            "app_version": APP_VERSION, "id": self.id, "lifter": self.lifter, "name": self.name,
            "date": self.date,
            "exercise": self.exercise, "load": self.load, "load_unit": self.load_unit,
            "sets": self.sets, "reps": self.reps, "rpe": self.rpe, "tempo": self.tempo,
            "notes": self.notes,
            "readiness": self.readiness.to_dict(),
            "recordings": [r.to_dict() for r in self.recordings],
            "comparisons": self.comparisons,
        })
        if self.on_screen is not None:  # absent until a set was on screen
            d["on_screen_set"] = self.on_screen
        return copy.deepcopy(d)

    def content_hash(self) -> str:
        """SHA-256 of the document without ``app_version``: "unsaved changes" means the
        current hash differs from the one taken at the last save."""
        d = self.to_dict()
        d.pop("app_version", None)
        text = json.dumps(_canonical(d), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


_SESSION_FIELDS = {"format", "format_version", "min_reader_version", "app_version", "id",
                   "lifter", "name", "date", "exercise", "load", "load_unit", "sets", "reps", "rpe",
                   "tempo", "notes", "readiness", "recordings", "comparisons",
                   "on_screen_set"}


def session_from_dict(d: Any) -> Session:
    """Read a session document of any supported version (migrating older ones).

    Raises
    ------
    SessionFileError
        With a plain message when the document is not a LiftLens session, is
        damaged, or needs a newer LiftLens.
    """
    from analysis.session.migrations import migrate

    d = migrate(_obj(d, "session"))
    origin = None
    if d["format_version"] > FORMAT_VERSION:
        origin = (d["format_version"], d["min_reader_version"])
    date = _text(d.get("date", ""), "date")
    try:
        dt.date.fromisoformat(date)
    except ValueError as exc:
        raise SessionFileError(f"the session date {date!r} is not a date (YYYY-MM-DD)") from exc
    unit = d.get("load_unit", "kg")
    if unit not in LOAD_UNITS:
        raise SessionFileError(f"load unit {unit!r} is not kg or lb")
    rpe = _opt_num(d.get("rpe"), "RPE")
    if rpe is not None and not 1 <= rpe <= 10:
        raise SessionFileError("RPE must be between 1 and 10")
    comparisons = _list(d.get("comparisons", []))
    if not all(isinstance(c, dict) for c in comparisons):
        raise SessionFileError("a saved comparison is damaged")
    return Session(
        lifter=_text(d.get("lifter", ""), "lifter"), name=_text(d.get("name", ""), "name"),
        date=date,
        exercise=_text(d.get("exercise", ""), "exercise"), load=_opt_num(d.get("load"), "load"),
        load_unit=unit, sets=_opt_int(d.get("sets"), "sets"), reps=_opt_int(d.get("reps"), "reps"),
        rpe=rpe, tempo=_tempo(d.get("tempo", "")),
        notes=_text(d.get("notes", ""), "notes", 100_000),
        readiness=Readiness.from_dict(d.get("readiness", {})),
        recordings=[Recording.from_dict(r) for r in _list(d.get("recordings", []))],
        comparisons=comparisons, on_screen=_on_screen(d.get("on_screen_set")),
        id=_ident(d.get("id")),
        extra={k: v for k, v in d.items() if k not in _SESSION_FIELDS}, origin_format=origin,
    )


# -- validation helpers ----------------------------------------------------------------

def _name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1][:80]


def _canonical(v: Any) -> Any:
    """JSON values with whole floats as ints, so 140 and 140.0 hash alike."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    if isinstance(v, dict):
        return {k: _canonical(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_canonical(x) for x in v]
    return v


def _obj(v: Any, what: str) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise SessionFileError(f"the {what} is damaged (expected an object)")
    return v


def _list(v: Any) -> list[Any]:
    if not isinstance(v, list):
        raise SessionFileError("a list in the session is damaged")
    return v


def _text(v: Any, what: str, limit: int = 10_000) -> str:
    if not isinstance(v, str) or len(v) > limit:
        raise SessionFileError(f"the {what} is not text")
    return v


def _ident(v: Any) -> str:
    if not isinstance(v, str) or not 0 < len(v) <= 64:
        raise SessionFileError("an id in the session is damaged")
    return v


def _opt_num(v: Any, what: str) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or abs(v) > 1e6:
        raise SessionFileError(f"the {what} is not a number")
    return float(v)


def _capture_fps(v: Any) -> float:
    """A stored slow-motion capture rate (frames per real second; 0 = from the file)."""
    if v is None or v == 0:
        return 0.0
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 1.0 <= v <= 10_000.0:
        raise SessionFileError("the video's slow-motion capture rate is not a frame rate "
                               "between 1 and 10000 per second")
    return float(v)


def _on_screen(v: Any) -> str | None:
    """The id of the set last on screen, or None. An id naming no set of the session
    (the set was removed by another LiftLens) is harmless: the first set opens."""
    if v is None:
        return None
    if not isinstance(v, str) or not 0 < len(v) <= 64:
        raise SessionFileError("the set that was last on screen is damaged (not a set id)")
    return v


def _left_at(v: Any) -> float | None:
    """Where a set was left (s of file time, >= 0), or None when it never was."""
    t = _opt_num(v, "frame the set was left on")
    if t is not None and t < 0:
        raise SessionFileError("the frame a set was left on is before its start")
    return t


def _tempo(v: Any) -> str:
    """A prescribed tempo ("" or four phase values such as ``3-1-X-0``)."""
    from analysis.lift.rep_metrics import parse_tempo

    text = _text(v, "tempo", 40).strip()
    if text:
        try:
            parse_tempo(text)
        except ValueError as exc:
            raise SessionFileError(f"the prescribed tempo is damaged: {exc}") from exc
    return text


def _opt_int(v: Any, what: str) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 10_000:
        raise SessionFileError(f"the {what} is not a whole number")
    return v
