"""An empty session of the coach's own is theirs to fill, not a place for the demo clip.

A coach opened their own session that had no sets yet and the status bar said
"Preparing the demo clip… 100 %": the demo was being prepared when the session opened
(start-up showed it over an empty last session), and its percentage kept coming after
the session had dropped it. Now the demo is only for a first start with no session at
all; an empty session shows its title and asks for a video of a set, and a request
dropped for another session no longer reports its progress."""

from __future__ import annotations

import shutil

from analysis.session.document import Session
from analysis.session.store import SessionStore
from app import demo


def _library(tmp_path, monkeypatch, two_squats, last_empty: bool = True):
    """A data folder with an empty session of Cara's (the last one used, unless
    ``last_empty`` is False: then none is named) and a demo clip ready to open."""
    data = tmp_path / "data"
    monkeypatch.setenv("LIFTLENS_DATA_DIR", str(data))
    demo_clip = tmp_path / "demo" / "demo.mp4"
    demo_clip.parent.mkdir()
    shutil.copy(two_squats[0], demo_clip)
    monkeypatch.setattr(demo, "demo_path", lambda: demo_clip)
    monkeypatch.setattr(demo, "ensure_demo_clip", lambda *a, **k: demo_clip)
    with SessionStore(data / "library.sqlite3") as store:
        empty = Session(lifter="Cara Empty", exercise="bench press", date="2026-02-12")
        store.save(empty, 0)
        if last_empty:
            store.set_meta("last_session", empty.id)
    return empty


def test_an_empty_last_session_reopens_asking_for_a_set_not_on_the_demo(
        make_window, two_squats, tmp_path, monkeypatch, qtbot):
    empty = _library(tmp_path, monkeypatch, two_squats)
    win = make_window()
    win.workspace.start(None, demo_when_empty=True)
    qtbot.wait(100)
    s = win.workspace.sessions.session
    assert s is not None and s.id == empty.id
    assert win.video_path is None and win.model.current is None  # was the demo clip
    assert win.stack.currentWidget() is win.welcome
    said = win.statusBar().currentMessage()
    assert "“2026-02-12 · Cara Empty · bench press” has no sets yet" in said
    assert "demo" not in said.lower()
    assert "has no sets yet" in win.welcome.sub.text()


def test_a_library_with_nothing_to_reopen_starts_on_the_welcome_view(
        make_window, two_squats, tmp_path, monkeypatch, qtbot):
    """Sessions listed, none to reopen (the last one deleted): the coach's own library,
    not a first start; the demo stays one click away."""
    _library(tmp_path, monkeypatch, two_squats, last_empty=False)
    win = make_window()
    win.workspace.start(None, demo_when_empty=True)
    qtbot.wait(100)
    assert win.workspace.sessions.session is None
    assert win.video_path is None and win.stack.currentWidget() is win.welcome
    assert "has no sets" not in win.welcome.sub.text()  # the greeting: no session open
    assert win.workspace.browser.list.count() == 1


def test_the_progress_of_a_dropped_demo_no_longer_shows(qapp, monkeypatch, tmp_path):
    """Another session opened while the demo was prepared drops it; its generation goes on
    in the background, and its "… 100 %" stayed in the status bar."""
    from app import workers
    from app.video_opener import VideoOpener
    from tests.analysis.clips import numbered_clip

    monkeypatch.setattr(workers, "SYNC", True)
    clip = str(numbered_clip(tmp_path, "cfr")[0])
    opener = VideoOpener()
    busy: list[str] = []
    opener.busy.connect(busy.append)

    def make(progress):
        progress(5, 10)
        opener.cancel()  # the coach opened a session meanwhile
        progress(10, 10)
        return clip

    opener.open_generated(make, "Preparing the demo clip…")
    assert busy == ["Preparing the demo clip…", "Preparing the demo clip… 50 %"]
