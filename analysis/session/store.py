"""The session library: every session in one SQLite file (WAL, transactions, migrations).

Each session is one row: columns for browsing (lifter, date, exercise, updated)
plus the JSON document, written in one transaction, so a crash leaves either the
old or the new session, never half of one. The schema version lives in
``PRAGMA user_version`` and is migrated step by step. A library file that is
not a database is never overwritten: the user is told where it is.

Use one :class:`SessionStore` per thread (SQLite connections are per thread).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from analysis.session.document import Session, SessionFileError, session_from_dict

SCHEMA_VERSION = 1

_SCHEMA_STEPS = {
    1: """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            lifter TEXT NOT NULL DEFAULT '',
            name TEXT NOT NULL DEFAULT '',
            date TEXT NOT NULL,
            exercise TEXT NOT NULL DEFAULT '',
            updated_at REAL NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            doc TEXT NOT NULL
        );
        CREATE INDEX sessions_browse ON sessions (deleted, lifter, exercise, date);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
}


class StorageError(Exception):
    """The library could not be read or written; the message is for the user."""


@dataclass(frozen=True)
class SessionSummary:
    """One row of the session browser."""

    id: str
    title: str
    lifter: str
    date: str
    exercise: str
    updated_at: float


def _plain(exc: sqlite3.Error, path: Path) -> StorageError:
    text = str(exc).lower()
    if "full" in text:
        msg = (f"The disk holding the library ({path.parent}) is full. Nothing was lost: "
               "your work is still open. Free some space, and it will be saved.")
    elif "readonly" in text or "read-only" in text or "unable to open" in text \
            or "permission" in text:
        msg = (f"LiftLens cannot write to its library at {path}. Check that the folder "
               "exists and is writable; your work is still open.")
    elif "locked" in text or "busy" in text:
        msg = "The session library is busy (is another LiftLens open?). Try again in a moment."
    elif "not a database" in text or "malformed" in text or "corrupt" in text:
        msg = (f"The session library at {path} is damaged. LiftLens did not change it; "
               "move the file away (or restore a backup) to start a new library.")
    else:
        msg = f"The session library could not be used: {exc}."
    return StorageError(msg)


class SessionStore:
    """All sessions of this user, in one SQLite library file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=10, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")  # the machine may die, not just the app
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as exc:
            raise _plain(exc, self.path) from exc
        except OSError as exc:
            raise StorageError(f"LiftLens cannot create its library at {self.path}: "
                               f"{exc.strerror or exc}.") from exc

    def close(self) -> None:
        self._db.close()

    # -- schema ---------------------------------------------------------------------

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StorageError("This session library was written by a newer LiftLens; "
                               "update LiftLens to use it.")
        while version < SCHEMA_VERSION:
            version += 1
            with self._tx():  # executescript would commit early: run statement by statement
                for statement in _SCHEMA_STEPS[version].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version={version}")

    def _tx(self) -> _Transaction:
        return _Transaction(self._db)

    # -- reading --------------------------------------------------------------------

    def list_sessions(self, lifter: str | None = None, exercise: str | None = None,
                      date_from: str | None = None, date_to: str | None = None,
                      text: str | None = None, deleted: bool = False) -> list[SessionSummary]:
        """Sessions matching every given filter, newest date first."""
        sql = "SELECT id, name, lifter, date, exercise, updated_at FROM sessions WHERE deleted=?"
        args: list[object] = [1 if deleted else 0]
        for col, val in (("lifter", lifter), ("exercise", exercise)):
            if val:
                sql += f" AND {col}=? COLLATE NOCASE"
                args.append(val)
        if date_from:
            sql += " AND date>=?"
            args.append(date_from)
        if date_to:
            sql += " AND date<=?"
            args.append(date_to)
        if text:
            sql += " AND (lifter LIKE ? OR exercise LIKE ? OR name LIKE ? OR doc LIKE ?)"
            args += [f"%{text}%"] * 4
        sql += " ORDER BY date DESC, updated_at DESC"
        try:
            rows = self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise _plain(exc, self.path) from exc
        out = []
        for sid, name, lifter_, date, exercise_, updated in rows:
            title = name or " · ".join([date, lifter_ or "Unnamed lifter", exercise_ or "session"])
            out.append(SessionSummary(sid, title, lifter_, date, exercise_, updated))
        return out

    def lifters(self) -> list[str]:
        return [r[0] for r in self._db.execute(
            "SELECT DISTINCT lifter FROM sessions WHERE deleted=0 AND lifter<>'' ORDER BY 1")]

    def exercises(self) -> list[str]:
        return [r[0] for r in self._db.execute(
            "SELECT DISTINCT exercise FROM sessions WHERE deleted=0 AND exercise<>'' ORDER BY 1")]

    def get(self, session_id: str) -> Session:
        try:
            row = self._db.execute("SELECT doc FROM sessions WHERE id=?", (session_id,)).fetchone()
        except sqlite3.Error as exc:
            raise _plain(exc, self.path) from exc
        if row is None:
            raise StorageError("That session is no longer in the library.")
        try:
            return session_from_dict(json.loads(row[0]))
        except (ValueError, SessionFileError) as exc:
            raise StorageError(f"The saved session is damaged and cannot be opened ({exc}).") \
                from exc

    # -- writing --------------------------------------------------------------------

    def save(self, session: Session) -> float:
        """Insert or replace ``session`` in one transaction; returns the save time."""
        return self.save_document(session.to_dict())

    def save_document(self, d: dict) -> float:
        """Save a session given as its document (``Session.to_dict()``), e.g. a snapshot
        taken on another thread."""
        doc = json.dumps(d, ensure_ascii=False, allow_nan=False)
        now = time.time()
        session = _Row(d)
        try:
            with self._tx():
                self._db.execute(
                    "INSERT INTO sessions (id, lifter, name, date, exercise, updated_at, deleted, doc)"
                    " VALUES (?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT(id) DO UPDATE SET"
                    " lifter=excluded.lifter, name=excluded.name, date=excluded.date,"
                    " exercise=excluded.exercise, updated_at=excluded.updated_at, doc=excluded.doc",
                    (session.id, session.lifter, session.name, session.date, session.exercise,
                     now, doc))
        except sqlite3.Error as exc:
            raise _plain(exc, self.path) from exc
        return now

    def rename(self, session_id: str, name: str) -> None:
        session = self.get(session_id)
        session.name = name
        self.save(session)

    def duplicate(self, session_id: str) -> Session:
        """A copy of the session with a new id (drawings and recordings copied)."""
        copy = session_from_dict(self.get(session_id).to_dict())
        copy.id = str(uuid.uuid4())
        copy.name = f"{copy.title} (copy)"
        self.save(copy)
        return copy

    def delete(self, session_id: str) -> None:
        """Move to the trash (undo with :meth:`restore`)."""
        self._set_deleted(session_id, 1)

    def restore(self, session_id: str) -> None:
        self._set_deleted(session_id, 0)

    def purge(self, session_id: str) -> None:
        try:
            with self._tx():
                self._db.execute("DELETE FROM sessions WHERE id=?", (session_id,))
        except sqlite3.Error as exc:
            raise _plain(exc, self.path) from exc

    def _set_deleted(self, session_id: str, flag: int) -> None:
        try:
            with self._tx():
                self._db.execute("UPDATE sessions SET deleted=?, updated_at=? WHERE id=?",
                                 (flag, time.time(), session_id))
        except sqlite3.Error as exc:
            raise _plain(exc, self.path) from exc

    def get_meta(self, key: str, default: str = "") -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        try:
            with self._tx():
                self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                 (key, value))
        except sqlite3.Error as exc:
            raise _plain(exc, self.path) from exc

    def integrity_ok(self) -> bool:
        return self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


class _Row:
    """The browse columns of a session document."""

    def __init__(self, d: dict) -> None:
        self.id = str(d["id"])
        self.lifter = str(d.get("lifter", ""))
        self.name = str(d.get("name", ""))
        self.date = str(d.get("date", ""))
        self.exercise = str(d.get("exercise", ""))


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, tb) -> None:  # noqa: ANN001
        if kind is None:
            self._db.execute("COMMIT")
        elif self._db.in_transaction:
            # SQLite may already have rolled back (e.g. on a full disk); never let the
            # rollback hide the error that caused it.
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
