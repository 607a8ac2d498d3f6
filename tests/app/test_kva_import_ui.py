"""Importing a .kva in the app: read on a worker with progress; a hostile or impossible
file gives a plain message and changes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.analysis.clips import numbered_clip
from tests.analysis.test_kva import GOOD_BODY, HEAD, write


@pytest.fixture
def win(make_window, clip_cache):
    return make_window(numbered_clip(clip_cache, "cfr")[0])


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
    warnings, progress = _import(win, monkeypatch, write(tmp_path, GOOD_BODY))
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
    warnings, _ = _import(win, monkeypatch, write(tmp_path, GOOD_BODY))
    assert warnings == [] and infos == []  # all imported: the status bar says so, no dialog
    monkeypatch.setattr(kva, "import_kva", with_skips)
    folder = tmp_path / "more"
    folder.mkdir()
    warnings, _ = _import(win, monkeypatch, write(folder, GOOD_BODY))
    assert warnings == [] and len(infos) == 1
    assert "Imported 4 drawings" in infos[0]
    assert all(item in infos[0] for item in left_out)
