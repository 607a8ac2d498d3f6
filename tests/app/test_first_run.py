"""A new user's first minutes: the app starts on the demo (no session yet), then the user
opens their own video. The video must show and step like any other (it used to stay
black: the new session made for it closed the video that had just been opened)."""

from __future__ import annotations

import shutil

from app import demo


def test_own_video_after_the_demo_shows_and_steps(make_window, two_squats, tmp_path, qtbot,
                                                   monkeypatch):
    demo_clip = tmp_path / "demo" / "demo.mp4"
    demo_clip.parent.mkdir()
    shutil.copy(two_squats[0], demo_clip)
    own = tmp_path / "clips" / "my-squat.mp4"
    own.parent.mkdir()
    shutil.copy(two_squats[0], own)
    own.write_bytes(own.read_bytes())  # a file of its own
    monkeypatch.setattr(demo, "demo_path", lambda: demo_clip)
    monkeypatch.setattr(demo, "ensure_demo_clip", lambda *a, **k: demo_clip)
    win = make_window()
    win.workspace.start(None, demo_when_empty=True)
    qtbot.waitUntil(lambda: win.video_path == str(demo_clip) and win.canvas.frame is not None,
                    timeout=15000)
    assert win.workspace.sessions.session is None  # the demo makes no session

    win.open_path(str(own))
    qtbot.waitUntil(lambda: win.video_path == str(own), timeout=15000)
    qtbot.waitUntil(lambda: win.player.index is not None and win.canvas.frame is not None,
                    timeout=15000)
    assert win.player.index is win.model.video and win.player.index.frame_count > 10
    assert win.model.current.video_path == str(own)
    assert win.workspace.sessions.session is not None  # the clip started a session
    win.player.step(1)
    qtbot.waitUntil(lambda: win.player.shown is not None and win.player.shown.index == 1,
                    timeout=15000)
