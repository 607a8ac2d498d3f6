"""Training sessions: the document, its versions, the library and portable files.

``document`` (Session, Recording, Readiness), ``migrations`` (one step per format
version), ``store`` (the SQLite library), ``portable`` (one-file export/import and
finding moved videos).
"""

from analysis.session.document import (APP_VERSION, FORMAT, FORMAT_VERSION, MIN_READER_VERSION,
                                       Readiness, Recording, Session, SessionFileError,
                                       session_from_dict)

__all__ = ["APP_VERSION", "FORMAT", "FORMAT_VERSION", "MIN_READER_VERSION", "Readiness",
           "Recording", "Session", "SessionFileError", "session_from_dict"]
