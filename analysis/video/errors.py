"""Errors raised by the video engine, worded for the person using the app."""

from __future__ import annotations


class VideoError(Exception):
    """A video could not be opened or decoded.

    ``str(err)`` is a plain-language sentence fit for a dialog; ``detail``
    holds the technical cause for the log file.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
