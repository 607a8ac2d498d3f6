"""Background work for the GUI: immutable request in, result applied on the GUI thread.

Every job reports its errors to the caller instead of swallowing them. Setting
:data:`SYNC` runs jobs inline, which makes tests deterministic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

#: Run jobs on the calling thread (tests).
SYNC = False


def is_expected_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is the input's fault, said to the user in plain words (a file that
    is not a video, a damaged Kinovea or session file, a missing file, a folder that may
    not be written, a plate whose rim is not seen): logged as a warning, not as an error
    with a traceback, so a log sent to support shows the real faults."""
    from analysis.annotations.kva import KvaError
    from analysis.batch.clip import ClipError
    from analysis.calibration.errors import PlateNotMeasured
    from analysis.export.errors import ExportError
    from analysis.io.track_csv import TrackFileError
    from analysis.session.errors import SessionFileError
    from analysis.video.errors import VideoError

    return isinstance(exc, (VideoError, KvaError, SessionFileError, TrackFileError,
                            ExportError, ClipError, PlateNotMeasured, FileNotFoundError,
                            PermissionError, IsADirectoryError))


class _Relay(QObject):
    """Carries a job's outcome back to the GUI thread (queued signal)."""

    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI, logged
            if is_expected_failure(exc):  # the user is told; no traceback in the log
                log.warning("background job refused its input: %s: %s",
                            type(exc).__name__, exc)
            else:
                log.exception("background job failed")
            self._emit(self._relay.failed, exc)
        else:
            self._emit(self._relay.finished, result)

    @staticmethod
    def _emit(signal: Any, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the app quit while the job ran: nobody is left to tell
            log.info("background job finished after the window closed")


_live: set[_Relay] = set()


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[BaseException], None]) -> None:
    """Run ``fn()`` on the thread pool; call ``on_done(result)`` or ``on_error(exc)`` on the GUI thread."""
    if SYNC:
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001
            on_error(exc)
        else:
            on_done(result)
        return
    relay = _Relay()
    _live.add(relay)

    def done(result: Any) -> None:
        _live.discard(relay)
        on_done(result)

    def failed(exc: BaseException) -> None:
        _live.discard(relay)
        on_error(exc)

    relay.finished.connect(done)
    relay.failed.connect(failed)
    QThreadPool.globalInstance().start(_Job(fn, relay))
