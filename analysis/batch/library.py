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
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._store: Any = None
        self.added = 0
        self._made: set[str] = set()  # ids of the sessions this writer made

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
        from analysis.session import Recording, Session
        from analysis.session.calibration import Calibration
        from analysis.session.portable import describe_video
        from analysis.session.store import StorageError
        from analysis.session.track import Track

        try:
            rec = Recording(video_path=str(clip.path),
                            track=Track.from_dict(track) if track else None,
                            calibration=Calibration.from_dict(calibration))
            describe_video(rec, clip.path)
            date = label.date or dt.date.fromtimestamp(clip.path.stat().st_mtime).isoformat()
            exercise = label.exercise or entry["lift"]
            name = Path(clip.shown).name  # as the user named it (a link: not its target)
            found = self._day_session(label.lifter, exercise, date)
            if found is None:
                # every set carries its own load (a blank one stays without a load, never
                # the first clip's); the session's unit is the first clip's
                rec.load = label.load
                session = Session(lifter=label.lifter, exercise=exercise, date=date,
                                  recordings=[rec], load_unit=label.load_unit,
                                  notes=f"{BATCH_NOTE}{name}.")
                self._open().save(session)
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
                self._open().save(session, base_revision=revision)
        except StorageError as exc:
            return str(exc), ""
        except OSError as exc:
            return f"{clip.path.name} cannot be read ({exc.strerror or exc})", ""
        except ValueError as exc:  # a track or scale the library would refuse
            return f"its track or calibration is not valid ({exc})", ""
        self.added += 1
        return "", session.id

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
               folder: Path) -> tuple[str, str]:
        """For a clip finished earlier: add it when its session is not in the library
        (a run without ``--library``, or a failed add), reading the track and calibration
        back from its result files in ``folder``; returns ``(error, session_id)``."""
        import json

        from analysis.io.track_csv import TrackFileError, read_track_csv
        from analysis.session.store import StorageError
        from analysis.session.track import STORED_TARGETS, TARGET_UNKNOWN, Track

        try:
            if session_id and self._open().exists(session_id):
                return "", session_id
        except StorageError as exc:
            return str(exc), session_id
        try:
            td = read_track_csv(folder / entry["csv"])
            d = json.loads((folder / entry["json"]).read_text(encoding="utf-8"))
        except (OSError, ValueError, TrackFileError) as exc:
            return f"its result files cannot be read ({exc})", ""
        # the point followed, as the result file says (a plate centre read back as a point
        # chosen would be told in the app to be off the plate's scale, and compared with
        # the lifter's other sets as tracked elsewhere); a file written before it was
        # recorded says nothing, and its track's point stays unknown
        target = (d.get("tracking") or {}).get("target")
        track = Track(td.t, td.x, td.y, td.confidence, td.state,
                      target=target if target in STORED_TARGETS else TARGET_UNKNOWN).to_dict()
        cal = d.get("calibration") or {}
        calibration = cal if cal.get("m_per_px") else {}
        return self.add(clip, label, entry, track, calibration)
