"""The same click on the same footage gives the same target, however faintly the seed frame
shows the plate's rim (TOUR32: the real deadlift clip re-timed by 1.05, whose first frame
showed the rim on 0.47-0.51 of the rays instead of 0.75, was tracked as a point that slid
across the plate's face: ROM 52 against 43 cm).

The clips are generated (``tests/analysis/test_tracking_kinds.py``'s plate and deadlift):
the truth is the drawn plate centre.
"""

from __future__ import annotations

import cv2
import numpy as np

from tests.analysis.test_tracking_kinds import (R_PLATE, SUB, _background, _circle,
                                                deadlift_path, score, track, write_clip)

DARK = (27, 27, 31)  # as dark as the plate's rim: the rim shows no edge against it


def _shadow(img: np.ndarray, y: float) -> None:
    """Everything below ``y`` as dark as the rim (a shadow over a dark floor): the rim is
    not seen against it."""
    img[int(round(y)):] = DARK


def draw_iron_plate(img: np.ndarray, x: float, y: float, r: float, end: tuple[float, float],
                    angle: float = 0.0) -> None:
    """A black iron plate (its face as dark as its rim: the outer edge is its only circle),
    a few raised letters, the hub, and the sleeve end at ``end``."""
    _circle(img, x, y, r, DARK)
    for a in np.linspace(0, 2 * np.pi, 5, endpoint=False) + angle:
        _circle(img, x + 0.62 * r * np.cos(a), y + 0.62 * r * np.sin(a), 0.06 * r, (70, 70, 75))
    _circle(img, x, y, 0.2 * r, (45, 45, 50))
    cv2.line(img, (round(x * SUB), round(y * SUB)), (round(end[0] * SUB), round(end[1] * SUB)),
             (110, 110, 115), int(0.3 * r), cv2.LINE_AA, shift=4)
    _circle(img, end[0], end[1], 0.16 * r, (90, 90, 95))
    _circle(img, end[0], end[1], 0.13 * r, (225, 225, 230))
    _circle(img, end[0], end[1], 0.05 * r, (150, 150, 150))


def _deadlift(path, shadow_frames: range = range(0), k: float = 0.15, crf: int | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
    bg = _background(2)
    x, y, _lowering = deadlift_path()
    floor = y[0]
    frames = []
    for i in range(len(y)):
        img = bg.copy()
        if i in shadow_frames:
            _shadow(img, y[i] - 0.1 * R_PLATE)  # the lower 0.53 of the rim
        draw_iron_plate(img, x[i], y[i], R_PLATE, (x[i] + 1.0, y[i] - k * (floor - y[i])),
                        0.01 * i)
        frames.append(img)
    write_clip(path, frames)
    return x, y


def test_a_rim_seen_faintly_on_the_clicked_frame_is_still_the_plate(tmp_path):
    """On the clicked frame, something as dark as the rim hides the lower half of it (seen on
    about 0.45 of the rays; a plate needs 0.55 on one frame); on the next frames the rim
    is seen whole. The click on the hub is the plate's centre, as on the same clip
    without the shadow, and the two tracks agree within a pixel or two (before: the
    shadowed clip's click was a point, followed by its look)."""
    x, y = _deadlift(tmp_path / "clear.mp4")
    _deadlift(tmp_path / "shadow.mp4", shadow_frames=range(1))
    clear = track(tmp_path / "clear.mp4", 0, (x[0] + 0.4, y[0] + 0.6))
    faint = track(tmp_path / "shadow.mp4", 0, (x[0] + 0.4, y[0] + 0.6))
    assert clear.target == "plate"
    assert faint.target == "plate", faint.target
    gap = np.hypot(faint.x - clear.x, faint.y - clear.y)
    assert np.nanmax(gap[1:]) <= 2.0, np.nanmax(gap[1:])
    s = score(faint, x, y, R_PLATE)
    assert s["lost"] == 0 and s["max"] <= 3.0, s
