"""A factory fixture for the real main window on a private data folder, and generated
lift clips shared by the app tests."""

from __future__ import annotations

import pytest

from analysis.synth.lift_clip import ClipTruth, make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from app import workers

#: Two quick squat reps (about 6 s): the clip most app tests open.
TWO_SQUATS = LiftScript(reps=(RepSpec(1.0, 0.3, 0.6, 0.6, 0.5),
                              RepSpec(1.0, 0.3, 0.65, 0.6, 0.5)), setup=0.6, end_idle=0.6)


@pytest.fixture(scope="session")
def two_squats(tmp_path_factory) -> tuple:
    """``(path, truth)`` of :data:`TWO_SQUATS` rendered at 480x270, 220 px/m, noise 1.0,
    generated once per test run. Read only: a test that writes beside it copies it first."""
    path = tmp_path_factory.mktemp("two_squats") / "squat.mp4"
    truth: ClipTruth = make_lift_clip(path, TWO_SQUATS, size=(480, 270), px_per_m=220.0,
                                      noise=1.0)
    return path, truth


@pytest.fixture
def make_window(qtbot, tmp_path, monkeypatch):
    """``make_window(video=None, size=(1200, 800))``: a shown MainWindow with its own data
    folder and synchronous background jobs; opens ``video`` and waits for its first frame.
    Windows are closed (and their workers stopped) after the test."""
    monkeypatch.setenv("LIFTLENS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(workers, "SYNC", True)
    from app.main_window import MainWindow

    made = []

    def make(video=None, size=(1200, 800)):
        w = MainWindow()
        qtbot.addWidget(w)
        w.resize(*size)
        w.show()
        made.append(w)
        if video is not None:
            w.open_path(str(video))
            qtbot.waitUntil(lambda: w.canvas.frame is not None, timeout=10000)
            w.canvas.fit()
        return w

    yield make
    for w in made:
        w.close()


class UnexpectedDialog(AssertionError):
    """A test reached a modal dialog it did not answer: fail at once instead of hanging CI."""


@pytest.fixture(scope="session", autouse=True)
def widgets_app(qapp):
    """The widgets application, made before any test runs: the command line's export
    makes a bare QGuiApplication when none exists (it only paints), and a window built
    after that in the same process aborts (a QWidget needs a QApplication)."""
    return qapp


@pytest.fixture(autouse=True)
def no_unanswered_dialogs(monkeypatch):
    """Any modal dialog a test has not replaced with an answer raises instead of waiting
    for a click that never comes. Tests answer dialogs with their own monkeypatch, which
    is applied after this one and wins."""
    from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

    def refuse(kind):
        def raiser(*args, **kwargs):
            text = " / ".join(a for a in args if isinstance(a, str))
            raise UnexpectedDialog(f"unanswered {kind} dialog: {text!r}")
        return raiser

    for name in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse(f"QMessageBox.{name}")))
    for name in ("getItem", "getDouble", "getText", "getInt"):
        monkeypatch.setattr(QInputDialog, name, staticmethod(refuse(f"QInputDialog.{name}")))
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(refuse(f"QFileDialog.{name}")))
    monkeypatch.setattr(QDialog, "exec", refuse("QDialog.exec"))
    monkeypatch.setattr(QMessageBox, "exec", refuse("QMessageBox.exec"))
