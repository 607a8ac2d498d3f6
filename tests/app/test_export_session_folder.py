"""File → Export session proposes the folder the user last exported to, as every export
does, never the videos' folder.

It proposed the folder of the session's clips (a phone's DCIM folder, a camera card:
often read-only or synced), and the folder chosen there was not remembered for the
next export. One rule (app.export_folder.export_folder) now serves every export dialog:
the last export folder, else the user's Documents (Videos for a clip or a picture),
else home."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from analysis.session.portable import import_session


@pytest.fixture
def win(make_window, two_squats, tmp_path, monkeypatch):
    """A window on a clip in a folder of clips (writable, as a phone mounted by root
    would pass), the user's home in ``tmp_path/home`` with Videos and Documents."""
    clips = tmp_path / "DCIM"
    clips.mkdir()
    clip = clips / "squat.mp4"
    shutil.copy(two_squats[0], clip)
    home = tmp_path / "home"
    for name in ("Videos", "Documents"):
        (home / name).mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    w = make_window(clip)
    w.workspace.sessions.update_fields(lifter="Ann")
    return w


def _answer_save(monkeypatch, answers: list[Path]) -> list[str]:
    """Answer the save dialogs with ``answers`` in turn; returns where each was opened."""
    asked: list[str] = []
    left = iter(answers)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda _p, _t, start, *a, **k: (asked.append(start) or str(next(left)), "")))
    return asked


def test_export_session_proposes_documents_then_the_last_export_folder(win, tmp_path, qtbot,
                                                                        monkeypatch):
    ws = win.workspace
    home = tmp_path / "home"
    out = tmp_path / "to the coach"
    out.mkdir()
    asked = _answer_save(monkeypatch, [out / "ann.liftlens", out / "again.liftlens"])
    ws.actions["export_session"].trigger()
    assert Path(asked[0]).parent == home / "Documents"  # never DCIM, beside the clip
    assert Path(asked[0]).name.endswith(".liftlens") and "Ann" in Path(asked[0]).name
    qtbot.waitUntil(lambda: (out / "ann.liftlens").exists(), timeout=10000)
    assert import_session(out / "ann.liftlens").lifter == "Ann"
    # the folder chosen is remembered, in the settings, for every export
    assert win.settings.export_dir == str(out)
    assert Path(ws.exports.default_name("reps.csv")).parent == out
    assert Path(ws.exports.default_name("annotated.mp4")).parent == out
    ws.actions["export_session"].trigger()
    assert Path(asked[1]).parent == out
    qtbot.waitUntil(lambda: (out / "again.liftlens").exists(), timeout=10000)


def test_a_clip_exported_elsewhere_moves_where_the_session_is_proposed(win, tmp_path,
                                                                       monkeypatch):
    """One remembered folder: after a data export to another folder, the session file is
    proposed there too; a folder that can no longer be written is skipped."""
    ws = win.workspace
    other = tmp_path / "exports"
    other.mkdir()
    ws.exports.remember_dir(str(other / "squat-reps.csv"))
    assert Path(ws.session_files._suggested(ws.sessions.session)).parent == other
    shutil.rmtree(other)  # (a card taken out since)
    assert Path(ws.session_files._suggested(ws.sessions.session)).parent == \
        tmp_path / "home" / "Documents"


def test_a_session_file_refused_by_its_folder_is_asked_again(win, tmp_path, monkeypatch):
    """The session file dialog checks the folder as the other exports do: a folder that
    cannot be written is said in plain words and the dialog opens again."""
    ws = win.workspace
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda _p, _t, text, *a, **k: warned.append(text) or QMessageBox.Ok))
    gone = tmp_path / "no such folder" / "ann.liftlens"
    asked = _answer_save(monkeypatch, [gone, tmp_path / "ann.liftlens"])
    assert ws.session_files.export_now()
    assert len(warned) == 1 and "does not exist" in warned[0]
    assert len(asked) == 2 and Path(asked[1]).name == "ann.liftlens"
    assert (tmp_path / "ann.liftlens").exists()
    assert win.settings.export_dir == str(tmp_path)
