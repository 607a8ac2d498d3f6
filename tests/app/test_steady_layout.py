"""Reviewing frame by frame keeps the layout still, and the status bar never cuts a text:
the readouts under the video and in the status bar keep the room of the clip's widest
reading (the tester saw the Analysis dock's edge move 10 px and the video shift between
frame 1 and the last frame), and a text too long for its room is elided with the whole
text in a tooltip ("All chang", "(00:00.(" were cut)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.launch import theme


def _geometry(win) -> tuple:
    ws = win.workspace
    return (win.canvas.geometry().getRect(), ws.analysis_dock.geometry().getRect(),
            win.transport.minimumSizeHint().width(), win.transport.time_label.width(),
            win.status_frame.width())


def test_stepping_through_a_clip_keeps_the_video_and_docks_in_place(make_window, two_squats,
                                                                    qtbot):
    win = make_window(two_squats[0], size=(1600, 1000))
    win.setStyleSheet(theme())
    ws = win.workspace
    # the docks as wide as they go: the video at its least width, where any readout
    # that widens pushes the dock (the tester's 1600 px screen with the rep table open)
    win.resizeDocks([ws.analysis_dock], [1400], Qt.Horizontal)
    qtbot.wait(100)
    count = win.model.video.frame_count
    assert count >= 100  # "frame 1 / N" and "frame N / N" differ in digits
    win.canvas.setFocus()
    QTest.keyClick(win.canvas, Qt.Key_Home)
    qtbot.wait(100)
    seen = {}
    for n in [0, 1, 2, 9, 10, 99, 100, count // 2, count - 2]:
        win.playback.seek(n)
        qtbot.waitUntil(lambda n=n: win.player.position == n, timeout=5000)
        qtbot.wait(30)
        seen[n] = _geometry(win)
    QTest.keyClick(win.canvas, Qt.Key_End)
    qtbot.waitUntil(lambda: win.player.position == count - 1, timeout=5000)
    qtbot.wait(60)
    seen[count - 1] = _geometry(win)
    assert f"frame {count} / {count}" in win.transport.time_label.text()
    assert len(set(seen.values())) == 1, seen


def test_status_bar_texts_are_whole_or_elided_with_a_tooltip(make_window, two_squats, qtbot):
    win = make_window(two_squats[0], size=(1600, 1000))
    win.setStyleSheet(theme())
    ws = win.workspace
    ws.save_label.setText("All changes saved")
    long = " · ".join(f"side {k}: frame 1116/1116 (00:37.167)" for k in range(8))
    win.status_frame.setText(long)
    qtbot.wait(100)
    for label in (ws.save_label, win.status_cache):  # permanent fields keep their room
        assert label.width() >= label.sizeHint().width(), label.text()
    fm = win.status_frame.fontMetrics()
    assert win.status_frame.width() < fm.horizontalAdvance(long)
    assert win.status_frame.is_elided()
    shown = super(type(win.status_frame), win.status_frame).text()
    assert shown.endswith("…") and long.startswith(shown[:-1])
    assert long in win.status_frame.toolTip()
    # the save field stands whole right of the elided frame readout
    assert win.status_frame.geometry().right() < ws.save_label.geometry().left()
    assert ws.save_label.geometry().right() <= win.statusBar().width()
    # a passing message too long for the bar is elided, whole in the tooltip
    bar = win.statusBar()
    message = "Not saved: " + "this session was changed in another LiftLens window. " * 6
    bar.showMessage(message, 5000)
    assert bar.currentMessage().endswith("…")
    assert bar.fontMetrics().horizontalAdvance(bar.currentMessage()) <= bar.message_room()
    assert bar.toolTip() == message
    bar.clearMessage()
    assert bar.toolTip() == ""
