"""Type tag → drawing class, and reading any drawing from its JSON object.

A tag this version does not know (a drawing type added by a newer LiftLens)
becomes an :class:`~analysis.annotations.base.UnknownAnnotation` that is kept
verbatim and written back, so opening and saving a newer file loses nothing.
"""

from __future__ import annotations

from typing import Any

from analysis.annotations.base import Annotation, Point, UnknownAnnotation
from analysis.annotations.shapes import SHAPES
from analysis.annotations.style import AnnotationError, Style, Visibility

#: type tag → drawing class, e.g. ``"angle"`` → :class:`~analysis.annotations.shapes.Angle`
ANNOTATION_TYPES: dict[str, type[Annotation]] = {cls.TYPE: cls for cls in SHAPES}


def register(cls: type[Annotation]) -> type[Annotation]:
    """Add a drawing class to :data:`ANNOTATION_TYPES` (usable as a class decorator).

    Raises
    ------
    ValueError
        When the class has no tag or its tag is taken by another class.
    """
    if not cls.TYPE or ANNOTATION_TYPES.get(cls.TYPE, cls) is not cls:
        raise ValueError(f"drawing tag {cls.TYPE!r} is empty or already used")
    ANNOTATION_TYPES[cls.TYPE] = cls
    return cls


def make_annotation(kind: str, t: float, points: list[Point], style: Style | None = None,
                    visibility: Visibility | None = None, text: str = "") -> Annotation:
    """A new drawing of type tag ``kind`` at time ``t`` (s) with ``points`` (image px).

    Raises
    ------
    AnnotationError
        When ``kind`` is unknown or the points do not fit the type.
    """
    cls = ANNOTATION_TYPES.get(kind)
    if cls is None:
        raise AnnotationError(f"{kind!r} is not a drawing type")
    return cls(t=t, points=list(points), style=style or Style(),
               visibility=visibility or Visibility(), text=text)


def annotation_from_dict(d: Any) -> Annotation | UnknownAnnotation:
    """Read one drawing; unknown type tags are kept as :class:`UnknownAnnotation`.

    Raises
    ------
    AnnotationError
        When the object has no type tag, or a drawing of a known type is malformed.
    """
    if not isinstance(d, dict):
        raise AnnotationError("a drawing must be an object")
    kind = d.get("type")
    if not isinstance(kind, str) or not kind:
        raise AnnotationError("a drawing has no type")
    cls = ANNOTATION_TYPES.get(kind)
    if cls is None:
        return UnknownAnnotation(dict(d))
    return cls.from_dict(d)
