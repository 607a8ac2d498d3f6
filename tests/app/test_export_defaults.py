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
    ws.analysis._plate_job = SimpleNamespace(running=False)
    assert not ws.analysis.measuring_plate
