"""Questions about the whole library that no single session answers."""

from __future__ import annotations

import os
from dataclasses import dataclass

from analysis.session.document import Recording, Session
from analysis.session.store import SessionStore, StorageError


def find_recording(store: SessionStore, path: str, fingerprint: str = "",
                   prefer_tracked: bool = True) -> tuple[Session, Recording] | None:
    """The saved recording of a video, in any session of the library.

    Parameters
    ----------
    path : str
        The video's path; a recording whose video was at the same absolute path matches.
    fingerprint : str
        The video's content fingerprint (``portable.fingerprint``); a recording of a moved
        or renamed copy matches by it.
    prefer_tracked : bool
        Among several matches, one with a bar track wins (then the newest session).

    Returns
    -------
    (Session, Recording) or None
        None when no session holds the video. Sessions that cannot be read are skipped.
    """
    target = os.path.abspath(path)
    best: tuple[Session, Recording] | None = None
    for summary in store.list_sessions():
        try:
            session = store.get(summary.id)
        except StorageError:
            continue
        for rec in session.recordings:
            same = os.path.abspath(rec.video_path) == target or \
                (bool(fingerprint) and rec.video_fingerprint == fingerprint)
            if not same:
                continue
            if best is None or (prefer_tracked and rec.track is not None and
                                best[1].track is None):
                best = (session, rec)
    return best


@dataclass(frozen=True)
class LibraryRecording:
    """One recording of the library, as the comparison picker lists it.

    Attributes
    ----------
    session_id, recording_id : str
        Where it is (:func:`load_recording` reads it back).
    lifter, date, exercise : str
        The session's (date ISO ``YYYY-MM-DD``).
    load : float or None
        The set's load, else the session's, in ``load_unit`` ("kg" or "lb").
    set_number : int
    video_path : str
    tracked, calibrated : bool
        Whether it has a bar track, and a scale (m per px).
    drawings : int
        Number of drawings on it.
    """

    session_id: str
    recording_id: str
    lifter: str
    date: str
    exercise: str
    load: float | None
    load_unit: str
    set_number: int
    video_path: str
    tracked: bool
    calibrated: bool
    drawings: int

    @property
    def label(self) -> str:
        """``2026-10-01 · Ana · back squat 120 kg · set 2`` (for captions)."""
        return set_caption(self.date, self.lifter, self.exercise, self.load, self.load_unit,
                           self.set_number)


def set_caption(date: str, lifter: str, exercise: str, load: float | None, unit: str,
                set_number: int) -> str:
    """``2026-10-01 · Ana · back squat 120 kg · set 2``: how a comparison names a set of a
    session (empty parts left out; ``load`` in ``unit``)."""
    load_text = f" {load:g} {unit}" if load is not None else ""
    return " · ".join(p for p in (date, lifter, f"{exercise}{load_text}".strip(),
                                  f"set {set_number}") if p)


def list_recordings(store: SessionStore, lifter: str | None = None,
                    exercise: str | None = None) -> list[LibraryRecording]:
    """Every recording of the library (newest session first, then by set).

    ``lifter`` and ``exercise`` filter exactly, ignoring case (as
    :meth:`SessionStore.list_sessions`). Sessions that cannot be read are skipped.
    """
    out: list[LibraryRecording] = []
    for summary in store.list_sessions(lifter=lifter, exercise=exercise):
        try:
            session = store.get(summary.id)
        except StorageError:
            continue
        for rec in sorted(session.recordings, key=lambda r: r.set_number):
            out.append(LibraryRecording(
                session.id, rec.id, session.lifter, session.date, session.exercise,
                session.load_of(rec), session.load_unit,
                rec.set_number, rec.video_path, rec.track is not None and
                bool(rec.track.valid.any()), rec.calibration is not None,
                len(rec.annotations)))
    return out


def load_recording(store: SessionStore, session_id: str, recording_id: str
                   ) -> tuple[Session, Recording]:
    """The saved session and its recording, with track, calibration, rep corrections and
    drawings as stored.

    Raises
    ------
    StorageError
        When the session is not in the library, cannot be read, or no longer holds
        that recording (in plain words).
    """
    session = store.get(session_id)
    rec = session.recording(recording_id)
    if rec is None:
        raise StorageError("That recording is no longer in its session (it was removed "
                           "since the list was shown).")
    return session, rec


def keep_recording(store: SessionStore, session: dict, recording: dict) -> int:
    """Write one recording into its session in the library, the rest of that session as
    the library holds it (another window may have edited its other sets meanwhile).

    Parameters
    ----------
    store : SessionStore
    session : dict
        The session the recording belongs to (``Session.to_dict()``); saved whole when
        the library does not hold it yet (a session made for the recording).
    recording : dict
        The recording (``Recording.to_dict()``); it replaces the saved recording of the
        same id, or is added as the session's next set.

    Returns
    -------
    int
        The session's new revision.

    Raises
    ------
    StorageError
        When the library cannot be read or written (``ConflictError`` when another window
        saved the session between the read and the write; nothing was written).
    """
    sid = str(session.get("id", ""))
    if not store.exists(sid):
        doc = dict(session)
        doc["recordings"] = [r for r in doc.get("recordings", []) if r.get("id") != recording.get("id")]
        doc["recordings"].append(recording)
        return store.save_document(doc, 0)
    saved, revision = store.load(sid)
    doc = saved.to_dict()
    recs = doc["recordings"]
    at = next((i for i, r in enumerate(recs) if r.get("id") == recording.get("id")), None)
    if at is None:
        recs.append(recording)
    else:
        recs[at] = recording
    return store.save_document(doc, revision)
