"""What a controller may use: the document model, a notifier and a job runner (plus the
player and canvas for the controllers that drive them), never the main window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow, QWidget

from analysis.model import DocumentModel
from app.jobs import Job, JobFn
from app.player import PlayerController
from app.settings import Settings
from app.workers import run_in_background
from widgets.job_indicator import JobIndicatorWidget
from widgets.video_canvas import VideoCanvasWidget


class Notifier:
    """Status-bar messages, and the parent for the app's dialogs (``app.dialogs``)."""

    def __init__(self, window: QMainWindow) -> None:
        self._window = window

    @property
    def parent(self) -> QWidget:
        return self._window

    def status(self, text: str, ms: int = 0) -> None:
        self._window.statusBar().showMessage(text, ms)

    def clear(self) -> None:
        self._window.statusBar().clearMessage()


class JobRunner(QObject):
    """Background work: short calls (``run``) and long jobs with progress and cancel in the
    status bar (``start``); their results arrive on the GUI thread."""

    def __init__(self, indicator: JobIndicatorWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.indicator = indicator

    def run(self, fn: Callable[[], Any], done: Callable[[Any], None],
            failed: Callable[[BaseException], None]) -> None:
        run_in_background(fn, done, failed)

    def start(self, title: str, fn: JobFn, done: Callable[[Any], None],
              failed: Callable[[str], None], *, partial: Callable[[Any], None] | None = None,
              cancelled: Callable[[], None] | None = None) -> Job:
        """Run ``fn(progress, partial, cancelled)`` with ``title…`` and a cancel button."""
        job = Job(title, fn, self)
        ind = self.indicator
        job.progressed.connect(ind.progress)
        job.finished.connect(lambda r: (ind.stop(), done(r)))
        job.failed.connect(lambda m: (ind.stop(), failed(m)))
        job.cancelled.connect(lambda: (ind.stop(), cancelled() if cancelled else None))
        if partial is not None:
            job.partial.connect(partial)
        ind.start(f"{title}…")
        job.start()
        return job


@dataclass
class AppContext:
    """The narrow context controllers are built with."""

    model: DocumentModel
    notifier: Notifier
    jobs: JobRunner
    settings: Settings
    player: PlayerController
    canvas: VideoCanvasWidget
