"""Session browser: filter past sessions, open, rename, duplicate, delete; the open
session's recordings. Follows the document model: the open session is the highlighted
row, and the recording on screen the highlighted set (only the model moves that one)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QMenu, QPushButton, QVBoxLayout, QWidget)

from analysis.model import DocumentModel
from analysis.session.document import Recording, Session
from analysis.session.store import SessionSummary
from analysis.session.titles import distinct_titles

#: the item data role holding a listed session's :class:`SessionSummary`
_SUMMARY_ROLE = Qt.UserRole + 1


class SessionBrowserWidget(QWidget):
    filters_changed = Signal(dict)
    open_requested = Signal(str)
    new_requested = Signal()
    rename_requested = Signal(str)
    duplicate_requested = Signal(str)
    delete_requested = Signal(str)
    recording_chosen = Signal(str)
    add_recording_requested = Signal()
    remove_recording_requested = Signal(str)

    def __init__(self, model: DocumentModel | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search lifter, exercise, notes…")
        self.lifter = QComboBox(self)
        self.exercise = QComboBox(self)
        for box, label in ((self.lifter, "All lifters"), (self.exercise, "All exercises")):
            box.addItem(label, "")
            box.currentIndexChanged.connect(self._emit_filters)
        self.search.textChanged.connect(self._emit_filters)
        lay.addWidget(self.search)
        row = QHBoxLayout()
        row.addWidget(self.lifter)
        row.addWidget(self.exercise)
        lay.addLayout(row)
        self.list = QListWidget(self)
        # a long session title wraps between its words (its date, lifter and exercise
        # all tell sessions apart), never behind a horizontal scroll bar
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.list.itemActivated.connect(lambda it: self.open_requested.emit(it.data(Qt.UserRole)))
        self.list.itemDoubleClicked.connect(
            lambda it: self.open_requested.emit(it.data(Qt.UserRole)))
        lay.addWidget(self.list, 2)
        buttons = QHBoxLayout()
        for text, slot in (("New", self.new_requested.emit), ("Open", self._open),
                           ("Rename", lambda: self._with_current(self.rename_requested)),
                           ("Copy", lambda: self._with_current(self.duplicate_requested)),
                           ("Delete", lambda: self._with_current(self.delete_requested))):
            b = QPushButton(text, self)
            b.setMinimumWidth(0)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        lay.addLayout(buttons)
        self.current_label = QLabel("No session open", self)
        self.current_label.setWordWrap(True)
        self.current_label.setObjectName("sessionTitle")
        lay.addWidget(self.current_label)
        self.recordings = QListWidget(self)
        # phone clips share long prefixes (user__app__…) and differ at the end: a long
        # name keeps "Set N: " and its end, elided in the middle (full path in the tooltip)
        self.recordings.setTextElideMode(Qt.ElideMiddle)
        self.recordings.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        # the highlighted set is the set on screen, and only the model moves it: a click
        # or Enter asks for a set, the arrow keys move the focus; a set the window could
        # not show (a clip not found, an opening declined) is never left highlighted
        self.recordings.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.recordings.itemClicked.connect(self._choose)
        self.recordings.itemActivated.connect(self._choose)
        self.recordings.setContextMenuPolicy(Qt.CustomContextMenu)
        self.recordings.customContextMenuRequested.connect(self._recording_menu)
        lay.addWidget(self.recordings, 1)
        add = QPushButton("Add recording…", self)
        add.clicked.connect(self.add_recording_requested.emit)
        lay.addWidget(add)
        if model is not None:
            model.session_changed.connect(self._on_model_changed)
            model.session_edited.connect(self._on_model_changed)
            model.current_changed.connect(self._on_model_changed)

    def _on_model_changed(self, _what: Session | Recording | None = None) -> None:
        m = self.model
        if m is None:
            return
        self.set_session(m.session, m.current.id if m.current is not None else None)
        self._highlight(m.session.id if m.session is not None else None)

    def _highlight(self, session_id: str | None) -> None:
        """Select the row of the open session (none when it is not listed)."""
        self.list.blockSignals(True)
        self.list.setCurrentItem(None)
        self.list.clearSelection()
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.UserRole) == session_id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def title_of(self, session_id: str) -> str | None:
        """The session's title as the list shows it, or None when it is not listed."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.UserRole) == session_id:
                return item.text()
        return None

    def summary_of(self, session_id: str) -> SessionSummary | None:
        """The listed row of the session (its title, date, lifter, exercise), or None."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.UserRole) == session_id:
                row = item.data(_SUMMARY_ROLE)
                return row if isinstance(row, SessionSummary) else None
        return None

    @property
    def highlighted_session(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.UserRole) if item is not None and item.isSelected() else None

    def set_sessions(self, rows: list[SessionSummary], lifters: list[str] | None = None,
                     exercises: list[str] | None = None) -> None:
        current = self.list.currentItem().data(Qt.UserRole) if self.list.currentItem() else None
        if self.model is not None:  # the open session stays highlighted
            current = self.model.session.id if self.model.session is not None else None
        self.list.clear()
        for r, title in zip(rows, distinct_titles(rows), strict=True):
            item = QListWidgetItem(title)
            item.setToolTip(f"{r.lifter or '—'} · {r.exercise or '—'} · {r.date}")
            item.setData(Qt.UserRole, r.id)
            item.setData(_SUMMARY_ROLE, r)
            self.list.addItem(item)
            if r.id == current:
                self.list.setCurrentItem(item)
        for box, values in ((self.lifter, lifters), (self.exercise, exercises)):
            if values is None:
                continue
            keep = box.currentData()
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            for v in values:
                box.addItem(v, v)
            idx = box.findData(keep)
            box.setCurrentIndex(max(idx, 0))
            box.blockSignals(False)

    def set_session(self, session: Session | None, current_recording: str | None = None) -> None:
        self.recordings.clear()
        if session is None:
            self.current_label.setText("No session open")
            return
        # a named session shows its date, lifter and exercise too, as the list does
        details = f"<br>{escape(session.details)}" if session.name else ""
        self.current_label.setText(f"<b>{escape(session.title)}</b>{details}")
        for r in session.recordings:
            name = r.video_path.replace("\\", "/").rsplit("/", 1)[-1]
            load = session.load_of(r)
            at = f" · {load:g} {session.load_unit}" if load else ""
            item = QListWidgetItem(f"Set {r.set_number}: {name}{at}")
            own = "its own load" if r.load is not None else "the session's load"
            item.setToolTip(f"{r.video_path}\n{at[3:]} ({own})" if at else r.video_path)
            item.setData(Qt.UserRole, r.id)
            self.recordings.addItem(item)
            if r.id == current_recording:
                self.recordings.setCurrentItem(item)
                # (the list's own selection is off, see __init__: item.setSelected is too)
                self.recordings.selectionModel().select(
                    self.recordings.indexFromItem(item), QItemSelectionModel.ClearAndSelect)

    @property
    def highlighted_set(self) -> str | None:
        """The id of the highlighted set (the recording on screen), or None."""
        chosen = self.recordings.selectedItems()
        return chosen[0].data(Qt.UserRole) if chosen else None

    def _choose(self, item: QListWidgetItem) -> None:
        self.recording_chosen.emit(item.data(Qt.UserRole))

    def _recording_menu(self, pos) -> None:
        item = self.recordings.itemAt(pos)
        if item is None:
            return
        menu = QMenu(self)
        remove = menu.addAction("Remove this set from the session…")
        if menu.exec(self.recordings.viewport().mapToGlobal(pos)) is remove:
            self.remove_recording_requested.emit(item.data(Qt.UserRole))

    def _emit_filters(self) -> None:
        self.filters_changed.emit({"lifter": self.lifter.currentData() or "",
                                   "exercise": self.exercise.currentData() or "",
                                   "text": self.search.text().strip()})

    def _open(self) -> None:
        self._with_current(self.open_requested)

    def _with_current(self, signal) -> None:
        item = self.list.currentItem()
        if item is not None:
            signal.emit(item.data(Qt.UserRole))
