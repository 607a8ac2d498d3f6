"""Sessions, drawings, key moments and the analysis wired into the main window.

The window stays a player; this class adds the training-session side: docks
(session browser, details, key moments, analysis), the drawing toolbar, Edit, File,
Analysis and Export actions, autosave and the title-bar save state. The docks are
built from the window's document model and follow it; opening a session, a set or
a clip goes through the model. Its docks, session commands and session status live in
app/window/ (docks.py, session_commands.py, session_status.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDockWidget
from shiboken6 import isValid

from analysis.session.document import Recording
from analysis.session.portable import describe_video, locate_video
from app import demo, dialogs
from app.actions import bind_actions
from app.canvas_interactions import InteractionChain
from app.context import AppContext, JobRunner, Notifier
from app.controllers.analysis import TARGET_CHOICES, AnalysisController
from app.controllers.clip_gate import ClipGate
from app.controllers.compare_analysis import CompareAnalysis
from app.controllers.compare_library import CompareLibrary
from app.controllers.compare_sides import CompareSides
from app.controllers.details import DetailsEdits
from app.controllers.drawing import DrawingController
from app.controllers.export import ExportController
from app.controllers.key_moments import KeyMoments
from app.controllers.kinovea import KinoveaFiles
from app.controllers.library_notices import LibraryNotices
from app.controllers.palette_sync import PaletteSync
from app.controllers.rep_boundaries import (BOUNDARY_ACTIONS, MERGE_ACTION, RESET_ACTION,
                                           SPLIT_ACTION, RepBoundaries)
from app.controllers.progress import ProgressController
from app.controllers.session import SessionController
from app.controllers.session_compare import SessionCompareController
from app.controllers.session_files import SessionFiles
from app.controllers.track_point import declare_tracked_point
from app.controllers.unsaved import UnsavedWork
from app.picture_sync import PictureSync
from app.settings import data_dir_path
from app.video_opener import OpenedVideo
from app.window.docks import WorkspaceDocks
from app.window.session_commands import SessionCommands
from app.window.session_status import SessionStatus
from app.workers import run_in_background

#: How long "Undone: …" / "Redone: …" stays in the status bar (ms).
UNDO_SAID_MS = 5000
TRAIL_MODES = ("full", "last_second", "off")


class Workspace(WorkspaceDocks, SessionCommands, SessionStatus, QObject):
    """Owns the session and drawing controllers for one main window."""

    def __init__(self, window, library_path: Path | None = None) -> None:
        super().__init__(window)
        self.win = window
        self.model = window.model
        self.sessions = SessionController(library_path or data_dir_path() / "library.sqlite3",
                                          self.model, self)
        self.progress: ProgressController | None = None
        #: the demo work last asked about ("Keep the demo work?"), not asked again
        self._demo_asked: tuple[object, ...] | None = None
        self.drawing = DrawingController(window.canvas, self._time_now, window)
        self.drawing.time_factor = lambda: self.model.time_scale().factor
        # Details edits share the drawings' undo stack (one Edit → Undo for the window)
        self.details = DetailsEdits(self.model, self.drawing.undo_stack, self)
        self._build_docks()
        self.jobs = JobRunner(self.indicator, self)
        self.ctx = AppContext(self.model, Notifier(window), self.jobs, window.settings,
                              window.player, window.canvas)
        self.analysis = AnalysisController(self.ctx, self.drawing.undo_stack,
                                           lambda: self.drawing.find(self.drawing.selected), self)
        self.compare_analysis = CompareAnalysis(self.ctx, window.compare, self.compare_panel,
                                                self.sessions.library_path, self)
        # in a comparison, tracking and the plate act on the side selected
        self.compare_sides = CompareSides(self.ctx, window.compare, self.analysis,
                                          self.compare_analysis, self.sessions.library_path,
                                          self.sessions.refresh, self)
        self.compare_library = CompareLibrary(self.ctx, window, self.sessions.library_path, self)
        self.session_compare = SessionCompareController(self, self)
        self.exports = ExportController(self.ctx, self.analysis, window.compare, self,
                                        lambda: self.compare_analysis.results)
        self.session_files = SessionFiles(window, self.sessions, self.exports, self)
        # a clip joins the open session only when the user says so (or it is damaged)
        self.clip_gate = ClipGate(window, self.sessions,
                                  lambda p: Path(p).parent == demo.demo_path().parent,
                                  window.open_path, self._start_own_session)
        window.may_show = self.clip_gate.may_show
        self.unsaved = UnsavedWork(window, self.sessions, self.form.commit,
                                   self.session_files.export_now, self)
        # before another session replaces this one: where its set on screen was left
        self.sessions.may_leave = lambda: (self.note_position()
                                           or self.unsaved.may_drop("switch"))
        self.key_moments = KeyMoments(window, self.drawing, self.moments,
                                      lambda: self.recording, self)
        self.kinovea = KinoveaFiles(window, self.indicator, self.drawing, self.exports,
                                    self.analysis, lambda: self.recording, self)
        #: the docks put away while comparing (the two pictures take their room)
        self._hidden_for_compare: list[QDockWidget] = []
        window.compare.entered.connect(self._on_compare_entered)
        window.compare.left.connect(self._on_compare_left)
        window.canvas.interaction = InteractionChain(self.analysis, self.drawing)
        self.picture_sync = PictureSync(window.player, window.canvas, self)  # never a wrong
        self.model.current_changed.connect(self.picture_sync.refresh)  # frame under a number
        self._build_actions()
        self.rep_boundaries = RepBoundaries(self.analysis, self.actions, self)
        bind_actions(self.actions, {
            **{act: (lambda n=name: self.rep_boundaries.set_boundary(n))
               for name, act in BOUNDARY_ACTIONS.items()},
            RESET_ACTION: self.rep_boundaries.reset,
            SPLIT_ACTION: self.rep_boundaries.split, MERGE_ACTION: self.rep_boundaries.merge})
        self._connect()

    def undo_or_redo(self, undo: bool) -> None:
        """Undo (or redo) the last edit and say which in the status bar, replacing what
        the edit itself said there ("Reps 5 and 6 are one rep now…" read on after the
        merge was undone)."""
        stack = self.drawing.undo_stack
        if not (stack.canUndo() if undo else stack.canRedo()):
            return
        text = stack.undoText() if undo else stack.redoText()
        (stack.undo if undo else stack.redo)()
        self.ctx.notifier.status(f"{'Undone' if undo else 'Redone'}: {text}.", UNDO_SAID_MS)

    # -- construction ---------------------------------------------------------------

    def _build_actions(self) -> None:
        """Bind the session, drawing, analysis, comparison and export actions (declared in
        ``app.actions``) to their handlers."""
        w = self.win
        d, a, ex, ca = self.drawing, self.analysis, self.exports, self.compare_analysis
        handlers = {
            "undo": lambda: self.undo_or_redo(undo=True),
            "redo": lambda: self.undo_or_redo(undo=False),
            "delete": d.delete_selected,
            "copy": d.copy_selected,
            "paste": d.paste,
            "moment": self.key_moments.add,
            "prev_moment": lambda: a.jump_rep(-1) or self.key_moments.jump(-1),
            "next_moment": lambda: a.jump_rep(1) or self.key_moments.jump(1),
            "track": a.start_seeding,
            "auto_track": a.auto_track,
            "cancel_track": a.cancel,
            "correct": self._toggle_correct,
            "clear_track": a.clear_track,
            "declare_target": lambda: declare_tracked_point(a),
            "calibrate_plate": a.calibrate_from_plate,
            "calibrate": a.calibrate_from_drawing,
            "new_session": self.new_session,
            "remove_set": lambda: self.remove_set(self.recording.id if self.recording else ""),
            "move_set": lambda: self.clip_gate.move_out(self.recording),
            "export_session": self.session_files.export_session,
            "import_session": self.session_files.import_session,
            "import_kva": self.kinovea.import_kva,
            "export_kva": self.kinovea.export_kva,
            "export_clip": ex.export_clip_dialog,
            "export_sbs": ex.export_side_by_side_dialog,
            "snapshot": ex.snapshot,
            "sheet": ex.contact_sheet_dialog,
            "export_csv": ex.export_csv,
            "report": ex.session_report,
            "compare_rep": ca.choose_rep,
            "normalised": ca.toggle_normalised,
            "ghost_align": ca.align_ghost_on_bar,
            "progress": self.show_progress,
        }
        for mode in TRAIL_MODES:
            handlers[f"trail_{mode}"] = lambda m=mode: self._set_trail(m)
        handlers["hud"] = self._toggle_hud
        for kind in TARGET_CHOICES:
            handlers[f"target_{kind}"] = lambda k=kind: self._set_target_kind(k)
        handlers["camera_motion"] = lambda: a.set_camera_compensation(
            self.actions["camera_motion"].isChecked())
        for status in ("valid", "false", "failed", "partial"):
            handlers[f"rep_{status}"] = lambda st=status: a.set_rep_status(st)
        for kind in ("start", "concentric", "bottom"):
            handlers[f"sync_{kind}"] = lambda k=kind: ca.sync_on(k)
        bind_actions(w.actions_by_id, handlers)
        self.actions = w.actions_by_id
        # how the picture was last shown: remembered (turned off, they were on again
        # after a restart)
        a.hud_shown = self.win.settings.show_hud
        self.actions["hud"].setChecked(a.hud_shown)
        self._set_trail(self.win.settings.trail_mode, remember=False)
        self.actions[f"target_{a.target_kind}"].setChecked(True)
        self.actions["camera_motion"].setChecked(a.camera_compensation)
        self.actions["undo"].setEnabled(False)
        self.actions["redo"].setEnabled(False)
        d.undo_stack.canUndoChanged.connect(self.actions["undo"].setEnabled)
        d.undo_stack.canRedoChanged.connect(self.actions["redo"].setEnabled)
        # "Undo Draw line", "Redo Calibrate": the menu says what the key will undo
        for kind, signal in (("undo", d.undo_stack.undoTextChanged),
                             ("redo", d.undo_stack.redoTextChanged)):
            act, base = self.actions[kind], self.actions[kind].text()
            signal.connect(lambda t, a=act, b=base: isValid(a) and a.setText(f"{b} {t}".rstrip()))
        self.saved_comparisons = w.menus["Compare"].addMenu("Saved &comparisons")
        self.saved_comparisons.setEnabled(False)

    def _connect(self) -> None:
        s, d, w = self.sessions, self.drawing, self.win
        self.palette_sync = PaletteSync(d, self.palette, w.statusBar(), self)
        m = self.model
        d.changed.connect(lambda: self.recording and m.annotations_were_edited(self.recording))
        m.session_changed.connect(self._on_session_changed)
        m.session_edited.connect(self._on_session_edited)
        m.current_changed.connect(self._on_current_changed)
        m.calibration_changed.connect(self._on_calibration_changed)
        # key moments are listed in real time: another capture rate moves their times
        m.capture_changed.connect(lambda _rec: self.key_moments.refresh())
        self.panel.seek_requested.connect(self.analysis.seek_time)
        self.panel.rep_chosen.connect(self.analysis.seek_rep)
        self.panel.rep_menu_requested.connect(
            lambda n, pos: self.rep_boundaries.table_menu(n, pos, self.panel))
        self.panel.boundary_moved.connect(
            lambda n, name: self.rep_boundaries.set_boundary(name, n))
        self.panel.action_texts = {k: self.actions[k].text().replace("&", "")
                                   for k in ("calibrate_plate", "calibrate")}
        self.panel.calibrate_requested.connect(self.actions["calibrate_plate"].trigger)
        w.player.position_changed.connect(self._on_player_position)
        s.sessions_listed.connect(self._on_sessions_listed)
        s.save_state_changed.connect(self._on_save_state)
        self.notices = LibraryNotices(w, s, self._on_save_state, self)
        self.form.edited.connect(self._on_details_edited)
        self.form.set_load_edited.connect(self._on_set_load_edited)
        self.form.typing_finished.connect(self.details.finish_typing)
        self.form.refused.connect(lambda text: w.statusBar().showMessage(text, 15000))
        self.browser.filters_changed.connect(lambda f: s.refresh(**f))
        self.browser.open_requested.connect(self.open_session)
        self.browser.new_requested.connect(self.new_session)
        self.browser.rename_requested.connect(self.rename_session)
        self.browser.duplicate_requested.connect(s.duplicate)
        self.browser.delete_requested.connect(self.delete_session)
        self.browser.recording_chosen.connect(self.open_recording)
        self.browser.add_recording_requested.connect(lambda: w.choose_file("add"))
        self.browser.remove_recording_requested.connect(self.remove_set)
        w.video_opened.connect(self._on_video_opened)
        w.compare.entered.connect(self._save_comparison)
        w.compare.changed.connect(self._save_comparison)

    # -- start-up -------------------------------------------------------------------

    def start(self, video: str | None, demo_when_empty: bool) -> None:
        """Open ``video`` on its own (a session of its own, the last one left as it is;
        a set of the last session opens as that set), or else the last session at the set
        left on screen (an empty one asks for a video of a set), or, on a first start
        with no session at all, the demo (a coach's own library with nothing to reopen
        starts on the welcome view).

        The library is opened once before it is listed: on a first run the two would
        otherwise both create it at the same time.
        """
        self.notices.starting = True

        def after(found: bool) -> None:
            self.notices.started()  # what went wrong meanwhile, in one message
            self.sessions.refresh()
            session = self.sessions.session
            if video and not found:  # (found: it is a set of the last session, shown)
                self.clip_gate.open_chosen(video, "own")
            elif not video and demo_when_empty and not found and session is None \
                    and not self.sessions.listed_any:  # (session: the user made or opened
                self.win.open_demo()  # one meanwhile)

        self.sessions.open_last(after, holding=os.path.abspath(video) if video else "")

    def _start_own_session(self) -> bool:
        """A clip opened on its own: a new session of its own (False: the user kept the
        open session, to save its edits first)."""
        self.keep_demo_work()
        return self.sessions.new_session(for_clip=True) is not None

    # -- video <-> recording -----------------------------------------------------------

    @property
    def recording(self) -> Recording | None:
        """The recording on screen (the model's current one)."""
        return self.model.current

    def keep_demo_work(self) -> None:
        """Before the demo clip leaves the screen: when the user worked on it (a track, a
        scale, drawings, rep corrections), ask whether to keep that, in a session of its
        own (:data:`app.demo.SESSION_NAME`); the open session, or the one the next clip
        starts, is the lifter's own (README: the demo clip stays out of sessions)."""
        rec = self.recording
        session = self.sessions.session
        if rec is None or Path(rec.video_path).parent != demo.demo_path().parent:
            return
        if session is not None and any(r is rec for r in session.recordings):
            return
        if rec.track is None and rec.calibration is None and not rec.annotations \
                and not rec.rep_overrides:
            return
        work = (rec.id, len(rec.annotations), id(rec.track), id(rec.calibration),
                id(rec.rep_overrides))
        if self._demo_asked == work:  # asked already for this work (a double-click on a
            return  # session opens it twice: asked twice, and kept twice on Yes)
        self._demo_asked = work
        if not dialogs.ask_yes(self.win, "Keep the demo work?",
                               "You tracked, calibrated or drew on the demo clip. Keep that "
                               f"work in a session of its own, “{demo.SESSION_NAME}”? It stays out "
                               "of your lifters' sessions. (No: it is discarded.)"):
            return
        if self.sessions.keep_aside(rec, name=demo.SESSION_NAME, lifter="Demo") is not None:
            self.win.statusBar().showMessage(
                f"The demo work is kept in the session “{demo.SESSION_NAME}”; your own clips "
                "go to your sessions.", 8000)

    def _on_video_opened(self, path: str, opened: OpenedVideo) -> None:
        """The window shows a new clip: make its recording the current one in the model.
        A set opened again (from the set list, or after a restart) opens at the frame the
        user left it on, not at frame 1 (``Recording.left_at``, saved with the session)."""
        self.note_position()
        self.form.commit()  # a set's load still typed is that set's, not the new clip's
        bare_demo = Path(path).parent == demo.demo_path().parent and \
            self.sessions.find_recording(path, opened.fingerprint) is None
        if not bare_demo:
            self.keep_demo_work()
        if bare_demo:  # (the demo opened as a set of the session its work was kept in
            # is that set: its drawings were shown as a bare demo's, none)
            # the demo is for trying things out: its drawings are not kept
            self.model.set_current(Recording(path, opened.size, opened.fingerprint),
                                   opened.index)
            self.win.statusBar().showMessage("Demo clip: try the tools. It is not part of a "
                                             "session; when you leave it you are asked whether "
                                             "to keep your work on it.", 8000)
            return
        rec = self.sessions.add_recording(path, opened.size, opened.fingerprint)
        self.model.set_current(rec, opened.index)
        if rec.left_at is not None and self.win.player.index is opened.index:
            back_at = opened.index.frame_at_time(rec.left_at)
            if back_at > 0:
                self.win.player.seek(back_at)

    def note_position(self) -> None:
        """Keep the frame on screen as where the user left the set on screen (its
        timestamp, saved with the session): before another clip or session replaces it,
        and on closing."""
        rec, idx, player = self.model.current, self.model.video, self.win.player
        if rec is not None and idx is not None and player.index is idx \
                and 0 <= player.position < idx.frame_count:
            self.model.set_left_at(rec, float(idx.times[player.position]))

    def _on_current_changed(self, rec: Recording | None) -> None:
        self.drawing.set_recording(rec)
        cal = rec.calibration if rec else None
        self.drawing.m_per_px = cal.m_per_px if cal is not None else None
        self.key_moments.refresh()
        self._on_session_edited()

    def _on_calibration_changed(self, rec: Recording) -> None:
        if rec is self.recording:
            self.drawing.m_per_px = rec.calibration.m_per_px if rec.calibration else None
            self.win.canvas.update()

    def _on_player_position(self, n: int) -> None:
        idx = self.model.video
        if idx is not None and self.model.comparison is None and 0 <= n < idx.frame_count:
            self.panel.set_time(self.model.time_scale().real(float(idx.times[n])))

    def open_recording(self, rec_id: str) -> None:
        """Open a recording of the session, finding its video again if it moved."""
        session = self.sessions.session
        rec = session.recording(rec_id) if session else None
        if rec is None:
            return
        if self.recording is rec and self.win.video_path == rec.video_path:
            return
        search = [Path(p).parent for p in (self.win.settings.recent_files or [])]

        def found(paths: list[Path]) -> None:
            if paths:
                self.win.open_path(str(paths[0]))
            else:
                self._relink(rec)

        run_in_background(lambda: locate_video(rec, None, search[:10]), found,
                          lambda exc: self._relink(rec))

    def _relink(self, rec: Recording) -> None:
        name = os.path.basename(rec.video_path)
        answer = dialogs.ask_yes(self.win, "Video not found",
            f"The video of set {rec.set_number}, “{name}”, is no longer at\n{rec.video_path}\n\n"
            "It may have been moved or renamed. Locate it now? Your drawings and notes stay "
            "with the session either way.")
        if not answer:
            return
        path = dialogs.ask_open_path(self.win, f"Locate {name}",
                                              str(Path(rec.video_path).parent))
        if not path:
            return
        old = (rec.video_size, rec.video_fingerprint)
        describe_video(rec, path)
        if old[1] and rec.video_fingerprint != old[1]:
            dialogs.tell(self.win, "Different video",
                                    "This file is not the same as the original video; the "
                                    "drawings may not line up. It is linked as you asked.")
        self.sessions.mark_dirty()
        self.win.open_path(path)

    # -- drawings and key moments ------------------------------------------------------

    def _time_now(self) -> float:
        shown = self.win.player.shown
        return shown.time if shown is not None else 0.0

    def _toggle_correct(self) -> None:
        self.analysis.correcting = self.actions["correct"].isChecked()
        if self.analysis.correcting:
            self.win.statusBar().showMessage("Drag the bar point on any frame; tracking resumes "
                                             "from there and keeps your points.", 8000)

    def _set_target_kind(self, kind: str) -> None:
        self.analysis.set_target_kind(kind)
        for k in TARGET_CHOICES:
            self.actions[f"target_{k}"].setChecked(k == kind)

    def _set_trail(self, mode: str, remember: bool = True) -> None:
        self.analysis.trail_mode = mode
        if remember:
            self.win.settings.trail_mode = mode
        for m in TRAIL_MODES:
            self.actions[f"trail_{m}"].setChecked(m == mode)
        self.win.canvas.update()

    def _toggle_hud(self) -> None:
        self.analysis.hud_shown = self.actions["hud"].isChecked()
        self.win.settings.show_hud = self.analysis.hud_shown
        self.win.canvas.update()

    def shutdown(self) -> None:
        self.form.commit()  # a detail typed just before closing is stored, not lost
        self.analysis.cancel()
        self.exports.cancel()
        self.sessions.shutdown()
