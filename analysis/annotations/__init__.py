"""Drawings on a video: geometry, style, visibility over time, serialisation."""

from analysis.annotations.model import (ANNOTATION_TYPES, Annotation, KeyMoment, Style,
                                        UnknownAnnotation, Visibility, annotation_from_dict)

__all__ = ["ANNOTATION_TYPES", "Annotation", "KeyMoment", "Style", "UnknownAnnotation",
           "Visibility", "annotation_from_dict"]
