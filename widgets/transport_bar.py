"""Transport controls under the video: step, play, speed, loop marks, time readout."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QStyle, QToolButton, QWidget

from widgets.readout_label import ReadoutLabel
from widgets.timeline import format_time


class TransportBarWidget(QWidget):
    """Buttons emit intents; the controller decides. Shows time and frame."""

    step_requested = Signal(int)
    play_toggled = Signal()
    speed_selected = Signal(float)
    loop_in_requested = Signal()
    loop_out_requested = Signal()

    def __init__(self, speeds: tuple[float, ...], labels: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 2, 6, 2)
        st = self.style()

        def button(icon: QStyle.StandardPixmap, tip: str, slot) -> QToolButton:
            b = QToolButton(self)
            b.setIcon(st.standardIcon(icon))
            b.setToolTip(tip)
            b.setAutoRaise(True)
            b.clicked.connect(slot)
            lay.addWidget(b)
            return b

        button(QStyle.SP_MediaSkipBackward, "Back 10 frames (Shift+←)", lambda: self.step_requested.emit(-10))
        button(QStyle.SP_MediaSeekBackward, "Back one frame (←)", lambda: self.step_requested.emit(-1))
        self.play_button = button(QStyle.SP_MediaPlay, "Play / pause (Space)", self.play_toggled.emit)
        button(QStyle.SP_MediaSeekForward, "Forward one frame (→)", lambda: self.step_requested.emit(1))
        button(QStyle.SP_MediaSkipForward, "Forward 10 frames (Shift+→)", lambda: self.step_requested.emit(10))
        lay.addSpacing(12)
        mark_in = QToolButton(self)
        mark_in.setText("In")
        mark_in.setToolTip("Set loop in at this frame (I)")
        mark_in.clicked.connect(self.loop_in_requested.emit)
        mark_out = QToolButton(self)
        mark_out.setText("Out")
        mark_out.setToolTip("Set loop out at this frame (O)")
        mark_out.clicked.connect(self.loop_out_requested.emit)
        lay.addWidget(mark_in)
        lay.addWidget(mark_out)
        lay.addSpacing(12)
        self.speed_box = QComboBox(self)
        self.speed_box.setToolTip("Playback speed ([ slower, ] faster)")
        self._speeds = speeds
        #: a speed off the list (real time of a slow-motion clip: 4×), shown as a last item
        self._extra: float | None = None
        self.speed_box.addItems(labels)
        self.speed_box.currentIndexChanged.connect(self._on_speed_box_index)
        lay.addWidget(self.speed_box)
        lay.addStretch(1)
        #: keeps the width of the clip's widest reading ("frame 1116 / 1116"), so stepping
        #: never widens the bar and shifts the video and the docks beside it
        self.time_label = ReadoutLabel(self)
        self.time_label.setText("--:--.---")
        self.time_label.setObjectName("timeReadout")
        self.time_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self._readout_kind: tuple = ()
        lay.addWidget(self.time_label)

    def set_playing(self, playing: bool) -> None:
        icon = QStyle.SP_MediaPause if playing else QStyle.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))

    def set_speed(self, speed: float, note: str = "") -> None:
        """Show ``speed`` (× the file's rate). A speed off the list, or one with a
        ``note`` ("real time"), gets an item of its own, so the box never shows another
        speed than the one playing."""
        i = min(range(len(self._speeds)), key=lambda k: abs(self._speeds[k] - speed))
        on_list = abs(self._speeds[i] - speed) <= 1e-6 * max(speed, 1.0)
        self.speed_box.blockSignals(True)
        if self._extra is not None:
            self.speed_box.removeItem(len(self._speeds))
            self._extra = None
        if not on_list or note:
            self._extra = float(speed)
            label = f"{speed:.3g}×" if speed >= 1 else f"{speed:.2g}×"
            self.speed_box.addItem(f"{label} ({note})" if note else label)
            i = len(self._speeds)
        self.speed_box.setCurrentIndex(i)
        self.speed_box.blockSignals(False)
        self._fit_speed_box()

    def _fit_speed_box(self) -> None:
        """Wide enough for the speed shown ("4× (real time)" whole): the combo box's own
        size hint leaves out the style sheet's padding and drop-down button."""
        fm = self.speed_box.fontMetrics()
        text = max((self.speed_box.itemText(k) for k in range(self.speed_box.count())),
                   key=fm.horizontalAdvance, default="")
        self.speed_box.setMinimumWidth(fm.horizontalAdvance(text) + 48)

    def _on_speed_box_index(self, i: int) -> None:
        if 0 <= i < len(self._speeds):
            self.speed_selected.emit(self._speeds[i])
        elif self._extra is not None:
            self.speed_selected.emit(self._extra)

    def set_time(self, t: float, n: int, count: int, file_time: float | None = None) -> None:
        """Time ``t`` (s) and frame ``n`` of ``count``. With ``file_time`` (a slow-motion
        clip) ``t`` is real time, marked "real", and the file's own clock is in the tooltip."""
        real = "" if file_time is None else " real"
        self._hold(("clip", count, real), f"{format_time(t)}{real}   frame {count} / {count}")
        self.time_label.setText(f"{format_time(t)}{real}   frame {n + 1} / {count}")
        if file_time is None:
            self.time_label.setToolTip("")
            return
        self.time_label.setToolTip(
            f"Real time, as the analysis counts it (slow motion); the file's own clock "
            f"reads {format_time(file_time)}")

    def set_text(self, text: str) -> None:
        """Any readout (the common time of a comparison); the label keeps the width of the
        widest of these shown since the last other kind of readout."""
        self._hold(("text",), text)
        self.time_label.setText(text)
        self.time_label.setToolTip("")

    def clear(self) -> None:
        """No video: no time."""
        self._hold((), "")
        self.time_label.setText("--:--.---")

    def _hold(self, kind: tuple, widest: str) -> None:
        """Keep room for ``widest`` (its digits at their widest); a new ``kind`` of
        readout (another clip's frame count, a comparison) starts from its own width."""
        if kind != self._readout_kind:
            self._readout_kind = kind
            self.time_label.release()
        self.time_label.hold(widest)
