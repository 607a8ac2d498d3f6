"""Two processes editing one session in one library: a save never silently replaces a
newer revision (it is refused plainly), and with reload-and-retry nothing is lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.session import Recording, Session
from analysis.session.store import ConflictError, SessionStore

ROOT = Path(__file__).resolve().parents[2]
EDITS = 60 * max(1, int(os.environ.get("LIFTLENS_STRESS", "1") or 1))  # 5: 600 in all

EDITOR = r"""
import json, sys
from analysis.annotations.moments import KeyMoment
from analysis.session.store import ConflictError, SessionStore
path, sid, tag, mode, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
store = SessionStore(path)
session, rev = store.load(sid)
log = []
for i in range(n):
    mid = f"{tag}-{i}"
    while True:
        session.recordings[0].key_moments.append(KeyMoment(i * 0.1, mid, id=mid))
        try:
            rev = store.save(session, rev)
            log.append({"ok": True, "rev": rev,
                        "ids": [k.id for k in session.recordings[0].key_moments]})
            break
        except ConflictError as exc:
            log.append({"ok": False, "newer": exc.revision, "msg": str(exc)})
            if mode == "app":  # like a window: refused, the edit stays in memory
                break
            session, rev = store.load(sid)  # reload the newer revision, redo the edit
print(json.dumps(log))
"""


def _start(path: Path, sid: str, tag: str, mode: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-c", EDITOR, str(path), sid, tag, mode, str(EDITS)],
                            stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def _run_two(tmp_path: Path, mode: str) -> tuple[list[dict], list[str]]:
    path = tmp_path / "library.sqlite3"
    s = Session(id="shared", lifter="Ann", recordings=[Recording("/v/set1.mp4")])
    with SessionStore(path) as store:
        assert store.save(s, 0) == 1
    procs = [_start(path, "shared", tag, mode) for tag in ("a", "b")]
    logs = []
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0
        logs += json.loads(out)
    with SessionStore(path) as store:
        final = [k.id for k in store.get("shared").recordings[0].key_moments]
        assert store.integrity_ok()
    return logs, final


def _assert_no_lost_update(logs: list[dict], final: list[str]) -> None:
    saves = sorted((e for e in logs if e["ok"]), key=lambda e: e["rev"])
    revs = [e["rev"] for e in saves]
    assert revs == list(range(2, 2 + len(saves))), "two saves got the same revision"
    kept: set[str] = set()
    for e in saves:  # each revision holds everything the one before it held
        assert kept <= set(e["ids"]), f"revision {e['rev']} dropped {kept - set(e['ids'])}"
        kept = set(e["ids"])
    assert set(final) == kept


def test_two_processes_with_retry_lose_nothing(tmp_path):
    logs, final = _run_two(tmp_path, "retry")
    _assert_no_lost_update(logs, final)
    assert sorted(final) == sorted(f"{t}-{i}" for t in "ab" for i in range(EDITS))


def test_two_windows_are_refused_plainly_never_silently(tmp_path):
    logs, final = _run_two(tmp_path, "app")
    _assert_no_lost_update(logs, final)
    refused = [e for e in logs if not e["ok"]]
    assert all("another LiftLens window" in e["msg"] for e in refused)
    # every edit is either in the library or was refused with that message
    assert len(logs) == 2 * EDITS


def test_stale_save_is_refused_and_changes_nothing(tmp_path):
    with SessionStore(tmp_path / "library.sqlite3") as store:
        s = Session(lifter="Ann")
        rev = store.save(s, 0)
        other, other_rev = store.load(s.id)
        other.notes = "from the other window"
        assert store.save(other, other_rev) == rev + 1
        s.notes = "mine"
        with pytest.raises(ConflictError, match="another LiftLens window") as err:
            store.save(s, rev)
        assert err.value.revision == rev + 1
        assert store.get(s.id).notes == "from the other window"
        with pytest.raises(ConflictError):
            store.save(Session(id=s.id), 0)  # a "new" session cannot replace a saved one
        store.delete(s.id)  # trash and rename count as changes too
        assert store.revision(s.id) == rev + 2
        store.rename(s.id, "renamed")
        assert store.load(s.id)[1] == rev + 3
        assert store.save(s) == rev + 4  # no revision given: saved unconditionally
        assert store.revision("missing") == 0


def test_library_of_the_previous_schema_is_upgraded_in_place(tmp_path):
    import sqlite3

    from analysis.session.store import _SCHEMA_STEPS

    path = tmp_path / "library.sqlite3"
    db = sqlite3.connect(path)
    for statement in _SCHEMA_STEPS[1]:
        db.execute(statement)
    s = Session(lifter="Ann", notes="saved by 0.1")
    db.execute("INSERT INTO sessions (id, date, updated_at, doc) VALUES (?, ?, 0, ?)",
               (s.id, s.date, json.dumps(s.to_dict())))
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    with SessionStore(path) as store:
        got, rev = store.load(s.id)
        assert got.notes == "saved by 0.1" and rev == 0
        s.notes = "saved by this version"
        assert store.save(s, rev) == 1
