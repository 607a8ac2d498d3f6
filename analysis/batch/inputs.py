"""What a finished clip of ``liftlens batch`` was measured from, and how a re-run's
inputs differ from it, in words for the coach.

A finished clip's manifest entry keeps ``inputs``: its manifest row (lifter, exercise,
date, load and unit), its file (size, modification time in ns, content fingerprint,
:func:`analysis.session.portable.fingerprint`) and the settings
(:meth:`analysis.batch.job.ClipJob.settings_key`, which includes the analysis version).
A re-run measures a clip again when any of them differ, and says which
(:func:`what_changed`); entries written before ``inputs`` was kept (2026-12-01) take
the current inputs as theirs without a new measurement.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from typing import Any

#: The kinds of change, as each phrase of :func:`what_changed` starts.
ROW, FILE, SETTINGS = "manifest row changed", "clip file replaced", "analysis settings changed"
_LABEL_FIELDS = ("lifter", "exercise", "date", "load")


def file_state(path: str | os.PathLike[str]) -> dict[str, int]:
    """``{"size": bytes, "mtime_ns": ns}`` of ``path``. Raises OSError."""
    st = os.stat(path)
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def clip_inputs(label: dict[str, Any], path: str, state: dict[str, int], fingerprint: str,
                settings_key: str) -> dict[str, Any]:
    """The ``inputs`` of a manifest entry (plain JSON values); ``label`` is the
    :class:`analysis.batch.run.Label` as a dict."""
    return {"label": dict(label), "file": path, **state, "fingerprint": fingerprint,
            "settings": settings_key}


def what_changed(old: dict[str, Any] | None, new: dict[str, Any], same_key: bool) -> list[str]:
    """Phrases saying how ``new`` inputs differ from ``old`` (both :func:`clip_inputs`; ``old``
    None: an entry written before inputs were kept), e.g.
    ``"manifest row changed (load 100 → 120 kg)"``, ``"clip file replaced (4.1 → 4.3 MB)"``
    or ``"analysis settings changed (plate_mm 450 → 440)"``; empty when nothing did.

    ``same_key``: the entry was found by the clip's content and settings
    (:meth:`ClipJob.key`), so neither differs unless its file was rewritten in place
    (same path, same sampled content, another modification time).
    """
    if old is None:
        return [] if same_key else [f"{FILE} or {SETTINGS}"]
    out = []
    row = _label_diff(old.get("label") or {}, new["label"])
    if row:
        out.append(f"{ROW} ({row})")
    if old.get("fingerprint") != new["fingerprint"] and not same_key:
        size = (f"{_mb(old['size'])} → {_mb(new['size'])}"
                if old.get("size") not in (None, new["size"]) else "same size, other content")
        out.append(f"{FILE} ({size})")
    elif old.get("file") == new["file"] and old.get("mtime_ns") != new["mtime_ns"]:
        out.append(f"{FILE} (same size and sampled content, modified "
                   f"{_when(old.get('mtime_ns'))} → {_when(new['mtime_ns'])})")
    if old.get("settings") != new["settings"]:
        out.append(f"{SETTINGS} ({_settings_diff(old.get('settings'), new['settings'])})")
    return out


def run_sentence(reports: Sequence[Any]) -> str:
    """One line on how a run went, from its :class:`analysis.batch.run.ClipReport` list:
    ``"3 clips unchanged, skipped; 1 clip's manifest row changed (load 100 → 120 kg),
    analysed again; 2 clips measured; 0 failed"``."""
    skipped = sum(r.status == "skipped" for r in reports)
    again = [r for r in reports if r.status == "done" and r.changes]
    new = sum(r.status == "done" and not r.changes for r in reports)
    failed = sum(not r.ok for r in reports)
    parts = [f"{_n(skipped, 'clip')} unchanged, skipped"] if skipped else []
    if len(again) == 1:
        parts.append(f"1 clip's {'; '.join(again[0].changes)}, analysed again")
    elif again:
        kinds: dict[str, int] = {}
        for r in again:
            for c in r.changes:
                kind = next((k for k in (ROW, FILE, SETTINGS) if c.startswith(k)), c)
                kinds[kind] = kinds.get(kind, 0) + 1
        said = ", ".join(f"{k}: {n}" for k, n in kinds.items())
        parts.append(f"{len(again)} clips changed since they were measured ({said}), "
                     "analysed again")
    if new or not parts:
        parts.append(f"{_n(new, 'clip')} measured")
    parts.append(f"{failed} failed")
    return "; ".join(parts)


def _n(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _label_diff(old: dict[str, Any], new: dict[str, Any]) -> str:
    said = []
    for f in _LABEL_FIELDS:
        if f == "load":
            a, b = (old.get("load"), old.get("load_unit", "kg")), (new.get("load"),
                                                                   new.get("load_unit", "kg"))
            if a != b and (a[0], b[0]) != (None, None):
                said.append(f"load {_load(*a, b[1])} → {_load(*b, None)}")
        elif (old.get(f) or "") != (new.get(f) or ""):
            said.append(f"{f} {old.get(f) or '(none)'} → {new.get(f) or '(none)'}")
    return ", ".join(said)


def _load(load: float | None, unit: str, other_unit: str | None) -> str:
    """``100`` before ``→ 120 kg`` (same unit), else with its unit; ``(none)``."""
    if load is None:
        return "(none)"
    return f"{load:g}" if other_unit == unit else f"{load:g} {unit}"


def _settings_diff(old: str | None, new: str) -> str:
    try:
        a, b = json.loads(old or ""), json.loads(new)
    except ValueError:
        return "not recorded before"
    if (a.get("job"), a.get("analysis_format")) != (b.get("job"), b.get("analysis_format")):
        return "LiftLens measures clips differently since"
    flat_a, flat_b = _flat(a), _flat(b)
    said = [f"{k} {flat_a.get(k, '(none)')} → {flat_b.get(k, '(none)')}"
            for k in sorted(set(flat_a) | set(flat_b)) if flat_a.get(k) != flat_b.get(k)]
    return ", ".join(said) or "their form"


def _flat(d: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v))
        else:
            out[k] = "(none)" if v is None else str(v)
    return out


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size} bytes"


def _when(ns: int | None) -> str:
    if ns is None:
        return "(unknown)"
    return dt.datetime.fromtimestamp(ns / 1e9).strftime("%Y-%m-%d %H:%M:%S")
