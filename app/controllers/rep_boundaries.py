"""Moving a rep's phase boundaries by hand: Analysis → Set rep boundary at playhead (keys
1-4, the Kinovea way: step to the frame with the arrows, press one key), its reset, and
the rep table's right-click menu; splitting a rep in two at the playhead (Analysis →
Split the rep at the playhead, Ctrl+B, as an editor's razor) and merging a rep with the
next (Ctrl+Shift+B). The reset also puts back the detected reps a split or merge changed.

The rep and the check of the move are decided in :mod:`analysis.lift.rep_edit`; the
change is stored in the recording's rep corrections through an undoable command, so the
analysis, the panel, the timeline and the saved session all follow it. A move that would
put the rep's phases out of order is refused in the status bar, and nothing changes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from analysis.lift.rep_edit import (BOUNDARY_WORDS, BoundaryRefused, merge_with_next,
                                    move_boundary, rep_near, reset_boundaries, split_rep,
                                    stroke_ends)
from analysis.lift.rep_structure import RepEditRefused
from analysis.lift.result import AnalysisResult, RepResult
from analysis.session.overrides import BOUNDARIES, STATUSES
from app.controllers.analysis import AnalysisController, set_overrides

#: the Analysis menu's actions (declared in app.actions), one per boundary
BOUNDARY_ACTIONS = {name: f"boundary_{name}" for name in BOUNDARIES}
RESET_ACTION = "boundary_reset"
SPLIT_ACTION = "rep_split"
MERGE_ACTION = "rep_merge"
#: how long (ms) the status bar says what was done or refused
SAID_MS = 8000


class RepBoundaries(QObject):
    """Sets, resets and offers (right-click on a rep's row) the boundaries of reps."""

    def __init__(self, analysis: AnalysisController, actions: dict[str, QAction],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.analysis = analysis
        self.actions = actions

    def time_at_playhead(self) -> float:
        """Real time (s) of the frame at the playhead: the frame asked for, even while it
        is still being decoded, so that → → 4 pressed quickly sets the frame two steps
        on, not the one still on screen."""
        a = self.analysis
        idx, n = a.model.video, a.ctx.player.position
        if idx is None or not 0 <= n < idx.frame_count:
            return a.time_now()
        return float(a.time_scale().real(float(idx.times[n])))

    def _say(self, text: str) -> None:
        self.analysis.ctx.notifier.status(text, SAID_MS)

    def _ready(self) -> AnalysisResult | None:
        """The analysis on screen, or None with the reason said (no track, not measured
        yet, a snatch or clean, no reps)."""
        a = self.analysis
        if a.recording is None or a.recording.track is None:
            self._say("Track the bar first: rep boundaries are set on its reps.")
            return None
        if a.job is not None and a.job.running:  # its reps are about to be replaced
            self._say("Wait for the tracking to finish: the reps come from the new track.")
            return None
        r = a.result
        if r is None:
            self._say("The analysis is not ready yet: try again in a moment.")
            return None
        if r.weightlifting is not None or not r.reps:
            self._say("There are no reps to correct in this set.")
            return None
        return r

    def _rep(self, r: AnalysisResult, number: int | None) -> RepResult | None:
        return next((x for x in r.reps if x.number == number), None)

    def set_boundary(self, name: str, number: int | None = None) -> None:
        """Move boundary ``name`` (one of :data:`BOUNDARIES`) of rep ``number`` (default:
        the rep under, or nearest, the playhead) to the frame shown (undoable)."""
        r = self._ready()
        rec = self.analysis.recording
        if r is None or rec is None:
            return
        now = self.time_at_playhead()
        ecc_first = r.direction == "down_first"
        rep = self._rep(r, number) if number is not None else \
            rep_near(r.reps, now, ecc_first, name)
        if rep is None:
            return
        word = BOUNDARY_WORDS[name]
        try:
            new = move_boundary(r, rec.rep_overrides, rep, name, now)
        except BoundaryRefused as exc:
            self._say(f"{exc} Nothing was changed.")
            return
        if new == rec.rep_overrides:
            self._say(f"Rep {rep.number}'s {word} is at {now:.2f} s already.")
            return
        set_overrides(self.analysis.model, self.analysis.undo_stack, rec, new,
                      f"Move rep {rep.number}'s {word} to {now:.2f} s")
        undo = self.actions["undo"].shortcut().toString()
        self._say(f"Rep {rep.number}'s {word} moved to {now:.2f} s; its numbers follow "
                  f"({undo} undoes it).")

    def reset(self, number: int | None = None) -> None:
        """Put rep ``number`` (default: the rep under, or nearest, the playhead) back at its
        detected boundaries and, when it was split or merged by hand, put back the reps
        detected there (undoable); its status is kept."""
        r = self._ready()
        rec = self.analysis.recording
        if r is None or rec is None:
            return
        rep = self._rep(r, number) if number is not None else \
            rep_near(r.reps, self.time_at_playhead(), r.direction == "down_first")
        if rep is None:
            return
        if not rep.moved and not rep.edits:
            self._say(f"Rep {rep.number}'s boundaries are the detected ones already.")
            return
        new = reset_boundaries(rec.rep_overrides, rep)
        if rep.edits:
            set_overrides(self.analysis.model, self.analysis.undo_stack, rec, new,
                          f"Put back the detected reps at rep {rep.number}")
            self._say(f"The reps detected at rep {rep.number} are back (its "
                      f"{'split' if rep.edited == 'split' else 'merge'} is undone).")
            return
        set_overrides(self.analysis.model, self.analysis.undo_stack, rec, new,
                      f"Reset rep {rep.number}'s boundaries")
        self._say(f"Rep {rep.number} is back at its detected boundaries.")

    # -- splitting and merging reps ---------------------------------------------------

    def _rep_here(self, r: AnalysisResult, number: int | None, now: float) -> RepResult | None:
        if number is not None:
            return self._rep(r, number)
        inside = next((x for x in r.reps if x.start < now < x.end), None)
        return inside or rep_near(r.reps, now, r.direction == "down_first")

    def split(self, number: int | None = None) -> None:
        """Split rep ``number`` (default: the rep under the playhead) in two at the frame
        shown (undoable); a split that would leave a half without a concentric is refused
        in the status bar, and nothing changes."""
        r = self._ready()
        rec = self.analysis.recording
        if r is None or rec is None:
            return
        now = self.time_at_playhead()
        rep = self._rep_here(r, number, now)
        if rep is None:
            return
        try:
            new = split_rep(r, rec.rep_overrides, rep, now)
        except RepEditRefused as exc:
            self._say(f"{exc} Nothing was changed.")
            return
        set_overrides(self.analysis.model, self.analysis.undo_stack, rec, new,
                      f"Split rep {rep.number} at {now:.2f} s")
        undo = self.actions["undo"].shortcut().toString()
        self._say(f"Rep {rep.number} split at {now:.2f} s into reps {rep.number} and "
                  f"{rep.number + 1}; the reps after it are numbered on ({undo} undoes it).")

    def merge(self, number: int | None = None) -> None:
        """Merge rep ``number`` (default: the rep under the playhead) with the next rep
        (undoable); refused in the status bar for the set's last rep."""
        r = self._ready()
        rec = self.analysis.recording
        if r is None or rec is None:
            return
        rep = self._rep_here(r, number, self.time_at_playhead())
        if rep is None:
            return
        try:
            new = merge_with_next(r, rec.rep_overrides, rep)
        except RepEditRefused as exc:
            self._say(f"{exc} Nothing was changed.")
            return
        set_overrides(self.analysis.model, self.analysis.undo_stack, rec, new,
                      f"Merge rep {rep.number} with rep {rep.number + 1}")
        undo = self.actions["undo"].shortcut().toString()
        self._say(f"Reps {rep.number} and {rep.number + 1} are one rep now; the reps after "
                  f"it are numbered on ({undo} undoes it).")

    # -- the rep table's right-click menu ---------------------------------------------

    def table_menu(self, number: int, global_pos: QPoint, parent: QWidget) -> QMenu | None:
        """The menu for rep ``number``'s row: its boundaries at the playhead (in the order
        they happen in this lift, each with its key), its reset and its status. Shown at
        ``global_pos``; returned (None without that rep) so tests can read it."""
        r = self.analysis.result
        rep = self._rep(r, number) if r is not None and r.weightlifting is None else None
        if rep is None:
            return None
        menu = self.build_menu(r, rep, parent)
        menu.setAttribute(Qt.WA_DeleteOnClose)  # one menu per right-click: not kept
        menu.popup(global_pos)
        return menu

    def build_menu(self, r: AnalysisResult, rep: RepResult, parent: QWidget) -> QMenu:
        now = self.time_at_playhead()
        menu = QMenu(parent)
        title = menu.addAction(f"Rep {rep.number}: set at the playhead ({now:.2f} s)")
        title.setEnabled(False)
        for name, t in stroke_ends(rep, r.direction == "down_first"):
            act = self.actions[BOUNDARY_ACTIONS[name]]
            keys = act.shortcut().toString()
            text = f"{act.text().replace('&', '')}, now {t:.2f} s"
            item = menu.addAction(f"{text}\t{keys}" if keys else text)
            item.triggered.connect(lambda _=False, n=name: self.set_boundary(n, rep.number))
        reset = menu.addAction(f"Reset rep {rep.number}'s boundaries (as detected)" if
                               not rep.edits else
                               f"Put back the detected reps (undo this {rep.edited})")
        reset.setEnabled(bool(rep.moved or rep.edits))
        reset.triggered.connect(lambda _=False: self.reset(rep.number))
        menu.addSeparator()
        keys = self.actions[SPLIT_ACTION].shortcut().toString()
        inside = rep.start < now < rep.end
        split = menu.addAction(f"Split rep {rep.number} here ({now:.2f} s)\t{keys}" if inside
                               else f"Split rep {rep.number} here (put the playhead in it)")
        split.setEnabled(inside)
        split.triggered.connect(lambda _=False: self.split(rep.number))
        nxt = rep.number + 1
        keys = self.actions[MERGE_ACTION].shortcut().toString()
        merge = menu.addAction(f"Merge rep {rep.number} with rep {nxt}\t{keys}")
        merge.setEnabled(rep is not r.reps[-1])
        merge.triggered.connect(lambda _=False: self.merge(rep.number))
        menu.addSeparator()
        mark = menu.addMenu(f"Mark rep {rep.number}")
        for status in STATUSES:
            act = self.actions[f"rep_{status}"]
            item = mark.addAction(act.text())
            item.setCheckable(True)
            item.setChecked(rep.status == status)
            item.triggered.connect(
                lambda _=False, s=status: self.analysis.set_rep_status(s, rep.number))
        return menu
