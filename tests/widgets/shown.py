"""A widget on screen for a test, at the size the app gives it."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def shown(qtbot, widget: W, width: int = 500, height: int = 900) -> W:
    """``widget`` kept for the test (closed after it), resized to ``width``×``height`` px
    (by default the Analysis dock's width and a laptop's height), shown and exposed."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
