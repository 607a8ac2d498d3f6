"""Two LiftLens windows with the same session open: the second save over a newer one is
refused with a plain message (the edits stay open), never a silent lost update."""

from __future__ import annotations

from app import workers
from app.controllers.session import SessionController


def test_second_window_is_told_plainly_and_nothing_is_overwritten(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(workers, "SYNC", True)
    lib = tmp_path / "library.sqlite3"
    a = SessionController(lib)
    a.new_session(id="shared", lifter="Ann")
    a.flush()
    qtbot.waitUntil(lambda: a.state == "saved", timeout=10000)
    b = SessionController(lib)
    b.open_session("shared")
    assert b.session is not None and b.session.lifter == "Ann"
    a.update_fields(notes="window A")
    a.flush()
    qtbot.waitUntil(lambda: a.state == "saved", timeout=10000)
    states: list[str] = []
    b.save_state_changed.connect(states.append)
    b.update_fields(notes="window B")
    b.flush()
    qtbot.waitUntil(lambda: "another LiftLens window" in b.state, timeout=10000)
    assert b.session.notes == "window B"  # still open in B, not thrown away
    from analysis.session.store import SessionStore

    with SessionStore(lib) as store:
        assert store.get("shared").notes == "window A"
    # reopening in B shows A's changes, and B's next edit is saved normally
    b.open_session("shared")
    assert b.session.notes == "window A"
    b.update_fields(notes="B after reopening")
    b.flush()
    qtbot.waitUntil(lambda: b.state == "saved", timeout=10000)
    with SessionStore(lib) as store:
        assert store.get("shared").notes == "B after reopening"
    a.shutdown()
    b.shutdown()
