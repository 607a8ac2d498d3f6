"""The annotation model in one import: drawings, style, visibility, key moments.

The classes live in :mod:`~analysis.annotations.style`, :mod:`~analysis.annotations.base`,
:mod:`~analysis.annotations.shapes`, :mod:`~analysis.annotations.registry` and
:mod:`~analysis.annotations.moments`; this module re-exports them so views and
controllers have one stable import path.
"""

from analysis.annotations.base import Annotation, Point, UnknownAnnotation, new_id
from analysis.annotations.moments import KeyMoment
from analysis.annotations.registry import (ANNOTATION_TYPES, annotation_from_dict,
                                           make_annotation, register)
from analysis.annotations.shapes import (SHAPES, Angle, AngleToHorizontal, AngleToVertical,
                                         Circle, Distance, Line, Marker, PlumbLine, Polyline,
                                         Rectangle, Stopwatch, TextLabel, with_style)
from analysis.annotations.style import (ARROW_HEADS, VISIBILITY_MODES, AnnotationError, Style,
                                        Visibility)

__all__ = [
    "ANNOTATION_TYPES", "ARROW_HEADS", "SHAPES", "VISIBILITY_MODES", "Angle", "AngleToHorizontal",
    "AngleToVertical", "Annotation", "AnnotationError", "Circle", "Distance", "KeyMoment", "Line",
    "Marker", "PlumbLine", "Point", "Polyline", "Rectangle", "Stopwatch", "Style", "TextLabel",
    "UnknownAnnotation", "Visibility", "annotation_from_dict", "make_annotation", "new_id",
    "register", "with_style",
]
