"""Player controller and main window driven with qtbot on generated numbered clips."""

from __future__ import annotations

import pytest
from analysis.synth.barcode import read_number
from analysis.video.index import build_index
from app import workers
from app.frame_feed import FrameFeed
from app.player import PlayerController
from tests.analysis.clips import numbered_clip


@pytest.fixture
def player(qtbot, clip_cache):
    path, times, spec = numbered_clip(clip_cache, "vfr")
    index = build_index(str(path))
    p = PlayerController()
    p.set_feed(FrameFeed(str(path), index, 64 << 20))
    yield p
    p.set_feed(None)


def _shown(qtbot, player, n):
    qtbot.waitUntil(lambda: player.shown is not None and player.shown.index == n, timeout=10000)
    assert read_number(player.shown.image) == n


def test_step_forward_backward_and_jumps(qtbot, player):
    _shown(qtbot, player, 0)
    for k in (1, 1, 1, -1, 10, -10, 10, 10):
        player.step(k)
        _shown(qtbot, player, player.position)
    assert player.position == 22
    player.last()
    _shown(qtbot, player, 89)
    player.step(1)  # clamps at the end
    assert player.position == 89
    player.first()
    _shown(qtbot, player, 0)


def test_loop_range_and_home_end(qtbot, player):
    player.seek(20)
    player.set_loop_in()
    player.seek(30)
    player.set_loop_out()
    assert (player.loop_in, player.loop_out) == (20, 30)
    player.first()
    _shown(qtbot, player, 20)
    player.last()
    _shown(qtbot, player, 30)
    seen: list[int] = []
    player.position_changed.connect(seen.append)
    player.set_speed(2.0)
    player.play(1)
    qtbot.waitUntil(lambda: len(seen) > 16, timeout=15000)
    player.pause()
    assert min(seen) >= 20 and max(seen) <= 30  # playback stayed inside the loop
    assert any(b < a for a, b in zip(seen, seen[1:], strict=False))  # ... and wrapped round


def test_playback_follows_real_timestamps(qtbot, player):
    player.seek(0)
    _shown(qtbot, player, 0)
    now = [100.0]
    player.clock = lambda: now[0]  # a clock the test moves: no wall-clock timing
    player.set_speed(0.5)
    player.play(1)
    player._timer.stop()  # ticks are driven by hand below
    now[0] += 0.6
    player._on_tick()
    t = player.media_time()
    # half speed: 0.3 s of media in 0.6 s, at the frame whose timestamp covers 0.3 s
    assert t == pytest.approx(0.3)
    idx = player.index
    assert player.position == idx.frame_at_time(0.3) and idx.times[player.position] <= 0.3
    now[0] += 0.2
    player._on_tick()
    assert player.position == idx.frame_at_time(0.4)
    player.pause()


def test_speed_steps_and_shuttle(qtbot, player):
    player.set_speed(1.0)
    player.slower()
    assert player.speed == 0.5
    for _ in range(10):
        player.slower()
    assert player.speed == pytest.approx(1 / 16)
    player.set_speed(1.0)
    player.shuttle(1)
    assert player.playing and player.direction == 1
    player.shuttle(1)
    assert player.speed == 2.0
    player.shuttle(-1)
    assert player.direction == -1
    player.pause()


def test_main_window_opens_steps_and_reports_bad_files(qtbot, clip_cache, tmp_path,
                                                       monkeypatch):
    monkeypatch.setenv("LIFTLENS_DATA_DIR", str(tmp_path / "data"))
    workers.SYNC = True
    try:
        from PySide6.QtWidgets import QMessageBox

        from app.main_window import MainWindow

        shown_errors: list[str] = []
        monkeypatch.setattr(QMessageBox, "warning",
                            lambda parent, title, text: shown_errors.append(text))
        win = MainWindow()
        qtbot.addWidget(win)
        win.resize(1000, 700)
        path, _, _ = numbered_clip(clip_cache, "rot90")
        win.open_path(str(path))
        assert win.video_path == str(path)
        qtbot.waitUntil(lambda: win.canvas.frame is not None, timeout=10000)
        acts = win.actions_by_id
        assert acts["step_fwd"].shortcut().toString() == "Right"
        assert acts["fwd10"].shortcut().toString() == "Shift+Right"
        assert acts["play"].shortcut().toString() == "Space"
        acts["step_fwd"].trigger()
        acts["fwd10"].trigger()
        qtbot.waitUntil(lambda: win.canvas.frame.index == 11, timeout=10000)
        assert read_number(win.canvas.frame.image, 90) == 11
        assert win.canvas.image_size() == (240, 320)  # upright
        assert str(path) in win.settings.recent_files
        bad = tmp_path / "broken.mp4"
        bad.write_bytes(b"\x00" * 1000)
        win.open_path(str(bad))
        assert shown_errors and "broken.mp4" in shown_errors[-1]
        assert win.video_path == str(path)  # the open clip is untouched
        win.open_path(str(tmp_path / "missing.mp4"))
        assert "does not exist" in shown_errors[-1]
    finally:
        workers.SYNC = False


def test_real_time_speed_for_slow_motion(qtbot, player):
    avg = player.index.average_fps
    assert player.real_time_speed(avg * 8) == pytest.approx(8.0)
    player.set_speed(8.0)
    assert player.speed == 2.0  # the normal range stops at 2x
    player.set_speed(8.0, beyond_range=True)
    assert player.speed == 8.0


def test_an_unanswered_dialog_fails_fast_instead_of_hanging(qtbot):
    from PySide6.QtWidgets import QMessageBox

    from tests.app.conftest import UnexpectedDialog

    with pytest.raises(UnexpectedDialog, match="Nobody is there"):
        QMessageBox.information(None, "Test", "Nobody is there to click")


def test_frame_zero_is_on_screen_before_the_index_arrives(qtbot, clip_cache, make_window):
    win = make_window()
    path, _, _ = numbered_clip(clip_cache, "rot90")
    seen = []
    win.opener.first_frame.connect(
        lambda p, look, purpose: seen.append(("first", win.canvas.frame, win.player.index)))
    win.opener.opened.connect(lambda *a: seen.append(("opened", None, None)))
    win.open_path(str(path))
    qtbot.waitUntil(lambda: win.player.index is not None and win.canvas.frame is not None
                    and win.canvas.frame.index == 0, timeout=10000)
    assert [s[0] for s in seen] == ["first", "opened"]
    _, early, index_then = seen[0]
    assert index_then is None  # shown before the player had the index
    assert early is not None and early.index == 0 and read_number(early.image, 90) == 0
    assert read_number(win.canvas.frame.image, 90) == 0
    win.actions_by_id["step_fwd"].trigger()
    qtbot.waitUntil(lambda: win.canvas.frame.index == 1, timeout=10000)
    assert read_number(win.canvas.frame.image, 90) == 1


def test_a_playback_that_skips_frames_says_how_many(qtbot, clip_cache, make_window):
    path, _, _ = numbered_clip(clip_cache, "cfr")
    win = make_window(path)
    p = win.player
    now = [100.0]
    p.clock = lambda: now[0]  # a clock the test moves: a machine too busy to show every frame
    for k in range(1, 8):  # the first frames are decoded before the clock starts
        p.seek(k)
        qtbot.waitUntil(lambda k=k: p.shown is not None and p.shown.index == k, timeout=10000)
    p.seek(0)
    qtbot.waitUntil(lambda: p.shown is not None and p.shown.index == 0, timeout=10000)
    p.play(1)
    p._timer.stop()  # ticks are driven by hand
    interval = float(p.index.times[1] - p.index.times[0])
    now[0] += 1.2 * interval
    p._on_tick()
    qtbot.waitUntil(lambda: p.shown.index == 1, timeout=10000)
    now[0] += 3.0 * interval  # three frame times pass between two ticks: 2 and 3 skipped
    p._on_tick()
    qtbot.waitUntil(lambda: p.shown.index == 4, timeout=10000)
    assert p.dropped == 2 and "2 dropped" in win.status_cache.text()
    p.pause()
    message = win.statusBar().currentMessage()
    assert "showed" in message and "2 skipped" in message
