"""The first window on a small screen (a 1366×768 laptop) fits it: the docks go in one
column beside the video (app/screen_fit.py, used by the app's first start)."""

from __future__ import annotations


def test_a_small_screen_gets_the_docks_in_one_column(make_window, two_squats, qtbot):
    """A 1366×768 laptop showed a first window of 1546×785, cut at the screen's right and
    bottom: the docks now go in one column there, and the window fits."""
    from PySide6.QtCore import QSize

    from app.screen_fit import fit_small_screen, fits

    laptop, desk = QSize(1366, 728), QSize(1600, 1000)  # free areas, under a panel
    win = make_window(two_squats[0], size=(1200, 700))
    ws = win.workspace
    assert not fits(win, laptop)  # side by side, the docks need more than the laptop
    assert fits(win, desk) and not fit_small_screen(win, desk)  # nothing moved there
    assert fit_small_screen(win, laptop)
    tabbed = win.tabifiedDockWidgets(ws.analysis_dock)
    assert ws.sessions_dock in tabbed and ws.moments_dock in tabbed
    assert fits(win, laptop), win.minimumSizeHint()
    win.resize(laptop)
    qtbot.wait(50)
    assert win.width() <= laptop.width() and win.height() <= laptop.height()
    assert ws.analysis_dock.isVisible() and win.canvas.width() >= 600  # the video keeps room


def test_a_layout_remembered_on_a_bigger_screen_is_fitted_to_a_laptop(make_window, two_squats,
                                                                       qtbot):
    """A layout saved at 1600×1000 came back at that size on a 1366×768 laptop: the
    Analysis dock and the status bar were cut off. Restored there, it is now laid out as
    a first start on the laptop is (docks tabbed, window within the screen's free area);
    on the screen it was saved on, nothing changes."""
    from PySide6.QtCore import QRect

    from app.main_window import MainWindow
    from app.screen_fit import fit_remembered

    desk = make_window(two_squats[0], size=(1600, 1000))
    ws = desk.workspace
    assert not desk.tabifiedDockWidgets(ws.analysis_dock)  # three columns on the desk
    assert desk.close()  # remembers the 1600-wide layout

    laptop = QRect(0, 0, 1366, 728)  # the free area under a panel
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.width() > laptop.width() or win.minimumSizeHint().width() > laptop.width()
    assert fit_remembered(win, laptop)
    win.show()
    qtbot.wait(50)
    ws = win.workspace
    tabbed = win.tabifiedDockWidgets(ws.analysis_dock)
    assert ws.sessions_dock in tabbed and ws.moments_dock in tabbed
    assert win.width() <= laptop.width() and win.height() <= laptop.height(), win.size()
    assert ws.analysis_dock.isVisible() and win.canvas.width() >= 600
    assert win.statusBar().geometry().bottom() < laptop.height()
    win.close()

    again = MainWindow()  # back on a big screen: the remembered layout is kept as it is
    qtbot.addWidget(again)
    assert not fit_remembered(again, QRect(0, 0, 2560, 1440))
    again.close()



def test_a_window_moved_to_a_smaller_screen_is_fitted_to_it(make_window, two_squats, qtbot):
    """Moved while running from a 1600×1000 desk to a 1366×768 laptop, the window kept its
    desk size and three columns, cut at the laptop's right and bottom (only a remembered
    layout was fitted, at start). A change of screen, or of the screen's free area, now
    fits it as a first start there; a window that fits is left as it is."""
    from PySide6.QtCore import QRect

    from app.screen_fit import fit_live

    laptop = QRect(0, 0, 1366, 728)  # the free area under a panel
    win = make_window(two_squats[0], size=(1600, 1000))
    ws = win.workspace
    assert not win.tabifiedDockWidgets(ws.analysis_dock)
    assert not fit_live(win, QRect(0, 0, 2560, 1440))  # a bigger screen: nothing moves
    assert fit_live(win, laptop)
    qtbot.wait(50)
    tabbed = win.tabifiedDockWidgets(ws.analysis_dock)
    assert ws.sessions_dock in tabbed and ws.moments_dock in tabbed
    assert win.width() <= laptop.width() and win.height() <= laptop.height(), win.size()
    assert ws.analysis_dock.isVisible() and win.canvas.width() >= 600
    assert not fit_live(win, laptop)  # fitted now: nothing more to do


def test_the_window_follows_the_screen_it_is_on(make_window, two_squats, qtbot):
    """The refit runs on the window's own signals: a change of screen (here the offscreen
    platform's 800×800 screen, smaller than the 1600×1000 window) fits the window to it."""
    win = make_window(two_squats[0], size=(1600, 1000))
    ws = win.workspace
    handle = win.windowHandle()
    screen = handle.screen()
    free = screen.availableGeometry()
    assert win.screen_follower._screen is screen
    assert win.width() > free.width()
    handle.screenChanged.emit(screen)  # what a move to another screen sends
    qtbot.waitUntil(lambda: bool(win.tabifiedDockWidgets(ws.analysis_dock)), timeout=2000)
    least = win.minimumSizeHint()
    assert win.width() <= max(free.width(), least.width())
    assert win.height() <= max(free.height(), least.height())
    screen.availableGeometryChanged.emit(free)  # the screen's free area changed: no harm
    qtbot.wait(20)
    assert ws.analysis_dock.isVisible()


def test_the_window_is_shown_fitted_to_the_screen_as_the_app_starts_it(make_window, two_squats,
                                                                       qtbot):
    """Tour 30 showed a window whose layout was saved at 1600×1000 itself (``show()``) on a
    1366×768 screen: 1538×785, cut. The app's start fits it (here to the offscreen
    platform's 800×800 screen); a script can show it the same way."""
    from app.main_window import MainWindow
    from app.screen_fit import show_fitted

    desk = make_window(two_squats[0], size=(1600, 1000))
    assert desk.close()  # remembers the 1600-wide layout, docks side by side
    win = MainWindow()
    qtbot.addWidget(win)
    free = win.screen().availableGeometry()
    assert not win.first_start and win.minimumSizeHint().width() > free.width()  # 3 columns
    show_fitted(win)
    qtbot.wait(50)
    ws, least = win.workspace, win.minimumSizeHint()
    assert ws.sessions_dock in win.tabifiedDockWidgets(ws.analysis_dock)
    assert win.width() <= max(free.width(), least.width())
    assert win.height() <= max(free.height(), least.height())
    win.close()


def test_the_status_bar_is_as_high_as_a_line_of_its_text(make_window, qapp):
    """The status bar took the height of the job progress (bar and cancel button, 31 px)
    even while no job ran and it was hidden: 36 px, 10 px of every dock's height on a
    laptop. It now takes a line of text and a little air."""
    from app.launch import theme

    before = qapp.styleSheet()
    qapp.setStyleSheet(theme())  # as the app starts: the theme first, then the window
    try:
        win = make_window(size=(1366, 728))
        bar, indicator = win.statusBar(), win.workspace.indicator
        assert not indicator.isVisible()
        assert bar.height() <= bar.fontMetrics().height() + 10, bar.height()
        indicator.start("Tracking…")  # a job's progress fits that height
        assert indicator.minimumSizeHint().height() <= bar.height() - 4
        assert indicator.cancel.sizeHint().height() > bar.fontMetrics().height()
    finally:
        qapp.setStyleSheet(before)
