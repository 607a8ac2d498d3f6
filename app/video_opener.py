"""Opens videos off the GUI thread: frame 0 at once, the index in the background,
plain-language errors."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from analysis.session.portable import fingerprint
from analysis.video.errors import VideoError
from analysis.video.index import FirstLook, VideoIndex, VideoOpening
from app.workers import run_in_background


@dataclass(frozen=True)
class OpenedVideo:
    """What the background open found out: the index and the file's identity."""

    index: VideoIndex
    size: int
    fingerprint: str


def _open_job(path: str, early: Callable[[FirstLook], None] | None = None
              ) -> tuple[str, OpenedVideo]:
    """Index ``path``; ``early(look)`` gets frame 0 and the header facts first (one pass
    over the file: see :class:`VideoOpening`)."""
    with VideoOpening(path) as opening:
        if early is not None:
            look = opening.first()
            if look is not None:
                early(look)
        index = opening.index()
    return path, OpenedVideo(index, os.path.getsize(path), fingerprint(path))

log = logging.getLogger(__name__)


class VideoOpener(QObject):
    """``open(path, purpose)`` -> ``opened(path, OpenedVideo, purpose)`` or ``failed(path, message)``.

    The newest request wins; ``purpose`` says what the caller wants the video for
    ("main" to view it, "compare" to put it beside the open one). Before ``opened``,
    ``first_frame(path, FirstLook, purpose)`` brings frame 0 and the header facts as
    soon as they are decoded (the index of a long clip takes longer).
    """

    opened = Signal(str, object, str)
    first_frame = Signal(str, object, str)
    failed = Signal(str, str)
    busy = Signal(str)
    _first_seen = Signal(int, str, object, str)  # from the worker thread (queued)
    _progress = Signal(int, str)  # (request serial, text) from the worker thread (queued)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._serial = 0
        self._pending = False  # a request is under way
        self._first_seen.connect(self._on_first_seen)
        self._progress.connect(self._on_progress)

    def cancel(self) -> bool:
        """Drop the request under way, if any: its frame 0, index or error is not
        announced (as when a newer request replaces it). True when one was under way."""
        pending = self._pending
        self._serial += 1
        self._pending = False
        return pending

    def open(self, path: str, purpose: str = "main") -> None:
        path = os.path.abspath(os.fspath(path))
        self.busy.emit(f"Opening {os.path.basename(path)}…")
        serial = self._serial + 1  # the one _start gives this request
        self._start(lambda: _open_job(path, self._early(serial, path, purpose)), path, purpose)

    def open_generated(self, make: Callable[[Callable[[int, int], None]], Path], text: str) -> None:
        """Create a file in the background (e.g. the demo clip), then open it.

        ``make(progress)`` reports ``progress(done, total)``; the status shows the percentage.
        """
        self.busy.emit(text)
        last = [-1]
        serial = self._serial + 1  # the one _start gives this request

        def progress(done: int, total: int) -> None:  # on the worker thread: queued signal
            pct = int(100 * done / max(total, 1))
            if pct != last[0]:
                last[0] = pct
                self._progress.emit(serial, f"{text.rstrip('…')}… {pct} %")

        def job() -> tuple[str, OpenedVideo]:
            made = str(make(progress))
            return _open_job(made, self._early(serial, made, "main"))

        self._start(job, "demo clip", "main")

    def _early(self, serial: int, path: str, purpose: str) -> Callable[[FirstLook], None]:
        def early(look: FirstLook) -> None:  # on the worker thread
            self._first_seen.emit(serial, path, look, purpose)
        return early

    def _on_progress(self, serial: int, text: str) -> None:
        """How far a request has got, while it is still the one under way: a request
        cancelled or replaced (another session opened meanwhile) goes on in the
        background, but its percentage no longer shows (it stayed at "… 100 %")."""
        if serial == self._serial and self._pending:
            self.busy.emit(text)

    def _on_first_seen(self, serial: int, path: str, look: FirstLook, purpose: str) -> None:
        if serial == self._serial:
            self.first_frame.emit(path, look, purpose)

    def _start(self, job: Callable[[], tuple[str, OpenedVideo]], label: str, purpose: str) -> None:
        self._serial += 1
        self._pending = True
        serial = self._serial

        def done(result: tuple[str, OpenedVideo]) -> None:
            if serial == self._serial:
                self._pending = False
                self.opened.emit(result[0], result[1], purpose)

        def error(exc: BaseException) -> None:
            if serial != self._serial:
                return
            self._pending = False
            if isinstance(exc, VideoError):
                log.warning("cannot open %s: %s (%s)", label, exc, exc.detail)
                self.failed.emit(label, str(exc))
            else:
                log.error("unexpected error opening %s: %r", label, exc)
                self.failed.emit(label, f"LiftLens could not open “{os.path.basename(label)}”: "
                                 f"{exc}. Details are in the log file (Help → Open log folder).")

        run_in_background(job, done, error)
