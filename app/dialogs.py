"""Small dialogs: preferences, slow-motion capture rate."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QInputDialog, QSpinBox,
                               QWidget)

from app.settings import Settings


class PreferencesDialog(QDialog):
    """Edits the settings that have no better home in the UI."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        form = QFormLayout(self)
        self.cache_mb = QSpinBox(self)
        self.cache_mb.setRange(128, 16384)
        self.cache_mb.setSingleStep(128)
        self.cache_mb.setSuffix(" MB")
        self.cache_mb.setValue(settings.cache_budget_mb)
        self.cache_mb.setToolTip("Memory for decoded frames of the open video. More memory keeps "
                                 "longer clips instant to step through; applies to the next video "
                                 "you open.")
        form.addRow("Frame cache memory", self.cache_mb)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, parent=self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        self.settings.cache_budget_mb = self.cache_mb.value()
        super().accept()


def ask_capture_rate(parent: QWidget, current: float) -> float | None:
    """Ask the frame rate a slow-motion clip was filmed at (0 = not slow motion)."""
    value, ok = QInputDialog.getDouble(
        parent, "Slow-motion capture rate",
        "Frames per second the camera filmed at (for example 120 or 240).\n"
        "Enter 0 to go by the file (real time unless it says it is slow motion).",
        current, 0, 10000, 2)
    return value if ok else None


def ask_plate_choice(parent: QWidget, i: int, count: int) -> str:
    """Ask about the plate candidate shown in cyan: "track", "next" or "click" (the lifter
    clicks the bar end instead)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Question, "Find the plate",
                      f"Is the circle shown in cyan the plate to track? "
                      f"(circle {i + 1} of {count})", parent=parent)
    track = box.addButton("Track this plate", QMessageBox.YesRole)
    nxt = box.addButton("Next circle", QMessageBox.NoRole) if i + 1 < count else None
    box.addButton("Click it myself", QMessageBox.RejectRole)
    box.setDefaultButton(track)
    box.exec()
    if box.clickedButton() is track:
        return "track"
    return "next" if nxt is not None and box.clickedButton() is nxt else "click"
