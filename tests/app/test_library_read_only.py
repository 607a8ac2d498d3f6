"""A library that cannot be written (read-only folder or file, read-only disk) is opened
to read: past sessions still show and the last one reopens, one plain message says that
saving is off, and closing with changes offers to keep them in a session file.

The tour made the folder immutable (``chattr +i``, root only). Here the same failure is
made without privileges: SQLite's switch to WAL fails as it did there ("unable to open
database file": no -wal/-shm can be made), or the file is reported not writable; a real
``chmod`` test runs when not root (root writes anyway)."""

from __future__ import annotations

import os
import sqlite3
import sys

import pytest

from analysis.session import store as store_mod
from analysis.session.document import Session
from analysis.session.store import ReadOnlyError, SessionStore
from app import dialogs


@pytest.fixture
def library(tmp_path, monkeypatch):
    """A data folder whose library holds one session of Maria's, the last one used."""
    data = tmp_path / "data"
    monkeypatch.setenv("LIFTLENS_DATA_DIR", str(data))
    path = data / "library.sqlite3"
    with SessionStore(path) as store:
        s = Session(lifter="Maria", notes="from last week")
        store.save(s, 0)
        store.set_meta("last_session", s.id)
    return path, s.id


def _wal_fails(monkeypatch):
    def fail(self, timeout):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(SessionStore, "_set_wal", fail)


def _check_read_only(path, sid):
    with SessionStore(path) as store:  # raised StorageError before: nothing was listed
        assert "cannot write to its library" in store.read_only
        assert [r.lifter for r in store.list_sessions()] == ["Maria"]
        assert store.get(sid).notes == "from last week"
        with pytest.raises(ReadOnlyError):
            store.save(Session(lifter="new"), 0)
        with pytest.raises(ReadOnlyError):
            store.set_meta("last_session", "x")


def test_library_whose_journal_cannot_be_made_is_read(library, monkeypatch):
    _wal_fails(monkeypatch)
    _check_read_only(*library)


def test_library_file_not_writable_is_read(library, monkeypatch):
    monkeypatch.setattr(store_mod, "writable", lambda _p: False)
    _check_read_only(*library)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root writes to read-only files; the two tests above simulate it")
def test_read_only_folder_and_file(library):
    path, sid = library
    os.chmod(path, 0o444)
    os.chmod(path.parent, 0o555)
    try:
        _check_read_only(path, sid)
    finally:
        os.chmod(path.parent, 0o755)
        os.chmod(path, 0o644)


def test_window_lists_past_sessions_says_once_and_asks_on_close(library, make_window,
                                                                monkeypatch, qtbot):
    path, sid = library
    _wal_fails(monkeypatch)
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "warn", lambda _w, title, text: told.append((title, text)))
    asked: list[tuple[str, list[str]]] = []

    def ask(_parent, title, text, detail, choices, cancel="Cancel"):
        asked.append((detail, [k for k, _ in choices]))
        return "discard"

    monkeypatch.setattr(dialogs, "ask_choice", ask)
    win = make_window()
    ws = win.workspace
    ws.start(None, demo_when_empty=False)
    assert len(told) == 1, told  # the same box came three times
    assert "saving is off" in told[0][1] and "Sessions already in it are listed" in told[0][1]
    rows = [ws.browser.list.item(i).text() for i in range(ws.browser.list.count())]
    assert any("Maria" in r for r in rows), rows  # the list was empty
    assert ws.sessions.session is not None and ws.sessions.session.id == sid  # reopened
    assert ws.save_label.text() == "⚠ Saving is off"
    ws.sessions.update_fields(notes="typed with saving off")
    ws.sessions.settle()
    assert len(told) == 1  # no message per edit
    assert "not saved" in win.windowTitle()
    assert win.close()
    assert len(asked) == 1 and asked[0][1] == ["export", "discard"]
    with SessionStore(path) as store:
        assert store.get(sid).notes == "from last week"


def test_new_library_in_a_read_only_folder_says_saving_is_off_once(tmp_path, make_window,
                                                                    monkeypatch):
    monkeypatch.setenv("LIFTLENS_DATA_DIR", str(tmp_path / "empty"))
    _wal_fails(monkeypatch)  # nothing to read: no library was ever made there
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "warn", lambda _w, title, text: told.append((title, text)))
    monkeypatch.setattr(dialogs, "ask_choice", lambda *a, **k: "discard")
    win = make_window()
    win.workspace.start(None, demo_when_empty=False)
    assert len(told) == 1 and "saving is off" in told[0][1], told  # was one per library job
    assert win.workspace.save_label.text() == "⚠ Saving is off"


def test_demo_clip_is_made_in_the_temporary_folder_when_the_data_folder_cannot_be_written(
        tmp_path, monkeypatch):
    from app import demo

    (tmp_path / "a-file").write_text("")  # no folder can be made under a file, even by root
    monkeypatch.setenv("LIFTLENS_DATA_DIR", str(tmp_path / "a-file" / "data"))
    monkeypatch.setattr(demo.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    assert demo.demo_path().is_relative_to(tmp_path / "tmp")  # the demo failed to open
    monkeypatch.setenv("LIFTLENS_DATA_DIR", str(tmp_path / "data"))
    assert demo.demo_path() == tmp_path / "data" / "demo" / demo.DEMO_NAME
