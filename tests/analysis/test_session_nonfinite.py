"""A number too large for a float (1e999 reads as infinity) is refused when a session
file or a library row is read: a plain message, never an unsaveable session."""

from __future__ import annotations

import json
import sqlite3

import pytest

from analysis.session.document import SessionFileError
from analysis.session.portable import import_session
from analysis.session.store import SessionStore, StorageError
from tests.analysis.test_session_doc import full_session


@pytest.mark.parametrize("where", ['"x": 1e999', '"load": -1e999', '"rpe": 1E400',
                                   '"extra": [1, 2, 3e308e]', '"deep": {"a": [-9e9999]}'])
def test_overflowing_number_in_a_session_file_is_a_plain_error(tmp_path, where):
    text = json.dumps(full_session().to_dict())
    text = text[:-1] + ", " + where + "}"
    p = tmp_path / "s.liftlens"
    p.write_text(text)
    with pytest.raises(SessionFileError) as err:
        import_session(p)
    assert "s.liftlens" in str(err.value) and "Traceback" not in str(err.value)
    assert p.read_text() == text


def test_overflowing_number_in_a_library_row_is_a_plain_error(tmp_path):
    path = tmp_path / "library.sqlite3"
    s = full_session()
    with SessionStore(path) as store:
        store.save(s)
    doc = json.dumps(s.to_dict())[:-1] + ', "x": 1e999}'
    db = sqlite3.connect(path)
    db.execute("UPDATE sessions SET doc=? WHERE id=?", (doc, s.id))
    db.commit()
    db.close()
    with SessionStore(path) as store, pytest.raises(StorageError, match="too large"):
        store.get(s.id)


def test_min_inf_case(shared_cases):
    p = shared_cases / "reliability" / "min_inf.liftlens"
    if not p.exists():
        pytest.skip("min_inf.liftlens is not in the shared cases")
    before = p.read_bytes()
    with pytest.raises(SessionFileError, match="1e999"):
        import_session(p)
    assert p.read_bytes() == before
