"""Add measured clips to the session library from the parent process of a batch (workers
never open the library): the clips of one lifter, exercise and day become the sets of one
session.

Only the store's public API is used (:class:`analysis.session.store.SessionStore`):
each clip is saved in one transaction (a new session, or a set added to the day's
session at the revision it was read at), so the app may have the same library open; a
busy or failing library costs that clip's library entry only (the batch reports it and
the next run adds it), never the measurement.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from analysis.batch.run import Clip, Label
from analysis.session.loads import in_unit

#: Library file name in the user data folder (as the app's ``app.settings.data_dir()``).
LIBRARY_NAME = "library.sqlite3"


def default_library_path() -> Path:
    """The app's library: ``$LIFTLENS_DATA_DIR/library.sqlite3`` when set, else in the
    per-user data folder (``platformdirs.user_data_dir("LiftLens")``), as the app uses."""
    override = os.environ.get("LIFTLENS_DATA_DIR")
    if override:
        return Path(override) / LIBRARY_NAME
    import platformdirs

    return Path(platformdirs.user_data_dir("LiftLens", False)) / LIBRARY_NAME


#: The note of a session made by liftlens batch (its sets' file names follow).
BATCH_NOTE = "Added by liftlens batch from "


class LibraryWriter:
    """Adds batch results to a library file (opened on first use).

    ``lifter``, ``exercise`` and ``date`` come from the clip's label (date: the label's,
    else the day the file was last modified). The clips of one lifter, exercise (as
    :func:`analysis.lift.exercises.exercise_key` compares them) and day are the sets of
    one session, numbered in file-name order, each with its load. Only sessions this
    writer made take more clips: a session already in the library may be open in the
    app, where the coach's next edit would then be refused as made elsewhere. Each set
    holds the clip (path, size, fingerprint), its track and calibration.

    A clip measured again (its manifest row, file or settings corrected) updates its set
    in the session an earlier run made (:meth:`replace`) only when that session is
    exactly as the batch wrote it (its revision is the one the batch saved,
    :attr:`revisions`) and it is not the session the app has open (the library's
    ``last_session``, the session the app shows and reopens on): then nobody's edit can
    be lost or refused. Otherwise the session is left alone and a note says what it
    still holds, so the coach corrects it by hand (or the next run updates it, once the
    app has moved on to another session).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._store: Any = None
        self.added = 0
        self.updated = 0  # sets put in place of their earlier measurement
        self._made: set[str] = set()  # ids of the sessions this writer made
        #: session id -> revision of this writer's last save of it
        self.revisions: dict[str, int] = {}

    def _open(self) -> Any:
        if self._store is None:
            from analysis.session.store import SessionStore

            self._store = SessionStore(self.path)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def add(self, clip: Clip, label: Label, entry: dict[str, Any], track: dict[str, Any],
            calibration: dict[str, Any]) -> tuple[str, str]:
        """Save a new session for ``clip``; returns ``(error, session_id)``, one of them ``""``."""
        from analysis.session import Session
        from analysis.session.store import StorageError

        try:
            rec = _recording(clip, track, calibration)
            date, exercise = _day(clip, label), label.exercise or entry["lift"]
            name = Path(clip.shown).name  # as the user named it (a link: not its target)
            found = self._day_session(label.lifter, exercise, date)
            if found is None:
                # every set carries its own load (a blank one stays without a load, never
                # the first clip's); the session's unit is the first clip's
                rec.load = label.load
                session = Session(lifter=label.lifter, exercise=exercise, date=date,
                                  recordings=[rec], load_unit=label.load_unit,
                                  notes=f"{BATCH_NOTE}{name}.")
                self.revisions[session.id] = self._open().save(session)
                self._made.add(session.id)
            else:
                session, revision = found
                rec.load = in_unit(label.load, label.load_unit, session.load_unit)
                session.recordings.append(rec)
                session.recordings.sort(key=lambda r: Path(r.video_path).name.lower())
                for n, r in enumerate(session.recordings, start=1):
                    r.set_number = n
                if session.notes.startswith(BATCH_NOTE):
                    session.notes = session.notes.rstrip(".") + f", {name}."
                self.revisions[session.id] = self._open().save(session,
                                                               base_revision=revision)
        except StorageError as exc:
            return str(exc), ""
        except OSError as exc:
            return f"{clip.path.name} cannot be read ({exc.strerror or exc})", ""
        except ValueError as exc:  # a track or scale the library would refuse
            return f"its track or calibration is not valid ({exc})", ""
        self.added += 1
        return "", session.id

    def replace(self, clip: Clip, label: Label, entry: dict[str, Any], track: dict[str, Any],
                calibration: dict[str, Any], session_id: str, written: int | None,
                changes: list[str]) -> tuple[str, str, str]:
        """Put a clip measured again in place of its set in ``session_id``, the session an
        earlier run added it to; ``written`` is the revision that run saved (None: not
        known). Returns ``(error, note, session_id)``: ``note`` says, when the session
        was left alone, why and what its set still holds.

        Updated only when the session is as the batch wrote it and not the app's open
        session (see the class). The set keeps its place and id when the lifter, exercise
        and day stay; otherwise it leaves the session (a session left with no set goes to
        the trash, from which the app restores it) and joins the day's session of its new
        lifter and exercise (:meth:`add`). A session no longer in the library: added anew.
        """
        from analysis.lift.exercises import exercise_key
        from analysis.session.store import ConflictError, StorageError

        said = f" ({'; '.join(changes)})" if changes else ""
        try:
            store = self._open()
            if not store.exists(session_id):
                err, sid = self.add(clip, label, entry, track, calibration)
                return err, "", sid
            session, revision = store.load(session_id)
            old = next((r for r in session.recordings
                        if os.path.abspath(r.video_path) == str(clip.path)), None)
            why = ""
            if old is None:
                why = "the set of this clip was taken out of it in LiftLens"
            elif written is None or written != revision:
                why = "it was changed in LiftLens after the batch added it"
            elif store.get_meta("last_session") == session_id:
                why = "it is the session open in LiftLens (the last one opened)"
            if why or old is None:
                return "", (f"the library session “{session.title}” was not updated, as {why}: "
                            f"its set of {clip.path.name} still holds the earlier "
                            f"measurement{said}; correct it there, or run the batch again "
                            "once LiftLens shows another session"), session_id
            new = _recording(clip, track, calibration)
            date, exercise = _day(clip, label), label.exercise or entry["lift"]
            if (date, label.lifter.casefold(), exercise_key(exercise)) == \
                    (session.date, session.lifter.casefold(), exercise_key(session.exercise)):
                new.id, new.set_number = old.id, old.set_number
                if len(session.recordings) == 1:
                    session.load_unit, session.exercise = label.load_unit, exercise
                    session.lifter = label.lifter  # a corrected spelling
                new.load = in_unit(label.load, label.load_unit, session.load_unit)
                session.recordings[session.recordings.index(old)] = new
                self.revisions[session_id] = store.save(session, base_revision=revision)
                self._made.add(session_id)
                self.updated += 1
                return "", "", session_id
            session.recordings.remove(old)  # another lifter, exercise or day
            if session.recordings:
                for n, r in enumerate(session.recordings, start=1):
                    r.set_number = n
                if session.notes.startswith(BATCH_NOTE):
                    session.notes = BATCH_NOTE + ", ".join(
                        Path(r.video_path).name for r in session.recordings) + "."
                self.revisions[session_id] = store.save(session, base_revision=revision)
            else:
                if store.revision(session_id) != revision:
                    raise ConflictError("changed meanwhile", store.revision(session_id))
                store.delete(session_id)  # to the trash: the app can restore it
        except ConflictError:
            return "", (f"the library session of {clip.path.name} was not updated, as it was "
                        f"changed in LiftLens meanwhile: its set still holds the earlier "
                        f"measurement{said}"), session_id
        except StorageError as exc:
            return str(exc), "", session_id
        except OSError as exc:
            return f"{clip.path.name} cannot be read ({exc.strerror or exc})", "", session_id
        except ValueError as exc:
            return f"its track or calibration is not valid ({exc})", "", session_id
        err, sid = self.add(clip, label, entry, track, calibration)
        return err, "", sid

    def _day_session(self, lifter: str, exercise: str, date: str) -> tuple[Any, int] | None:
        """The session this writer made for ``lifter`` doing ``exercise`` on ``date``, with
        its revision; None when there is none."""
        from analysis.lift.exercises import exercise_key

        store = self._open()
        for summary in store.list_sessions(lifter=lifter or None):
            if summary.id not in self._made or summary.date != date or \
                    summary.lifter.casefold() != lifter.casefold() or \
                    exercise_key(summary.exercise) != exercise_key(exercise):
                continue
            return store.load(summary.id)
        return None

    def ensure(self, clip: Clip, label: Label, entry: dict[str, Any], session_id: str,
               folder: Path, written: int | None = None,
               pending: bool = False) -> tuple[str, str, str]:
        """For a clip finished earlier: add it when its session is not in the library
        (a run without ``--library``, or a failed add), or with ``pending`` (an earlier
        run could not update its session) update it as :meth:`replace` does, reading the
        track and calibration back from its result files in ``folder``; returns
        ``(error, note, session_id)`` (:meth:`replace`)."""
        from analysis.session.store import StorageError

        try:
            there = bool(session_id) and self._open().exists(session_id)
        except StorageError as exc:
            return str(exc), "", session_id
        if there and not pending:
            return "", "", session_id
        try:
            track, calibration = self._read_back(entry, folder)
        except ValueError as exc:
            return str(exc), "", "" if not there else session_id
        if there:
            return self.replace(clip, label, entry, track, calibration, session_id, written,
                                [])
        err, sid = self.add(clip, label, entry, track, calibration)
        return err, "", sid

    def _read_back(self, entry: dict[str, Any],
                   folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
        """The track and calibration of a finished clip from its result files.
        Raises ValueError (a sentence) when they cannot be read."""
        import json

        from analysis.io.track_csv import TrackFileError, read_track_csv
        from analysis.session.track import STORED_TARGETS, TARGET_UNKNOWN, Track

        try:
            td = read_track_csv(folder / entry["csv"])
            d = json.loads((folder / entry["json"]).read_text(encoding="utf-8"))
        except (OSError, ValueError, TrackFileError) as exc:
            raise ValueError(f"its result files cannot be read ({exc})") from None
        # the point followed, as the result file says (a plate centre read back as a point
        # chosen would be told in the app to be off the plate's scale, and compared with
        # the lifter's other sets as tracked elsewhere); a file written before it was
        # recorded says nothing, and its track's point stays unknown
        target = (d.get("tracking") or {}).get("target")
        track = Track(td.t, td.x, td.y, td.confidence, td.state,
                      target=target if target in STORED_TARGETS else TARGET_UNKNOWN).to_dict()
        cal = d.get("calibration") or {}
        return track, cal if cal.get("m_per_px") else {}


def _recording(clip: Clip, track: dict[str, Any], calibration: dict[str, Any]) -> Any:
    """A session's set of ``clip`` with its track and calibration. Raises OSError
    (the clip cannot be read) or ValueError (a track or scale the library refuses)."""
    from analysis.session import Recording
    from analysis.session.calibration import Calibration
    from analysis.session.portable import describe_video
    from analysis.session.track import Track

    rec = Recording(video_path=str(clip.path), track=Track.from_dict(track) if track else None,
                    calibration=Calibration.from_dict(calibration))
    describe_video(rec, clip.path)
    return rec


def _day(clip: Clip, label: Label) -> str:
    """The clip's date: its label's, else the day its file was last modified."""
    return label.date or dt.date.fromtimestamp(clip.path.stat().st_mtime).isoformat()
