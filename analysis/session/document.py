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

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from analysis.annotations.model import (Annotation, AnnotationError, KeyMoment,
                                        UnknownAnnotation, annotation_from_dict)

FORMAT = "liftlens-session"
FORMAT_VERSION = 2
APP_VERSION = "0.1.0"
LOAD_UNITS = ("kg", "lb")


class SessionFileError(Exception):
    """A session file or record cannot be read; the message is for the user."""


def _new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Readiness:
    """The short check before lifting."""

    slept_well: bool | None = None
    recovered: int | None = None  # 1 (not at all) .. 5 (fully)
    pain: str = ""  # any pain or compensation
    intent: str = ""  # what this session is for

    def to_dict(self) -> dict[str, Any]:
        return {"slept_well": self.slept_well, "recovered": self.recovered, "pain": self.pain,
                "intent": self.intent}

    @classmethod
    def from_dict(cls, d: Any) -> Readiness:
        d = _obj(d, "readiness")
        slept = d.get("slept_well")
        rec = d.get("recovered")
        if slept is not None and not isinstance(slept, bool):
            raise SessionFileError("readiness: slept_well must be yes/no")
        if rec is not None and (isinstance(rec, bool) or not isinstance(rec, int)
                                or not 1 <= rec <= 5):
            raise SessionFileError("readiness: recovered must be 1 to 5")
        return cls(slept, rec, _text(d.get("pain", ""), "pain"), _text(d.get("intent", ""), "intent"))


@dataclass
class Recording:
    """One video of the session (usually one set) and everything drawn or measured on it."""

    video_path: str
    video_size: int = 0
    video_fingerprint: str = ""
    set_number: int = 1
    load: float | None = None
    annotations: list[Annotation | UnknownAnnotation] = field(default_factory=list)
    key_moments: list[KeyMoment] = field(default_factory=list)
    track: dict[str, Any] = field(default_factory=dict)
    calibration: dict[str, Any] = field(default_factory=dict)
    rep_overrides: dict[str, Any] = field(default_factory=dict)
    id: str = field(default_factory=_new_id)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.extra)
        d.update({
            "id": self.id, "video": {"path": self.video_path, "size": self.video_size,
                                     "fingerprint": self.video_fingerprint},
            "set_number": self.set_number, "load": self.load,
            "annotations": [a.to_dict() for a in self.annotations],
            "key_moments": [k.to_dict() for k in self.key_moments],
            "track": self.track, "calibration": self.calibration,
            "rep_overrides": self.rep_overrides,
        })
        return d

    @classmethod
    def from_dict(cls, d: Any) -> Recording:
        d = _obj(d, "recording")
        video = _obj(d.get("video"), "recording video")
        path = video.get("path")
        if not isinstance(path, str) or not path:
            raise SessionFileError("a recording has no video path")
        size = video.get("size", 0)
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
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
                 "calibration", "rep_overrides"}
        return cls(video_path=path, video_size=size,
                   video_fingerprint=_text(video.get("fingerprint", ""), "fingerprint"),
                   set_number=set_number, load=_opt_num(d.get("load"), "load"),
                   annotations=annotations, key_moments=moments,
                   track=_obj(d.get("track", {}), "track"),
                   calibration=_obj(d.get("calibration", {}), "calibration"),
                   rep_overrides=_obj(d.get("rep_overrides", {}), "rep overrides"),
                   id=_ident(d.get("id")), extra={k: v for k, v in d.items() if k not in known})


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
    notes: str = ""
    readiness: Readiness = field(default_factory=Readiness)
    recordings: list[Recording] = field(default_factory=list)
    comparisons: list[dict[str, Any]] = field(default_factory=list)
    id: str = field(default_factory=_new_id)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        if self.name:
            return self.name
        parts = [self.date, self.lifter or "Unnamed lifter", self.exercise or "session"]
        return " · ".join(parts)

    def recording(self, rec_id: str) -> Recording | None:
        return next((r for r in self.recordings if r.id == rec_id), None)

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.extra)
        d.update({
            "format": FORMAT, "format_version": FORMAT_VERSION, "min_reader_version": 2,
            "app_version": APP_VERSION, "id": self.id, "lifter": self.lifter, "name": self.name,
            "date": self.date,
            "exercise": self.exercise, "load": self.load, "load_unit": self.load_unit,
            "sets": self.sets, "reps": self.reps, "rpe": self.rpe, "notes": self.notes,
            "readiness": self.readiness.to_dict(),
            "recordings": [r.to_dict() for r in self.recordings],
            "comparisons": list(self.comparisons),
        })
        return d


_SESSION_FIELDS = {"format", "format_version", "min_reader_version", "app_version", "id",
                   "lifter", "name", "date", "exercise", "load", "load_unit", "sets", "reps", "rpe",
                   "notes", "readiness", "recordings", "comparisons"}


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
        rpe=rpe, notes=_text(d.get("notes", ""), "notes", 100_000),
        readiness=Readiness.from_dict(d.get("readiness", {})),
        recordings=[Recording.from_dict(r) for r in _list(d.get("recordings", []))],
        comparisons=comparisons, id=_ident(d.get("id")),
        extra={k: v for k, v in d.items() if k not in _SESSION_FIELDS},
    )


# -- validation helpers ----------------------------------------------------------------

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


def _opt_int(v: Any, what: str) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 10_000:
        raise SessionFileError(f"the {what} is not a whole number")
    return v
