"""The first window on a small screen: every dock in one column, so the window fits.

Side by side, the Sessions dock, the video with its transport bar and the Analysis dock
need about 1530 px (a 1366×768 laptop showed a window wider and taller than its screen,
cut at the right and bottom). On a screen too small for that, the first start puts the
Sessions and Key moments docks as tabs beside the Analysis dock: the video keeps the
middle, the window fits the screen, and each dock is a click away. The arrangement is
remembered like any other, and the user may move the docks back.

A layout remembered on a bigger screen (a 1600x1000 desk, then the laptop) came back
at its old size, wider and taller than the screen, the Analysis dock and the status bar
cut off: such a window is fitted as a first start would be (:func:`fit_remembered`).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize


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


def fit_remembered(window, free: QRect) -> bool:
    """A window restored from a remembered layout that does not fit ``free`` (the
    screen's free area, px): its size or its least size is larger than the screen (it
    was saved on a bigger one). It is then laid out as on a fresh start there: the docks
    tabbed when the screen is too small for them side by side (:func:`fit_small_screen`),
    the docks' default widths applied again when shown, the window fitted to ``free``;
    the caller then maximises it, as on a first start. False (nothing changed) when the
    remembered window fits."""
    size = window.size()
    if size.width() <= free.width() and size.height() <= free.height() \
            and fits(window, free.size()):
        return False
    fit_small_screen(window, free.size())
    window.docks_sized = False  # the default widths, for this screen, on first show
    window.setGeometry(QRect(free.topLeft(), size.boundedTo(free.size())))
    return True
