"""Portable session files: atomic export, strict import, relinking moved videos."""

from __future__ import annotations

import errno
import json
import os
import shutil

import pytest

from analysis.session.document import Recording, SessionFileError
from analysis.session.portable import (describe_video, export_session, fingerprint,
                                       import_session, locate_video)
from tests.analysis.test_session_doc import full_session


def test_export_import_round_trip(tmp_path):
    s = full_session()
    path = tmp_path / "ann.liftlens"
    export_session(s, path)
    assert import_session(path) == s
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_failed_export_leaves_existing_file_untouched(tmp_path, monkeypatch):
    path = tmp_path / "ann.liftlens"
    export_session(full_session(), path)
    before = path.read_bytes()

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    changed = full_session()
    changed.notes = "new notes"
    with pytest.raises(SessionFileError, match="disk is full"):
        export_session(changed, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["ann.liftlens"]  # no temp file left


@pytest.mark.parametrize("content, message", [
    (b"", "not a LiftLens"),
    (b"\x89PNG\r\n\x1a\n....", "not a LiftLens"),
    (b'{"format": "liftlens-session", "format_version": 2', "not a LiftLens"),
    (b'{"format": "liftlens-session", "format_version": 2, "load": NaN}', "not a LiftLens"),
    (b"[1, 2, 3]", "damaged"),
    (b'{"format": "other"}', "not a LiftLens session"),
])
def test_bad_files_are_plain_errors_and_untouched(tmp_path, content, message):
    path = tmp_path / "bad.liftlens"
    path.write_bytes(content)
    mtime = path.stat().st_mtime_ns
    with pytest.raises(SessionFileError, match=message):
        import_session(path)
    assert path.read_bytes() == content and path.stat().st_mtime_ns == mtime


def test_missing_file(tmp_path):
    with pytest.raises(SessionFileError, match="does not exist"):
        import_session(tmp_path / "nope.liftlens")


def test_moved_video_is_found_by_size_and_fingerprint(tmp_path):
    videos = tmp_path / "old"
    videos.mkdir()
    original = videos / "set1.mp4"
    original.write_bytes(os.urandom(3 << 20))
    decoy = tmp_path / "moved" / "other.mp4"
    decoy.parent.mkdir()
    decoy.write_bytes(os.urandom(3 << 20))  # same size, other content
    rec = Recording("x")
    describe_video(rec, original)
    assert rec.video_fingerprint == fingerprint(original)
    assert locate_video(rec) == [original]
    moved = tmp_path / "moved" / "renamed-squat.mp4"
    shutil.move(original, moved)
    assert locate_video(rec) == []  # nothing next to the stored path
    assert locate_video(rec, session_dir=tmp_path / "moved") == [moved]


def test_exported_file_is_plain_json(tmp_path):
    path = tmp_path / "s.liftlens"
    export_session(full_session(), path)
    d = json.loads(path.read_text())
    assert d["format"] == "liftlens-session" and d["recordings"][0]["annotations"]
