"""Explicit, tested steps from every earlier session format to the current one.

Version 1 (the first prototype's format) kept one video per session at the top
level, drawings with frame-free ``time`` fields named ``at``, and the load as a
string such as ``"140 kg"``. Version 2 holds a list of recordings. Version 3's rep
corrections (``rep_overrides``, their own version 2) may also split and merge reps.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any, TypeGuard

from analysis.session.document import FORMAT, FORMAT_VERSION, SessionFileError
from analysis.session.overrides import migrate as migrate_overrides

MigrationStep = Callable[[dict[str, Any]], dict[str, Any]]


def _v1_to_v2(d: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in d.items() if k not in ("video", "drawings", "load", "moments")}
    load = d.get("load")
    if isinstance(load, str):
        m = re.match(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(kg|lb)?\s*$", load)
        if not m:
            raise SessionFileError(f"the load {load!r} in this old session is not understood")
        out["load"] = float(m.group(1))
        out["load_unit"] = m.group(2) or "kg"
    else:
        out["load"] = load
    drawings = []
    raw_drawings = d.get("drawings", []) or []
    moments = d.get("moments", []) or []
    if not isinstance(raw_drawings, list) or not isinstance(moments, list):
        raise SessionFileError("the drawings or key moments of this old session are damaged")
    for a in raw_drawings:
        if not isinstance(a, dict):
            raise SessionFileError("a drawing in this old session is damaged")
        a = dict(a)
        if "at" in a:
            a["t"] = a.pop("at")
        drawings.append(a)
    video = d.get("video")
    recordings = []
    if video is not None:
        if not isinstance(video, str):
            raise SessionFileError("the video of this old session is damaged")
        recordings.append({"id": f"{d.get('id', 'session')}-rec1"[:64],
                           "video": {"path": video, "size": 0, "fingerprint": ""},
                           "set_number": 1, "annotations": drawings,
                           "key_moments": moments})
    out["recordings"] = recordings
    out["format_version"] = 2
    return out


def _v2_to_v3(d: dict[str, Any]) -> dict[str, Any]:
    """Each recording's rep corrections as their version 2 (no splits or merges yet)."""
    out = dict(d)
    recordings = d.get("recordings", [])
    if isinstance(recordings, list):
        out["recordings"] = [
            {**r, "rep_overrides": migrate_overrides(r["rep_overrides"])}
            if isinstance(r, dict) and isinstance(r.get("rep_overrides"), dict)
            and r["rep_overrides"] else r for r in recordings]
    out["format_version"] = 3
    return out


#: ``STEPS[n]`` turns a version-n document into version n+1.
STEPS: dict[int, MigrationStep] = {1: _v1_to_v2, 2: _v2_to_v3}


def migrate(d: dict[str, Any]) -> dict[str, Any]:
    """Bring a session document to :data:`FORMAT_VERSION` (never modifies ``d``).

    A document from a newer LiftLens is returned as it is (with its
    ``min_reader_version`` checked) when it declares that this version may read
    it; its unknown parts are then kept by the readers.

    Raises
    ------
    SessionFileError
        When ``d`` is not a session document, has no valid version, needs a newer
        LiftLens, or an old document cannot be understood.
    """
    if d.get("format") != FORMAT:
        raise SessionFileError("this is not a LiftLens session file")
    version = d.get("format_version")
    if not _is_int(version) or version < 1:
        raise SessionFileError("the session file has no valid version number")
    if version > FORMAT_VERSION:
        min_reader = d.get("min_reader_version", version)
        if not _is_int(min_reader) or min_reader > FORMAT_VERSION:
            raise SessionFileError(
                f"this session was saved by a newer LiftLens (format {version}); "
                "update LiftLens to open it")
        out = copy.deepcopy(d)
        out["min_reader_version"] = max(min_reader, 1)
        return out
    d = copy.deepcopy(d)
    while version < FORMAT_VERSION:
        d = STEPS[version](d)
        version = int(d["format_version"])
    return d


def _is_int(v: Any) -> TypeGuard[int]:
    return isinstance(v, int) and not isinstance(v, bool)
