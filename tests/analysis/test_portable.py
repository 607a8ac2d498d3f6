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


def test_fingerprint_is_size_and_first_middle_last_mib(tmp_path):
    import hashlib
    mib = 1 << 20
    data = os.urandom(5 * mib + 123)
    path = tmp_path / "clip.mp4"
    path.write_bytes(data)
    size = len(data)
    mid = size // 2 - mib // 2
    expected = hashlib.sha256(str(size).encode() + data[:mib] + data[mid:mid + mib]
                              + data[size - mib:]).hexdigest()
    assert fingerprint(path) == expected
    # a change in a sampled region changes it; a change elsewhere (documented) does not
    changed = bytearray(data)
    changed[size // 2] ^= 0xFF
    path.write_bytes(bytes(changed))
    assert fingerprint(path) != expected
    changed = bytearray(data)
    changed[mib + 10] ^= 0xFF  # between the first and the middle MiB
    path.write_bytes(bytes(changed))
    assert fingerprint(path) == expected
    small = tmp_path / "small.mp4"
    small.write_bytes(b"abc")
    assert fingerprint(small) == hashlib.sha256(b"3abc").hexdigest()


def test_renamed_video_found_in_search_dirs_among_decoys(tmp_path):
    original = tmp_path / "set2.mp4"
    original.write_bytes(os.urandom(2 << 20))
    rec = Recording("x")
    describe_video(rec, original)
    elsewhere = tmp_path / "phone-export"
    elsewhere.mkdir()
    (elsewhere / "set2.mp4").write_bytes(os.urandom(2 << 20))  # same name and size, other clip
    (elsewhere / "notes.txt").write_text("hi")
    target = elsewhere / "IMG_2041.MOV"
    shutil.move(original, target)
    assert locate_video(rec, session_dir=tmp_path / "missing-dir",
                        search_dirs=[tmp_path, elsewhere]) == [target]
    copy = tmp_path / "copy.mp4"
    shutil.copy(target, copy)
    assert locate_video(rec, session_dir=tmp_path, search_dirs=[elsewhere]) == [copy, target]
    # an old recording without size and fingerprint matches by name only
    old = Recording(str(tmp_path / "gone" / "notes.txt"))
    assert locate_video(old, search_dirs=[elsewhere]) == [elsewhere / "notes.txt"]


def test_export_replaces_atomically_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "s.liftlens"
    export_session(full_session(), path)
    s2 = full_session()
    s2.notes = "second"
    export_session(s2, path)
    assert import_session(path).notes == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.liftlens"]


def test_export_into_missing_folder_is_a_plain_error(tmp_path):
    with pytest.raises(SessionFileError, match="could not be saved"):
        export_session(full_session(), tmp_path / "no" / "such" / "s.liftlens")


def test_shared_files_get_ordinary_permissions(tmp_path):
    """A session file to send to a coach, a batch result and a report are readable like any
    file the user saves (0666 less the umask), not private like a bare temporary file."""
    from analysis.batch.run import atomic_write
    from analysis.io.atomic import UMASK

    export_session(full_session(), tmp_path / "s.liftlens")
    atomic_write(tmp_path / "out" / "summary.csv", "a,b\n")
    for p in (tmp_path / "s.liftlens", tmp_path / "out" / "summary.csv"):
        assert p.stat().st_mode & 0o777 == 0o666 & ~UMASK, p
