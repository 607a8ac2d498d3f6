"""OpenCV runs without IPP on every thread, whichever LiftLens package loads first, so a
clip gives the same track and plate size on an AMD and an Intel machine
(analysis.opencv_setup)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import threading
import {module}
import cv2
seen = []
t = threading.Thread(target=lambda: seen.append(cv2.ipp.useIPP()))
t.start(); t.join()
print(cv2.ipp.useIPP(), seen[0])
"""


def _run(module: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENCV_")}
    env.update(env_extra or {})
    env["PYTHONPATH"] = str(REPO)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([sys.executable, "-c", PROBE.format(module=module)], env=env,
                          capture_output=True, text=True, timeout=120, cwd=REPO)


@pytest.mark.parametrize("module", ["analysis.tracking", "widgets.video_canvas",
                                    "app.report_pdf"])
def test_ipp_is_off_on_every_thread(module):
    done = _run(module)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"], done.stdout
    # the one line OpenCV prints when told to leave IPP out is not shown to the user
    assert "IPP was disabled" not in done.stderr, done.stderr


def test_a_setting_of_the_users_own_is_kept():
    """``OPENCV_IPP`` set by the user wins: LiftLens then runs as plain OpenCV does."""
    plain = _run("os", {"OPENCV_IPP": ""})
    ours = _run("analysis.tracking", {"OPENCV_IPP": ""})
    assert plain.returncode == ours.returncode == 0, ours.stderr
    assert ours.stdout == plain.stdout
