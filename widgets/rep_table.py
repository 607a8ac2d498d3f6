"""The rep table's rows: one per rep, compact cells (units in the headers, the tempo and
its notation on two lines, a rep's status under its number only when it is not a valid
rep, the MCV's SD under it), every number whole, a tooltip on each cell saying what it
holds, the tempo cell green or red against the prescribed tempo."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from analysis.lift.rep_edit import BOUNDARY_WORDS
from analysis.session.overrides import STATUS_TEXT
from widgets.panel_data import RepView, mpv_tip
from widgets.table_fit import BREAK

#: each cell's item data: the rep's number (its start time is under Qt.UserRole)
REP_NUMBER_ROLE = Qt.UserRole + 1

#: what each rep-table column holds (the headers are kept short to fit the dock)
REP_COLUMN_TIPS = ("rep number (✎: a boundary set by hand); its status under it when it is "
                   "not a valid rep; right-click: set its boundaries, mark it",
                   "tempo: eccentric-pause-concentric-pause (s), then as notation",
                   "mean concentric velocity", "mean propulsive velocity",
                   "peak concentric velocity", "range of motion", "largest sideways drift",
                   "sticking point: height as a share of the ROM", "holds (s)")


def fill_rep_table(table: QTableWidget, reps: list[RepView], unit: str,
                   prescribed: str | None,
                   sd_source: str = "the track's position noise") -> None:
    """Fill ``table`` with a row per rep of ``reps``; ``unit``: "m" (cells in cm and m/s)
    or "px" (px and px/s); ``prescribed``: the session's tempo (3-1-X-0), None without;
    ``sd_source``: what the MCV ± counts, in words (``PanelData.mcv_sd_source``)."""
    u = unit
    table.setColumnCount(9)
    table.setRowCount(len(reps))
    # compact cells (units in the headers, tempo on two lines, a rep's status under its
    # number only when it is not a valid rep) so every column fits the dock's width
    lu, vu = ("cm", "m/s") if u == "m" else ("px", "px/s")
    table.setHorizontalHeaderLabels(
        ["Rep", "Tempo", f"MCV\n{vu}", f"MPV\n{vu}", f"Peak\n{vu}", f"ROM\n{lu}",
         f"Drift\n{lu}", "Stick\n%", "Hold\ns"])
    for col, tip in enumerate(REP_COLUMN_TIPS):
        table.horizontalHeaderItem(col).setToolTip(tip)
    for row, r in enumerate(reps):
        rom = f"{r.rom * 100:.1f}" if u == "m" else f"{r.rom:.0f}"
        drift = f"{r.drift * 100:.1f}" if u == "m" else f"{r.drift:.0f}"
        hold = " + ".join(f"{b - a:.1f}" for a, b, s in r.holds) or "—"
        hold_tip = "; ".join(f"{b - a:.2f} s at {s * 100:.0f} % of the ROM"
                             for a, b, s in r.holds)
        stick = f"{r.sticking[1] * 100:.0f}" if r.sticking else "—"
        vf = ".2f" if u == "m" else ".0f"
        mpv = "—" if r.propulsive_velocity is None else f"{r.propulsive_velocity:{vf}}"
        number = f"{r.number}" + (" ✎" if r.moved or r.edited else "") + (
            " ⚑" if r.flags else "") + (
            f"\n{STATUS_TEXT.get(r.status, r.status)}" if r.status != "valid" else "")
        sd = r.mean_velocity_sd
        # the SD on a second line when the cell's precision can show it
        shown_sd = sd is not None and np.isfinite(sd) and round(sd, 2 if u == "m" else 0) > 0
        mcv = f"{r.mean_velocity:{vf}}" + (f"\n± {sd:{vf}}" if shown_sd else "")
        # a narrow dock may wrap the seconds once, in the middle: at every dash a 460 px
        # dock gave the tempo five lines a rep ("0.6-", "0.0-", ...) and folded the plots
        parts = r.tempo.split("-")
        tempo = ("-".join(parts[:2]) + "-" + BREAK + "-".join(parts[2:]) if len(parts) == 4
                 else r.tempo.replace("-", "-" + BREAK))
        notation = r.notation
        cells = [number, f"{tempo}\n{notation}", mcv, mpv,
                 f"{r.peak_velocity:{vf}}", rom, drift, stick, hold]
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if col == 8 and hold_tip:
                item.setToolTip(hold_tip)
            if col == 2:
                item.setToolTip("mean concentric velocity (holds left out)" + (
                    f"; ± {sd:.3f} {vu} (one standard deviation) from {sd_source}"
                    if sd is not None and np.isfinite(sd) else ""))
            if col == 3:
                item.setToolTip(mpv_tip(r.mean_velocity, r.propulsive_velocity))
            if col == 0:
                item.setToolTip(f"rep {r.number}: {STATUS_TEXT.get(r.status, r.status)}" + (
                    "; ✎ set by hand: " + ", ".join(BOUNDARY_WORDS[b] for b in r.moved)
                    if r.moved else "") + (
                    f"; ✎ {r.edited} by hand (Shift+Backspace puts back the detected reps)"
                    if r.edited else "") + (
                    "; ⚑ not used for velocity loss: " + "; ".join(r.flags)
                    if r.flags else ""))
            if col == 1:
                tip = (f"tempo {r.tempo} s (eccentric-pause-concentric-pause), "
                       f"notation {r.notation}")
                if r.tempo_misses is not None and prescribed:
                    pres = prescribed
                    tip += (f"\non the prescribed {pres}" if not r.tempo_misses else
                            f"\noff the prescribed {pres}: " + "; ".join(r.tempo_misses))
                    item.setBackground(QColor("#2e6b3a" if not r.tempo_misses
                                              else "#8a3030"))
                    item.setForeground(QColor("#ffffff"))
                item.setToolTip(tip)
            item.setData(Qt.UserRole, r.start)
            item.setData(REP_NUMBER_ROLE, r.number)
            if r.status in ("false", "failed"):
                item.setForeground(QColor("#777"))
            table.setItem(row, col, item)
