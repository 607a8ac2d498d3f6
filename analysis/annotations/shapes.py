"""One dataclass per drawing geometry; each has a file tag (``TYPE``) and a point count.

All share the fields of :class:`~analysis.annotations.base.Annotation`; the
class decides what the points mean (named accessors), what it measures and
where its body can be picked. Angles are unsigned 0..180 degrees (what a coach
reads as a knee or hip angle); :meth:`Angle.degrees_ccw` gives Kinovea's
0..360 counter-clockwise convention.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import ClassVar, Self

from analysis.annotations import geometry as geo
from analysis.annotations.base import TIME_LIMIT, Annotation, Point
from analysis.annotations.style import AnnotationError, check_number


@dataclass
class Line(Annotation):
    """A segment from ``points[0]`` to ``points[1]``; an arrow when ``style.arrow`` is set."""

    TYPE: ClassVar[str] = "line"
    POINTS: ClassVar[int] = 2

    def length_px(self) -> float:
        """Length in image px."""
        return geo.distance(self.points[0], self.points[1])


@dataclass
class Distance(Line):
    """A measured segment: ``"41.2 cm"`` once calibrated, ``"123 px"`` before."""

    TYPE: ClassVar[str] = "distance"
    LABELLED: ClassVar[bool] = True

    def length_m(self, m_per_px: float) -> float:
        """Length in metres given the calibration ``m_per_px`` (m per image px)."""
        return self.length_px() * m_per_px

    def measure(self, m_per_px: float | None = None, t_now: float | None = None) -> str:
        if m_per_px:
            return f"{self.length_m(m_per_px) * 100:.1f} cm"
        return f"{self.length_px():.0f} px"


@dataclass
class Angle(Annotation):
    """The angle at ``points[1]`` (the vertex) between the arms to ``points[0]`` and ``points[2]``."""

    TYPE: ClassVar[str] = "angle"
    POINTS: ClassVar[int] = 3
    LABELLED: ClassVar[bool] = True

    @property
    def vertex(self) -> Point:
        return self.points[1]

    def degrees(self) -> float:
        """Unsigned angle between the arms, 0..180 degrees."""
        return geo.angle_at(self.points[0], self.points[1], self.points[2])

    def degrees_ccw(self) -> float:
        """Angle turning counter-clockwise on screen from arm 0 to arm 2, 0..360 degrees."""
        return geo.angle_ccw(self.points[0], self.points[1], self.points[2])

    def measure(self, m_per_px: float | None = None, t_now: float | None = None) -> str:
        return f"{self.degrees():.1f}°"


@dataclass
class AngleToVertical(Annotation):
    """Lean of the segment ``points[0]``-``points[1]`` from vertical (torso, shin)."""

    TYPE: ClassVar[str] = "angle_vertical"
    POINTS: ClassVar[int] = 2
    LABELLED: ClassVar[bool] = True

    def degrees(self) -> float:
        """Unsigned lean from vertical, 0..90 degrees."""
        return geo.angle_to_vertical(self.points[0], self.points[1])

    def signed_degrees(self) -> float:
        """Lean from vertical, -90..90: positive when the upper end is right of the lower."""
        return geo.signed_lean_from_vertical(self.points[0], self.points[1])

    def measure(self, m_per_px: float | None = None, t_now: float | None = None) -> str:
        return f"{self.degrees():.1f}° from vertical"


@dataclass
class AngleToHorizontal(Annotation):
    """Angle of the segment ``points[0]``-``points[1]`` from horizontal (hip crease, bar tilt)."""

    TYPE: ClassVar[str] = "angle_horizontal"
    POINTS: ClassVar[int] = 2
    LABELLED: ClassVar[bool] = True

    def degrees(self) -> float:
        """Unsigned angle from horizontal, 0..90 degrees."""
        return geo.angle_to_horizontal(self.points[0], self.points[1])

    def measure(self, m_per_px: float | None = None, t_now: float | None = None) -> str:
        return f"{self.degrees():.1f}° from horizontal"


@dataclass
class Circle(Annotation):
    """A circle: ``points[0]`` is the centre, ``points[1]`` a point on the rim."""

    TYPE: ClassVar[str] = "circle"
    POINTS: ClassVar[int] = 2

    @property
    def center(self) -> Point:
        return self.points[0]

    @property
    def radius(self) -> float:
        """Radius in image px."""
        return geo.distance(self.points[0], self.points[1])

    def body_distance(self, p: Point) -> float:
        return abs(geo.distance(p, self.points[0]) - self.radius)

    def moved_handle(self, index: int, p: Point) -> Self:
        """Handle 0 (centre) moves the whole circle; handle 1 sets the radius."""
        if index == 0:
            return self.translated(p[0] - self.points[0][0], p[1] - self.points[0][1])
        return super().moved_handle(index, p)

    def bounds(self) -> tuple[float, float, float, float]:
        (cx, cy), r = self.points[0], self.radius
        return (cx - r, cy - r, cx + r, cy + r)


@dataclass
class Rectangle(Annotation):
    """An axis-aligned rectangle between two opposite corners."""

    TYPE: ClassVar[str] = "rect"
    POINTS: ClassVar[int] = 2

    def corners(self) -> list[Point]:
        """The four corners, clockwise on screen from ``points[0]``."""
        (x0, y0), (x1, y1) = self.points
        return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]

    def body_distance(self, p: Point) -> float:
        c = self.corners()
        return geo.polyline_distance(p, c + [c[0]])


@dataclass
class Polyline(Annotation):
    """A freehand stroke through one or more points."""

    TYPE: ClassVar[str] = "pencil"
    POINTS: ClassVar[int] = 0

    def hit_test(self, p: Point, tolerance: float) -> int | None:
        """Freehand strokes have no handles: a hit anywhere moves the stroke (-1)."""
        return -1 if self.body_distance(p) <= tolerance else None

    def length_px(self) -> float:
        """Length along the stroke in image px."""
        return sum(geo.distance(a, b) for a, b in zip(self.points, self.points[1:], strict=False))


@dataclass
class TextLabel(Annotation):
    """A text label anchored at ``points[0]`` (the label's top-left corner)."""

    TYPE: ClassVar[str] = "text"
    POINTS: ClassVar[int] = 1
    LABELLED: ClassVar[bool] = True
    BODY_SLACK: ClassVar[float] = 2.0

    def body_distance(self, p: Point) -> float:
        # A rough box for the text (about 0.6 em per character, one line of 1.4 em):
        # the painter knows the exact metrics, the model only needs a fair pick area.
        x0, y0 = self.points[0]
        lines = (self.text or "text").splitlines() or [""]
        w = max(len(s) for s in lines) * self.style.font_size * 0.6
        h = len(lines) * self.style.font_size * 1.4
        dx = max(x0 - p[0], 0.0, p[0] - (x0 + w))
        dy = max(y0 - p[1], 0.0, p[1] - (y0 + h))
        return math.hypot(dx, dy)


@dataclass
class Marker(Annotation):
    """A marked point (a cross)."""

    TYPE: ClassVar[str] = "marker"
    POINTS: ClassVar[int] = 1


@dataclass
class PlumbLine(Annotation):
    """A vertical reference line through ``points[0]``, across the whole picture."""

    TYPE: ClassVar[str] = "plumb"
    POINTS: ClassVar[int] = 1

    def body_distance(self, p: Point) -> float:
        return abs(p[0] - self.points[0][0])

    def offset_px(self, p: Point) -> float:
        """Horizontal offset of ``p`` from the plumb line in px (positive to the right)."""
        return p[0] - self.points[0][0]


@dataclass
class Stopwatch(Annotation):
    """A clock started at ``t``; ``points[0]`` places its readout.

    ``extra["stop"]`` (seconds, optional; set by "Stop here" or read from a Kinovea
    stopwatch's stop time) is when it stops: from then on it shows the time from ``t`` to
    the stop. ``t`` and the stop are clip (file) times; the readout is real time when a
    ``time_factor`` is given (slow motion: 0.25 for 120 fps played at 30).
    """

    TYPE: ClassVar[str] = "stopwatch"
    POINTS: ClassVar[int] = 1
    LABELLED: ClassVar[bool] = True
    BODY_SLACK: ClassVar[float] = 4.0

    @property
    def stop(self) -> float | None:
        """The stop time (s), or None while it runs on."""
        v = self.extra.get("stop")
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) \
                and v >= self.t:
            return float(v)
        return None

    def stopped_at(self, t: float) -> Self:
        """A copy that stops at clip time ``t`` (s) ("Stop here").

        Raises
        ------
        AnnotationError
            When ``t`` is not after the start: a stopwatch cannot stop before it starts.
        """
        t = check_number(t, "stopwatch stop time", -TIME_LIMIT, TIME_LIMIT)
        if t <= self.t:
            raise AnnotationError("a stopwatch can only stop after its start")
        return replace(self, extra={**self.extra, "stop": t})

    def started_at(self, t: float) -> Self:
        """A copy that starts at clip time ``t`` (s) ("Start here"); a stop before ``t``
        is cleared (the stopwatch then runs on from ``t``)."""
        t = check_number(t, "stopwatch start time", -TIME_LIMIT, TIME_LIMIT)
        stop = self.stop
        extra = dict(self.extra)
        if stop is not None and stop <= t:
            extra.pop("stop", None)
        return replace(self, t=t, extra=extra)

    def copy_to(self, t: float) -> Self:
        """A copy starting at ``t`` (s); a stopped one keeps its duration (the stop moves
        with it), so a pause timed on one rep can be pasted onto the next."""
        stop = self.stop
        out = super().copy_to(t)
        if stop is not None:
            out.extra["stop"] = out.t + (stop - self.t)
        return out

    def running(self) -> Self:
        """A copy without a stop time: it runs to the end of the clip."""
        extra = dict(self.extra)
        extra.pop("stop", None)
        return replace(self, extra=extra)

    def elapsed(self, t_now: float, time_factor: float = 1.0) -> float:
        """Seconds since the start (up to the stop time, if any), never negative.

        ``t_now`` is clip time (s); ``time_factor`` is real seconds per clip second
        (:attr:`analysis.video.capture.TimeScale.factor`), so a slow-motion clip's
        stopwatch counts real time as every other number does."""
        stop = self.stop
        return max(0.0, (t_now if stop is None else min(t_now, stop)) - self.t) * time_factor

    def measure(self, m_per_px: float | None = None, t_now: float | None = None,
                time_factor: float = 1.0) -> str:
        return f"{self.elapsed(self.t if t_now is None else t_now, time_factor):.2f} s"


#: Every concrete drawing class, in palette order.
SHAPES: tuple[type[Annotation], ...] = (
    Line, Angle, AngleToVertical, AngleToHorizontal, Circle, Rectangle, Polyline, TextLabel,
    Marker, PlumbLine, Distance, Stopwatch)


def with_style(a: Annotation, **changes: object) -> Annotation:
    """A copy of ``a`` with some style fields changed (``color="#ff0000"``, ``width=4``)."""
    return replace(a, style=replace(a.style, **changes))  # type: ignore[arg-type]
