"""Which files a batch measures: the clips named on the command line, folders searched
for video files (:func:`find_clips`), each path once."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".mts", ".m2ts",
                            ".ts", ".3gp", ".wmv", ".mpg", ".mpeg"})


@dataclass(frozen=True)
class Clip:
    """A clip to measure: ``path`` (links resolved: the file measured, once however it is
    named) and ``name``, its path relative to the folder argument it was found in (or its
    file name); ``folders`` are the names of the folders between that argument and the
    clip (for ``--exercise-from-folder``); ``given`` is the path as the user named it,
    made absolute but with its links kept (the summary's ``file``)."""

    path: Path
    name: str
    folders: tuple[str, ...] = ()
    given: str = ""

    @property
    def shown(self) -> str:
        """The path the user gave (``given``), else ``path``."""
        return self.given or str(self.path)


def find_clips(paths: Iterable[str | os.PathLike[str]]) -> list[Clip]:
    """The clips named by ``paths``: files as given (whatever their type: a file that is
    not a video becomes a failed row), folders searched recursively for video files
    (:data:`VIDEO_SUFFIXES`, hidden files left out), in name order, each path once. A
    link whose file is gone is listed too (its row says "broken link"): it was left out
    without a word."""
    out: list[Clip] = []
    seen: set[Path] = set()
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.suffix.lower() in VIDEO_SUFFIXES
                           and (f.is_file() or _broken_link(f))
                           and not any(part.startswith(".")
                                       for part in f.relative_to(p).parts))
            items = [(f, f.relative_to(p)) for f in found]
        else:
            items = [(p, Path(p.name))]
        for f, rel in items:
            # a broken link stays itself: its row says "broken link", not a missing target
            key = Path(os.path.abspath(f)) if _broken_link(f) else f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(Clip(key, rel.as_posix(), tuple(rel.parts[:-1]),
                                os.path.abspath(f)))
    return out


def _broken_link(p: Path) -> bool:
    return p.is_symlink() and not p.exists()


def folders_without_clips(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The folder arguments among ``paths`` in which :func:`find_clips` finds no video
    file (to say so: they add no row)."""
    return [str(arg) for arg in paths if Path(arg).is_dir() and not find_clips([arg])]
