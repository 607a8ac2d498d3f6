"""The SQLite session library: CRUD, filters, trash, errors that lose nothing."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import threading
from pathlib import Path

import pytest

from analysis.session import Session
from analysis.session.store import SessionStore, StorageError, move_aside
from tests.analysis.test_session_doc import full_session


@pytest.fixture
def store(tmp_path):
    s = SessionStore(tmp_path / "library.sqlite3")
    yield s
    s.close()


def test_save_get_update_and_wal(store, tmp_path):
    s = full_session()
    store.save(s)
    assert store.get(s.id) == s
    s.notes = "changed"
    store.save(s)
    assert store.get(s.id).notes == "changed"
    assert len(store.list_sessions()) == 1
    mode = sqlite3.connect(tmp_path / "library.sqlite3").execute("PRAGMA journal_mode").fetchone()
    assert mode[0] == "wal"
    assert store.integrity_ok()


def test_filters_and_order(store):
    for lifter, ex, date in [("Ann", "squat", "2026-01-05"), ("Ann", "bench", "2026-02-01"),
                             ("Bo", "squat", "2026-03-01"), ("ann", "squat", "2026-04-01")]:
        store.save(Session(lifter=lifter, exercise=ex, date=date))
    assert [s.date for s in store.list_sessions()] == ["2026-04-01", "2026-03-01", "2026-02-01",
                                                       "2026-01-05"]
    assert len(store.list_sessions(lifter="Ann")) == 3  # case-insensitive
    assert [s.date for s in store.list_sessions(lifter="ann", exercise="squat")] == \
        ["2026-04-01", "2026-01-05"]
    assert len(store.list_sessions(date_from="2026-02-01", date_to="2026-03-31")) == 2
    assert store.exercises() == ["bench", "squat"]
    assert len(store.list_sessions(text="Bo")) == 1


def test_rename_duplicate_delete_restore(store):
    s = Session(lifter="Ann", exercise="deadlift", date="2026-05-05")
    store.save(s)
    store.rename(s.id, "Deadlift PR day")
    assert store.list_sessions()[0].title == "Deadlift PR day"
    copy = store.duplicate(s.id)
    assert copy.id != s.id and len(store.list_sessions()) == 2
    store.delete(s.id)
    assert [x.id for x in store.list_sessions()] == [copy.id]
    assert [x.id for x in store.list_sessions(deleted=True)] == [s.id]
    store.restore(s.id)
    assert len(store.list_sessions()) == 2
    store.purge(copy.id)
    with pytest.raises(StorageError):
        store.get(copy.id)


def test_meta_for_last_session(store):
    assert store.get_meta("last_session") == ""
    store.set_meta("last_session", "abc")
    assert store.get_meta("last_session") == "abc"


def test_full_disk_keeps_in_memory_work_and_saved_state(store):
    s = full_session()
    store.save(s)
    # simulate a full disk: the database may not grow beyond its current pages
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count={pages}")
    big = full_session()
    big.notes = "x" * 90_000
    with pytest.raises(StorageError, match="full"):
        store.save(big)
    assert big.notes.startswith("x")  # the in-memory session is untouched
    assert store.get(s.id) == s  # and the saved one too
    assert store.integrity_ok()


def _as_unprivileged_user(fn):
    """Run ``fn()`` (returning JSON-able data) in a forked child as user ``nobody`` when we
    are root (root ignores file permissions), directly otherwise."""
    if os.geteuid() != 0:
        return fn()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges, report, never return into pytest
        code = 1
        try:
            os.close(r)
            os.setgid(65534)
            os.setuid(65534)
            os.write(w, json.dumps(fn()).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    assert status == 0 and data, "the unprivileged child failed"
    return json.loads(data)


def _try(fn):
    try:
        fn()
        return "ok"
    except StorageError as exc:
        return "StorageError: " + str(exc)
    except Exception as exc:  # noqa: BLE001 - the test reports any other type as a failure
        return f"{type(exc).__name__}: {exc}"


def test_read_only_folder_is_a_plain_error():
    base = Path(tempfile.mkdtemp(prefix="liftlens-ro-"))  # reachable for the child user
    try:
        os.chmod(base, 0o755)
        ro = base / "ro"
        ro.mkdir()
        existing = base / "ro-existing"
        existing.mkdir()
        with SessionStore(existing / "library.sqlite3") as st:
            st.save(Session(id="kept", lifter="Ann"))
        os.chmod(existing / "library.sqlite3", 0o444)
        for d in (ro, existing):
            os.chmod(d, 0o555)
        session = Session(id="new", lifter="Bo", notes="unsaved work")
        before = session.to_dict()

        def attempts():
            def save_existing():
                with SessionStore(existing / "library.sqlite3") as st:
                    st.save(session)
            return [_try(lambda: SessionStore(ro / "library.sqlite3")),
                    _try(lambda: SessionStore(ro / "sub" / "library.sqlite3")),
                    _try(save_existing)]

        results = _as_unprivileged_user(attempts)
        for r in results:
            assert r.startswith("StorageError: ") and "cannot" in r, r
        assert session.to_dict() == before
        with SessionStore(existing / "library.sqlite3") as st:  # as root again: data intact
            assert [x.id for x in st.list_sessions()] == ["kept"]
    finally:
        for d in base.iterdir():
            os.chmod(d, 0o755)
        shutil.rmtree(base)


def test_read_only_library_file_is_a_plain_error(tmp_path):
    path = tmp_path / "library.sqlite3"
    s = SessionStore(path)
    s.save(Session(lifter="Ann"))
    s.close()
    ro = SessionStore.__new__(SessionStore)
    ro.path = path
    ro._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    with pytest.raises(StorageError, match="cannot write"):
        ro.save(Session(lifter="Bo"))
    ro.close()


def test_damaged_library_is_never_overwritten(tmp_path):
    path = tmp_path / "library.sqlite3"
    junk = b"this is not a database, it is a shopping list\n" * 100
    path.write_bytes(junk)
    with pytest.raises(StorageError, match="damaged"):
        SessionStore(path)
    assert path.read_bytes() == junk


def test_library_from_newer_version_is_refused(tmp_path):
    path = tmp_path / "library.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version=99")
    db.close()
    with pytest.raises(StorageError, match="newer"):
        SessionStore(path)


def _page_size(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[16:18], "big")


def test_damaged_pages_are_refused_untouched_and_can_be_moved_aside(tmp_path):
    path = tmp_path / "library.sqlite3"
    with SessionStore(path) as st:
        for _ in range(30):
            st.save(full_session())
    data = bytearray(path.read_bytes())
    page = _page_size(path)
    assert len(data) > 3 * page
    data[page + 8: page + 200] = bytes([0xA5]) * 192  # wreck the b-tree page after the schema
    path.write_bytes(bytes(data))
    (tmp_path / "library.sqlite3-wal").unlink(missing_ok=True)
    import analysis.session.store as store_mod
    store_mod._checked.clear()  # as on the next start of the app
    with pytest.raises(StorageError, match="damaged"):
        SessionStore(path)
    assert path.read_bytes() == bytes(data)  # never written
    moved = move_aside(path)
    assert not path.exists() and moved.read_bytes() == bytes(data)
    assert ".damaged-" in moved.name
    with SessionStore(path) as st:  # a fresh library starts
        assert st.list_sessions() == []


def test_foreign_database_is_refused_untouched(tmp_path):
    path = tmp_path / "library.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE recipes (name TEXT)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="another program"):
        SessionStore(path)
    assert path.read_bytes() == before


def test_locked_library_is_a_plain_error_and_loses_nothing(tmp_path):
    path = tmp_path / "library.sqlite3"
    store = SessionStore(path, timeout=0.2)
    s = full_session()
    store.save(s)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    s.notes = "edited while locked"
    with pytest.raises(StorageError, match="busy"):
        store.save(s)
    assert s.notes == "edited while locked"
    assert store.get(s.id).notes == "felt fast"  # readers still read under WAL
    other.execute("ROLLBACK")
    other.close()
    store.save(s)
    assert store.get(s.id).notes == "edited while locked"
    store.close()


def test_recent_exists_trash_and_text_filter(store):
    a = Session(lifter="Ann", exercise="squat", date="2026-01-01", notes="100% effort")
    b = Session(lifter="Bo", exercise="bench", date="2026-03-01", notes="paused")
    c = Session(lifter="Cy", exercise="pull", date="2025-01-01", notes="50_50 grip")
    for x in (a, b, c):
        store.save(x)
    store.save(a)  # saved last
    assert [r.id for r in store.recent(2)] == [a.id, c.id]
    assert store.exists(b.id) and not store.exists("nope")
    assert [r.id for r in store.list_sessions(text="100%")] == [a.id]  # % is literal
    assert [r.id for r in store.list_sessions(text="_50")] == [c.id]
    assert store.list_sessions(text="0_0") == []
    store.delete(b.id)
    trash = store.list_sessions(deleted=True)
    assert [(r.id, r.deleted) for r in trash] == [(b.id, True)]
    assert b.id not in [r.id for r in store.recent()]
    assert store.empty_trash() == 1 and not store.exists(b.id)
    with pytest.raises(StorageError, match="no longer"):
        store.restore(b.id)


def test_save_document_rejects_non_sessions(store):
    for bad in (None, {}, {"id": 5}, {"id": "x", "lifter": 3}, {"id": "x", "v": float("nan")}):
        with pytest.raises(StorageError):
            store.save_document(bad)
    assert store.list_sessions() == []


def test_duplicate_gets_new_ids_everywhere(store):
    s = full_session()
    store.save(s)
    copy = store.duplicate(s.id)
    assert copy.title.endswith("(copy)") and copy.id != s.id
    old_ids = {a.id for r in s.recordings for a in r.annotations} | {r.id for r in s.recordings}
    new_ids = {a.id for r in copy.recordings for a in r.annotations} | \
        {r.id for r in copy.recordings}
    assert not old_ids & new_ids
    assert store.get(copy.id) == copy


def test_one_store_per_thread_writes_concurrently(tmp_path):
    path = tmp_path / "library.sqlite3"
    SessionStore(path).close()
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            with SessionStore(path) as st:
                for i in range(15):
                    st.save(Session(id=f"{name}-{i}", lifter=name))
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with SessionStore(path) as st:
        assert len(st.list_sessions()) == 45 and st.integrity_ok()
