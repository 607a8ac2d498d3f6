"""Compare sessions: the window with two sessions of one lifter and exercise and their
matched sets, read from the library in the background; a pair opens in the synchronised
video comparison (set A on the left with its session open, set B beside it as picked from
the library)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt

from analysis.progress.history import SetRecord, session_sets
from analysis.progress.sessions import compare_sessions
from analysis.session.document import Session
from analysis.session.store import SessionSummary
from analysis.session.titles import distinct_titles
from app import dialogs, workers
from app.actions import bind_actions
from app.jobs import Job
from widgets.session_compare import SessionCompareWidget


#: both sessions read and their sets measured: (session A, session B, A's sets, B's sets)
Measured = tuple[Session, Session, list[SetRecord], list[SetRecord]]


def measure_both(library: Path, a_id: str, b_id: str) -> Measured:
    """The do-part: read both sessions and measure their sets (plain function, no Qt)."""
    from analysis.session.store import SessionStore

    store = SessionStore(library)
    try:
        a, b = store.get(a_id), store.get(b_id)
    finally:
        store.close()
    return a, b, session_sets(a), session_sets(b)


def list_same(library: Path, lifter: str, exercise: str) -> list[SessionSummary]:
    """Sessions of ``lifter`` doing ``exercise``, oldest first."""
    from analysis.session.store import SessionStore

    store = SessionStore(library)
    try:
        return sorted(store.list_sessions(lifter=lifter, exercise=exercise),
                      key=lambda s: (s.date, s.updated_at))
    finally:
        store.close()


def default_pair(sessions: list[SessionSummary], open_id: str) -> tuple[str, str]:
    """(A, B): the open session as B against the one before it; the lifter's first
    session as A against the next (it showed two other sessions); else the last two."""
    ids = [s.id for s in sessions]
    if open_id in ids and ids.index(open_id) > 0:
        i = ids.index(open_id)
        return ids[i - 1], ids[i]
    if open_id in ids and len(ids) > 1:
        return ids[0], ids[1]
    return (ids[-2], ids[-1]) if len(ids) > 1 else (ids[0], ids[0])


class SessionCompareController(QObject):
    """Owns the Compare → "Compare sessions" window of a workspace."""

    def __init__(self, workspace, parent: QObject | None = None,  # type: ignore[no-untyped-def]
                 sync: bool = False) -> None:
        super().__init__(parent)
        self.ws = workspace
        self.win = workspace.win
        self.library = Path(workspace.sessions.library_path)
        self.view: SessionCompareWidget | None = None
        self._job: Job | None = None
        self._sync = sync
        self._pending: tuple[str, str, str, str, str] | None = None
        self._following = False
        #: the two sessions last measured, by (A id, B id): another matching of the same
        #: pair is made from them at once, without measuring both sessions again
        self._measured: tuple[tuple[str, str], Measured] | None = None
        bind_actions(self.win.actions_by_id, {"compare_sessions": self.show})

    def show(self) -> SessionCompareWidget | None:
        """Open the window on the open session's lifter and exercise."""
        s = self.ws.model.session
        if s is None or not s.lifter or not s.exercise:
            dialogs.tell(self.win, "Compare sessions", "Open a session with its lifter and "
                         "exercise filled in (Details) first; sessions of the same lifter "
                         "and exercise are compared.")
            return None
        self.ws.sessions.flush()  # the library holds the latest edits of the open session
        sessions = list_same(self.library, s.lifter, s.exercise)
        if len(sessions) < 2:
            dialogs.tell(self.win, "Compare sessions", f"{s.lifter} has only one "
                         f"{s.exercise} session in the library: there is nothing to compare "
                         "it with yet.")
            return None
        if self.view is None:
            self.view = SessionCompareWidget(self.win)
            self.view.setWindowFlag(Qt.Window, True)
            self.view.resize(980, 620)
            self.view.query_changed.connect(self.refresh)
            self.view.pair_open_requested.connect(self.open_pair)
        self.view.set_units(s.load_unit)  # loads in the open session's unit
        self.view.setWindowTitle(f"Compare sessions — {s.lifter}, {s.exercise} — LiftLens")
        a, b = default_pair(sessions, s.id)
        self.view.set_sessions([(x.id, t) for x, t in zip(sessions, distinct_titles(sessions),
                                                          strict=True)], a, b)
        self.view.show()
        self.view.raise_()
        self._measured = None  # the sessions may have changed since: measured afresh
        self.refresh(a, b, self.view.match.currentData())
        return self.view

    def refresh(self, a_id: str, b_id: str, by: str) -> None:
        """Measure and match the two sessions' sets in the background, then show them;
        the same two sessions matched another way are shown at once from their measures."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
        if self._measured is not None and self._measured[0] == (a_id, b_id):
            if self.view is not None:
                a, b, sets_a, sets_b = self._measured[1]
                self.view.show_comparison(compare_sessions(a, b, by, (sets_a, sets_b)))
            return
        library = self.library

        def shown(measured: Measured) -> None:
            self._measured = ((a_id, b_id), measured)
            if self.view is not None:
                a, b, sets_a, sets_b = measured
                self.view.show_comparison(compare_sessions(a, b, by, (sets_a, sets_b)))

        job = Job("Measuring both sessions…", lambda *_: measure_both(library, a_id, b_id),
                  self)
        job.finished.connect(shown)
        job.failed.connect(lambda msg: dialogs.warn(self.win, "Compare sessions", msg))
        self._job = job
        if self.view is not None:
            self.view.show_measuring()
        job.start(sync=self._sync or workers.SYNC)

    def follow_saved(self, session: Session | None) -> None:
        """The open session was saved: when the window shows it (as A or B), measure the
        two again, so a rep corrected or a load changed in the main window shows here
        (the window kept the numbers it opened with until it was closed)."""
        v = self.view
        if v is None or not v.isVisible() or session is None:
            return
        a, b = v.session_a.currentData(), v.session_b.currentData()
        if session.id in (a, b):
            self._measured = None
            self.refresh(a, b, v.match.currentData())

    # -- opening a pair in the video comparison ------------------------------------------

    def open_set(self, session_id: str, recording_id: str) -> None:
        """Open that session on that set (a click in Progress)."""
        self._start(session_id, recording_id, "", "", "")

    def open_pair(self, index: int) -> None:
        """Compare the pair's two sets: the one of the open session stays on screen (when
        neither is, set A's session is opened) and the other is put beside it."""
        cmp = self.view.comparison if self.view is not None else None
        if cmp is None or not 0 <= index < len(cmp.pairs):
            return
        pair = cmp.pairs[index]
        if pair.a is None or pair.b is None:
            dialogs.tell(self.win, "Compare sessions", "This set has no matching set in the "
                         "other session; choose a row with both.")
            return
        # B is named as the library names a set (date, lifter, exercise, load, set), as A
        # is: it read only "2026-12-01 · set 2" beside A's full caption
        main, other = pair.a, pair.b
        open_now = self.ws.model.session
        if open_now is not None and pair.b.session_id == open_now.id != pair.a.session_id:
            # the session the coach is in stays open (its set beside the other session's):
            # leaving the comparison lands where they were, not in the other session
            main, other = pair.b, pair.a
        self._start(main.session_id, main.recording_id, other.session_id,
                    other.recording_id, "")

    def _start(self, sa: str, ra: str, sb: str, rb: str, label: str) -> None:
        """Open session ``sa`` on set ``ra``, then (``sb`` given) compare it with ``rb``."""
        if not self._following:
            # connected after the workspace's own handlers, which must see the session and
            # the video first
            self._following = True
            self.ws.model.session_changed.connect(self._on_session_changed)
            self.win.video_opened.connect(self._on_video_opened)
        self._pending = (sa, ra, sb, rb, label)
        model = self.ws.model
        if model.session is not None and model.session.id == sa:
            self._open_a(model.session)
        else:
            self.ws._auto_open = False  # this session opens on set A, not its first set
            if not self.ws.sessions.open_session(sa):  # kept the open one (unsaved edits)
                self.ws._auto_open = True
                self._pending = None

    def _on_session_changed(self, s: Session | None) -> None:
        if self._pending is None or s is None or s.id != self._pending[0]:
            return
        self.ws._auto_open = True
        self._open_a(s)

    def _open_a(self, session: Session) -> None:
        assert self._pending is not None
        rec = session.recording(self._pending[1])
        if rec is None:
            self._pending = None
            return
        if self.ws.model.current is rec and self.win.video_path == rec.video_path:
            self._open_b()
        else:
            self.ws.open_recording(rec.id)

    def _on_video_opened(self, _path: str, _opened: object) -> None:
        cur = self.ws.model.current
        if self._pending is not None and cur is not None and cur.id == self._pending[1]:
            self._open_b()

    def _open_b(self) -> None:
        assert self._pending is not None
        _sa, _ra, sb, rb, label = self._pending
        self._pending = None
        self.win.compare.leave()
        if not sb:
            return  # only the set was asked for
        self.ws.compare_library.pick(sb, rb, label)
        self.win.raise_()
