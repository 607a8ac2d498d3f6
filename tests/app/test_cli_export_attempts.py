"""``liftlens export`` of a clean and jerk session: the burned-in overlay shows the attempt
as the app does (the path coloured by phase, "Attempt 1" and its phase, the attempt's
heights), never a "Rep 1 +1.01 m/s" reading of the same track. Generated lift
(tests/truth2, a blind generator) rendered as a clip."""

from __future__ import annotations

import av
import numpy as np

from analysis.export.hud import hud_lines
from analysis.session.analyze import analyze_recording
from analysis.session.calibration import Calibration
from analysis.session.document import Recording, Session
from analysis.session.portable import describe_video, export_session
from analysis.session.track import Track
from analysis.synth.lift_clip import render_clip_fast
from app.cli.main import main
from tests.truth2 import weightlifting_truth as W
from widgets.overlay_painter import ATTEMPT_PHASE_COLORS

PX_PER_M = 150.0
SIZE = (400, 400)


def _session(tmp_path):
    traj = W.clean_and_jerk(1)
    t = np.arange(0.0, traj.duration, 1 / 30)
    x = 200 + traj.x(t) * PX_PER_M
    y = 390 - traj.y(t) * PX_PER_M
    clip = tmp_path / "cj.mp4"
    render_clip_fast(clip, t, x, y, size=SIZE, plate_diameter_px=0.45 * PX_PER_M)
    n = len(t)
    rec = Recording(str(clip), track=Track(t, x, y, np.ones(n), np.ones(n, np.uint8)),
                    calibration=Calibration(1 / PX_PER_M, "plate 450 mm (drawn circle)",
                                            0.45 * PX_PER_M))
    describe_video(rec, clip)
    session = Session(lifter="Giulio", exercise="clean and jerk", recordings=[rec])
    return session, rec, traj, t


def _colour_share(img: np.ndarray, hex_colour: str, tol: int = 40) -> int:
    c = hex_colour.lstrip("#")
    rgb = np.array([int(c[i:i + 2], 16) for i in (0, 2, 4)])
    return int((np.abs(img[..., ::-1].astype(int) - rgb).max(axis=2) <= tol).sum())


def test_the_data_overlay_of_a_clean_and_jerk_names_the_attempt_and_its_phase(tmp_path):
    session, rec, traj, _t = _session(tmp_path)
    res = analyze_recording(rec, session.exercise)
    assert res is not None and res.weightlifting is not None
    a = traj.attempts[0]
    lines = hud_lines(res)
    mid = next(p for p in a.phases if p.name == "second_pull")
    during = lines(0.5 * (mid.start_t + mid.end_t))
    assert during and during[0].startswith("Attempt 1") and "second pull" in during[0]
    after = lines(traj.duration - 0.05)
    assert not any(s.startswith("Rep") for s in during + after)
    assert any(f"peak {a.peak_height_m * 100:.0f}" in s for s in after), after


def test_the_cli_export_burns_in_the_phase_colours(tmp_path):
    session, _rec, traj, t = _session(tmp_path)
    sfile = tmp_path / "cj.liftlens"
    export_session(session, sfile)
    out = tmp_path / "cj_set1.mp4"
    end = float(t[-1])
    assert main(["export", str(sfile), "--set", "1", "-o", str(out), "-q", "--no-audio",
                 "--start", f"{end - 0.3:.3f}"]) == 0
    with av.open(str(out)) as c:
        last = None
        for f in c.decode(video=0):
            last = f.to_ndarray(format="bgr24")
    assert last is not None
    for name in ("first_pull", "second_pull", "jerk_drive"):
        assert _colour_share(last, ATTEMPT_PHASE_COLORS[name]) > 5, name
