"""Drawing on the canvas: tools, gestures, selection, clipboard and undo.

The gestures themselves are Qt-free (``analysis.annotations.tools``); this class
routes mouse events from the canvas to them and turns finished gestures into
undoable commands on the current recording.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from importlib import resources

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPainter, QUndoStack
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from analysis.annotations.model import Annotation, KeyMoment, Stopwatch
from analysis.annotations.style import AnnotationError
from analysis.annotations.tools import CreateGesture, EditGesture, ToolSpec, load_tools
from analysis.session.document import Recording
from app.undo_commands import ListEdit
from widgets.overlay_painter import SCREEN_MIN_TEXT_PX, paint_annotations
from widgets.video_canvas import VideoCanvasWidget

HIT_TOLERANCE_SCREEN_PX = 7


def standard_tools() -> list[ToolSpec]:
    return load_tools(resources.files("resources").joinpath("tools/standard.toml"))


class DrawingController(QObject):
    """Owns the active tool and the selection; edits go through the undo stack."""

    changed = Signal()  # the document changed (autosave, repaint)
    tool_changed = Signal(str)
    selection_changed = Signal(str)
    moments_changed = Signal()

    def __init__(self, canvas: VideoCanvasWidget, time_now, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self._time_now = time_now  # callable -> current clip time (s)
        self.tools = {t.id: t for t in standard_tools()}
        self.tool_id = "select"
        self.recording: Recording | None = None
        self.undo_stack = QUndoStack(self)
        self.selected: str | None = None
        self.m_per_px: float | None = None
        #: () -> real seconds per clip second of the recording (slow motion), for
        #: stopwatches and the drawings' fade and hold times
        self.time_factor: Callable[[], float] = lambda: 1.0
        self._gesture: CreateGesture | EditGesture | None = None
        self._clipboard: Annotation | None = None
        canvas.interaction = self
        canvas.overlays.append(self._paint)

    # -- document -------------------------------------------------------------------

    def set_recording(self, recording: Recording | None) -> None:
        self.recording = recording
        self.selected = None
        self._gesture = None
        self.undo_stack.clear()
        self.canvas.update()
        self.moments_changed.emit()

    def _notify(self) -> None:
        self.canvas.update()
        self.changed.emit()

    def _push(self, text: str, items: list, old, new) -> None:
        self.undo_stack.push(ListEdit(text, items, old, new, self._notify))

    @property
    def annotations(self) -> list:
        return self.recording.annotations if self.recording else []

    def find(self, ident: str | None) -> Annotation | None:
        return next((a for a in self.annotations if isinstance(a, Annotation) and a.id == ident),
                    None)

    # -- tools ----------------------------------------------------------------------

    def set_tool(self, tool_id: str) -> None:
        if tool_id in self.tools and tool_id != self.tool_id:
            self.tool_id = tool_id
            self._gesture = None
            self.tool_changed.emit(tool_id)
            if tool_id == "select":
                self.canvas.unsetCursor()
            else:
                self.canvas.setCursor(Qt.CrossCursor)

    @property
    def tool(self) -> ToolSpec:
        return self.tools[self.tool_id]

    def set_style_of_selected(self, **changes) -> None:
        """Restyle the selected drawing (undoable); it becomes its tool's default style."""
        a = self.find(self.selected)
        if a is None:
            return
        new = replace(a, style=replace(a.style, **changes))
        self._push("Change style", self.recording.annotations, a, new)
        for t in self.tools.values():
            if t.type == a.type and t.style.arrow == a.style.arrow:
                self.tools[t.id] = replace(t, style=new.style)

    def set_style_of_next(self, **changes) -> None:
        """Change the style the current tool gives its next drawing (nothing selected)."""
        t = self.tool
        self.tools[self.tool_id] = replace(t, style=replace(t.style, **changes))

    # -- canvas interaction (image coordinates) -------------------------------------

    def _tolerance(self) -> float:
        return HIT_TOLERANCE_SCREEN_PX * self.canvas.screen_px()

    def hit(self, p: tuple[float, float]) -> tuple[Annotation | None, int | None]:
        t = self._time_now()
        for a in reversed(self.annotations):
            if not isinstance(a, Annotation):
                continue
            if a.visibility.opacity(t, a.t, self.time_factor()) <= 0 and a.id != self.selected:
                continue
            handle = a.hit_test(p, self._tolerance())
            if handle is not None:
                return a, handle
        return None, None

    def press(self, p, event) -> bool:
        if self.recording is None:
            return False
        if isinstance(self._gesture, CreateGesture):
            self._gesture.press(p)
            if self._gesture.done:
                self._finish_create()
            return True
        if self.tool.gesture == "select":
            a, handle = self.hit(p)
            self._select(a.id if a else None)
            if a is None:
                return False  # let the canvas pan
            self._gesture = EditGesture(a, handle, p)
            return True
        text = ""
        if self.tool.type == "text":
            text, ok = QInputDialog.getText(self.canvas, "Text", "Text to show:")
            if not ok or not text:
                return True
        self._gesture = CreateGesture(self.tool, self._time_now(), p, self.tool.style, text)
        if self._gesture.done:
            self._finish_create()
        return True

    def move(self, p, event) -> bool:
        if self._gesture is None:
            return False
        self._gesture.move(p)
        return True

    def release(self, p, event) -> bool:
        g = self._gesture
        if g is None:
            return False
        if isinstance(g, EditGesture):
            g.move(p)
            if g.changed:
                self._push("Move drawing", self.recording.annotations, g.original, g.preview)
            self._gesture = None
            return True
        g.release(p, click=2 * self.canvas.screen_px())
        if g.done:
            self._finish_create()
        return True

    def double_click(self, p, event) -> bool:
        a, _ = self.hit(p)
        if a is not None and a.type == "text":
            text, ok = QInputDialog.getText(self.canvas, "Text", "Text to show:", text=a.text)
            if ok:
                self._push("Edit text", self.recording.annotations, a, replace(a, text=text))
            return True
        return False

    def context_menu(self, p, global_pos) -> None:
        """Right-click: actions on the drawing under the pointer."""
        a, _ = self.hit(p)
        menu = QMenu(self.canvas)
        if a is not None:
            self._select(a.id)
            menu.addAction("Delete", self.delete_selected)
            menu.addAction("Copy", self.copy_selected)
            vis = menu.addMenu("Visible")
            timed = replace(a.visibility, mode="timed").describe()
            if self.time_factor() != 1.0:  # slow motion: the durations are real time
                timed += ", real time"
            for mode, label in (("timed", f"Around its time ({timed})"),
                                ("from_time", "From its time to the end"),
                                ("always", "Always")):
                act = vis.addAction(label, lambda _=False, m=mode: self.set_visibility_of_selected(m))
                act.setCheckable(True)
                act.setChecked(a.visibility.mode == mode)
            dashed = menu.addAction("Dashed", lambda: self.set_style_of_selected(
                dashed=not a.style.dashed))
            dashed.setCheckable(True)
            dashed.setChecked(a.style.dashed)
            if a.LABELLED:  # a line, circle or marker shows no text: no size to choose
                size = menu.addMenu("Text size")
                for pt in (12, 14, 18, 24, 32):
                    act = size.addAction(f"{pt}", lambda _=False, v=pt:
                                         self.set_style_of_selected(font_size=v))
                    act.setCheckable(True)
                    act.setChecked(a.style.font_size == pt)
            if isinstance(a, Stopwatch):
                self._stopwatch_menu(menu, a)
        if self._clipboard is not None:
            menu.addAction("Paste here (this frame)", self.paste)
        if not menu.isEmpty():
            menu.exec(global_pos)

    def _stopwatch_menu(self, menu: QMenu, a: Stopwatch) -> None:
        """Start here / Stop here / Clear the stop, at the frame shown (as in Kinovea)."""
        now = self._time_now()
        menu.addSeparator()
        start = menu.addAction("Start here", lambda: self.set_stopwatch_time("start"))
        start.setEnabled(now != a.t)
        stop = menu.addAction("Stop here", lambda: self.set_stopwatch_time("stop"))
        stop.setEnabled(now > a.t and now != a.stop)
        if a.stop is not None:
            menu.addAction("Clear the stop (run to the end)",
                           lambda: self.set_stopwatch_time("clear"))

    def set_stopwatch_time(self, what: str) -> None:
        """The selected stopwatch starts (``"start"``) or stops (``"stop"``) at the frame
        shown, or loses its stop (``"clear"``); undoable, saved with the drawing."""
        a = self.find(self.selected)
        if not isinstance(a, Stopwatch):
            return
        now = self._time_now()
        try:
            new = {"start": lambda: a.started_at(now), "stop": lambda: a.stopped_at(now),
                   "clear": a.running}[what]()
        except AnnotationError:  # stop before the start: the menu greys that item out
            return
        if new != a:
            text = {"start": "Start stopwatch here", "stop": "Stop stopwatch here",
                    "clear": "Clear stopwatch stop"}[what]
            self._push(text, self.recording.annotations, a, new)

    def set_visibility_of_selected(self, mode: str) -> None:
        a = self.find(self.selected)
        if a is not None and a.visibility.mode != mode:
            self._push("Change visibility", self.recording.annotations, a,
                       replace(a, visibility=replace(a.visibility, mode=mode)))

    def _finish_create(self) -> None:
        g = self._gesture
        self._gesture = None
        if not isinstance(g, CreateGesture):
            return
        a = g.result(min_size=2 * self.canvas.screen_px())
        if a is not None:
            self._push(f"Draw {g.tool.label.lower()}", self.recording.annotations, None, a)
            self._select(a.id)

    def _select(self, ident: str | None) -> None:
        if ident != self.selected:
            self.selected = ident
            self.selection_changed.emit(ident or "")
            self.canvas.update()

    # -- editing commands -----------------------------------------------------------

    def delete_selected(self) -> None:
        a = self.find(self.selected)
        if a is not None:
            self._push("Delete drawing", self.recording.annotations, a, None)
            self._select(None)

    def copy_selected(self) -> None:
        self._clipboard = self.find(self.selected)

    def paste(self) -> None:
        """Paste the copied drawing at the current time (another frame is fine)."""
        if self._clipboard is None or self.recording is None:
            return
        a = self._clipboard.copy_to(self._time_now())
        self._push("Paste drawing", self.recording.annotations, None, a)
        self._select(a.id)

    def add_imported(self, annotations: list, moments: list) -> None:
        """Add drawings and key moments from another tool as one undoable step."""
        if self.recording is None:
            return
        self.undo_stack.beginMacro("Import Kinovea drawings")
        for a in annotations:
            self._push("Import drawing", self.recording.annotations, None, a)
        for k in moments:
            self.undo_stack.push(ListEdit("Import key moment", self.recording.key_moments, None,
                                          k, self._moments_notify))
        self.undo_stack.endMacro()

    def add_key_moment(self, title: str, comment: str = "") -> KeyMoment | None:
        if self.recording is None:
            return None
        k = KeyMoment(self._time_now(), title, comment)
        moments = self.recording.key_moments
        index = sum(1 for m in moments if m.t <= k.t)
        self.undo_stack.push(ListEdit("Add key moment", moments, None, k, self._moments_notify,
                                      index=index))
        return k

    def remove_key_moment(self, ident: str) -> None:
        if self.recording is None:
            return
        k = next((m for m in self.recording.key_moments if m.id == ident), None)
        if k is not None:
            self.undo_stack.push(ListEdit("Remove key moment", self.recording.key_moments, k,
                                          None, self._moments_notify))

    def _moments_notify(self) -> None:
        self.moments_changed.emit()
        self.changed.emit()

    # -- painting -------------------------------------------------------------------

    def _paint(self, p: QPainter, canvas: VideoCanvasWidget) -> None:
        if self.recording is None:
            return
        items = list(self.annotations)
        preview = self._gesture.preview if self._gesture is not None else None
        if isinstance(self._gesture, EditGesture):
            items = [preview if getattr(a, "id", None) == preview.id else a for a in items]
        elif preview is not None:
            items.append(preview)
        paint_annotations(p, items, self._time_now(), canvas.image_size(), m_per_px=self.m_per_px,
                          selected=self.selected, screen_px=canvas.screen_px(),
                          min_text_px=SCREEN_MIN_TEXT_PX, time_factor=self.time_factor())
