"""Export to Kinovea .kva: drawings, key moments, a stopwatch's stop and the bar track,
read back by the importer (and checked against Kinovea's element layout)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from analysis.annotations import (
    Angle,
    Circle,
    Distance,
    Line,
    Marker,
    Polyline,
    Stopwatch,
    Style,
    TextLabel,
    Visibility,
)
from analysis.annotations.kva import import_kva
from analysis.annotations.kva_export import export_kva
from analysis.annotations.moments import KeyMoment

FPS = 30.0


def test_round_trip_through_the_importer(tmp_path):
    always = Visibility("always")
    drawings = [
        Line(t=1.0, points=[(10.0, 20.0), (200.0, 220.0)], style=Style("#ff3030", 4),
             visibility=always),
        Distance(t=1.0, points=[(50.0, 50.0), (50.0, 300.0)], visibility=always),
        Angle(t=2.0, points=[(300.0, 100.0), (250.0, 200.0), (350.0, 260.0)], visibility=always),
        Circle(t=2.0, points=[(400.0, 300.0), (460.0, 300.0)], visibility=always),
        Marker(t=3.0, points=[(120.0, 80.0)], visibility=always),
        TextLabel(t=3.0, points=[(30.0, 30.0)], text="knees out", visibility=always),
        Polyline(t=4.0, points=[(1.0, 2.0), (3.0, 4.0), (5.0, 8.0)], visibility=always),
        Stopwatch(t=1.0, points=[(20.0, 20.0)], text="set", extra={"stop": 2.5}),
    ]
    moments = [KeyMoment(2.0, "bottom, rep 1", "knees cave"), KeyMoment(5.0, "lockout", "")]
    t = np.arange(60) / FPS
    x = 320 + np.zeros(60)
    y = 200 + 50 * np.sin(t)
    y[10:15] = np.nan  # lost frames are left out
    path = tmp_path / "set.kva"
    result = export_kva(path, image_size=(640, 360), fps=FPS, annotations=drawings,
                        key_moments=moments, track=(t, x, y), video_name="set1.mp4")
    assert result.drawings == len(drawings) and result.key_moments == 2
    assert result.track_points == 55 and result.approximated == []

    back = import_kva(path, fps=FPS, image_size=(640, 360))
    kinds = sorted(type(a).__name__ for a in back.annotations)
    assert kinds == sorted(type(a).__name__ for a in drawings)
    by_type = {type(a): a for a in back.annotations}
    assert by_type[Line].points == [(10.0, 20.0), (200.0, 220.0)]
    assert by_type[Line].style.color == "#ff3030" and by_type[Line].t == pytest.approx(1.0)
    assert by_type[Angle].points == drawings[2].points
    assert by_type[Angle].degrees_ccw() == pytest.approx(drawings[2].degrees_ccw())
    assert by_type[Circle].points[1][0] - by_type[Circle].points[0][0] == pytest.approx(60.0)
    assert by_type[TextLabel].text == "knees out"
    assert by_type[Stopwatch].stop == pytest.approx(2.5)
    assert [(m.t, m.title) for m in back.key_moments] == [(2.0, "bottom, rep 1"),
                                                          (5.0, "lockout")]
    assert back.key_moments[0].comment == "knees cave"

    root = ET.parse(path).getroot()  # Kinovea's layout
    assert root.tag == "KinoveaVideoAnalysis" and root.findtext("FormatVersion") == "2.0"
    kf = root.find("Keyframes/Keyframe")
    tags = [c.tag for c in kf]
    assert tags[0] == "Position" and tags[-1] == "Drawings"
    points = root.findall("Tracks/Track/TrackPointList/TrackPoint")
    assert len(points) == 55
    px, _py, stamp, r = points[0].text.split(";")
    assert float(px) == 320.0 and int(stamp) == 0 and r == "0"
    assert int(points[-1].text.split(";")[2]) == 59 * 1000  # absolute timestamps


def test_drawings_kinovea_lacks_are_written_as_lines(tmp_path):
    from analysis.annotations import make_annotation

    plumb = make_annotation("plumb", 0.0, [(100.0, 50.0)], Style(), Visibility("always"))
    result = export_kva(tmp_path / "p.kva", image_size=(640, 360), fps=FPS, annotations=[plumb])
    assert result.drawings == 1 and "plumb" in result.approximated[0]
    back = import_kva(tmp_path / "p.kva", fps=FPS, image_size=(640, 360))
    assert isinstance(back.annotations[0], Polyline)


def test_bad_frame_rate_is_refused(tmp_path):
    with pytest.raises(ValueError, match="frame rate"):
        export_kva(tmp_path / "x.kva", image_size=(640, 360), fps=0.0)
