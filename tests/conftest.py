"""Shared fixtures: real data location, offscreen Qt, generated clips."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# OpenCV set up as the app runs it (no IPP, the same numbers on every CPU) before any test
# module imports cv2 (analysis.opencv_setup)
import analysis  # noqa: F401,E402

# Widget tests run offscreen unless a real display was asked for (gui tests).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

_REPO = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path | None:
    """``$LIFTLENS_SHARED_DATA`` or ``../shared/data`` beside the checkout, if present."""
    env = os.environ.get("LIFTLENS_SHARED_DATA")
    candidates = [Path(env)] if env else []
    candidates.append(_REPO.parent / "shared" / "data")
    for c in candidates:
        if (c / "videos").is_dir():
            return c
    return None


def shared_cases_dir() -> Path | None:
    """The failing-input cases (``../shared/cases``, beside the shared data), if present."""
    env = os.environ.get("LIFTLENS_SHARED_CASES")
    candidates = [Path(env)] if env else []
    data = shared_data_dir()
    if data is not None:
        candidates.append(data.parent / "cases")
    candidates.append(_REPO.parent / "shared" / "cases")
    return next((c for c in candidates if c.is_dir()), None)


def _or_skip(found: Path | None, what: str, where: str, variable: str) -> Path:
    if found is None:
        pytest.skip(f"{what} not found: put them at {where} or set {variable}")
    return found


@pytest.fixture(scope="session")
def shared_cases() -> Path:
    """The shared failing-input cases; skips with a clear reason when absent."""
    return _or_skip(shared_cases_dir(), "failing-input cases", "../shared/cases",
                    "LIFTLENS_SHARED_CASES")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real test clips; skips with a clear reason when they are not beside the checkout."""
    return _or_skip(shared_data_dir(), "real clips", "../shared/data", "LIFTLENS_SHARED_DATA")


@pytest.fixture(scope="session")
def clip_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A session-wide folder for generated clips (generated once per test run)."""
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's application, with cyclic garbage collected on the GUI thread as the app
    does (see app/gui_thread_gc.py): a collection on a worker thread that frees a Qt
    object deadlocks against the GUI thread."""
    from app.gui_thread_gc import collect_garbage_on_the_gui_thread

    collect_garbage_on_the_gui_thread(qapp)
    return qapp


@pytest.fixture(autouse=True)
def collect_due_garbage_between_tests():
    """Between tests no event loop runs the GUI-thread collector's timer: collect whatever
    generations are due here, on the main thread, so cycles do not pile up."""
    yield
    from app.gui_thread_gc import installed_collector

    qt = sys.modules.get("PySide6.QtWidgets")
    collector = installed_collector(qt.QApplication.instance()) if qt else None
    if collector is not None:
        collector.check()
