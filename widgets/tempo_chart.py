"""The tempo chart beside the bar path: each rep's phases as stacked bars in their colours
(a hold on top), a tick under each bar, and ✓/✗ above each rep against the prescribed
tempo."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg

from widgets.panel_data import RepView
from widgets.panel_plots import PHASE_COLORS

#: the tempo chart's title is its legend: each phase in its colour, in the order the bars
#: stack (both pauses grey); short enough to stay whole beside the bar path in a 420 px dock
TEMPO_TITLE = ("Tempo: " + " · ".join(
    f'<span style="color: {PHASE_COLORS[k]}">{w}</span>' for w, k in (
        ("ecc", "eccentric"), ("pause", "bottom_pause"), ("con", "concentric"),
        ("hold", "hold"))))


def fill_tempo_chart(plot: pg.PlotWidget, reps: list[RepView],
                     prescribed: str | None) -> tuple[list[Any], float]:
    """Draw ``reps``' tempo on ``plot`` (its earlier items already removed): ``(items
    added, top)``, ``top`` the tallest bar (s) when ✓/✗ marks against ``prescribed``
    stand above the bars (0.0 without marks), for the plot's range."""
    items: list[Any] = []
    order = ["eccentric", "bottom_pause", "concentric", "top_pause"]
    xs = np.arange(1, len(reps) + 1)
    # reps are counted: a tick under each bar (every k-th in a long set), never at x.5
    step = max(1, -(-len(reps) // 12))
    plot.getAxis("bottom").setTicks(
        [[(int(i), str(i)) for i in xs[::step]], []] if len(reps) else None)
    base = np.zeros(len(reps))
    for k, kind in enumerate(order):
        vals = np.array([r.tempo_parts[k] for r in reps], float)
        bar = pg.BarGraphItem(x=xs, height=vals, y0=base, width=0.6,
                              brush=PHASE_COLORS[kind], pen=pg.mkPen("#111"))
        plot.addItem(bar)
        items.append(bar)
        base = base + vals
    holds = np.array([sum(h[1] - h[0] for h in r.holds) for r in reps], float)
    if holds.any():
        bar = pg.BarGraphItem(x=xs, height=holds, y0=base, width=0.6,
                              brush=PHASE_COLORS["hold"], pen=pg.mkPen("#111"))
        plot.addItem(bar)
        items.append(bar)
    pres = prescribed
    marked = [(x, r) for x, r in zip(xs, reps, strict=True)
              if pres is not None and r.tempo_misses is not None]
    top = float(np.max(base + holds)) if len(reps) else 0.0
    for x, r in marked:  # on / off the prescribed tempo, above each rep's bar
        ok = not r.tempo_misses
        mark = pg.TextItem("✓" if ok else "✗", color="#5fd068" if ok else "#ff6b6b",
                           anchor=(0.5, 1.0))
        mark.setPos(float(x), float(base[int(x) - 1] + holds[int(x) - 1]))
        plot.addItem(mark)
        items.append(mark)
    return items, (top if marked else 0.0)
