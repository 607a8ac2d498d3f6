"""Export defaults: the options of the last export are remembered, and the next export
proposes the folder the last one went to."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.analysis.clips import numbered_clip
from widgets.export_dialog import ExportDialogWidget


@pytest.fixture
def win(make_window, clip_cache):
    return make_window(numbered_clip(clip_cache, "cfr")[0])


def test_last_options_and_folder_are_remembered(win, tmp_path, monkeypatch):
    seen: list[ExportDialogWidget] = []
    target = tmp_path / "exports" / "mine.mp4"
    target.parent.mkdir()

    def first(dlg) -> int:
        seen.append(dlg)
        dlg.speed.setCurrentIndex(dlg.speed.findData(0.25))
        dlg.drawings.setChecked(False)
        dlg.audio.setChecked(False)
        dlg.path.setText(str(target))
        return ExportDialogWidget.Accepted

    def second(dlg) -> int:
        seen.append(dlg)
        return ExportDialogWidget.Rejected

    ex = win.workspace.exports
    monkeypatch.setattr(ex, "_run", lambda *a, **k: None)  # no encoding in this test
    monkeypatch.setattr(ExportDialogWidget, "exec", first)
    ex.export_clip_dialog()
    monkeypatch.setattr(ExportDialogWidget, "exec", second)
    ex.export_clip_dialog()
    again = seen[1]
    assert again.speed.currentData() == 0.25
    assert not again.drawings.isChecked() and not again.audio.isChecked()
    assert Path(again.path.text()).parent == target.parent  # the folder used last time
    assert ex.default_name("reps.csv").startswith(str(target.parent))


def test_bar_path_and_data_are_on_by_default_when_tracked(qapp):
    dlg = ExportDialogWidget([("Whole clip", (0, 9))], "/tmp/x.mp4", True)
    assert dlg.trail.currentData() == "full" and dlg.hud.isChecked()
    assert dlg.drawings.isChecked()
    off = ExportDialogWidget([("Whole clip", (0, 9))], "/tmp/x.mp4", False,
                             remembered={"trail": "full", "hud": True})
    assert off.trail.currentData() == "off" and not off.hud.isChecked()  # nothing to show


def test_file_menu_exports_kinovea_annotations(win, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from analysis.annotations import Line, Visibility
    from analysis.annotations.kva import import_kva

    out = tmp_path / "set.kva"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    ws = win.workspace
    ws.drawing.add_imported([Line(t=0.0, points=[(10.0, 10.0), (100.0, 80.0)],
                                  visibility=Visibility("always"))], [])
    ws.actions["export_kva"].trigger()
    idx = win.player.index
    back = import_kva(out, fps=idx.average_fps, image_size=(idx.width, idx.height))
    assert [type(a).__name__ for a in back.annotations] == ["Line"]
    assert "Kinovea" in ws.actions["import_kva"].text()


def test_export_while_the_plate_is_measured_asks_first(win, monkeypatch):
    """An export started while the plate is being measured would burn in px/s: the user is
    asked, and No leaves the export for later (no dialog, nothing written)."""
    from types import SimpleNamespace

    from PySide6.QtWidgets import QMessageBox

    ws = win.workspace
    ws.analysis._plate_job = SimpleNamespace(running=True)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda _p, _t, text, *a, **k: asked.append(text) or QMessageBox.No))
    ws.exports.export_clip_dialog()  # ExportDialogWidget.exec would raise: never reached
    assert len(asked) == 1 and "px/s" in asked[0]
    # the session report too (it was written in px without a word)
    paths: list[str] = []
    monkeypatch.setattr(ws.exports, "ask_path", lambda title, *a, **k: paths.append(title))
    ws.exports.session_report()
    assert len(asked) == 2 and "report" in asked[1] and "px/s" in asked[1] and not paths
    ws.analysis._plate_job = SimpleNamespace(running=False)
    assert not ws.analysis.measuring_plate
    ws.exports.session_report()
    assert paths == ["Session report"] and len(asked) == 2  # asked nothing: no measurement


def _read_only(monkeypatch, folder: Path) -> None:
    """Make ``folder`` read-only for the app (root ignores file modes, so the check is
    what sees it)."""
    import os

    real = os.access

    def access(path, mode, *a, **k):
        if Path(path).resolve() == folder.resolve() and mode & os.W_OK:
            return False
        return real(path, mode, *a, **k)

    monkeypatch.setattr(os, "access", access)


def test_read_only_folder_is_never_proposed_and_save_offers_another(win, tmp_path,
                                                                    monkeypatch):
    """A read-only video folder (a camera card) is not proposed; a read-only folder typed
    in is refused on Save in plain words, a folder picker opens at a writable folder and
    the dialog keeps its settings (the export failed only after the dialog had closed)."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from app.export_folder import propose_folder

    ex = win.workspace.exports
    video_dir = Path(win.player.index.path).parent
    _read_only(monkeypatch, video_dir)
    home = tmp_path / "home"
    (home / "Videos").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    win.settings.set_value("export/dir", "")
    assert Path(ex.default_name("annotated.mp4")).parent == home / "Videos"
    assert propose_folder(str(video_dir)) == home / "Videos"

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda _p, _t, text, *a, **k: warned.append(text) or QMessageBox.Ok))
    picked: list[str] = []
    chosen = home / "Videos" / "mine.mp4"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda _p, _t, start, *a, **k: (picked.append(start) or str(chosen), "")))
    runs: list[tuple] = []
    monkeypatch.setattr(ex, "_run", lambda *a, **k: runs.append(a))
    states: list[int] = []

    def run(dlg) -> int:
        dlg.speed.setCurrentIndex(dlg.speed.findData(0.25))
        dlg.path.setText(str(video_dir / "cut-annotated.mp4"))
        dlg.accept()  # Save with the read-only folder
        states.append(dlg.result())
        dlg.accept()  # Save again, now with the folder picked
        return dlg.result()

    monkeypatch.setattr(ExportDialogWidget, "exec", run)
    ex.export_clip_dialog()
    assert states == [ExportDialogWidget.Rejected]  # still open after the first Save
    assert len(warned) == 1 and "read-only" in warned[0] and "another folder" in warned[0]
    assert str(video_dir) in warned[0]
    assert picked == [str(home / "Videos" / "cut-annotated.mp4")]
    assert len(runs) == 1
    assert win.settings.value("export/dir", "") == str(home / "Videos")
    assert '"speed": 0.25' in win.settings.value("export/options", "")  # settings kept

    # the save dialogs of the other exports ask again in the same way
    answers = iter([str(video_dir / "reps.csv"), str(home / "Videos" / "reps.csv")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda _p, _t, start, *a, **k: (picked.append(start) or next(answers), "")))
    assert ex.ask_path("Export data (CSV)", ex.default_name("reps.csv"), "CSV (*.csv)") \
        == str(home / "Videos" / "reps.csv")
    assert len(warned) == 2 and picked[-1] == str(home / "Videos" / "reps.csv")


def test_every_export_is_proposed_in_one_folder_never_beside_the_clip(win, tmp_path,
                                                                     monkeypatch):
    """The clip and CSV dialogs proposed the source clip's folder (the shared clips folder;
    as root the export really wrote there) while the report proposed the last export
    folder. Every export now proposes the last export folder, else the user's Videos (a
    clip, a picture) or Documents (data, a report, a session file): never the clip's
    folder, even one that may be written (see test_export_session_folder.py)."""
    ex = win.workspace.exports
    clip_dir = Path(win.player.index.path).parent
    home = tmp_path / "home"
    for name in ("Videos", "Documents"):
        (home / name).mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    win.settings.set_value("export/dir", "")
    proposed = [Path(ex.default_name(s)).parent for s in ("annotated.mp4", "reps.csv",
                                                          "report.html", "sheet.png")]
    assert clip_dir not in proposed
    assert proposed == [home / "Videos", home / "Documents", home / "Documents",
                        home / "Videos"]
    # after an export to another folder, all of them propose that one
    out = tmp_path / "exports"
    out.mkdir()
    ex.remember_dir(str(out / "reps.csv"))
    assert Path(ex.default_name("annotated.mp4")).parent == out
