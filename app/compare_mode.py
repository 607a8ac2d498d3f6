"""Compare mode: puts a second video beside the open one on a common timeline."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from analysis.video.frames import Frame
from analysis.video.index import VideoIndex
from app.compare_controller import CompareController, CompareSide
from app.frame_feed import FrameFeed
from widgets.compare_view import CompareViewWidget
from widgets.timeline import format_time


class CompareMode(QObject):
    """Owns the comparison controller and view; the window only switches to it."""

    entered = Signal()
    left = Signal()

    def __init__(self, budget_bytes: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = CompareController(self)
        self.view = CompareViewWidget(parent)
        self.budget_bytes = budget_bytes
        self.active = False
        self.controller.frames_shown.connect(self._on_controller_frames_shown)
        self.controller.sync_changed.connect(self._update_captions)

    def enter(self, a: tuple[str, VideoIndex], b: tuple[str, VideoIndex]) -> None:
        """Start comparing video ``a`` with video ``b`` (each given as path and index)."""
        half = self.budget_bytes // 2  # two caches share the frame budget
        sides = [CompareSide(FrameFeed(path, index, half), os.path.basename(path))
                 for path, index in (a, b)]
        self.view.set_labels(sides[0].label, sides[1].label)
        self.controller.set_sides(*sides)
        self.active = True
        self.entered.emit()

    def leave(self) -> None:
        if self.active:
            self.controller.pause()
            self.controller.set_sides(None, None)
            self.view.set_frames(None, None)
            self.active = False
            self.left.emit()

    def swap(self) -> None:
        self.controller.swap()
        s = self.controller.sides
        self.view.set_labels(s[0].label, s[1].label)

    def toggle_layout(self) -> None:
        self.view.set_layout("top_bottom" if self.view.layout_name == "side_by_side"
                             else "side_by_side")

    def nudge_active(self, frames: int) -> None:
        self.controller.nudge(self.view.active, frames)

    def _on_controller_frames_shown(self, a: Frame | None, b: Frame | None) -> None:
        self.view.set_frames(a, b)
        self._update_captions()

    def _update_captions(self) -> None:
        c = self.controller
        if c.timeline is None or not c.count:
            return
        ta, tb = c.clip_times()
        na, nb = c.frames_now()
        sides = c.sides
        caps = []
        for side, t, n in zip(sides, (ta, tb), (na, nb)):
            off = f"  offset {side.offset * 1000:+.0f} ms" if abs(side.offset) > 1e-6 else ""
            caps.append(f"{format_time(max(t, 0.0))}  frame {n + 1}{off}")
        self.view.set_captions(*caps)
