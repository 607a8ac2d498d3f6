"""Where exports are proposed, and the check that the chosen folder can be written.

A phone mount, a camera card or a shared folder is often read-only: an export proposed
there failed only after the dialog closed. Every export (clip, side-by-side, snapshot,
contact sheet, data, report, Kinovea file, session file) is proposed by one rule,
:func:`export_folder`: the folder the user last exported to (remembered in the
settings, :attr:`app.settings.Settings.export_dir`), else the user's own folders
(Videos for a video or a picture, Documents for a file of data or a session, then home),
and only a folder LiftLens may write; never beside the source clip (a clips folder is
often a phone's DCIM folder, shared or read-only, and as root its mode does not stop a
write). A chosen folder that cannot be written is said in plain words before anything
starts.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.settings import Settings


def can_write(folder: str | os.PathLike[str]) -> bool:
    """True when ``folder`` is an existing folder LiftLens may create files in
    (``os.access`` W_OK and X_OK; note that root passes it on any mode)."""
    f = Path(folder)
    return f.is_dir() and os.access(f, os.W_OK | os.X_OK)


#: the file types exported as pictures or videos (proposed in Videos before Documents)
MEDIA_SUFFIXES = (".mp4", ".mov", ".m4v", ".png", ".jpg", ".jpeg")


def user_folders(media: bool = True) -> list[Path]:
    """The user's own folders, in the order exports fall back to them: for a video or a
    picture (``media``) Videos (Movies on macOS), Documents, then home; for anything
    else Documents, then home."""
    home = Path.home()
    own = [home / "Documents", home]
    return [home / "Videos", home / "Movies", *own] if media else own


def propose_folder(last: str | None, media: bool = True) -> Path:
    """The folder an export is proposed in: the ``last`` export folder if it may be
    written, else the first writable of :func:`user_folders`; home when none may be
    written (the check on Save then says so)."""
    candidates = [Path(last)] if last else []
    candidates += user_folders(media)
    return next((c for c in candidates if can_write(c)), Path.home())


def export_folder(settings: Settings, file_name: str) -> Path:
    """Where an export named ``file_name`` (its name or just its suffix: "reps.csv",
    ".liftlens") is proposed: the rule every export dialog follows (module docstring)."""
    media = Path(file_name).suffix.lower() in MEDIA_SUFFIXES or \
        file_name.lower() in MEDIA_SUFFIXES
    return propose_folder(settings.export_dir or None, media)


def remember_export(settings: Settings, path: str) -> None:
    """The next export, of any kind, proposes the folder of ``path`` (one just written)."""
    if path:
        settings.export_dir = str(Path(path).expanduser().parent)


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
