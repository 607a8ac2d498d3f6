"""On a HiDPI screen the canvas draws the frame in device pixels, edge to edge: not a
logical-size picture stretched back up (blurred, every pixel doubled), and no strip of
background left at the right edge by a rounded size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The device pixel ratio is fixed when the QApplication starts: each ratio in its own process.
PROBE = r"""
import json, numpy as np
from PySide6.QtWidgets import QApplication
app = QApplication([])
from analysis.video.frames import Frame
from widgets.video_canvas import VideoCanvasWidget
c = VideoCanvasWidget()
c.resize(400, 300)
c.show()
app.processEvents()
img = np.zeros((480, 854, 3), np.uint8)
img[:, (np.arange(854) // 2) % 2 == 0] = 255  # stripes 2 px wide
img[:, -2:] = (0, 0, 255)  # the picture's own right edge, in red
c.set_frame(Frame(0, 0.0, img))
c.fit()
app.processEvents()
g = c.grab().toImage()
y = g.height() // 2
row = [g.pixelColor(x, y) for x in range(g.width())]
grey = np.array([p.green() for p in row], float)
pairs = grey[0:-1:2] == grey[1::2]
print(json.dumps({"dpr": c.devicePixelRatioF(), "width": g.width(),
                  "doubled": float(pairs.mean()),
                  "last": [row[-1].red(), row[-1].green(), row[-1].blue()]}))
"""


@pytest.mark.parametrize("scale", ["2", "1.25", "1.5"])
def test_the_frame_is_drawn_in_device_pixels_to_the_edge(scale):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=scale,
               PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stderr[-2000:]
    got = json.loads(res.stdout.strip().splitlines()[-1])
    assert got["dpr"] == pytest.approx(float(scale))
    assert got["width"] == round(400 * float(scale))
    # the stripes seen at device resolution: neighbouring device pixels differ (a
    # stretched logical-size picture repeats each pixel: 100 % equal pairs at ratio 2)
    assert got["doubled"] < 0.5
    r, g, b = got["last"]
    assert r > 150 and g < 100 and b < 100  # the picture's red edge reaches the last column
