"""One-line readouts that keep their width: a label whose text changes with every frame
(time, frame number, cache fill) would otherwise widen and narrow with its digits and
push its neighbours (the video and the docks) sideways while the user steps; a status bar
text too long for its room is elided with the whole text in the tooltip, never cut in
the middle of a word or number."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

_DIGITS = "0123456789"


def steady_width(fm: QFontMetrics, text: str) -> int:
    """Pixels ``text`` takes in ``fm`` with each of its digits as wide as the widest digit:
    the width any text of the same pattern ("frame 1/175" … "frame 175/175" once padded to
    the count's digits) can take, whatever the digits."""
    widest = max(_DIGITS, key=fm.horizontalAdvance)
    return fm.horizontalAdvance("".join(widest if c.isdigit() else c for c in text))


class ReadoutLabel(QLabel):
    """A QLabel for plain one-line text that (a) keeps the widest width it was asked to
    hold (:meth:`hold`) until :meth:`release`, and (b) with ``elide`` may be squeezed:
    it then shows the text elided ("…") with the whole text in its tooltip.

    ``text()`` returns the whole text; ``setToolTip`` sets a tooltip shown in addition."""

    def __init__(self, parent: QWidget | None = None, *, elide: bool = False) -> None:
        super().__init__(parent)
        self._full = ""
        self._tip = ""
        self._held: set[str] = set()
        self._chrome_for: tuple = (None, 0)
        self._elide = elide
        self.setTextFormat(Qt.PlainText)

    # -- text -----------------------------------------------------------------------
    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming)
        if text == self._full:
            return
        self._full = text
        self.updateGeometry()
        self._show()

    def set_reading(self, text: str, widest: str) -> None:
        """Show ``text`` and keep room for ``widest`` (see :meth:`hold`)."""
        self.hold(widest)
        self.setText(text)

    def text(self) -> str:
        return self._full

    def setToolTip(self, tip: str) -> None:  # noqa: N802 (Qt naming)
        self._tip = tip
        self._show()

    def is_elided(self) -> bool:
        """Whether the text shown is shorter than the whole text."""
        return super().text() != self._full

    # -- width ----------------------------------------------------------------------
    def hold(self, *patterns: str) -> None:
        """Keep room for the widest of ``patterns`` (each with its widest digits, see
        :func:`steady_width`) from now on, so the label does not shrink and grow again.
        Widths are measured in the font the label has when laid out (its style sheet's)."""
        new = {"".join("0" if c.isdigit() else c for c in p) for p in patterns} - self._held
        if new:
            self._held |= new
            self.updateGeometry()

    def release(self) -> None:
        """Forget the held width (another clip, another kind of readout)."""
        if self._held:
            self._held = set()
            self.updateGeometry()

    def _chrome(self) -> int:
        """Pixels the label adds around its text (margins, style sheet padding, indent), as
        QLabel's own size hint counts them; measured once per font and style, so the width
        does not move by a pixel with the text's rounding (+1 for that rounding)."""
        m = self.contentsMargins()
        key = (self.font().key(), m.left(), m.right(), self.margin(), self.indent())
        fm = self.fontMetrics()
        shown = QLabel.text(self)
        if not shown:  # nothing to measure on: margins and an indent of about an "x"
            return m.left() + m.right() + 2 * self.margin() + fm.horizontalAdvance("x")
        if self._chrome_for[0] != key:
            extra = QLabel.sizeHint(self).width() - fm.horizontalAdvance(shown)
            self._chrome_for = (key, extra + 1)
        return self._chrome_for[1]

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        h = super().sizeHint().height()
        fm = self.fontMetrics()
        held = max((steady_width(fm, p) for p in self._held), default=0)
        w = max(held, fm.horizontalAdvance(self._full))
        return QSize(w + self._chrome(), h)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        if not self._elide:
            return self.sizeHint()
        h = super().minimumSizeHint().height()
        fm = self.fontMetrics()
        w = min(fm.horizontalAdvance(self._full), fm.horizontalAdvance("frame 0…"))
        return QSize(w + self._chrome(), h)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self._show()

    def _show(self) -> None:
        room = self.width() - self._chrome()
        shown = self._full
        if self._elide and self.fontMetrics().horizontalAdvance(self._full) > room:
            shown = self.fontMetrics().elidedText(self._full, Qt.ElideRight, max(room, 0))
        QLabel.setText(self, shown)
        tips = [self._full] if shown != self._full else []
        if self._tip and self._tip != self._full:
            tips.append(self._tip)
        QLabel.setToolTip(self, "\n".join(tips))


class ReadoutStatusBar(QStatusBar):
    """A status bar whose passing messages are elided to the room left of the permanent
    fields (the message then also stands whole in the bar's tooltip), instead of being
    cut wherever the room ends."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._permanent: list[QWidget] = []
        self.messageChanged.connect(lambda m: m or self.setToolTip(""))

    def addPermanentWidget(self, widget: QWidget, stretch: int = 0) -> None:  # noqa: N802
        self._permanent.append(widget)
        super().addPermanentWidget(widget, stretch)

    def message_room(self) -> int:
        """Pixels a passing message has: the bar less its permanent fields and grip."""
        room = self.width() - 24
        for w in self._permanent:
            if w.isVisible():
                room -= w.width() + 6
        return room

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 (Qt naming)
        fm = self.fontMetrics()
        shown = text
        if text and self.isVisible() and fm.horizontalAdvance(text) > self.message_room():
            shown = fm.elidedText(text, Qt.ElideRight, max(self.message_room(), 40))
        self.setToolTip(text if shown != text else "")
        super().showMessage(shown, timeout)
