"""Edit the open session's details: lifter, date, exercise, load, sets × reps, RPE,
notes and the readiness check."""

from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDoubleSpinBox, QFormLayout,
                               QHBoxLayout, QLineEdit, QPlainTextEdit, QSpinBox, QWidget)

from analysis.session.document import Readiness, Session


class SessionFormWidget(QWidget):
    """Emits ``edited(fields)`` with only what the user changed."""

    edited = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.lifter = QLineEdit(self)
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.exercise = QComboBox(self)
        self.exercise.setEditable(True)
        self.exercise.addItems(["", "back squat", "front squat", "bench press", "deadlift",
                                "overhead press", "clean and jerk", "snatch"])
        self.load = QDoubleSpinBox(self)
        self.load.setRange(0, 2000)
        self.load.setDecimals(1)
        self.load.setSpecialValueText("—")
        self.unit = QComboBox(self)
        self.unit.addItems(["kg", "lb"])
        load_row = QHBoxLayout()
        load_row.addWidget(self.load, 1)
        load_row.addWidget(self.unit)
        self.sets = QSpinBox(self)
        self.reps = QSpinBox(self)
        for b in (self.sets, self.reps):
            b.setRange(0, 100)
            b.setSpecialValueText("—")
        sr = QHBoxLayout()
        sr.addWidget(self.sets)
        sr.addWidget(self.reps)
        self.rpe = QDoubleSpinBox(self)
        self.rpe.setRange(0, 10)
        self.rpe.setSingleStep(0.5)
        self.rpe.setDecimals(1)
        self.rpe.setSpecialValueText("—")
        self.tempo = QLineEdit(self)
        self.tempo.setPlaceholderText("prescribed, e.g. 3-1-X-0")
        self.tempo.setToolTip("Eccentric-bottom-concentric-top in seconds (X = explosive); "
                              "each rep's tempo is checked against it (± 0.5 s)")
        self.slept = QCheckBox("Slept well", self)
        self.recovered = QSpinBox(self)
        self.recovered.setRange(0, 5)
        self.recovered.setSpecialValueText("—")
        self.recovered.setToolTip("How recovered do you feel? 1 (not at all) to 5 (fully)")
        self.pain = QLineEdit(self)
        self.pain.setPlaceholderText("any pain or compensation?")
        self.intent = QLineEdit(self)
        self.intent.setPlaceholderText("intent of this session")
        self.notes = QPlainTextEdit(self)
        self.notes.setMaximumHeight(90)
        form.addRow("Lifter", self.lifter)
        form.addRow("Date", self.date)
        form.addRow("Exercise", self.exercise)
        form.addRow("Load", load_row)
        form.addRow("Sets × reps", sr)
        form.addRow("RPE", self.rpe)
        form.addRow("Tempo", self.tempo)
        form.addRow("Readiness", self.slept)
        form.addRow("Recovered (1-5)", self.recovered)
        form.addRow("Pain", self.pain)
        form.addRow("Intent", self.intent)
        form.addRow("Notes", self.notes)
        self._loading = False
        self.lifter.editingFinished.connect(lambda: self._emit(lifter=self.lifter.text()))
        self.date.dateChanged.connect(lambda d: self._emit(date=d.toString("yyyy-MM-dd")))
        self.exercise.currentTextChanged.connect(lambda t: self._emit(exercise=t))
        self.load.valueChanged.connect(lambda v: self._emit(load=v or None))
        self.unit.currentTextChanged.connect(lambda u: self._emit(load_unit=u))
        self.sets.valueChanged.connect(lambda v: self._emit(sets=v or None))
        self.reps.valueChanged.connect(lambda v: self._emit(reps=v or None))
        self.rpe.valueChanged.connect(lambda v: self._emit(rpe=v if v >= 1 else None))
        self.tempo.editingFinished.connect(self._on_tempo_edited)
        for w in (self.slept, self.recovered, self.pain, self.intent):
            sig = getattr(w, "toggled", None) or getattr(w, "valueChanged", None) \
                or w.editingFinished
            sig.connect(lambda *_: self._emit(readiness=self._readiness()))
        self.notes.textChanged.connect(lambda: self._emit(notes=self.notes.toPlainText()))
        self.setEnabled(False)

    def _on_tempo_edited(self) -> None:
        from analysis.lift.rep_metrics import parse_tempo

        text = self.tempo.text().strip()
        try:
            if text:
                parse_tempo(text)
        except ValueError as exc:
            self.tempo.setToolTip(f"Not a tempo: {exc}")
            self.tempo.setStyleSheet("color: #ff7a6a")
            return
        self.tempo.setStyleSheet("")
        self._emit(tempo=text)

    def _readiness(self) -> Readiness:
        return Readiness(self.slept.isChecked(), self.recovered.value() or None,
                         self.pain.text(), self.intent.text())

    def _emit(self, **fields) -> None:
        if not self._loading:
            self.edited.emit(fields)

    def set_session(self, s: Session | None) -> None:
        self._loading = True
        try:
            self.setEnabled(s is not None)
            if s is None:
                return
            self.lifter.setText(s.lifter)
            self.date.setDate(QDate.fromString(s.date, "yyyy-MM-dd"))
            self.exercise.setCurrentText(s.exercise)
            self.load.setValue(s.load or 0)
            self.unit.setCurrentText(s.load_unit)
            self.sets.setValue(s.sets or 0)
            self.reps.setValue(s.reps or 0)
            self.rpe.setValue(s.rpe or 0)
            self.tempo.setText(s.tempo)
            self.slept.setChecked(bool(s.readiness.slept_well))
            self.recovered.setValue(s.readiness.recovered or 0)
            self.pain.setText(s.readiness.pain)
            self.intent.setText(s.readiness.intent)
            if self.notes.toPlainText() != s.notes:
                self.notes.setPlainText(s.notes)
        finally:
            self._loading = False
