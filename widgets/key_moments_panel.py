"""Side list of key moments: click to jump, add and remove."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout,
                               QWidget)

from analysis.annotations.model import KeyMoment
from widgets.timeline import format_time


class KeyMomentsPanelWidget(QWidget):
    moment_activated = Signal(float)  # time (s)
    add_requested = Signal()
    remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.list = QListWidget(self)
        self.list.itemClicked.connect(self._on_item)
        self.list.itemActivated.connect(self._on_item)
        lay.addWidget(self.list)
        row = QHBoxLayout()
        add = QPushButton("Add (M)", self)
        add.clicked.connect(self.add_requested.emit)
        rm = QPushButton("Remove", self)
        rm.clicked.connect(self._remove_current)
        for b in (add, rm):
            b.setMinimumWidth(0)
            row.addWidget(b)
        lay.addLayout(row)

    def set_moments(self, moments: list[KeyMoment], time_factor: float = 1.0) -> None:
        """List ``moments`` (clip time) at real time: ``time_factor`` is real seconds per
        clip second (0.25 for a 4x slow-motion clip), as the transport clock shows."""
        self.list.clear()
        for k in sorted(moments, key=lambda m: m.t):
            item = QListWidgetItem(f"{format_time(k.t * time_factor)}  {k.title}")
            item.setToolTip(k.comment or k.title)
            item.setData(Qt.UserRole, (k.id, k.t))
            self.list.addItem(item)

    def _on_item(self, item: QListWidgetItem) -> None:
        self.moment_activated.emit(item.data(Qt.UserRole)[1])

    def _remove_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.remove_requested.emit(item.data(Qt.UserRole)[0])
