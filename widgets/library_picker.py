"""Pick the other side of a comparison from the library: every recording with its lifter,
date, exercise, load, set, what it holds (track, scale, drawings) and a thumbnail; or a
video file instead."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox,
                               QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from analysis.lift.exercises import exercise_key
from analysis.session.library import LibraryRecording
from widgets.video_canvas import bgr_to_qimage

COLUMNS = ("", "Lifter", "Date", "Exercise", "Load", "Set", "Analysis")
THUMB = QSize(96, 72)


def _what(e: LibraryRecording) -> str:
    parts = ["tracked" if e.tracked else "not tracked"]
    if e.tracked:
        parts.append("m/s" if e.calibrated else "px only")
    if e.drawings:
        parts.append(f"{e.drawings} drawing{'s' if e.drawings != 1 else ''}")
    return ", ".join(parts)


class LibraryPickerDialog(QDialog):
    """Lists library recordings; ``chosen`` is the picked one after ``accept``, and
    ``wants_file`` is True when the user asked for a video file instead."""

    def __init__(self, entries: list[LibraryRecording], parent: QWidget | None = None,
                 lifter: str = "", exercise: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare with a recording")
        self.resize(860, 520)
        self.entries = list(entries)
        self.chosen: LibraryRecording | None = None
        self.wants_file = False
        self.lifter = QComboBox(self)
        self.exercise = QComboBox(self)
        # exercises by exercise_key: a batch folder's "clean_and_jerk" is the app's
        # "clean and jerk" (the picker opened on all exercises, a deadlift chosen)
        names: dict[str, str] = {}
        for e in sorted(entries, key=lambda e: e.exercise):
            names.setdefault(exercise_key(e.exercise), e.exercise)
        for box, everyone, values, want in (
                (self.lifter, "All lifters", {v: v for e in entries for v in [e.lifter]},
                 lifter),
                (self.exercise, "All exercises", names, exercise_key(exercise))):
            box.addItem(everyone, "")
            for key, shown in sorted(((k, v) for k, v in values.items() if k),
                                     key=lambda kv: kv[1].lower()):
                box.addItem(shown, key)
            i = box.findData(want)
            if want and i >= 0:
                box.setCurrentIndex(i)
            box.currentIndexChanged.connect(self._fill)
        top = QHBoxLayout()
        top.addWidget(QLabel("Show"))
        top.addWidget(self.lifter, 1)
        top.addWidget(self.exercise, 1)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setIconSize(THUMB)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(THUMB.height() + 6)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeToContents)
        head.setSectionResizeMode(3, QHeaderView.Stretch)
        self.table.setColumnWidth(0, THUMB.width() + 8)
        self.table.itemDoubleClicked.connect(lambda _it: self.accept())
        self.empty = QLabel("No other recordings in the library yet: save a session with "
                            "its videos first, or compare with a video file.", self)
        self.empty.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.button(QDialogButtonBox.Ok).setText("Compare")
        self.file_button = QPushButton("Video file…", self)
        self.file_button.setToolTip("Compare with a video that is not in the library")
        buttons.addButton(self.file_button, QDialogButtonBox.ActionRole)
        self.file_button.clicked.connect(self._want_file)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.empty)
        lay.addWidget(buttons)
        self._thumbs: dict[str, QPixmap] = {}
        self.shown: list[LibraryRecording] = []
        self._fill()

    def _fill(self, *_a: object) -> None:
        lifter, exercise = self.lifter.currentData(), self.exercise.currentData()
        self.shown = [e for e in self.entries
                      if (not lifter or e.lifter == lifter) and
                      (not exercise or exercise_key(e.exercise) == exercise)]
        self.table.setRowCount(len(self.shown))
        for row, e in enumerate(self.shown):
            load = f"{e.load:g} {e.load_unit}" if e.load is not None else "—"
            for col, text in enumerate(("", e.lifter or "—", e.date, e.exercise or "—", load,
                                        str(e.set_number), _what(e))):
                item = QTableWidgetItem(text)
                if col == 0 and e.recording_id in self._thumbs:
                    item.setIcon(QIcon(self._thumbs[e.recording_id]))
                if col == 0:
                    item.setToolTip(e.video_path)
                self.table.setItem(row, col, item)
        self.empty.setVisible(not self.shown)
        if self.shown:
            self.table.selectRow(0)

    def set_thumbnail(self, recording_id: str, image: np.ndarray | None) -> None:
        """Show a BGR picture for that recording (None: leave the cell empty)."""
        if image is None:
            return
        qimg, _buf = bgr_to_qimage(image)
        self._thumbs[recording_id] = QPixmap.fromImage(qimg.copy())
        for row, e in enumerate(self.shown):
            if e.recording_id == recording_id:
                self.table.item(row, 0).setIcon(QIcon(self._thumbs[recording_id]))

    def select(self, recording_id: str) -> bool:
        """Select the row of that recording (False when it is not shown)."""
        for row, e in enumerate(self.shown):
            if e.recording_id == recording_id:
                self.table.selectRow(row)
                return True
        return False

    def accept(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not self.wants_file:
            if not rows:
                return
            self.chosen = self.shown[rows[0].row()]
        super().accept()

    def _want_file(self) -> None:
        self.wants_file = True
        self.chosen = None
        self.accept()

    def thumbnail_size(self) -> int:
        return max(THUMB.width(), THUMB.height())

