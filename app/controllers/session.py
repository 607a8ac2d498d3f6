"""The open training session: metadata, recordings, autosave to the library.

Every change marks the session dirty; shortly after (``AUTOSAVE_DELAY_MS`` after
the last change, and never more than ``AUTOSAVE_MAX_WAIT_MS`` after the first
unsaved one, so continuous drawing or dragging still saves about every 0.7 s), a
snapshot of the document is handed to a background saver thread
(:mod:`app.controllers.session_saver`) that owns its own library connection, so the
GUI never waits on the disk. A failed save (full
disk, read-only folder) is reported and retried on the next change; the work
stays in memory. Each save names the library revision the session was opened at
(or last saved as): when another LiftLens window saved the same session in the
meantime, the save is refused with a plain message instead of overwriting it.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from analysis.model import DocumentModel
from analysis.session.document import Recording, Session, session_from_dict
from analysis.session.store import (CONFLICT_MESSAGE, ConflictError, ReadOnlyError, SessionStore,
                                    StorageError)
from app.controllers.session_saver import SessionSaver
from app.workers import run_in_background

log = logging.getLogger(__name__)
AUTOSAVE_DELAY_MS = 400
#: the longest an unsaved change waits while edits keep coming (work at risk <= ~1 s)
AUTOSAVE_MAX_WAIT_MS = 700


def _content(session: Session) -> dict[str, Any]:
    """What ``session`` holds, apart from where its sets were left on screen."""
    d = session.to_dict()
    for key in ("app_version", "on_screen_set"):
        d.pop(key, None)
    for rec in d["recordings"]:
        rec.pop("left_at_s", None)
    return d


def _forget_last(store: SessionStore, session_id: str) -> str:
    """The library names ``session_id`` as the last session, but it is in the trash or
    gone (deleted in this window or another, the library changed elsewhere): it is not
    reopened, and no longer named (the batch reads that name as the session the app
    shows). Returns "" (the last session now)."""
    if not store.read_only:
        try:
            store.replace_meta("last_session", session_id, "")
        except StorageError:  # busy: named on, and skipped again at the next start
            log.warning("the last session, now in the trash, is still named as the last one")
    return ""


class SessionController(QObject):
    """Opens, edits and autosaves the model's session; every change of the document
    (fields, recordings, their drawings and analysis inputs) is saved shortly after."""

    save_state_changed = Signal(str)  # "saved", "saving", or an error message
    sessions_listed = Signal(list)  # list[SessionSummary]
    failed = Signal(str)
    #: the library can only be read (saving is off); the message says so in plain words
    library_read_only = Signal(str)
    _saved_signal = Signal(str, float)
    _failed_signal = Signal(str, str)

    def __init__(self, library_path: Path, model: DocumentModel | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library_path = Path(library_path)
        self.model = model = model if model is not None else DocumentModel()
        self.state = "saved"
        #: why saving is off ("" while the library can be written): found when the
        #: library is opened, told once through :attr:`library_read_only`
        self.read_only = ""
        #: counts the user's choices of the open session (new, opened, imported, deleted):
        #: a session still being read when a later choice is made is not opened over it
        self._choice = 0
        self._saved_signal.connect(self._on_saved)
        self._failed_signal.connect(self._on_failed)
        self._saver = SessionSaver(self.library_path, self._saved_signal.emit, self._failed_signal.emit)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._max_wait = QTimer(self)  # started by the first unsaved change, not restarted
        self._max_wait.setSingleShot(True)
        self._max_wait.setInterval(AUTOSAVE_MAX_WAIT_MS)
        self._max_wait.timeout.connect(self.flush)
        self.filters: dict[str, str] = {}
        #: asked before the open session is replaced by another (True: go on); the window
        #: sets it to ask what to do with edits the library does not hold
        self.may_leave: Callable[[], bool] | None = None
        #: the session this window made last, as long as it is open: its id, what it held
        #: when made, what it held once its clip became set 1 (made for a clip opened on
        #: its own), and the session open before it; when it is left with nothing done
        #: with it (or as empty as when made), it is not kept (see :meth:`_drop_if_unused`)
        self._made: tuple[str, dict[str, Any], dict[str, Any] | None, str] | None = None
        self._made_for_clip = False
        self._last_id = ""  # the session the library names as the last one used
        #: the open session deleted last and the choice count then: its Undo reopens it
        #: when nothing else was chosen meanwhile (see :meth:`restore`)
        self._deleted_open: tuple[str, int] | None = None
        #: the library listed a session (not in the trash) when :meth:`open_last` read it:
        #: a start with nothing to reopen shows the demo only on a library with none
        self.listed_any = False
        for event in (model.session_edited, model.track_changed, model.calibration_changed,
                      model.overrides_changed, model.capture_changed, model.annotations_changed):
            event.connect(self._on_document_changed)
        model.left_at_changed.connect(self._on_left_at_changed)

    @property
    def session(self) -> Session | None:
        return self.model.session

    def _on_document_changed(self, what: object) -> None:
        s = self.session
        if s is None:
            return
        if isinstance(what, Recording) and s.recording(what.id) is not what:
            return  # not a recording of this session (the demo, a comparison side)
        made = self._made
        if made is not None and made[2] is not None and made[0] == s.id \
                and _content(s) != made[2]:
            # changed once, it was used: kept even when changed back to its one clip (a set
            # added and moved out again); only as empty as when made it is not kept
            self._made = (made[0], made[1], None, made[3])
        self.mark_dirty()

    def _on_left_at_changed(self, rec: Recording) -> None:
        """Where a set was left is saved with the session, but it is no edit: while edits
        cannot be saved (another window saved the session, the library is read-only, a
        save failed) it neither sends them again nor turns "saved" into "not saved"; it
        goes with whatever the user then keeps."""
        if self.unsaved_problem is None and not self.read_only:
            self._on_document_changed(rec)

    # -- library (background) ---------------------------------------------------------

    def _job(self, fn: Callable[[SessionStore], Any], done: Callable[[Any], None],
             failed: Callable[[BaseException], None] | None = None,
             quiet_read_only: bool = False) -> None:
        """Run ``fn`` on a library of its own in the background, then ``done(result)``;
        errors are told (``failed`` then called), except, with ``quiet_read_only``, a
        library found read-only, which the window tells once by itself."""
        path = self.library_path
        read_only = [""]  # what the job's store found, noted on the GUI thread

        def job() -> Any:
            store = SessionStore(path)
            read_only[0] = store.read_only
            try:
                return fn(store)
            finally:
                store.close()

        def ok(result: Any) -> None:
            self._note_read_only(read_only[0])
            done(result)

        def error(exc: BaseException) -> None:
            first = not self.read_only
            # a library that cannot be written and has nothing to read yet (a new one in a
            # read-only folder) is read-only too: told once as such, not once per job
            self._note_read_only(read_only[0] or (str(exc) if isinstance(exc, ReadOnlyError)
                                                  else ""))
            if not ((first or quiet_read_only) and self.read_only
                    and isinstance(exc, ReadOnlyError)):
                self.failed.emit(str(exc))
            if failed is not None:
                failed(exc)

        run_in_background(job, ok, error)

    def _note_read_only(self, reason: str) -> None:
        if not reason or self.read_only:
            return
        self.read_only = (
            f"LiftLens cannot write to its library at {self.library_path}, so saving is off. "
            "Sessions already in it are listed and can be opened, viewed and exported (File "
            "→ Export session), but changes made now are not saved; closing the window "
            "offers to save them to a file. Make the folder writable and restart LiftLens to save "
            "again.")
        log.warning("library opened read-only: %s", reason)
        if self.session is not None and self.state != "saved":
            self.state = self.read_only
            self.save_state_changed.emit(self.state)
        self.library_read_only.emit(self.read_only)

    def refresh(self, **filters: str) -> None:
        if filters:
            self.filters = {k: v for k, v in filters.items() if v}
        f = dict(self.filters)
        self._job(lambda s: s.list_sessions(**f), self.sessions_listed.emit,
                  quiet_read_only=True)

    def open_last(self, after: Callable[[bool], None] | None = None,
                  holding: str = "") -> None:
        """Open the session used last; then ``after(found)``. ``holding``: a video's
        absolute path; then the session opened is the one that has that video as a set
        (the last session, else the newest that has it), on that set, and none when no
        session has it (a clip given on the command line opens on its own unless it is
        already a set: then it opens as that set, with its work)."""
        def holds(found: tuple[Session, int]) -> bool:
            rec = next((r for r in found[0].recordings
                        if os.path.abspath(r.video_path) == holding), None)
            if rec is not None:
                found[0].on_screen = rec.id  # the session reopens on that set
            return rec is not None

        named = [""]
        listed = [False]

        def last(store: SessionStore) -> tuple[Session, int] | None:
            listed[0] = bool(store.recent(1))
            sid = store.get_meta("last_session")
            if sid and not store.in_library(sid):
                sid = _forget_last(store, sid)
            named[0] = sid
            ids = [sid] if sid else []
            if holding:  # the sessions whose text names the file, newest first
                ids += [x.id for x in store.list_sessions(text=os.path.basename(holding))
                        if x.id != sid]
            for session_id in ids:
                try:
                    found = store.load(session_id)
                except StorageError:
                    continue
                if not holding or holds(found):
                    return found
            return None

        mine = self._chose()

        def done(found: tuple[Session, int] | None) -> None:
            self._last_id, self.listed_any = named[0], listed[0]
            if mine != self._choice:
                found = None  # the user started or opened a session meanwhile: it stays
            if found is not None:
                self._set_session(*found)
            if after is not None:
                after(found is not None)

        # a library that cannot be read still lets the app start (with the demo)
        self._job(last, done, (lambda _exc: after(False)) if after is not None else None,
                  quiet_read_only=True)

    def _leaving_allowed(self) -> bool:
        return self.session is None or self.may_leave is None or self.may_leave()

    def open_session(self, session_id: str, ask: bool = True) -> bool:
        """Open a session of the library (``ask``: first ask :attr:`may_leave` about
        unsaved edits of the open one; False when the user already chose to drop them).
        False when the user kept the open session instead."""
        if ask and not self._leaving_allowed():
            return False
        if not ask:
            self.drop_unsaved()
        self.flush()
        mine = self._chose()

        def done(found: tuple[Session, int]) -> None:
            if mine == self._choice:  # (else the user chose another session meanwhile)
                self._set_session(*found)

        self._job(lambda s: s.load(session_id), done)
        return True

    def _chose(self) -> int:
        """The user chose which session is open: a choice still being read from the
        library (:meth:`open_last`, :meth:`open_session`) no longer replaces it."""
        self._choice += 1
        return self._choice

    def _set_session(self, session: Session, revision: int | None = None) -> None:
        """Open ``session`` (read from the library or a file) in the model; ``revision`` is
        its revision in the library (0 for a new session; None when the next save may
        replace the library's copy, as for an imported file)."""
        self._drop_if_unused()
        self.flush()
        self._timer.stop()
        self._max_wait.stop()
        self._saver.set_base(session.id, revision)
        self.state = "saved"
        self.save_state_changed.emit("saved")
        self.model.open_session(session)
        sid = self._last_id = session.id
        if not self.read_only:
            self._job(lambda s: s.set_meta("last_session", sid), lambda _r: None)

    def open_imported(self, session: Session) -> None:
        """Open a session read from a shared file, and save it into the library."""
        if not self._leaving_allowed():
            return
        self._chose()
        self._set_session(session)
        self.mark_dirty()

    def new_session(self, for_clip: bool = False, **fields: Any) -> Session | None:
        """Open a new, empty session (None when the user kept the open one to save it);
        ``for_clip``: made for a clip opened on its own, which becomes its set 1.

        Left with nothing done (the clip only looked at, the session as empty as when
        made), it is not kept: see :meth:`_drop_if_unused`."""
        if not self._leaving_allowed():
            return None
        self.flush()
        # the session the library names as the last one, should this one not be kept
        before, last = self.session, self._last_id
        if before is not None:
            last = self._made[3] if self._made is not None and self.unused() else before.id
        self._chose()
        s = Session(**fields)
        self._set_session(s, 0)
        self.mark_dirty()
        self._made, self._made_for_clip = (s.id, _content(s), None, last), for_clip
        return s

    def unused(self) -> bool:
        """The open session is the one this window made last and nothing is in it: it is
        as empty as when made, or it holds its clip as set 1 and was never changed since
        (where each set was left on screen aside)."""
        s, made = self.session, self._made
        if s is None or made is None or made[0] != s.id:
            return False
        now = _content(s)
        return now == made[1] or now == made[2]

    def _drop_if_unused(self) -> None:
        """Before the open session is replaced or the window closes: an unused one
        (:meth:`unused`) is deleted from the library for good, so the list holds no
        session nobody used (a clip opened on its own only to look at it, a New session
        left empty); the session open before it is the last one again."""
        unused, made = self.unused(), self._made
        self._made = None
        if not unused or made is None or self.read_only:
            return
        self._timer.stop()
        self._max_wait.stop()
        self.state = "saved"
        self._saver.discard(made[0], made[3])

    def rename(self, session_id: str, name: str) -> None:
        if self.session is not None and self.session.id == session_id:
            self.session.name = name
            self.model.session_was_edited()
            return
        self._job(lambda s: s.rename(session_id, name), lambda _r: self.refresh())

    def duplicate(self, session_id: str) -> None:
        """Save a copy of a session. The open session is copied as it is on screen: when
        its edits could not be saved over another window's, this window carries on with
        the copy (see :meth:`keep_as_new_session`), so both versions are kept."""
        if self.session is not None and self.session.id == session_id:
            if self.unsaved_problem is not None:
                self.keep_as_new_session()
                return
            copy = session_from_dict(self.session.to_dict())
            copy.id, copy.name = str(uuid.uuid4()), f"{self.session.title} (copy)"
            self._job(lambda s: s.save(copy, 0), lambda _r: self.refresh())
            return
        self.flush()
        self._job(lambda s: s.duplicate(session_id), lambda _r: self.refresh())

    @property
    def unsaved_problem(self) -> str | None:
        """Why the open session's edits are not in the library (None: saved, or saving)."""
        if self.session is None or self.state in ("saved", "saving"):
            return None
        return self.state

    @property
    def conflicted(self) -> bool:
        """The open session's edits were refused because another window saved it."""
        return self.state == CONFLICT_MESSAGE

    def keep_as_new_session(self) -> Session:
        """Make the open session, as it is on screen, a new session of the library (a new
        id, " (copy)" after its title) and save it: the library's version, saved by
        another window, stays as it is. The window goes on editing the new session."""
        s = self.session
        assert s is not None
        self._timer.stop()
        self._max_wait.stop()
        s.name = f"{s.title} (copy)"
        s.id = str(uuid.uuid4())
        self._saver.set_base(s.id, 0)
        self.state = "saved"  # then mark_dirty: "saving", and the copy is sent
        self.model.session_was_edited()
        self.mark_dirty()
        sid = s.id
        self._job(lambda st: st.set_meta("last_session", sid), lambda _r: None)
        return s

    def drop_unsaved(self) -> None:
        """The user chose to discard the open session's edits that are not saved: nothing
        more of them is sent to the library."""
        self._timer.stop()
        self._max_wait.stop()
        self.state = "saved"

    def settle(self, timeout: float = 10.0) -> bool:
        """Save the open session now and wait for the outcome (on closing, or before
        another session replaces it): afterwards :attr:`state` and
        :attr:`unsaved_problem` are final. False when the saver did not answer in time."""
        self.flush()
        done = self._saver.wait_idle(timeout)
        QCoreApplication.sendPostedEvents(self)  # the saver's answer, queued to this thread
        return done

    def delete(self, session_id: str, done: Callable[[], None] | None = None) -> None:
        """Move a session to the trash; then ``done()``. The open one is closed first (its
        last edits saved, so an Undo brings it back as it was), and the library no longer
        names it as the last session: the next start does not reopen it."""
        if self.session is not None and self.session.id == session_id:
            self.settle()
            self._made = None
            self._timer.stop()
            self._max_wait.stop()
            self.state = "saved"
            self._deleted_open = (session_id, self._chose())
            self.model.open_session(None)
        if self._last_id == session_id:
            self._last_id = ""

        def trash(store: SessionStore) -> None:
            store.delete(session_id)
            store.replace_meta("last_session", session_id, "")

        self._job(trash, lambda _r: (self.refresh(), done and done()))

    def restore(self, session_id: str) -> None:
        """Take a session out of the trash (the Undo of a delete): the open session it was
        is open again, and so the last session again, unless another was chosen since."""
        reopen = self._deleted_open == (session_id, self._choice)
        self._deleted_open = None

        def done(_r: None) -> None:
            self.refresh()
            if reopen and self._choice == choice and self.session is None:
                self.open_session(session_id)

        choice = self._choice
        self._job(lambda s: s.restore(session_id), done)

    # -- editing --------------------------------------------------------------------

    def update_fields(self, **fields: Any) -> None:
        if self.session is None:
            return
        for k, v in fields.items():
            setattr(self.session, k, v)
        self.model.session_was_edited()

    def find_recording(self, path: str, fingerprint: str) -> Recording | None:
        """The open session's recording of this video (by path, or by content when it was
        moved), or None."""
        for r in self.session.recordings if self.session is not None else []:
            if r.video_path == path or (fingerprint and r.video_fingerprint == fingerprint):
                return r
        return None

    def add_recording(self, path: str, size: int, fingerprint: str) -> Recording:
        """The recording for ``path`` in the open session (added if new)."""
        if self.session is None:
            self.new_session(for_clip=True)
        assert self.session is not None
        found = self.find_recording(path, fingerprint)
        if found is not None:
            if found.video_path != path:
                found.video_path = path  # found again after a move
                self.model.session_was_edited()
            return found
        rec = Recording(path, size, fingerprint, set_number=len(self.session.recordings) + 1)
        self.session.recordings.append(rec)
        made = self._made
        if self._made_for_clip and made is not None and made[0] == self.session.id:
            self._made_for_clip = False  # its clip, set 1: as it is now it is unused too
            self._made = (made[0], made[1], _content(self.session), made[3])
        self.model.session_was_edited()
        return rec

    def adopt_recording(self, rec: Recording) -> None:
        """Add a recording made outside the session (the demo clip's, with its track,
        scale and drawings) as its next set; a session is made when none is open."""
        if self.session is None:
            self.new_session()
        assert self.session is not None
        if any(r is rec for r in self.session.recordings):
            return
        rec.set_number = len(self.session.recordings) + 1
        self.session.recordings.append(rec)
        self.model.session_was_edited()

    def keep_aside(self, rec: Recording, **fields: Any) -> Session | None:
        """Save ``rec`` (the demo clip's, with its track, scale and drawings) as set 1 of a
        new session of its own (``fields``, e.g. ``name``, ``lifter``) in the library, now,
        without opening it: the open session, or the next one a clip starts, stays the
        lifter's own (the demo clip had become set 1 of the lifter's next session). None
        when the library could not be written (then :attr:`failed` says why)."""
        session = Session(**fields)
        rec.set_number = 1
        session.recordings.append(rec)
        try:  # one small row, written on the spot: the window may be closing
            with SessionStore(self.library_path) as store:
                store.save(session, 0)
        except (StorageError, ConflictError) as exc:
            self.failed.emit(str(exc))
            return None
        self.refresh()
        return session

    def mark_dirty(self) -> None:
        if self.session is None:
            return
        if self.read_only:  # nothing is sent: the edits stay open, and closing asks
            if self.state != self.read_only:
                self.state = self.read_only
                self.save_state_changed.emit(self.state)
            return
        if self.state != "saving":
            self.state = "saving"
            self.save_state_changed.emit("saving")
        self._timer.start()
        if not self._max_wait.isActive():
            self._max_wait.start()

    def flush(self) -> None:
        """Hand the newest snapshot to the saver now."""
        self._timer.stop()
        self._max_wait.stop()
        if self.read_only:
            return
        # (after a refused save nothing new is sent until the next edit: reopening the
        # session to see the other window's changes must not report the refusal again)
        if self.session is not None and self.state not in ("saved", CONFLICT_MESSAGE):
            self._saver.submit(self.session.to_dict())

    def shutdown(self) -> None:
        self._drop_if_unused()
        self.flush()
        self._saver.flush_and_stop()

    def _on_saved(self, session_id: str, _when: float) -> None:
        if _when < 0:  # an unused session deleted
            self.refresh()
            return
        # "saved" only once the newest snapshot is written: the answer about an older one
        # (written while the last edit was handed over) said "All changes saved" too early
        if self.session is not None and session_id == self.session.id and \
                not self._timer.isActive() and not self._saver.unwritten(session_id):
            self.state = "saved"
            self.save_state_changed.emit("saved")
            self.refresh()

    def _on_failed(self, session_id: str, message: str) -> None:
        if self.session is None or session_id != self.session.id:
            self.failed.emit(message)  # about a session no longer open here
            return
        self.state = message
        self.save_state_changed.emit(message)


