"""Training sessions: the document, its recordings' data, its versions and storage.

``document`` (Session, Recording, Readiness), ``track`` / ``calibration`` /
``overrides`` (a recording's typed analysis inputs, checked where they are read),
``analyze`` (one recording to its analysis), ``migrations`` (one step per format
version), ``store`` (the SQLite library), ``portable`` (one-file export/import and
finding moved videos).
"""

from analysis.session.calibration import Calibration
from analysis.session.document import (APP_VERSION, FORMAT, FORMAT_VERSION, MIN_READER_VERSION,
                                       Readiness, Recording, Session, session_from_dict)
from analysis.session.errors import RecordingDataError, SessionFileError
from analysis.session.overrides import Overrides, RepOverride
from analysis.session.track import Track

__all__ = ["APP_VERSION", "FORMAT", "FORMAT_VERSION", "MIN_READER_VERSION", "Calibration",
           "Overrides", "Readiness", "RecordingDataError", "RepOverride", "Recording", "Session",
           "SessionFileError", "Track", "session_from_dict"]
