"""The user's latest choice of session wins over work still under way (tour 30: File → New
session pressed while the app was still reopening the last session was undone when the
reopen finished, and the last session's clip, still opening, became set 1 of the new
session, which the user then named after another lift)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from analysis.session.store import SessionStore
from analysis.synth.barcode import BarcodeSpec, make_barcode_clip
from app import video_opener, workers
from app.controllers import session as session_controller


class Held:
    """Background jobs held back until :meth:`release` (as on a slow disk)."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Callable[[], Any], Callable[[Any], None],
                              Callable[[BaseException], None]]] = []

    def __call__(self, fn, on_done, on_error) -> None:
        self.jobs.append((fn, on_done, on_error))

    def release(self) -> None:
        jobs, self.jobs = self.jobs, []
        for job in jobs:
            workers.run_in_background(*job)  # at once: the tests' jobs are synchronous


@pytest.fixture
def squat_session(make_window, tmp_path):
    """A library whose last session holds one set (squat.mp4); returns (clip, session id)."""
    clip = tmp_path / "squat.mp4"
    make_barcode_clip(clip, BarcodeSpec(frames=40, gop=10))
    win = make_window(clip)
    win.workspace.sessions.update_fields(lifter="Anna Test", exercise="back squat")
    sid = win.workspace.sessions.session.id
    assert win.close()
    return str(clip), sid


def _started(make_window, monkeypatch, module, demo: bool = False):
    """A window started on the library with ``module``'s background jobs held back;
    returns (window, held jobs)."""
    held = Held()
    monkeypatch.setattr(module, "run_in_background", held)
    win = make_window()
    win.workspace.start(None, demo_when_empty=demo)
    return win, held


def _sets(library, session_id: str) -> list[str]:
    with SessionStore(library) as store:
        return [r.video_path for r in store.get(session_id).recordings]


def test_new_session_while_the_last_one_is_still_read_stays(
        make_window, squat_session, monkeypatch, qtbot):
    clip, old = squat_session
    win, held = _started(make_window, monkeypatch, session_controller, demo=True)
    ws = win.workspace
    assert ws.sessions.session is None  # the library is still being read
    ws.new_session()  # File → New session, at once
    mine = ws.sessions.session
    assert mine is not None and mine.id != old
    held.release()  # the last session is read now, and would be opened over the new one
    assert ws.sessions.session is mine
    assert win.video_path is None  # neither the last session's clip nor the demo
    assert "Unnamed" in win.windowTitle() or mine.title in win.windowTitle()
    assert ws.sessions.settle()
    assert _sets(ws.sessions.library_path, old) == [clip]


def test_a_clip_still_opening_for_the_last_session_does_not_join_a_new_one(
        make_window, squat_session, monkeypatch, qtbot):
    clip, old = squat_session
    win, held = _started(make_window, monkeypatch, video_opener)
    ws = win.workspace
    assert ws.sessions.session is not None and ws.sessions.session.id == old
    assert len(held.jobs) == 1  # its set is being opened
    ws.new_session()  # the user starts a new session before the clip is on screen
    mine = ws.sessions.session
    assert mine.id != old
    held.release()  # the old session's clip finishes opening
    qtbot.wait(50)
    assert ws.sessions.session is mine
    assert mine.recordings == []  # the squat did not become set 1 of the new session
    assert win.video_path is None and ws.model.current is None
    assert ws.sessions.settle()
    assert _sets(ws.sessions.library_path, old) == [clip]
    assert _sets(ws.sessions.library_path, mine.id) == []


def test_opening_a_clip_after_the_new_session_still_works(
        make_window, squat_session, monkeypatch, qtbot):
    """The dropped open does not stop the next one: the user's own clip becomes set 1."""
    clip, old = squat_session
    win, held = _started(make_window, monkeypatch, video_opener)
    ws = win.workspace
    ws.new_session()
    held.release()
    win.open_path(clip)
    held.release()
    qtbot.waitUntil(lambda: win.video_path == clip, timeout=10000)
    assert [r.video_path for r in ws.sessions.session.recordings] == [clip]
    assert ws.sessions.session.id != old
