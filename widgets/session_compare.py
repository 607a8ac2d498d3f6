"""Compare sessions: two sessions of one lifter and exercise, their sets matched by load (or
order), one table with each pair's numbers and the difference; a pair opens in the
synchronised video comparison. Built from an
:class:`analysis.progress.sessions.SessionComparison`."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from analysis.compare.shown import shown_difference
from analysis.progress.history import LB_TO_KG, SetRecord
from analysis.progress.sessions import SessionComparison, SetPair
from analysis.session.track import TARGET_NAMES

COLUMNS = ("Set", "Load", "Reps", "Best MCV\n(m/s)", "Mean MCV\n(m/s)", "Velocity\nloss (%)",
           "ROM\n(cm)", "Tempo (s)", "Tempo\ncompliance")
_FASTER, _SLOWER = QColor(110, 210, 120), QColor(240, 120, 100)
#: for each compared number: (metric key, format spec, unit, scale, higher is better)
_NUMBERS = (("reps", ".0f", "", 1.0, None), ("best_mcv", ".2f", "", 1.0, True),
            ("mean_mcv", ".2f", "", 1.0, True), ("velocity_loss", ".1f", "", 1.0, False),
            ("rom", ".1f", "", 100.0, None), (None, "", "", 1.0, None),
            ("tempo_compliance", ".0f", " %", 1.0, True))


def _point(s: SetRecord | None) -> str:
    """What a set's track followed, in words ("plate centre", "bar end", "point chosen")."""
    return TARGET_NAMES.get(s.tracked_point, s.tracked_point) if s is not None else ""


def _unrecorded_reason(pair: SetPair, sides: str) -> tuple[str, str]:
    """Why a pair is not coloured when a set's tracked point was not recorded (``sides``:
    "a", "b" or "ab", :meth:`SetPair.unrecorded_points`): (on the row, in its tooltip)."""
    if sides == "ab":
        short, who = "points not recorded", "Neither A's nor B's track records"
        known, where = "", "each set"
    else:
        side = sides.upper()
        where = f"{side}'s set"
        other = pair.b if sides == "a" else pair.a
        short, who = f"{side}'s point not recorded", f"{side}'s track does not record"
        known = f" ({'B' if sides == 'a' else 'A'} tracked the {_point(other)})"
    return short, (f"{who} which point it followed{known}: it was saved by an earlier "
                   "version. If the two sets followed different points, their numbers differ "
                   "by the camera's view (the bar end, nearer than the plate, reads larger "
                   "ROM and velocities for the same lift). Say which point it followed "
                   f"(Analysis menu, on {where}), or track the bar again.")


def _left_out_text(cmp: SessionComparison) -> list[str]:
    """Which sets' numbers leave reps out ("A set 1: reps 1, 2, 3, 5 left out: track
    unreliable."), the rule of :mod:`analysis.lift.counted`; [] when none does."""
    said = []
    for side, sets in (("A", [p.a for p in cmp.pairs]), ("B", [p.b for p in cmp.pairs])):
        for s in sets:
            if s is not None and s.left_out_note():
                said.append(f"{side} set {s.set_number}: {s.left_out_note()}.")
    if not said:
        return []
    return ["Flagged ⚑ and partial reps are left out of a set's numbers (shown in the "
            "set's analysis):"] + said


def _num(v: float | None, fmt: str) -> str:
    return "—" if v is None else fmt.format(v)


class SessionCompareWidget(QWidget):
    """Choose sessions A and B and how to match their sets; read the table.

    Signals
    -------
    query_changed(session_a_id, session_b_id, by)
        The user chose other sessions or another matching ("auto", "load" or "order").
    pair_open_requested(pair_index)
        Open that pair in the synchronised video comparison.
    """

    query_changed = Signal(str, str, str)
    pair_open_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None, units: str = "kg") -> None:
        super().__init__(parent)
        self.set_units(units)
        self.session_a = QComboBox(self)
        self.session_b = QComboBox(self)
        self.match = QComboBox(self)
        self.match.addItem("by load, then nearest load", "auto")
        self.match.addItem("by load only", "load")
        self.match.addItem("by order", "order")
        self.match.setToolTip("By load, then nearest load: sets of the same load side by "
                              "side, then the others with the nearest load, then any without "
                              "a load set 1 with set 1 and so on")
        top = QHBoxLayout()
        for text, w in (("A", self.session_a), ("B", self.session_b), ("Sets matched", self.match)):
            top.addWidget(QLabel(text, self))
            top.addWidget(w, 0 if w is self.match else 1)
        self.summary = QLabel("Choose two sessions of the same lifter and exercise.", self)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeToContents)
        head.setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.itemDoubleClicked.connect(lambda it: self._open_row(it.row()))
        self.open_button = QPushButton("Open pair side by side", self)
        self.open_button.setToolTip("Both videos of the selected pair in the synchronised "
                                    "comparison, each with its own analysis")
        self.open_button.clicked.connect(lambda: self._open_row(self.table.currentRow()))
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.open_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        #: table row -> pair index (three rows per pair: A, B, difference)
        self.row_pair: list[int] = []
        self.comparison: SessionComparison | None = None
        for box in (self.session_a, self.session_b, self.match):
            box.currentIndexChanged.connect(self._emit)

    def set_units(self, units: str) -> None:
        """Show loads in "kg" or "lb" (from the next comparison shown)."""
        self.units = units
        self._k = 1.0 / LB_TO_KG if units == "lb" else 1.0

    def set_sessions(self, sessions: list[tuple[str, str]], a_id: str, b_id: str) -> None:
        """Offer ``(session id, label)`` choices with ``a_id`` and ``b_id`` chosen (silent)."""
        for box, want in ((self.session_a, a_id), (self.session_b, b_id)):
            box.blockSignals(True)
            box.clear()
            for sid, label in sessions:
                box.addItem(label, sid)
            i = box.findData(want)
            box.setCurrentIndex(max(i, 0))
            box.blockSignals(False)

    def _emit(self, *_a: object) -> None:
        a, b = self.session_a.currentData(), self.session_b.currentData()
        if a and b:
            self.query_changed.emit(a, b, self.match.currentData())

    # -- showing ------------------------------------------------------------------------

    def show_measuring(self) -> None:
        """Both sessions are being measured (every set's analysis): say so, empty table."""
        self.comparison = None
        self.table.setRowCount(0)
        self.row_pair = []
        self.summary.setText("Measuring the sets of both sessions…")

    def show_comparison(self, cmp: SessionComparison) -> None:
        """Redraw the table and summary from ``cmp`` (the only way data gets in)."""
        self.comparison = cmp
        self.table.setRowCount(0)
        self.row_pair = []
        for i, pair in enumerate(cmp.pairs):
            for side in ("a", "b"):
                self._add_set_row(i, pair, side, cmp)
            self._add_diff_row(i, pair)
        self.summary.setText(self._summary_text(cmp))
        if self.table.rowCount():
            self.table.selectRow(0)

    def _add_set_row(self, i: int, pair: SetPair, side: str, cmp: SessionComparison) -> None:
        s: SetRecord | None = pair.a if side == "a" else pair.b
        info = cmp.a if side == "a" else cmp.b
        name = f"{side.upper()} · {info.date}"
        if s is None:
            # short: the Set column of a narrow window cut "no matching set" to "no matchi…"
            self._add_row(i, [f"{name} · no set"] + [""] * (len(COLUMNS) - 1), dim=True,
                          tip=f"{info.title or info.date} has no set to match the other's "
                              "(at this load, or in this place).")
            return
        load = "—" if s.load_kg is None else f"{s.load_kg * self._k:.1f} {self.units}"
        cells = [f"{name} · set {s.set_number}", load]
        for key, spec, unit, scale, _better in _NUMBERS:
            if key is None:
                cells.append(s.mean_tempo or "—")
                continue
            v = pair.value(side, key)
            cells.append(_num(None if v is None else v * scale, "{:" + spec + "}" + unit))
        if not s.measured:
            cells[2] = "not measured"
        if s.tempo_compliance_pct is None and s.measured:
            cells[-1] = "no tempo set" if not s.prescribed_tempo else "—"
        note = s.left_out_note()  # the set's numbers are over its counted reps only
        left = s.counted.left_out
        if left:
            cells[2] += f" ({len(left)} left out)"
        elif s.counted.from_flagged:
            cells[2] += " (all ⚑)"
        said = list(s.warnings) + ([f"{note[:1].upper()}{note[1:]} (best and mean MCV, "
                                    "velocity loss, ROM, tempo and tempo compliance are over "
                                    "the other reps)"]
                                   if left else [note] if note else [])
        if s.tempo_compliance_pct is not None:  # the % as a count of the reps it is over
            said.append(f"Tempo compliance: {s.tempo_compliance_text(short=bool(note))}")
        self._add_row(i, cells, tip="; ".join(said))

    def _add_diff_row(self, i: int, pair: SetPair) -> None:
        cells = ["Δ B − A", ""]
        colours: list[QColor | None] = [None, None]
        # better or worse only like for like: a lighter bar moves faster
        like = pair.same_load() and pair.same_point()
        # why the difference is not coloured: (on the row, in its tooltip)
        reasons: list[tuple[str, str]] = []
        if pair.complete and pair.points_differ():
            reasons.append(("tracked points differ", f"A tracked the {_point(pair.a)} and B the "
                            f"{_point(pair.b)}. Points at different distances from the camera "
                            "(the bar end is nearer than the plate) read different ROM and "
                            "velocities for the same lift; track the same point in both to "
                            "compare them."))
        unrecorded = pair.unrecorded_points()
        if unrecorded:
            reasons.append(_unrecorded_reason(pair, unrecorded))
        if pair.complete and not pair.same_load():
            la, lb = pair.a.load_kg if pair.a else None, pair.b.load_kg if pair.b else None
            known = la is not None and lb is not None
            reasons.append(("loads differ" if known else "load missing",
                            "The two sets are not at the same load (or a load is missing), so "
                            "a faster bar is not necessarily better."))
            if la is not None and lb is not None:
                cells[1] = f"{(lb - la) * self._k:+.1f} {self.units}"
        if reasons:
            cells[0] = "Δ B − A · " + ", ".join(short for short, _ in reasons)
        for key, spec, unit, scale, better in _NUMBERS:
            va, vb = (pair.value(side, key) if key is not None else None for side in "ab")
            if key is None or va is None or vb is None:
                cells.append("" if key is None else "—")
                colours.append(None)
                continue
            # the difference of the numbers printed above it (9 and 8 read -1, not -2);
            # coloured only when it shows
            shown = shown_difference(va * scale, vb * scale, spec)
            cells.append(shown + unit)
            colours.append(None if better is None or not like or float(shown) == 0 else
                           (_FASTER if (float(shown) > 0) == better else _SLOWER))
        tip = "Not coloured: " + " ".join(long for _, long in reasons) if reasons else ""
        self._add_row(i, cells, bold=True, colours=colours, tip=tip)

    def _add_row(self, pair: int, cells: list[str], dim: bool = False, bold: bool = False,
                 tip: str = "", colours: list[QColor | None] | None = None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.row_pair.append(pair)
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if col:
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            if dim:
                item.setForeground(QBrush(QColor(140, 140, 140)))
            if bold:
                f = QFont(item.font())
                f.setBold(True)
                item.setFont(f)
            if colours is not None and colours[col] is not None:
                item.setForeground(QBrush(colours[col]))
            if tip:
                item.setToolTip(tip)
            self.table.setItem(row, col, item)

    def _summary_text(self, cmp: SessionComparison) -> str:
        full = sum(p.complete for p in cmp.pairs)
        same = sum(p.complete and p.same_load() for p in cmp.pairs)
        how = {"load": "by load", "order": "by order"}.get(cmp.by, "")
        if not how:  # auto: say which way they were paired
            near = sum(p.complete and not p.same_load() and p.a is not None and p.b is not None
                       and p.a.load_kg is not None and p.b.load_kg is not None
                       for p in cmp.pairs)
            ways = [(n, w) for n, w in ((same, "by load"), (near, "by nearest load"),
                                        (full - same - near, "by order")) if n]
            how = ways[0][1] if len(ways) == 1 else " and ".join(
                f"{w} ({n})" for n, w in ways) if ways else "by load"
        parts = [f"{cmp.a.title or cmp.a.date} (A) against {cmp.b.title or cmp.b.date} (B): "
                 f"{full} set(s) matched {how}."]
        if full > same:
            parts.append("Differences are coloured only between sets of the same load (a "
                         "lighter bar moves faster).")
        unlike = sum(p.complete and p.same_load() and not p.same_point() for p in cmp.pairs)
        if unlike:
            parts.append(f"{unlike} pair(s) of the same load tracked different points, or a "
                         "point not recorded: not judged faster or slower.")
        if not full and cmp.by == "load" and cmp.pairs:
            parts.append("No set of A has the load of a set of B: choose “Sets matched: "
                         "by order” to compare set 1 with set 1, and so on.")
        # faster or slower only like for like (same load, same tracked point)
        diffs = [v for v in (p.diff("best_mcv") for p in cmp.pairs
                             if p.same_load() and p.same_point()) if v is not None]
        d = sum(diffs) / len(diffs) if diffs else None
        if d is not None and round(d, 2) == 0:  # "+0.00 (slower in B)" contradicted itself
            parts.append("Best MCV the same on average (within 0.005 m/s).")
        elif d is not None:
            word = "faster" if d > 0 else "slower"
            parts.append(f"Best MCV {d:+.2f} m/s on average ({word} in B).")
        if cmp.a.tempo and cmp.a.tempo == cmp.b.tempo:
            parts.append(f"Prescribed tempo {cmp.a.tempo} in both.")
        else:
            for side, info in (("A", cmp.a), ("B", cmp.b)):
                if info.tempo:
                    parts.append(f"{side}: prescribed tempo {info.tempo}.")
        if not cmp.a.tempo and not cmp.b.tempo:
            parts.append("No prescribed tempo: enter one in Details to see compliance.")
        return " ".join(parts + _left_out_text(cmp) + cmp.notes)

    def cell(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text() if item is not None else ""

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self.row_pair):
            self.pair_open_requested.emit(self.row_pair[row])
