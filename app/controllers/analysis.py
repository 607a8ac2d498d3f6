"""Bar tracking and lift analysis in the app: seed, track in the background, correct,
calibrate, analyse, and show it all in the side panel and on the video.

The track, the calibration and the rep edits are stored in the recording (the
inputs); the analysis itself is recomputed whenever one of them changes.
"""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QUndoCommand
from PySide6.QtWidgets import QInputDialog, QMessageBox

from analysis.calibration.scale import measure_plate, plate_candidates
from analysis.lift.result import AnalysisResult
from analysis.session.analyze import analyze_recording, recording_time_scale
from analysis.session.calibration import Calibration
from analysis.tracking import STATE_LOST, BarTracker, Track
from analysis.video.capture import TimeScale
from analysis.video.source import VideoSource
from app.dialogs import ask_plate_choice
from app.jobs import Job
from app.workers import run_in_background
from widgets.analysis_panel import PanelData, RepView
from widgets.overlay_painter import paint_trail
from widgets.timeline import TimelineMark

log = logging.getLogger(__name__)
PLATE_PRESETS_MM = (450.0, 445.0, 425.0)


class _TrackEdit(QUndoCommand):
    """Replace the stored track (and calibration) of a recording; undoable."""

    def __init__(self, ctl: AnalysisController, rec, key: str, old, new, text: str) -> None:
        super().__init__(text)
        self.ctl, self.rec, self.key, self.old, self.new = ctl, rec, key, old, new

    def redo(self) -> None:
        setattr(self.rec, self.key, self.new)
        self.ctl._on_inputs_changed(self.rec)

    def undo(self) -> None:
        setattr(self.rec, self.key, self.old)
        self.ctl._on_inputs_changed(self.rec)


class AnalysisController(QObject):
    """Owns tracking jobs and the analysis of the current recording."""

    analysed = Signal(object)  # AnalysisResult | None

    def __init__(self, window, workspace, panel, indicator) -> None:
        super().__init__(window)
        self.win, self.ws, self.panel, self.indicator = window, workspace, panel, indicator
        self.track: Track | None = None
        self.result: AnalysisResult | None = None
        self.job: Job | None = None
        self.seeding = False
        self.correcting = False
        self.trail_mode = "full"  # "full", "last_second", "off"
        self._drag = None
        self._serial = 0
        window.canvas.overlays.append(self._paint_trail)
        indicator.cancel_requested.connect(self.cancel)
        panel.seek_requested.connect(self._seek_time)
        panel.rep_chosen.connect(self._seek_time)
        window.player.position_changed.connect(self._on_position)

    # -- recording ------------------------------------------------------------------

    @property
    def recording(self):
        return self.ws.recording

    def recording_changed(self) -> None:
        self.cancel()
        self._on_inputs_changed(self.recording)

    def _on_inputs_changed(self, rec) -> None:
        if rec is not self.recording:
            return
        # a copy: dragging the point edits it until tracking resumes
        self.track = rec.track.copy() if rec is not None and rec.track is not None else None
        self.ws.sessions.mark_dirty()
        self._show_time_scale()
        self.analyse()
        self.win.canvas.update()

    # -- slow motion ----------------------------------------------------------------

    def time_scale(self) -> TimeScale:
        """File time -> real time of the current recording: the user's capture rate
        (saved with the recording), else the file's (slow motion), else real time."""
        idx = self.win.player.index
        rec = self.recording
        if idx is None:
            return TimeScale()
        if rec is None:
            return TimeScale.of(idx)
        return recording_time_scale(rec, idx)

    def set_capture_fps(self, fps: float) -> None:
        """Store the frames per real second the recording was filmed at (0 = go by the
        file); undoable, saved in the session, and every number follows it."""
        rec = self.recording
        new = float(fps) if fps and fps > 0 else 0.0
        if rec is not None and new != rec.capture_fps:
            self.ws.drawing.undo_stack.push(_TrackEdit(self, rec, "capture_fps",
                                                       rec.capture_fps, new,
                                                       "Set slow-motion capture rate"))

    def _show_time_scale(self) -> None:
        idx = self.win.player.index
        label = getattr(self.win, "status_video", None)
        if idx is not None and label is not None:
            label.setText(self.win._video_facts(idx, self.time_scale()))

    def m_per_px(self) -> float | None:
        cal = self.recording.calibration if self.recording else None
        return cal.m_per_px if cal is not None else None

    # -- tracking -------------------------------------------------------------------

    def start_seeding(self) -> None:
        """The next click on the video is the bar end or plate centre to follow."""
        if self.win.player.index is None or self.recording is None:
            QMessageBox.information(self.win, "Track the bar", "Open a video first.")
            return
        self.seeding = True
        self.win.canvas.setCursor(Qt.CrossCursor)
        self.win.statusBar().showMessage(
            "Click the end of the bar (or the centre of the plate) to track it.", 15000)

    def start_tracking(self, frame: int, xy: tuple[float, float],
                       anchors: dict[int, tuple[float, float]] | None = None) -> None:
        rec = self.recording
        index = self.win.player.index
        if rec is None or index is None:
            return
        self.cancel()
        path = self.win.video_path
        base = self.track.copy() if (self.track is not None and anchors) else None
        old = rec.track

        def work(progress, partial, cancelled):
            with VideoSource(path, index) as src:
                return BarTracker().track(src, frame, xy, anchors=anchors, base=base,
                                          progress=progress, cancel=cancelled,
                                          partial=lambda tr: partial(tr.copy()))

        job = Job("Tracking the bar", work, self)
        job.progressed.connect(self.indicator.progress)
        job.partial.connect(self._on_partial)
        job.finished.connect(lambda tr: self._on_tracked(rec, old, tr))
        job.failed.connect(self._on_job_failed)
        job.cancelled.connect(self._on_job_cancelled)
        self.job = job
        self.indicator.start("Tracking the bar…")
        job.start()

    def cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()

    def _on_partial(self, tr: Track) -> None:
        self.track = tr
        self.win.canvas.update()

    def _on_tracked(self, rec, old: Track | None, tr: Track) -> None:
        self.indicator.stop()
        self.job = None
        self.win.statusBar().clearMessage()
        spans = tr.lost_spans()
        if spans:
            t = self.win.player.index.times
            where = ", ".join(f"{t[a]:.1f}–{t[b]:.1f} s" for a, b in spans[:4])
            self.win.statusBar().showMessage(
                f"Tracking lost the bar at {where} (cut, occlusion or out of the picture); "
                "those frames are left out. Drag the point there to correct.", 15000)
        self.ws.drawing.undo_stack.push(_TrackEdit(self, rec, "track", old, tr,
                                                   "Track the bar"))

    def _on_job_failed(self, message: str) -> None:
        self.indicator.stop()
        self.job = None
        self._on_inputs_changed(self.recording)
        QMessageBox.warning(self.win, "Tracking stopped", f"Tracking could not finish: {message}")

    def _on_job_cancelled(self) -> None:
        self.indicator.stop()
        self.job = None
        self._on_inputs_changed(self.recording)  # back to the stored track
        self.win.statusBar().showMessage("Tracking cancelled; the previous track is kept.", 6000)

    def clear_track(self) -> None:
        rec = self.recording
        if rec is not None and rec.track is not None:
            self.ws.drawing.undo_stack.push(_TrackEdit(self, rec, "track", rec.track, None,
                                                       "Clear the track"))

    # -- calibration ----------------------------------------------------------------

    def auto_track(self) -> None:
        """Find plate-like circles in the current frame (in the background), show them one
        at a time, and track the one the lifter picks."""
        frame = self.win.player.shown
        if frame is None or self.recording is None:
            return
        import cv2

        gray = cv2.cvtColor(frame.image, cv2.COLOR_BGR2GRAY)

        def work(progress, partial, cancelled):
            return plate_candidates(gray)

        rec = self.recording
        self._find_job = self._short_job(
            "Finding the plate", "Find the plate", work,
            lambda found: self._offer_plates(frame.index, found) if rec is self.recording
            else None)  # another video was opened meanwhile: these circles are not on it

    def _offer_plates(self, n: int, found: list) -> None:
        self.win.player.seek(n)  # the circles belong to the frame they were found on
        if not found:
            QMessageBox.information(self.win, "Find the plate",
                                    "No plate was found in this frame (is the clip filmed from "
                                    "the side?). Use Track bar and click the bar end instead.")
            return
        for i, circle in enumerate(found):
            # show each circle and let the lifter accept it: circles in a gym are many
            self._candidate = circle
            self.win.canvas.update()
            choice = ask_plate_choice(self.win, i, len(found))
            self._candidate = None
            self.win.canvas.update()
            if choice == "track":
                self.start_tracking(n, (circle[0], circle[1]))
                return
            if choice != "next":
                break
        self.start_seeding()

    def calibrate_from_plate(self) -> None:
        """Measure the plate around the tracked point over many frames."""
        tr, rec = self.track, self.recording
        if tr is None or rec is None:
            QMessageBox.information(self.win, "Calibrate", "Track the plate centre or bar end "
                                    "first; the plate is measured around it.")
            return
        items = [f"{mm:.0f} mm" for mm in PLATE_PRESETS_MM] + ["Other…"]
        choice, ok = QInputDialog.getItem(self.win, "Plate diameter",
                                          "Diameter of the plate:", items, 0, False)
        if not ok:
            return
        if choice.startswith("Other"):
            mm, ok = QInputDialog.getDouble(self.win, "Plate diameter", "Diameter (mm):", 450,
                                            50, 1000, 1)
            if not ok:
                return
        else:
            mm = float(choice.split()[0])
        ok_frames = np.flatnonzero(np.isfinite(tr.x))
        centres = {int(i): (float(tr.x[i]), float(tr.y[i])) for i in ok_frames}
        path, index = self.win.video_path, self.win.player.index
        old = rec.calibration

        def work(progress, partial, cancelled):
            with VideoSource(path, index) as src:
                return measure_plate(src, centres, plate_mm=mm)

        def done(cal) -> None:
            if rec is not self.recording or not self._confirm_plate(cal):
                return  # another video was opened meanwhile, or the lifter said no
            self.ws.drawing.m_per_px = cal.m_per_px
            self.ws.drawing.undo_stack.push(_TrackEdit(self, rec, "calibration", old,
                                                       cal, "Calibrate"))
            if cal.warning:
                QMessageBox.warning(self.win, "Camera angle", cal.warning)

        self._cal_job = self._short_job("Measuring the plate", "Calibrate", work, done)

    def _short_job(self, what: str, title: str, work, done) -> Job:
        """Run ``work`` in the background with ``what…`` in the status bar; ``done(result)``
        runs on the GUI thread, a failure is shown in a dialog titled ``title``."""
        job = Job(what, work, self)
        job.finished.connect(lambda result: (self.indicator.stop(), done(result)))
        job.failed.connect(lambda m: (self.indicator.stop(),
                                      QMessageBox.warning(self.win, title, m)))
        self.indicator.start(f"{what}…")
        job.start()
        return job

    def _confirm_plate(self, cal) -> bool:
        """Show the measured rim on its frame and let the lifter accept or refuse it:
        a gym has many circles, and a wrong plate would scale every number."""
        if not cal.circle:
            return True
        n, cx, cy, r = cal.circle
        self.win.player.seek(int(n))
        self._candidate = (cx, cy, r)
        self.win.canvas.update()
        answer = QMessageBox.question(
            self.win, "Calibrate from the plate",
            f"The plate measures {cal.reference_px:.0f} px across "
            f"({cal.m_per_px * 1000:.2f} mm per px). Is the circle shown in cyan the plate's "
            "outer rim?\n\nNo: draw a circle around the plate with the circle tool, select it "
            "and choose Calibrate from drawing.")
        self._candidate = None
        self.win.canvas.update()
        return answer == QMessageBox.Yes

    def calibrate_from_drawing(self) -> None:
        """Scale from the selected circle (a plate) or line/distance (a known length)."""
        a = self.ws.drawing.find(self.ws.drawing.selected)
        if a is None or a.type not in ("circle", "line", "distance"):
            QMessageBox.information(
                self.win, "Calibrate",
                "Draw a circle around a plate (or a line along something of known length), "
                "select it, then choose Calibrate again.")
            return
        (x0, y0), (x1, y1) = a.points[0], a.points[1]
        d = float(np.hypot(x1 - x0, y1 - y0))
        if a.type == "circle":
            items = [f"{mm:.0f} mm plate" for mm in PLATE_PRESETS_MM] + ["Other diameter…"]
            choice, ok = QInputDialog.getItem(self.win, "Plate diameter",
                                              "Diameter of this plate:", items, 0, False)
            if not ok:
                return
            if choice.startswith("Other"):
                mm, ok = QInputDialog.getDouble(self.win, "Plate diameter", "Diameter (mm):",
                                                450, 50, 1000, 1)
                if not ok:
                    return
            else:
                mm = float(choice.split()[0])
            px, source = 2 * d, f"plate {mm:.0f} mm (drawn circle)"
        else:
            mm, ok = QInputDialog.getDouble(self.win, "Known length",
                                            "Real length of the selected line (mm):", 450, 1,
                                            10000, 1)
            if not ok:
                return
            px, source = d, f"line of {mm:.0f} mm"
        if px < 5:
            QMessageBox.warning(self.win, "Calibrate", "The drawing is too small to measure.")
            return
        rec = self.recording
        new = Calibration(mm / 1000.0 / px, source, px)
        self.ws.drawing.m_per_px = new.m_per_px
        self.ws.drawing.undo_stack.push(_TrackEdit(self, rec, "calibration",
                                                   rec.calibration, new, "Calibrate"))

    # -- analysis -------------------------------------------------------------------

    def analyse(self) -> None:
        tr, rec = self.track, self.recording
        if tr is None or rec is None or not np.isfinite(tr.x).any():
            self.result = None
            self.panel.clear("Track the bar to see the analysis: Analysis → Track bar, "
                             "then click the bar end or the plate centre.")
            self._set_marks(None)
            return
        self._serial += 1
        serial = self._serial
        session = self.ws.sessions.session
        exercise = session.exercise if session else ""
        snapshot = dataclasses.replace(rec)  # the fields are replaced on edit, never mutated
        source = rec.calibration.source if rec.calibration else ""
        ts = self.time_scale()  # slow motion: every number in real time

        def job() -> AnalysisResult | None:
            return analyze_recording(snapshot, exercise, time_scale=ts)

        def done(result: AnalysisResult | None) -> None:
            if serial == self._serial and result is None:
                self.result = None
                self._set_marks(None)
            elif serial == self._serial:
                self.result = result
                self.panel.set_data(self._panel_data(result, source))
                self._set_marks(result)
                self.analysed.emit(result)

        def failed(exc: BaseException) -> None:
            if serial == self._serial:
                self.result = None
                self.panel.clear(f"The analysis needs more of the bar: {exc}")

        run_in_background(job, done, failed)

    def _panel_data(self, r: AnalysisResult, cal_source: str) -> PanelData:
        k = r.kinematics
        reps = []
        for rep in r.reps:
            m = rep.metrics
            sp = m.sticking_point
            reps.append(RepView(
                number=rep.number,
                phases=[(kind, s, e) for kind, (s, e) in rep.phases.items()],
                mean_velocity=m.mean_concentric_velocity, peak_velocity=m.peak_concentric_velocity,
                rom=m.rom, drift=m.drift_max, tempo=rep.tempo_text, notation=rep.tempo_notation,
                holds=[(h.start, h.end, h.height_pct / 100.0) for h in rep.holds],
                sticking=(sp.time, sp.height_pct / 100.0) if sp else None, status=rep.status,
                tempo_parts=tuple(rep.tempo)))
        sm = r.set_metrics
        vl = sm.velocity_loss
        u = "m/s" if r.units == "m" else "px/s"
        lines = [f"<b>{sm.rep_count} reps</b> ({r.lift})"]
        if vl.first_last_pct is not None:
            flag = " ⚠ over threshold" if vl.flagged else ""
            lines.append(f"Velocity loss: first→last {vl.first_last_pct:.0f} %, best→last "
                         f"{vl.best_last_pct:.0f} %{flag}")
        if sm.path_consistency is not None:
            pc = sm.path_consistency * (100 if r.units == "m" else 1)
            lines.append(f"Bar-path consistency: {pc:.1f} {'cm' if r.units == 'm' else 'px'} RMS")
        lines.append(f"Velocities in {u}; filter {k.cutoff_hz:.1f} Hz"
                     f"{' (auto)' if k.cutoff_auto else ''}")
        warning = ""
        if r.units != "m":
            warning = ("Not calibrated: distances in px and velocities in px/s. Draw a circle "
                       "around a plate, select it and choose Analysis → Calibrate.")
        elif cal_source:
            lines.append(f"Scale from {cal_source}: {r.m_per_px * 1000:.3f} mm/px")
            if r.calibration.get("warning"):
                warning = "⚠ " + str(r.calibration["warning"])
        others = [_sentence(w) for w in r.warnings if "calibrat" not in w.lower()]
        if others:
            warning = "\n".join([warning, *others]).strip()
        return PanelData(k.t, k.x, k.height, k.vy, r.units, reps, lines, warning=warning)

    def _set_marks(self, r: AnalysisResult | None) -> None:
        idx = self.win.player.index
        marks = [m for m in self.win.timeline.marks if m.end < 0]  # keep key moments
        if r is not None and idx is not None:
            for i, rep in enumerate(r.reps):
                colour = "#777777" if rep.status in ("false", "failed") else \
                    ("#f08c2c" if i % 2 == 0 else "#c4651a")
                ts = self.time_scale()
                marks.append(TimelineMark(idx.frame_at_time(ts.file(rep.start)),
                                          idx.frame_at_time(ts.file(rep.end)), colour,
                                          f"rep {rep.number}"))
        self.win.timeline.set_marks(marks)

    def _seek_time(self, t: float) -> None:
        idx = self.win.player.index
        if idx is not None:
            self.win.player.pause()
            self.win.player.seek(idx.frame_at_time(self.time_scale().file(t)))

    def _on_position(self, n: int) -> None:
        idx = self.win.player.index
        if idx is not None and self.result is not None and not self.win.compare.active:
            self.panel.set_time(self.time_scale().real(float(idx.times[n])))

    def jump_rep(self, direction: int) -> bool:
        """Ctrl+←/→: previous / next rep start; False when there are no reps."""
        if self.result is None or not self.result.reps:
            return False
        now = self.time_scale().real(self.ws._time_now())
        starts = sorted(r.start for r in self.result.reps)
        nxt = [s for s in starts if s > now + 1e-6] if direction > 0 else \
            [s for s in starts if s < now - 1e-6]
        if nxt:
            self._seek_time(nxt[0] if direction > 0 else nxt[-1])
        return True

    def set_rep_status(self, status: str) -> None:
        """Mark the rep under the playhead false / failed / partial / ok (undoable)."""
        rec, r = self.recording, self.result
        if rec is None or r is None:
            return
        now = self.time_scale().real(self.ws._time_now())
        rep = next((x for x in r.reps if x.start - 0.05 <= now <= x.end + 0.05), None)
        if rep is None:
            self.win.statusBar().showMessage("Move the playhead into a rep first.", 5000)
            return
        old = rec.rep_overrides
        new = old.with_status(rep.start, rep.end, rep.turn_time, status)
        self.ws.drawing.undo_stack.push(_TrackEdit(self, rec, "rep_overrides", old, new,
                                                   f"Mark rep {rep.number} {status}"))

    # -- the trail on the video, and dragging the point to correct it -----------------

    def _paint_trail(self, p: QPainter, canvas) -> None:
        cand = getattr(self, "_candidate", None)
        if cand is not None:
            from PySide6.QtCore import QPointF
            from PySide6.QtGui import QPen

            p.setPen(QPen(QColor(0, 230, 255), 3 * canvas.screen_px()))
            p.setBrush(Qt.NoBrush)
            p.drawEllipse(QPointF(cand[0], cand[1]), cand[2], cand[2])
        tr = self.track
        if tr is None or canvas.frame is None:
            return
        n = canvas.frame.index
        if n >= len(tr):
            return
        paint_trail(p, tr.t, tr.x, tr.y, n, canvas.image_size(), self.trail_mode,
                    anchor=tr.state[n] == 2)
        if tr.state[n] == STATE_LOST:
            p.resetTransform()
            p.setPen(QColor(255, 200, 60))
            p.drawText(12, canvas.height() - 14, "Bar lost in this frame: drag it into place "
                       "(Analysis → Correct track) or leave it out")

    def press(self, p, event) -> bool:
        if self.seeding:
            self.seeding = False
            self.win.canvas.unsetCursor()
            self.start_tracking(self.win.player.position, p)
            return True
        tr = self.track
        if not self.correcting or tr is None:
            return False
        n = self.win.player.position
        if n < len(tr):
            cx, cy = tr.x[n], tr.y[n]
            near = not np.isfinite(cx) or np.hypot(p[0] - cx, p[1] - cy) < \
                25 * self.win.canvas.screen_px()
            if near:
                self._drag = (n, p)
                return True
        return False

    def move(self, p, event) -> bool:
        if self._drag is None:
            return False
        n, _ = self._drag
        self._drag = (n, p)
        self.track.x[n], self.track.y[n] = p
        return True

    def release(self, p, event) -> bool:
        if self._drag is None:
            return False
        n, _ = self._drag
        self._drag = None
        stored = self.recording.track
        anchors = stored.anchors() if stored is not None else {}
        anchors[n] = (float(p[0]), float(p[1]))
        self.start_tracking(n, (float(p[0]), float(p[1])), anchors)
        return True


def _sentence(text: str) -> str:
    """A warning from the analysis as a sentence of its own (capital, full stop)."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."
