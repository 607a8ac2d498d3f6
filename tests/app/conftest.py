"""A factory fixture for the real main window on a private data folder."""

from __future__ import annotations

import pytest

from app import workers


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
