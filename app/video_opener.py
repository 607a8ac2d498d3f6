"""Opens videos off the GUI thread: index in the background, plain-language errors."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from analysis.session.portable import fingerprint
from analysis.video.errors import VideoError
from analysis.video.index import VideoIndex, build_index
from app.workers import run_in_background


@dataclass(frozen=True)
class OpenedVideo:
    """What the background open found out: the index and the file's identity."""

    index: VideoIndex
    size: int
    fingerprint: str


def _open_job(path: str) -> tuple[str, OpenedVideo]:
    index = build_index(path)
    return path, OpenedVideo(index, os.path.getsize(path), fingerprint(path))

log = logging.getLogger(__name__)


class VideoOpener(QObject):
    """``open(path, purpose)`` -> ``opened(path, OpenedVideo, purpose)`` or ``failed(path, message)``.

    The newest request wins; ``purpose`` says what the caller wants the video for
    ("main" to view it, "compare" to put it beside the open one).
    """

    opened = Signal(str, object, str)
    failed = Signal(str, str)
    busy = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._serial = 0

    def open(self, path: str, purpose: str = "main") -> None:
        path = os.path.abspath(os.fspath(path))
        self.busy.emit(f"Opening {os.path.basename(path)}…")
        self._start(lambda: _open_job(path), path, purpose)

    def open_generated(self, make: Callable[[Callable[[int, int], None]], Path], text: str) -> None:
        """Create a file in the background (e.g. the demo clip), then open it.

        ``make(progress)`` reports ``progress(done, total)``; the status shows the percentage.
        """
        self.busy.emit(text)
        last = [-1]

        def progress(done: int, total: int) -> None:  # on the worker thread: queued signal
            pct = int(100 * done / max(total, 1))
            if pct != last[0]:
                last[0] = pct
                self.busy.emit(f"{text.rstrip('…')}… {pct} %")

        def job() -> tuple[str, OpenedVideo]:
            return _open_job(str(make(progress)))

        self._start(job, "demo clip", "main")

    def _start(self, job: Callable[[], tuple[str, OpenedVideo]], label: str, purpose: str) -> None:
        self._serial += 1
        serial = self._serial

        def done(result: tuple[str, OpenedVideo]) -> None:
            if serial == self._serial:
                self.opened.emit(result[0], result[1], purpose)

        def error(exc: BaseException) -> None:
            if serial != self._serial:
                return
            if isinstance(exc, VideoError):
                log.warning("cannot open %s: %s (%s)", label, exc, exc.detail)
                self.failed.emit(label, str(exc))
            else:
                log.error("unexpected error opening %s: %r", label, exc)
                self.failed.emit(label, f"LiftLens could not open “{os.path.basename(label)}”: "
                                 f"{exc}. Details are in the log file (Help → Open log folder).")

        run_in_background(job, done, error)
