"""Tracking, finding and measuring the plate on a side of a comparison, and where that
work is kept.

The side the user clicked (outlined in orange, "selected" in its label; in the ghost
overlay, side A) is what Track bar, Find the plate, Calibrate from the plate, Clear track
and "Say which point…" act on, on the frame that side shows, and a click on either side
while Track bar waits for one tracks that side.

Where a side's work goes:

- a set of the open session: into that session, saved as every edit of it is;
- a recording of another session of the library (picked from the library, or found there
  by its video): written back into that session, the rest of it left as the library
  holds it;
- a plain video file the library does not know: it becomes set 1 of a session of its
  own, made when its first edit (the track) is saved, named after the file, with the
  open session's exercise; the coach is told its name, and finds it under Sessions (and
  the comparison finds it again when it is reopened).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from analysis.model import ComparisonSide
from analysis.session.document import Recording, Session
from app import dialogs
from app.context import AppContext
from app.controllers.compare_mode import CompareMode
from app.controllers.subject import Subject
from app.workers import run_in_background


class _SideClicks:
    """The canvas handler of one side: while Track bar waits for a click, a click there
    tracks that side (and selects it)."""

    def __init__(self, sides: CompareSides, side: int) -> None:
        self.sides, self.side = sides, side

    def press(self, p: tuple[float, float], event: Any) -> bool:
        analysis = self.sides.analysis
        if not analysis.seeding:
            return False
        self.sides.mode.view.set_active(self.side)
        return bool(analysis.seed_click(self.side, p))

    def move(self, p: tuple[float, float], event: Any) -> bool:
        return False

    def release(self, p: tuple[float, float], event: Any) -> bool:
        return False

    def double_click(self, p: tuple[float, float], event: Any) -> bool:
        return False

    def context_menu(self, p: tuple[float, float], global_pos: Any) -> None:
        return None


class CompareSides(QObject):
    """The comparison's sides as subjects of the analysis actions, and the keeper of the
    work done on a side that is not a set of the open session."""

    def __init__(self, ctx: AppContext, mode: CompareMode, analysis: Any, compare_analysis: Any,
                 library_path: Path, sessions_changed: Any = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.mode, self.analysis = ctx, mode, analysis
        self.compare_analysis = compare_analysis
        self.library_path = Path(library_path)
        self.sessions_changed = sessions_changed or (lambda: None)
        #: recording id -> (its session, the recording): the sides' work kept in the
        #: library, also for an undo after the comparison was left
        self._homes: dict[str, tuple[Session, Recording]] = {}
        self._fresh: set[str] = set()  # sessions made here, not in the library yet
        self._pending: dict[tuple[str, str], tuple[dict, dict, str]] = {}
        self._busy = False
        self._said_side = -1
        analysis.compare_subject = self.subject
        for i, canvas in enumerate(mode.view.canvases):
            canvas.interaction = _SideClicks(self, i)
            canvas.overlays.append(analysis.paint_candidate)
        mode.view.side_activated.connect(self._on_side_activated)
        mode.entered.connect(lambda: setattr(self, "_said_side", -1))
        m = ctx.model
        for event in (m.track_changed, m.calibration_changed, m.overrides_changed,
                      m.capture_changed, m.annotations_changed):
            event.connect(self._on_recording_edited)

    # -- the subject ------------------------------------------------------------------

    def selected(self) -> int:
        """The side the analysis actions act on: the one clicked, A in the ghost overlay."""
        return self.mode.view.selected_side()

    def subject(self, side: int | None = None) -> Subject | None:
        """Side ``side`` (default: the selected one) as the video an action acts on; a
        video never tracked gets its recording now. None without a comparison, or while
        the side's saved work is still being looked for in the library."""
        cmp = self.ctx.model.comparison
        ctl = self.mode.controller
        if cmp is None or len(cmp.sides) != 2 or len(ctl.sides) != 2:
            return None
        i = self.selected() if side is None else side
        cs = cmp.sides[i]
        if cs.recording is None:
            if self.compare_analysis.looking:
                self.ctx.notifier.status(f"Side {'AB'[i]}'s saved work is still being looked "
                                         "for in the library; try again in a moment.", 6000)
                return None
            self._new_recording(cs)
        assert cs.recording is not None
        if cs.session is not None:
            self._homes[cs.recording.id] = (cs.session, cs.recording)
        return Subject(cs.recording, cs.path, cs.video, self.mode.view.canvases[i],
                       lambda: ctl.frames_now()[i] if ctl.timeline is not None else 0,
                       lambda: ctl.shown[i], lambda n: self._seek_side(i, n), side=i)

    def _new_recording(self, cs: ComparisonSide) -> None:
        """A recording for a video the library does not know, in a session of its own
        (saved with its first edit). Its content fingerprint is the one the library lookup
        made in the background (reading up to 3 MiB here held the window up); only when
        that lookup failed is it made here."""
        fp = cs.fingerprint
        try:
            size = os.path.getsize(cs.path)
            if not fp:
                from analysis.session.portable import fingerprint

                fp = fingerprint(cs.path)
        except OSError:  # read when it was opened; a moved file is found by its path
            size, fp = 0, ""
        rec = Recording(cs.path, size, fp, set_number=1)
        exercise = cs.exercise or self.ctx.model.exercise
        session = Session(name=f"{os.path.basename(cs.path)} (tracked in a comparison)",
                          exercise=exercise)
        session.recordings.append(rec)
        cs.recording, cs.session, cs.exercise = rec, session, exercise
        self._fresh.add(session.id)

    def _seek_side(self, i: int, n: int) -> None:
        """Show frame ``n`` of side ``i`` (the other side shows what goes with it)."""
        ctl = self.mode.controller
        if ctl.timeline is None:
            return
        times = ctl.sides[i].feed.index.times
        t = float(times[min(max(int(n), 0), len(times) - 1)])
        ctl.pause()
        ctl.seek(ctl.position_at_time(float(ctl.timeline.sides[i].common_time(t))))

    def _on_side_activated(self, side: int) -> None:
        if side != self._said_side and self.ctx.model.comparison is not None:
            self._said_side = side
            self.ctx.notifier.status(
                f"Side {'AB'[side]} selected: Track bar, Find the plate and Calibrate from "
                "the plate act on it.", 8000)

    # -- keeping a side's work ----------------------------------------------------------

    def _on_recording_edited(self, rec: Recording) -> None:
        home = self._homes.get(rec.id)
        if home is None or home[1] is not rec:
            return  # a set of the open session (saved with it), or not a side's
        session = home[0]
        self._pending[(session.id, rec.id)] = (session.to_dict(), rec.to_dict(), session.title)
        self._write_next()

    def _write_next(self) -> None:
        """Write the newest snapshot waiting, one at a time (in the background)."""
        if self._busy or not self._pending:
            return
        key, (session_doc, rec_doc, title) = next(iter(self._pending.items()))
        del self._pending[key]
        self._busy = True
        library = self.library_path

        def work() -> int:
            from analysis.session.library import keep_recording
            from analysis.session.store import SessionStore

            with SessionStore(library) as store:
                return keep_recording(store, session_doc, rec_doc)

        def done(_revision: int) -> None:
            self._busy = False
            if key[0] in self._fresh:
                self._fresh.discard(key[0])
                self.ctx.notifier.status(
                    f"{self._side_name(key[1])}'s track is kept in the library as the session "
                    f"“{title}”: find it under Sessions.", 15000)
                self.sessions_changed()
            self._write_next()

        def failed(exc: BaseException) -> None:
            self._busy = False
            dialogs.warn(self.ctx.notifier.parent, "Compare",
                         f"The work on {os.path.basename(str(rec_doc['video']['path']))} could "
                         f"not be saved in the library: {dialogs.sentence(str(exc))}")
            self._write_next()

        run_in_background(work, done, failed)

    def _side_name(self, rec_id: str) -> str:
        cmp = self.ctx.model.comparison
        for i, side in enumerate(cmp.sides if cmp is not None else []):
            if side.recording is not None and side.recording.id == rec_id:
                return f"Side {'AB'[i]}"
        return "The compared video"
