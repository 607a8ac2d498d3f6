"""One-file sessions to share with a coach, and finding a moved video again.

Export writes JSON to a temporary file beside the target, flushes it to disk
and renames it into place, so a failure (a full disk, a cancelled job) never
leaves a half-written file and never damages an existing one. Import only
reads: the file is parsed as JSON (no pickle, no eval), checked strictly, and
never modified.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from analysis.io import atomic
from analysis.session.document import Recording, Session, SessionFileError, session_from_dict

SUFFIX = ".liftlens"
MAX_FILE_BYTES = 64 << 20
_CHUNK = 1 << 20


def export_session(session: Session, path: str | os.PathLike[str]) -> None:
    """Write ``session`` to ``path`` atomically.

    Raises
    ------
    SessionFileError
        When the file cannot be written (disk full, no permission); no partial
        file is left and an existing file at ``path`` is unchanged.
    """
    path = Path(path)
    data = json.dumps(session.to_dict(), ensure_ascii=False, indent=1, allow_nan=False)
    atomic_write_text(path, data)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically. Raises :class:`SessionFileError` in plain
    words when it cannot be written (nothing is overwritten)."""
    try:
        atomic.atomic_write_text(path, text)
    except OSError as exc:
        raise SessionFileError(atomic.plain_save_error(path, exc)) from exc


def import_session(path: str | os.PathLike[str]) -> Session:
    """Read a session file (any supported version) without changing it.

    Raises
    ------
    SessionFileError
        With a plain message when the file is missing, too large, not JSON,
        damaged, or from a newer LiftLens.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SessionFileError(f"“{path.name}” is too large to be a session file.")
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise SessionFileError(f"“{path.name}” does not exist.") from exc
    except IsADirectoryError as exc:
        raise SessionFileError(f"“{path.name}” is a folder, not a session file.") from exc
    except OSError as exc:
        raise SessionFileError(f"“{path.name}” cannot be read: {exc.strerror or exc}.") from exc
    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise SessionFileError(f"“{path.name}” is not a LiftLens session file "
                               "(it is damaged or in another format).") from exc
    try:
        return require_finite(session_from_dict(doc))
    except SessionFileError as exc:
        raise SessionFileError(f"“{path.name}”: {exc}") from exc
    except RecursionError as exc:
        raise SessionFileError(f"“{path.name}” is damaged (nested too deeply).") from exc


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed in a session file")


def require_finite(session: Session) -> Session:
    """``session`` when every number in it is finite (so it can be saved), else an error.

    A number too large for a float (``1e999``) reads as infinity; the checks of the
    track, scale and corrections name it, and this catches it anywhere else (fields
    from a newer LiftLens, which are kept and written back).

    Raises
    ------
    SessionFileError
        When the session holds an infinite or NaN number.
    """
    try:
        json.dumps(session.to_dict(), allow_nan=False)
    except ValueError as exc:
        raise SessionFileError("it holds a number too large to be a measurement (such as "
                               "1e999); the file is damaged") from exc
    return session


def fingerprint(path: str | os.PathLike[str]) -> str:
    """A quick content hash of a video, in hex.

    SHA-256 over the decimal file size (ASCII) followed by the first MiB, the MiB
    centred on the middle (starting at ``size // 2 - 512 KiB``) and the last MiB,
    each region read once (regions overlap or coincide for files under 3 MiB).
    It reads at most 3 MiB, so it takes milliseconds even for a 4 GB clip; two
    files that differ only outside those regions (and have the same size) get the
    same value, which is acceptable for recognising a moved copy of the same file.

    Raises
    ------
    OSError
        When the file cannot be read.
    """
    path = Path(path)
    size = path.stat().st_size
    h = hashlib.sha256(str(size).encode())
    with open(path, "rb") as f:
        for offset in sorted({0, max(0, size // 2 - _CHUNK // 2), max(0, size - _CHUNK)}):
            f.seek(offset)
            h.update(f.read(_CHUNK))
    return h.hexdigest()


def describe_video(recording: Recording, path: str | os.PathLike[str]) -> None:
    """Record ``path`` with its size and fingerprint so it can be found again if moved."""
    recording.video_path = os.path.abspath(path)
    recording.video_size = os.path.getsize(path)
    recording.video_fingerprint = fingerprint(path)


def locate_video(recording: Recording, session_dir: str | os.PathLike[str] | None = None,
                 search_dirs: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """Where the recording's video is now.

    Parameters
    ----------
    recording : Recording
        Its ``video_path``, ``video_size`` and ``video_fingerprint`` describe the file.
    session_dir : path-like, optional
        The folder of the session file being opened (a shared session usually
        travels with its videos).
    search_dirs : iterable of path-like
        More folders to look in (one level deep, not recursive).

    Returns
    -------
    list of Path
        ``[stored path]`` when the file is still there and matches; otherwise every
        file in the folders with the same size and fingerprint (any name), in
        folder order. Without a stored size and fingerprint (old files), files
        with the same name match. An empty list means the app must ask the user.
    """
    stored = Path(recording.video_path)
    if stored.is_file() and _matches(stored, recording):
        return [stored]
    dirs = [Path(d) for d in ([session_dir] if session_dir else []) + list(search_dirs)]
    found: list[Path] = []
    for d in dirs:
        if not d.is_dir():
            continue
        for candidate in sorted(d.iterdir()):
            if candidate.is_file() and _matches(candidate, recording) and candidate not in found:
                found.append(candidate)
    return found


def _matches(path: Path, recording: Recording) -> bool:
    if not recording.video_size and not recording.video_fingerprint:
        return path.name == Path(recording.video_path).name
    try:
        if recording.video_size and path.stat().st_size != recording.video_size:
            return False
        return not recording.video_fingerprint or fingerprint(path) == recording.video_fingerprint
    except OSError:
        return False
