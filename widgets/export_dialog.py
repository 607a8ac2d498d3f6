"""The export dialog: range, speed, size, what to burn in, and where to save."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLineEdit, QMessageBox, QPushButton,
                               QWidget)

from widgets.save_name import with_extension

SPEEDS = [("1× (real time)", 1.0), ("1/2× slow motion", 0.5), ("1/4× slow motion", 0.25),
          ("1/8× slow motion", 0.125), ("2×", 2.0)]
SIZES = [("Same as the video", "source"), ("1080p", "1080p"), ("720p", "720p")]
TRAILS = [("Full bar path", "full"), ("Last second", "last_second"), ("No bar path", "off")]
CLIP_FILTER = "MP4 video (*.mp4)"


class ExportDialogWidget(QDialog):
    """Collects the options; ``options()`` returns them as a dict."""

    def __init__(self, ranges: list[tuple[str, tuple[int, int]]], default_path: str,
                 has_analysis: bool, parent: QWidget | None = None,
                 remembered: dict | None = None,
                 sizes: list[tuple[str, str]] | None = None,
                 check: Callable[[str], str | None] | None = None,
                 other_folder: Callable[[], str] | None = None,
                 title: str = "Export annotated clip", clip_options: bool = True) -> None:
        """``remembered``: the options of the last export (``options()`` without range and
        path); by default the bar path and the data overlay are on when there is a track.
        ``sizes``: (label, preset) choices, by default :data:`SIZES` (the caller labels
        them with the size each gives for this video). ``check``: path -> None when it
        may be written, else why not; on Save such a path is refused in plain words and a
        folder picker opens at ``other_folder()`` with the same file name, the dialog and
        its settings kept. ``clip_options`` False (a side-by-side clip: each side burns in
        what the comparison shows, and it has no sound): range, speed, size and file only."""
        super().__init__(parent)
        self._title = title
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.range = QComboBox(self)
        for label, frames in ranges:
            self.range.addItem(label, frames)
        self.speed = QComboBox(self)
        for label, v in SPEEDS:
            self.speed.addItem(label, v)
        self.speed.setToolTip("Slower than 1×, every frame is kept as filmed and held on "
                              "screen, so the clip plays smoothly (30 fps) on phones.")
        self.size = QComboBox(self)
        for label, v in sizes or SIZES:
            self.size.addItem(label, v)
        self.drawings = QCheckBox("Drawings", self)
        self.drawings.setChecked(True)
        self.trail = QComboBox(self)
        for label, v in TRAILS:
            self.trail.addItem(label, v)
        self.hud = QCheckBox("Rep number, live velocity, finished reps", self)
        self.hud.setChecked(has_analysis)
        self.hud.setEnabled(has_analysis)
        self.trail.setEnabled(has_analysis)
        if not has_analysis:
            self.trail.setCurrentIndex(2)
        self.audio = QCheckBox("Keep the sound (at 1× only)", self)
        self.audio.setChecked(True)
        self.path = QLineEdit(default_path, self)
        self.path.setMinimumWidth(380)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow("Range", self.range)
        form.addRow("Speed", self.speed)
        form.addRow("Size", self.size)
        if clip_options:
            form.addRow("Burn in", self.drawings)
            form.addRow("", self.trail)
            form.addRow("Data", self.hud)
            form.addRow("Sound", self.audio)
        else:
            for w in (self.drawings, self.trail, self.hud, self.audio):
                w.hide()
        form.addRow("Save as", row)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel, parent=self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._check, self._other_folder = check, other_folder
        self._restore(remembered or {}, has_analysis)

    def _restore(self, o: dict, has_analysis: bool) -> None:
        def pick(combo: QComboBox, value: object) -> None:
            i = combo.findData(value)
            if i >= 0:
                combo.setCurrentIndex(i)

        if "speed" in o:
            pick(self.speed, o["speed"])
        if "size" in o:
            pick(self.size, o["size"])
        if isinstance(o.get("drawings"), bool):
            self.drawings.setChecked(o["drawings"])
        if isinstance(o.get("audio"), bool):
            self.audio.setChecked(o["audio"])
        if has_analysis:  # without a track these stay off (and disabled)
            if "trail" in o:
                pick(self.trail, o["trail"])
            if isinstance(o.get("hud"), bool):
                self.hud.setChecked(o["hud"])

    def accept(self) -> None:
        """Save: only to a path that may be written; else say why and offer another
        folder, keeping every setting of the dialog."""
        reason = self._check(self.options()["path"]) if self._check is not None else None
        if reason is None:
            super().accept()
            return
        QMessageBox.warning(self, "Choose another folder", reason)
        name = Path(self.options()["path"]).name or "annotated.mp4"
        start = (str(Path(self._other_folder()) / name) if self._other_folder is not None
                 else self.path.text())
        self._browse(start)

    def _browse(self, start: str | None = None) -> None:
        # the question before replacing a file comes once, on export, about the name the
        # clip is saved under (the typed name with .mp4 added when missing)
        path, _ = QFileDialog.getSaveFileName(self, self._title,
                                              start or self.path.text(), CLIP_FILTER,
                                              options=QFileDialog.DontConfirmOverwrite)
        if path:
            self.path.setText(with_extension(path, CLIP_FILTER))

    def options(self) -> dict:
        start, end = self.range.currentData()
        return {"start": start, "end": end, "speed": self.speed.currentData(),
                "size": self.size.currentData(), "drawings": self.drawings.isChecked(),
                "trail": self.trail.currentData(), "hud": self.hud.isChecked(),
                "audio": self.audio.isChecked(),
                "path": with_extension(os.path.expanduser(self.path.text()),
                                       CLIP_FILTER)}
