"""A new user's first minutes: the app starts on the demo (no session yet), then the user
opens their own video. The video must show and step like any other (it used to stay
black: the new session made for it closed the video that had just been opened)."""

from __future__ import annotations

import shutil

import pytest

from app import demo


def _demo_then_own(make_window, two_squats, tmp_path, qtbot, monkeypatch):
    demo_clip = tmp_path / "demo" / "demo.mp4"
    demo_clip.parent.mkdir()
    shutil.copy(two_squats[0], demo_clip)
    own = tmp_path / "clips" / "my-squat.mp4"
    own.parent.mkdir()
    shutil.copy(two_squats[0], own)
    with open(own, "ab") as f:
        f.write(b"\0")  # a file of its own
    monkeypatch.setattr(demo, "demo_path", lambda: demo_clip)
    monkeypatch.setattr(demo, "ensure_demo_clip", lambda *a, **k: demo_clip)
    win = make_window()
    win.workspace.start(None, demo_when_empty=True)
    qtbot.waitUntil(lambda: win.video_path == str(demo_clip) and win.canvas.frame is not None,
                    timeout=15000)
    return win, demo_clip, own


def test_own_video_after_the_demo_shows_and_steps(make_window, two_squats, tmp_path, qtbot,
                                                   monkeypatch):
    win, _demo_clip, own = _demo_then_own(make_window, two_squats, tmp_path, qtbot, monkeypatch)
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


@pytest.mark.parametrize("keep", [True, False])
def test_work_on_the_demo_is_kept_when_the_user_says_so(make_window, two_squats, tmp_path,
                                                         qtbot, monkeypatch, keep):
    """A new user tracked and calibrated the demo, opened their own clip and found the
    demo's work gone without a word. Leaving the demo with work on it now asks."""
    from analysis.session.calibration import Calibration

    win, demo_clip, own = _demo_then_own(make_window, two_squats, tmp_path, qtbot, monkeypatch)
    ws = win.workspace
    demo_rec = ws.recording
    asked: list[str] = []
    monkeypatch.setattr("app.dialogs.ask_yes",
                        lambda _p, _t, text, *a, **k: (asked.append(text), keep)[1])
    win.open_path(str(own))  # nothing done on the demo yet: not asked
    qtbot.waitUntil(lambda: ws.recording is not None and ws.recording.video_path == str(own),
                    timeout=15000)
    assert asked == []
    win.open_demo()
    qtbot.waitUntil(lambda: ws.recording is not None
                    and ws.recording.video_path == str(demo_clip), timeout=15000)
    demo_rec = ws.recording
    win.model.set_calibration(demo_rec, Calibration(0.002, "a line of 450 mm", 225.0))
    win.open_path(str(own))
    qtbot.waitUntil(lambda: ws.recording is not None and ws.recording.video_path == str(own),
                    timeout=15000)
    assert len(asked) == 1 and "demo clip" in asked[0]
    recs = ws.sessions.session.recordings
    # the lifter's session holds only their clip (the demo became one of its sets)
    assert [r.video_path for r in recs] == [str(own)]
    kept = _demo_sessions(win)
    if keep:  # in a session of its own, with its work
        assert len(kept) == 1 and [r.video_path for r in kept[0].recordings] == [str(demo_clip)]
        assert kept[0].recordings[0].calibration.m_per_px == 0.002
    else:
        assert kept == []


def _demo_sessions(win):
    from analysis.session.store import SessionStore

    with SessionStore(win.workspace.sessions.library_path) as st:
        return [st.get(s.id) for s in st.list_sessions() if s.title == demo.SESSION_NAME]


def test_kept_demo_work_stays_out_of_the_next_real_session(make_window, two_squats, tmp_path,
                                                           qtbot, monkeypatch):
    """Tour 27: work on the demo, then the lifter's first clip, "Keep the demo work?" Yes:
    the session listed "Set 1: liftlens-demo-v2.mp4, Set 2: squat.mp4". The demo's work
    is kept in a session of its own and the clip starts the lifter's session."""
    from analysis.annotations import Line, Visibility

    win, demo_clip, own = _demo_then_own(make_window, two_squats, tmp_path, qtbot, monkeypatch)
    ws = win.workspace
    monkeypatch.setattr("app.dialogs.ask_yes", lambda *a, **k: True)
    ws.drawing.add_imported([Line(t=0.0, points=[(10.0, 10.0), (100.0, 80.0)],
                                  visibility=Visibility("always"))], [])
    win.open_path(str(own))
    qtbot.waitUntil(lambda: ws.recording is not None and ws.recording.video_path == str(own),
                    timeout=15000)
    session = ws.sessions.session
    assert [r.video_path for r in session.recordings] == [str(own)]
    assert session.recordings[0].set_number == 1 and session.title != demo.SESSION_NAME
    kept = _demo_sessions(win)
    assert len(kept) == 1 and kept[0].id != session.id
    assert [len(r.annotations) for r in kept[0].recordings] == [1]


@pytest.mark.parametrize("leave", ["new session", "open a session"])
def test_leaving_the_demo_for_a_session_asks_about_its_work(make_window, two_squats, tmp_path,
                                                            qtbot, monkeypatch, leave):
    """After working on the demo, File → New session (or opening a session of the list)
    dropped the demo and its work without the question the README promises."""
    from analysis.session.calibration import Calibration

    win, demo_clip, own = _demo_then_own(make_window, two_squats, tmp_path, qtbot, monkeypatch)
    ws = win.workspace
    other = None
    if leave == "open a session":  # a session of the lifter's to open from the list
        win.open_path(str(own))
        qtbot.waitUntil(lambda: ws.recording is not None
                        and ws.recording.video_path == str(own), timeout=15000)
        other = ws.sessions.session.id
        ws.sessions.flush()
        win.open_demo()
        qtbot.waitUntil(lambda: ws.recording is not None
                        and ws.recording.video_path == str(demo_clip), timeout=15000)
    asked: list[str] = []
    monkeypatch.setattr("app.dialogs.ask_yes",
                        lambda _p, title, *a, **k: (asked.append(title), True)[1])
    win.model.set_calibration(ws.recording, Calibration(0.002, "a line of 450 mm", 225.0))
    if other is None:
        win.workspace.actions["new_session"].trigger()
    else:
        ws.browser.open_requested.emit(other)
        qtbot.waitUntil(lambda: ws.sessions.session is not None
                        and ws.sessions.session.id == other, timeout=15000)
    assert asked == ["Keep the demo work?"]
    kept = _demo_sessions(win)
    assert len(kept) == 1 and kept[0].recordings[0].calibration.m_per_px == 0.002


def test_the_kept_demo_work_is_shown_when_its_session_is_opened(make_window, two_squats,
                                                                 tmp_path, qtbot, monkeypatch):
    """Kept in "Demo clip", the demo's drawing was not shown when that session was opened
    (the demo clip was taken for the bare demo), and leaving it asked again and made a
    second "Demo clip" session. A double-click on a session asked twice."""
    from analysis.annotations import Line, Visibility

    win, demo_clip, own = _demo_then_own(make_window, two_squats, tmp_path, qtbot, monkeypatch)
    ws = win.workspace
    asked: list[str] = []
    monkeypatch.setattr("app.dialogs.ask_yes",
                        lambda _p, title, *a, **k: (asked.append(title), True)[1])
    ws.drawing.add_imported([Line(t=0.0, points=[(10.0, 10.0), (100.0, 80.0)],
                                  visibility=Visibility("always"))], [])
    win.open_path(str(own))
    qtbot.waitUntil(lambda: ws.recording is not None and ws.recording.video_path == str(own),
                    timeout=15000)
    ws.sessions.flush()
    (kept,) = _demo_sessions(win)
    assert asked == ["Keep the demo work?"]
    ws.browser.open_requested.emit(kept.id)  # a double-click: activated, then double-clicked
    ws.browser.open_requested.emit(kept.id)
    qtbot.waitUntil(lambda: ws.recording is not None
                    and ws.recording.video_path == str(demo_clip)
                    and ws.sessions.session.id == kept.id, timeout=15000)
    assert len(ws.recording.annotations) == 1  # the kept line, on screen
    assert ws.recording in ws.sessions.session.recordings
    win.open_path(str(own))  # leaving it: it is a session's set, nothing to ask
    qtbot.waitUntil(lambda: ws.recording is not None and ws.recording.video_path == str(own),
                    timeout=15000)
    assert asked == ["Keep the demo work?"] and len(_demo_sessions(win)) == 1
