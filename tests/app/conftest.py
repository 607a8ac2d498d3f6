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


@pytest.fixture(scope="session")
def cj_clip(tmp_path_factory) -> tuple:
    """``(path, trajectory, t, x, y)`` of a generated clean and jerk (tests/truth2) rendered
    once per test run (tests/app/weightlifting_clips.py). Read only."""
    from tests.app.weightlifting_clips import render_lift
    from tests.truth2 import weightlifting_truth

    traj = weightlifting_truth.clean_and_jerk(1)
    path = tmp_path_factory.mktemp("wl") / "clean-and-jerk.mp4"
    return (path, traj, *render_lift(path, traj))


@pytest.fixture
def set_1_left_at_frame_61(make_window, tmp_path, qtbot):
    """A window on set 2 of a session of two generated clips, opened while set 1 (90
    frames) was at frame 61 (index 60), so set 1 was left there; set 2 (40 frames) is on
    screen at its first frame: ``(window, path of set 1, path of set 2)``."""
    from analysis.synth.barcode import BarcodeSpec, make_barcode_clip

    first, second = tmp_path / "set1.mp4", tmp_path / "set2.mp4"
    make_barcode_clip(first, BarcodeSpec(frames=90, gop=30))
    make_barcode_clip(second, BarcodeSpec(frames=40, gop=10))
    win = make_window(first)
    win.player.seek(60)
    qtbot.waitUntil(lambda: win.player.shown is not None and win.player.shown.index == 60,
                    timeout=10000)
    win.open_path(str(second))  # leaves set 1 at frame 61
    qtbot.waitUntil(lambda: win.video_path == str(second) and win.player.shown is not None
                    and win.canvas.frame is not None, timeout=10000)
    return win, str(first), str(second)


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
