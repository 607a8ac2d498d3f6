"""Text drawn near the picture's edge stays inside the picture (as in an exported clip)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage, QPainter

from analysis.annotations import TextLabel, Visibility
from widgets.overlay_painter import paint_annotations

W, H = 640, 360


def _ink(label: TextLabel) -> tuple[int, int, int, int]:
    img = QImage(W, H, QImage.Format_RGB32)
    img.fill(QColor(255, 255, 255))
    p = QPainter(img)
    paint_annotations(p, [label], label.t, (W, H))
    p.end()
    arr = np.frombuffer(img.constBits(), np.uint8).reshape(H, img.bytesPerLine() // 4, 4)[:, :W]
    ys, xs = np.nonzero(arr[..., :3].min(axis=2) < 200)
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


@pytest.mark.parametrize("where", [(W - 30, 100), (W - 5, H - 5), (600, 10)])
def test_label_near_the_edge_is_moved_inside_whole(qapp, where):
    text = "Knees track over the toes"
    far = _ink(TextLabel(t=0.0, points=[(20.0, 100.0)], text=text,
                         visibility=Visibility("always")))
    near = _ink(TextLabel(t=0.0, points=[(float(where[0]), float(where[1]))], text=text,
                          visibility=Visibility("always")))
    assert near[2] < W and near[3] < H and near[0] >= 0 and near[1] >= 0
    # the whole label is drawn: as wide and tall as when it has room
    assert near[2] - near[0] == pytest.approx(far[2] - far[0], abs=2)
    assert near[3] - near[1] == pytest.approx(far[3] - far[1], abs=2)
    assert near[2] >= W - 3  # pushed against the right edge, not cut by it


def test_a_label_wider_than_the_picture_wraps(qapp):
    one = _ink(TextLabel(t=0.0, points=[(10.0, 10.0)], text="Knees track over the toes",
                         visibility=Visibility("always")))
    text = " ".join(["Knees track over the toes"] * 20)
    box = _ink(TextLabel(t=0.0, points=[(10.0, 10.0)], text=text,
                         visibility=Visibility("always")))
    assert box[0] >= 0 and box[2] < W
    assert box[3] - box[1] > 2 * (one[3] - one[1])  # several lines


def test_the_data_overlay_fits_a_portrait_picture(qapp):
    """On a 478×850 portrait deadlift the data overlay ran past the picture on screen and
    was cut at the frame edge in the export ("...1.0-0."): its text is made smaller to fit."""
    from widgets.overlay_painter import paint_hud

    w, h = 478, 850
    lines = ["Rep 4   -0.01 m/s", "Rep 1: 0.45 m/s  MPV 0.42  0.6-0.0-1.0-0.5",
             "Rep 2: 0.43 m/s  0.6-1.6-1.0-0.3", "Rep 3: 0.39 m/s  0.5-1.8-1.0-0.3"]
    img = QImage(w + 200, h, QImage.Format_RGB32)  # room beyond the picture to see a spill
    img.fill(QColor(255, 255, 255))
    p = QPainter(img)
    paint_hud(p, lines, (w, h))
    p.end()
    arr = np.frombuffer(img.constBits(), np.uint8).reshape(h, img.bytesPerLine() // 4, 4)
    ys, xs = np.nonzero(arr[..., :3].min(axis=2) < 200)
    assert xs.max() < w  # the box and its text inside the picture
    assert xs.max() > w * 0.8  # as large as the picture allows
