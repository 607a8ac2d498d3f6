"""The top-level command line: version, usage, mistyped commands, lazy imports."""

from __future__ import annotations

import gc
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import app
from app.cli import main as cli

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("scipy", "numpy", "cv2", "av", "PySide6", "matplotlib", "pyqtgraph")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli.main", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                               "QT_QPA_PLATFORM": "offscreen"})


def test_version_matches_the_package(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"liftlens {app.__version__}"
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert meta["project"]["version"] == app.__version__


def test_usage_shows_the_app_options_and_every_command(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: liftlens [-h] [--version] [--no-demo] [video]")
    for name in cli.COMMANDS:
        assert f"  {name} " in out


@pytest.mark.parametrize("typo, suggestion", [("analyse", "analyze"), ("inf", "info"),
                                              ("exprot", "export")])
def test_a_mistyped_command_is_an_error_with_a_suggestion(typo, suggestion, capsys, monkeypatch):
    def no_gui(argv):  # pragma: no cover - reached only on failure
        raise AssertionError("the GUI was started")

    monkeypatch.setattr("app.launch.launch_gui", no_gui)
    assert cli.main([typo, "clip.mp4"]) == 2
    err = capsys.readouterr().err
    assert f"“{typo}” is not a command" in err
    assert f"liftlens {suggestion}" in err


def test_a_word_with_no_close_command_gets_no_suggestion(capsys):
    assert cli.main(["frobnicate"]) == 2
    assert "Did you mean" not in capsys.readouterr().err


def test_a_video_path_still_opens_the_app(monkeypatch, tmp_path):
    seen = []
    monkeypatch.setattr("app.launch.launch_gui", lambda argv: seen.append(list(argv)) or 0)
    clip = tmp_path / "clip"  # no extension, but it exists
    clip.write_bytes(b"x")
    for argv in (["path/to/clip.mp4"], ["clip.MOV"], [str(clip)], ["--no-demo"], []):
        assert cli.main(argv) == 0
    assert seen == [["path/to/clip.mp4"], ["clip.MOV"], [str(clip)], ["--no-demo"], []]


def test_every_command_loads_and_is_listed():
    assert set(cli.COMMANDS) == set(cli.MODULES)
    for name, module in cli.MODULES.items():
        loaded = cli._load(name)
        assert loaded.__name__ == module
        assert callable(loaded.add_parser) and callable(loaded.run)
    # the explicit imports in _load name every module (a bundler follows them)
    import inspect
    source = inspect.getsource(cli._load)
    for name in cli.MODULES:
        assert f"from app.cli import {name} as module" in source


def _after_main(args: tuple[str, ...], expression: str) -> str:
    """Run ``liftlens ARGS`` in a fresh interpreter and return the last line ``expression``
    printed there afterwards (it sees ``sys``)."""
    code = ("import sys\n"
            "from app.cli.main import main\n"
            "try:\n"
            f"    main({list(args)!r})\n"
            "except SystemExit:\n"
            "    pass\n"
            f"print({expression})\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False, env={"PYTHONPATH": str(ROOT)})
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else result.stdout + result.stderr


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("analyse",),
                                  ("analyze", "--help")])
def test_help_and_version_import_nothing_heavy(args):
    assert _after_main(args, f"sorted(m for m in {HEAVY!r} if m in sys.modules)") == "[]"


@pytest.mark.parametrize("args", [("analyze", "--help"), ("info", "--help"), ("export", "--help")])
def test_command_help_and_info_leave_scipy_unloaded(args):
    """SciPy costs about 1 s of start-up: only a command that measures reps loads it."""
    assert _after_main(args, "'scipy' in sys.modules") == "False"


def test_analyze_offers_every_lift_the_analysis_knows():
    """The parser's written-out lift names (it loads no NumPy) are the analysis's own."""
    from analysis.lift.rep_phases import LIFTS
    from analysis.lift.weightlifting import WEIGHTLIFTING_LIFTS
    from app.cli import analyze

    assert analyze.LIFTS == LIFTS and analyze.WEIGHTLIFTING_LIFTS == WEIGHTLIFTING_LIFTS


def test_analyzing_a_video_loads_no_scipy(tmp_path):
    """Tracking, calibrating and measuring a set need no SciPy (about 1 s of CPU to load),
    nor the session document and its annotations (about 30 ms)."""
    from analysis.synth.lift_clip import make_lift_clip
    from analysis.synth.motion import LiftScript, RepSpec

    clip, out = tmp_path / "lift.mp4", tmp_path / "a.json"
    make_lift_clip(clip, LiftScript(reps=(RepSpec(1.0, 0.3, 0.6, 0.5, 0.5),), setup=0.5,
                                    end_idle=0.5), size=(640, 360), px_per_m=300.0)
    loaded = _after_main(("analyze", str(clip), "--auto", "--plate-mm", "450", "--json",
                          str(out)),
                        "[m for m in ('scipy', 'analysis.session.document', "
                        "'analysis.annotations') if m in sys.modules]")
    assert out.exists() and loaded == "[]"


def test_a_subcommand_help_works_from_a_fresh_process():
    result = _run("info", "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: liftlens info")


def _run_app(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The app command in a fresh process with no display unless ``env`` gives one."""
    return subprocess.run([sys.executable, "-m", "app.cli.main", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **env})


@pytest.mark.parametrize("make, message", [
    (lambda tmp: str(tmp / "missing.mp4"), "missing.mp4: no such file"),
    (lambda tmp: str(tmp), "is a folder, not a video file"),
])
def test_a_video_that_cannot_be_read_is_one_line_before_qt(tmp_path, make, message):
    # no display at all: Qt would abort the process if it were started first
    result = _run_app(make(tmp_path))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("liftlens: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "qt." not in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland check: Linux")
@pytest.mark.parametrize("env, message", [({}, "no display"),
                                          ({"DISPLAY": ":4242"}, ":4242 does not answer")])
def test_no_display_is_said_plainly_instead_of_a_qt_abort(tmp_path, env, message):
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\0" * 16)  # readable: the display is what is missing
    result = _run_app(str(clip), **env)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "liftlens --help" in result.stderr
    assert "qt." not in result.stderr and "Aborted" not in result.stderr


_BLAS_THREADS = """
import ctypes, glob, os, sys
from app.cli import main
main.main(sys.argv[1:])
import numpy
libs = glob.glob(os.path.join(os.path.dirname(numpy.__file__), "..", "numpy.libs", "*openblas*"))
get = getattr(ctypes.CDLL(libs[0]), "scipy_openblas_get_num_threads64_", None) if libs else None
print(os.environ.get("OPENBLAS_NUM_THREADS"), get() if get else "unknown")
"""


def test_headless_commands_run_numpy_with_one_blas_thread(tmp_path):
    """A subcommand sets OPENBLAS_NUM_THREADS=1 before NumPy loads (a BLAS thread pool costs
    start-up and shutdown time and nothing else for the commands' small array maths); a value
    the user set is kept."""
    base = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}

    def run(env: dict[str, str]) -> list[str]:
        p = subprocess.run([sys.executable, "-c", _BLAS_THREADS, "info", str(tmp_path / "no.mp4")],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                           check=False)
        return p.stdout.split()[-2:]

    env_value, threads = run(base)
    assert env_value == "1"
    if threads == "unknown":
        pytest.skip("NumPy here is not built on scipy-openblas: its thread count is not visible")
    assert threads == "1"
    assert run({**base, "OPENBLAS_NUM_THREADS": "2"})[0] == "2"


_FREEZE = """
import gc, sys
from app.cli.main import main
before = gc.get_freeze_count()
rc = main(sys.argv[2:]) if sys.argv[1] == "in-process" else main()
print(rc, gc.get_freeze_count() > before)
"""


def test_only_the_program_skips_the_last_garbage_collections(tmp_path):
    """Run as the program, a headless command freezes the GC as it ends (the process exits
    next); called in-process (tests, scripts) it leaves the caller's GC alone."""
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}
    missing = str(tmp_path / "no.mp4")

    def run(*argv: str) -> str:
        p = subprocess.run([sys.executable, "-c", _FREEZE, *argv], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120, check=False)
        return p.stdout.strip().splitlines()[-1]

    assert run("info", missing) == "2 True"
    assert run("in-process", "info", missing) == "2 False"


_GC_THRESHOLD = """
import gc, sys
import app.cli.main as cli
cli._end_now = lambda code: sys.exit(print(code, gc.get_threshold()[0]))
rc = cli.main(sys.argv[2:]) if sys.argv[1] == "in-process" else cli.main()
print(rc, gc.get_threshold()[0])
"""


def test_only_an_analyze_run_as_the_program_collects_garbage_rarely(tmp_path):
    """``liftlens analyze`` run as the program raises the cyclic collector's threshold (its
    objects are freed by reference counting; the collections only examined the imports' objects
    again and again); other commands, and any command called in-process, leave it alone."""
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}
    missing = str(tmp_path / "no.mp4")

    def run(*argv: str) -> list[str]:
        p = subprocess.run([sys.executable, "-c", _GC_THRESHOLD, *argv], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120, check=False)
        return p.stdout.split()[-2:]

    default = str(gc.get_threshold()[0])
    assert run("analyze", missing, "--seed", "1,1") == ["2", str(cli.ENDS_AT_ONCE_GC_THRESHOLD)]
    assert run("in-process", "analyze", missing, "--seed", "1,1") == ["2", default]
    assert run("info", missing) == ["2", default]


@pytest.mark.parametrize("args", [("info", "--help"), ("info", "--json", "CLIP")])
def test_a_reader_that_closes_the_pipe_ends_the_command_quietly(args, tmp_path):
    """``liftlens info CLIP --json | head -c 10``: the reader leaves before the output is
    written; the command ends quietly with the shell's SIGPIPE status, no error, no log."""
    import os

    from analysis.synth.barcode import BarcodeSpec, make_barcode_clip

    clip = tmp_path / "clip.mp4"
    make_barcode_clip(clip, BarcodeSpec(frames=10))
    argv = [str(clip) if a == "CLIP" else a for a in args]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before anything is written
    try:
        p = subprocess.run([sys.executable, "-m", "app.cli.main", *argv], cwd=ROOT,
                           stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120,
                           check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                                             "LIFTLENS_DATA_DIR": str(tmp_path / "data")})
    finally:
        os.close(write_end)
    assert p.returncode == cli.EXIT_READER_GONE, p.stderr
    assert "unexpected error" not in p.stderr and "Traceback" not in p.stderr, p.stderr
    assert not (tmp_path / "data" / "logs").exists() or "Broken pipe" not in "".join(
        f.read_text() for f in (tmp_path / "data" / "logs").glob("*.log"))


def test_python_dash_m_app_is_the_liftlens_command():
    """``python -m app`` runs the command line (it failed: the package had no __main__)."""
    result = subprocess.run([sys.executable, "-m", "app", "--version"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=False,
                            env={"PYTHONPATH": str(ROOT)})
    from app import __version__

    assert result.returncode == 0, result.stderr
    assert __version__ in result.stdout
