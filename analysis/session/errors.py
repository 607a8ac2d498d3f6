"""Errors raised where session data comes in; each message is a sentence for the user."""

from __future__ import annotations


class SessionFileError(ValueError):
    """A session file or record cannot be read; the message is for the user."""


class RecordingDataError(SessionFileError):
    """A recording's track, calibration or rep corrections are damaged.

    Raised once, where a session file or a library row is read; everything after
    that boundary works with typed, finite values.
    """
