"""The command line never shows a traceback: an unexpected error is one plain line on
stderr, exit status 70, and the traceback goes to the log file."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clean_logging(monkeypatch, tmp_path):
    monkeypatch.setenv("LIFTLENS_DATA_DIR", str(tmp_path / "data"))
    root = logging.getLogger()
    before = list(root.handlers)
    hook = sys.excepthook
    yield tmp_path / "data" / "logs" / "liftlens.log"
    for h in root.handlers[:]:
        if h not in before:
            root.removeHandler(h)
            h.close()
    sys.excepthook = hook


def test_unexpected_error_is_one_line_and_logged(monkeypatch, capsys, clean_logging):
    from app.cli import info

    def boom(_args):
        raise OverflowError("cannot convert float infinity to integer\nsecond line")

    monkeypatch.setattr(info, "run", boom)
    assert cli_main.main(["info", "whatever.mp4"]) == cli_main.EXIT_UNEXPECTED
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("liftlens: unexpected error: ")
    assert "Traceback" not in err and "second line" in err and str(clean_logging) in err
    for h in logging.getLogger().handlers:
        h.flush()
    log = clean_logging.read_text()
    assert "Traceback" in log and "OverflowError" in log


def test_interrupt_is_exit_130(monkeypatch, capsys, clean_logging):
    from app.cli import info

    def interrupted(_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(info, "run", interrupted)
    assert cli_main.main(["info", "x.mp4"]) == 130
    assert "Traceback" not in capsys.readouterr().err


def test_real_process_never_prints_a_traceback(tmp_path):
    bad = tmp_path / "bad.liftlens"
    bad.write_text('{"format": "liftlens-session", "format_version": 2, "id": "x", '
                   '"recordings": [{"id": "r", "video": {"path": "/nope.mp4"}, '
                   '"track": {"t": [0]}}]}')
    env = dict(os.environ, PYTHONPATH=str(ROOT), LIFTLENS_DATA_DIR=str(tmp_path / "data"),
               QT_QPA_PLATFORM="offscreen")
    for argv in (["export", str(bad), "--set", "1", "-o", str(tmp_path / "o.mp4")],
                 ["export", str(bad), "-o", ""], ["info", str(tmp_path)],
                 ["analyze", str(bad)]):
        p = subprocess.run([sys.executable, "-m", "app.cli.main", *argv], capture_output=True,
                           text=True, env=env, cwd=ROOT, timeout=120)
        assert p.returncode != 0 and "Traceback" not in p.stderr, (argv, p.stderr)
        assert p.stderr.strip().count("\n") <= 1 or p.returncode == 2, p.stderr
