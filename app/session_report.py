"""One-page session report (self-contained HTML): details and readiness, every set's
numbers, plots and the bottom and lockout of every rep with the overlays burned in."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QBuffer, QIODevice

from analysis.export.compose import contact_sheet
from analysis.export.render import ExportFrame
from analysis.session.document import Session
from analysis.session.analyze import analyze_recording
from analysis.session.portable import atomic_write_text, locate_video
from analysis.tracking import Track
from analysis.video.source import VideoSource
from widgets.burn_in import BurnInSpec, make_burn_in
from widgets.report_charts import line_chart

CSS = """body{font-family:sans-serif;max-width:900px;margin:24px auto;color:#222}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;
font-size:13px;text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}
img{max-width:100%;margin:6px 0}.warn{color:#a05a00}"""


def _png(img_bgr: np.ndarray) -> str:
    ok, buf = cv2.imencode(".png", img_bgr)
    return base64.b64encode(buf.tobytes()).decode() if ok else ""


def _qimage_png(qimg) -> str:
    buf = QBuffer()
    buf.open(QIODevice.WriteOnly)
    qimg.save(buf, "PNG")
    return base64.b64encode(bytes(buf.data())).decode()


def build_report(session: Session, progress=None, cancel=None) -> str:
    """The report's HTML (runs off the GUI thread: decoding, painting on QImages)."""
    e = html.escape
    rd = session.readiness
    load = f"{session.load:g} {session.load_unit}" if session.load else "—"
    parts = [f"<!doctype html><meta charset='utf-8'><title>{e(session.title)}</title>",
             f"<style>{CSS}</style><h1>{e(session.title)}</h1><table>"]
    for k, v in (("Lifter", session.lifter), ("Date", session.date), ("Exercise", session.exercise),
                 ("Load", load), ("Sets × reps", f"{session.sets or '—'} × {session.reps or '—'}"),
                 ("RPE", f"{session.rpe:g}" if session.rpe else "—"),
                 ("Slept well", {True: "yes", False: "no", None: "—"}.get(rd.slept_well, "—")),
                 ("Recovered (1-5)", rd.recovered or "—"), ("Pain / compensation", rd.pain or "—"),
                 ("Intent", rd.intent or "—")):
        parts.append(f"<tr><td>{e(k)}</td><td>{e(str(v))}</td></tr>")
    parts.append("</table>")
    if session.notes:
        parts.append(f"<p>{e(session.notes)}</p>")
    for i, rec in enumerate(session.recordings):
        if cancel is not None and cancel():
            break
        if progress:
            progress(i, len(session.recordings))
        parts.append(f"<h2>Set {rec.set_number}: {e(Path(rec.video_path).name)}</h2>")
        found = locate_video(rec)
        if rec.track is None:
            parts.append("<p>Not tracked yet.</p>")
        if not found:
            parts.append("<p class=warn>The video was not found; no pictures.</p>")
        tr = rec.track
        if tr is None:
            continue
        m = rec.calibration.m_per_px if rec.calibration else None
        try:
            r = analyze_recording(rec, session.exercise)
        except ValueError as exc:
            parts.append(f"<p class=warn>{e(str(exc))}</p>")
            continue
        if r is None:
            parts.append("<p>No frame of the track has the bar.</p>")
            continue
        parts.append(_set_table(r))
        k = r.kinematics
        spans = [(kind, s0, s1) for rep in r.reps for kind, (s0, s1) in rep.phases.items()]
        vu = "m/s" if r.units == "m" else "px/s"
        parts.append(f"<img src='data:image/png;base64,"
                     f"{_qimage_png(line_chart(k.t, k.vy, title='Vertical velocity', y_label=vu, spans=spans))}'>")
        parts.append(f"<img src='data:image/png;base64,"
                     f"{_qimage_png(line_chart(k.x, k.height, title='Bar path', y_label=r.units, size=(420, 420), aspect_equal=True))}'>")
        if found and r.reps:
            parts.append(_rep_sheet(str(found[0]), rec, tr, r, m))
        if rec.key_moments:
            parts.append("<p><b>Key moments:</b> " + "; ".join(
                f"{km.t:.2f} s {e(km.title)}" for km in rec.key_moments) + "</p>")
    parts.append("<p style='color:#888;font-size:11px'>Made with LiftLens.</p>")
    return "\n".join(parts)


def _set_table(r) -> str:
    u = r.units
    rows = ["<table><tr><th>Rep</th><th>Tempo</th><th>Mean v</th><th>Peak v</th><th>ROM</th>"
            "<th>Sticking</th><th>Hold</th><th>Status</th></tr>"]
    for rep in r.reps:
        mt = rep.metrics
        rom = f"{mt.rom * 100:.1f} cm" if u == "m" else f"{mt.rom:.0f} px"
        sp = f"{mt.sticking_point.height_pct:.0f} %" if mt.sticking_point else "—"
        hold = f"{sum(h.duration for h in rep.holds):.2f} s" if rep.holds else "—"
        rows.append(f"<tr><td>{rep.number}</td><td>{rep.tempo_text} ({rep.tempo_notation})</td>"
                    f"<td>{mt.mean_concentric_velocity:.2f}</td>"
                    f"<td>{mt.peak_concentric_velocity:.2f}</td><td>{rom}</td><td>{sp}</td>"
                    f"<td>{hold}</td><td>{rep.status}</td></tr>")
    vl = r.set_metrics.velocity_loss
    rows.append("</table>")
    if vl.best_last_pct is not None:
        flag = " <span class=warn>(over the threshold)</span>" if vl.flagged else ""
        rows.append(f"<p>Velocity loss: first→last {vl.first_last_pct:.0f} %, best→last "
                    f"{vl.best_last_pct:.0f} %{flag}</p>")
    return "".join(rows)


def _rep_sheet(path: str, rec, tr: Track, r, m_per_px) -> str:
    images, captions = [], []
    with VideoSource(path) as src:
        idx = src.index
        spec = BurnInSpec((idx.width, idx.height), list(rec.annotations), m_per_px, tr.t, tr.x,
                          tr.y, trail="full")
        render = make_burn_in(spec)
        for rep in r.reps:
            for label, t in (("bottom", rep.turn_time), ("lockout", rep.phases["concentric"][1])):
                n = idx.frame_at_time(t)
                f = src.read(n)
                ef = ExportFrame(f.index, f.time, f.image.copy(), f.time, 1.0, 1.0)
                images.append(render(ef, 0))
                captions.append(f"rep {rep.number} {label} ({t:.2f} s)")
    sheet = contact_sheet(images, captions, columns=4, cell_width=220)
    return f"<img src='data:image/png;base64,{_png(sheet)}'>"


def write_report(session: Session, path: str, progress=None, cancel=None) -> str:
    atomic_write_text(Path(path), build_report(session, progress, cancel))
    return path
