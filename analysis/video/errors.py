"""Errors raised by the video engine, worded for the person using the app."""

from __future__ import annotations

import os


#: Why a file could not be opened (``VideoError.kind``), in the short words a table of
#: results gives (``liftlens batch``'s ``reason``).
MISSING = "does not exist"
BROKEN_LINK = "broken link"
FOLDER = "a folder"
EMPTY = "empty file"
UNREADABLE = "cannot be read"
ENDS_EARLY = "file ends early"
NOT_A_VIDEO = "not a video"


class VideoError(Exception):
    """A video could not be opened or decoded.

    ``str(err)`` is a plain-language sentence fit for a dialog; ``detail``
    holds the technical cause for the log file; ``kind`` says in short words why a
    file could not be opened (:data:`MISSING`, :data:`BROKEN_LINK`, :data:`FOLDER`, :data:`EMPTY`,
    :data:`UNREADABLE`, :data:`ENDS_EARLY`, :data:`NOT_A_VIDEO`), or ``""`` for a
    failure after it was opened (a codec, a damaged frame).
    """

    def __init__(self, message: str, detail: str = "", kind: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.kind = kind


def naming_path(message: str, path: str) -> str:
    """``message`` (a sentence naming a file by its name, “nope.mp4”, as the app's dialogs
    do beside a file chooser that shows the folder) with the file named by ``path`` as
    given instead, for the command line: there the name alone does not say which folder
    was looked in (``liftlens analyze /data/nope.mp4`` said "The file “nope.mp4” does not
    exist."). Unchanged when ``path`` is the bare name or the message does not name it."""
    name = os.path.basename(os.path.normpath(path)) if path else ""
    if not name or name == path:
        return message
    return message.replace(f"“{name}”", f"“{path}”")
