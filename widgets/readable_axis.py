"""An axis whose tick labels never overlap, however short the plot.

pyqtgraph always labels its major ticks and picks their spacing from the axis length
alone (at least 2.25 intervals): on a 25 px high plot the labels 0, 0.2, 0.4 and 0.6 are
drawn over one another ("0.6" over "0.2"). This axis widens the major spacing along
1-2-4-5 steps until every label has its own room (its height, or its width plus a gap),
and labels the major ticks only. Apart labels come first: an axis too short for two of
them keeps one (the panel's least plot heights leave room for two or more).
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

#: free room between two tick labels (px): side by side, one above the other
LABEL_GAP = 8.0
LINE_GAP = 3.0
#: pyqtgraph draws a tick label 0.8 of its font's line high
TEXT_HEIGHT = 0.8


def next_step(spacing: float) -> float:
    """The next wider round tick spacing: 0.1 → 0.2 → 0.4 → 0.5 → 1 → 2 …"""
    exp = math.floor(math.log10(spacing) + 1e-9)
    mant = spacing / 10 ** exp
    for nxt in (2.0, 4.0, 5.0, 10.0):
        if mant < nxt - 1e-9:
            return nxt * 10 ** exp
    return 20.0 * 10 ** exp


class ReadableAxisItem(pg.AxisItem):
    """A :class:`pyqtgraph.AxisItem` (same arguments) whose labels keep apart."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.setStyle(maxTextLevel=0)  # only the major ticks carry a label

    def _label_size(self, lo: float, hi: float, spacing: float) -> float:
        """A label's size along the axis (px) at ``spacing``: its height on a vertical
        axis, the widest label's width on a horizontal one."""
        fm = QFontMetricsF(self.style["tickFont"] or self.font())
        if self.orientation in ("left", "right"):
            return TEXT_HEIGHT * fm.height()
        first = math.ceil(lo / spacing) * spacing
        values = [first + k * spacing for k in range(int((hi - first) / spacing) + 1)]
        texts = self.tickStrings(values or [lo, hi], self.autoSIPrefixScale * self.scale,
                                 spacing)
        return max((fm.horizontalAdvance(t) for t in texts), default=0.0)

    def tickSpacing(self, minVal: float, maxVal: float, size: float):  # type: ignore[no-untyped-def]  # noqa: N802,N803 - pyqtgraph override
        levels = super().tickSpacing(minVal, maxVal, size)
        if not levels or self._tickSpacing is not None or size <= 0:
            return levels
        lo, hi = sorted((minVal, maxVal))
        if hi <= lo:
            return levels
        per_px = (hi - lo) / size
        major = levels[0][0]
        spacing = major
        gap = LABEL_GAP if self.orientation in ("top", "bottom") else LINE_GAP
        size_px = self._label_size(lo, hi, spacing)
        for _ in range(16):
            if spacing / per_px >= size_px + gap:
                break
            wider = next_step(spacing)
            size_px = self._label_size(lo, hi, wider)
            # a label reaching past the axis' ends is not drawn: count those that fit
            inset = per_px * size_px / 2
            if _count(lo + inset, hi - inset, wider) < 1:
                break  # one label at least
            spacing = wider
        if spacing == major:
            return levels
        return [(spacing, 0.0), (major, 0.0)]


def _count(lo: float, hi: float, spacing: float) -> int:
    """How many multiples of ``spacing`` lie in [lo, hi]."""
    return math.floor(hi / spacing + 1e-9) - math.ceil(lo / spacing - 1e-9) + 1
