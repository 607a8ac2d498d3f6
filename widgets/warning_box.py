"""A compact warning area: one line per warning, a "more" link for the rest.

Several warnings at once (camera moved, exercise mismatch, tracked point) used to take a
third of the analysis panel and squash its plots to strips. Collapsed, each warning keeps
one line, cut with "…" when longer than the panel is wide (the full text in the tooltip);
"more ▾" shows every warning in full, wrapped, and "less ▴" folds them again. Links in a
warning (the calibration fix) stay links and are reached with Tab, like any label link.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

MORE, LESS = "#more", "#less"
LINK_STYLE = "color: #7cc4ff"


@dataclass(frozen=True)
class WarningLine:
    """One warning: ``full`` rich text (may hold links), ``short`` its one-line form when
    it has links (plain warnings are cut to the width instead)."""

    full: str
    short: str = ""


def plain(rich: str) -> str:
    """The text of ``rich`` without its tags (the links' words kept)."""
    return html.unescape(re.sub(r"<[^>]+>", "", rich))


class WarningBoxLabel(QLabel):
    """Shows :class:`WarningLine` s collapsed (one line each) or in full; emits
    ``link_followed(href)`` for every link but its own more/less toggle.

    :meth:`text` gives every warning in full (what "more" shows), whichever way they are
    shown; :meth:`shown_text` what is on screen now."""

    link_followed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: list[WarningLine] = []
        self.expanded = False
        self._full = ""
        self._fitted_width = -1
        self.setWordWrap(True)
        self.setTextFormat(Qt.RichText)
        self.setStyleSheet("color: #f0c040")
        self.setTextInteractionFlags(Qt.LinksAccessibleByMouse | Qt.LinksAccessibleByKeyboard)
        # the layout sets the width: long lines are cut to it, never widen the panel
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.setMinimumWidth(60)
        self.linkActivated.connect(self._on_link)

    def set_lines(self, lines: list[WarningLine]) -> None:
        """Show ``lines`` (none: the box takes no room). New warnings start collapsed."""
        if lines != self.lines:
            self.expanded = False
        self.lines = list(lines)
        self._full = "<br>".join(w.full for w in self.lines)
        self.setVisible(bool(self.lines))
        self._refit()

    def text(self) -> str:  # type: ignore[override]
        """Every warning in full, as rich text ("" with none)."""
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt name, kept for old callers
        self.set_lines([WarningLine(line) for line in text.split("<br>") if line.strip()])

    @property
    def can_expand(self) -> bool:
        """Whether a warning does not fit on its line (the toggle is shown)."""
        return any(self._collapsed(w, self._width()) != w.full for w in self.lines)

    def set_expanded(self, on: bool) -> None:
        self.expanded = on
        self._refit()

    def _on_link(self, href: str) -> None:
        if href in (MORE, LESS):
            self.set_expanded(href == MORE)
        else:
            self.link_followed.emit(href)

    def _width(self) -> int:
        return max(self.contentsRect().width() - 2 * self.margin() - 2, 40)

    def _collapsed(self, w: WarningLine, width: int, reserve: int = 0) -> str:
        fm = QFontMetrics(self.font())
        text = plain(w.full)
        if fm.horizontalAdvance(text) + reserve <= width:
            return w.full
        if w.short:
            return w.short
        return html.escape(fm.elidedText(text, Qt.ElideRight, max(width - reserve, 20)))

    def _refit(self) -> None:
        width = self._width()
        self._fitted_width = width
        if not self.lines:
            super().setText("")
            self.setToolTip("")
            return
        fm = QFontMetrics(self.font())
        toggle = f'<a href="{{href}}" style="{LINK_STYLE}">{{word}}</a>'
        if self.expanded:
            shown = self._full + "&nbsp;&nbsp;" + toggle.format(href=LESS, word="less ▴")
            self.setToolTip("")
        else:
            more = "  more ▾"
            room = fm.horizontalAdvance(more) + 8
            rows = [self._collapsed(w, width) for w in self.lines]
            if rows != [w.full for w in self.lines]:
                rows[-1] = self._collapsed(self.lines[-1], width, room)
                rows[-1] += "&nbsp;&nbsp;" + toggle.format(href=MORE, word="more ▾")
                self.setToolTip("\n".join(plain(w.full) for w in self.lines))
            else:
                self.setToolTip("")
            shown = "<br>".join(rows)
        if shown != super().text():
            super().setText(shown)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self._width() != self._fitted_width:
            self._refit()
