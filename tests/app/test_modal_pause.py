"""The picture behind a dialog is the frame the counter names, and it holds still.

A coach opened Export on frame 120 while the clip played: the video went on playing
behind the dialog, so what would be exported was unclear. A modal dialog now pauses
playback, on the frame on screen; a menu does not block the window and playback goes on
under it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QMenu

from analysis.synth.barcode import read_number
from tests.analysis.clips import numbered_clip


@pytest.fixture
def playing(make_window, clip_cache, qtbot):
    """``(window, clock)``: a numbered clip playing at frame 10, its ticks driven by hand
    with a clock the test moves (no wall-clock timing)."""
    win = make_window(numbered_clip(clip_cache, "cfr")[0])
    p = win.player
    now = [100.0]
    p.clock = lambda: now[0]
    p.seek(10)
    qtbot.waitUntil(lambda: p.shown is not None and p.shown.index == 10, timeout=10000)
    p.play(1)
    p._timer.stop()  # ticks are driven by hand
    return win, now


def _tick(win, now, seconds: float) -> None:
    """``seconds`` pass; the player's timer ticks (it runs only while playing)."""
    now[0] += seconds
    if win.player.playing:
        win.player._on_tick()


def _modal(win) -> QDialog:
    dlg = QDialog(win)
    dlg.setModal(True)
    dlg.show()  # a real modal window: the main window is blocked while it is open
    return dlg


def test_a_modal_dialog_pauses_playback_on_the_frame_on_screen(playing, qtbot):
    win, now = playing
    p = win.player
    _tick(win, now, 0.2)
    n = p.position
    assert n > 10
    qtbot.waitUntil(lambda: win.canvas.frame is not None and win.canvas.frame.index == n,
                    timeout=10000)
    dlg = _modal(win)
    assert not p.playing
    _tick(win, now, 1.0)  # time passes while the dialog is open
    assert p.position == n
    frame = win.canvas.frame
    assert frame is p.shown and frame.index == n and read_number(frame.image) == n
    assert win.canvas.pending == ""
    assert f"frame {n + 1}/" in win.status_frame.text()
    dlg.close()
    assert not p.playing and p.position == n  # Space plays again; a dialog does not


def test_paused_behind_a_dialog_the_counter_names_the_frame_drawn(playing, qtbot):
    """The decoder fell behind the clock (a busy machine): the player drew the newest
    frame it had while the counter ran ahead. Paused by a dialog, the counter went on
    naming a frame never drawn ("Loading frame 31…" behind the dialog); it now comes back
    to the frame on screen."""
    win, now = playing
    p = win.player
    _tick(win, now, 0.1)
    drawn = p.position
    qtbot.waitUntil(lambda: p.shown is not None and p.shown.index == drawn, timeout=10000)
    feed = p.feed
    feed.get = lambda n: None  # nothing more is decoded in time
    feed.latest_ready = lambda lo, hi: None
    feed.request = lambda n, direction=0: None
    _tick(win, now, 0.5)
    assert p.position > drawn and p.shown.index == drawn  # the clock ran ahead
    dlg = _modal(win)
    assert not p.playing and p.position == drawn
    assert win.canvas.frame.index == drawn and read_number(win.canvas.frame.image) == drawn
    assert win.canvas.pending == "" and f"frame {drawn + 1}/" in win.status_frame.text()
    assert win.timeline.position == drawn
    dlg.close()


def test_a_menu_does_not_stop_playback(playing, qtbot):
    """A menu does not block the window: playback goes on under it, and the picture is
    the frame the counter names."""
    win, now = playing
    p = win.player
    menu = QMenu(win)
    menu.addAction("Nothing")
    menu.popup(win.mapToGlobal(win.rect().center()))
    qtbot.waitUntil(menu.isVisible, timeout=5000)
    assert p.playing
    _tick(win, now, 0.2)
    n = p.position
    qtbot.waitUntil(lambda: win.canvas.frame is not None and win.canvas.frame.index == n,
                    timeout=10000)
    assert read_number(win.canvas.frame.image) == n
    menu.close()
    p.pause()
