"""``liftlens analyze VIDEO --auto --plate-mm``: find the plate, track, calibrate, measure."""

from __future__ import annotations

import json
import os

import pytest

from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from app.cli.main import main


def _clean_env(root) -> dict[str, str]:
    """A child's environment without the caller's settings (stdout then block-buffered in
    the pipe), but with the numeric libraries' own (OPENBLAS_*, OMP_*, MKL_*): OpenBLAS
    picks its kernels by them, and another kernel rounds differently in the last digits,
    so the child's numbers would not be the in-process ones the tests compare with."""
    keep = {k: v for k, v in os.environ.items()
            if k.startswith(("OPENBLAS_", "OMP_", "MKL_", "GOTO_", "NPY_"))}
    return {"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", **keep}


def test_auto_plate_and_calibration(tmp_path, capsys):
    script = LiftScript(reps=(RepSpec(1.0, 0.3, 0.6, 0.5, 0.5), RepSpec(1.0, 0.3, 0.7, 0.5, 0.5)),
                        setup=0.5, end_idle=0.5)
    clip = tmp_path / "lift.mp4"
    truth = make_lift_clip(clip, script, size=(640, 360), px_per_m=300.0)
    out = tmp_path / "a.json"
    assert main(["analyze", str(clip), "--auto", "--plate-mm", "450", "--json", str(out)]) == 0
    d = json.loads(out.read_text())
    assert d["units"] == "m"
    assert d["calibration"]["m_per_px"] == pytest.approx(truth.m_per_px, rel=0.02)
    assert "plate 450 mm" in d["calibration"]["source"]
    got = [r["metrics"]["mean_concentric_velocity"] for r in d["reps"]]
    want = [r.mean_concentric_velocity for r in truth.reps]
    assert got == pytest.approx(want, abs=0.03)


def test_auto_without_a_plate_is_a_plain_error(tmp_path, capsys):
    from analysis.synth.barcode import BarcodeSpec, make_barcode_clip

    clip = tmp_path / "noplate.mp4"
    make_barcode_clip(clip, BarcodeSpec(frames=20))
    assert main(["analyze", str(clip), "--auto"]) == 2
    err = capsys.readouterr().err
    # which frame was searched, and the option that picks another (it said "that frame")
    assert "no plate was found in frame 0, the clip's first (" in err and "--seed-frame N" in err
    assert main(["analyze", str(clip), "--auto", "--seed-frame", "12"]) == 2
    assert "no plate was found in frame 12 " in capsys.readouterr().err



def test_a_file_that_ends_early_is_said_on_the_command_line(tmp_path, capsys):
    """A clip cut short analysed as a shorter clip without a word (the app and `info`
    said "ends early"; `analyze` only said "0 reps")."""
    from analysis.synth.barcode import BarcodeSpec, make_barcode_clip

    clip = tmp_path / "full.mp4"
    make_barcode_clip(clip, BarcodeSpec(frames=120, gop=30, faststart=True))
    cut = tmp_path / "cut.mp4"
    data = clip.read_bytes()
    cut.write_bytes(data[: int(len(data) * 0.6)])
    main(["analyze", str(cut), "--seed", "40,40"])
    err = capsys.readouterr().err
    assert "ends early" in err and "of the 120 frames" in err, err

_ORDER = """
import json, sys
import analysis.video.source as source
seen = []
real = source.VideoSource.read_ahead
def read_ahead(self, start=0):
    seen.append((start, sorted(m for m in ("analysis.lift.result", "analysis.tracking",
                                           "cv2", "numpy.ma") if m in sys.modules)))
    real(self, start)
source.VideoSource.read_ahead = read_ahead
reads = []
real_read = source.VideoSource.read
def read(self, n):
    reads.append(n)
    return real_read(self, n)
source.VideoSource.read = read
from app.cli.main import main
how = ["--auto"] if sys.argv[2] == "auto" else ["--seed", sys.argv[2]]
rc = main(["analyze", sys.argv[1], *how, "--json", sys.argv[3]])
print(json.dumps({"rc": rc, "seen": seen, "reads": reads}))
"""


@pytest.mark.parametrize("how", ["seed", "auto"])
def test_a_clip_decodes_while_the_analysis_loads(tmp_path, how):
    """The clip is opened and its frames start decoding before the tracking and analysis
    code, OpenCV and numpy.ma are imported (the imports and the plate search then overlap
    the decoding); with
    --auto the plate is searched on frame 0 as decoded while indexing (no frame decoded
    twice); the numbers are those of the same clip measured through the batch's path."""
    import subprocess
    import sys
    from pathlib import Path

    from analysis.batch.clip import analyze_video, result_json

    root = Path(__file__).resolve().parents[2]
    script = LiftScript(reps=(RepSpec(1.0, 0.3, 0.6, 0.5, 0.5),), setup=0.5, end_idle=0.5)
    clip = tmp_path / "lift.mp4"
    truth = make_lift_clip(clip, script, size=(640, 360), px_per_m=300.0)
    seed = (float(truth.x[0]), float(truth.y[0]))
    out = tmp_path / "a.json"
    arg = "auto" if how == "auto" else f"{seed[0]:.2f},{seed[1]:.2f}"
    p = subprocess.run([sys.executable, "-c", _ORDER, str(clip), arg, str(out)], cwd=root, capture_output=True, text=True, timeout=300,
                       env=_clean_env(root), check=False)
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout.strip().splitlines()[-1])
    assert report["rc"] == 0
    assert report["seen"] == [[0, []]]  # started at the seed frame, before either loaded
    assert report["reads"] == []
    alone = analyze_video(str(clip), seed=None if how == "auto"
                          else (round(seed[0], 2), round(seed[1], 2)))
    assert json.loads(out.read_text()) == json.loads(result_json(alone.result, alone.tracking))


_ENDS = """
import atexit, sys
atexit.register(lambda: print("teardown ran", file=sys.stderr))
sys.argv = ["liftlens", *sys.argv[1:]]
from app.cli.main import main
sys.exit(main())
"""


def test_analyze_as_the_program_ends_once_everything_is_written(tmp_path, capsys):
    """Run as the program, ``liftlens analyze`` ends as soon as it returns, without the
    interpreter's teardown (its exit handlers do not run): the exit status, the summary on
    a piped (block-buffered) stdout and the result file are those of the same command run
    in-process; a clip that cannot be read still says why, with status 2."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = LiftScript(reps=(RepSpec(1.0, 0.3, 0.6, 0.5, 0.5),), setup=0.5, end_idle=0.5)
    clip = tmp_path / "lift.mp4"
    truth = make_lift_clip(clip, script, size=(640, 360), px_per_m=300.0)
    seed = f"{truth.x[0]:.2f},{truth.y[0]:.2f}"
    env = _clean_env(root)  # stdout buffered in the pipe

    def program(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", _ENDS, *argv], cwd=root, env=env,
                              capture_output=True, text=True, timeout=300, check=False)

    p = program("analyze", str(clip), "--seed", seed, "--json", str(tmp_path / "a.json"))
    assert p.returncode == 0, p.stderr
    assert "teardown ran" not in p.stderr
    assert main(["analyze", str(clip), "--seed", seed, "--json", str(tmp_path / "b.json")]) == 0
    assert p.stdout == capsys.readouterr().out and "rep 1" in p.stdout
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()
    p = program("analyze", str(tmp_path / "missing.mp4"), "--seed", "1,1")
    assert p.returncode == 2 and "does not exist" in p.stderr
    assert "teardown ran" not in p.stderr
    p = program("info", str(tmp_path / "missing.mp4"))  # other commands end as before
    assert p.returncode == 2 and "teardown ran" in p.stderr
