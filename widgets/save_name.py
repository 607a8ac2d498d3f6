"""The file name a save dialog's answer stands for: the name typed, kept as typed, with
the chosen filter's extension added when it does not already end in it.

Qt's own save dialog (the one shown where the desktop offers none, e.g. under Xvfb)
returns a typed "squat" as "squat": a session saved as a file that the import dialog's
"*.liftlens" filter then hides. A name with dots of its own ("Smith 12.05") is not taken
for one with an extension; "All files (*)" keeps the name exactly as typed."""

from __future__ import annotations

import re

_PATTERNS = re.compile(r"\(([^)]*)\)")


def filter_extensions(filter_: str) -> list[str]:
    """The extensions (lower case, without the dot) a name filter such as
    ``"LiftLens sessions (*.liftlens)"`` names; [] for "All files (*)" or no filter. With
    several filters (``;;``) the first one's."""
    first = filter_.split(";;")[0]
    found = _PATTERNS.search(first)
    if found is None:
        return []
    exts = []
    for pattern in found.group(1).split():
        if pattern.startswith("*.") and "*" not in pattern[2:] and len(pattern) > 2:
            ext = pattern[2:].lower()
            if ext not in exts:
                exts.append(ext)
    return exts


def with_extension(path: str, filter_: str) -> str:
    """``path`` ending in one of ``filter_``'s extensions (any case) as it is; otherwise
    with the first one added (``"squat"`` -> ``"squat.liftlens"``,
    ``"Smith 12.05"`` -> ``"Smith 12.05.liftlens"``). A filter naming no extension
    (``"All files (*)"``) keeps ``path`` exactly; so does an empty ``path``."""
    exts = filter_extensions(filter_)
    if not path or not exts or path.endswith(("/", "\\")):
        return path
    if any(path.lower().endswith("." + e) for e in exts):
        return path
    return f"{path}.{exts[0]}"
