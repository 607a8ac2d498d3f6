"""Small dialogs: preferences, slow-motion capture rate."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QInputDialog,
                               QMessageBox, QSpinBox, QWidget)

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


#: what a message tells the user to do, and the menu item that does it
_WAYS = (("calibrate with a drawn circle or a line of known length", "calibrate"),)


def sentence(message: str) -> str:
    """A background job's failure as a dialog sentence: a capital first letter, and where
    it says what to do (calibrate with a drawn circle…), the menu item that does it."""
    from app.actions import menu_path

    for phrase, action in _WAYS:
        if phrase in message:
            message += f" (draw it, select it and choose {menu_path(action)})"
    return message[:1].upper() + message[1:]


def ask_capture_rate(parent: QWidget, current: float) -> float | None:
    """Ask the frame rate a slow-motion clip was filmed at (0 = not slow motion)."""
    value, ok = QInputDialog.getDouble(
        parent, "Slow-motion capture rate",
        "Frames per second the camera filmed at (for example 120 or 240).\n"
        "Enter 0 to go by the file (real time unless it says it is slow motion).",
        current, 0, 10000, 2)
    return value if ok else None


# A question about something drawn on the video (the plate circle) must not hide it.
TITLE_BAR_PX = 32  # the window manager's title bar above a dialog (not in its size hint)
GAP_PX = 16  # between the dialog and what it must not hide


def clear_position(size: QSize, avoid: QRect, areas: list[QRect], gap: int = GAP_PX,
                   also: Sequence[QRect] = ()) -> QPoint:
    """Top-left (global px) for a window of ``size`` that keeps clear of ``avoid``, and of
    everything in ``also`` (e.g. the other plate candidates) when it can.

    Tries beside ``avoid`` (right, left, below, above, each kept inside the area), then
    beside ``avoid`` and ``also`` together, in the first of ``areas`` (e.g. the main
    window, then the screen) where one hides none of them; else the first place clear of
    ``avoid`` that hides the least of ``also``; when none is, the place hiding the least
    of ``avoid``."""
    keep_off = avoid.adjusted(-gap, -gap, gap, gap)
    others = [o.adjusted(-gap, -gap, gap, gap) for o in also if not o.isEmpty()]
    w, h = size.width(), size.height()
    cx, cy = avoid.center().x(), avoid.center().y()

    def beside(box: QRect) -> list[QPoint]:  # centred on ``avoid`` along the free axis
        return [QPoint(box.right() + 1, cy - h // 2), QPoint(box.left() - w, cy - h // 2),
                QPoint(cx - w // 2, box.bottom() + 1), QPoint(cx - w // 2, box.top() - h)]

    spots = beside(keep_off)
    if others:
        everything = QRect(keep_off)
        for o in others:
            everything = everything.united(o)
        spots += beside(everything)
    clear: tuple[int, QPoint] | None = None  # clear of ``avoid``, hiding some of ``also``
    best, least = spots[0], None
    for area in areas:
        for spot in spots:
            x = max(area.left(), min(spot.x(), area.right() + 1 - w))
            y = max(area.top(), min(spot.y(), area.bottom() + 1 - h))
            rect = QRect(x, y, w, h)
            if not rect.intersects(keep_off) and area.contains(rect):
                hides = sum(_area(rect.intersected(o)) for o in others)
                if hides == 0:
                    return QPoint(x, y)
                if clear is None or hides < clear[0]:
                    clear = (hides, QPoint(x, y))
                continue
            overlap = _area(rect.intersected(avoid))
            if least is None or overlap < least:
                best, least = QPoint(x, y), overlap
    return clear[1] if clear is not None else best


def _area(rect: QRect) -> int:
    return 0 if rect.isEmpty() else rect.width() * rect.height()


def place_clear_of(dialog: QWidget, avoid: QRect | None, also: Sequence[QRect] = ()) -> None:
    """Move ``dialog`` (sized, not yet on screen) beside ``avoid`` (global px) instead of
    over it, and clear of ``also`` when it can; the main window is tried first, then the
    whole screen."""
    if avoid is None or avoid.isEmpty():
        return
    size = dialog.size() + QSize(0, TITLE_BAR_PX)
    areas = []
    top = dialog.parentWidget().window() if dialog.parentWidget() is not None else None
    if top is not None:
        areas.append(top.frameGeometry())
    screen = dialog.screen() if top is None else top.screen()
    if screen is not None:
        areas.append(screen.availableGeometry())
    if areas:
        at = clear_position(size, avoid, areas, also=also)
        dialog.move(at)  # a moved dialog is not centred on its parent when shown


class ClearOfMessageBox(QMessageBox):
    """A message box shown beside ``avoid`` (global px), not over it. A message box finds
    its size only as it is shown, so it is placed then (before it reaches the screen)."""

    def __init__(self, *args, avoid: QRect | None = None, also: Sequence[QRect] = (),
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.avoid = avoid
        self.also = list(also)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        place_clear_of(self, self.avoid, self.also)


def ask_plate_choice(parent: QWidget, i: int, count: int, avoid: QRect | None = None,
                     also: Sequence[QRect] = ()) -> str:
    """Ask about the plate candidate shown in cyan: "track", "next" or "click" (the lifter
    clicks the bar end instead). ``avoid``: the circle on screen (global px), kept visible;
    ``also``: the other candidates on screen, kept visible when there is room (the lifter
    compares them before answering)."""
    box = ClearOfMessageBox(QMessageBox.Question, "Find the plate",
                            f"Is the circle shown in cyan the plate to track? "
                            f"(circle {i + 1} of {count})", parent=parent, avoid=avoid,
                            also=also)
    track = box.addButton("Track this plate", QMessageBox.YesRole)
    nxt = box.addButton("Next circle", QMessageBox.NoRole) if i + 1 < count else None
    box.addButton("Click it myself", QMessageBox.RejectRole)
    box.setDefaultButton(track)
    box.exec()
    if box.clickedButton() is track:
        return "track"
    return "next" if nxt is not None and box.clickedButton() is nxt else "click"


# -- the questions the app asks: each returns the answer (None: the user cancelled) ----------
# Commands ask through these functions and then act; tests answer them by monkeypatching
# (``monkeypatch.setattr(dialogs, "ask_plate_diameter", lambda *a: 450.0)``).

PLATE_PRESETS_MM = (450.0, 445.0, 425.0)


def ask_plate_diameter(parent: QWidget, what: str = "the plate") -> float | None:
    """A plate diameter in mm: one of the standard sizes or any other."""
    items = [f"{mm:.0f} mm" for mm in PLATE_PRESETS_MM] + ["Other…"]
    choice, ok = QInputDialog.getItem(parent, "Plate diameter", f"Diameter of {what}:", items,
                                      0, False)
    if not ok:
        return None
    if not choice.startswith("Other"):
        return float(choice.split()[0])
    mm, ok = QInputDialog.getDouble(parent, "Plate diameter", "Diameter (mm):", 450, 50, 1000, 1)
    return mm if ok else None


def ask_known_length(parent: QWidget) -> float | None:
    """The real length (mm) of the selected line."""
    mm, ok = QInputDialog.getDouble(parent, "Known length",
                                    "Real length of the selected line (mm):", 450, 1, 10000, 1)
    return mm if ok else None


def ask_yes(parent: QWidget, title: str, text: str, avoid: QRect | None = None, *,
            default_no: bool = False, details: str = "") -> bool:
    """A yes/no question; ``avoid`` (global px): what it is about on screen, kept visible.
    ``default_no``: Enter answers No (a question before something is lost). ``details``:
    the facts behind the question, under it in the box's smaller text (``text`` is then
    the question alone, read first)."""
    if avoid is None and not details:
        default = QMessageBox.No if default_no else QMessageBox.NoButton
        return QMessageBox.question(parent, title, text, QMessageBox.Yes | QMessageBox.No,
                                    default) == QMessageBox.Yes
    box = ClearOfMessageBox(QMessageBox.Question, title, text,
                            QMessageBox.Yes | QMessageBox.No, parent, avoid=avoid)
    if details:
        box.setInformativeText(details)
    if default_no:
        box.setDefaultButton(QMessageBox.No)
    return box.exec() == QMessageBox.Yes


def tell(parent: QWidget, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.information(parent, title, text)


def warn(parent: QWidget, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(parent, title, text)


def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


def ask_open_path(parent: QWidget, title: str, folder: str = "", filter_: str = "") -> str | None:
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(parent, title, folder, filter_)
    return path or None


def ask_save_path(parent: QWidget, title: str, suggested: str = "", filter_: str = "",
                  companions: Callable[[str], list[str]] | None = None) -> str | None:
    """Where to save: the name the user typed, with the chosen filter's extension added
    when missing (:func:`widgets.save_name.with_extension`; "All files" keeps it exactly).
    A file already there under that final name is replaced only after a question (Enter
    answers No); "No" shows the dialog again at that name. Qt's dialog asked about the name as typed, so a
    typed "squat" replaced an existing "squat.liftlens" without a word; it no longer asks
    itself (one question, about the file that would really be replaced). ``companions(path)``:
    the files written beside it (a CSV's track file, a report's PDF); the question names
    those that exist too. None: cancelled."""
    import os

    from PySide6.QtWidgets import QFileDialog

    from widgets.save_name import with_extension

    while True:
        path, chosen = QFileDialog.getSaveFileName(parent, title, suggested, filter_,
                                                   options=QFileDialog.DontConfirmOverwrite)
        if not path:
            return None
        path = with_extension(path, chosen or filter_)
        there = [p for p in [path, *(companions(path) if companions else [])]
                 if os.path.exists(p)]
        if not there:
            return path
        names = [f"“{os.path.basename(p)}”" for p in there]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
        exist, it = ("already exists", "it") if len(names) == 1 else ("already exist", "them")
        if ask_yes(parent, title, f"{listed} {exist} in {os.path.dirname(path) or '.'}.\n\n"
                   f"Replace {it}?", default_no=True):
            return path
        suggested = path


def edit_preferences(settings: Settings, parent: QWidget) -> bool:
    """Show the preferences; True when the user saved them."""
    return PreferencesDialog(settings, parent).exec() == QDialog.Accepted


def show_shortcuts(parent: QWidget, rows: list[tuple[str, str]]) -> None:
    """Every action with its keys, in a scrolling table."""
    from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

    dlg = QDialog(parent)
    dlg.setWindowTitle("Keyboard shortcuts and actions")
    lay = QVBoxLayout(dlg)
    table = QTableWidget(len(rows), 2, dlg)
    table.setHorizontalHeaderLabels(["Keys", "Action"])
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
    for i, (keys, text) in enumerate(rows):
        table.setItem(i, 0, QTableWidgetItem(keys))
        table.setItem(i, 1, QTableWidgetItem(text))
    table.resizeColumnToContents(0)
    lay.addWidget(table)
    buttons = QDialogButtonBox(QDialogButtonBox.Close, parent=dlg)
    buttons.rejected.connect(dlg.reject)
    lay.addWidget(buttons)
    dlg.resize(560, 640)
    dlg.exec()


def ask_int(parent: QWidget, title: str, label: str, value: int, lo: int, hi: int) -> int | None:
    number, ok = QInputDialog.getInt(parent, title, label, value, lo, hi)
    return number if ok else None


def offer_undo_delete(parent: QWidget, named: str = "The session") -> bool:
    """Say the session (``named``: “its title” as the list shows it) went to the trash;
    True when the user chose Undo."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Information, "Session deleted",
                      f"{named[:1].upper()}{named[1:]} was moved to the trash.", parent=parent)
    undo = box.addButton("Undo", QMessageBox.AcceptRole)
    box.addButton(QMessageBox.Ok)
    box.exec()
    return box.clickedButton() is undo


def ask_choice(parent: QWidget, title: str, text: str, detail: str,
               choices: Sequence[tuple[str, str]], cancel: str = "Cancel",
               warning: bool = True) -> str | None:
    """A warning (``warning`` False: a plain question) with one button per ``(key,
    label)`` choice (the first is the default) and a ``cancel`` button; returns the
    chosen key, or None when cancelled (Esc too). ``detail``: the reason and what each
    choice does, in full (never cut off)."""
    box = QMessageBox(QMessageBox.Warning if warning else QMessageBox.Question, title, text,
                      parent=parent)
    box.setInformativeText(detail)
    buttons = {box.addButton(label, QMessageBox.AcceptRole): key for key, label in choices}
    no = box.addButton(cancel, QMessageBox.RejectRole)
    box.setEscapeButton(no)
    if buttons:
        box.setDefaultButton(next(iter(buttons)))
    box.exec()
    return buttons.get(box.clickedButton())
