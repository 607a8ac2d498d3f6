"""The Progress window: a lifter's load-velocity profile, e1RM and trends, read from the
library in the background (the analysis of every set runs off the GUI thread)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSignalBlocker, Qt
from PySide6.QtWidgets import QWidget

from analysis.lift.exercises import lift_for
from analysis.progress.profile import DEFAULT_MVT
from analysis.progress.summary import ProgressSummary
from app import workers
from app.jobs import Job
from widgets.progress_view import ProgressViewWidget


def load_summary(library: Path, lifter: str, exercise: str, mvt: float) -> ProgressSummary:
    """The do-part: read the history and summarise it (plain function, no Qt)."""
    from analysis.progress.history import collect_history
    from analysis.progress.summary import summarize
    from analysis.session.store import SessionStore

    store = SessionStore(library)
    try:
        return summarize(collect_history(store, lifter, exercise), lifter, exercise, mvt)
    finally:
        store.close()


def _one_name_each(named: list[str]) -> list[str]:
    """One entry per exercise: a batch folder's "clean_and_jerk" is "clean and jerk"."""
    from analysis.lift.exercises import exercise_key

    exercises: dict[str, str] = {}
    for name in sorted(named, key=lambda n: (n != exercise_key(n), n)):  # "clean and jerk" first
        exercises.setdefault(exercise_key(name), name)
    return sorted(exercises.values(), key=str.lower)


def load_choices(library: Path) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """(lifters, every exercise, each lifter's own exercises) in the library."""
    from analysis.session.store import SessionStore

    store = SessionStore(library)
    try:
        lifters, named = store.lifters(), store.exercises()
        own = {lifter: [s.exercise for s in store.list_sessions(lifter=lifter) if s.exercise]
               for lifter in lifters}
    finally:
        store.close()
    return lifters, _one_name_each(named), {k: _one_name_each(v) for k, v in own.items()}


class ProgressController(QObject):
    """Owns the Progress window; ``open_session(session_id)`` opens a clicked session."""

    def __init__(self, library: Path, open_session: Callable[[str], None],
                 notify: Callable[[str], None], parent: QObject | None = None,
                 sync: bool = False, window_parent: QWidget | None = None,
                 open_set: Callable[[str, str], None] | None = None) -> None:
        super().__init__(parent)
        self.library = Path(library)
        self._open_session = open_session
        #: (session id, recording id) -> open that set; without it a click opens the session
        self._open_set = open_set
        self._notify = notify
        self._sync = sync
        self._window_parent = window_parent
        self.window: QWidget | None = None
        self.view: ProgressViewWidget | None = None
        self._job: Job | None = None
        #: each lifter's own exercises (the Exercise box offers the chosen lifter's only)
        self._own: dict[str, list[str]] = {}

    def show(self, lifter: str = "", exercise: str = "") -> ProgressViewWidget:
        if self.view is None:
            self.view = ProgressViewWidget(self._window_parent)
            self.view.setWindowFlag(Qt.Window, True)
            self.view.setWindowTitle("Progress — LiftLens")
            self.view.setWindowFlag(Qt.Window, True)
            self.view.resize(1200, 780)
            self.view.query_changed.connect(self.refresh)
            if self._open_set is not None:
                self.view.set_requested.connect(self._open_set)
            else:
                self.view.open_requested.connect(self._open_session)
        view = self.view
        self._run("Reading the library…", lambda *_: load_choices(self.library),
                  lambda res: self._choices(res, lifter, exercise))
        view.show()
        view.raise_()
        return view

    def _choices(self, res: tuple[list[str], list[str], dict[str, list[str]]], lifter: str,
                 exercise: str) -> None:
        assert self.view is not None
        lifters, exercises, self._own = res
        self.view.set_choices(lifters, exercises)
        self.view.session_note = ""
        if lifters and not lifter:
            self.view.session_note = (
                "The open session names no lifter, so its sets are not in any lifter's "
                "progress: fill in Lifter in its Details. Showing "
                f"{self.view.lifter.currentText()}.")
        if not lifters or not exercises:
            missing = " and ".join(w for w, v in (("a lifter", lifters), ("an exercise",
                                                                        exercises)) if not v)
            self.view.show_hint(f"No session in the library names {missing} yet: fill in "
                                "Lifter and Exercise in the session's Details (Sessions dock) "
                                "to follow progress.")
            return
        from analysis.lift.exercises import exercise_key, same_exercise

        if lifter in lifters:
            with QSignalBlocker(self.view.lifter):
                self.view.lifter.setCurrentText(lifter)
        # the chosen lifter's exercises only; the open session's if they have it
        own = self._own.get(self.view.lifter.currentText()) or exercises
        self.view.set_choices(lifters, own)  # (set_choices blocks its own signals)
        same = ([e for e in own if exercise_key(e) == exercise_key(exercise)]
                or [e for e in own if same_exercise(e, exercise)])
        if same:
            with QSignalBlocker(self.view.exercise):
                self.view.exercise.setCurrentText(same[0])
        self.view.mvt.blockSignals(True)
        self.view.mvt.setValue(DEFAULT_MVT.get(lift_for(self.view.exercise.currentText()), 0.3))
        self.view.mvt.blockSignals(False)
        self.refresh(self.view.lifter.currentText(), self.view.exercise.currentText(),
                     self.view.mvt.value())

    def refresh(self, lifter: str, exercise: str, mvt: float) -> None:
        if not lifter or not exercise:
            return
        v = self.view
        own = self._own.get(lifter)
        if own and v is not None and [v.exercise.itemText(i)
                                      for i in range(v.exercise.count())] != own:
            exercise, mvt = self._offer_exercises_of(lifter, exercise)
        self._run(f"Measuring {lifter}'s {exercise} sets…",
                  lambda *_: load_summary(self.library, lifter, exercise, mvt),
                  lambda s: self.view.show_summary(s) if self.view is not None else None)

    def _offer_exercises_of(self, lifter: str, exercise: str) -> tuple[str, float]:
        """Another lifter was chosen: the Exercise box offers their exercises, on the same
        lift written their way if they have it (``same_exercise``), else their first,
        with that exercise's MVT. Returns the (exercise, MVT) now shown."""
        from analysis.lift.exercises import same_exercise

        v = self.view
        assert v is not None
        own = self._own[lifter]
        keep = next((e for e in own if same_exercise(e, exercise)), own[0])
        v.set_choices([v.lifter.itemText(i) for i in range(v.lifter.count())], own)
        with QSignalBlocker(v.exercise), QSignalBlocker(v.mvt):
            v.exercise.setCurrentText(keep)
            if not same_exercise(keep, exercise):
                v.mvt.setValue(DEFAULT_MVT.get(lift_for(keep), 0.3))
        return keep, float(v.mvt.value())

    def follow_saved(self, lifter: str, exercise: str) -> None:
        """A session of ``lifter`` doing ``exercise`` was saved: when the window shows
        them, read the library again (a rep corrected or a load typed in the main window
        stayed out of an open Progress window until it was closed)."""
        v = self.view
        if v is None or not v.isVisible():
            return
        if (lifter.casefold(), exercise.casefold()) == (v.lifter.currentText().casefold(),
                                                        v.exercise.currentText().casefold()):
            self.refresh(v.lifter.currentText(), v.exercise.currentText(), v.mvt.value())

    def _run(self, title: str, fn, done) -> None:  # type: ignore[no-untyped-def]
        if self._job is not None:
            self._job.cancel()
        job = Job(title, fn, self)
        job.finished.connect(done)
        job.failed.connect(self._notify)
        self._job = job
        job.start(sync=self._sync or workers.SYNC)
