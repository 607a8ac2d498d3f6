"""``summary.csv`` of a batch (see :mod:`analysis.batch.run`): a row per clip, then a row
per rep or attempt."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.batch.run import ClipReport

#: ``units`` is the unit of lengths (``rom``, heights: ``m`` or ``px``) and
#: ``velocity_units`` that of ``mcv`` and ``peak_velocity`` (``m/s`` or ``px/s``), next
#: to it (2026-12: before, ``units`` alone stood for both, and m/s was never said)
SUMMARY_COLUMNS = ("file", "status", "reason", "lifter", "exercise", "load", "lift", "rep", "reps",
                   "rep_status", "mcv", "peak_velocity", "velocity_loss_pct", "rom", "units",
                   "velocity_units", "tempo", "warnings", "seconds", "result", "attempt",
                   "peak_height", "catch_height")

def summary_csv(reports: Sequence[ClipReport]) -> str:
    """``summary.csv`` text: per clip a row (``rep`` empty) then a row per rep.

    Velocities (``mcv``, ``peak_velocity``) are in ``velocity_units`` (``m/s`` with a
    plate calibration, else ``px/s``), ``rom``, ``peak_height`` and ``catch_height`` in
    ``units`` (``m`` or ``px``); ``velocity_loss_pct`` is the set's best-to-last loss on
    the clip row and the rep's loss against the set's fastest rep on rep rows
    (:func:`analysis.batch.job.summarise`).
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(SUMMARY_COLUMNS)
    for r in reports:
        s = r.summary
        load = r.label.load
        base = {"file": r.clip.shown, "lifter": r.label.lifter,
                "exercise": r.label.exercise,
                "load": f"{load:g} {r.label.load_unit}" if load is not None else "",
                # a snatch, clean or jerk: the lift measured, not its generic rep profile
                "lift": s["lift"] if "attempt_rows" in s else r.lift}
        if r.status == "failed":
            row = {**base, "status": "failed", "reason": r.reason,
                   "warnings": "; ".join(m for m in (r.message, r.row_note) if m),
                   "seconds": _fmt(r.seconds, 2)}
            w.writerow([row.get(c, "") for c in SUMMARY_COLUMNS])
            continue
        warnings = list(s.get("warnings", []))
        if r.library_note:
            warnings.insert(0, r.library_note)
        if r.library_error:
            warnings.insert(0, f"not added to the library: {r.library_error}")
        if r.status == "done" and r.changes:
            warnings.insert(0, f"analysed again: {'; '.join(r.changes)}")
        if r.row_note:  # measured without its manifest row, or matched by name alone
            warnings.insert(0, r.row_note)
        units = s.get("units", "")
        speed = f"{units}/s" if units else ""
        row = {**base, "status": r.status if not r.library_error else "failed",
               "reason": "library" if r.library_error else "", "reps": s.get("reps", ""),
               "mcv": _fmt(s.get("mcv"), 3), "velocity_loss_pct": _fmt(s.get("velocity_loss_pct"), 1),
               "rom": _fmt(s.get("rom"), 3), "units": units, "velocity_units": speed,
               "warnings": "; ".join(warnings),
               "seconds": _fmt(r.seconds, 2), "result": r.result}
        w.writerow([row.get(c, "") for c in SUMMARY_COLUMNS])
        for rr in s.get("rep_rows", []):
            row = {**base, "status": r.status, "rep": rr["rep"], "rep_status": rr["status"],
                   "mcv": _fmt(rr.get("mcv"), 3), "peak_velocity": _fmt(rr.get("peak_velocity"), 3),
                   "velocity_loss_pct": _fmt(rr.get("velocity_loss_pct"), 1),
                   "rom": _fmt(rr.get("rom"), 3), "units": units, "velocity_units": speed,
                   "tempo": rr.get("tempo", ""),
                   "result": r.result}
            w.writerow([row.get(c, "") for c in SUMMARY_COLUMNS])
        for ar in s.get("attempt_rows", []):  # a snatch, clean or jerk: m and m/s
            row = {**base, "status": r.status, "attempt": ar["attempt"],
                   "rep_status": ar["result"], "units": "m",
                   "velocity_units": "m/s",
                   "peak_velocity": _fmt(ar.get("peak_velocity"), 3),
                   "peak_height": _fmt(ar.get("peak_height"), 3),
                   "catch_height": _fmt(ar.get("catch_height"), 3), "result": r.result}
            w.writerow([row.get(c, "") for c in SUMMARY_COLUMNS])
    return buf.getvalue()


def _fmt(v: Any, nd: int) -> str:
    return "" if v is None else f"{float(v):.{nd}f}"
