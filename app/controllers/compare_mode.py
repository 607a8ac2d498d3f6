"""Compare mode: puts a second video beside the open one on a common timeline."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from analysis.model import Comparison, ComparisonSide, DocumentModel
from analysis.session.analyze import recording_time_scale
from analysis.session.document import Recording, Session
from analysis.session.library import set_caption
from analysis.video.capture import TimeScale
from analysis.video.frames import Frame
from analysis.video.index import VideoIndex
from app.controllers.compare import CompareController, CompareSide
from app.frame_feed import FrameFeed
from widgets.compare_view import LAYOUTS, CompareViewWidget
from widgets.timeline import format_time


def side_time_scale(recording: Recording | None, index: VideoIndex) -> TimeScale:
    """File time -> real time of a comparison side: its recording's capture rate (set by
    the user), else the one its video declares (slow motion), else real time."""
    try:
        return recording_time_scale(recording, index) if recording is not None \
            else TimeScale.of(index)
    except ValueError:  # a damaged capture rate in a session file: go by the video
        return TimeScale.of(index)


class CompareMode(QObject):
    """Owns the comparison controller and view; the window only switches to it."""

    entered = Signal()
    left = Signal()
    changed = Signal()  # something worth saving changed (sync, offsets, mode, layout)

    def __init__(self, model: DocumentModel, budget_bytes: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.controller = CompareController(self)
        self.view = CompareViewWidget(parent)
        self.budget_bytes = budget_bytes
        self.active = False
        self.controller.frames_shown.connect(self._on_controller_frames_shown)
        self.controller.sync_changed.connect(self._update_captions)
        self.controller.sync_changed.connect(self.changed)
        self.comparison_id = ""

    def enter(self, a: tuple[str, VideoIndex], b: tuple[str, VideoIndex],
              comparison_id: str = "", recording_b: Recording | None = None,
              exercise_b: str = "", label_b: str = "", session_b: Session | None = None
              ) -> None:
        """Start comparing video ``a`` with video ``b`` (each given as path and index).

        ``recording_b`` is B's saved recording when it was picked from the library (its
        track, calibration, rep corrections and drawings are used as they are, from
        ``session_b``, with exercise ``exercise_b``); ``label_b`` then names the side."""
        import uuid

        self.comparison_id = comparison_id or str(uuid.uuid4())
        half = self.budget_bytes // 2  # two caches share the frame budget
        # Stepping both sides wants more frames ready to show than one clip does.
        sides = [CompareSide(FrameFeed(path, index, half, hot_fraction=0.5),
                             os.path.basename(path))
                 for path, index in (a, b)]
        session = self.model.session
        own = session.recording(recording_b.id) if session and recording_b else None
        if own is not None:  # a set of the open session: its own, edited and saved with it
            recording_b, session_b = own, None
        if label_b:  # a set of the library: the open set is named the same way
            sides[1].label = label_b
            rec_a = self.model.current
            if session is not None and rec_a is not None and rec_a.video_path == a[0]:
                load = session.load_of(rec_a)
                sides[0].label = set_caption(session.date, session.lifter, session.exercise,
                                             load, session.load_unit, rec_a.set_number)
        for side, (path, index), rec in zip(sides, (a, b), (self.model.current, recording_b),
                                            strict=True):
            if rec is None or rec.video_path != path:
                rec = next((r for r in (session.recordings if session else [])
                            if r.video_path == path), None)
            side.time_factor = side_time_scale(rec, index).factor
        self.view.set_labels(sides[0].label, sides[1].label)
        self.view.auto_layout = True  # the pictures' shapes choose, until the user does
        self.controller.set_sides(*sides)
        self.active = True
        self.model.enter_comparison(Comparison(
            [ComparisonSide(a[0], a[1]),
             ComparisonSide(b[0], b[1], recording_b, exercise_b,
                            session_b if recording_b is not None else None)],
            self.comparison_id))
        self.entered.emit()

    def leave(self) -> None:
        if self.active:
            self.controller.pause()
            self.controller.set_sides(None, None)
            self.view.set_frames(None, None)
            self.view.set_captions("", "")
            self.active = False
            self.model.leave_comparison()
            self.left.emit()

    def swap(self) -> None:
        if self.model.comparison is not None:
            self.model.comparison.sides.reverse()
        self.controller.swap()
        s = self.controller.sides
        self.view.set_labels(s[0].label, s[1].label)
        self.view.side_painters.reverse()
        self.changed.emit()

    def toggle_layout(self) -> None:
        self.view.auto_layout = False
        self.view.set_layout("top_bottom" if self.view.layout_name == "side_by_side"
                             else "side_by_side")
        self.changed.emit()

    def toggle_overlay(self) -> None:
        self.view.set_overlay(not self.view.overlay)
        self.changed.emit()

    # -- saving ---------------------------------------------------------------------

    def state(self) -> dict:
        """Everything needed to reopen this comparison exactly as it is (JSON-ready)."""
        c = self.controller
        sides = [{"path": s.feed.index.path, "label": s.label, "event": s.event,
                  "offset": s.offset, "warp_events": list(s.warp_events)} for s in c.sides]
        return {"id": self.comparison_id, "kind": "comparison", "sides": sides,
                "mode": "normalised" if c.normalised else "real",
                # "auto": the pictures' shapes choose again when it is reopened
                "layout": "auto" if self.view.auto_layout else self.view.layout_name,
                "overlay": self.view.overlay,
                "opacity": self.view.opacity, "tau": c.tau}

    def restore(self, state: dict) -> None:
        """Apply a saved :meth:`state` to the open comparison (same two videos)."""
        c = self.controller
        sides = state.get("sides", [])
        if len(sides) != 2 or len(c.sides) != 2:
            return
        for side, saved in zip(c.sides, sides, strict=True):
            side.event = float(saved.get("event", 0.0))
            side.offset = float(saved.get("offset", 0.0))
            side.warp_events = [float(v) for v in saved.get("warp_events", [])]
        c.normalised = state.get("mode") == "normalised" and len(c.sides[0].warp_events) >= 2
        c._rebuild(float(state.get("tau", 0.0)))
        if state.get("layout") in LAYOUTS:  # the one the user picked
            self.view.auto_layout = False
            self.view.set_layout(state["layout"])
        self.view.set_overlay(bool(state.get("overlay", False)))
        self.view.set_opacity(float(state.get("opacity", 0.5)))

    def nudge_active(self, frames: int) -> None:
        self.controller.nudge(self.view.active, frames)

    def _on_controller_frames_shown(self, a: Frame | None, b: Frame | None) -> None:
        self.view.set_frames(a, b)
        self._update_captions()

    def _update_captions(self) -> None:
        c = self.controller
        if c.timeline is None or not c.count:
            return
        na, nb = c.frames_now()
        sides = c.sides
        caps = []
        for side, n in zip(sides, (na, nb), strict=True):
            t = float(side.feed.index.times[n])  # the shown frame's own time
            off = f"  offset {side.offset * 1000:+.0f} ms" if abs(side.offset) > 1e-6 else ""
            caps.append(f"{side_clock(side, t)}  frame {n + 1}{off}")
        self.view.set_captions(*caps)


def side_clock(side: CompareSide, t: float) -> str:
    """A side's clock at clip time ``t`` (s): real time on a slow-motion side, marked
    "real" as on the transport ("00:01.000 real"), else the clip's own time."""
    if side.time_factor != 1.0:
        return f"{format_time(max(t * side.time_factor, 0.0))} real"
    return format_time(max(t, 0.0))
