"""A Kinovea file made on another video: drawings land at Kinovea's times (the file's own
time base, on the clip's nearest frame), keep their shape (one scale factor, centred), the
differences are said in plain words, and export → import round-trips on the same clip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.annotations import Angle, Circle, Line, TextLabel, Visibility
from analysis.annotations.kva import import_kva
from analysis.annotations.kva_export import export_kva
from analysis.annotations.moments import KeyMoment

CLIP_FPS = 30.0
CLIP_TIMES = np.arange(300) / CLIP_FPS  # a 10 s clip at 30 fps
CLIP = dict(fps=CLIP_FPS, image_size=(360, 480), frame_times=CLIP_TIMES, duration=10.0,
            video_name="/clips/squat.mp4")

# Kinovea 0.9 layout: a 60 fps, 848×480 video named "sample", 1000 timestamps per frame
HEAD_09 = ('<?xml version="1.0" encoding="utf-8"?><KinoveaVideoAnalysis>'
           '<FormatVersion>2.0</FormatVersion><Producer>Kinovea.0.9.4</Producer>'
           '<OriginalFilename>sample</OriginalFilename><ImageSize>848;480</ImageSize>'
           '<AverageTimeStampsPerFrame>1000</AverageTimeStampsPerFrame>'
           '<CaptureFramerate>60</CaptureFramerate><UserFramerate>60</UserFramerate>'
           '<FirstTimeStamp>0</FirstTimeStamp><SelectionStart>0</SelectionStart>'
           '<TimeOrigin>0</TimeOrigin>')
# Kinovea 0.8 layout: no frame rate; 1502 timestamps per frame on a 90 kHz clock, and the
# keyframes' UserTime labels (h:mm:ss:cc) say Kinovea's times
HEAD_08 = ('<?xml version="1.0" encoding="utf-8"?><KinoveaVideoAnalysis>'
           '<FormatVersion>2.0</FormatVersion><Producer>Kinovea.0.8.16</Producer>'
           '<OriginalFilename>sample</OriginalFilename><ImageSize>848;480</ImageSize>'
           '<AverageTimeStampsPerFrame>1502</AverageTimeStampsPerFrame>'
           '<FirstTimeStamp>0</FirstTimeStamp><SelectionStart>0</SelectionStart>')


def keyframe(position: int, title: str, drawings: str = "", label: str = "") -> str:
    user = f' UserTime="{label}"' if label else ""
    return (f"<Keyframe><Position{user}>{position}</Position><Title>{title}</Title>"
            f"<Drawings>{drawings}</Drawings></Keyframe>")


LABEL = ("<Label><Text>bar</Text><Position>16;247</Position><InfosFading><Enabled>true"
         "</Enabled><Frames>20</Frames><AlwaysVisible>false</AlwaysVisible></InfosFading>"
         "</Label>")
CIRCLE = "<Circle><Origin>424;240</Origin><Radius>100</Radius></Circle>"
ANGLE = ("<Angle><PointO>400;300</PointO><PointA>500;300</PointA><PointB>400;200</PointB>"
         "</Angle>")


def write(tmp_path: Path, head: str, keyframes: str, name: str = "x.kva") -> Path:
    p = tmp_path / name
    p.write_text(f"{head}<Keyframes>{keyframes}</Keyframes></KinoveaVideoAnalysis>",
                 encoding="utf-8")
    return p


def test_times_come_from_the_files_frame_rate_not_frame_numbers(tmp_path):
    # frame 320 of a 60 fps video is at 5.333 s; as frame 320 of our 30 fps clip it was 10.667
    body = (keyframe(32_000, "comments", LABEL) + keyframe(320_000, "0:00:05:33")
            + keyframe(900_000, "late"))  # 15 s: after the end of our 10 s clip
    r = import_kva(write(tmp_path, HEAD_09, body), **CLIP)
    assert r.time_basis == "framerate" and r.file_fps == pytest.approx(60.0)
    times = {k.title: k.t for k in r.key_moments}
    assert times == {"comments": CLIP_TIMES[16], "0:00:05:33": CLIP_TIMES[160]}
    (label,) = r.annotations
    assert label.t == CLIP_TIMES[16]  # 0.533 s, on one of our frames exactly
    assert label.visibility.fade_in == pytest.approx(20 / 60)  # 20 frames of *its* video
    assert any("late" in s and "after the end" in s for s in r.skipped)


def test_0_8_files_are_timed_by_their_labels(tmp_path):
    body = (keyframe(48_048, "comments", LABEL, "0:00:00:53")
            + keyframe(480_480, "0:00:05:34", "", "0:00:05:34"))
    r = import_kva(write(tmp_path, HEAD_08, body), **CLIP)
    assert r.time_basis == "labels"
    times = {k.title: k.t for k in r.key_moments}
    # Kinovea showed 0.53 s and 5.34 s; the clip's nearest frames are 16 and 160
    assert times == {"comments": CLIP_TIMES[16], "0:00:05:34": CLIP_TIMES[160]}
    assert any("about 59.9 frames/s" in n for n in r.notes)


def test_without_any_time_base_frame_numbers_are_kept_and_said(tmp_path):
    head = HEAD_08.replace("848;480", "360;480").replace("sample", "squat")
    r = import_kva(write(tmp_path, head, keyframe(15_020, "ten")), **CLIP)
    assert r.time_basis == "frames" and r.key_moments[0].t == CLIP_TIMES[10]
    assert r.notes == ["The file does not say how long its frames last: drawings and key "
                       "moments were placed by frame number, at this clip's 30 frames/s."]


def test_positions_scale_by_one_factor_and_keep_their_shape(tmp_path):
    r = import_kva(write(tmp_path, HEAD_09, keyframe(0, "shapes", LABEL + CIRCLE + ANGLE)),
                   **CLIP)
    label, circle, angle = r.annotations
    s = 360 / 848  # the whole 848×480 picture fitted across our 360 px, centred down
    dy = (480 - 480 * s) / 2
    assert isinstance(label, TextLabel) and label.points[0] == pytest.approx((16 * s, 247 * s + dy))
    assert isinstance(circle, Circle) and circle.radius == pytest.approx(100 * s)
    assert circle.center == pytest.approx((180.0, 240.0))  # the picture's centre stays
    assert isinstance(angle, Angle) and angle.degrees_ccw() == pytest.approx(90.0)
    # same shape, another size: one factor, nothing moved off centre
    r = import_kva(write(tmp_path, HEAD_09, keyframe(0, "c", CIRCLE), "b.kva"),
                   **{**CLIP, "image_size": (1696, 960)})
    assert r.annotations[0].center == (848.0, 480.0) and r.annotations[0].radius == 200.0


def test_differences_from_the_clip_are_said_in_plain_words(tmp_path):
    r = import_kva(write(tmp_path, HEAD_09, keyframe(0, "a", LABEL)), **CLIP)
    text = " ".join(r.notes)
    assert "“sample”, not on this clip (“squat”)" in text
    assert "848×480 picture; this clip is 360×480" in text and "scaled by 0.425" in text
    assert "60 frames/s, this clip at 30" in text
    same = HEAD_09.replace("848;480", "360;480").replace(">60<", ">30<").replace(
        ">sample<", ">squat<")
    r = import_kva(write(tmp_path, same, keyframe(0, "a", LABEL), "same.kva"), **CLIP)
    assert r.notes == []  # made on this clip: nothing to say


def test_export_then_import_round_trips_exactly_on_the_same_clip(tmp_path):
    fps = 30000 / 1001  # 29.97: written as "29.97" the times drifted
    times = np.arange(3000) / fps
    w, h = 1080, 1920
    always = Visibility("always")
    drawings = [
        Line(t=float(times[2999]), points=[(10.123456789, 20.5), (1000.25, 1900.0625)],
             visibility=always),
        Angle(t=float(times[1234]), points=[(300.3333333, 100.1), (250.0, 200.7777),
                                            (350.123, 260.0)], visibility=always),
        Circle(t=float(times[7]), points=[(400.5, 300.25), (460.75, 300.25)],
               visibility=always),
        TextLabel(t=0.0, points=[(33.333333333333336, 30.0)], text="knees", visibility=always),
    ]
    moments = [KeyMoment(float(times[2500]), "lockout")]
    path = tmp_path / "rt.kva"
    export_kva(path, image_size=(w, h), fps=fps, annotations=drawings, key_moments=moments,
               video_name="/clips/set.mp4")
    back = import_kva(path, fps=fps, image_size=(w, h), frame_times=times,
                      duration=3000 / fps, video_name="/clips/set.mp4")
    assert back.notes == [] and back.skipped == []
    got = sorted(back.annotations, key=lambda a: a.t)
    want = sorted(drawings, key=lambda a: a.t)
    assert [a.t for a in got] == [a.t for a in want]
    for a, b in zip(got, want, strict=True):
        if isinstance(b, Circle):
            assert a.center == b.center and a.radius == pytest.approx(b.radius, abs=1e-9)
        else:
            assert a.points == b.points
    assert [(k.t, k.title) for k in back.key_moments] == [(float(times[2500]), "lockout")]


def test_shared_sample_lands_at_kinoveas_times(shared_data: Path):
    path = shared_data / "kva" / "kinovea-sample-complete.kva"
    if not path.is_file():
        pytest.skip("the shared data has no kinovea-sample-complete.kva")
    r = import_kva(path, **CLIP)
    times = {k.title: k.t for k in r.key_moments}
    assert times["0:00:05:34"] == pytest.approx(5.34, abs=0.02)  # was 10.663 s
    assert times["comments"] == pytest.approx(0.53, abs=0.02)  # was 1.066 s
    angles = [a for a in r.annotations if isinstance(a, Angle)]
    assert [round(a.degrees_ccw()) for a in angles] == [180, 90, 270]  # Kinovea's readings
    label = next(a for a in r.annotations if isinstance(a, TextLabel) and a.text == "label2")
    assert label.points[0][0] == pytest.approx(16 * 360 / 848)  # not 7 px
    assert label.points[0][0] / 16 == pytest.approx((label.points[0][1] - 138.11) / 247, 1e-3)
    assert len(r.notes) == 3
