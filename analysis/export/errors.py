"""Errors raised while exporting, worded for the person using the app."""

from __future__ import annotations

import errno
import os

import av

#: errno values that mean "the disk (or the user's quota) is full".
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


class ExportError(Exception):
    """An export could not be completed; no output file was left behind.

    ``str(err)`` is a plain-language sentence fit for a dialog or the command
    line; ``detail`` holds the technical cause for the log file.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


def plain_write_error(exc: BaseException, target: str) -> ExportError:
    """Translate a failure while writing ``target`` into an :class:`ExportError`.

    Parameters
    ----------
    exc : BaseException
        The original error (``OSError``, ``av.FFmpegError`` or anything else).
    target : str
        The file the user asked for (not the temporary file).
    """
    name = os.path.basename(target)
    folder = os.path.dirname(os.path.abspath(target))
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, ExportError):
        return exc
    code = getattr(exc, "errno", None)
    if isinstance(exc, OSError) and code in _FULL:
        return ExportError(
            f"There is not enough free disk space to save “{name}”. "
            "Free some space or choose another folder.", detail)
    if isinstance(exc, OSError) and code in _DENIED:
        return ExportError(f"LiftLens may not write to the folder “{folder}”.", detail)
    if isinstance(exc, MemoryError):
        return ExportError(f"The computer ran out of memory while saving “{name}”.", detail)
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        return ExportError(f"“{name}” could not be saved: {reason}.", detail)
    if isinstance(exc, av.FFmpegError):
        return ExportError(f"The video encoder failed while saving “{name}”, so nothing was "
                           "saved. Export again; if it fails again, Help → Open log folder "
                           "shows the cause to report.", detail)
    return ExportError(f"“{name}” could not be saved because of an internal error.", detail)
