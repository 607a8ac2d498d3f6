"""The real app in a real X window (Xvfb): open, step, play, zoom; screenshots saved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.gui, pytest.mark.skipif(
    not os.environ.get("DISPLAY"),
    reason="no X display: run the suite through scripts/test, which starts Xvfb")]


def _tour(tmp_path: Path, video: str | None, data_dir: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", LIFTLENS_DATA_DIR=str(data_dir))
    args = [sys.executable, str(ROOT / "scripts" / "gui_tour.py"), str(tmp_path)]
    if video:
        args.append(video)
    res = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


def _not_blank(png: Path) -> None:
    img = QImage(str(png))
    assert not img.isNull() and img.width() >= 800
    # the video area (upper middle of the window) must show a picture, not a flat fill
    xs = range(img.width() // 4, 3 * img.width() // 4, 7)
    ys = range(img.height() // 8, 3 * img.height() // 4, 7)
    colours = {img.pixel(x, y) for x in xs for y in ys}
    assert len(colours) > 8, f"{png.name} looks blank"


def test_demo_tour_in_a_real_window(tmp_path):
    report = _tour(tmp_path, None, tmp_path / "data")
    assert report["platform"] == "xcb"
    assert report["opened"] and report["after_steps"] == 21
    assert report["played_frames"] > 10
    assert report["zoom"] > 0
    for name in ("02-opened.png", "03-stepped.png", "04-played.png", "05-zoomed.png"):
        _not_blank(tmp_path / name)
    assert (tmp_path / "data" / "demo").is_dir()  # the demo clip was generated and cached
    # drawings were made on the demo: quitting asked whether to keep them
    assert report["asked_on_quit"] == ["Keep the demo work?"]


@pytest.mark.realdata
def test_real_clip_tour(tmp_path, shared_data):
    clip = shared_data / "videos" / "GhislandiGiulio__bar_path_tracker__c_j.MP4"
    report = _tour(tmp_path, str(clip), tmp_path / "data")
    assert report["opened"] and report["after_steps"] == 21
    _not_blank(tmp_path / "03-stepped.png")
