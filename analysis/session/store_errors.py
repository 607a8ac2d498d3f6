"""The session library's errors: each message is a sentence for the user."""

from __future__ import annotations

from pathlib import Path


class StorageError(Exception):
    """The library could not be read or written; the message is for the user."""


class ReadOnlyError(StorageError):
    """The library cannot be written (read-only folder, file or disk)."""


class ConflictError(StorageError):
    """The session was saved by someone else (another LiftLens window or process)
    after the revision this save started from; nothing was overwritten.

    ``revision`` is the newer revision now in the library.
    """

    def __init__(self, message: str, revision: int) -> None:
        super().__init__(message)
        self.revision = revision


CONFLICT_MESSAGE = (
    "This session was changed in another LiftLens window after it was opened here, so "
    "your changes were not saved over it. They are still open in this window: save them "
    "as a new session to keep both versions, or reopen the session to see the other "
    "window's version instead.")


def plain(exc: BaseException, path: Path) -> StorageError:
    """A plain-language :class:`StorageError` for an ``sqlite3``/OS error."""
    text = str(exc).lower()
    if "full" in text or getattr(exc, "errno", None) == 28:
        msg = (f"The disk holding the library ({path.parent}) is full. Nothing was lost: "
               "your work is still open. Free some space, and it will be saved.")
    elif any(w in text for w in ("readonly", "read-only", "unable to open", "permission",
                                 "access permission")):
        return ReadOnlyError(f"LiftLens cannot write to its library at {path}. Check that "
                             "the folder exists and is writable; your work is still open.")
    elif "locked" in text or "busy" in text:
        msg = ("The session library is busy (is another LiftLens saving?). Your work is "
               "still open; try again in a moment.")
    elif "not a database" in text or "malformed" in text or "corrupt" in text:
        msg = (f"The session library at {path} is damaged. LiftLens did not change it; "
               "move it aside (or restore a backup) to start a new library.")
    else:
        msg = f"The session library at {path} could not be used ({exc})."
    return StorageError(msg)
