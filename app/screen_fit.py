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
A window moved to a smaller screen while it runs, or whose screen's free area shrinks,
is fitted the same way (:class:`ScreenFollower`, :func:`fit_live`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, QTimer
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QDockWidget


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


def fit_live(window, free: QRect) -> bool:
    """The running window now on a screen whose free area is ``free`` (px), smaller than
    the one it was laid out for (moved to a laptop's screen, or the screen's resolution
    or panels changed): when the window, or its least size, is larger than ``free``, it is
    laid out as a first start there (docks tabbed when they cannot stand side by side,
    their default widths, the window maximised), and a floating dock larger than ``free``
    is shrunk into it; the caller then maximises it, as on a first start. A window that
    fits is left where the user put it. True when the window was refitted."""
    for dock in window.findChildren(QDockWidget):
        if dock.isFloating() and dock.isVisible() and free.intersects(dock.frameGeometry()):
            size = dock.size().boundedTo(free.size())
            if size != dock.size():
                dock.resize(size)
                dock.move(free.topLeft())
    frame = window.frameGeometry().size()
    if frame.width() <= free.width() and frame.height() <= free.height() \
            and fits(window, free.size()):
        return False
    fit_small_screen(window, free.size())
    extra = frame - window.size()  # the window manager's frame
    window.setGeometry(QRect(free.topLeft(), window.size().boundedTo(free.size() - extra)))
    window.workspace.size_docks()
    return True


def show_fitted(window) -> None:
    """Show the main window as the app starts it on the primary screen: maximised on a
    first start (no size remembered; the docks tabbed on a small screen), maximised and
    laid out again when the layout was remembered on a bigger screen
    (:func:`fit_remembered`), else as it was left. A script that shows the window itself
    (``window.show()``) skips this: a layout saved at 1600×1000 then came back 1538×785 on
    a 1366×768 screen (tour 30)."""
    from PySide6.QtGui import QGuiApplication

    screen = QGuiApplication.primaryScreen()
    if window.first_start:  # no size remembered: all of the screen (a window manager's
        if screen is not None:  # maximise keeps its panels in view); a 1366×768 laptop:
            fit_small_screen(window, screen.availableGeometry().size())  # docks in a column
        window.showMaximized()
    elif screen is not None and fit_remembered(window, screen.availableGeometry()):
        window.showMaximized()  # remembered on a bigger screen: fitted as a first start
    else:
        window.show()


class ScreenFollower(QObject):
    """Refits ``window`` (:func:`fit_live`) when it moves to another screen
    (``QWindow.screenChanged``) or its screen's free area changes
    (``QScreen.availableGeometryChanged``). The start-up fit of a remembered layout is
    :func:`fit_remembered`; this one covers the window while it runs. The refit waits for
    the event loop (a move between screens is still under way when the signal comes)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._screen: QScreen | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refit)
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.window and event.type() == QEvent.Show and self._screen is None:
            handle = self.window.windowHandle()
            if handle is not None:
                handle.screenChanged.connect(self._on_screen_changed)
                self._follow(handle.screen())
        return super().eventFilter(obj, event)

    def _follow(self, screen: QScreen | None) -> None:
        if self._screen is not None:
            self._screen.availableGeometryChanged.disconnect(self._on_geometry_changed)
        self._screen = screen
        if screen is not None:
            screen.availableGeometryChanged.connect(self._on_geometry_changed)

    def _on_screen_changed(self, screen: QScreen | None) -> None:
        self._follow(screen)
        self._timer.start()

    def _on_geometry_changed(self, _free: QRect) -> None:
        self._timer.start()

    def refit(self) -> bool:
        """Fit the window to its screen's free area now; True when anything changed."""
        screen = self._screen
        if screen is None or not fit_live(self.window, screen.availableGeometry()):
            return False
        self.window.showMaximized()  # as a first start on that screen
        return True
