"""An axis whose tick labels never overlap, however short the plot.

pyqtgraph always labels its major ticks and picks their spacing from the axis length
alone (at least 2.25 intervals): on a 25 px high plot the labels 0, 0.2, 0.4 and 0.6 are
drawn over one another ("0.6" over "0.2"), and labels at the very ends are skipped, which
can leave a single label. When pyqtgraph's spacing does either, this axis takes the
smallest round spacing (1-2-4-5 steps) whose labels keep apart (their height, or their
width plus a gap) with two or more drawn, and labels the major ticks only. Apart labels
come first: an axis too short for two of them keeps one (the panel's least plot heights
leave room for two or more).
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

#: free room between two tick labels (px): side by side, one above the other
LABEL_GAP = 8.0
LINE_GAP = 1.0
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
        gap = LABEL_GAP if self.orientation in ("top", "bottom") else LINE_GAP
        major = levels[0][0]

        def fits(spacing: float) -> tuple[bool, int]:
            """Whether labels at ``spacing`` keep apart, and how many are drawn (a label
            reaching past the axis' ends is not)."""
            label = self._label_size(lo, hi, spacing)
            inset = per_px * label / 2
            return spacing / per_px >= label + gap, _count(lo + inset, hi - inset, spacing)

        ok, shown = fits(major)
        if ok and shown >= 2:
            return levels
        # the smallest round spacing whose labels keep apart, two or more drawn; failing
        # that, one drawn
        candidates = [major / 10]
        while candidates[-1] < major * 50:
            candidates.append(next_step(candidates[-1]))
        found = [(c, n) for c in candidates for ok, n in [fits(c)] if ok and n >= 1]
        best = next((c for c, n in found if n >= 2), found[0][0] if found else major)
        if best == major:
            return levels
        return [(best, 0.0), (min(best, major) / 2, 0.0)]


def _count(lo: float, hi: float, spacing: float) -> int:
    """How many multiples of ``spacing`` lie in [lo, hi]."""
    return math.floor(hi / spacing + 1e-9) - math.ceil(lo / spacing - 1e-9) + 1
