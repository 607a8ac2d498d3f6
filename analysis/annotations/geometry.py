"""Plane geometry for drawings, in image pixels (y grows downwards)."""

from __future__ import annotations

import math
from collections.abc import Sequence

Point = tuple[float, float]


def distance(a: Point, b: Point) -> float:
    """Euclidean distance in px."""
    return math.hypot(b[0] - a[0], b[1] - a[1])


def angle_at(a: Point, vertex: Point, b: Point) -> float:
    """Unsigned angle a-vertex-b in degrees, 0..180."""
    v1 = (a[0] - vertex[0], a[1] - vertex[1])
    v2 = (b[0] - vertex[0], b[1] - vertex[1])
    n1, n2 = math.hypot(*v1), math.hypot(*v2)
    if n1 == 0 or n2 == 0:
        return 0.0
    cos = (v1[0] * v2[0] + v1[1] * v2[1]) / (n1 * n2)
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def angle_to_vertical(a: Point, b: Point) -> float:
    """Lean of the segment a-b from vertical in degrees, 0..90 (torso or shin lean)."""
    dx, dy = abs(b[0] - a[0]), abs(b[1] - a[1])
    if dx == 0 and dy == 0:
        return 0.0
    return math.degrees(math.atan2(dx, dy))


def angle_to_horizontal(a: Point, b: Point) -> float:
    """Angle of the segment a-b from horizontal in degrees, 0..90."""
    return 90.0 - angle_to_vertical(a, b) if a != b else 0.0


def point_segment_distance(p: Point, a: Point, b: Point) -> float:
    """Distance in px from ``p`` to the segment a-b."""
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return distance(p, a)
    t = max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / length2))
    return distance(p, (ax + t * dx, ay + t * dy))


def polyline_distance(p: Point, points: Sequence[Point]) -> float:
    """Distance in px from ``p`` to a polyline (or to its single point)."""
    if not points:
        return math.inf
    if len(points) == 1:
        return distance(p, points[0])
    return min(point_segment_distance(p, points[i], points[i + 1]) for i in range(len(points) - 1))


def angle_ccw(a: Point, vertex: Point, b: Point) -> float:
    """Angle in degrees 0..360 turning counter-clockwise *as seen on screen* from a to b.

    Image y grows downwards, so this flips y before measuring. It is Kinovea's
    angle convention (a right angle opening upwards from a rightward arm is 90,
    the same arms the other way round 270). Degenerate arms give 0.
    """
    v1 = (a[0] - vertex[0], vertex[1] - a[1])
    v2 = (b[0] - vertex[0], vertex[1] - b[1])
    if v1 == (0, 0) or v2 == (0, 0):
        return 0.0
    deg = math.degrees(math.atan2(v2[1], v2[0]) - math.atan2(v1[1], v1[0])) % 360.0
    return 0.0 if math.isclose(deg, 360.0) else deg


def signed_lean_from_vertical(a: Point, b: Point) -> float:
    """Lean of a-b from vertical in degrees, -90..90: positive when the upper end is
    to the right of the lower end (on screen), negative when to the left."""
    low, high = (a, b) if a[1] >= b[1] else (b, a)
    dx, dy = high[0] - low[0], low[1] - high[1]
    if dx == 0 and dy == 0:
        return 0.0
    return math.degrees(math.atan2(dx, dy)) if dy > 0 else math.copysign(90.0, dx)


def nearest_index(p: Point, points: Sequence[Point], tolerance: float) -> int | None:
    """Index of the point nearest to ``p`` within ``tolerance`` px, or None."""
    best, best_d = None, tolerance
    for i, q in enumerate(points):
        d = distance(p, q)
        if d <= best_d:
            best, best_d = i, d
    return best
