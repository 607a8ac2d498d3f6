"""A name typed in the save dialog (Qt's own, as under Xvfb or offscreen) is the name
saved: the filter's extension added when missing, one plain question before a file is
replaced, asked about the file that would really be replaced."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget

from app import dialogs

#: the real static dialog (the tests' guard replaces it before each test)
REAL_GET_SAVE = QFileDialog.getSaveFileName
SESSIONS = "LiftLens sessions (*.liftlens);;All files (*)"


def _typist(names: list[str], seen: list[str]) -> QTimer:
    """Types the next of ``names`` into each save dialog that opens, as a person would
    (the dialog's own file name field), then saves (the dialog's Save)."""
    from shiboken6 import getCppPointer

    typed: dict[int, int] = {}

    def tick() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, QFileDialog) or not dlg.isVisible():
            return
        key = getCppPointer(dlg)[0]
        edit = dlg.findChild(QLineEdit, "fileNameEdit")
        if key not in typed:
            if not names:
                return
            typed[key] = 0
            seen.append(dlg.selectedFiles()[0] if dlg.selectedFiles() else "")
            edit.selectAll()
            QTest.keyClicks(edit, names.pop(0))
            return
        typed[key] += 1
        if typed[key] == 2:  # Save (what Enter does once the completion list is closed)
            QTimer.singleShot(0, dlg.accept)

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(30)
    return timer


def _real_dialog(monkeypatch) -> list[tuple[str, str]]:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", REAL_GET_SAVE)
    asked: list[tuple[str, str]] = []
    return asked


def test_a_typed_name_is_saved_with_the_extension_added(qtbot, tmp_path, monkeypatch):
    """Qt's dialog gave back "squat" for a session typed "squat": saved without .liftlens,
    the import dialog's filter then hid it."""
    _real_dialog(monkeypatch)
    parent = QWidget()
    qtbot.addWidget(parent)
    cases = {"squat": "squat.liftlens", "Smith 12.05": "Smith 12.05.liftlens",
             "Ann.LIFTLENS": "Ann.LIFTLENS", "bench.json": "bench.json.liftlens"}
    for typed, saved in cases.items():
        seen: list[str] = []
        timer = _typist([typed], seen)
        got = dialogs.ask_save_path(parent, "Export session", str(tmp_path / "s.liftlens"),
                                    SESSIONS)
        timer.stop()
        assert got == str(tmp_path / saved), (typed, got)
    seen = []
    timer = _typist(["reps"], seen)
    got = dialogs.ask_save_path(parent, "Export data (CSV)", str(tmp_path / "x-reps.csv"),
                                "CSV (*.csv)")
    timer.stop()
    assert got == str(tmp_path / "reps.csv")


def test_replacing_a_file_is_asked_once_about_the_file_replaced(qtbot, tmp_path,
                                                                 monkeypatch):
    """A typed "taken" replaced an existing taken.liftlens without a question (Qt asked
    about "taken", which did not exist). Now the question names the file really
    replaced; "No" opens the dialog again there; a file typed in full is asked about
    once (Qt's own question is off: not asked by Qt and again by the app)."""
    (tmp_path / "taken.liftlens").write_text("kept")
    (tmp_path / "twice.liftlens").write_text("old")
    chosen = "LiftLens sessions (*.liftlens)"
    typed = [str(tmp_path / "taken"), str(tmp_path / "fresh"), str(tmp_path / "twice.liftlens")]
    offered: list[str] = []
    flags = []

    def dialog(_parent, _title, suggested, _filter, options=None):
        offered.append(suggested)
        flags.append(options)
        return typed.pop(0), chosen

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    answers = [False, True]
    asked: list[str] = []

    def ask_yes(_parent, _title, text, *a, **k):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(dialogs, "ask_yes", ask_yes)
    parent = QWidget()
    qtbot.addWidget(parent)
    got = dialogs.ask_save_path(parent, "Export session", str(tmp_path / "s.liftlens"),
                                SESSIONS)
    assert len(asked) == 1 and "“taken.liftlens” already exists" in asked[0]
    assert offered[1] == str(tmp_path / "taken.liftlens")  # asked again at that name
    assert got == str(tmp_path / "fresh.liftlens")
    asked.clear()
    got = dialogs.ask_save_path(parent, "Export session", str(tmp_path / "s.liftlens"),
                                SESSIONS)
    assert got == str(tmp_path / "twice.liftlens")
    assert len(asked) == 1 and "twice.liftlens" in asked[0]  # one question, answered yes
    assert all(f == QFileDialog.DontConfirmOverwrite for f in flags)
    assert (tmp_path / "taken.liftlens").read_text() == "kept"


def test_export_session_writes_the_name_typed(make_window, two_squats, tmp_path, monkeypatch,
                                              qtbot):
    """File → Export session with "ann" typed in the dialog writes ann.liftlens."""
    _real_dialog(monkeypatch)
    win = make_window(two_squats[0])
    ws = win.workspace
    ws.sessions.update_fields(lifter="Ann")
    monkeypatch.setattr(ws.session_files, "_suggested", lambda _s: str(tmp_path / "s.liftlens"))
    timer = _typist(["ann"], [])
    ws.actions["export_session"].trigger()
    timer.stop()
    qtbot.waitUntil(lambda: (tmp_path / "ann.liftlens").exists(), timeout=5000)
    assert not (tmp_path / "ann").exists()


def test_the_clip_export_path_gets_its_extension(qtbot, tmp_path):
    """A clip path typed in the export dialog without .mp4 is saved as .mp4 (the encoder
    picks its format from the extension)."""
    from widgets.export_dialog import ExportDialogWidget

    dlg = ExportDialogWidget([("Whole clip", (0, 10))], str(tmp_path / "a.mp4"), False)
    qtbot.addWidget(dlg)
    dlg.path.setText(str(tmp_path / "set 3"))
    assert dlg.options()["path"] == str(tmp_path / "set 3.mp4")
    dlg.path.setText(str(tmp_path / "set.MP4"))
    assert dlg.options()["path"] == str(tmp_path / "set.MP4")
    assert Path(dlg.options()["path"]).parent == tmp_path


def test_enter_on_the_replace_question_keeps_the_file(qtbot, tmp_path, monkeypatch):
    """The question before replacing answers No to Enter (as Qt's own did): Enter there
    replaced the file."""
    from PySide6.QtWidgets import QMessageBox

    (tmp_path / "ann.liftlens").write_text("kept")
    answers = [(str(tmp_path / "ann"), "LiftLens sessions (*.liftlens)"), ("", "")]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: answers.pop(0))
    defaults = []

    def enter(_parent, _title, _text, _buttons, default=QMessageBox.NoButton):
        defaults.append(default)
        return default  # Enter: the default button

    monkeypatch.setattr(QMessageBox, "question", staticmethod(enter))
    parent = QWidget()
    qtbot.addWidget(parent)
    assert dialogs.ask_save_path(parent, "Export session", "", SESSIONS) is None
    assert defaults == [QMessageBox.No] and not answers


def test_the_files_written_beside_are_named_before_they_are_replaced(qtbot, tmp_path,
                                                                       monkeypatch):
    """The data export writes NAME-track.csv beside NAME.csv, the report a PDF beside its
    HTML: an existing one was replaced without a word (the question, if any, named only
    the file chosen). The question now names each file that would be replaced."""
    (tmp_path / "set-track.csv").write_text("kept")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "set"), "CSV (*.csv)"))
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask_yes",
                        lambda _p, _t, text, *a, **k: asked.append(text) is None)  # yes
    parent = QWidget()
    qtbot.addWidget(parent)
    beside = lambda p: [str(Path(p).with_name(Path(p).stem + "-track.csv"))]  # noqa: E731
    got = dialogs.ask_save_path(parent, "Export data (CSV)", "", "CSV (*.csv)", beside)
    assert got == str(tmp_path / "set.csv")
    assert asked == [f"“set-track.csv” already exists in {tmp_path}.\n\nReplace it?"]
    (tmp_path / "set.csv").write_text("kept")
    asked.clear()
    dialogs.ask_save_path(parent, "Export data (CSV)", "", "CSV (*.csv)", beside)
    assert asked[0].startswith("“set.csv” and “set-track.csv” already exist in")
    assert asked[0].endswith("Replace them?")
