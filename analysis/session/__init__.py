"""Training sessions: the document, its recordings' data, its versions and storage.

``document`` (Session, Recording, Readiness), ``track`` / ``calibration`` /
``overrides`` (a recording's typed analysis inputs, checked where they are read),
``analyze`` (one recording to its analysis), ``migrations`` (one step per format
version), ``store`` (the SQLite library), ``portable`` (one-file export/import and
finding moved videos).

The names below are loaded on first use: the analysis and the command line read a
recording's typed inputs (``analysis.session.overrides``, ``.track``, ``.calibration``)
without loading the document and its annotations (about 40 ms of CPU a start).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.session.calibration import Calibration
    from analysis.session.document import (APP_VERSION, FORMAT, FORMAT_VERSION,
                                           MIN_READER_VERSION, Readiness, Recording, Session,
                                           session_from_dict)
    from analysis.session.errors import RecordingDataError, SessionFileError
    from analysis.session.overrides import Overrides, RepOverride
    from analysis.session.track import Track

__all__ = ["APP_VERSION", "FORMAT", "FORMAT_VERSION", "MIN_READER_VERSION", "Calibration",
           "Overrides", "Readiness", "RecordingDataError", "RepOverride", "Recording", "Session",
           "SessionFileError", "Track", "session_from_dict"]

_HOME = {"Calibration": "calibration", "RecordingDataError": "errors",
         "SessionFileError": "errors", "Overrides": "overrides", "RepOverride": "overrides",
         "Track": "track"}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_HOME.get(name, 'document')}"), name)
    globals()[name] = value
    return value
