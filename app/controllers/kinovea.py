"""Kinovea annotation files (.kva): bring their drawings and key moments into the open
recording, and write the recording's drawings, key moments and bar track for Kinovea."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from analysis.session.document import Recording
from app import dialogs


class KinoveaFiles(QObject):
    """File → Import / Export Kinovea annotations for one main window.

    ``recording`` returns the recording on screen (None when no video is open); the
    drawing controller receives what an import brings, the export controller names and
    remembers the folder, the analysis controller holds the track to write.
    """

    def __init__(self, win, indicator, drawing, exports, analysis,
                 recording: Callable[[], Recording | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.win, self.indicator, self.drawing = win, indicator, drawing
        self.exports, self.analysis, self.recording = exports, analysis, recording
        self._job = None

    def import_kva(self) -> None:
        """Bring a Kinovea annotation file's drawings and key moments into this recording."""
        idx = self.win.player.index
        recording = self.recording()
        if recording is None or idx is None:
            dialogs.tell(self.win, "Import", "Open the video the drawings belong to first.")
            return
        path = dialogs.ask_open_path(self.win, "Import Kinovea drawings", "",
                                     "Kinovea annotations (*.kva);;All files (*)")
        if not path:
            return
        from analysis.annotations.kva import import_kva
        from app import workers
        from app.jobs import Job

        fps, size = idx.average_fps, (idx.width, idx.height)
        factor = self.analysis.time_scale().factor  # fades are real seconds (slow motion)
        times, duration, name = idx.times.copy(), idx.duration_s, self.win.video_path or ""

        def work(progress, _partial, cancelled):  # on a worker thread: parsing can take a while
            return import_kva(path, fps=fps, image_size=size, progress=progress,
                              cancelled=cancelled, time_factor=factor, frame_times=times,
                              duration=duration, video_name=name)

        def done(result) -> None:
            self.indicator.stop()
            if self.recording() is not recording:
                return  # another video was opened meanwhile
            self.drawing.add_imported(result.annotations, result.key_moments)
            note = f"Imported {len(result.annotations)} drawings and " \
                   f"{len(result.key_moments)} key moments."
            if result.skipped or result.notes:
                self.win.statusBar().showMessage(note + (
                    f" {len(result.skipped)} item(s) not imported." if result.skipped else
                    " The file was made for another video."), 12000)
                # what was changed or left out is said where it stays: the coach decides
                # whether to keep, move or redraw it (a status message vanished after 12 s)
                dialogs.tell(self.win, "Import", _report(note, result.notes, result.skipped))
                return
            self.win.statusBar().showMessage(note, 12000)

        def failed(message: str) -> None:
            self.indicator.stop()
            dialogs.warn(self.win, "Import", message)

        job = Job("Reading the Kinovea file…", work, self)
        job.progressed.connect(self.indicator.progress)
        job.finished.connect(done)
        job.failed.connect(failed)
        job.cancelled.connect(self.indicator.stop)
        self.indicator.cancel_requested.connect(job.cancel)
        self._job = job
        self.indicator.start("Reading the Kinovea file…")
        job.start(sync=workers.SYNC)

    def export_kva(self) -> None:
        """Write this recording's drawings, key moments and bar track for Kinovea."""
        idx = self.win.player.index
        rec = self.recording()
        if rec is None or idx is None:
            dialogs.tell(self.win, "Export", "Open a video first.")
            return
        path = self.exports.ask_path("Export as Kinovea annotations",
                                     self.exports.default_name("kinovea.kva"),
                                     "Kinovea annotations (*.kva)")
        if not path:
            return
        self.exports.remember_dir(path)
        from analysis.annotations.kva_export import export_kva

        tr = self.analysis.track
        try:
            result = export_kva(path, image_size=(idx.width, idx.height), fps=idx.average_fps,
                                annotations=list(rec.annotations),
                                key_moments=list(rec.key_moments),
                                track=(tr.t, tr.x, tr.y) if tr is not None else None,
                                video_name=self.win.video_path or "",
                                time_factor=self.analysis.time_scale().factor)
        except (OSError, ValueError) as exc:
            dialogs.warn(self.win, "Export", f"The .kva file could not be written: {exc}")
            return
        note = (f"Saved {path}: {result.drawings} drawings, {result.key_moments} key moments"
                + (f", the bar track ({result.track_points} points)" if result.track_points
                   else "") + ".")
        if result.approximated:
            note += " " + "; ".join(result.approximated[:2])
        self.win.statusBar().showMessage(note, 12000)


def _report(note: str, notes: list[str], skipped: list[str]) -> str:
    """The import's summary for the user: how the file differs from the clip and what was
    done about it, then what was left out."""
    text = note
    if notes:
        text += ("\n\nThis file does not match this clip:\n• " + "\n• ".join(notes)
                 + "\n\nYour own drawings are unchanged; Edit → Undo takes the whole "
                   "import back.")
    if skipped:
        text += ("\n\nNot imported (LiftLens has no such drawing, it was damaged, or it "
                 "lies outside this clip):\n• " + "\n• ".join(skipped))
    return text
