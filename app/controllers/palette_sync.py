"""The drawing palette kept in step with the drawing controller: the swatch shows the
selected drawing's colour and width (or, with nothing selected, what the next drawing
gets), a swatch or width chosen restyles that drawing, and the status bar shows how to
draw with the chosen tool."""

from __future__ import annotations

from PySide6.QtCore import QObject


class PaletteSync(QObject):
    """Connects ``palette`` (:class:`widgets.tool_palette.ToolPaletteWidget`) and
    ``drawing`` (:class:`app.controllers.drawing.DrawingController`); tool hints go to
    ``status_bar``."""

    def __init__(self, drawing, palette, status_bar, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.drawing, self.palette, self.status_bar = drawing, palette, status_bar
        palette.tool_selected.connect(drawing.set_tool)
        drawing.tool_changed.connect(palette.set_current)
        drawing.selection_changed.connect(self._on_selection_changed)
        palette.color_chosen.connect(lambda c: self._restyle(color=c))
        palette.width_chosen.connect(lambda v: self._restyle(width=v))
        drawing.tool_changed.connect(self._on_tool_changed)

    def _on_selection_changed(self, ident: str) -> None:
        a = self.drawing.find(ident)
        if a is not None:
            self.palette.set_style_shown(a.style.color, a.style.width)
        else:  # nothing selected: the swatch shows what the next drawing gets
            self._show_next_style()

    def _show_next_style(self) -> None:
        style = self.drawing.tool.style
        self.palette.set_style_shown(style.color, style.width)

    def _on_tool_changed(self, tool_id: str) -> None:
        if self.drawing.find(self.drawing.selected) is None:
            self._show_next_style()
        tip = self.drawing.tool.tip
        bar = self.status_bar
        if tip and tool_id != "select":  # how to draw it (the angle takes three points)
            bar.showMessage(f"{self.drawing.tool.label}: {tip}", 15000)
        elif bar.currentMessage().endswith(tuple(t.tip for t in self.drawing.tools.values()
                                                 if t.tip)):
            bar.clearMessage()  # the previous tool's hint no longer applies

    def _restyle(self, **changes) -> None:
        """The swatch and width change the selected drawing, or else the next drawing."""
        d = self.drawing
        if d.find(d.selected) is not None:
            d.set_style_of_selected(**changes)
        else:
            d.set_style_of_next(**changes)
