"""Drawings: geometry, visibility over time, hit tests, round trips, unknown types kept."""

from __future__ import annotations

import math

import pytest

from analysis.annotations import (ANNOTATION_TYPES, Annotation, KeyMoment, Style,
                                  UnknownAnnotation, Visibility, annotation_from_dict)
from analysis.annotations.geometry import angle_at, angle_to_horizontal, angle_to_vertical
from analysis.annotations.model import AnnotationError

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


def test_every_type_has_a_sample():
    assert set(SAMPLES) == set(ANNOTATION_TYPES)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_round_trip_every_type(kind):
    a = Annotation(kind, 1.25, SAMPLES[kind], Style("#12abef", 2.5, 18, True, "end"),
                   Visibility("timed", 0.2, 1.5, 0.3), text="knees" if kind == "text" else "")
    d = a.to_dict()
    b = annotation_from_dict(d)
    assert b == a
    assert b.to_dict() == d


def test_measurements():
    assert angle_at((0, 0), (100, 0), (100, 100)) == pytest.approx(90)
    assert angle_at((0, 0), (1, 0), (2, 0)) == pytest.approx(180)
    assert angle_to_vertical((0, 0), (0, 50)) == pytest.approx(0)
    assert angle_to_vertical((0, 0), (100, 100)) == pytest.approx(45)
    assert angle_to_horizontal((0, 0), (100, 0)) == pytest.approx(0)
    a = Annotation("angle", 0, SAMPLES["angle"])
    assert a.measure() == "90.0°"
    lean = Annotation("angle_vertical", 0, [(50, 100), (100, 100 - 50 * math.sqrt(3))])
    assert lean.measure().startswith("30.0°")
    d = Annotation("distance", 0, [(0, 0), (300, 400)])
    assert d.measure() == "500 px"
    assert d.measure(m_per_px=0.001) == "50.0 cm"
    sw = Annotation("stopwatch", 2.0, [(0, 0)])
    assert sw.measure(t_now=3.25) == "1.25 s"
    assert sw.measure(t_now=1.0) == "0.00 s"


def test_visibility_fades():
    v = Visibility("timed", fade_in=0.5, hold=1.0, fade_out=1.0)
    t = 10.0
    assert v.opacity(9.0, t) == 0
    assert v.opacity(9.75, t) == pytest.approx(0.5)
    assert v.opacity(10.0, t) == 1
    assert v.opacity(11.0, t) == 1
    assert v.opacity(11.5, t) == pytest.approx(0.5)
    assert v.opacity(12.1, t) == 0
    assert Visibility("always").opacity(0, t) == 1
    assert Visibility("from_time").opacity(9.9, t) == 0
    assert Visibility("from_time").opacity(500, t) == 1


def test_hit_testing_and_editing():
    line = Annotation("line", 0, [(0, 0), (100, 0)])
    assert line.hit_test((0.5, 0.5), 4) == 0
    assert line.hit_test((100, 2), 4) == 1
    assert line.hit_test((50, 3), 4) == -1
    assert line.hit_test((50, 20), 4) is None
    circle = Annotation("circle", 0, [(0, 0), (10, 0)])
    assert circle.hit_test((0, 10.5), 2) == -1
    assert circle.hit_test((0, 5), 2) is None
    plumb = Annotation("plumb", 0, [(50, 50)])
    assert plumb.hit_test((51, 900), 3) == -1
    moved = line.moved_handle(1, (100, 50)).translated(10, 0)
    assert moved.points == [(10, 0), (110, 50)] and moved.id == line.id
    assert line.points == [(0, 0), (100, 0)]  # the original is untouched (undo needs it)
    pasted = line.copy_to(7.5)
    assert pasted.id != line.id and pasted.t == 7.5 and pasted.points == line.points


def test_unknown_type_and_fields_are_kept():
    raw = {"type": "hologram", "id": "x1", "t": 3.0, "beams": [1, 2, 3]}
    u = annotation_from_dict(raw)
    assert isinstance(u, UnknownAnnotation) and u.to_dict() == raw and u.t == 3.0
    known = Annotation("marker", 1.0, [(1, 2)]).to_dict()
    known["glow"] = {"radius": 4}
    again = annotation_from_dict(known)
    assert again.extra == {"glow": {"radius": 4}}
    assert again.to_dict()["glow"] == {"radius": 4}


@pytest.mark.parametrize("bad", [
    None, 3, {"type": 5}, {"type": "line", "id": "a", "t": 0, "points": [[0, 0]]},
    {"type": "line", "id": "a", "t": "soon", "points": [[0, 0], [1, 1]]},
    {"type": "line", "id": "a", "t": 0, "points": [[0, 0], [1, float("nan")]]},
    {"type": "line", "id": "a", "t": 0, "points": [[0, 0], [1, 1]], "style": {"color": "red"}},
    {"type": "line", "id": "", "t": 0, "points": [[0, 0], [1, 1]]},
    {"type": "marker", "id": "a", "t": 0, "points": [[0, 0]], "visibility": {"mode": "x"}},
])
def test_malformed_drawings_are_rejected_plainly(bad):
    with pytest.raises(AnnotationError):
        annotation_from_dict(bad)


def test_key_moment_round_trip():
    k = KeyMoment(4.2, "knees cave, rep 3", "push knees out")
    assert KeyMoment.from_dict(k.to_dict()) == k
