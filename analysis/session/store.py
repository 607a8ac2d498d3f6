"""The session library: every session in one SQLite file (WAL, transactions, migrations).

Layout
    Each session is one row of ``sessions``: columns for browsing and filtering
    (lifter, name, date, exercise, updated_at, deleted) plus the JSON document
    (``Session.to_dict()``). The document, not a set of normalised tables, is the
    unit of saving because it is already the unit of everything else: autosave,
    undo snapshots and the portable file all use it; it carries its own format
    version and migrations (and unknown parts from a newer LiftLens) without SQL
    schema changes; and one row upsert is trivially atomic. Sessions are small
    (drawings, a few tracks), so rewriting a row per save costs milliseconds.

Durability
    WAL journal with ``synchronous=FULL``; every write is one ``BEGIN IMMEDIATE``
    ... ``COMMIT`` transaction, so a crash or power cut leaves either the old or
    the new session, never half of one (tested by killing a writer at random
    moments). The table schema version lives in ``PRAGMA user_version`` and is
    migrated step by step (``_SCHEMA_STEPS``) inside a transaction.

Concurrent instances
    Every row has a ``revision`` that each write counts up. A save names the
    revision it started from (:meth:`SessionStore.load` gives it, each save
    returns the next); when the library holds a newer one, written by another
    LiftLens window or process in the meantime, the save is refused with a
    :class:`ConflictError` and nothing is overwritten: never a silent lost update.
    The check and the write are one ``BEGIN IMMEDIATE`` transaction, so two
    savers cannot both pass it.

Errors
    Every ``sqlite3`` and OS error becomes a :class:`StorageError` with a plain
    message (disk full, read-only folder, library busy, damaged library). The
    store never changes the caller's :class:`Session`, so a failed save loses
    nothing that is open.

Damaged library files
    The first time a process opens a library file, it is checked read-only
    (``PRAGMA quick_check``) before anything is written. A damaged file, or a
    database that is not a LiftLens library, is refused with a message naming the
    file and is never written to; the app can offer :func:`move_aside`, which
    renames it (with its -wal/-shm files) so a fresh library can start and the
    old file stays available for recovery. Nothing is ever deleted.

Threads
    SQLite connections belong to the thread that opened them (Python's
    ``check_same_thread``). Open one :class:`SessionStore` per thread (the app's
    saver thread keeps its own); WAL lets readers on other connections proceed
    while one writer writes, and a writer waits up to ``timeout`` seconds for
    another before reporting the library as busy.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from analysis.session.document import Session, SessionFileError, session_from_dict
from analysis.session.listing import SessionSummary, summary_of
from analysis.session.portable import require_finite
from analysis.session.read_only import connect_read_only, writable
from analysis.session.store_errors import (
    CONFLICT_MESSAGE,
    ConflictError,
    ReadOnlyError,
    StorageError,
)
from analysis.session.store_errors import plain as _plain

SCHEMA_VERSION = 2

_SCHEMA_STEPS = {
    1: [
        """CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            lifter TEXT NOT NULL DEFAULT '',
            name TEXT NOT NULL DEFAULT '',
            date TEXT NOT NULL,
            exercise TEXT NOT NULL DEFAULT '',
            updated_at REAL NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            doc TEXT NOT NULL
        )""",
        "CREATE INDEX sessions_browse ON sessions (deleted, lifter, exercise, date)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ],
    # every write of a session row counts up its revision (see SessionStore.save_document)
    2: ["ALTER TABLE sessions ADD COLUMN revision INTEGER NOT NULL DEFAULT 0"],
}

_checked_lock = threading.Lock()
_checked: set[str] = set()  # library files already checked by this process


def move_aside(path: str | os.PathLike[str]) -> Path:
    """Rename a damaged library (and its ``-wal``/``-shm`` files) out of the way.

    The new name is ``<name>.damaged-YYYYmmdd-HHMMSS``; nothing is deleted, so the
    file can still be recovered with SQLite tools. Returns the new path.

    Raises
    ------
    StorageError
        When the file cannot be renamed.
    """
    path = Path(path)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        os.replace(path, target)
        for suffix in ("-wal", "-shm"):
            side = Path(f"{path}{suffix}")
            if side.exists():
                os.replace(side, Path(f"{target}{suffix}"))
    except OSError as exc:
        raise StorageError(f"The damaged library {path} could not be moved aside: "
                           f"{exc.strerror or exc}.") from exc
    with _checked_lock:
        _checked.discard(str(path.resolve()))
    return target


def _check_existing(path: Path) -> None:
    """Refuse a damaged or foreign library file, reading it only (never writing)."""
    key = str(path.resolve())
    with _checked_lock:
        if key in _checked:
            return
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return  # a new library
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except (OSError, sqlite3.Error):
        return  # cannot even read it: the normal open reports why
    try:
        # one read transaction: the version and the tables must come from the same
        # snapshot (read apart, another opener's first migration could commit between
        # them, and a brand-new library read as "another program's database")
        probe.execute("BEGIN")
        result = [r[0] for r in probe.execute("PRAGMA quick_check(5)").fetchall()]
        if result != ["ok"]:
            raise StorageError(
                f"The session library at {path} is damaged ({'; '.join(result)[:200]}). "
                "LiftLens did not change it; move it aside (or restore a backup) to start "
                "a new library.")
        version = probe.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in probe.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version == 0 and tables or version > 0 and "sessions" not in tables:
            raise StorageError(f"{path} is a database of another program, not a LiftLens "
                               "library; LiftLens did not change it.")
    except sqlite3.DatabaseError as exc:
        if "unable to open" in str(exc).lower():
            return
        raise _plain(exc, path) from exc
    finally:
        probe.close()
    with _checked_lock:
        _checked.add(key)


class SessionStore:
    """All sessions of this user, in one SQLite library file.

    Parameters
    ----------
    path : path-like
        The library file (the app passes ``platformdirs.user_data_dir("liftlens")
        / "library.sqlite3"``); its folder is created when missing.
    timeout : float
        Seconds to wait for another writer before reporting the library as busy.

    Attributes
    ----------
    read_only : str
        Why the library is only read ("" when it can be written): an existing library
        that cannot be written is opened to read, so its sessions still show; every
        write then raises :class:`ReadOnlyError`.

    Raises
    ------
    StorageError
        When the library cannot be created or opened, is damaged, belongs to
        another program, or was written by a newer LiftLens.
    """

    def __init__(self, path: str | os.PathLike[str], timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.read_only = ""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"LiftLens cannot create its library folder {self.path.parent}: "
                               f"{exc.strerror or exc}.") from exc
        _check_existing(self.path)
        try:
            self._db = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise _plain(exc, self.path) from exc
        try:
            self._db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            self._set_wal(timeout)
            self._db.execute("PRAGMA synchronous=FULL")  # the machine may die, not just the app
            self._migrate()
            if not writable(self.path):  # opened, but every save would fail
                raise sqlite3.OperationalError("attempt to write a readonly database")
        except sqlite3.Error as exc:
            self._db.close()
            error = _plain(exc, self.path)
            if not isinstance(error, ReadOnlyError) or not self._open_read_only(timeout):
                raise error from exc
            self.read_only = str(error)
        except StorageError:
            self._db.close()
            raise

    def _open_read_only(self, timeout: float) -> bool:
        """Read the existing library of the current schema; False when that fails too."""
        if not self.path.is_file():
            return False
        try:
            self._db = connect_read_only(self.path, timeout)
            if self._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                return True
            self._db.close()
        except sqlite3.Error:
            pass
        return False

    def close(self) -> None:
        """Close the connection (the last close checkpoints the WAL into the file)."""
        try:
            self._db.close()
        except sqlite3.Error:
            pass

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------

    def _set_wal(self, timeout: float) -> None:
        """Switch to WAL. On a brand-new file several openers may race here; SQLite can
        answer "locked" at once (without waiting) while another connection changes the
        journal mode, so retry until ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL").fetchall()
                return
            except sqlite3.OperationalError as exc:
                text = str(exc).lower()
                if ("locked" not in text and "busy" not in text) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _migrate(self) -> None:
        """Create or upgrade the tables exactly once, even when several threads or
        processes open a new library at the same moment: ``user_version`` is read
        inside the ``BEGIN IMMEDIATE`` transaction that does the upgrade, so the
        openers queue on the write lock and every one after the first sees the
        tables already made."""
        if self._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return  # the usual case: nothing to do, no write lock taken
        with self._tx():  # executescript would commit early: run statement by statement
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StorageError("This session library was written by a newer LiftLens; "
                                   "update LiftLens to use it.")
            while version < SCHEMA_VERSION:
                version += 1
                for statement in _SCHEMA_STEPS[version]:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version={version}")

    def _tx(self) -> _Transaction:
        return _Transaction(self._db)

    def _read(self, sql: str, args: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise _plain(exc, self.path) from exc

    def _write(self, sql: str, args: tuple[Any, ...] | list[Any] = ()) -> int:
        try:
            with self._tx():
                return self._db.execute(sql, args).rowcount
        except sqlite3.Error as exc:
            raise _plain(exc, self.path) from exc

    # -- reading --------------------------------------------------------------------

    def list_sessions(self, lifter: str | None = None, exercise: str | None = None,
                      date_from: str | None = None, date_to: str | None = None,
                      text: str | None = None, deleted: bool = False) -> list[SessionSummary]:
        """Sessions matching every given filter, newest date first.

        Parameters
        ----------
        lifter, exercise : str, optional
            Exact match, ignoring case.
        date_from, date_to : str, optional
            ISO dates (YYYY-MM-DD), inclusive.
        text : str, optional
            Appears anywhere in the session (lifter, exercise, title, notes, drawings).
        deleted : bool
            List the trash instead of the library.
        """
        sql = ("SELECT id, name, lifter, date, exercise, updated_at, deleted FROM sessions "
               "WHERE deleted=?")
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
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            sql += " AND (" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in
                                          ("lifter", "exercise", "name", "doc")) + ")"
            args += [pattern] * 4
        sql += " ORDER BY date DESC, updated_at DESC"
        return [summary_of(row) for row in self._read(sql, args)]

    def recent(self, limit: int = 10) -> list[SessionSummary]:
        """The ``limit`` most recently saved sessions (not in the trash), newest first."""
        rows = self._read("SELECT id, name, lifter, date, exercise, updated_at, deleted "
                          "FROM sessions WHERE deleted=0 ORDER BY updated_at DESC LIMIT ?",
                          (int(limit),))
        return [summary_of(row) for row in rows]

    def lifters(self) -> list[str]:
        """Distinct lifter names in the library (for the filter box)."""
        return [r[0] for r in self._read(
            "SELECT DISTINCT lifter FROM sessions WHERE deleted=0 AND lifter<>'' ORDER BY 1")]

    def exercises(self) -> list[str]:
        """Distinct exercises in the library."""
        return [r[0] for r in self._read(
            "SELECT DISTINCT exercise FROM sessions WHERE deleted=0 AND exercise<>'' ORDER BY 1")]

    def get(self, session_id: str) -> Session:
        """The saved session (also from the trash).

        Raises
        ------
        StorageError
            When it is not in the library or cannot be read.
        """
        return self.load(session_id)[0]

    def load(self, session_id: str) -> tuple[Session, int]:
        """The saved session and its revision, read together (pass the revision to
        :meth:`save` / :meth:`save_document` as ``base_revision``).

        Raises
        ------
        StorageError
            When it is not in the library or cannot be read.
        """
        rows = self._read("SELECT doc, revision FROM sessions WHERE id=?", (session_id,))
        if not rows:
            raise StorageError("That session is no longer in the library.")
        try:
            return require_finite(session_from_dict(json.loads(rows[0][0]))), int(rows[0][1])
        except SessionFileError as exc:  # a ValueError too: checked first
            raise StorageError(f"The saved session cannot be opened: {exc}") from exc
        except (ValueError, RecursionError) as exc:
            raise StorageError(f"The saved session is damaged and cannot be opened ({exc}).") \
                from exc

    def revision(self, session_id: str) -> int:
        """The session's revision in the library (0 when it is not there)."""
        rows = self._read("SELECT revision FROM sessions WHERE id=?", (session_id,))
        return int(rows[0][0]) if rows else 0

    def exists(self, session_id: str) -> bool:
        """True when the session is in the library (or its trash)."""
        return bool(self._read("SELECT 1 FROM sessions WHERE id=?", (session_id,)))

    def in_library(self, session_id: str) -> bool:
        """True when the session is in the library and not in its trash (the sessions the
        app lists, and the only ones it reopens by itself)."""
        return bool(self._read("SELECT 1 FROM sessions WHERE id=? AND deleted=0", (session_id,)))

    # -- writing --------------------------------------------------------------------

    def save(self, session: Session, base_revision: int | None = None) -> int:
        """Insert or replace ``session`` in one transaction; returns its new revision.

        ``session`` is only read. A session in the trash stays there (use :meth:`restore`).
        ``base_revision`` is the revision the edits started from (from :meth:`load`, or
        the value the previous save returned; 0 for a session never saved); ``None``
        saves unconditionally.

        Raises
        ------
        ConflictError
            When the library holds a newer revision than ``base_revision``; nothing
            was written.
        StorageError
            When the library cannot be written; the previously saved version stays.
        """
        return self.save_document(session.to_dict(), base_revision)

    def save_document(self, d: dict[str, Any], base_revision: int | None = None) -> int:
        """Save a session given as its document (``Session.to_dict()``), e.g. a snapshot
        taken on the GUI thread and saved on a worker; returns its new revision
        (``base_revision`` as for :meth:`save`).

        Raises
        ------
        ConflictError
            When the library holds a newer revision than ``base_revision``.
        StorageError
            When the document is not a session or the library cannot be written.
        """
        row = _Row.of(d)
        try:
            doc = json.dumps(d, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise StorageError(f"The session could not be saved: it holds a value that is "
                               f"not plain data ({exc}).") from exc
        try:
            with self._tx():
                found = self._db.execute("SELECT revision FROM sessions WHERE id=?",
                                         (row.id,)).fetchall()
                current = int(found[0][0]) if found else 0
                if base_revision is not None and current != base_revision:
                    raise ConflictError(CONFLICT_MESSAGE, current)
                self._db.execute(
                    "INSERT INTO sessions (id, lifter, name, date, exercise, updated_at, deleted,"
                    " doc, revision) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT(id) DO UPDATE"
                    " SET lifter=excluded.lifter, name=excluded.name, date=excluded.date,"
                    " exercise=excluded.exercise, updated_at=excluded.updated_at,"
                    " doc=excluded.doc, revision=excluded.revision",
                    (row.id, row.lifter, row.name, row.date, row.exercise, time.time(), doc,
                     current + 1))
        except sqlite3.Error as exc:
            raise _plain(exc, self.path) from exc
        return current + 1

    def rename(self, session_id: str, name: str) -> None:
        """Give the session a title (``""`` returns to the automatic one)."""
        session, revision = self.load(session_id)
        session.name = name
        self.save(session, revision)

    def duplicate(self, session_id: str) -> Session:
        """Save and return a copy with a new id, " (copy)" title, and new drawing ids."""
        copy = self.get(session_id)
        copy.id = str(uuid.uuid4())
        copy.name = f"{copy.title} (copy)"
        on_screen = copy.reopens_on()
        for rec in copy.recordings:
            rec.id = str(uuid.uuid4())
            rec.annotations = [a.copy_to(a.t) if hasattr(a, "copy_to") else a
                               for a in rec.annotations]
        copy.on_screen = on_screen.id if on_screen is not None else None
        self.save(copy)
        return copy

    def delete(self, session_id: str) -> None:
        """Move to the trash (undo with :meth:`restore`; :meth:`purge` deletes for good)."""
        self._set_deleted(session_id, 1)

    def restore(self, session_id: str) -> None:
        """Take a session out of the trash."""
        self._set_deleted(session_id, 0)

    def purge(self, session_id: str) -> None:
        """Delete a session for good."""
        self._write("DELETE FROM sessions WHERE id=?", (session_id,))

    def empty_trash(self) -> int:
        """Delete every session in the trash for good; returns how many."""
        return self._write("DELETE FROM sessions WHERE deleted=1")

    def _set_deleted(self, session_id: str, flag: int) -> None:
        n = self._write("UPDATE sessions SET deleted=?, updated_at=?, revision=revision+1 "
                        "WHERE id=?",
                        (flag, time.time(), session_id))
        if n == 0:
            raise StorageError("That session is no longer in the library.")

    def get_meta(self, key: str, default: str = "") -> str:
        """A small app value stored in the library (e.g. ``"last_session"``)."""
        rows = self._read("SELECT value FROM meta WHERE key=?", (key,))
        return rows[0][0] if rows else default

    def set_meta(self, key: str, value: str) -> None:
        """Store a small app value in the library."""
        self._write("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def replace_meta(self, key: str, old: str, new: str) -> bool:
        """Set ``key`` to ``new`` only while it holds ``old``, in one step (a value another
        connection stored meanwhile is kept); True when it was replaced."""
        return self._write("UPDATE meta SET value=? WHERE key=? AND value=?", (new, key, old)) > 0

    def integrity_ok(self) -> bool:
        """Full ``PRAGMA integrity_check`` (slow on big libraries: for tests and repair)."""
        return self._read("PRAGMA integrity_check")[0][0] == "ok"


@dataclass(frozen=True)
class _Row:
    """The browse columns of a session document."""

    id: str
    lifter: str
    name: str
    date: str
    exercise: str

    @classmethod
    def of(cls, d: Any) -> _Row:
        if not isinstance(d, dict) or not isinstance(d.get("id"), str) or not d["id"]:
            raise StorageError("The session could not be saved: it has no id.")
        cols = {k: d.get(k, "") for k in ("lifter", "name", "date", "exercise")}
        if not all(isinstance(v, str) for v in cols.values()):
            raise StorageError("The session could not be saved: its details are not text.")
        return cls(id=d["id"], **cols)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            try:
                self._db.execute("COMMIT")
                return
            except sqlite3.Error:
                self._rollback()
                raise
        self._rollback()

    def _rollback(self) -> None:
        # SQLite may already have rolled back (e.g. on a full disk); never let the
        # rollback hide the error that caused it.
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
