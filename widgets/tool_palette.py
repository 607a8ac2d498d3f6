"""The drawing-tool palette and the style of the selected drawing."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import QColorDialog, QDoubleSpinBox, QLabel, QToolBar, QToolButton, QWidget

from analysis.annotations.tools import ToolSpec

_GLYPHS = {"select": "➚", "line": "╱", "arrow": "➝", "angle": "∠", "angle_vertical": "⊾",
           "angle_horizontal": "∟", "circle": "◯", "rect": "▭", "pencil": "✎", "text": "T",
           "marker": "✕", "plumb": "┊", "distance": "↔", "stopwatch": "◔"}


def _glyph_icon(text: str) -> QIcon:
    pm = QPixmap(28, 28)
    pm.fill(QColor(0, 0, 0, 0))
    p = QPainter(pm)
    f = p.font()
    f.setPixelSize(20)
    p.setFont(f)
    p.setPen(QColor(230, 230, 230))
    p.drawText(pm.rect(), 0x84, text)  # AlignCenter
    p.end()
    return QIcon(pm)


class ToolPaletteWidget(QToolBar):
    """One checkable button per tool (shortcut in its tooltip) plus colour and width."""

    tool_selected = Signal(str)
    color_chosen = Signal(str)
    width_chosen = Signal(float)

    def __init__(self, tools: list[ToolSpec], parent: QWidget | None = None) -> None:
        super().__init__("Drawing tools", parent)
        self.setObjectName("drawingTools")
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions_by_tool: dict[str, QAction] = {}
        for t in tools:
            act = QAction(_glyph_icon(_GLYPHS.get(t.id, "?")), t.label, self)
            act.setCheckable(True)
            if t.shortcut:
                act.setShortcut(QKeySequence(t.shortcut))
            act.setToolTip(f"{t.label} ({t.shortcut})" + (f"\n{t.tip}" if t.tip else "")
                           if t.shortcut else t.label)
            act.triggered.connect(lambda _=False, tid=t.id: self.tool_selected.emit(tid))
            self.group.addAction(act)
            self.addAction(act)
            self.actions_by_tool[t.id] = act
        self.addSeparator()
        self.color_button = QToolButton(self)
        self.color_button.setToolTip("Colour of the selected drawing, or of the next one")
        self.color_button.clicked.connect(self._choose_color)
        self.addWidget(self.color_button)
        self.addWidget(QLabel(" width ", self))
        self.width_box = QDoubleSpinBox(self)
        self.width_box.setRange(0.5, 40)
        self.width_box.setSingleStep(0.5)
        self.width_box.setToolTip("Line width of the selected drawing, or of the next one "
                                  "(px on a 1080p picture)")
        self.width_box.valueChanged.connect(self.width_chosen.emit)
        self.addWidget(self.width_box)
        self.set_style_shown("#ffcc00", 3.0)

    def set_current(self, tool_id: str) -> None:
        act = self.actions_by_tool.get(tool_id)
        if act is not None and not act.isChecked():
            act.setChecked(True)

    def set_style_shown(self, color: str, width: float) -> None:
        self._color = color
        pm = QPixmap(18, 18)
        pm.fill(QColor(color))
        self.color_button.setIcon(QIcon(pm))
        self.width_box.blockSignals(True)
        self.width_box.setValue(width)
        self.width_box.blockSignals(False)

    def _choose_color(self) -> None:
        c = QColorDialog.getColor(QColor(self._color), self, "Drawing colour")
        if c.isValid():
            self.set_style_shown(c.name(), self.width_box.value())
            self.color_chosen.emit(c.name())
