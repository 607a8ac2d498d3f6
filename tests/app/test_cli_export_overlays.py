"""``liftlens export VIDEO --session FILE``: drawings, bar path and data burned in headless."""

from __future__ import annotations

import av
import numpy as np

from analysis.annotations import make_annotation
from analysis.annotations.model import Style, Visibility
from analysis.session.calibration import Calibration
from analysis.session.document import Recording, Session
from analysis.session.portable import describe_video, export_session
from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from analysis.tracking import BarTracker
from analysis.video import VideoSource
from app.cli.main import main


def test_export_with_session_overlays(tmp_path, capsys):
    clip = tmp_path / "lift.mp4"
    truth = make_lift_clip(clip, LiftScript(reps=(RepSpec(0.8, 0.3, 0.6, 0.4, 0.4),), setup=0.4,
                                            end_idle=0.4), size=(480, 270), px_per_m=260.0)
    with VideoSource(str(clip)) as src:
        tr = BarTracker().track(src, 0, (truth.x[0], truth.y[0]))
    rec = Recording(str(clip), track=tr, calibration=Calibration(truth.m_per_px, "test"))
    describe_video(rec, clip)
    rec.annotations.append(make_annotation("line", 0.0, [(10, 20), (470, 20)],
                                           Style("#ff0000", 40), Visibility("always")))
    sfile = tmp_path / "s.liftlens"
    export_session(Session(lifter="Ann", exercise="squat", recordings=[rec]), sfile)
    plain, marked = tmp_path / "plain.mp4", tmp_path / "marked.mp4"
    assert main(["export", str(clip), "-o", str(plain), "-q"]) == 0
    assert main(["export", str(clip), "-o", str(marked), "--session", str(sfile), "-q"]) == 0

    def frame(path, n):
        with av.open(str(path)) as c:
            for i, f in enumerate(c.decode(video=0)):
                if i == n:
                    return f.to_ndarray(format="bgr24").astype(int)

    a, b = frame(plain, 30), frame(marked, 30)
    red = (b[..., 2] > 180) & (b[..., 1] < 90) & (b[..., 0] < 90)
    assert red[15:26, 10:470].mean() > 0.5  # the line
    changed = np.abs(a - b).max(axis=2) > 60
    assert changed[:90, :200].mean() > 0.02  # the data overlay in the top-left corner
    assert main(["export", str(clip), "-o", str(tmp_path / "x.mp4"), "--session",
                 str(tmp_path / "missing.liftlens")]) == 2
    assert "does not exist" in capsys.readouterr().err
    # the session file itself as the input: its set 1, overlays included
    from_session = tmp_path / "from_session.mp4"
    assert main(["export", str(sfile), "--set", "1", "-o", str(from_session), "-q"]) == 0
    c = frame(from_session, 30)
    assert np.abs(c - b).mean() < 2.0
    assert main(["export", str(sfile), "--set", "4", "-o", str(tmp_path / "y.mp4")]) == 2
    assert "no set 4" in capsys.readouterr().err


def test_exported_stopwatch_counts_real_time_on_slow_motion(tmp_path, monkeypatch):
    """``export --session`` of a 4x slow-motion clip burned a stopwatch in file time (4.00 s
    after one real second); it now reads real time, as in the app."""
    import argparse

    from analysis.export.render import ExportFrame
    from analysis.synth.slowmo import make_slowmo_clip
    from analysis.video.capture import TimeScale
    from app.cli.export import build_renders

    clip = tmp_path / "slow.mp4"
    make_slowmo_clip(clip, LiftScript(reps=(RepSpec(0.5, 0.2, 0.4, 0.3, 0.3),), setup=0.3,
                                      end_idle=0.3))
    rec = Recording(str(clip))
    describe_video(rec, clip)
    rec.annotations.append(make_annotation("stopwatch", 0.0, [(40, 30)], Style("#ffffff", 2),
                                           Visibility("always")))
    sfile = tmp_path / "s.liftlens"
    export_session(Session(lifter="Ann", exercise="squat", recordings=[rec]), sfile)
    texts: list[str] = []
    monkeypatch.setattr("widgets.overlay_painter._label",
                        lambda p, at, text, *a, **k: texts.append(text))
    args = argparse.Namespace(session=str(sfile), video=str(clip), no_drawings=False,
                              trail="off", no_hud=True)
    with VideoSource(str(clip)) as src:
        ts = TimeScale.of(src.index)
        assert ts.factor == 0.25
        (render,) = build_renders(args, src.index, ts)
        f = src.read(120)  # one real second after frame 0 (4 s of file)
    render(ExportFrame(f.index, f.time, f.image.copy(), f.time, 1.0, 1.0), 0)
    assert texts == ["◔ 1.00 s"]


def test_a_slowed_export_burns_its_speed_in(tmp_path, monkeypatch):
    """``export --session --speed 1/2``: the burned-in data says "1/2× speed (slow
    motion)" above the rep lines; at 1x nothing is added."""
    import argparse

    from analysis.export.render import ExportFrame
    from app.cli.export import build_renders

    clip = tmp_path / "lift.mp4"
    make_lift_clip(clip, LiftScript(reps=(RepSpec(0.8, 0.3, 0.6, 0.4, 0.4),), setup=0.4,
                                    end_idle=0.4), size=(320, 180), px_per_m=200.0)
    rec = Recording(str(clip))
    describe_video(rec, clip)
    sfile = tmp_path / "s.liftlens"
    export_session(Session(lifter="Ann", exercise="squat", recordings=[rec]), sfile)
    drawn: list[list[str]] = []
    monkeypatch.setattr("widgets.burn_in.paint_hud",
                        lambda p, lines, *a, **k: drawn.append(list(lines)))
    with VideoSource(str(clip)) as src:
        frame = src.read(5)
        index = src.index
    for speed, want in ((0.5, ["1/2× speed (slow motion)"]), (1.0, [])):
        args = argparse.Namespace(session=str(sfile), video=str(clip), no_drawings=False,
                                  trail="full", no_hud=False, speed=speed)
        (render,) = build_renders(args, index)
        drawn.clear()
        render(ExportFrame(frame.index, frame.time, frame.image.copy(), frame.time, 1.0, 1.0),
               0)
        assert drawn == ([want] if want else []), drawn
