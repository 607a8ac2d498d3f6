"""Drawings: one class per geometry, measurements against known values, hit tests,
handle editing, visibility over time, round trips, unknown types and fields kept."""

from __future__ import annotations

import copy
import json
import math
from dataclasses import replace

import pytest

from analysis.annotations import (ANNOTATION_TYPES, SHAPES, Angle, AngleToHorizontal,
                                  AngleToVertical, Annotation, AnnotationError, Circle, Distance,
                                  KeyMoment, Line, Marker, PlumbLine, Polyline, Rectangle,
                                  Stopwatch, Style, TextLabel, UnknownAnnotation, Visibility,
                                  annotation_from_dict, make_annotation, register, with_style)
from analysis.annotations.geometry import (angle_at, angle_ccw, angle_to_horizontal,
                                           angle_to_vertical, signed_lean_from_vertical)

SAMPLES = {
    "line": [(10, 10), (110, 10)],
    "angle": [(0, 0), (100, 0), (100, 100)],
    "angle_vertical": [(50, 100), (100, 13.4)],
    "angle_horizontal": [(0, 0), (100, 100)],
    "circle": [(50, 50), (80, 50)],
    "rect": [(10, 10), (60, 40)],
    "pencil": [(0, 0), (5, 5), (10, 3), (20, 8)],
    "text": [(30, 30)],
    "marker": [(5, 5)],
    "plumb": [(200, 300)],
    "distance": [(0, 0), (300, 400)],
    "stopwatch": [(40, 40)],
}


def sample(kind: str, **kw: object) -> Annotation:
    return make_annotation(kind, kw.pop("t", 0.0), SAMPLES[kind], **kw)  # type: ignore[arg-type]


def test_every_type_has_a_class_a_tag_and_a_sample():
    assert set(SAMPLES) == set(ANNOTATION_TYPES)
    assert len({cls.TYPE for cls in SHAPES}) == len(SHAPES) == 12
    for tag, cls in ANNOTATION_TYPES.items():
        a = make_annotation(tag, 0, SAMPLES[tag])
        assert type(a) is cls and a.type == tag and isinstance(a, Annotation)


def test_classes_build_directly_and_validate_point_counts():
    assert Line(t=1.0, points=[(0, 0), (1, 1)]).type == "line"
    assert isinstance(Distance(t=0, points=[(0, 0), (3, 4)]), Line)  # a distance is a line
    with pytest.raises(AnnotationError, match="needs 3 points"):
        Angle(t=0, points=[(0, 0), (1, 1)])
    with pytest.raises(AnnotationError, match="points"):
        Polyline(t=0, points=[])
    with pytest.raises(AnnotationError, match="abstract"):
        Annotation(t=0, points=[(0, 0)])
    with pytest.raises(AnnotationError, match="not a drawing type"):
        make_annotation("hologram", 0, [(0, 0)])
    with pytest.raises(AnnotationError, match="x must be a number"):
        Marker(t=0, points=[(math.inf, 0)])


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_round_trip_every_type(kind):
    a = make_annotation(kind, 1.25, SAMPLES[kind], Style("#12abef", 2.5, 18, True, "end"),
                        Visibility("timed", 0.2, 1.5, 0.3), text="knees" if kind == "text" else "")
    d = json.loads(json.dumps(a.to_dict()))  # through real JSON text
    assert d["type"] == kind and d["id"] == a.id and d["t"] == 1.25
    b = annotation_from_dict(d)
    assert type(b) is type(a) and b == a
    assert b.to_dict() == d


# -- geometry against known values ---------------------------------------------------

def test_angle_values():
    assert angle_at((0, 0), (100, 0), (100, 100)) == pytest.approx(90)
    assert angle_at((0, 0), (1, 0), (2, 0)) == pytest.approx(180)
    assert angle_at((1, 0), (0, 0), (1, 1)) == pytest.approx(45)
    assert angle_at((1, 0), (0, 0), (1, 0)) == pytest.approx(0)
    assert angle_at((0, 0), (0, 0), (1, 0)) == 0  # degenerate arm
    # a 60 degree knee: thigh along +x, shin at 60 degrees
    knee = Angle(t=0, points=[(200, 100), (100, 100), (100 + 50, 100 + 50 * math.sqrt(3))])
    assert knee.degrees() == pytest.approx(60)
    assert knee.measure() == "60.0°"
    # counter-clockwise as seen on screen (y down): Kinovea's convention
    assert angle_ccw((465, 94), (400, 94), (400, 44)) == pytest.approx(90)  # right → up
    assert angle_ccw((489, 76), (530, 76), (530, 26)) == pytest.approx(270)  # left → up
    assert angle_ccw((297, 107), (297, 71), (297, 21)) == pytest.approx(180)
    assert Angle(t=0, points=[(489, 76), (530, 76), (530, 26)]).degrees() == pytest.approx(90)


def test_lean_values():
    assert angle_to_vertical((0, 0), (0, 50)) == pytest.approx(0)
    assert angle_to_vertical((0, 0), (100, 100)) == pytest.approx(45)
    assert angle_to_horizontal((0, 0), (100, 0)) == pytest.approx(0)
    assert angle_to_horizontal((0, 0), (100, 100 * math.tan(math.radians(20)))) == \
        pytest.approx(20)
    torso = AngleToVertical(t=0, points=[(50, 100), (100, 100 - 50 * math.sqrt(3))])
    assert torso.degrees() == pytest.approx(30)
    assert torso.measure() == "30.0° from vertical"
    assert torso.signed_degrees() == pytest.approx(30)  # top leans right
    assert signed_lean_from_vertical((0, 0), (50, 86.6)) == pytest.approx(-30, abs=0.01)
    hip = AngleToHorizontal(t=0, points=[(0, 0), (100, -100)])
    assert hip.measure() == "45.0° from horizontal"


def test_distance_and_stopwatch_readouts():
    d = Distance(t=0, points=[(0, 0), (300, 400)])
    assert d.measure() == "500 px"
    assert d.measure(m_per_px=0.001) == "50.0 cm"
    assert d.length_m(0.002) == pytest.approx(1.0)
    assert Line(t=0, points=[(0, 0), (3, 4)]).measure() == ""  # a plain line measures nothing
    sw = Stopwatch(t=2.0, points=[(0, 0)])
    assert sw.measure(t_now=3.25) == "1.25 s"
    assert sw.measure(t_now=1.0) == "0.00 s"
    assert sw.elapsed(12.0) == pytest.approx(10.0)
    # slow motion (120 fps played at 30): clip seconds count a quarter of real time
    assert sw.elapsed(6.0, time_factor=0.25) == pytest.approx(1.0)
    assert sw.measure(t_now=6.0, time_factor=0.25) == "1.00 s"


def test_stopwatch_stop_here_start_here_and_clear():
    sw = Stopwatch(t=2.0, points=[(0, 0)])
    stopped = sw.stopped_at(3.5)
    assert sw.stop is None and stopped.stop == 3.5 and stopped.id == sw.id
    assert stopped.measure(t_now=10.0) == "1.50 s"
    assert Stopwatch.from_dict(stopped.to_dict()).stop == 3.5  # saved with the drawing
    with pytest.raises(AnnotationError):
        sw.stopped_at(2.0)  # not after its start
    later = stopped.started_at(3.0)
    assert (later.t, later.stop) == (3.0, 3.5)
    past = stopped.started_at(4.0)  # starting after the stop: it runs on from there
    assert (past.t, past.stop) == (4.0, None)
    assert stopped.running().stop is None and stopped.running().measure(t_now=10.0) == "8.00 s"
    pasted = stopped.copy_to(20.0)  # pasted onto the next rep: the same duration
    assert (pasted.t, pasted.stop) == (20.0, 21.5) and pasted.id != stopped.id
    c = Circle(t=0, points=[(0, 0), (3, 4)])
    assert c.radius == pytest.approx(5) and c.bounds() == pytest.approx((-5, -5, 5, 5))
    assert Polyline(t=0, points=[(0, 0), (3, 4), (3, 10)]).length_px() == pytest.approx(11)
    assert Rectangle(t=0, points=[(0, 0), (4, 2)]).corners() == [(0, 0), (4, 0), (4, 2), (0, 2)]


# -- hit tests and editing -------------------------------------------------------------

def test_hit_testing():
    line = Line(t=0, points=[(0, 0), (100, 0)])
    assert line.hit_test((0.5, 0.5), 4) == 0
    assert line.hit_test((100, 2), 4) == 1
    assert line.hit_test((50, 3), 4) == -1
    assert line.hit_test((50, 20), 4) is None
    short = Line(t=0, points=[(0, 0), (3, 0)])
    assert short.hit_test((2.5, 0), 4) == 1  # the nearest handle wins, not the first
    circle = Circle(t=0, points=[(0, 0), (10, 0)])
    assert circle.hit_test((0, 10.5), 2) == -1  # on the rim
    assert circle.hit_test((0, 5), 2) is None  # inside, away from the rim
    plumb = PlumbLine(t=0, points=[(50, 50)])
    assert plumb.hit_test((51, 900), 3) == -1 and plumb.hit_test((60, 900), 3) is None
    rect = Rectangle(t=0, points=[(0, 0), (100, 50)])
    assert rect.hit_test((100, 25), 2) == -1  # an edge between the stored corners
    assert rect.hit_test((50, 25), 2) is None  # the inside
    angle = Angle(t=0, points=[(0, 0), (100, 0), (100, 100)])
    assert angle.hit_test((100, 1), 3) == 1 and angle.hit_test((100, 50), 3) == -1
    assert angle.hit_test((50, 50), 3) is None  # the open side of the angle
    pencil = Polyline(t=0, points=[(0, 0), (10, 0), (20, 0)])
    assert pencil.hit_test((10, 1), 2) == -1  # freehand has no handles
    label = TextLabel(t=0, points=[(10, 10)], text="knees in", style=Style(font_size=10))
    assert label.hit_test((50, 15), 2) == -1  # inside the text box, far from the anchor
    assert label.hit_test((300, 15), 2) is None


def test_editing_returns_new_records():
    line = Line(t=0, points=[(0, 0), (100, 0)])
    moved = line.moved_handle(1, (100, 50)).translated(10, 0)
    assert moved.points == [(10, 0), (110, 50)] and moved.id == line.id
    assert line.points == [(0, 0), (100, 0)]  # the original is untouched (undo needs it)
    with pytest.raises(AnnotationError, match="no handle 2"):
        line.moved_handle(2, (0, 0))
    circle = Circle(t=0, points=[(0, 0), (10, 0)])
    assert circle.moved_handle(0, (5, 5)).points == [(5, 5), (15, 5)]  # centre moves it all
    assert circle.moved_handle(1, (0, 20)).radius == pytest.approx(20)
    pasted = line.copy_to(7.5)
    assert pasted.id != line.id and pasted.t == 7.5 and pasted.points == line.points
    red = with_style(line, color="#ff0000", width=6)
    assert (red.style.color, red.style.width, red.style.dashed) == ("#ff0000", 6, False)
    assert replace(line, text="bar path").text == "bar path"  # replace keeps the type
    assert type(replace(Distance(t=0, points=[(0, 0), (1, 1)]), t=2)) is Distance


# -- visibility ----------------------------------------------------------------------

def test_visibility_fades():
    v = Visibility("timed", fade_in=0.5, hold=1.0, fade_out=1.0)
    t = 10.0
    expected = [(9.0, 0), (9.5, 0), (9.75, 0.5), (10.0, 1), (10.9, 1), (11.0, 1), (11.5, 0.5),
                (11.75, 0.25), (12.0, 0), (12.1, 0)]
    for now, alpha in expected:
        assert v.opacity_at(now, t) == pytest.approx(alpha, abs=1e-9), now
    assert v.span(t) == (9.5, 12.0)
    assert Visibility("always").opacity_at(0, t) == 1
    assert Visibility("from_time").opacity_at(9.9, t) == 0
    assert Visibility("from_time").opacity_at(500, t) == 1
    hard = Visibility("timed", 0, 0, 0)  # shows on its own instant only
    assert hard.opacity_at(t, t) == 1 and hard.opacity_at(t + 0.01, t) == 0
    a = Marker(t=t, points=[(0, 0)], visibility=v)
    assert a.opacity_at(11.5) == pytest.approx(0.5)
    assert v.opacity(11.5, t) == a.opacity_at(11.5)  # the older name agrees


def test_visibility_durations_are_real_seconds_on_slow_motion():
    """On a 4x slow clip (0.25 real s per clip s) a 1 s hold lasts 4 s of the clip."""
    v = Visibility("timed", fade_in=0.5, hold=1.0, fade_out=1.0)
    t, f = 10.0, 0.25
    for now, alpha in [(8.0, 0), (9.0, 0.5), (10.0, 1), (13.9, 1), (16.0, 0.5), (18.0, 0)]:
        assert v.opacity_at(now, t, f) == pytest.approx(alpha, abs=1e-9), now
    assert v.span(t, f) == (8.0, 18.0)
    a = Marker(t=t, points=[(0, 0)], visibility=v)
    assert a.opacity_at(16.0, f) == pytest.approx(0.5) == v.opacity(16.0, t, f)
    assert v.describe() == "fades in 0.5 s, holds 1.0 s, fades out 1.0 s"
    assert Visibility().describe() == "holds 1.0 s, fades out 0.5 s"
    assert Visibility("always").describe() == "always"


def test_opacity_is_always_within_0_and_1():
    v = Visibility("timed", fade_in=0.3, hold=0.7, fade_out=0.4)
    for i in range(-400, 400):
        assert 0.0 <= v.opacity_at(5 + i / 97, 5) <= 1.0


@pytest.mark.parametrize("bad", [
    {"mode": "sometimes"}, {"fade_in": -1}, {"hold": "long"}, {"fade_out": True}, [],
])
def test_bad_visibility_is_rejected(bad):
    with pytest.raises(AnnotationError):
        Visibility.from_dict(bad)


# -- unknown types and fields ------------------------------------------------------------

def test_unknown_type_and_fields_are_kept():
    raw = {"type": "hologram", "id": "x1", "t": 3.0, "beams": [1, 2, 3]}
    u = annotation_from_dict(raw)
    assert isinstance(u, UnknownAnnotation) and u.to_dict() == raw and u.t == 3.0
    assert (u.type, u.id) == ("hologram", "x1")
    known = Marker(t=1.0, points=[(1, 2)]).to_dict()
    known["glow"] = {"radius": 4}
    known["style"]["shadow"] = True
    known["visibility"]["easing"] = "cubic"
    again = annotation_from_dict(copy.deepcopy(known))
    assert again.extra == {"glow": {"radius": 4}}
    assert again.to_dict() == known
    # edits keep them too
    assert with_style(again, color="#000000").to_dict()["style"]["shadow"] is True
    assert again.translated(1, 1).to_dict()["glow"] == {"radius": 4}


def test_registry_accepts_a_new_class_and_refuses_a_clash():
    from dataclasses import dataclass
    from typing import ClassVar

    @dataclass
    class Skeleton(Annotation):
        TYPE: ClassVar[str] = "test_skeleton"
        POINTS: ClassVar[int] = 0

    try:
        register(Skeleton)
        s = annotation_from_dict(Skeleton(t=0, points=[(0, 0), (1, 1)]).to_dict())
        assert type(s) is Skeleton
        with pytest.raises(ValueError):
            register(type("Other", (Line,), {"TYPE": "test_skeleton"}))
    finally:
        ANNOTATION_TYPES.pop("test_skeleton", None)


@pytest.mark.parametrize("bad", [
    None, 3, {"type": 5}, {"type": ""}, {"type": "line", "id": "a", "t": 0, "points": [[0, 0]]},
    {"type": "line", "id": "a", "t": "soon", "points": [[0, 0], [1, 1]]},
    {"type": "line", "id": "a", "t": 0, "points": [[0, 0], [1, float("nan")]]},
    {"type": "line", "id": "a", "t": 0, "points": [[0, 0], [1, True]]},
    {"type": "line", "id": "a", "t": 0, "points": [[0, 0], [1, 1, 1]]},
    {"type": "line", "id": "a", "t": 0, "points": "0,0 1,1"},
    {"type": "line", "id": "a", "t": 0, "points": [[0, 0], [1, 1]], "style": {"color": "red"}},
    {"type": "line", "id": "a", "t": 0, "points": [[0, 0], [1, 1]], "style": {"width": 0}},
    {"type": "line", "id": "a", "t": 0, "points": [[0, 0], [1, 1]], "style": {"arrow": []}},
    {"type": "line", "id": "a", "t": 0, "points": [[0, 0], [1, 1]], "style": {"dashed": "no"}},
    {"type": "line", "id": "", "t": 0, "points": [[0, 0], [1, 1]]},
    {"type": "line", "id": 7, "t": 0, "points": [[0, 0], [1, 1]]},
    {"type": "text", "id": "a", "t": 0, "points": [[0, 0]], "text": 5},
    {"type": "marker", "id": "a", "t": 0, "points": [[0, 0]], "visibility": {"mode": "x"}},
])
def test_malformed_drawings_are_rejected_plainly(bad):
    with pytest.raises(AnnotationError):
        annotation_from_dict(bad)


def test_key_moment_round_trip_and_checks():
    k = KeyMoment(4.2, "knees cave, rep 3", "push knees out")
    d = k.to_dict()
    assert KeyMoment.from_dict(d) == k
    d["severity"] = 2
    assert KeyMoment.from_dict(d).to_dict() == d
    for bad in (None, {"t": 1, "title": 3, "id": "a"}, {"t": "x", "title": "", "id": "a"},
                {"t": 1, "title": "", "id": ""}):
        with pytest.raises(AnnotationError):
            KeyMoment.from_dict(bad)
