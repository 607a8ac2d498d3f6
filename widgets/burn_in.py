"""Burn overlays into exported frames with the on-screen painter (WYSIWYG).

``make_burn_in`` returns a render callback for :func:`analysis.export.clip.export_clip`:
it wraps the output frame as an RGB32 image, scales the painter from source-image
pixels to output pixels and draws the same drawings, bar path and data overlay the
canvas shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from widgets.overlay_painter import (
    drawing_rects,
    paint_annotations,
    paint_attempts,
    paint_hud,
    paint_trail,
)


@dataclass
class BurnInSpec:
    """What to burn in. Arrays are per source frame; ``hud`` gives text lines for a time."""

    source_size: tuple[int, int]  # (w, h) of the source picture, display orientation
    annotations: Sequence = ()
    m_per_px: float | None = None
    track_t: np.ndarray | None = None
    track_x: np.ndarray | None = None
    track_y: np.ndarray | None = None
    trail: str = "full"  # "full", "last_second", "off"
    hud: Callable[[float], list[str]] | None = None
    hud_corner: str = "top"  # or "bottom" (a comparison side: its name is top-left)
    hud_min_px: float = 9.0  # smallest text height (source px)
    draw_annotations: bool = True
    #: real seconds per clip second (slow motion: 0.25 for 120 fps played at 30), so a
    #: stopwatch counts real time as on screen
    time_factor: float = 1.0
    extra: dict = field(default_factory=dict)
    #: a snatch, clean or jerk: :class:`analysis.lift.attempts.AttemptOverlay` (phase
    #: colours, lift-off line, peak and catch labels), indexed like the track
    attempts: object | None = None


def paint_overlays(p: QPainter, spec: BurnInSpec, frame_index: int, t: float) -> None:
    """Everything the canvas draws over a frame, in source-image coordinates."""
    size = spec.source_size
    if spec.draw_annotations and spec.annotations:
        paint_annotations(p, spec.annotations, t, size, m_per_px=spec.m_per_px,
                          time_factor=spec.time_factor)
    if spec.track_t is not None and spec.trail != "off":
        paint_trail(p, spec.track_t, spec.track_x, spec.track_y, frame_index, size, spec.trail)
    if spec.attempts is not None and spec.track_x is not None and spec.track_y is not None:
        paint_attempts(p, spec.attempts, spec.track_x, spec.track_y, frame_index, size,
                       path=spec.trail != "off")


def paint_side(p: QPainter, spec: BurnInSpec, frame_index: int, t: float) -> None:
    """A comparison side on screen: :func:`paint_overlays`, then the data overlay sized to
    the picture (in source-image coordinates, as the export draws it at output size)."""
    paint_overlays(p, spec, frame_index, t)
    if spec.hud is not None:
        paint_hud(p, spec.hud(t), spec.source_size, spec.hud_corner, spec.hud_min_px,
                  avoid=_drawn(spec))


def _drawn(spec: BurnInSpec) -> list[QRectF]:
    """The boxes of the drawings burned in (source px): the data overlay keeps off them."""
    if not spec.draw_annotations:
        return []
    return drawing_rects(spec.annotations, spec.source_size)


def make_burn_in(spec: BurnInSpec):
    """A render callback (see :mod:`analysis.export.render`) that paints ``spec``."""

    drawn = _drawn(spec)

    def render(frame, out_index: int) -> np.ndarray:
        img = frame.image
        h, w = img.shape[:2]
        bgra = cv2.cvtColor(img, cv2.COLOR_BGR2BGRA)
        qimg = QImage(bgra.data, w, h, bgra.strides[0], QImage.Format_RGB32)
        p = QPainter(qimg)
        p.setRenderHint(QPainter.Antialiasing, True)
        p.scale(frame.scale_x, frame.scale_y)
        paint_overlays(p, spec, frame.index, frame.time)
        p.resetTransform()
        if spec.hud is not None:
            sx, sy = frame.scale_x, frame.scale_y  # the drawings' boxes at output size
            paint_hud(p, spec.hud(frame.time), (w, h), spec.hud_corner,
                      spec.hud_min_px * frame.scale,
                      avoid=[QRectF(r.x() * sx, r.y() * sy, r.width() * sx, r.height() * sy)
                             for r in drawn])
        p.end()
        return cv2.cvtColor(bgra, cv2.COLOR_BGRA2BGR)

    return render
