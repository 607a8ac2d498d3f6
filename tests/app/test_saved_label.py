"""The status bar says "All changes saved" only once the last edit is written. The
library's answer about an earlier save (written while the last edit was handed over)
said so too early: a detail typed just then was still being written, and a window
closed on that word could look as if nothing was at stake."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication

from analysis.session.store import SessionStore
from app.controllers.session import SessionController


def test_saved_is_said_once_the_newest_edit_is_written(tmp_path, qtbot, monkeypatch):
    first_written, go = threading.Event(), threading.Event()
    save = SessionStore.save_document

    def held(store, doc, base):  # the second write waits until the test lets it go
        if doc.get("reps") == 8:
            assert go.wait(10)
        revision = save(store, doc, base)
        first_written.set()
        return revision

    monkeypatch.setattr(SessionStore, "save_document", held)
    c = SessionController(tmp_path / "library.sqlite3")
    try:
        s = c.new_session(lifter="Ann")
        c.update_fields(rpe=8.5)
        c.flush()
        assert first_written.wait(10)  # RPE written; its answer is not read yet
        c.update_fields(reps=8)  # the reps typed just after
        c.flush()  # handed over: being written now
        QCoreApplication.sendPostedEvents(c)  # the answer about the RPE save
        assert c.state == "saving"
        go.set()
        qtbot.waitUntil(lambda: c.state == "saved", timeout=10000)
        with SessionStore(c.library_path) as store:
            assert store.get(s.id).reps == 8
    finally:
        go.set()
        c.shutdown()
