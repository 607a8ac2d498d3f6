"""Long jobs (tracking, export) off the GUI thread, with progress, partial results and cancel.

A job is a plain function ``fn(progress, partial, cancelled) -> result``; it calls
``progress(done, total)`` and ``partial(obj)`` as it goes and polls ``cancelled()``.
The :class:`Job` object relays all of it to the GUI thread as signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from analysis.video.source import Cancelled
from app.workers import is_expected_failure

log = logging.getLogger(__name__)

JobFn = Callable[[Callable[[int, int], None], Callable[[Any], None], Callable[[], bool]], Any]


class Job(QObject):
    """One running job. Signals arrive on the GUI thread."""

    progressed = Signal(int, int)
    partial = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, title: str, fn: JobFn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._fn = fn
        self._cancel = threading.Event()
        self.running = False

    def start(self, sync: bool = False) -> None:
        self.running = True
        runner = _Runner(self)
        if sync:
            runner.run()
        else:
            QThreadPool.globalInstance().start(runner)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()


class _Runner(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job

    def run(self) -> None:
        job = self.job
        try:
            result = job._fn(job.progressed.emit, job.partial.emit, job._cancel.is_set)
        except Cancelled:
            job.running = False
            job.cancelled.emit()
        except Exception as exc:  # noqa: BLE001 - surfaced to the user, logged
            if is_expected_failure(exc):  # the input's fault, told to the user
                log.warning("%s refused its input: %s: %s", job.title, type(exc).__name__, exc)
            else:
                log.exception("%s failed", job.title)
            job.running = False
            job.failed.emit(str(exc) or type(exc).__name__)
        else:
            job.running = False
            if job.is_cancelled:
                job.cancelled.emit()
            else:
                job.finished.emit(result)
