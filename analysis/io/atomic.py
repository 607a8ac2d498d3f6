"""Durable file writes shared by sessions, reports, batch results and exports.

A file is written to a temporary file in the same folder, flushed to disk and renamed
over the target, so the target holds the old or the new content, never part of one (a
full disk, a crash mid-save or a cancelled job leaves it as it was).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: The process's file-creation mask, read once at import (os.umask is process-wide, so
#: reading it later from a worker thread could race with other threads).
UMASK = _read_umask()


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Make a rename in ``folder`` durable (POSIX); best effort where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, with ordinary permissions (0666 less the
    umask, as a plain ``open`` would give; a bare temporary file would be private).

    Raises OSError (the temporary file is removed; an existing ``path`` is unchanged).
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~UMASK)
        os.replace(tmp, path)
        tmp = ""
        fsync_dir(path.parent)
    finally:
        if tmp:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """:func:`atomic_write_bytes` of ``text`` in UTF-8 (newlines written as given)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def plain_save_error(path: str | os.PathLike[str], exc: OSError) -> str:
    """The sentence a user reads when saving ``path`` failed with ``exc``."""
    reason = "the disk is full" if exc.errno == 28 else (exc.strerror or str(exc))
    return f"“{Path(path).name}” could not be saved: {reason}. Nothing was overwritten."
