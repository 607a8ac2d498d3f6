"""Where exports are proposed, and the check that the chosen folder can be written.

A phone mount, a camera card or a shared folder is often read-only: an export proposed
there failed only after the dialog closed. Every export (clip, data, report, pictures)
is proposed in one place: the last export folder, else the user's
Videos/Documents/home folder, and only in a folder LiftLens may write; never beside the
source clip (a clips folder is often shared or read-only, and as root its mode does not
stop a write). A chosen folder that cannot be written is said in plain words before
anything starts.
"""

from __future__ import annotations

import os
from pathlib import Path


def can_write(folder: str | os.PathLike[str]) -> bool:
    """True when ``folder`` is an existing folder LiftLens may create files in
    (``os.access`` W_OK and X_OK; note that root passes it on any mode)."""
    f = Path(folder)
    return f.is_dir() and os.access(f, os.W_OK | os.X_OK)


def user_folders() -> list[Path]:
    """The user's own folders, in the order exports fall back to them: Videos (Movies on
    macOS), Documents, then home."""
    home = Path.home()
    return [home / "Videos", home / "Movies", home / "Documents", home]


def propose_folder(last: str | None) -> Path:
    """The folder an export is proposed in: the ``last`` export folder if it may be
    written, else the first writable of :func:`user_folders`; home when none may be
    written (the check on Save then says so)."""
    candidates = [Path(last)] if last else []
    candidates += user_folders()
    return next((c for c in candidates if can_write(c)), Path.home())


def why_unwritable(path: str) -> str | None:
    """None when the file ``path`` may be written, else the reason in plain words, ending
    with what to do (choose another folder)."""
    if not path.strip():
        return "Give the file a name."
    folder = Path(path).expanduser().parent
    if not folder.is_dir():
        return (f"The folder “{folder}” does not exist. Choose another folder.")
    if not can_write(folder):
        return (f"LiftLens cannot save in the folder “{folder}”: it is read-only (a camera "
                "card, a phone or a shared folder often is). Choose another folder.")
    target = Path(path).expanduser()
    if target.exists() and not os.access(target, os.W_OK):
        return (f"The file “{target.name}” already exists and cannot be replaced (it is "
                "read-only). Choose another name or folder.")
    return None
