"""Export from the app: annotated clips, side-by-side clips, snapshots and CSV data.

Exports run as background jobs with progress and cancel; a failure leaves no
half-written file (the encoder writes atomically) and says why.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import cv2
from PySide6.QtCore import QObject

from analysis.export.clip import export_clip
from analysis.export.errors import ExportError
from analysis.export.hud import hud_lines, with_speed
from analysis.export.render import SIZE_PRESETS, ExportFrame, fit_size
from analysis.export.side_by_side import (
    Side,
    SyncedPair,
    constant_rate,
    export_side_by_side,
)
from analysis.lift.attempts import attempt_overlay
from analysis.lift.gaps import trail_positions
from analysis.lift.result import AnalysisResult
from analysis.session.portable import atomic_write_text
from app import dialogs
from app.context import AppContext
from app.controllers.analysis import AnalysisController
from app.controllers.compare_mode import CompareMode, side_time_scale
from app.data_csv import (  # noqa: F401 - the data CSV's names, importable from here too
    CONTEXT_COLUMNS,
    csv_context,
    reps_csv,
    track_csv,
    track_csv_beside,
)
from app.export_folder import export_folder, remember_export, why_unwritable
from app.jobs import Job
from widgets.burn_in import BurnInSpec, make_burn_in
from widgets.export_dialog import SIZES, ExportDialogWidget


def size_choices(width: int, height: int) -> list[tuple[str, str]]:
    """The export sizes labelled with the picture each gives for a ``width`` x ``height``
    video: a preset larger than the video keeps its size (pictures are never enlarged),
    and says so (a 478x850 clip exported at "1080p" came out 478x850 without a word)."""
    out = []
    for label, preset in SIZES:
        w, h = fit_size(width, height, preset)
        box = SIZE_PRESETS.get(preset)
        smaller = box is not None and max(width, height) < box[0] and min(width, height) < box[1]
        out.append((f"{label}: stays {w}×{h} (the video is smaller; never enlarged)"
                    if smaller else f"{label} ({w}×{h})", preset))
    return out


def measured_ranges(r: AnalysisResult | None, frame_at: Callable[[float], int],
                    file_time: Callable[[float], float]) -> list[tuple[str, tuple[int, int]]]:
    """The export ranges of a measured set: "Rep N" per rep (not those marked not a rep),
    or for a snatch, clean or jerk "Attempt N" per attempt (from 0.5 s before its lift-off
    to 0.5 s after its last phase) and no reps: the generic reading of the same track (a
    clean read as one 7 s "rep") is not the lift. ``frame_at`` maps a file time (s) to a
    frame, ``file_time`` a real time (s) to file time (slow motion)."""
    if r is None:
        return []
    if r.weightlifting is not None:
        out = []
        for a in r.weightlifting.attempts:
            end = max(p.end_t for p in a.phases)
            out.append((f"Attempt {a.number}", (frame_at(file_time(a.liftoff_t - 0.5)),
                                                frame_at(file_time(end + 0.5)))))
        return out
    return [(f"Rep {rep.number}", (frame_at(file_time(rep.start)), frame_at(file_time(rep.end))))
            for rep in r.reps if rep.status != "false"]  # marked not a rep: not offered


class ExportController(QObject):
    """Exports of the recording on screen (or the comparison): each asks its questions
    (``app.dialogs``), then runs as a background job."""

    def __init__(self, ctx: AppContext, analysis: AnalysisController, compare: CompareMode,
                 parent: QObject | None = None, compare_results=None) -> None:
        super().__init__(parent)
        self.ctx, self.analysis, self.compare = ctx, analysis, compare
        #: () -> [result of side A, result of side B] (file time), for the data overlay
        self.compare_results = compare_results or (lambda: [None, None])
        self.job: Job | None = None
        ctx.jobs.indicator.cancel_requested.connect(self.cancel)

    @property
    def _parent(self):
        return self.ctx.notifier.parent

    @property
    def _video_path(self) -> str | None:
        rec = self.ctx.model.current
        return rec.video_path if rec is not None else None

    # -- what to burn in --------------------------------------------------------------

    def burn_in_spec(self, drawings: bool = True, trail: str = "full", hud: bool = True
                     ) -> BurnInSpec:
        idx = self.ctx.player.index
        rec = self.ctx.model.current
        a = self.analysis
        tr = a.track
        spec = BurnInSpec((idx.width, idx.height),
                          list(rec.annotations) if rec is not None else [], a.m_per_px(),
                          draw_annotations=drawings, trail=trail if tr is not None else "off",
                          time_factor=a.time_scale().factor)
        if tr is not None:
            spec.track_t = tr.t.copy()
            spec.track_x, spec.track_y = a.trail_xy() or (tr.x.copy(), tr.y.copy())
            spec.attempts = a.attempt_overlay()
        if hud and a.result is not None:
            spec.hud = hud_lines(a.result, a.time_scale().factor)
        return spec

    def default_name(self, suffix: str) -> str:
        """``<video name>-<suffix>`` in the last export folder if it may be written, else
        the user's Videos/Documents/home (:func:`app.export_folder.export_folder`)."""
        base = Path(self._video_path or "clip").stem
        return str(self._writable_folder(suffix) / f"{base}-{suffix}")

    def _writable_folder(self, name: str) -> Path:
        return export_folder(self.ctx.settings, name)

    def ask_path(self, title: str, suggested: str, filter_: str,
                 companions: Callable[[str], list[str]] | None = None) -> str | None:
        """The save dialog, asked again (at a folder that may be written, same file name)
        for as long as the chosen folder cannot be written, after saying why.
        ``companions``: the files written beside the one chosen (named when replaced)."""
        while True:
            path = dialogs.ask_save_path(self._parent, title, suggested, filter_, companions)
            reason = why_unwritable(path) if path else None
            if reason is None:
                return path
            dialogs.warn(self._parent, title, reason)
            suggested = str(self._writable_folder(path) / Path(path).name)

    def remember_dir(self, path: str) -> None:
        """The next export proposes the folder this one went to."""
        remember_export(self.ctx.settings, path)

    def _remembered_options(self) -> dict:
        raw = self.ctx.settings.value("export/options", "")
        try:
            value = json.loads(raw) if isinstance(raw, str) and raw else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    # -- annotated clip ----------------------------------------------------------------

    def _scale_settled(self, title: str, what: str) -> bool:
        """True to go on: no plate is being measured, or the lifter exports in px anyway
        (``what``: the numbers that would be in px, in words)."""
        return not self.analysis.measuring_plate or dialogs.ask_yes(
            self._parent, title,
            f"The plate is still being measured, so {what} would be in px and px/s."
            "\n\nExport now anyway? (Choose No, wait for the scale, then export.)")

    def export_clip_dialog(self) -> None:
        idx = self.ctx.player.index
        if idx is None:
            dialogs.tell(self._parent, "Export", "Open a video first.")
            return
        if not self._scale_settled("Export", "the numbers burned into the video"):
            return
        p = self.ctx.player
        ranges = [("Whole clip", (0, idx.frame_count - 1))]
        if p.loop_in >= 0 or p.loop_out >= 0:
            lo, hi = p.loop_range()
            ranges.insert(0, (f"Loop in–out (frames {lo + 1}–{hi + 1})", (lo, hi)))
        r, ts = self.analysis.result, self.analysis.time_scale()
        ranges += measured_ranges(r, idx.frame_at_time, ts.file)
        dlg = ExportDialogWidget(ranges, self.default_name("annotated.mp4"), r is not None,
                                 self._parent, remembered=self._remembered_options(),
                                 sizes=size_choices(idx.width, idx.height),
                                 check=why_unwritable,
                                 other_folder=lambda: str(self._writable_folder(".mp4")))
        if dlg.exec() != ExportDialogWidget.Accepted:
            return
        o = dlg.options()
        self.remember_dir(o["path"])
        self.ctx.settings.set_value("export/options", json.dumps(
            {k: o[k] for k in ("speed", "size", "drawings", "trail", "hud", "audio")}))
        if os.path.exists(o["path"]) and not dialogs.ask_yes(
                self._parent, "Replace file?", f"“{os.path.basename(o['path'])}” already exists. "
                "Replace it?"):
            return
        spec = self.burn_in_spec(o["drawings"], o["trail"], o["hud"])
        if o["hud"]:  # a slowed clip says so (whoever watches it was not told otherwise)
            spec.hud = with_speed(spec.hud, o["speed"])
        video = self._video_path

        def work(progress, _partial, cancelled):
            return export_clip(video, o["path"], start_frame=o["start"], end_frame=o["end"],
                               speed=o["speed"], size=o["size"], audio=o["audio"],
                               render=make_burn_in(spec), overwrite=True, progress=progress,
                               cancel=cancelled, index=idx, time_scale=ts.factor)

        self._run("Exporting clip…", work)

    # -- side by side -----------------------------------------------------------------

    def export_side_by_side_dialog(self) -> None:
        mode = self.compare
        if not mode.active:
            dialogs.tell(self._parent, "Export", "Open a comparison first "
                                    "(Compare → Compare with a recording or video).")
            return
        c = mode.controller
        whole = (0, len(c.marks) - 1)
        ranges = [(whole_comparison_text(c.timeline), whole)]
        if c.loop_range() != whole:
            ranges.insert(0, ("Loop in–out", c.loop_range()))
        # range, speed and size as for one clip (each side burns in what the comparison
        # shows; a comparison has no sound)
        remembered = self._remembered_options()
        dlg = ExportDialogWidget(ranges, self.default_name("side-by-side.mp4"), False,
                                 self._parent, remembered={"size": "1080p", **{
                                     k: remembered[k] for k in ("speed",) if k in remembered}},
                                 sizes=[("1080p", "1080p"), ("720p", "720p"),
                                        ("Same as the videos", "source")],
                                 check=why_unwritable,
                                 other_folder=lambda: str(self._writable_folder(".mp4")),
                                 title="Export side-by-side clip", clip_options=False)
        if dlg.exec() != ExportDialogWidget.Accepted:
            return
        o = dlg.options()
        path = o["path"]
        if os.path.exists(path) and not dialogs.ask_yes(
                self._parent, "Replace file?", f"“{os.path.basename(path)}” already exists. "
                "Replace it?"):
            return
        self.remember_dir(path)
        lo, hi = o["start"], o["end"]
        # the loop's last picture is shown until the next change (or the comparison's end)
        end = float(c.marks[hi + 1]) if hi + 1 < len(c.marks) else float(c.timeline.end)
        # one constant rate, the faster side's (a variable rate troubles editors and players)
        pair = SyncedPair.from_timeline(c.timeline, float(c.marks[lo]), end,
                                        fps=constant_rate(c.timeline))
        cmp = self.ctx.model.comparison
        recs = [side.recording for side in cmp.sides] if cmp is not None else [None, None]
        results = list(self.compare_results())
        # a slowed clip says so, once: on the first side's data (as on a single clip)
        sides = [Side(s.feed.index.path,
                      self._side_render(rec, s.feed.index, res, o["speed"] if k == 0 else 1.0),
                      s.label, s.feed.index)
                 for k, (s, rec, res) in enumerate(zip(c.sides, recs, results, strict=True))]
        layout = "horizontal" if mode.view.layout_name == "side_by_side" else "vertical"

        def work(progress, _partial, cancelled):
            return export_side_by_side(sides[0], sides[1], pair, path, layout=layout,
                                       size=o["size"], speed=o["speed"], overwrite=True,
                                       progress=progress, cancel=cancelled)

        self._run("Exporting side-by-side clip…", work)

    def _side_render(self, rec, index, result=None, speed: float = 1.0):
        """Drawings, bar path and data overlay (rep, live velocity, finished reps' MCV and
        tempo) of this side's recording (or none), as the comparison shows them; the
        export's speed heads the data when it is not 1× (:func:`with_speed`)."""
        if rec is None:
            return None
        spec = side_spec(rec, index, result)
        spec.hud = with_speed(spec.hud, speed)
        return make_burn_in(spec)

    # -- contact sheet ---------------------------------------------------------------

    def contact_sheet_dialog(self) -> None:
        """Bottom and lockout of every rep (or the key moments) in one PNG."""
        idx, rec = self.ctx.player.index, self.ctx.model.current
        if idx is None or rec is None:
            return
        r = self.analysis.result
        moments: list[tuple[float, str]] = []
        if r is not None and r.weightlifting is not None and r.weightlifting.attempts:
            for a in r.weightlifting.attempts:  # lift-off, peak and catch of every attempt
                moments += [(a.liftoff_t, f"attempt {a.number} lift-off"),
                            (a.peak_height_t, f"attempt {a.number} peak"),
                            (a.catch_t, f"attempt {a.number} catch")]
        elif r is not None and r.reps:
            for rep in r.reps:
                moments += [(rep.bottom_time, f"rep {rep.number} bottom"),
                            (rep.phases["concentric"][1], f"rep {rep.number} lockout")]
        else:
            moments = [(k.t, k.title) for k in rec.key_moments]
        if not moments:
            dialogs.tell(self._parent, "Contact sheet", "Track the bar (for the reps) or "
                                    "add key moments (M) first.")
            return
        path = self.ask_path("Save contact sheet",
                             self.default_name("sheet.png"), "PNG (*.png)")
        if not path:
            return
        self.remember_dir(path)
        spec = self.burn_in_spec(hud=False)
        video = self._video_path

        def work(progress, _partial, cancelled):
            from analysis.export.compose import contact_sheet
            from analysis.video.source import Cancelled, VideoSource

            images, captions = [], []
            render = make_burn_in(spec)
            with VideoSource(video, idx) as src:
                for i, (t, label) in enumerate(moments):
                    if cancelled():
                        raise Cancelled()
                    f = src.read(idx.frame_at_time(t))
                    images.append(render(ExportFrame(f.index, f.time, f.image.copy(), f.time,
                                                     1.0, 1.0), 0))
                    captions.append(f"{label} ({t:.2f} s)")
                    progress(i + 1, len(moments))
            sheet = contact_sheet(images, captions, columns=4, cell_width=320)
            ok, buf = cv2.imencode(".png", sheet)
            if not ok:
                raise ExportError("The contact sheet could not be encoded.")
            tmp = Path(path).with_suffix(".png.part")
            tmp.write_bytes(buf.tobytes())
            os.replace(tmp, path)
            return path

        job = Job("Making the contact sheet…", work, self)
        job.progressed.connect(self.ctx.jobs.indicator.progress)
        job.finished.connect(lambda p: (self.ctx.jobs.indicator.stop(), self.ctx.notifier.status(
            f"Contact sheet saved to {p}", 6000)))
        job.failed.connect(self._on_failed)
        self.ctx.jobs.indicator.start("Making the contact sheet…")
        self._sheet_job = job
        job.start()

    # -- snapshot and data ---------------------------------------------------------------

    def snapshot(self) -> None:
        frame = self.ctx.player.shown
        if frame is None:
            return
        path = self.ask_path("Save snapshot", self.default_name(f"frame{frame.index + 1}.png"),
                             "PNG image (*.png)")
        if not path:
            return
        self.remember_dir(path)
        h, w = frame.image.shape[:2]
        ef = ExportFrame(frame.index, frame.time, frame.image.copy(), frame.time, 1.0, 1.0)
        image = make_burn_in(self.burn_in_spec())(ef, 0)
        ok, buf = cv2.imencode(".png", image)
        try:
            if not ok:
                raise OSError("the picture could not be encoded")
            tmp = Path(path).with_suffix(".png.part")
            tmp.write_bytes(buf.tobytes())
            os.replace(tmp, path)
        except OSError as exc:
            dialogs.warn(self._parent, "Snapshot", f"The snapshot could not be saved: "
                                f"{exc.strerror or exc}.")
            return
        self.ctx.notifier.status(f"Snapshot saved to {path}", 6000)

    def export_csv(self) -> None:
        r = self.analysis.result
        if r is None:
            dialogs.tell(self._parent, "Export data", "Track the bar first.")
            return
        if not self._scale_settled("Export data", "the exported numbers"):
            return
        path = self.ask_path("Export data (CSV)",
                             self.default_name("reps.csv"), "CSV (*.csv)", track_csv_beside)
        if not path:
            return
        self.remember_dir(path)
        try:
            tr = self.analysis.track
            s, rec = self.ctx.model.session, self.analysis.recording
            context = csv_context(s, rec) if s is not None and rec is not None else None
            atomic_write_text(Path(path), reps_csv(r, tr, context))
            track = Path(track_csv_beside(path)[0])
            atomic_write_text(track, track_csv(r, tr))
        except Exception as exc:  # noqa: BLE001 - shown to the user
            dialogs.warn(self._parent, "Export data", str(exc))
            return
        self.ctx.notifier.status(f"Saved {path} and {track.name}", 6000)

    def session_report(self) -> None:
        from analysis.session.document import session_from_dict
        from app.session_report import write_report

        s = self.ctx.model.session
        if s is None:
            dialogs.tell(self._parent, "Session report", "Open a session first.")
            return
        if not self._scale_settled("Session report", "the report's numbers for this clip"):
            return
        path = self.ask_path("Session report",
                             self.default_name("report.html"),
                             "Web page (*.html)",
                             lambda p: [str(Path(p).with_suffix(".pdf"))])
        if not path:
            return
        self.remember_dir(path)
        snapshot = session_from_dict(s.to_dict())  # the worker reads a copy

        def work(progress, _partial, cancelled):
            return write_report(snapshot, path, progress, cancelled)

        job = Job("Writing the session report…", work, self)
        ind = self.ctx.jobs.indicator
        job.progressed.connect(ind.progress)
        job.finished.connect(lambda p: (ind.stop(), self.ctx.notifier.status(
            f"Report saved to {p} and {Path(p).with_suffix('.pdf').name}", 8000)))
        job.failed.connect(self._on_failed)
        ind.start("Writing the session report…")
        self._report_job = job
        job.start()

    # -- job plumbing -----------------------------------------------------------------

    def _run(self, title: str, work) -> None:
        if self.job is not None and self.job.running:
            dialogs.tell(self._parent, "Export", "An export is already running.")
            return
        job = Job(title, work, self)
        ind = self.ctx.jobs.indicator
        job.progressed.connect(ind.progress)
        job.finished.connect(self._on_done)
        job.failed.connect(self._on_failed)
        job.cancelled.connect(lambda: (ind.stop(), self.ctx.notifier.status(
            "Export cancelled; no file was written.", 6000)))
        self.job = job
        ind.start(title)
        job.start()

    def cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()

    def _on_done(self, result) -> None:
        self.ctx.jobs.indicator.stop()
        extra = f" ({'; '.join(result.warnings)})" if result.warnings else ""
        held = result.held_text("×")
        self.ctx.notifier.status(
            f"Exported {result.frames} frames{held}, {result.duration_s:.1f} s, to "
            f"{result.path}{extra}", 10000)

    def _on_failed(self, message: str) -> None:
        self.ctx.jobs.indicator.stop()
        dialogs.warn(self._parent, "Export failed", message)


def side_spec(rec, index, result=None) -> BurnInSpec:
    """What one side of a comparison burns in, on screen and in the export: its drawings,
    full bar path and, with its ``result`` (analysed in real time, the recording's capture
    rate applied), the data overlay."""
    factor = side_time_scale(rec, index).factor
    spec = BurnInSpec((index.width, index.height), list(rec.annotations), time_factor=factor)
    tr = rec.track
    if tr is not None:
        spec.track_t, spec.trail = tr.t, "full"
        spec.track_x, spec.track_y = trail_positions(tr.t, tr.x, tr.y, tr.state,
                                                     tr.confidence)
    if result is not None:
        spec.hud, spec.hud_corner = hud_lines(result, factor), "bottom"
        spec.attempts = attempt_overlay(result)
        # half a picture shows it: text about 1/26 of the picture's short side, so a
        # small clip's numbers stay readable
        spec.hud_min_px = min(index.width, index.height) / 26
    return spec



def whole_comparison_text(timeline) -> str:  # type: ignore[no-untyped-def]
    """The range choice for the whole comparison, saying which side stands still on its
    first or last frame while the other plays (the clips differ in length or start):
    "Whole comparison (B holds its last frame after it ends)"."""
    notes = []
    for name, side in zip("AB", () if timeline is None else timeline.sides, strict=False):
        early = float(side.common_time(side.times[0])) > timeline.start + 1e-6
        late = float(side.common_time(side.duration)) < timeline.end - 1e-6
        if early:
            notes.append(f"{name} holds its first frame before it starts")
        if late:
            notes.append(f"{name} holds its last frame after it ends")
    return "Whole comparison" + (f" ({'; '.join(notes)})" if notes else "")
