"""Importing a .kva in the app: read on a worker with progress; a hostile or impossible
file gives a plain message and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.analysis.clips import numbered_clip
from tests.analysis.test_kva import GOOD_BODY, HEAD, write


@pytest.fixture
def win(make_window, clip_cache):
    return make_window(numbered_clip(clip_cache, "cfr")[0])


def fitting_head(win) -> str:
    """HEAD for a file Kinovea made on this very clip (its name, size and frame rate)."""
    idx = win.player.index
    return HEAD.replace("640;480", f"{idx.width};{idx.height}").replace(
        "<ImageSize>", f"<OriginalFilename>{Path(idx.path).stem}</OriginalFilename><ImageSize>"
    ).replace("<FirstTimeStamp>", f"<UserFramerate>{idx.average_fps!r}</UserFramerate>"
              "<FirstTimeStamp>")


def _import(win, monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _w, _t, text, *a: warnings.append(text))
    progress: list[tuple[int, int]] = []
    win.workspace.indicator.progress = lambda d, t: progress.append((d, t))
    win.workspace.actions["import_kva"].trigger()
    return warnings, progress


BAD = [
    (HEAD.replace("640;480", "0.5;0.5"), "picture size"),
    (HEAD.replace("<KinoveaVideoAnalysis>", '<!DOCTYPE k [<!ENTITY x "X">]><KinoveaVideoAnalysis>'),
     "DTD"),
    (HEAD.replace("<FirstTimeStamp>1000", "<FirstTimeStamp>-1e308"), "timestamp"),
]


def test_import_on_a_worker_bad_files_plain_and_harmless(win, monkeypatch, tmp_path):
    before = [a.to_dict() for a in win.workspace.recording.annotations]
    for n, (head, message) in enumerate(BAD):
        folder = tmp_path / str(n)
        folder.mkdir()
        warnings, _ = _import(win, monkeypatch, write(folder, GOOD_BODY, head))
        assert len(warnings) == 1 and message in warnings[0], warnings
        assert "Traceback" not in warnings[0]
    link = tmp_path / "zero.kva"
    link.symlink_to("/dev/zero")
    warnings, _ = _import(win, monkeypatch, link)
    assert len(warnings) == 1 and "not a regular file" in warnings[0]
    assert [a.to_dict() for a in win.workspace.recording.annotations] == before
    warnings, progress = _import(win, monkeypatch, write(tmp_path, GOOD_BODY,
                                                         fitting_head(win)))
    assert warnings == [] and progress and progress[-1][0] == progress[-1][1]
    assert len(win.workspace.recording.annotations) == len(before) + 4


def test_what_was_not_imported_is_listed_in_full(win, monkeypatch, tmp_path):
    """A status message vanished after 12 s and named three of the items left out; the
    coach now gets the whole list, and no dialog when everything came in."""
    from analysis.annotations import kva

    real = kva.import_kva
    left_out = [f"{n} × {tag}: LiftLens has no such drawing"
                for n, tag in enumerate(("GenericPosture", "Plane", "ChronoMulti", "Spotlight",
                                         "CoordinateSystem"), start=1)]

    def with_skips(*a, **k):
        r = real(*a, **k)
        r.skipped.extend(left_out)
        return r

    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _w, _t, text, *a: infos.append(text))
    warnings, _ = _import(win, monkeypatch, write(tmp_path, GOOD_BODY, fitting_head(win)))
    assert warnings == [] and infos == []  # all imported: the status bar says so, no dialog
    monkeypatch.setattr(kva, "import_kva", with_skips)
    folder = tmp_path / "more"
    folder.mkdir()
    warnings, _ = _import(win, monkeypatch, write(folder, GOOD_BODY, fitting_head(win)))
    assert warnings == [] and len(infos) == 1
    assert "Imported 4 drawings" in infos[0]
    assert all(item in infos[0] for item in left_out)


def test_a_file_made_for_another_video_is_said_and_undone_in_one_step(win, monkeypatch,
                                                                       tmp_path):
    """A file from another video (name, size, frame rate) lands at Kinovea's times with its
    shapes kept; the dialog says what differed and what was done; the coach's own drawings
    are untouched and one Undo takes the whole import back."""
    rec, idx = win.workspace.recording, win.player.index
    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _w, _t, text, *a: infos.append(text))
    _import(win, monkeypatch, write(tmp_path, GOOD_BODY, fitting_head(win)))  # "own" drawings
    own = [a.to_dict() for a in rec.annotations]
    own_moments = [(k.t, k.title) for k in rec.key_moments]
    assert infos == [] and len(own) == 4
    other = HEAD.replace("640;480", f"{idx.width * 2};{idx.height}").replace(
        "<ImageSize>", "<OriginalFilename>sample</OriginalFilename><ImageSize>").replace(
        "<FirstTimeStamp>", "<UserFramerate>10</UserFramerate><FirstTimeStamp>")
    folder = tmp_path / "other"
    folder.mkdir()
    warnings, _ = _import(win, monkeypatch, write(folder, GOOD_BODY, other))
    assert warnings == [] and len(infos) == 1
    text = infos[0]
    assert "“sample”, not on this clip" in text
    assert f"{idx.width * 2}×{idx.height} picture; this clip is {idx.width}×{idx.height}" in text
    assert "10 frames/s" in text and "Undo" in text
    new = rec.annotations[len(own):]
    assert [a.to_dict() for a in rec.annotations[:len(own)]] == own
    # 1 s in the file (frame 10 of its 10 fps video), on this clip's frame at 1 s
    assert {a.t for a in new} == {float(idx.times[idx.frame_at_time(1.0 + 1e-6)])} or \
        {a.t for a in new} == {float(idx.times[int(round(1.0 * idx.average_fps))])}
    circle = next(a for a in new if a.type == "circle")
    assert circle.radius == pytest.approx(3 * 0.5)  # one factor: half across, half down
    win.workspace.actions["undo"].trigger()
    assert [a.to_dict() for a in rec.annotations] == own
    assert [(k.t, k.title) for k in rec.key_moments] == own_moments
