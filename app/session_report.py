"""Session report: a self-contained HTML page and a PDF of the same (for email).

Details and readiness, every set's "How this was measured" (scale, point tracked,
camera) and caveats in the words of the analysis panel
(:func:`analysis.session.measurement.measurement_notes`), its rep table, its vertical-velocity chart with
the phases shaded, its bar path (:mod:`app.report_charts`: SVG in the HTML, vector
pages in the PDF), and the bottom and lockout of every rep with the overlays burned in.

The files get ordinary permissions (``0666`` less the umask, as an exported clip),
and are written atomically: a failed write leaves no half report.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from analysis.export.compose import contact_sheet
from analysis.export.render import ExportFrame
from analysis.lift.rep_edit import BOUNDARY_WORDS
from analysis.lift.result import AnalysisResult
from analysis.session.analyze import analyze_recording, recording_time_scale, session_settings
from analysis.session.document import Recording, Session
from analysis.session.measurement import MeasurementNotes, measurement_notes
from analysis.session.overrides import STATUS_TEXT as REP_STATUS_TEXT
from analysis.session.portable import locate_video
from analysis.tracking import Track
from analysis.video.capture import TimeScale
from analysis.video.errors import VideoError
from analysis.video.index import VideoIndex, build_index
from analysis.video.source import VideoSource
from app.report_charts import bar_path_figure, figure_svg, shown_reps, velocity_figure
from widgets.burn_in import BurnInSpec, make_burn_in

CSS = """body{font-family:sans-serif;max-width:900px;margin:24px auto;color:#222}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;
font-size:13px;text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}
img{max-width:100%;margin:6px 0}.warn{color:#a05a00}.source{color:#777;font-size:12px}
.charts{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start}
.charts svg{height:auto}.velocity svg{width:560px;max-width:100%}.path svg{width:300px}
h3{font-size:14px;margin:10px 0 2px}ul{margin:2px 0 8px;padding-left:22px;font-size:13px}"""


@dataclass
class SetReport:
    """What the report shows for one recording."""

    title: str  # "Set 1 · 120 kg", as the app names the set
    source: str = ""  # the clip's file name
    notes: list[str] = field(default_factory=list)  # plain-language warnings
    result: AnalysisResult | None = None
    sheet: np.ndarray | None = None  # BGR contact sheet of bottoms and lockouts
    key_moments: list[tuple[float, str]] = field(default_factory=list)
    #: how the set was measured and its caveats, as the analysis panel says them
    measured: MeasurementNotes | None = None


# -- lines under the tables ---------------------------------------------------------------

#: How each rep status reads in the report's tables (as everywhere else).
STATUS_TEXT = REP_STATUS_TEXT


def count_text(r: AnalysisResult) -> str:
    """How many reps the set has, as the analysis panel counts them (valid and partial),
    with those the user marked failed or not a rep named: "7 reps (1 marked not a rep)"."""
    sm = r.set_metrics
    text = f"{sm.rep_count} rep{'' if sm.rep_count == 1 else 's'}"
    more = [f"{n} {what}" for n, what in ((sm.failed_count, "failed"),
                                            (sm.false_count, "marked not a rep")) if n]
    return text + (f" ({', '.join(more)})" if more else "")


def attempts_text(n: int) -> str:
    """"1 attempt", "3 attempts"."""
    return f"{n} attempt{'' if n == 1 else 's'}"


def tempo_text(r: AnalysisResult) -> str | None:
    """The reps on the prescribed tempo, as the analysis panel's tooltip says it, naming the
    reps it counts and how a phase is checked: "Prescribed tempo 3-1-X-0: 3 of 6 counted
    reps on tempo (reps 3, 5 left out: track unreliable). Checked: ± 0.5 s a phase; X =
    driven up without a stop." None without a prescribed tempo (or for a weightlifting
    attempt)."""
    if not r.prescribed_tempo or r.weightlifting is not None:
        return None
    from widgets.analysis_panel import TEMPO_TOLERANCE_TEXT

    from analysis.lift.result import tempo_compliance_text

    return (f"Prescribed tempo {r.prescribed_tempo}: {tempo_compliance_text(r.reps)}. "
            f"Checked: ± {TEMPO_TOLERANCE_TEXT}.")


# -- gathering ------------------------------------------------------------------------------


def _details(session: Session) -> list[tuple[str, str]]:
    rd = session.readiness
    return [(k, str(v)) for k, v in (
        ("Lifter", session.lifter or "—"), ("Date", session.date or "—"),
        ("Exercise", session.exercise or "—"), ("Load", _loads(session)),
        ("Sets × reps", f"{session.sets or '—'} × {session.reps or '—'}"),
        ("RPE", f"{session.rpe:g}" if session.rpe else "—"),
        ("Prescribed tempo", session.tempo or "—"),
        ("Slept well", {True: "yes", False: "no", None: "—"}.get(rd.slept_well, "—")),
        ("Recovered (1-5)", rd.recovered or "—"), ("Pain / compensation", rd.pain or "—"),
        ("Intent", rd.intent or "—"))]


def _loads(session: Session) -> str:
    """The session's load, or every set's when a set has its own (``set 1 100 kg, set 2
    120 kg``); "—" when none was entered."""
    unit = session.load_unit
    if all(r.load is None or r.load == session.load for r in session.recordings):
        return f"{session.load:g} {unit}" if session.load else "—"
    return ", ".join(f"set {r.set_number} " + (f"{load:g} {unit}" if load else "—")
                     for r in session.recordings for load in [session.load_of(r)])


def set_title(session: Session, rec: Recording) -> str:
    """``Set 2 · 120 kg``: the set's number and load (its own, else the session's), as
    the comparison captions name a set; ``Set 2`` without a load."""
    load = session.load_of(rec)
    return f"Set {rec.set_number} · {load:g} {session.load_unit}" if load else \
        f"Set {rec.set_number}"


def gather(session: Session, progress=None, cancel=None) -> list[SetReport]:
    """Analyse every recording and grab its rep pictures (off the GUI thread)."""
    sets: list[SetReport] = []
    for i, rec in enumerate(session.recordings):
        if cancel is not None and cancel():
            break
        if progress:
            progress(i, len(session.recordings))
        item = SetReport(set_title(session, rec), Path(rec.video_path).name)
        sets.append(item)
        found = locate_video(rec)
        if rec.track is None:
            item.notes.append("Not tracked yet.")
        if not found:
            item.notes.append("The video was not found; no pictures.")
        item.key_moments = [(km.t, km.title) for km in rec.key_moments]
        tr = rec.track
        if tr is None:
            continue
        m = rec.calibration.m_per_px if rec.calibration else None
        try:
            # slow motion: every number in real time (the file found may have moved)
            where = dataclasses.replace(rec, video_path=str(found[0])) if found else rec
            ts = recording_time_scale(where)
            item.result = analyze_recording(rec, session.exercise, session_settings(session),
                                             time_scale=ts)
        except ValueError as exc:
            item.notes.append(str(exc))
            continue
        if item.result is None:
            item.notes.append("No frame of the track has the bar.")
            continue
        index = _index(found[0], item) if found else None
        item.measured = measurement_notes(item.result, index.warnings if index else ())
        if index is not None and shown_reps(item.result):
            item.sheet = _rep_sheet(str(found[0]), rec, tr, item.result, m, ts, index)
    return sets


def _index(path: Path, item: SetReport) -> VideoIndex | None:
    """The video's index (what is wrong with the file is among the set's caveats, as the
    analysis panel says it); None, said in the set's notes, when it cannot be read."""
    try:
        return build_index(str(path))
    except VideoError as exc:
        item.notes.append(f"{exc} No pictures.")
        return None


def _rep_sheet(path: str, rec, tr: Track, r, m_per_px, ts: TimeScale | None = None,
               index: VideoIndex | None = None) -> np.ndarray:
    images, captions = [], []
    with VideoSource(path, index) as src:
        idx = src.index
        spec = BurnInSpec((idx.width, idx.height), list(rec.annotations), m_per_px, tr.t, tr.x,
                          tr.y, trail="full", time_factor=ts.factor if ts is not None else 1.0)
        render = make_burn_in(spec)
        for rep in shown_reps(r):
            for label, t in (("bottom", rep.bottom_time), ("lockout", rep.phases["concentric"][1])):
                n = idx.frame_at_time(ts.file(t) if ts is not None else t)
                f = src.read(n)
                ef = ExportFrame(f.index, f.time, f.image.copy(), f.time, 1.0, 1.0)
                images.append(render(ef, 0))
                captions.append(f"rep {rep.number} {label} ({t:.2f} s)")
    return contact_sheet(images, captions, columns=4, cell_width=220)


#: The attempt table's columns that are heights (their zero is said in the header).
HEIGHT_COLUMNS = ("peak_height_cm", "catch_height_cm")


def attempt_head(r: AnalysisResult, sep: str) -> list[str]:
    """The attempt table's headers with the zero of its heights said where they are
    ("Peak cm above the floor", as the bar path's height axis), ``sep`` between the
    unit and that (a line break where the cell is narrow)."""
    from analysis.lift.attempts import ATTEMPT_COLUMNS, height_reference

    assert r.weightlifting is not None
    ref = height_reference(r.weightlifting)
    return [head.replace("\n", " ") + (sep + ref if key in HEIGHT_COLUMNS else "")
            for key, head, _tip, _fn in ATTEMPT_COLUMNS]


def _rep_rows(r: AnalysisResult) -> tuple[list[str], list[list[str]]]:
    if r.weightlifting is not None:  # a snatch, clean or jerk: the attempt table
        from analysis.lift.attempts import attempt_rows

        return attempt_head(r, " "), attempt_rows(r.weightlifting.attempts)
    head = ["Rep", "Tempo", "MCV", "MPV", "Peak v", "ROM", "Sticking", "Hold", "Status"]
    vu = "m/s" if r.units == "m" else "px/s"
    rows = []
    for rep in r.reps:
        mt = rep.metrics
        rom = f"{mt.rom * 100:.1f} cm" if r.units == "m" else f"{mt.rom:.0f} px"
        sp = f"{mt.sticking_point.height_pct:.0f} %" if mt.sticking_point else "—"
        hold = ", ".join(f"{h.duration:.1f} s at {h.height_pct:.0f} %" for h in rep.holds) \
            or "—"
        mpv = "—" if mt.mean_propulsive_velocity is None else \
            f"{mt.mean_propulsive_velocity:.2f} {vu}"
        status = STATUS_TEXT.get(rep.status, rep.status) + (
            f" ({', '.join(BOUNDARY_WORDS[b] for b in rep.moved)} set by hand)"
            if rep.moved else "") + (f" ({rep.edited} by hand)" if rep.edited else "") + (
            f" (flagged: {'; '.join(rep.flags)})" if rep.flags else "")
        tempo = f"{rep.tempo_text} ({rep.tempo_notation})"
        if rep.tempo_check is not None:  # against the session's prescribed tempo
            missed = [k.replace("_", " ") for k, ok in rep.tempo_check.items() if not ok]
            tempo += " ✓" if not missed else " ✗ " + ", ".join(missed)
        rows.append([str(rep.number), tempo, mcv_text(mt.mean_concentric_velocity,
                                                      mt.mean_concentric_velocity_sd, vu), mpv,
                     f"{mt.peak_concentric_velocity:.2f} {vu}", rom, sp, hold, status])
    return head, rows


def mcv_text(mcv: float, sd: float | None, unit: str) -> str:
    """A rep's MCV as the rep table shows it: with its ± (one standard deviation) when
    two decimals show it ("0.52 ± 0.02 m/s"), as the analysis panel's table."""
    shown = sd is not None and np.isfinite(sd) and round(sd, 2) > 0
    return f"{mcv:.2f} ± {sd:.2f} {unit}" if shown else f"{mcv:.2f} {unit}"


def _attempt_notes(r: AnalysisResult) -> list[str]:
    """Under the attempt table: each attempt's phases and jerk, and where its heights are
    measured from (the warnings are the set's caveats)."""
    if r.weightlifting is None:
        return []
    from analysis.lift.attempts import jerk_text
    from analysis.lift.attempts import PHASE_LABELS

    out = []
    for a in r.weightlifting.attempts:
        out.append(f"Attempt {a.number}: " + ", ".join(
            f"{PHASE_LABELS.get(p.name, p.name)} {p.duration_s:.2f} s" for p in a.phases))
        if a.jerk:
            out.append(f"Attempt {a.number} {jerk_text(a)}")
    if r.weightlifting.attempts:
        from analysis.lift.attempts import cm_text, from_floor, height_reference

        rest = r.weightlifting.attempts[0].liftoff_height_m  # half a plate's diameter
        basis = f" (the bar's centre at {cm_text(rest)} cm at lift-off: plates on the floor)" \
            if from_floor(r.weightlifting) else ""
        out.append(f"Heights in cm {height_reference(r.weightlifting)}{basis}, in the table "
                   "and the bar path; horizontal from the lift-off, + away from the lifter.")
    return out


def _loss_text(r: AnalysisResult) -> tuple[str, bool] | None:
    """The set's numbers under its rep table, as the analysis panel and the command line
    take them (over the reps :mod:`analysis.lift.counted` counts): best and mean MCV, the
    velocity loss with the reps it compares, and the reps left out; whether the loss is
    over its threshold. None for an attempt, or a set without numbers."""
    sm = r.set_metrics
    if r.weightlifting is not None:
        return None
    vu = "m/s" if r.units == "m" else "px/s"
    parts = []
    if sm.best_mcv is not None and sm.fastest_rep is not None:
        mean = f", mean MCV {sm.mean_mcv:.2f} {vu}" if sm.mean_mcv is not None else ""
        parts.append(f"Best MCV {sm.best_mcv:.2f} {vu} (rep {sm.fastest_rep}){mean}.")
    loss = sm.loss_text()
    if loss:
        way = "bar down first" if r.direction == "down_first" else "bar up first"
        if r.direction_source == "motion":
            way += ", read from the motion"
        over = ", over the threshold" if sm.velocity_loss.flagged else ""
        parts.append(f"Velocity loss {loss} ({way}){over}.")
    note = sm.counted.note(of=" of the set's numbers")
    if note:
        parts.append(note[:1].upper() + note[1:] + ".")
    return (" ".join(parts), bool(sm.velocity_loss.flagged)) if parts else None


# -- HTML -------------------------------------------------------------------------------------


def _png(img_bgr: np.ndarray) -> str:
    ok, buf = cv2.imencode(".png", img_bgr)
    return base64.b64encode(buf.tobytes()).decode() if ok else ""


#: The headings of a set's basis and caveats
HOW_MEASURED, CAVEATS = "How this was measured", "Caveats"


def _measured_html(m: MeasurementNotes) -> list[str]:
    """The set's "How this was measured" list, then its "Caveats" (none: no heading)."""
    e = html.escape
    out = [f"<h3>{HOW_MEASURED}</h3><ul>" + "".join(f"<li>{e(w)}</li>" for w in m.how)
           + "</ul>"]
    if m.caveats:
        out.append(f"<h3 class=warn>{CAVEATS}</h3><ul class=warn>"
                   + "".join(f"<li>{e(w)}</li>" for w in m.caveats) + "</ul>")
    return out


def render_html(session: Session, sets: list[SetReport]) -> str:
    e = html.escape
    parts = [f"<!doctype html><meta charset='utf-8'><title>{e(session.title)}</title>",
             f"<style>{CSS}</style><h1>{e(session.title)}</h1><table>"]
    for k, v in _details(session):
        parts.append(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>")
    parts.append("</table>")
    if session.notes.strip():
        parts.append(f"<h2>Notes</h2><p>{e(session.notes.strip())}</p>")
    for item in sets:
        parts.append(f"<h2>{e(item.title)}</h2>")
        if item.source:
            parts.append(f"<p class=source>{e(item.source)}</p>")
        for note in item.notes:
            parts.append(f"<p class=warn>{e(note)}</p>")
        if item.measured is not None:
            parts += _measured_html(item.measured)
        r = item.result
        if r is not None:
            head, rows = _rep_rows(r)
            parts.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>")
            for row in rows:
                parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>")
            parts.append("</table>")
            for line in _attempt_notes(r):
                parts.append(f"<p>{e(line)}</p>")
            if r.weightlifting is None:
                parts.append(f"<p><b>{e(count_text(r))}</b></p>")
            if tempo_text(r):
                parts.append(f"<p>{e(tempo_text(r) or '')}</p>")
            loss = _loss_text(r)
            if loss:
                warn = " class=warn" if loss[1] else ""
                parts.append(f"<p><span{warn}>{e(loss[0])}</span></p>")
            parts.append("<div class=charts>"
                         f"<div class=velocity>{figure_svg(velocity_figure(r))}</div>"
                         f"<div class=path>{figure_svg(bar_path_figure(r))}</div></div>")
        if item.sheet is not None:
            parts.append(f"<img alt='bottom and lockout of every rep' "
                         f"src='data:image/png;base64,{_png(item.sheet)}'>")
        if item.key_moments:
            parts.append("<p><b>Key moments:</b> " + "; ".join(
                f"{t:.2f} s {e(title)}" for t, title in item.key_moments) + "</p>")
    parts.append("<p style='color:#888;font-size:11px'>Made with LiftLens.</p>")
    return "\n".join(parts)


def build_report(session: Session, progress=None, cancel=None) -> str:
    """The report's HTML (runs off the GUI thread: decoding, painting on QImages)."""
    return render_html(session, gather(session, progress, cancel))


# -- PDF --------------------------------------------------------------------------------------

A4 = (8.27, 11.69)  # inches


def render_pdf(session: Session, sets: list[SetReport], path_or_file) -> int:
    """Write the report as an A4 PDF (:func:`app.report_pdf.render_pdf`); returns the
    number of pages."""
    from app.report_pdf import render_pdf as render

    return render(session, sets, path_or_file)


# -- writing ----------------------------------------------------------------------------------


def write_public(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically with ordinary permissions. Raises
    :class:`SessionFileError` in plain words (nothing half-written is left)."""
    from analysis.io.atomic import atomic_write_bytes, plain_save_error
    from analysis.session.document import SessionFileError

    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise SessionFileError(plain_save_error(path, exc)) from exc


def write_report(session: Session, path: str, progress=None, cancel=None,
                 pdf: bool = True) -> str:
    """Write the HTML report to ``path`` and, with ``pdf``, the PDF next to it (same name,
    ``.pdf``). Returns ``path``. Raises :class:`SessionFileError` when a file cannot be
    written (nothing half-written is left)."""
    sets = gather(session, progress, cancel)
    out = Path(path)
    write_public(out, render_html(session, sets).encode("utf-8"))
    if pdf:
        buf = io.BytesIO()
        render_pdf(session, sets, buf)
        write_public(out.with_suffix(".pdf"), buf.getvalue())
    return path


def report_paths(path: str) -> tuple[str, str]:
    """The HTML and PDF files :func:`write_report` writes for ``path``."""
    p = Path(path)
    return str(p), str(p.with_suffix(".pdf"))
