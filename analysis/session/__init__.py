"""Training sessions: the document, its versions, the library and portable files."""

from analysis.session.document import (FORMAT_VERSION, Readiness, Recording, Session,
                                       SessionFileError, session_from_dict)

__all__ = ["FORMAT_VERSION", "Readiness", "Recording", "Session", "SessionFileError",
           "session_from_dict"]
