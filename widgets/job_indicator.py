"""Status-bar progress for a long job, with a cancel button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget


class JobIndicatorWidget(QWidget):
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(160)
        # as high as a line of status text: the status bar takes the height of its
        # highest widget even while this one is hidden (it was 36 px, 10 px of every
        # dock's height on a laptop)
        self.bar.setFixedHeight(self.fontMetrics().height() + 4)
        self.bar.setTextVisible(True)
        self.cancel = QToolButton(self)
        self.cancel.setObjectName("jobCancel")  # as high as a status bar text (theme)
        self.cancel.setText("✕")
        self.cancel.setToolTip("Cancel")
        self.cancel.clicked.connect(self.cancel_requested.emit)
        for w in (self.label, self.bar, self.cancel):
            lay.addWidget(w)
        self.hide()

    def start(self, title: str) -> None:
        self.label.setText(title)
        self.bar.setRange(0, 0)
        self.show()

    def progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def stop(self) -> None:
        self.hide()
