"""The common part of every drawing, and the record that keeps drawings of unknown types.

A drawing lives at a timestamp ``t`` (seconds of clip time, never a frame
number, so it stays put on variable-frame-rate clips) and holds its points in
source-image pixels of the displayed (upright) picture, so it stays on the right
spot at any zoom, window size or export resolution. Its points are also its
handles: hit-testing returns a handle index, and editing moves one handle or
the whole drawing, always returning a new record (drawings are edited by
replacement, which keeps undo snapshots and "unsaved" hashes simple).

Each geometry is its own dataclass (:mod:`analysis.annotations.shapes`) with a
type tag ``TYPE`` used in files; :mod:`analysis.annotations.registry` maps tags
to classes.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Self, cast

from analysis.annotations import geometry as geo
from analysis.annotations.style import AnnotationError, Style, Visibility, check_number

Point = tuple[float, float]

MAX_POINTS = 100_000
MAX_TEXT = 10_000
COORD_LIMIT = 1e6  # px; far beyond any video, small enough to stay exact in JSON
TIME_LIMIT = 1e7  # s (about 115 days of clip time)
#: keys of a drawing's JSON object that the base record reads itself
BASE_KEYS = frozenset({"type", "id", "t", "points", "style", "visibility", "text"})


def new_id() -> str:
    """A fresh random UUID as text."""
    return str(uuid.uuid4())


@dataclass
class Annotation:
    """One drawing. Use a concrete class (``Line``, ``Angle``, …) or ``make_annotation``.

    Attributes
    ----------
    type : str
        The type tag written to files (a class constant; not an init argument).
    t : float
        Anchor time in seconds of clip time.
    points : list of (x, y)
        Handles in source-image pixels (displayed orientation, y down).
    style : Style
    visibility : Visibility
    text : str
        The label of a text drawing; an optional caption for other types.
    id : str
        UUID, stable across edits and saves.
    extra : dict
        Fields written by a newer LiftLens, kept and written back unchanged.
    """

    TYPE: ClassVar[str] = ""
    #: exact number of points, or 0 for "one or more" (freehand)
    POINTS: ClassVar[int] = 0
    #: hit radius of the body as a multiple of the tolerance (labels are bigger targets)
    BODY_SLACK: ClassVar[float] = 1.0
    #: the drawing shows text (a label or a readout), so its style's font size matters
    LABELLED: ClassVar[bool] = False

    type: str = field(init=False, default="")
    t: float = 0.0
    points: list[Point] = field(default_factory=list)
    style: Style = field(default_factory=Style)
    visibility: Visibility = field(default_factory=Visibility)
    text: str = ""
    id: str = field(default_factory=new_id)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not type(self).TYPE:
            raise AnnotationError("Annotation is abstract: use a drawing type such as Line")
        self.type = type(self).TYPE
        self.t = check_number(self.t, "t", -TIME_LIMIT, TIME_LIMIT)
        self.points = [(check_number(x, "x", -COORD_LIMIT, COORD_LIMIT),
                        check_number(y, "y", -COORD_LIMIT, COORD_LIMIT)) for x, y in self.points]
        n = type(self).POINTS
        if (n and len(self.points) != n) or not self.points or len(self.points) > MAX_POINTS:
            need = f"{n}" if n else f"1 to {MAX_POINTS}"
            raise AnnotationError(f"a {self.type} drawing needs {need} points, "
                                  f"has {len(self.points)}")
        if not isinstance(self.text, str) or len(self.text) > MAX_TEXT:
            raise AnnotationError(f"{self.type} text must be text of at most {MAX_TEXT} chars")
        if not isinstance(self.id, str) or not 0 < len(self.id) <= 64:
            raise AnnotationError(f"{self.type} drawing has no valid id")

    # -- time -----------------------------------------------------------------------

    def opacity_at(self, t_now: float, time_factor: float = 1.0) -> float:
        """Opacity 0..1 of this drawing at clip time ``t_now`` (s); ``time_factor``: real
        seconds per clip second (slow motion), as its fade and hold are real seconds."""
        return self.visibility.opacity_at(t_now, self.t, time_factor)

    # -- measurement ----------------------------------------------------------------

    def measure(self, m_per_px: float | None = None, t_now: float | None = None) -> str:
        """The readout shown beside the drawing (``"32.4°"``, ``"41.2 cm"``, ``"123 px"``,
        ``"1.25 s"``), or ``""`` for drawings that measure nothing.

        Parameters
        ----------
        m_per_px : float, optional
            Calibration in metres per image pixel; distances are shown in px without it.
        t_now : float, optional
            Current clip time in seconds (stopwatches show the time elapsed since ``t``).
        """
        return ""

    # -- hit testing and editing ------------------------------------------------------

    def hit_test(self, p: Point, tolerance: float) -> int | None:
        """What is under ``p`` (image px): a handle index >= 0, ``-1`` for the body
        (drag moves the whole drawing), or None for a miss.

        ``tolerance`` is the pick radius in image px (the caller converts its
        screen-pixel radius with the zoom). The nearest handle wins.
        """
        handle = geo.nearest_index(p, self.points, tolerance)
        if handle is not None:
            return handle
        return -1 if self.body_distance(p) <= tolerance * self.BODY_SLACK else None

    def body_distance(self, p: Point) -> float:
        """Distance in px from ``p`` to what is drawn (the polyline through the points)."""
        return geo.polyline_distance(p, self.points)

    def moved_handle(self, index: int, p: Point) -> Self:
        """A copy with handle ``index`` at ``p`` (image px).

        Raises
        ------
        AnnotationError
            When ``index`` is not a handle of this drawing.
        """
        if not 0 <= index < len(self.points):
            raise AnnotationError(f"a {self.type} drawing has no handle {index}")
        pts = list(self.points)
        pts[index] = (float(p[0]), float(p[1]))
        return replace(self, points=pts)

    def translated(self, dx: float, dy: float) -> Self:
        """A copy moved by (``dx``, ``dy``) image px."""
        return replace(self, points=[(x + dx, y + dy) for x, y in self.points])

    def copy_to(self, t: float) -> Self:
        """A copy with a new id at time ``t`` (s): paste onto another frame."""
        return replace(self, id=new_id(), t=float(t), points=list(self.points),
                       extra=dict(self.extra))

    def bounds(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) in image px enclosing the handles (painters add pen and labels)."""
        xs = [x for x, _ in self.points]
        ys = [y for _, y in self.points]
        return (min(xs), min(ys), max(xs), max(ys))

    # -- serialisation ----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The drawing as a JSON object ``{type, id, t, points, style, visibility, …}``."""
        d = dict(self.extra)
        d.update({"type": self.type, "id": self.id, "t": self.t,
                  "points": [[x, y] for x, y in self.points], "style": self.style.to_dict(),
                  "visibility": self.visibility.to_dict()})
        if self.text:
            d["text"] = self.text
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Self:
        """Read a drawing of this class's type (see ``annotation_from_dict`` for any type).

        Raises
        ------
        AnnotationError
            When a field is missing or malformed.
        """
        raw = d.get("points")
        if not isinstance(raw, list) or not raw or len(raw) > MAX_POINTS:
            raise AnnotationError(f"a {cls.TYPE} drawing needs a list of points")
        pts = []
        for q in raw:
            if not isinstance(q, list) or len(q) != 2:
                raise AnnotationError(f"{cls.TYPE} point {q!r:.40} is not [x, y]")
            pts.append((q[0], q[1]))
        # t and id are checked in __post_init__ (a missing one is refused there)
        return cls(t=cast(float, d.get("t")), points=pts, style=Style.from_dict(d.get("style", {})),
                   visibility=Visibility.from_dict(d.get("visibility", {})),
                   text=d.get("text", ""), id=cast(str, d.get("id")),
                   extra={k: v for k, v in d.items() if k not in BASE_KEYS})


@dataclass
class UnknownAnnotation:
    """A drawing of a type this version does not know (from a newer LiftLens).

    It is kept verbatim and written back unchanged; it is never painted or edited.
    """

    raw: dict[str, Any]

    @property
    def type(self) -> str:
        return str(self.raw.get("type", "?"))

    @property
    def id(self) -> str:
        return str(self.raw.get("id", ""))

    @property
    def t(self) -> float:
        t = self.raw.get("t", 0.0)
        ok = isinstance(t, (int, float)) and not isinstance(t, bool) and math.isfinite(t)
        return float(t) if ok else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The original JSON object (a shallow copy)."""
        return dict(self.raw)
