"""First-start view: open a video, open the demo, or pick a recent file; with an empty
session open, it asks for that session's first set."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget


_GREETING = ("Step through your sets frame by frame, track the bar, read every rep.\n"
             "Drop a video here or choose one below.")


class WelcomeViewWidget(QWidget):
    open_requested = Signal()
    demo_requested = Signal()
    recent_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setAlignment(Qt.AlignCenter)
        title = QLabel("LiftLens", self)
        title.setObjectName("welcomeTitle")
        title.setAlignment(Qt.AlignCenter)
        self.sub = sub = QLabel(_GREETING, self)
        sub.setAlignment(Qt.AlignCenter)
        sub.setWordWrap(True)
        open_btn = QPushButton("Open video…", self)
        open_btn.setObjectName("primaryButton")
        open_btn.clicked.connect(self.open_requested.emit)
        demo_btn = QPushButton("Open demo clip", self)
        demo_btn.setObjectName("welcomeButton")
        demo_btn.clicked.connect(self.demo_requested.emit)
        self.recent = QListWidget(self)
        self.recent.setMinimumWidth(520)
        self.recent.setMaximumWidth(760)
        self.recent.setTextElideMode(Qt.ElideMiddle)  # a long name keeps its start and end
        self.recent.setMaximumHeight(200)
        self.recent.itemActivated.connect(lambda it: self.recent_chosen.emit(it.data(Qt.UserRole)))
        self.recent.itemClicked.connect(lambda it: self.recent_chosen.emit(it.data(Qt.UserRole)))
        for w in (title, sub, open_btn, demo_btn):
            lay.addWidget(w, 0, Qt.AlignHCenter)
        self.recent_label = QLabel("Recent videos", self)
        lay.addSpacing(16)
        lay.addWidget(self.recent_label, 0, Qt.AlignHCenter)
        lay.addWidget(self.recent, 0, Qt.AlignHCenter)

    def show_session(self, title: str | None) -> None:
        """Ask for the first set of the open session ``title``, which has none yet (None:
        no session is open, the greeting)."""
        self.sub.setText(_GREETING if title is None else
                         f"“{title}” has no sets yet.\nDrop a video of a set here or open "
                         "one below to add it to this session.")

    def set_recent(self, paths: list[str]) -> None:
        self.recent.clear()
        for p in paths:
            item = QListWidgetItem(os.path.basename(p))
            item.setToolTip(p)
            item.setData(Qt.UserRole, p)
            self.recent.addItem(item)
        self.recent.setVisible(bool(paths))
        self.recent_label.setVisible(bool(paths))
