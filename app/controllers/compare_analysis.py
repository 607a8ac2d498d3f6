"""Analysis in comparison mode: sync on rep events, tempo-normalised playback, and the
comparison plots and table. Each side is analysed from its saved recording: found in the
open session or, for a video tracked in another session, anywhere in the library."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject

from analysis.compare.shown import shown_difference
from analysis.lift.attempts import compare_attempt_rows
from analysis.lift.result import AnalysisResult
from analysis.model import Comparison, ComparisonSide
from analysis.session.analyze import analyze_recording
from app import dialogs
from app.context import AppContext
from app.controllers.compare_mode import CompareMode, side_time_scale
from app.workers import run_in_background
from widgets.compare_analysis import CompareAnalysisWidget, CompareSeries

EVENTS = {"start": "start of rep", "concentric": "start of its concentric",
          "bottom": "lowest point"}


def rep_event(rep, kind: str) -> float:
    """Time (s, the analysis' real time) of an event of a rep (or of a weightlifting
    attempt: lift-off, the start of the second pull, the catch)."""
    if hasattr(rep, "liftoff_t"):
        second = rep.phase("second_pull")
        return {"concentric": second.start_t if second else rep.liftoff_t,
                "bottom": rep.catch_t}.get(kind, rep.liftoff_t)
    if kind == "concentric":
        return rep.phases["concentric"][0]
    if kind == "bottom":
        return rep.bottom_time
    return rep.start


class CompareAnalysis(QObject):
    def __init__(self, ctx: AppContext, mode: CompareMode, widget: CompareAnalysisWidget,
                 library_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.mode, self.widget = ctx, mode, widget
        self.library_path = library_path
        self.results: list[AnalysisResult | None] = [None, None]
        self.rep_index = 0
        self._table_reps: tuple[int, int] | None = None  # the reps the table shows
        self._serial = 0
        mode.entered.connect(self.refresh)
        mode.changed.connect(self._on_mode_changed)
        self._paths: list[str] = []
        #: the sides' recordings are being looked for in the library (in the background)
        self.looking = False
        m = ctx.model
        for event in (m.track_changed, m.calibration_changed, m.overrides_changed,
                      m.capture_changed):
            event.connect(self._on_inputs_changed)
        mode.controller.sync_changed.connect(self._update_view)
        mode.controller.position_changed.connect(self._on_position)
        widget.seek_requested.connect(self._seek_tau)

    def _find_recordings(self, cmp: Comparison, then) -> None:
        """Fill in each side's recording: from the open session, else from the library (in
        the background, by path or content fingerprint); then ``then()``."""
        model = self.ctx.model
        session = model.session
        for side in cmp.sides:
            if side.recording is not None:  # picked from the library with its analysis
                continue
            rec = model.current if model.current is not None and \
                model.current.video_path == side.path else None
            if rec is None and session is not None:
                rec = next((r for r in session.recordings if r.video_path == side.path), None)
            if rec is not None:
                side.recording, side.exercise = rec, model.exercise
        missing = [side for side in cmp.sides if side.recording is None]
        if not missing:
            then()
            return
        library = self.library_path
        self.looking = True

        def look() -> list[tuple[ComparisonSide, object]]:
            from analysis.session.library import find_recording
            from analysis.session.portable import fingerprint
            from analysis.session.store import SessionStore

            store = SessionStore(library)
            try:
                found = []
                for side in missing:
                    try:
                        fp = fingerprint(side.path)
                    except OSError:  # read when it was opened; looked for by its path
                        fp = ""
                    found.append((side, fp, find_recording(store, side.path, fp)))
                return found
            finally:
                store.close()

        def done(found) -> None:
            self.looking = False
            for side, fp, hit in found:
                side.fingerprint = side.fingerprint or fp  # a new recording's, if tracked here
                if hit is not None and side.recording is None:
                    side.exercise, side.recording, side.session = hit[0].exercise, hit[1], hit[0]
            if model.comparison is cmp:
                then()

        def failed(_exc: BaseException) -> None:
            self.looking = False
            then()

        run_in_background(look, done, failed)

    def _side_recording(self, i: int):
        cmp = self.ctx.model.comparison
        return cmp.sides[i].recording if cmp is not None and i < len(cmp.sides) else None

    def _install_side_painters(self, results: list | None = None) -> None:
        """Each side shows its own recording's drawings and bar path, and with its analysis
        the data overlay: the same spec and painter as the side-by-side export."""
        from app.controllers.export import side_spec
        from widgets.burn_in import paint_side

        view = self.mode.view
        for i, side in enumerate(self.mode.controller.sides):
            rec = self._side_recording(i)
            if rec is None:
                view.side_painters[i] = None
                continue
            spec = side_spec(rec, side.feed.index, results[i] if results else None)
            view.side_painters[i] = (lambda p, canvas, spec=spec:
                                     paint_side(p, spec, canvas.frame.index, canvas.frame.time))
        view.update_canvases()

    def refresh(self) -> None:
        """Find each side's recording, then analyse both (in the background)."""
        cmp = self.ctx.model.comparison
        if cmp is None or len(self.mode.controller.sides) != 2:
            return
        self._serial += 1
        self.results = [None, None]
        self._find_recordings(cmp, self._analyse)

    def _analyse(self) -> None:
        c = self.mode.controller
        cmp = self.ctx.model.comparison
        if cmp is None or len(c.sides) != 2:
            return
        # each side in real time (a slow-motion side's capture rate applied), as the
        # common timeline counts it: a saved recording's capture rate is known only now
        scales = [side_time_scale(side.recording, feed.feed.index)
                  for side, feed in zip(cmp.sides, c.sides, strict=True)]
        c.set_time_factors(scales[0].factor, scales[1].factor)
        self._install_side_painters()
        self._paths = [side.feed.index.path for side in c.sides]
        self._serial += 1
        serial = self._serial
        jobs = [(side.recording, side.exercise, ts)
                for side, ts in zip(cmp.sides, scales, strict=True)]

        def work():
            out = []
            for rec, exercise, ts in jobs:
                try:
                    out.append(analyze_recording(rec, exercise, time_scale=ts)
                               if rec is not None else None)
                except ValueError:
                    out.append(None)
            return out

        def done(results) -> None:
            if serial == self._serial:
                self.results = results
                self._install_side_painters(results)
                self._update_view()

        run_in_background(work, done, lambda exc: None)

    def _on_inputs_changed(self, rec) -> None:  # type: ignore[no-untyped-def]
        """A side's track, scale, rep corrections or capture rate changed (tracked in the
        comparison, or undone): its bar path, plots and table follow at once."""
        cmp = self.ctx.model.comparison
        if cmp is not None and any(side.recording is rec for side in cmp.sides):
            self._analyse()

    def _on_mode_changed(self) -> None:
        c = self.mode.controller
        if [side.feed.index.path for side in c.sides] != self._paths:
            self._analyse()  # sides swapped: results follow

    # -- actions --------------------------------------------------------------------

    def _need_both(self) -> bool:
        if all(r is not None and _units(r) for r in self.results):
            return True
        dialogs.tell(self.ctx.notifier.parent, "Compare", "Track the bar in both videos first "
                     "(click a side, then Analysis → Track bar and click its bar end or plate "
                     "centre); then sync on reps here.")
        return False

    def choose_rep(self) -> None:
        n = max((len(_units(r)) for r in self.results if r is not None), default=1)
        value = dialogs.ask_int(self.ctx.notifier.parent, "Compare rep", "Rep to compare:",
                                self.rep_index + 1, 1, max(n, 1))
        if value is not None:
            self.rep_index = value - 1
            self._update_view()

    def sync_on(self, kind: str) -> None:
        """Synchronise both sides on an event of the chosen rep."""
        if not self._need_both():
            return
        c = self.mode.controller
        times = [rep_event(self._rep(r), kind) / side.time_factor  # clip time
                 for r, side in zip(self.results, c.sides, strict=True)]
        c.set_events(*times)
        self.ctx.notifier.status(
            f"Synchronised on the {EVENTS[kind]} {self.rep_index + 1}.", 5000)

    def toggle_normalised(self) -> None:
        """Stretch B between rep start, lowest point and lockout so the phases line up."""
        c = self.mode.controller
        if c.normalised:
            c.set_normalised(None, None)
            self.mode.changed.emit()
            self.ctx.notifier.status("Real time again: both sides play as recorded "
                                     "(Shift+Y lines the phases up).", 6000)
            return
        if not self._need_both():
            return
        events = [self._phase_events(self._rep(r)) for r in self.results]
        if len(events[0]) != len(events[1]):  # a pause on one side only: fewer anchors
            events = [[e[0], rep_event(self._rep(r), "bottom"), e[-1]]
                      for e, r in zip(events, self.results, strict=True)]
        # the analysis' real times -> each side's clip time
        events = [[t / side.time_factor for t in e] for e, side in zip(events, c.sides,
                                                                         strict=True)]
        c.set_normalised(events[0], events[1])
        self.mode.changed.emit()
        self.ctx.notifier.status(normalised_message(self.rep_index + 1, events[0], events[1]),
                                 8000)

    def align_ghost_on_bar(self) -> None:
        """Shift the ghost (B over A) so both bars coincide at the frames shown now."""
        mode = self.mode
        c = mode.controller
        if not all(r is not None for r in self.results):
            dialogs.tell(self.ctx.notifier.parent, "Compare", "Track the bar in both videos first "
                         "(click a side, then Analysis → Track bar).")
            return
        na, nb = c.frames_now()
        (ra, rb) = self.results
        pa = (ra.x_px[na], ra.y_px[na])
        pb = (rb.x_px[nb], rb.y_px[nb])
        if not np.isfinite(pa + pb).all():
            self.ctx.notifier.status("The bar is not tracked on one side at this frame; "
                                             "step to a frame where both are.", 6000)
            return
        ia, ib = c.sides[0].feed.index, c.sides[1].feed.index
        scale = ia.height / ib.height  # the ghost is drawn at A's height, centred
        bx = (ia.width - ib.width * scale) / 2 + pb[0] * scale
        by = pb[1] * scale
        from PySide6.QtCore import QPointF

        mode.view.ghost_offset = QPointF(pa[0] - bx, pa[1] - by)
        if not mode.view.overlay:
            mode.toggle_overlay()
        mode.view.canvases[0].update()

    @staticmethod
    def _phase_events(rep) -> list[float]:
        """The rep's phase boundaries in time order (start, bottom reached, drive, lockout);
        an attempt's: lift-off and the end of each phase."""
        if hasattr(rep, "liftoff_t"):
            return sorted({round(t, 6) for p in rep.phases for t in (p.start_t, p.end_t)})
        times = sorted({round(t, 6) for kind in ("eccentric", "concentric")
                        for t in rep.phases[kind]})
        return times

    def _rep(self, r: AnalysisResult):
        units = _units(r)
        return units[min(self.rep_index, len(units) - 1)]

    # -- view -----------------------------------------------------------------------

    def _update_view(self) -> None:
        c = self.mode.controller
        if c.timeline is None:
            return
        series = []
        for side_timing, r, side in zip(c.timeline.sides, self.results, c.sides, strict=True):
            if r is None or not _units(r):
                series.append(None)
                continue
            k = r.kinematics
            rep = self._rep(r)
            start, end = _span(rep)
            m = (k.t >= start) & (k.t <= end) & np.isfinite(k.x) & np.isfinite(k.height)
            px, ph = k.x[m], k.height[m]
            if len(px):
                px, ph = px - px[0], ph - ph[0]
            clip_t = k.t / side.time_factor  # the analysis is in real time
            series.append(CompareSeries(side.label, np.asarray(side_timing.common_time(clip_t)),
                                        k.vy, px, ph, r.units))
        note = ""
        if series[0] is not None and series[1] is not None and series[0].unit != series[1].unit:
            px_side = "A" if series[0].unit == "px" else "B"
            note = (f"Side {px_side} is not calibrated (pixels), the other is in metres: its "
                    "velocity and bar path are left out of the plots and the table compares "
                    f"times only. Calibrate side {px_side}'s recording to compare them.")
            series[0 if px_side == "A" else 1] = None
        reps = self.reps_now()
        self._table_reps = reps
        self.widget.set_series(series[0], series[1], self._rows(reps), note, real=c.retimed,
                               headers=self._headers(reps))

    def reps_now(self) -> tuple[int, int] | None:
        """Which rep (or attempt) of each side the table compares, 0-based: the last one
        started at or before the frame that side shows now (its first before it), so
        the table follows the playhead from rep to rep; None while a side has none."""
        if not all(r is not None and _units(r) for r in self.results):
            return None
        c = self.mode.controller
        if c.timeline is None:
            return (self.rep_index, self.rep_index)
        out = []
        for r, side, clip_t in zip(self.results, c.sides, c.clip_times(), strict=True):
            t = float(clip_t) * side.time_factor + 1e-6  # the analysis counts real time
            starts = [_span(u)[0] for u in _units(r)]
            out.append(max(0, sum(1 for s0 in starts if s0 <= t) - 1))
        return (out[0], out[1])

    def _headers(self, reps: tuple[int, int] | None) -> tuple[str, str]:
        """The table's A and B column titles, naming the rep each compares ("A · rep 1")."""
        if reps is None:
            return ("A", "B")
        words = ["attempt" if r is not None and r.weightlifting is not None else "rep"
                 for r in self.results]
        return (f"A · {words[0]} {reps[0] + 1}", f"B · {words[1]} {reps[1] + 1}")

    def _rows(self, reps: tuple[int, int] | None = None) -> list[tuple[str, str, str, str]]:
        """The table's rows (label, A, B, B − A) for the reps ``reps`` (0-based per side;
        default: the ones under the playhead, :meth:`reps_now`)."""
        reps = reps if reps is not None else self.reps_now()
        if reps is None or not all(r is not None and _units(r) for r in self.results):
            return []
        a, b = (_units(r)[min(k, len(_units(r)) - 1)]
                for r, k in zip(self.results, reps, strict=True))
        if hasattr(a, "liftoff_t") and hasattr(b, "liftoff_t"):
            return compare_attempt_rows(a, b)
        if hasattr(a, "liftoff_t") or hasattr(b, "liftoff_t"):
            return [("Exercise", "weightlifting" if hasattr(a, "liftoff_t") else "reps",
                     "weightlifting" if hasattr(b, "liftoff_t") else "reps",
                     "not comparable")]
        ua, ub = (r.units for r in self.results)

        def num(label, va, vb, fmt, suffix=""):
            return (label, f"{va:{fmt}}{suffix}", f"{vb:{fmt}}{suffix}",
                    shown_difference(va, vb, fmt) + suffix)

        def dist(label, va, vb, fmt, speed=False):
            """A length or speed: in cm (m/s) when calibrated, px (px/s) when not, px whole
            as in the rep table (a pixel has no meaningful tenths); no difference between a
            side in metres and one in pixels."""
            def text(v, u):
                return (f"{v * (1 if speed else 100):{fmt}} " + ("m/s" if speed else "cm")
                        if u == "m" else f"{v:.0f} " + ("px/s" if speed else "px"))
            if ua != ub:
                return (label, text(va, ua), text(vb, ub), "calibrate both")
            if ua == "m":
                return num(f"{label} ({'m/s' if speed else 'cm'})", va * (1 if speed else 100),
                           vb * (1 if speed else 100), fmt)
            return num(f"{label} ({'px/s' if speed else 'px'})", va, vb, ".0f")

        ma, mb = a.metrics, b.metrics
        rows = [
            dist("Mean velocity", ma.mean_concentric_velocity, mb.mean_concentric_velocity, ".2f",
                 speed=True),
            dist("Peak velocity", ma.peak_concentric_velocity, mb.peak_concentric_velocity, ".2f",
                 speed=True),
            dist("ROM", ma.rom, mb.rom, ".1f"),
            dist("Drift", ma.drift_max, mb.drift_max, ".1f"),
            ("Tempo", a.tempo_text, b.tempo_text, ""),
        ]
        for i, name in enumerate(("Eccentric (s)", "Bottom pause (s)", "Concentric (s)",
                                  "Top pause (s)")):
            rows.append(num(name, a.tempo[i], b.tempo[i], ".2f"))
        sa, sb = ma.sticking_point, mb.sticking_point
        rows.append(("Sticking point (% ROM)", f"{sa.height_pct:.0f}" if sa else "—",
                     f"{sb.height_pct:.0f}" if sb else "—",
                     shown_difference(sa.height_pct, sb.height_pct, ".0f") if sa and sb else ""))
        vla, vlb = (r.set_metrics.velocity_loss.best_last_pct for r in self.results)
        rows.append(("Set velocity loss (%)", f"{vla:.0f}" if vla is not None else "—",
                     f"{vlb:.0f}" if vlb is not None else "—",
                     shown_difference(vla, vlb, ".0f") if vla is not None and vlb is not None
                     else ""))
        return rows

    def _on_position(self, _n: int) -> None:
        self.widget.set_time(self.mode.controller.tau)
        reps = self.reps_now()
        if reps != self._table_reps:  # the playhead moved into another rep: the table follows
            self._show_table(reps)

    def _show_table(self, reps: tuple[int, int] | None) -> None:
        self._table_reps = reps
        self.widget.set_table(self._rows(reps), self._headers(reps))

    def _seek_tau(self, tau: float) -> None:
        c = self.mode.controller
        c.pause()
        c.seek(c.position_at_time(tau))


def normalised_message(rep: int, events_a: list[float], events_b: list[float]) -> str:
    """What Shift+Y did, in the status bar: which rep is lined up, how much B's phases
    are stretched (each phase's time on B against A's) and where to look. At the rep's
    start both sides show what they showed when synced there, so without this the
    mode changed nothing visible."""
    da, db = np.diff(events_a), np.diff(events_b)
    ok = (da > 0) & (db > 0)
    change = float(np.max(np.abs(da[ok] / db[ok] - 1.0))) if ok.any() else 0.0
    if change < 0.05:
        return (f"Tempo-normalised on rep {rep} (Shift+Y: real time): its phases already "
                "take the same time on A and B, so little moves.")
    return (f"Tempo-normalised on rep {rep} (Shift+Y: real time): B's phases stretched up "
            f"to {change * 100:.0f} % to meet A's; play the rep to see them line up.")


def _units(r: AnalysisResult) -> list:
    """What a side compares: its weightlifting attempts, else its reps."""
    return list(r.weightlifting.attempts) if r.weightlifting is not None else list(r.reps)


def _span(unit) -> tuple[float, float]:
    """(start, end) of a rep, or of an attempt from lift-off to the end of its last phase."""
    if hasattr(unit, "liftoff_t"):
        return unit.liftoff_t, max(p.end_t for p in unit.phases)
    return unit.start, unit.end
