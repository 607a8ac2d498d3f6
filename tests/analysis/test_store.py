"""The SQLite session library: CRUD, filters, trash, errors that lose nothing."""

from __future__ import annotations

import os
import sqlite3

import pytest

from analysis.session import Session
from analysis.session.store import SessionStore, StorageError
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


def test_read_only_folder_is_a_plain_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions; the read-only case is checked as a "
                    "non-root user only")
    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o500)
    with pytest.raises(StorageError, match="cannot"):
        SessionStore(ro / "library.sqlite3")


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
