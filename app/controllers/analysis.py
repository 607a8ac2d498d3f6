"""Bar tracking and lift analysis in the app: seed, track in the background, correct,
calibrate, and keep the analysis of the recording on screen up to date in the model.

The track, the calibration and the rep corrections are stored in the recording (the
inputs) through the document model; every change is an undoable command. Whenever an
input of the recording on screen changes, the analysis is recomputed in the background
and handed to the model (``analysis_ready``), which the panel and timeline follow.
Commands ask first (``app.dialogs``), then act.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QUndoStack

from analysis.annotations.model import Annotation
from analysis.export.hud import hud_lines
from analysis.lift.attempts import AttemptOverlay, attempt_overlay
from analysis.lift.exercises import lift_for, weightlifting_for
from analysis.lift.gaps import trail_positions
from analysis.lift.rep_edit import rep_at
from analysis.lift.result import AnalysisResult
from analysis.session.analyze import analyze_recording, session_settings
from analysis.session.calibration import Calibration
from analysis.session.document import Recording
from analysis.session.overrides import Overrides
from analysis.tracking import STATE_LOST, BarTracker, Track
from analysis.tracking.host import SLID_NOTE_START
from analysis.tracking.track import TARGET_POINT
from analysis.video.capture import TimeScale
from analysis.video.source import VideoSource
from app import dialogs
from app.context import AppContext
from app.controllers.plate_finding import PlateFinding
from app.controllers.subject import MAIN, Subject
from app.jobs import Job
from app.undo_commands import ModelEdit
from widgets.overlay_painter import (
    SCREEN_MIN_TEXT_PX,
    drawing_rects,
    paint_attempts,
    paint_hud,
    paint_trail,
)

log = logging.getLogger(__name__)

# What a seed click can mark (Analysis → What the click marks); see analysis.tracking.targets
TARGET_CHOICES = ("auto", "plate", "bar_end", "point")
SEED_HINTS = {
    "auto": "Click the centre of the plate (or the bar end, or a marker) to track it.",
    "plate": "Click inside the plate: its centre (the centre of its rim) is tracked.",
    "bar_end": "Click the end of the bar to track it.",
    "point": "Click the marker or point to track.",
}


# -- the actions themselves (no questions asked): tests call these directly -----------------

def set_track(model, undo: QUndoStack, rec: Recording, track: Track | None, text: str) -> None:
    undo.push(ModelEdit(text, lambda v: model.set_track(rec, v), rec.track, track))


def set_calibration(model, undo: QUndoStack, rec: Recording, cal: Calibration | None,
                    text: str = "Calibrate") -> None:
    undo.push(ModelEdit(text, lambda v: model.set_calibration(rec, v), rec.calibration, cal))


def set_capture_fps(model, undo: QUndoStack, rec: Recording, fps: float) -> None:
    undo.push(ModelEdit("Set slow-motion capture rate",
                        lambda v: model.set_capture_fps(rec, v), rec.capture_fps,
                        float(fps) if fps and fps > 0 else 0.0))


def set_overrides(model, undo: QUndoStack, rec: Recording, overrides: Overrides,
                  text: str) -> None:
    undo.push(ModelEdit(text, lambda v: model.set_overrides(rec, v), rec.rep_overrides,
                        overrides))


def calibration_from_drawing(a: Annotation, mm: float) -> Calibration:
    """The scale from a drawn circle around a plate of ``mm`` diameter, or a line of ``mm``.

    Raises
    ------
    ValueError
        When the drawing is too small to measure (under 5 px).
    """
    (x0, y0), (x1, y1) = a.points[0], a.points[1]
    d = float(np.hypot(x1 - x0, y1 - y0))
    px, source = (2 * d, f"plate {mm:.0f} mm (drawn circle)") if a.type == "circle" else \
        (d, f"line of {mm:.0f} mm")
    if px < 5:
        raise ValueError("The drawing is too small to measure.")
    return Calibration(mm / 1000.0 / px, source, px)


class AnalysisController(PlateFinding, QObject):
    """Owns tracking jobs and keeps the analysis of the recording on screen current."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack,
                 selected_drawing: Callable[[], Annotation | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = ctx.model
        self.undo_stack = undo_stack
        self._selected_drawing = selected_drawing
        self.track: Track | None = None  # what the video shows: a copy while correcting
        self.job: Job | None = None
        self.seeding = False
        self.correcting = False
        self.trail_mode = "full"  # "full", "last_second", "off"
        #: the data overlay on the picture (rep, live velocity, finished reps), as the
        #: annotated export burns it in by default: what is exported is what was seen
        self.hud_shown = True
        self._hud: tuple[AnalysisResult, float, Callable[[float], list[str]]] | None = None
        self.target_kind = "auto"  # what a click marks: auto, plate, bar_end, point
        self.camera_compensation = True  # take a hand-held camera's motion out of the path
        self._candidate: tuple[float, float, float] | None = None
        self._candidate_canvas = ctx.canvas  # the canvas that circle is shown on
        #: in a comparison: the subject of a side (its number, None: the selected one), set
        #: by the comparison; analysis actions then act on that side, not the hidden video
        self.compare_subject: Callable[[int | None], Subject | None] | None = None
        self._drag: tuple[int, tuple[float, float]] | None = None
        self._serial = 0
        self._plate_job: Job | None = None  # the plate measurement running, if any
        self._plate_for: Recording | None = None  # the recording it measures
        self._overlay: tuple[AnalysisResult | None, AttemptOverlay | None] = (None, None)
        self._trail: tuple[object, Any] = (None, None)
        ctx.canvas.overlays.append(self.paint_candidate)
        ctx.canvas.overlays.append(self._paint_trail)
        ctx.jobs.indicator.cancel_requested.connect(self.cancel)
        m = self.model
        m.current_changed.connect(self._on_current_changed)
        for event in (m.track_changed, m.calibration_changed, m.overrides_changed,
                      m.capture_changed):
            event.connect(self._on_inputs_changed)
        m.analysis_ready.connect(self._on_analysis_ready)
        m.session_edited.connect(self._on_session_edited)
        self._lift = self._profile()

    # -- following the model ----------------------------------------------------------

    @property
    def recording(self) -> Recording | None:
        return self.model.current

    @property
    def result(self) -> AnalysisResult | None:
        return self.model.analysis(self.model.current)

    def subject(self, side: int | None = None) -> Subject | None:
        """What an analysis action acts on: in a comparison its selected side (or side
        ``side``), else the recording on screen; None when there is none."""
        if self.model.comparison is not None and self.compare_subject is not None:
            return self.compare_subject(side)
        rec, index, player = self.model.current, self.model.video, self.ctx.player
        if rec is None or index is None:
            return None
        return Subject(rec, rec.video_path, index, self.ctx.canvas, lambda: player.position,
                       lambda: player.shown, player.seek)

    def on_screen(self, rec: Recording) -> bool:
        """Whether ``rec`` is still shown: the recording on screen or a comparison side's
        (a result that comes back after the user left it is not applied to it)."""
        cmp = self.model.comparison
        return rec is self.recording or (
            cmp is not None and any(side.recording is rec for side in cmp.sides))

    def attempt_overlay(self) -> AttemptOverlay | None:
        """The attempts' overlay (phase colours, lift-off line, peak and catch labels) of
        the analysis on screen, None unless it is a snatch, clean or jerk."""
        r = self.result
        if self._overlay[0] is not r:
            self._overlay = (r, attempt_overlay(r) if r is not None else None)
        return self._overlay[1]

    def trail_xy(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The track's positions the bar-path overlay draws, NaN where it is not the bar
        (lost, a glitch, a fade after a cut: :func:`analysis.lift.gaps.trail_positions`)."""
        tr = self.track
        if tr is None or (self.job is not None and self.job.running):
            return None  # while tracking (the track grows): its positions as they come
        key = (id(tr), len(tr), hash(tr.x.tobytes()), hash(tr.state.tobytes()))
        if self._trail[0] != key:
            self._trail = (key, trail_positions(tr.t, tr.x, tr.y, tr.state, tr.confidence))
        return self._trail[1]

    def _profile(self) -> tuple[object, ...]:
        """What of the session decides the numbers: the lift profile of its exercise and
        the prescribed tempo each rep is checked against."""
        ex = self.model.exercise
        return lift_for(ex), weightlifting_for(ex), session_settings(self.model.session)

    def _on_session_edited(self, _session: object) -> None:
        if self._profile() != self._lift:  # another exercise or tempo: measure again
            self._on_inputs_changed(self.model.current)

    def _on_current_changed(self, rec: Recording | None) -> None:
        self.cancel()
        self.seeding = False
        self._on_inputs_changed(rec)

    def _on_inputs_changed(self, rec: Recording | None) -> None:
        if rec is not self.recording:
            return
        # a copy: dragging the point edits it until tracking resumes
        self.track = rec.track.copy() if rec is not None and rec.track is not None else None
        self.analyse()
        self.ctx.canvas.update()

    def _on_analysis_ready(self, rec: Recording | None) -> None:
        """The new analysis of the recording on screen: the data overlay and the attempts
        drawn on the picture are repainted with its numbers at once (a rep boundary, a
        status, a reset, undo or redo drop the analysis, and the picture drawn meanwhile
        has no overlay: it stayed away until the next frame step)."""
        if rec is self.recording:
            self.ctx.canvas.update()

    # -- slow motion ----------------------------------------------------------------

    def time_scale(self) -> TimeScale:
        """File time -> real time of the recording on screen: the user's capture rate
        (saved with the recording), else the file's (slow motion), else real time."""
        return self.model.time_scale()

    def set_capture_fps(self, fps: float) -> None:
        """Store the frames per real second the recording was filmed at (0 = go by the
        file); undoable, saved in the session, and every number follows it."""
        rec = self.recording
        if rec is not None and (float(fps) if fps and fps > 0 else 0.0) != rec.capture_fps:
            set_capture_fps(self.model, self.undo_stack, rec, fps)

    def m_per_px(self) -> float | None:
        cal = self.recording.calibration if self.recording else None
        return cal.m_per_px if cal is not None else None

    def analyse(self) -> None:
        """Recompute the analysis of the recording on screen (in the background)."""
        rec = self.recording
        self._serial += 1
        if rec is None:
            return
        serial = self._serial
        snapshot = dataclasses.replace(rec)  # fields are replaced on edit, never mutated
        exercise = self.model.exercise
        self._lift = self._profile()
        settings = session_settings(self.model.session)
        ts = self.time_scale()  # slow motion: every number in real time

        def done(result: AnalysisResult | None) -> None:
            if serial == self._serial:
                self.model.set_analysis(rec, result)

        def failed(exc: BaseException) -> None:
            if serial == self._serial:
                self.model.set_analysis(rec, None, str(exc))

        self.ctx.jobs.run(lambda: analyze_recording(snapshot, exercise, settings,
                                                      time_scale=ts), done,
                          failed)

    # -- tracking -------------------------------------------------------------------

    def start_seeding(self) -> None:
        """The next click on the video (in a comparison: on either side) is the bar end or
        plate centre to follow."""
        s = self.subject()
        if s is None:
            if self.model.comparison is None:
                dialogs.tell(self.ctx.notifier.parent, "Track the bar", "Open a video first.")
            return
        self.seeding = True
        s.canvas.setCursor(Qt.CrossCursor)
        self._seed_canvas = s.canvas
        self._seed_hint()

    def _stop_seeding(self) -> None:
        self.seeding = False
        getattr(self, "_seed_canvas", self.ctx.canvas).unsetCursor()

    def seed_click(self, side: int, p: tuple[float, float]) -> bool:
        """A click on side ``side`` of a comparison (image px): while seeding, track the
        point clicked in that side's video from the frame it shows; False otherwise."""
        if not self.seeding:
            return False
        self._stop_seeding()
        s = self.subject(side)
        if s is not None:
            self.start_tracking(s.position(), p, subject=s)
        return True

    def set_target_kind(self, kind: str) -> None:
        """What the next seed click marks: one of :data:`TARGET_CHOICES` (``auto``: the
        plate centre for a click near a found plate's centre, else the bar end or point).

        Raises
        ------
        ValueError
            For any other kind.
        """
        if kind not in TARGET_CHOICES:
            raise ValueError(f"unknown target kind {kind!r}")
        self.target_kind = kind
        if self.seeding:
            self._seed_hint()

    def set_camera_compensation(self, on: bool) -> None:
        """Take a hand-held camera's motion out of the next tracks (on by default)."""
        self.camera_compensation = bool(on)

    def _seed_hint(self) -> None:
        hint = SEED_HINTS[self.target_kind]
        if self.model.comparison is not None:
            hint = hint.replace("Click", "Click in either video:", 1)
        self.ctx.notifier.status(hint, 15000)

    def start_tracking(self, frame: int, xy: tuple[float, float],
                       anchors: dict[int, tuple[float, float]] | None = None,
                       start: int = 0, plate: bool = False,
                       subject: Subject | None = None) -> None:
        """Track from ``xy`` at ``frame`` forward to the end and backward to ``start`` (a
        correction passes its own frame: the track before it is kept); ``plate``: ``xy`` is
        the centre of a plate the lifter chose (Find the plate), not a click. ``subject``:
        the video to track (default: :meth:`subject`)."""
        s = subject or self.subject()
        if s is None:
            return
        rec, index, path = s.recording, s.video, s.path
        self.cancel()
        self.ctx.notifier.clear()  # the hint to click is done with (progress: status bar)
        main = s.side == MAIN  # the main view shows the track as it grows
        base = self.track.copy() if (main and self.track is not None and anchors) else None
        old = rec.track
        target = "auto" if base is not None else self.target_kind  # a correction: same kind
        camera = self.camera_compensation

        def work(progress, partial, cancelled):
            with VideoSource(path, index) as src:
                return BarTracker().track(src, frame, xy, anchors=anchors, base=base,
                                          start=start if base is not None else 0,
                                          progress=progress, cancel=cancelled,
                                          partial=lambda tr: partial(tr.copy()),
                                          target=target, camera=camera)

        self.job = self.ctx.jobs.start(f"{s.name}tracking the bar" if s.name
                                       else "Tracking the bar", work,
                                       lambda tr: self._on_tracked(rec, old, tr, plate, s.name),
                                       self._on_job_failed,
                                       partial=self._on_partial if main else None,
                                       cancelled=self._on_job_cancelled)

    def cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()

    def _on_partial(self, tr: Track) -> None:
        self.track = tr
        self.ctx.canvas.update()

    def _on_tracked(self, rec: Recording, old: Track | None, tr: Track,
                    plate: bool = False, who: str = "") -> None:
        self.job = None
        self.ctx.notifier.clear()
        spans = tr.lost_spans()
        said = [f"{who}Tracked the {tr.target_name}."]
        if plate and tr.target == TARGET_POINT:  # nothing was clicked: "the point clicked"
            said = ["Tracked the plate chosen, its centre followed by how it looks (its rim "
                    "could not be followed)."]
        said += [n[0].upper() + n[1:] + "." for n in tr.notes
                 if n.startswith(("the camera moved", SLID_NOTE_START))]
        if spans:
            t = tr.t
            where = ", ".join(f"{t[a]:.1f}–{t[b]:.1f} s" for a, b in spans[:4])
            said.append(f"Tracking lost the bar at {where} (cut, occlusion or out of the "
                        "picture); those frames are left out. Drag the point there to correct.")
        self.ctx.notifier.status(" ".join(said), 15000)
        set_track(self.model, self.undo_stack, rec, tr, "Track the bar")

    def _on_job_failed(self, message: str) -> None:
        self.job = None
        self._on_inputs_changed(self.recording)
        dialogs.warn(self.ctx.notifier.parent, "Tracking stopped",
                     f"Tracking could not finish: {message}")

    def _on_job_cancelled(self) -> None:
        self.job = None
        self._on_inputs_changed(self.recording)  # back to the stored track
        self.ctx.notifier.status("Tracking cancelled; the previous track is kept.", 6000)

    def clear_track(self) -> None:
        s = self.subject()
        rec = s.recording if s is not None else None
        if rec is not None and rec.track is not None:
            set_track(self.model, self.undo_stack, rec, None, "Clear the track")

    # -- finding the plate, calibration ------------------------------------------------

    @property
    def measuring_plate(self) -> bool:
        """True while a plate is being measured for the recording on screen (its numbers
        are about to change from px to metres); not for a clip left meanwhile, whose scale
        will not be applied."""
        return (self._plate_job is not None and self._plate_job.running
                and (self._plate_for is None or self._plate_for is self.recording))

    def _short_job(self, what: str, title: str, work: Any, done: Callable[[Any], None]) -> Job:
        """Run ``work`` in the background with ``what…`` in the status bar; ``done(result)``
        runs on the GUI thread, a failure is shown in a dialog titled ``title``."""
        return self.ctx.jobs.start(what, work, done, lambda m: dialogs.warn(
            self.ctx.notifier.parent, title, dialogs.sentence(m)))

    def calibrate_from_drawing(self) -> None:
        """Scale from the selected circle (a plate) or line/distance (a known length)."""
        a = self._selected_drawing()
        parent = self.ctx.notifier.parent
        rec = self.recording
        if rec is None or a is None or a.type not in ("circle", "line", "distance"):
            dialogs.tell(parent, "Calibrate",
                         "Draw a circle around a plate (or a line along something of known "
                         "length), select it, then choose Calibrate again.")
            return
        mm = dialogs.ask_plate_diameter(parent, "this plate") if a.type == "circle" else \
            dialogs.ask_known_length(parent)
        if mm is None:
            return
        try:
            cal = calibration_from_drawing(a, mm)
        except ValueError as exc:
            dialogs.warn(parent, "Calibrate", str(exc))
            return
        set_calibration(self.model, self.undo_stack, rec, cal)

    # -- reps -----------------------------------------------------------------------

    def time_now(self) -> float:
        """Real time (s) of the frame shown (slow motion counted)."""
        shown = self.ctx.player.shown
        return self.time_scale().real(shown.time) if shown is not None else 0.0

    def seek_time(self, t: float) -> None:
        """Show the frame at real time ``t`` (s), as the analysis counts it."""
        idx = self.model.video
        if idx is not None:
            self.ctx.player.pause()
            self.ctx.player.seek(idx.frame_at_time(self.time_scale().file(t)))

    def rep_frame(self, t: float) -> int | None:
        """The frame that shows a rep starting at real time ``t`` (s): the first frame at or
        after it, since a rep's start falls between frames and the frame before it still
        belongs to the previous rep; None without a video."""
        idx = self.model.video
        if idx is None or idx.frame_count == 0:
            return None
        ft = self.time_scale().file(t)
        n = idx.frame_at_time(ft)
        if float(idx.times[n]) < ft - 1e-6 and n + 1 < idx.frame_count:
            n += 1
        return n

    def seek_rep(self, t: float) -> None:
        """Show the frame of a rep starting at real time ``t`` (s): see :meth:`rep_frame`."""
        n = self.rep_frame(t)
        if n is not None:
            self.ctx.player.pause()
            self.ctx.player.seek(n)

    def jump_rep(self, direction: int) -> bool:
        """Ctrl+←/→: previous / next rep start; False when there are no reps.

        Compared as frames, not times: the frame shown for a rep is just after its start,
        so by time the playhead on rep N is "after" rep N and ← would find rep N again."""
        r = self.result
        if r is None or not r.reps:
            return False
        now = self.ctx.player.position  # the frame asked for, even if not yet on screen
        frames = sorted({n for n in (self.rep_frame(rep.start) for rep in r.reps)
                         if n is not None})
        nxt = [n for n in frames if n > now] if direction > 0 else [n for n in frames if n < now]
        if nxt:
            self.ctx.player.pause()
            self.ctx.player.seek(nxt[0] if direction > 0 else nxt[-1])
        return True

    def set_rep_status(self, status: str, number: int | None = None) -> None:
        """Mark the rep under the playhead (or rep ``number``) false / failed / partial /
        ok (undoable)."""
        rec, r = self.recording, self.result
        if rec is None or r is None:
            return
        rep = next((x for x in r.reps if x.number == number), None) if number is not None \
            else rep_at(r.reps, self.time_now())
        if rep is None:
            self.ctx.notifier.status("Move the playhead into a rep first.", 5000)
            return
        new = rec.rep_overrides.with_status(rep.start, rep.end, rep.turn_time, status)
        set_overrides(self.model, self.undo_stack, rec, new, f"Mark rep {rep.number} {status}")

    # -- the trail on the video, and dragging the point to correct it -----------------

    def paint_candidate(self, p: QPainter, canvas) -> None:  # type: ignore[no-untyped-def]
        """The circle shown in cyan (a found plate, a measured rim) on the canvas of the
        video it was found in."""
        cand = self._candidate
        if cand is not None and canvas is self._candidate_canvas:
            p.setPen(QPen(QColor(0, 230, 255), 3 * canvas.screen_px()))
            p.setBrush(Qt.NoBrush)
            p.drawEllipse(QPointF(cand[0], cand[1]), cand[2], cand[2])

    def _paint_trail(self, p: QPainter, canvas) -> None:
        tr = self.track
        if tr is None or canvas.frame is None:
            return
        n = canvas.frame.index
        if n >= len(tr):
            return
        xs, ys = self.trail_xy() or (tr.x, tr.y)
        paint_trail(p, tr.t, xs, ys, n, canvas.image_size(), self.trail_mode,
                    anchor=tr.state[n] == 2)
        ov = self.attempt_overlay()
        if ov is not None and len(ov.phase) == len(tr):
            paint_attempts(p, ov, xs, ys, n, canvas.image_size(),
                           path=self.trail_mode != "off")
        self._paint_hud(p, canvas)
        if tr.state[n] == STATE_LOST:
            p.resetTransform()
            p.setPen(QColor(255, 200, 60))
            p.drawText(12, canvas.height() - 14, "Bar lost in this frame: drag it into place "
                       "(Analysis → Correct track) or leave it out")

    def _paint_hud(self, p: QPainter, canvas) -> None:  # type: ignore[no-untyped-def]
        """The data overlay of the frame on screen, drawn as the export draws it."""
        r = self.result
        if not self.hud_shown or r is None or canvas.frame is None or \
                self._candidate is not None:  # a circle being judged: nothing over it
            return
        factor = self.time_scale().factor
        if self._hud is None or self._hud[0] is not r or self._hud[1] != factor:
            self._hud = (r, factor, hud_lines(r, factor))
        rec = self.recording
        paint_hud(p, self._hud[2](canvas.frame.time), canvas.image_size(),
                  avoid=drawing_rects(rec.annotations if rec else [], canvas.image_size(),
                                      SCREEN_MIN_TEXT_PX * canvas.screen_px()))

    def press(self, p, event) -> bool:
        if self.seeding:
            self._stop_seeding()
            self.start_tracking(self.ctx.player.position, p)
            return True
        tr = self.track
        if not self.correcting or tr is None:
            return False
        n = self.ctx.player.position
        if n < len(tr):
            cx, cy = tr.x[n], tr.y[n]
            near = not np.isfinite(cx) or np.hypot(p[0] - cx, p[1] - cy) < \
                25 * self.ctx.canvas.screen_px()
            if near:
                self._drag = (n, p)
                return True
        return False

    def move(self, p, event) -> bool:
        if self._drag is None or self.track is None:
            return False
        n, _ = self._drag
        self._drag = (n, p)
        self.track.x[n], self.track.y[n] = p
        return True

    def release(self, p, event) -> bool:
        if self._drag is None or self.recording is None:
            return False
        n, _ = self._drag
        self._drag = None
        stored = self.recording.track
        anchors = stored.anchors() if stored is not None else {}
        anchors[n] = (float(p[0]), float(p[1]))
        # from the corrected frame on: the track before it was right (re-tracking it
        # backward from the new point overwrote good frames before a correction)
        self.start_tracking(n, (float(p[0]), float(p[1])), anchors, start=n)
        return True
