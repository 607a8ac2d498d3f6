"""Annotation records: what a drawing is, where and when it shows, and how it is saved.

Drawings are stored in source-image pixels (display orientation) at a timestamp
(seconds), never a frame number, so they stay on the right spot at any zoom,
window size or export resolution, and on variable-frame-rate clips.
Several tools share one type (line and arrow are both ``line``); a type's point
count and measurement live in :data:`ANNOTATION_TYPES`, not in a class each.
"""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from analysis.annotations import geometry as geo

Point = tuple[float, float]
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class AnnotationError(ValueError):
    """A drawing in a file is malformed (the message says which field)."""


@dataclass(frozen=True)
class TypeSpec:
    """What a drawing type needs: how many points (0 = any number >= 1) and its measurement."""

    points: int
    measures: str = ""  # "", "angle", "lean_vertical", "lean_horizontal", "distance", "elapsed"


ANNOTATION_TYPES: dict[str, TypeSpec] = {
    "line": TypeSpec(2),
    "angle": TypeSpec(3, "angle"),
    "angle_vertical": TypeSpec(2, "lean_vertical"),
    "angle_horizontal": TypeSpec(2, "lean_horizontal"),
    "circle": TypeSpec(2),  # centre, a point on the rim
    "rect": TypeSpec(2),  # two corners
    "pencil": TypeSpec(0),
    "text": TypeSpec(1),
    "marker": TypeSpec(1),
    "plumb": TypeSpec(1),  # a vertical reference through the point
    "distance": TypeSpec(2, "distance"),
    "stopwatch": TypeSpec(1, "elapsed"),  # the point places the readout
}

VISIBILITY_MODES = ("timed", "from_time", "always")


@dataclass(frozen=True)
class Style:
    """How a drawing looks. ``width`` and ``font_size`` are in image pixels / points."""

    color: str = "#ffcc00"
    width: float = 3.0
    font_size: float = 14.0
    dashed: bool = False
    arrow: str = "none"  # "none", "end", "both"

    def to_dict(self) -> dict[str, Any]:
        return {"color": self.color, "width": self.width, "font_size": self.font_size,
                "dashed": self.dashed, "arrow": self.arrow}

    @classmethod
    def from_dict(cls, d: Any) -> Style:
        if not isinstance(d, dict):
            raise AnnotationError("style must be an object")
        s = cls()
        color = d.get("color", s.color)
        if not isinstance(color, str) or not _COLOR.match(color):
            raise AnnotationError(f"style colour {color!r} is not #rrggbb")
        arrow = d.get("arrow", s.arrow)
        if arrow not in ("none", "end", "both"):
            raise AnnotationError(f"arrow {arrow!r} is not none/end/both")
        return cls(color=color, width=_num(d.get("width", s.width), "width", 0.1, 200),
                   font_size=_num(d.get("font_size", s.font_size), "font_size", 4, 400),
                   dashed=bool(d.get("dashed", s.dashed)), arrow=arrow)


@dataclass(frozen=True)
class Visibility:
    """When a drawing shows relative to its time ``t``.

    ``timed``: fades in over ``fade_in`` s before ``t``, holds ``hold`` s, fades out
    over ``fade_out`` s. ``from_time``: from ``t`` on, to the end of the clip.
    ``always``: on every frame.
    """

    mode: str = "timed"
    fade_in: float = 0.0
    hold: float = 1.0
    fade_out: float = 0.5

    def opacity(self, t_now: float, t: float) -> float:
        """Opacity 0..1 at clip time ``t_now`` for a drawing placed at ``t``."""
        if self.mode == "always":
            return 1.0
        eps = 1e-6
        if self.mode == "from_time":
            return 1.0 if t_now >= t - eps else 0.0
        dt = t_now - t
        if dt < -eps:
            if self.fade_in > 0 and dt >= -self.fade_in:
                return 1.0 + dt / self.fade_in
            return 0.0
        if dt <= self.hold + eps:
            return 1.0
        if self.fade_out > 0 and dt <= self.hold + self.fade_out:
            return 1.0 - (dt - self.hold) / self.fade_out
        return 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "fade_in": self.fade_in, "hold": self.hold,
                "fade_out": self.fade_out}

    @classmethod
    def from_dict(cls, d: Any) -> Visibility:
        if not isinstance(d, dict):
            raise AnnotationError("visibility must be an object")
        mode = d.get("mode", "timed")
        if mode not in VISIBILITY_MODES:
            raise AnnotationError(f"visibility mode {mode!r} is unknown")
        return cls(mode=mode, fade_in=_num(d.get("fade_in", 0.0), "fade_in", 0, 3600),
                   hold=_num(d.get("hold", 1.0), "hold", 0, 1e6),
                   fade_out=_num(d.get("fade_out", 0.5), "fade_out", 0, 3600))


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Annotation:
    """One drawing: a type tag, points (image px), a time (s), style and visibility."""

    type: str
    t: float
    points: list[Point]
    style: Style = field(default_factory=Style)
    visibility: Visibility = field(default_factory=Visibility)
    text: str = ""
    id: str = field(default_factory=new_id)
    extra: dict[str, Any] = field(default_factory=dict)  # fields from newer versions, kept

    @property
    def spec(self) -> TypeSpec:
        return ANNOTATION_TYPES[self.type]

    # -- measurement ----------------------------------------------------------------

    def measure(self, m_per_px: float | None = None, t_now: float | None = None) -> str:
        """The readout shown beside the drawing ("32.4°", "41.2 cm", "123 px", "1.25 s")."""
        kind, p = self.spec.measures, self.points
        if kind == "angle" and len(p) >= 3:
            return f"{geo.angle_at(p[0], p[1], p[2]):.1f}°"
        if kind == "lean_vertical" and len(p) >= 2:
            return f"{geo.angle_to_vertical(p[0], p[1]):.1f}° from vertical"
        if kind == "lean_horizontal" and len(p) >= 2:
            return f"{geo.angle_to_horizontal(p[0], p[1]):.1f}° from horizontal"
        if kind == "distance" and len(p) >= 2:
            d = geo.distance(p[0], p[1])
            return f"{d * m_per_px * 100:.1f} cm" if m_per_px else f"{d:.0f} px"
        if kind == "elapsed":
            elapsed = max(0.0, (t_now if t_now is not None else self.t) - self.t)
            return f"{elapsed:.2f} s"
        return ""

    # -- editing --------------------------------------------------------------------

    def hit_test(self, p: Point, tolerance: float) -> int | None:
        """Handle index under ``p`` (image px), -1 for the drawing's body, None for a miss."""
        for i, q in enumerate(self.points):
            if geo.distance(p, q) <= tolerance:
                return i
        pts = self.points
        if self.type == "circle" and len(pts) == 2:
            r = geo.distance(pts[0], pts[1])
            return -1 if abs(geo.distance(p, pts[0]) - r) <= tolerance else None
        if self.type == "rect" and len(pts) == 2:
            (x0, y0), (x1, y1) = pts
            corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
            return -1 if geo.polyline_distance(p, corners) <= tolerance else None
        if self.type == "plumb" and pts:
            return -1 if abs(p[0] - pts[0][0]) <= tolerance else None
        if self.type in ("text", "stopwatch") and pts:
            return -1 if geo.distance(p, pts[0]) <= tolerance * 4 else None
        if self.type == "angle" and len(pts) == 3:
            return -1 if geo.polyline_distance(p, [pts[0], pts[1], pts[2]]) <= tolerance else None
        return -1 if geo.polyline_distance(p, pts) <= tolerance else None

    def moved_handle(self, index: int, p: Point) -> Annotation:
        pts = list(self.points)
        pts[index] = (float(p[0]), float(p[1]))
        return replace(self, points=pts)

    def translated(self, dx: float, dy: float) -> Annotation:
        return replace(self, points=[(x + dx, y + dy) for x, y in self.points])

    def copy_to(self, t: float) -> Annotation:
        """A copy with a new id at time ``t`` (paste onto another frame)."""
        return replace(self, id=new_id(), t=float(t), points=list(self.points),
                       extra=dict(self.extra))

    # -- serialisation ----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.extra)
        d.update({"type": self.type, "id": self.id, "t": self.t,
                  "points": [[x, y] for x, y in self.points], "style": self.style.to_dict(),
                  "visibility": self.visibility.to_dict()})
        if self.text:
            d["text"] = self.text
        return d


@dataclass
class UnknownAnnotation:
    """A drawing of a type this version does not know (from a newer LiftLens): kept verbatim."""

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
        return float(t) if isinstance(t, (int, float)) and math.isfinite(t) else 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.raw)


_KNOWN_FIELDS = {"type", "id", "t", "points", "style", "visibility", "text"}


def annotation_from_dict(d: Any) -> Annotation | UnknownAnnotation:
    """Read one drawing; unknown types are kept as :class:`UnknownAnnotation`.

    Raises
    ------
    AnnotationError
        When a drawing of a known type is malformed.
    """
    if not isinstance(d, dict):
        raise AnnotationError("a drawing must be an object")
    kind = d.get("type")
    if not isinstance(kind, str):
        raise AnnotationError("a drawing has no type")
    if kind not in ANNOTATION_TYPES:
        return UnknownAnnotation(dict(d))
    ident = d.get("id")
    if not isinstance(ident, str) or not ident or len(ident) > 64:
        raise AnnotationError(f"{kind} drawing has no valid id")
    points = _points(d.get("points"), kind)
    text = d.get("text", "")
    if not isinstance(text, str) or len(text) > 10_000:
        raise AnnotationError(f"{kind} text must be a string")
    return Annotation(type=kind, t=_num(d.get("t"), "t", 0, 1e7), points=points,
                      style=Style.from_dict(d.get("style", {})),
                      visibility=Visibility.from_dict(d.get("visibility", {})),
                      text=text, id=ident,
                      extra={k: v for k, v in d.items() if k not in _KNOWN_FIELDS})


def _points(raw: Any, kind: str) -> list[Point]:
    need = ANNOTATION_TYPES[kind].points
    if not isinstance(raw, list) or not raw or len(raw) > 100_000:
        raise AnnotationError(f"{kind} drawing needs a list of points")
    pts = []
    for q in raw:
        if not isinstance(q, (list, tuple)) or len(q) != 2:
            raise AnnotationError(f"{kind} point {q!r} is not [x, y]")
        pts.append((_num(q[0], "x", -1e6, 1e6), _num(q[1], "y", -1e6, 1e6)))
    if need and len(pts) != need:
        raise AnnotationError(f"{kind} drawing needs {need} points, has {len(pts)}")
    return pts


def _num(v: Any, name: str, lo: float, hi: float) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise AnnotationError(f"{name} must be a number")
    if not lo <= v <= hi:
        raise AnnotationError(f"{name} {v} is outside {lo}..{hi}")
    return float(v)


@dataclass
class KeyMoment:
    """A marked instant: "knees cave, rep 3"."""

    t: float
    title: str
    comment: str = ""
    id: str = field(default_factory=new_id)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "t": self.t, "title": self.title, "comment": self.comment}

    @classmethod
    def from_dict(cls, d: Any) -> KeyMoment:
        if not isinstance(d, dict):
            raise AnnotationError("a key moment must be an object")
        title, comment, ident = d.get("title", ""), d.get("comment", ""), d.get("id")
        if not isinstance(title, str) or not isinstance(comment, str) or not isinstance(ident, str):
            raise AnnotationError("key moment title, comment and id must be text")
        return cls(t=_num(d.get("t"), "t", 0, 1e7), title=title[:500], comment=comment[:20000],
                   id=ident)
