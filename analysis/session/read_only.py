"""Reading a session library that cannot be written (a read-only folder or file, a
read-only disk): past sessions stay listed and can be opened, viewed and exported.

A WAL library needs its ``-shm`` file even to be read; when the folder cannot hold one,
SQLite reads the file as immutable instead (``immutable=1``: nobody can be writing it,
since the folder is closed to writes). See https://sqlite.org/wal.html#readonly.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def writable(path: Path) -> bool:
    """Whether this process may write ``path`` (a missing file: its folder). ``os.access``
    also answers no for an immutable file (``chattr +i``) and a read-only file system,
    also for root."""
    target = path if path.exists() else path.parent
    return os.access(target, os.W_OK)


def connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection that only reads the library at ``path``, checked by reading its
    ``sessions`` table.

    Raises
    ------
    sqlite3.Error
        When it cannot be read either (the caller reports its own, plainer error).
    """
    uri = path.resolve().as_uri()
    error: sqlite3.Error | None = None
    for query in ("mode=ro", "mode=ro&immutable=1"):
        db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(f"{uri}?{query}", uri=True, timeout=timeout,
                                 isolation_level=None)
            db.execute("SELECT count(*) FROM sessions").fetchone()
            return db
        except sqlite3.Error as exc:
            error = exc
            if db is not None:
                db.close()
    assert error is not None
    raise error
