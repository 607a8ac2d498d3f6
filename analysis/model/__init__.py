"""The evented document model every view follows (no Qt): the open session, its
recordings, the recording on screen, each recording's track, calibration, rep
corrections and analysis, and the comparison. See :mod:`analysis.model.document`."""

from analysis.model.document import Comparison, ComparisonSide, DocumentModel

__all__ = ["Comparison", "ComparisonSide", "DocumentModel"]
