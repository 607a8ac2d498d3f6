"""The session saver: a thread that writes the newest snapshot of each session handed to
it into the library, against the revision its edits started from (a save over another
window's newer revision is refused), and deletes for good the sessions it is told to
(:meth:`SessionSaver.discard`). Used by :class:`app.controllers.session.SessionController`,
which hands it snapshots so the GUI never waits on the disk."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis.session.store import ConflictError, SessionStore, StorageError

log = logging.getLogger(__name__)


class SessionSaver:
    """A thread that saves the newest snapshot it was given of each session (older ones
    are skipped), each against the library revision its edits started from."""

    def __init__(self, path: Path, done: Callable[[str, float], None],
                 failed: Callable[[str, str], None]) -> None:
        self._path = path
        self._done = done
        self._failed = failed
        # the newest snapshot of each session not saved yet (older ones are skipped)
        self._pending: dict[str, tuple[dict[str, Any], list[int | None]]] = {}
        # session id -> [revision the next save starts from]; a new list each time the
        # session is (re)opened, and every snapshot keeps the list it was taken under, so a
        # snapshot from before a reopen is checked against its own revision, not the new one
        self._base: dict[str, list[int | None]] = {}
        # sessions to delete for good -> the last session to name instead of them
        self._discards: dict[str, str] = {}
        self._cv = threading.Condition()
        self._stop = False
        self._busy = False  # a batch is being written
        self._writing: set[str] = set()  # sessions of that batch not written yet
        self._thread = threading.Thread(target=self._run, name="session-saver", daemon=True)
        self._thread.start()

    def submit(self, doc: dict[str, Any]) -> None:
        with self._cv:
            sid = str(doc.get("id"))
            self._pending[sid] = (doc, self._base.setdefault(sid, [None]))
            self._cv.notify_all()

    def set_base(self, session_id: str, revision: int | None) -> None:
        """The session was (re)opened at ``revision`` (0: never saved; None: the next save
        replaces whatever the library holds, as for an imported file)."""
        with self._cv:
            self._base[session_id] = [revision]

    def discard(self, session_id: str, last: str) -> None:
        """Delete the session from the library for good, after what was handed over before
        and instead of its snapshot not written yet; while the library names it as the
        last session, ``last`` ("" none) is named instead."""
        with self._cv:
            self._pending.pop(session_id, None)
            self._discards[session_id] = last
            self._cv.notify_all()

    def unwritten(self, session_id: str) -> bool:
        """A snapshot of the session handed over is still waiting or being written (a
        save reported now is not of its newest snapshot)."""
        with self._cv:
            return session_id in self._pending or session_id in self._writing

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until every snapshot handed over is written (or refused); False on timeout."""
        with self._cv:
            return self._cv.wait_for(
                lambda: not self._pending and not self._discards and not self._busy, timeout)

    def flush_and_stop(self, timeout: float = 10.0) -> None:
        with self._cv:
            self._stop = True
            self._cv.notify_all()
        self._thread.join(timeout)

    def _run(self) -> None:
        store: SessionStore | None = None
        while True:
            with self._cv:
                while not self._pending and not self._discards and not self._stop:
                    self._cv.wait()
                batch, self._pending = list(self._pending.values()), {}
                discards, self._discards = self._discards, {}
                stop = self._stop
                self._busy = True
                self._writing = {str(doc.get("id")) for doc, _base in batch}
            for doc, base in batch:
                try:
                    if store is None:
                        store = SessionStore(self._path)
                    revision = store.save_document(doc, base[0])
                    with self._cv:
                        base[0] = revision
                        self._writing.discard(str(doc["id"]))  # before it is told
                    self._done(str(doc["id"]), float(revision))
                except ConflictError as exc:
                    log.warning("not saved over a newer revision %s of session %s",
                                exc.revision, doc["id"])
                    self._failed(str(doc["id"]), str(exc))
                except StorageError as exc:
                    self._failed(str(doc["id"]), str(exc))
                except Exception as exc:  # noqa: BLE001 - reported, logged
                    log.exception("saving the session failed")
                    self._failed(str(doc["id"]), f"The session could not be saved: {exc}")
            for sid, last in discards.items():
                try:
                    if store is None:
                        store = SessionStore(self._path)
                    store.purge(sid)
                    store.replace_meta("last_session", sid, last)
                    self._done(sid, -1.0)
                except Exception:  # noqa: BLE001 - an unused session left in the list
                    log.exception("deleting an unused session failed")
            with self._cv:
                self._busy = False
                self._writing = set()
                self._cv.notify_all()
            if stop and not self._pending and not self._discards:
                if store is not None:
                    store.close()
                return
