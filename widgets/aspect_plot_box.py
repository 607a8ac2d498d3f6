"""A holder that narrows a plot to its data's shape: equal axes without empty width.

With equal axes (``setAspectLocked``), pyqtgraph widens the view range to fill the
widget: in a wide side panel a bar path 5 cm wide and 60 cm tall is drawn on a 2 m
wide axis, a thin stripe in the middle. This box gives the plot the width its data
needs at the height it has, centred, so the path fills the plot and looks like the path.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QWidget

#: the view box never gets narrower than this (px): room for three x-axis tick labels
#: ("-0.4", "0", "0.4") apart, so the narrow bar path still has a scale to read
MIN_VIEW_WIDTH = 120
#: axis and title room around the view box before the plot is first laid out (px)
FALLBACK_MARGINS = (70, 75)


class AspectPlotBoxWidget(QWidget):
    """Holds ``plot``; :meth:`set_extent` gives the data's width and height (same units).

    Beside other widgets in a row, the box asks for the width its data needs (its size
    hint), at most ``max_share`` of its parent's width, and leaves them the rest."""

    def __init__(self, plot: pg.PlotWidget, parent: QWidget | None = None,
                 max_share: float = 1.0) -> None:
        super().__init__(parent)
        self.plot = plot
        self.max_share = max_share
        self.extent: tuple[float, float] | None = None  # data width, height
        self._wanted = 0  # the plot's width for the extent at the box's height (px)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addStretch(1)
        lay.addWidget(plot, 1000)  # all the width it may take; the stretches get the rest
        lay.addStretch(1)
        # the axes' room is known once the plot is laid out (tick labels set it): refit then
        plot.getPlotItem().getViewBox().sigResized.connect(lambda _vb: self._fit_width())

    def show_all(self, x: np.ndarray, y: np.ndarray) -> None:
        """Fit the view to the finite points (x, y) with a margin, equal axes (same units
        both ways); with no point, the plot fills the box again."""
        ok = np.isfinite(x) & np.isfinite(y)
        if not ok.any():
            self.clear_extent()
            return
        x0, x1 = float(x[ok].min()), float(x[ok].max())
        y0, y1 = float(y[ok].min()), float(y[ok].max())
        pad = 0.06 * max(x1 - x0, y1 - y0, 1e-6)  # the same both ways: equal axes
        self.set_extent(x1 - x0 + 2 * pad, y1 - y0 + 2 * pad)
        self.plot.setRange(xRange=(x0 - pad, x1 + pad), yRange=(y0 - pad, y1 + pad), padding=0)

    def set_extent(self, width: float, height: float) -> None:
        """The view's span (data units, padding included) the plot must show unstretched."""
        self.extent = (max(width, 0.0), max(height, 1e-12))
        self._fit_width()

    def clear_extent(self) -> None:
        self.extent = None
        self._fit_width()

    def _margins(self) -> tuple[float, float]:
        """Plot size minus view-box size (axes, labels, title), px."""
        vb = self.plot.getPlotItem().getViewBox().geometry()
        if vb.width() < 1 or vb.height() < 1 or self.plot.width() <= vb.width():
            return FALLBACK_MARGINS
        return self.plot.width() - vb.width(), self.plot.height() - vb.height()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        if self.extent is None or self._wanted <= 0:
            return hint
        wanted = self._wanted
        parent = self.parentWidget()
        if parent is not None and parent.width() > 0:
            wanted = min(wanted, int(parent.width() * self.max_share))
        return QSize(wanted, hint.height())

    def _fit_width(self) -> None:
        if self.extent is None:
            self.plot.setMaximumWidth(16777215)  # QWIDGETSIZE_MAX: fill the box
            self._set_wanted(0)
            return
        mx, my = self._margins()
        view_h = max(self.height() - my, 1.0)
        w, h = self.extent
        title = self.plot.getPlotItem().titleLabel.item.boundingRect().width() + 12
        view_w = max(view_h * w / h, MIN_VIEW_WIDTH, title)  # the title (over the view) uncut
        self._set_wanted(int(view_w + mx) + 1)
        most = int(min(view_w + mx, self.width())) + 1
        if most != self.plot.maximumWidth():  # the refit after the relayout is a no-op
            self.plot.setMaximumWidth(most)

    def _set_wanted(self, px: int) -> None:
        if px != self._wanted:
            self._wanted = px
            self.updateGeometry()  # a row it shares gives it that width

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_width()
