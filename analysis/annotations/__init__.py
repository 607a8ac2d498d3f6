"""Drawings on a video: one dataclass per geometry, style, visibility over time, key
moments, serialisation with unknown types kept, and Kinovea (.kva) import."""

from analysis.annotations.model import (ANNOTATION_TYPES, ARROW_HEADS, SHAPES,
                                        VISIBILITY_MODES, Angle, AngleToHorizontal,
                                        AngleToVertical, Annotation, AnnotationError, Circle,
                                        Distance, KeyMoment, Line, Marker, PlumbLine, Point,
                                        Polyline, Rectangle, Stopwatch, Style, TextLabel,
                                        UnknownAnnotation, Visibility, annotation_from_dict,
                                        make_annotation, new_id, register, with_style)

__all__ = [
    "ANNOTATION_TYPES", "ARROW_HEADS", "SHAPES", "VISIBILITY_MODES", "Angle", "AngleToHorizontal",
    "AngleToVertical", "Annotation", "AnnotationError", "Circle", "Distance", "KeyMoment", "Line",
    "Marker", "PlumbLine", "Point", "Polyline", "Rectangle", "Stopwatch", "Style", "TextLabel",
    "UnknownAnnotation", "Visibility", "annotation_from_dict", "make_annotation", "new_id",
    "register", "with_style",
]
