"""Edit the open session's details: lifter, date, exercise, load, sets × reps, RPE,
notes and the readiness check; and the load of the set on screen, when it was lifted at
another load than the session's (warm-ups, pyramids, back-off sets)."""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QValidator
from PySide6.QtWidgets import (QAbstractSpinBox, QCheckBox, QComboBox, QDateEdit,
                               QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QSpinBox, QWidget)

from analysis.session.document import Readiness, Recording, Session


#: Typing in a text field is stored once it pauses this long (ms), as well as when the
#: field loses focus or Enter is pressed: the README promises that at most about a second
#: of work is at risk, and a name typed just before closing the window was lost.
TYPING_PAUSE_MS = 600
LOAD_TIP = ("The load of every set of this session that has no load of its own (a set "
            "lifted at another load: select it and type its load under this)")
SET_LOAD_TIP = ("The load of the set on screen, when it differs from the session's (warm-up, "
                "pyramid, back-off set). Left at “as the session” (0, or empty), it counts "
                "at the session's load. Progress and Compare sessions use each set's load.")
TEMPO_TIP = ("Eccentric-bottom-concentric-top in seconds, e.g. 3-1-X-0; each rep's tempo "
             "is checked against it (± 0.5 s a phase). X = explosive intent: drive the bar "
             "up as fast as possible; met when it is driven up without a stop, however long "
             "a heavy rep takes")


def _bare(box: QSpinBox | QDoubleSpinBox, text: str) -> str:
    """``text`` without the box's suffix and special value ("—"): what was typed."""
    special = box.specialValueText()
    text = text.replace(box.suffix(), "") if box.suffix() else text
    return (text.replace(special, "") if special else text).strip()


class CountBox(QSpinBox):
    """A whole number (sets, reps, 1-5) whose emptied field is its special value ("—"):
    emptied, it went back to the old number when left, so a number could not be cleared
    by deleting it."""

    def __init__(self, top: int, special: str = "—", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, top)
        self.setSpecialValueText(special)
        self.setKeyboardTracking(False)  # stored once typed: 12 reps stored 1, then 12

    def validate(self, text: str, pos: int) -> object:  # noqa: D102 - Qt override
        if not _bare(self, text):
            return QValidator.Acceptable, text, pos
        return super().validate(text, pos)

    def valueFromText(self, text: str) -> int:  # noqa: N802 - Qt override
        return self.minimum() if not _bare(self, text) else super().valueFromText(text)


class DecimalBox(QDoubleSpinBox):
    """A decimal number (a load, RPE) whose emptied field is its special value ("—", "as
    the session"), and which reads either decimal separator: "8,5" is 8.5 whatever the
    system's language. (With "." the decimal point, "102,5" was read as 1025 kg, and
    "8,5" could not be typed in RPE at all; a load or RPE never needs a thousands
    separator.)"""

    def __init__(self, special: str, top: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, top)
        self.setDecimals(1)
        self.setSpecialValueText(special)
        # stored once typed (Enter, Tab, focus out, the arrows, a pause), not at every
        # keystroke: typing 105 stored 1, 10 and 105 kg, and said so, and Progress followed
        self.setKeyboardTracking(False)

    def _point(self, text: str) -> str:
        """``text`` with the other decimal separator turned into this box's own."""
        point = self.locale().decimalPoint()
        return text.replace("," if point == "." else ".", point)

    def validate(self, text: str, pos: int) -> object:  # noqa: D102 - Qt override
        text = self._point(text)
        if not _bare(self, text):
            return QValidator.Acceptable, text, pos
        return super().validate(text, pos)

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt override
        text = self._point(text)
        return self.minimum() if not _bare(self, text) else super().valueFromText(text)


class LoadBox(DecimalBox):
    """A load (0-2000, one decimal): see :class:`DecimalBox`."""

    def __init__(self, special: str, parent: QWidget | None = None) -> None:
        super().__init__(special, 2000, parent)


def _shown(box: QAbstractSpinBox) -> str:
    """The text ``box`` shows for its stored value (what it holds when nothing is typed)."""
    if isinstance(box, QDateEdit):
        return box.date().toString(box.displayFormat())
    assert isinstance(box, (QSpinBox, QDoubleSpinBox))
    if box.specialValueText() and box.value() == box.minimum():
        return box.specialValueText()
    return box.prefix() + box.textFromValue(box.value()) + box.suffix()


class SessionFormWidget(QWidget):
    """Emits ``edited(fields)`` with only what the user changed, and
    ``set_load_edited(recording_id, load)`` (None: as the session) for the set on screen
    (:meth:`set_recording`).

    Every field is stored when typing pauses (:data:`TYPING_PAUSE_MS`), when it loses
    focus or on Enter; :meth:`commit` stores what is still pending (call it before the
    window closes, another session opens or another set is shown). A number that cannot
    be read is not stored: ``refused(message)`` says so, and the field shows its value. While ``edited`` is emitted, :attr:`typing` says whether the field is
    still being typed in (a pause, the notes at each key); ``typing_finished`` follows
    when a field is left or Enter is pressed, so an undo step spans one field's typing.
    Numbers are stored once typed (as text is, or by the arrows), not at each key.

    Ctrl+Z in a field whose text is stored goes to Edit → Undo (the last stored edit);
    in a field with typing not stored yet, it undoes that typing, as in any text field.
    :meth:`follow` shows the session's details again after an undo or redo."""

    edited = Signal(dict)
    set_load_edited = Signal(str, object)
    typing_finished = Signal()
    #: what was typed in a number field could not be read (plain words: what was typed,
    #: what the field takes, the value it keeps)
    refused = Signal(str)

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
        self.load = LoadBox("—", self)
        self.unit = QComboBox(self)
        self.unit.addItems(["kg", "lb"])
        self.load.setToolTip(LOAD_TIP)
        load_row = QHBoxLayout()
        load_row.addWidget(self.load, 1)
        load_row.addWidget(self.unit)
        self.set_load = LoadBox("as the session", self)
        self.set_load.setToolTip(SET_LOAD_TIP)

        self.set_load.setSuffix(" kg")  # the session's unit (none on "as the session")
        self.set_load_label = QLabel("This set's load", self)
        self._set_id: str | None = None
        self.sets = CountBox(100, parent=self)
        self.reps = CountBox(100, parent=self)
        sr = QHBoxLayout()
        sr.addWidget(self.sets)
        sr.addWidget(self.reps)
        self.rpe = DecimalBox("—", 10, self)
        self.rpe.setSingleStep(0.5)
        self.tempo = QLineEdit(self)
        self.tempo.setPlaceholderText("prescribed, e.g. 3-1-X-0")
        self.tempo.setToolTip(TEMPO_TIP)
        self.slept = QCheckBox("Slept well", self)
        self.recovered = CountBox(5, parent=self)
        self.recovered.setToolTip("How recovered do you feel? 1 (not at all) to 5 (fully)")
        self.pain = QLineEdit(self)
        self.pain.setPlaceholderText("any pain or compensation?")
        self.intent = QLineEdit(self)
        self.intent.setPlaceholderText("intent of this session")
        self.notes = QPlainTextEdit(self)
        self.notes.setMaximumHeight(90)
        #: True while ``edited`` carries typing still going on in its field
        self.typing = False
        form.addRow("Lifter", self.lifter)
        form.addRow("Date", self.date)
        form.addRow("Exercise", self.exercise)
        form.addRow("Load", load_row)
        form.addRow(self.set_load_label, self.set_load)
        form.addRow("Sets × reps", sr)
        form.addRow("RPE", self.rpe)
        form.addRow("Tempo", self.tempo)
        form.addRow("Readiness", self.slept)
        form.addRow("Recovered (1-5)", self.recovered)
        form.addRow("Pain", self.pain)
        form.addRow("Intent", self.intent)
        form.addRow("Notes", self.notes)
        self._loading = False
        self._tempo_error = ""  # why the tempo typed last is not one
        # what the text fields held when last loaded or stored (an edit is sent once)
        self._stored: dict[str, str] = {}
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(lambda: self.commit(paused=True))
        for line in (self.lifter, self.tempo, self.pain, self.intent):
            line.textEdited.connect(lambda _t: self._typing.start())
            line.editingFinished.connect(self.commit)
        self.date.dateChanged.connect(lambda d: self._emit(date=d.toString("yyyy-MM-dd")))
        # a name typed is stored as the other text fields are (a pause, Enter, leaving the
        # field): at every keystroke it stored "s", "sq", ... and said the sets were now
        # "measured as s"; a name chosen from the list is stored at once
        self.exercise.lineEdit().textEdited.connect(lambda _t: self._typing.start())
        self.exercise.lineEdit().editingFinished.connect(self.commit)
        self.exercise.activated.connect(lambda _i: self.commit())
        self.date.setKeyboardTracking(False)  # stored once typed, as the numbers
        # a number (or date) typed is stored as the text fields are: when typing pauses,
        # on Enter, when the field is left, and by commit(): typed without Enter, the
        # number in the field when the window closed was lost
        for box in self._numbers():
            box.lineEdit().textEdited.connect(lambda _t: self._typing.start())
            box.editingFinished.connect(self.commit)
        self.load.valueChanged.connect(lambda v: self._emit(load=v or None))
        self.unit.currentTextChanged.connect(lambda u: self._emit(load_unit=u))
        self.unit.currentTextChanged.connect(lambda u: self.set_load.setSuffix(f" {u}"))
        self.set_load.valueChanged.connect(self._set_load_changed)
        self.sets.valueChanged.connect(lambda v: self._emit(sets=v or None))
        self.reps.valueChanged.connect(lambda v: self._emit(reps=v or None))
        self.rpe.valueChanged.connect(lambda v: self._emit(rpe=v if v >= 1 else None))
        self.slept.toggled.connect(lambda *_: self._emit(readiness=self._readiness()))
        self.recovered.valueChanged.connect(lambda *_: self._emit(readiness=self._readiness()))
        self.notes.textChanged.connect(self._notes_changed)
        for w in (self.lifter, self.exercise.lineEdit(), self.tempo, self.pain, self.intent,
                  self.load.lineEdit(), self.set_load.lineEdit(), self.sets.lineEdit(),
                  self.reps.lineEdit(), self.rpe.lineEdit(), self.recovered.lineEdit(),
                  self.date.lineEdit(), self.load, self.set_load, self.sets, self.reps,
                  self.rpe, self.recovered, self.date, self.notes):
            w.installEventFilter(self)
        self.setEnabled(False)

    def commit(self, paused: bool = False) -> None:
        """Store what was typed in the text fields and not stored yet (the window closes,
        typing paused, a field lost focus). ``paused``: typing only paused, so a tempo
        still being typed ("3-1-") is not marked wrong yet; it is checked once the field
        is left."""
        self._typing.stop()
        if self._loading or not self.isEnabled():
            return
        for box in self._numbers():
            self._take_typed(box, paused)
        fields: dict = {}
        if self.lifter.text() != self._stored.get("lifter"):
            fields["lifter"] = self.lifter.text()
        if self.exercise.currentText() != self._stored.get("exercise"):
            fields["exercise"] = self.exercise.currentText()
        if self.pain.text() != self._stored.get("pain") \
                or self.intent.text() != self._stored.get("intent"):
            fields["readiness"] = self._readiness()
        text = self.tempo.text().strip()
        if text == self._stored.get("tempo"):
            self._tempo_ok("", show=False)  # back to what is stored: no longer marked
        elif self._tempo_ok(text, show=not paused):
            fields["tempo"] = text
        elif not paused:  # marked in the field, and said: it was dropped without a word
            kept = self._stored.get("tempo") or "none"
            self.refused.emit(f"Tempo: “{text}” is not kept: {self._tempo_error}. "
                              f"It stays {kept}.")
        if fields:
            self._remember()
            self._stored["tempo"] = text if "tempo" in fields else self._stored.get("tempo", "")
            self.typing = paused
            try:
                self._emit(**fields)
            finally:
                self.typing = False
        if not paused:
            self.typing_finished.emit()

    def _numbers(self) -> tuple[QAbstractSpinBox, ...]:
        """The fields typed as numbers (and the date): stored once their typing is read."""
        return (self.load, self.set_load, self.sets, self.reps, self.rpe, self.recovered,
                self.date)

    def _take_typed(self, box: QAbstractSpinBox, paused: bool) -> None:
        """Store what is typed in ``box`` and not stored yet. ``paused``: typing only
        paused, so a number still being typed ("8." of 8.5) is left as it is; else what
        cannot be read is told in plain words and the field shows its value again (it
        fell back to it without a word)."""
        text = box.text()
        if not box.isEnabled() or text == _shown(box):
            return
        state = box.validate(text, len(text))[0]  # type: ignore[index]
        if state == QValidator.Acceptable:
            self.typing = paused
            try:
                box.interpretText()  # its valueChanged / dateChanged stores it
            finally:
                self.typing = False
        elif not paused:
            self.refused.emit(self._refusal(box, text))
            box.lineEdit().setText(_shown(box))

    def _refusal(self, box: QAbstractSpinBox, text: str) -> str:
        """Why ``text`` typed in ``box`` is not kept, in plain words, and what it keeps."""
        words = {self.load: "Load", self.sets: "Sets", self.reps: "Reps", self.rpe: "RPE",
                 self.recovered: "Recovered", self.date: "Date"}
        word = words.get(box, self.set_load_label.text())
        if isinstance(box, QDateEdit):
            takes = "a date as year-month-day, e.g. 2024-05-31"
        else:
            assert isinstance(box, (QSpinBox, QDoubleSpinBox))
            low = 1 if box in (self.rpe, self.recovered) else 0
            takes = f"a number from {low:g} to {box.maximum():g}"
            if isinstance(box, QDoubleSpinBox):
                takes += " with at most one decimal (8.5 or 8,5)"
        kept = _shown(box)
        kept = "empty" if kept == box.specialValueText() else kept
        return f"{word}: “{text.strip()}” is not kept; it takes {takes}. It stays {kept}."

    def _notes_changed(self) -> None:
        self.typing = True  # stored at each key; one undo step until the field is left
        try:
            self._emit(notes=self.notes.toPlainText())
        finally:
            self.typing = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.FocusOut and watched is self.notes:
            self.commit()  # the notes were left: their typing is one step
        elif event.type() == QEvent.FocusOut or (
                event.type() == QEvent.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key_Return, Qt.Key_Enter)):
            box = self._number_of(watched)
            if box is not None:  # before the box falls back to its value without a word
                self._take_typed(box, paused=False)
        elif event.type() == QEvent.ShortcutOverride and isinstance(event, QKeyEvent) \
                and (event.matches(QKeySequence.Undo) or event.matches(QKeySequence.Redo)) \
                and not self._pending(watched, event.matches(QKeySequence.Redo)):
            # nothing typed to undo here: Ctrl+Z undoes the last edit (Edit → Undo); the
            # field's own undo swallowed it, and the edit just stored stayed
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    def _number_of(self, watched: QObject) -> QAbstractSpinBox | None:
        """The number field (or date) ``watched`` is, or whose line edit it is."""
        for box in self._numbers():
            if watched is box or watched is box.lineEdit():
                return box
        return None

    def _pending(self, watched: QObject, redo: bool) -> bool:
        """Whether ``watched`` (a field, or its line edit) holds typing of its own to undo
        (``redo``: to redo): typing not stored yet; in the notes, their own typing (stored
        at each key, it joins the notes' undo step)."""
        if watched is self.notes:
            doc = self.notes.document()
            return doc.isRedoAvailable() if redo else doc.isUndoAvailable()
        box = self._number_of(watched)
        if box is not None:
            return box.text() != _shown(box)
        fields = {self.lifter: "lifter", self.exercise.lineEdit(): "exercise",
                  self.pain: "pain", self.intent: "intent", self.tempo: "tempo"}
        name = fields.get(watched)  # type: ignore[call-overload]
        if name is None:
            return False
        text = watched.text()  # type: ignore[attr-defined]
        return (text.strip() if name == "tempo" else text) != self._stored.get(name)

    def _tempo_ok(self, text: str, show: bool) -> bool:
        from analysis.lift.rep_metrics import parse_tempo

        try:
            if text:
                parse_tempo(text)
        except ValueError as exc:
            self._tempo_error = str(exc)
            if show:
                self.tempo.setToolTip(f"Not a tempo: {exc}")
                self.tempo.setStyleSheet("color: #ff7a6a")
            return False
        self.tempo.setStyleSheet("")
        self.tempo.setToolTip(TEMPO_TIP)
        return True

    def _remember(self) -> None:
        """The text fields' contents count as stored (loaded, or just sent)."""
        self._stored = {"lifter": self.lifter.text(), "exercise": self.exercise.currentText(),
                        "pain": self.pain.text(),
                        "intent": self.intent.text(),
                        "tempo": self._stored.get("tempo", self.tempo.text().strip())}

    def _readiness(self) -> Readiness:
        return Readiness(self.slept.isChecked(), self.recovered.value() or None,
                         self.pain.text(), self.intent.text())

    def _emit(self, **fields) -> None:
        if not self._loading:
            self.edited.emit(fields)

    def _set_load_changed(self, value: float) -> None:
        if not self._loading and self._set_id is not None:
            self.set_load_edited.emit(self._set_id, value or None)

    def set_recording(self, rec: Recording | None) -> None:
        """Show the load of ``rec`` (the set on screen, of the session shown); None: no
        set on screen, the field is off. What is still typed in it for the set shown
        before is dropped, never given to this one (:meth:`commit` first to keep it)."""
        if (rec.id if rec is not None else None) != self._set_id \
                and self.set_load.text() != _shown(self.set_load):
            self.set_load.lineEdit().setText(_shown(self.set_load))
        self._set_id = rec.id if rec is not None else None
        self.set_load.setEnabled(rec is not None)
        self.set_load_label.setText(f"Set {rec.set_number} load" if rec is not None
                                    else "This set's load")
        value = (rec.load or 0) if rec is not None else 0
        if self.set_load.value() != value:
            self._loading = True
            try:
                self.set_load.setValue(value)
            finally:
                self._loading = False

    def follow(self, s: Session | None) -> None:
        """Show the details of ``s`` (the session shown) again after they changed (an
        undo, a redo). A field is set only where the session differs from what the form
        last stored or showed, so typing still going on in another field is kept."""
        if s is None or not self.isEnabled():
            return
        self._loading = True
        try:
            for line, name, value in ((self.lifter, "lifter", s.lifter),
                                      (self.pain, "pain", s.readiness.pain),
                                      (self.intent, "intent", s.readiness.intent),
                                      (self.tempo, "tempo", s.tempo)):
                if value != self._stored.get(name):
                    line.setText(value)
                    self._stored[name] = value
                    if name == "tempo":
                        self._tempo_ok("", show=False)
            if s.exercise != self._stored.get("exercise"):
                self.exercise.setCurrentText(s.exercise)
                self._stored["exercise"] = s.exercise
            date = QDate.fromString(s.date, "yyyy-MM-dd")
            if date.isValid() and self.date.date() != date:
                self.date.setDate(date)
            if self.unit.currentText() != s.load_unit:
                self.unit.setCurrentText(s.load_unit)
            boxes: tuple[tuple[QSpinBox | QDoubleSpinBox, float], ...] = (
                (self.load, s.load or 0), (self.sets, s.sets or 0), (self.reps, s.reps or 0),
                (self.rpe, s.rpe or 0), (self.recovered, s.readiness.recovered or 0))
            for box, value in boxes:
                if box.value() != value:
                    box.setValue(value)  # type: ignore[arg-type]
            if self.slept.isChecked() != bool(s.readiness.slept_well):
                self.slept.setChecked(bool(s.readiness.slept_well))
            if self.notes.toPlainText() != s.notes:
                self.notes.setPlainText(s.notes)
        finally:
            self._loading = False

    def set_session(self, s: Session | None) -> None:
        self._typing.stop()  # a pause timer of the previous session's text must not fire
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
            self.set_load.setSuffix(f" {s.load_unit}")
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
            self._stored = {"tempo": s.tempo}
            self._remember()
        finally:
            self._loading = False
