"""The first window on a small screen: every dock in one column, so the window fits.

Side by side, the Sessions dock, the video with its transport bar and the Analysis dock
need about 1530 px (a 1366×768 laptop showed a window wider and taller than its screen,
cut at the right and bottom). On a screen too small for that, the first start puts the
Sessions and Key moments docks as tabs beside the Analysis dock: the video keeps the
middle, the window fits the screen, and each dock is a click away. The arrangement is
remembered like any other, and the user may move the docks back.
"""

from __future__ import annotations

from PySide6.QtCore import QSize


def fits(window, screen: QSize) -> bool:
    """True when ``window``'s least size fits ``screen`` (px)."""
    least = window.minimumSizeHint()
    return least.width() <= screen.width() and least.height() <= screen.height()


def fit_small_screen(window, screen: QSize) -> bool:
    """On a ``screen`` (its free area, px) smaller than the window's least size, tab the
    Sessions and Key moments docks beside the Analysis dock. True when rearranged."""
    if fits(window, screen):
        return False
    ws = window.workspace
    for dock in (ws.sessions_dock, ws.moments_dock):
        window.tabifyDockWidget(ws.analysis_dock, dock)
    ws.analysis_dock.raise_()  # the set's numbers in front
    return True
