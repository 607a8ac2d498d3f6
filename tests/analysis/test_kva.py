"""Kinovea .kva import: the real sample files (shared data) and generated edge cases."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.annotations import (Angle, Circle, Distance, Line, Marker, Polyline, Stopwatch,
                                  TextLabel, annotation_from_dict)
from analysis.annotations.kva import KvaError, _rtf_to_text, import_kva

FPS = 59.94  # the sample video's frame rate (1502 timestamps per frame, 90 kHz clock)
CLOCK = 90_000  # its timestamps per second: Kinovea's times are these, to its 10 ms labels


@pytest.fixture(scope="module")
def kva_dir(shared_data: Path) -> Path:
    d = shared_data / "kva"
    if not d.is_dir():
        pytest.skip("the shared data has no kva/ folder")
    return d


def by_type(result, cls):
    return [a for a in result.annotations if type(a) is cls]


def test_simple_file_angle_matches_kinovea(kva_dir):
    r = import_kva(kva_dir / "kinovea-sample-simple.kva")
    (angle,) = r.annotations
    assert isinstance(angle, Angle) and angle.t == 0.0
    assert angle.points == [(298, 256), (224, 205), (224, 155)]  # A, O (vertex), B
    assert angle.degrees_ccw() == pytest.approx(124, abs=1)  # Kinovea showed 124
    assert angle.style.color == "#ff0000"
    assert r.image_size == (512, 384) and r.skipped == []


def test_complete_file_maps_every_drawing(kva_dir):
    path = kva_dir / "kinovea-sample-complete.kva"
    before = path.read_bytes()
    r = import_kva(path, fps=FPS)
    assert path.read_bytes() == before
    counts = {cls.__name__: len(by_type(r, cls)) for cls in
              (TextLabel, Polyline, Line, Distance, Circle, Marker, Angle, Stopwatch)}
    assert counts == {"TextLabel": 2, "Polyline": 2, "Line": 2, "Distance": 1, "Circle": 3,
                      "Marker": 4, "Angle": 3, "Stopwatch": 2}
    assert [k.title for k in r.key_moments] == [
        "comments", "labels", "pencils", "lines", "circles", "crossmarks", "angles",
        "0:00:05:34", "0:00:05:36"]
    assert r.key_moments[0].comment == "Comments\nComments with formatting"
    assert r.key_moments[3].t == pytest.approx(205705 / CLOCK, abs=0.005)
    # Kinovea's own readouts, written beside each drawing, agree with ours
    assert [round(a.degrees_ccw()) for a in by_type(r, Angle)] == [180, 90, 270]
    (dist,) = by_type(r, Distance)
    assert dist.length_px() == pytest.approx(97.31, abs=0.01)
    assert dist.measure() == "97 px"
    # styles
    lines = by_type(r, Line)
    assert [(a.style.arrow, a.style.width, a.style.color) for a in lines] == [
        ("none", 2.0, "#90ee90"), ("both", 13.0, "#ff3333")]
    pencils = by_type(r, Polyline)
    assert [len(p.points) for p in pencils] == [189, 332]
    assert pencils[0].style.width == 22 and pencils[0].points[0] == (414, 162)
    labels = by_type(r, TextLabel)
    assert [(a.text, a.style.font_size) for a in labels] == [("label2", 28), ("label", 36)]
    # fading: 126 frames each side of the keyframe
    assert labels[0].visibility.fade_in == pytest.approx(126 / FPS, rel=2e-3)
    assert labels[0].visibility.hold == 0 and labels[0].opacity_at(labels[0].t) == 1
    circles = by_type(r, Circle)
    assert circles[0].center == (347, 184) and circles[0].radius == pytest.approx(169)
    # chronos
    plain, countdown = by_type(r, Stopwatch)
    assert plain.text == "default" and plain.visibility.mode == "from_time"
    assert countdown.t == pytest.approx(419058 / CLOCK, abs=0.005)
    assert countdown.visibility.hold == pytest.approx((458110 - 419058) / CLOCK, abs=0.005)
    assert any("countdown" in s for s in r.skipped)
    assert any(s.startswith("1 × Tracks") for s in r.skipped)
    # everything imported saves and loads like any drawing
    for a in r.annotations:
        assert annotation_from_dict(a.to_dict()) == a


def test_times_without_a_frame_rate_come_from_the_time_labels(kva_dir):
    r = import_kva(kva_dir / "kinovea-sample-complete.kva")
    times = {k.title: k.t for k in r.key_moments}
    assert times["lines"] == pytest.approx(2.29, abs=0.01)
    assert times["0:00:05:36"] == pytest.approx(5.36, abs=0.005)


def test_coordinates_scale_to_our_picture(kva_dir):
    r = import_kva(kva_dir / "kinovea-sample-complete.kva", fps=FPS, image_size=(1696, 960))
    assert by_type(r, Circle)[0].center == (694, 368)
    assert by_type(r, Circle)[0].radius == pytest.approx(338)


def test_minimal_and_0_9_files(kva_dir):
    r = import_kva(kva_dir / "kinovea-sample-minimal.kva")
    assert (r.annotations, r.key_moments, r.skipped) == ([], [], [])
    r = import_kva(kva_dir / "kinovea-docs-distorted.kva")
    assert r.producer == "Kinovea.0.9.4" and r.annotations == []
    assert any("Calibration" in s for s in r.skipped)
    assert any("CoordinateSystem" in s for s in r.skipped)


# -- generated files (always run) ---------------------------------------------------------

HEAD = ('<?xml version="1.0" encoding="utf-8"?><KinoveaVideoAnalysis><FormatVersion>2.0'
        '</FormatVersion><ImageSize>640;480</ImageSize><AverageTimeStampsPerFrame>100'
        '</AverageTimeStampsPerFrame><FirstTimeStamp>1000</FirstTimeStamp>')


def write(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    p = tmp_path / "x.kva"
    p.write_text(head + body + "</KinoveaVideoAnalysis>", encoding="utf-8")
    return p


def test_generated_file_times_fading_and_skips(tmp_path):
    body = ("<Keyframes><Keyframe><Position>3000</Position><Title>bottom</Title><Drawings>"
            "<Line><Start>0;0</Start><End>30;40</End><MeasureVisible>true</MeasureVisible>"
            "<InfosFading><Enabled>true</Enabled><Frames>5</Frames>"
            "<AlwaysVisible>false</AlwaysVisible></InfosFading></Line>"
            "<CrossMark><CenterPoint>1;2</CenterPoint><InfosFading><AlwaysVisible>true"
            "</AlwaysVisible></InfosFading></CrossMark>"
            "<Angle><PointO>nonsense</PointO><PointA>1;1</PointA><PointB>2;2</PointB></Angle>"
            "<Spotlight><Center>1;1</Center></Spotlight>"
            "</Drawings></Keyframe></Keyframes>")
    r = import_kva(write(tmp_path, body), fps=10)  # 100 ts/frame at 10 fps: 1000 ts per s
    dist, marker = r.annotations
    assert isinstance(dist, Distance) and dist.t == pytest.approx(2.0)  # (3000-1000)/1000
    assert dist.visibility.fade_in == pytest.approx(0.5)  # 5 frames at 10 fps
    assert isinstance(marker, Marker) and marker.visibility.mode == "always"
    assert r.key_moments[0].title == "bottom" and r.key_moments[0].t == pytest.approx(2.0)
    assert len(r.skipped) == 2
    assert r.skipped[0].startswith("Angle: damaged")
    assert "Spotlight" in r.skipped[1] and "no LiftLens equivalent" in r.skipped[1]


@pytest.mark.parametrize("content, message", [
    (b"", "not a readable"),
    (b"<html><body/></html>", "not a Kinovea"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><KinoveaVideoAnalysis>&a;'
     b"</KinoveaVideoAnalysis>", "DTD"),
    (b"<KinoveaVideoAnalysis><FormatVersion>1.3</FormatVersion></KinoveaVideoAnalysis>",
     "not supported"),
    (b"<KinoveaVideoAnalysis><Keyframes><Keyframe><Position>5</Position></Keyframe>"
     b"</Keyframes></KinoveaVideoAnalysis>", "how long a frame lasts"),
    (b"\xff\xfe\x00garbage", "not a readable"),
    (b'<?xml version="1.0" encoding="u0f-8"?><KinoveaVideoAnalysis/>', "not a readable"),
])
def test_bad_files_are_plain_errors(tmp_path, content, message):
    p = tmp_path / "bad.kva"
    p.write_bytes(content)
    with pytest.raises(KvaError, match=message):
        import_kva(p)
    assert p.read_bytes() == content


def test_bad_frame_rate_and_missing_file(tmp_path):
    with pytest.raises(KvaError, match="frame rate"):
        import_kva(write(tmp_path, ""), fps=math.nan)
    with pytest.raises(KvaError, match="cannot be read"):
        import_kva(tmp_path / "missing.kva")


GOOD_BODY = ("<Keyframes><Keyframe><Position UserTime=\"0:00:01:00\">2000</Position>"
             "<Title>t</Title><Comment>{\\rtf1 hi\\par}</Comment><Drawings>"
             "<Line><Start>0;0</Start><End>30;40</End><DrawingStyle><Color Key=\"c\">"
             "<Value>255;1;2;3</Value></Color><LineSize Key=\"s\"><Value>4</Value></LineSize>"
             "<Arrows Key=\"a\"><Value>None;ArrowAnchor</Value></Arrows></DrawingStyle></Line>"
             "<Circle><Origin>5;5</Origin><Radius>3</Radius></Circle>"
             "<Pencil><PointList Count=\"2\"><Point>1;1</Point><Point>2;2</Point></PointList>"
             "</Pencil></Drawings></Keyframe></Keyframes><Chronos><Chrono><Position>1;1</Position>"
             "<Values><Visible>2000</Visible><StartCounting>-1</StartCounting><Invisible>-1"
             "</Invisible></Values></Chrono></Chronos>")


def test_generated_good_file_without_frame_rate(tmp_path):
    r = import_kva(write(tmp_path, GOOD_BODY))
    line, circle, pencil, watch = r.annotations
    assert line.t == pytest.approx(1.0) and line.style.arrow == "end"
    assert (line.style.color, line.style.width) == ("#010203", 4.0)
    assert circle.radius == 3 and pencil.points == [(1, 1), (2, 2)]
    assert watch.t == pytest.approx(1.0) and r.key_moments[0].comment == "hi"


@settings(max_examples=500, deadline=None, derandomize=True)
@given(data=st.data())
def test_damaged_kva_files_only_raise_kva_error(tmp_path_factory, data):
    good = (HEAD + GOOD_BODY + "</KinoveaVideoAnalysis>").encode()
    raw = bytearray(good)
    kind = data.draw(st.sampled_from(["flip", "cut", "drop"]))
    if kind == "cut":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    else:
        for _ in range(data.draw(st.integers(1, 6))):
            i = data.draw(st.integers(0, len(raw) - 1))
            if kind == "flip":
                raw[i] = data.draw(st.sampled_from(b"<>/;0-9aZ.,\x00\xff"))
            else:
                del raw[i]
    p = tmp_path_factory.mktemp("kva") / "f.kva"
    p.write_bytes(bytes(raw))
    try:
        r = import_kva(p, fps=data.draw(st.sampled_from([None, 30.0])))
    except KvaError as exc:
        assert str(exc)
    else:
        for a in r.annotations:
            assert annotation_from_dict(a.to_dict()) == a
    assert p.read_bytes() == bytes(raw)


def test_rtf_comments_become_plain_text():
    rtf = (r"{\rtf1\ansi\deff0{\fonttbl{\f0\fnil Arial;}}{\colortbl ;\red0\green1\blue2;}"
           r"\viewkind4\pard\fs23 Knees \b in\b0\par Caf\'e9 \{ok\}\par}")
    assert _rtf_to_text(rtf) == "Knees in\nCafé {ok}"
    assert _rtf_to_text("  plain note ") == "plain note"
