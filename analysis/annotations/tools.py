"""Drawing tools as data (``resources/tools/*.toml``) and the mouse gestures that use them.

A gesture turns presses, moves and releases (in image pixels) into an
:class:`Annotation`; it knows nothing of Qt, so it is tested without a display.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from analysis.annotations.model import (ANNOTATION_TYPES, Annotation, Style, Visibility,
                                        annotation_from_dict, make_annotation)

Point = tuple[float, float]
GESTURES = ("select", "drag", "click", "angle", "free")


@dataclass(frozen=True)
class ToolSpec:
    """One tool of the palette."""

    id: str
    label: str
    type: str
    gesture: str
    shortcut: str = ""
    tip: str = ""
    style: Style = field(default_factory=Style)
    visibility: Visibility = field(default_factory=Visibility)


def load_tools(path: str | Path) -> list[ToolSpec]:
    """Read tool definitions from a TOML file.

    Raises
    ------
    ValueError
        When a tool names an unknown drawing type or gesture.
    """
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    tools = []
    for raw in data.get("tool", []):
        kind, gesture = raw.get("type", ""), raw.get("gesture", "")
        if gesture not in GESTURES or (gesture != "select" and kind not in ANNOTATION_TYPES):
            raise ValueError(f"tool {raw.get('id')!r}: unknown type {kind!r} or gesture {gesture!r}")
        tools.append(ToolSpec(
            id=raw["id"], label=raw.get("label", raw["id"]), type=kind, gesture=gesture,
            shortcut=raw.get("shortcut", ""), tip=raw.get("tip", ""),
            style=Style.from_dict(raw.get("style", {})),
            visibility=Visibility.from_dict(raw.get("visibility", {}))))
    return tools


class CreateGesture:
    """Draws a new annotation with the mouse; :attr:`preview` is what to show meanwhile."""

    def __init__(self, tool: ToolSpec, t: float, p: Point, style: Style | None = None,
                 text: str = "") -> None:
        self.tool = tool
        n = max(ANNOTATION_TYPES[tool.type].POINTS, 1)
        self.preview: Annotation = make_annotation(tool.type, float(t), [p] * n,
                                                   style or tool.style, tool.visibility, text)
        self.done = tool.gesture == "click"
        # angle: 0 dragging to the vertex, 1 moving the far end (the next press ends it);
        # clicked point by point (the first press released where it was): 2 moving the
        # vertex, 3 moving the far end after the vertex's click
        self._stage = 0

    def move(self, p: Point) -> None:
        pts = list(self.preview.points)
        g = self.tool.gesture
        if g == "drag":
            pts[-1] = p
        elif g == "free":
            if _far(pts[-1], p, 1.0):
                pts.append(p)
        elif g == "angle":
            if self._stage in (0, 2):
                pts[1] = pts[2] = p
            else:
                pts[2] = p
        self.preview = replace(self.preview, points=pts)

    def release(self, p: Point, click: float = 2.0) -> None:
        """The button released at ``p``; within ``click`` (image px) of an angle's first
        press it was a click, and the angle is then drawn click by click (the joint, then
        the other end: the habit from Kinovea), not from a drag to the joint."""
        if self.tool.gesture == "angle":
            if self._stage == 0:
                clicked = not _far(self.preview.points[0], p, click)
                self._stage = 2 if clicked else 1
                if not clicked:
                    self.move(p)
                return
            if self._stage == 3:  # the joint's click released: the far end follows
                return
        self.move(p)
        self.done = True

    def press(self, p: Point) -> None:
        """A further click: an angle's joint (drawn click by click) or its far end."""
        if self.tool.gesture != "angle":
            return
        if self._stage == 2:
            self.move(p)
            self._stage = 3
        elif self._stage in (1, 3):
            self.move(p)
            self.done = True

    def result(self, min_size: float = 2.0) -> Annotation | None:
        """The finished drawing, or None for an accidental click that drew nothing."""
        if not self.done:
            return None
        pts = self.preview.points
        if self.tool.gesture in ("drag", "angle") and not any(
                _far(pts[0], q, min_size) for q in pts[1:]):
            return None
        return self.preview


class EditGesture:
    """Moves a handle (``handle >= 0``) or the whole drawing (``handle == -1``)."""

    def __init__(self, original: Annotation, handle: int, p: Point) -> None:
        self.original = original
        self.handle = handle
        self.start = p
        self.preview = original

    def move(self, p: Point) -> None:
        if self.handle >= 0:
            self.preview = self.original.moved_handle(self.handle, p)
        else:
            self.preview = self.original.translated(p[0] - self.start[0], p[1] - self.start[1])

    @property
    def changed(self) -> bool:
        return self.preview.points != self.original.points


def _far(a: Point, b: Point, d: float) -> bool:
    return abs(a[0] - b[0]) > d or abs(a[1] - b[1]) > d


def style_to_tool_default(tool: ToolSpec, style: Style) -> ToolSpec:
    """The tool with ``style`` as its new default (last used style)."""
    return replace(tool, style=style)


def clone_for_clipboard(a: Annotation) -> dict[str, Any]:
    return a.to_dict()


def paste_from_clipboard(d: dict[str, Any], t: float) -> Annotation | None:
    a = annotation_from_dict(d)
    return a.copy_to(t) if isinstance(a, Annotation) else None
