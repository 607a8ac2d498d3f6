"""A session in the trash is never reopened when LiftLens starts again.

A coach deleted the open session (Delete, Yes, then OK on "… was moved to the trash."),
closed LiftLens and started it again: the deleted session came back with its set, track
and analysis, "All changes saved", while the list no longer showed it (the library still
named it as the last session). Now start-up opens only a session that is in the library
and not in its trash, however it got there (deleted in this window, in another LiftLens
window, or the library changed elsewhere), deleting the open session stops naming it as
the last one, and Undo of the delete brings it back, reopened on the next start too."""

from __future__ import annotations

import os

from analysis.session.document import Recording, Session
from analysis.session.store import SessionStore
from analysis.synth.barcode import BarcodeSpec, make_barcode_clip


def _two_sessions(make_window, tmp_path, qtbot):
    """A window with two saved sessions, "Week 1 heavy" (one set) open: (window, its id,
    the other's id)."""
    clip = tmp_path / "squat.mp4"
    make_barcode_clip(clip, BarcodeSpec(frames=40, gop=10))
    win = make_window(clip)
    ws = win.workspace
    ws.sessions.update_fields(lifter="Anna Test", exercise="back squat", date="2026-02-10")
    ws.sessions.rename(ws.sessions.session.id, "Week 1 heavy")
    heavy = ws.sessions.session.id
    ws.new_session()
    ws.sessions.update_fields(lifter="Ben Two", exercise="bench press")
    other = ws.sessions.session.id
    ws.open_session(heavy)
    qtbot.waitUntil(lambda: ws.sessions.session is not None and ws.sessions.session.id == heavy
                    and ws.recording is not None, timeout=10000)
    return win, heavy, other


def _delete_open(win, qtbot, monkeypatch, undo: bool) -> None:
    ws = win.workspace
    told: list[str] = []
    monkeypatch.setattr("app.dialogs.ask_yes", lambda *a, **k: True)
    monkeypatch.setattr("app.dialogs.offer_undo_delete",
                        lambda _p, named: told.append(named) or undo)
    ws.delete_session(ws.sessions.session.id)
    qtbot.waitUntil(lambda: told == ["“Week 1 heavy — 2026-02-10 · Anna Test · back squat”"],
                    timeout=10000)


def _restarted(make_window, holding: str | None = None):
    """A new window on the same library, started as ``liftlens [holding]`` does."""
    win = make_window()
    win.workspace.start(holding, demo_when_empty=False)
    return win


def test_a_session_deleted_while_open_is_not_reopened_on_the_next_start(
        make_window, tmp_path, qtbot, monkeypatch):
    win, heavy, other = _two_sessions(make_window, tmp_path, qtbot)
    library = win.workspace.sessions.library_path
    _delete_open(win, qtbot, monkeypatch, undo=False)
    assert win.workspace.sessions.session is None
    assert win.workspace.browser.current_label.text() == "No session open"
    assert win.close()
    with SessionStore(library) as store:
        assert store.get_meta("last_session") == ""  # no longer named as the one to reopen
        assert [s.id for s in store.list_sessions(deleted=True)] == [heavy]

    again = _restarted(make_window)
    ws = again.workspace
    assert ws.sessions.session is None  # was "Week 1 heavy", with its set, "All changes saved"
    assert ws.recording is None and again.canvas.frame is None
    assert ws.browser.current_label.text() == "No session open"
    assert [ws.browser.list.item(i).data(256) for i in range(ws.browser.list.count())] == [other]


def test_a_session_trashed_elsewhere_is_not_reopened(make_window, tmp_path, monkeypatch):
    """Deleted in another LiftLens window (or by an older LiftLens that left its name as
    the last session): the trash is checked at start-up, not the name alone; a clip given
    on the command line that is a set of it opens on its own, not as that set."""
    data = tmp_path / "data"
    monkeypatch.setenv("LIFTLENS_DATA_DIR", str(data))
    clip = tmp_path / "clip.mp4"
    make_barcode_clip(clip, BarcodeSpec(frames=40, gop=10))
    with SessionStore(data / "library.sqlite3") as store:
        gone = Session(lifter="Anna Test", name="Week 1 heavy")
        gone.recordings.append(Recording(str(clip), os.path.getsize(clip), "", set_number=1))
        store.save(gone, 0)
        store.set_meta("last_session", gone.id)
        store.delete(gone.id)

    win = _restarted(make_window)
    assert win.workspace.sessions.session is None
    with SessionStore(data / "library.sqlite3") as store:
        assert store.get_meta("last_session") == ""
        store.set_meta("last_session", gone.id)
    assert win.close()

    win = _restarted(make_window, str(clip))
    s = win.workspace.sessions.session
    assert s is not None and s.id != gone.id  # a session of its own, not the trashed one


def test_undo_of_the_delete_reopens_the_session_now_and_on_the_next_start(
        make_window, tmp_path, qtbot, monkeypatch):
    win, heavy, _other = _two_sessions(make_window, tmp_path, qtbot)
    _delete_open(win, qtbot, monkeypatch, undo=True)
    ws = win.workspace
    qtbot.waitUntil(lambda: ws.sessions.session is not None and ws.sessions.session.id == heavy
                    and ws.recording is not None, timeout=10000)
    assert ws.sessions.session.title == "Week 1 heavy"
    assert ws.browser.title_of(heavy) is not None  # listed again
    assert win.close()

    again = _restarted(make_window)
    s = again.workspace.sessions.session
    assert s is not None and s.id == heavy and len(s.recordings) == 1
