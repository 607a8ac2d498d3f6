"""The session report's charts, drawn by matplotlib (imported on first use): the vertical
velocity over the lift with its phases shaded, and the bar path on equal axes (reps from
the lowest point; a snatch, clean or jerk in its attempt table's reference, above the
floor). Ticks fall on round values (1-2-2.5-5-10 steps). The attempts' phase colours
are the panel's and the overlay's.
"""

from __future__ import annotations

import io

import numpy as np

from analysis.lift.result import AnalysisResult

PHASE_COLORS = {"eccentric": "#3a7bd5", "concentric": "#f08c2c", "bottom_pause": "#8a8a8a",
                "top_pause": "#6e6e6e", "hold": "#9b59b6"}
PHASE_NAMES = {"eccentric": "eccentric", "concentric": "concentric",
               "bottom_pause": "pause", "top_pause": "pause", "hold": "hold"}
#: one colour per rep of a set up to 12 reps: matplotlib's tab10 without its grey (the
#: path between reps is grey), then black, navy and plum; every two are at least 27
#: CIELAB units apart (the old eight-colour cycle gave rep 1 and rep 8 two oranges 17
#: apart, and rep 9 rep 1's own)
REP_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
              "#bcbd22", "#17becf", "#000000", "#0b3d91", "#7a0177"]
#: a longer set runs along this sequential colormap from its first rep (dark) to its last
#: (light; its palest yellow left out, it vanishes on white), the legend saying so
REP_COLORMAP, REP_COLORMAP_END = "viridis", 0.88
#: at most this many reps named in a long set's legend: the first, the last, evenly between
LEGEND_REPS = 5

#: Rep statuses left out of the charts and rep pictures (the user marked them "not a rep");
#: failed reps stay: the coach wants to see them.
NOT_A_REP = "false"


def shown_reps(r: AnalysisResult) -> list:
    """The reps the charts and rep pictures show: all but those marked not a rep."""
    return [rep for rep in r.reps if rep.status != NOT_A_REP]


def _figure(width_in: float, height_in: float, layout: str | None = "constrained"):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=100, layout=layout)
    fig.patch.set_facecolor("white")
    return fig


def _style(ax) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax.grid(True, color="#e3e3e3", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)


#: Time (s) the velocity chart shows before the lift starts and after it ends.
CHART_MARGIN_S = 0.3


def chart_span(r: AnalysisResult) -> tuple[float, float] | None:
    """``(start, end)`` (s) of the lift the charts show: a snatch, clean or jerk from the
    first lift-off to the end of its last attempt (:func:`analysis.lift.attempts.
    attempt_span`: the bar dropped after the lift is not part of it), else the first
    shown rep's start to the last one's end; None without either (the whole track)."""
    if r.weightlifting is not None:
        from analysis.lift.attempts import attempt_span

        return attempt_span(r.weightlifting)
    reps = shown_reps(r)
    return (reps[0].start, reps[-1].end) if reps else None


def _shade_phases(ax, r: AnalysisResult) -> set[str]:
    """The phases of the reps, or of the attempts of a snatch, clean or jerk (the rep
    analysis's phases mean nothing there), shaded on ``ax``; returns the names shown."""
    shown: set[str] = set()
    if r.weightlifting is not None:
        from analysis.lift.attempts import PHASE_LABELS
        from widgets.overlay_painter import ATTEMPT_PHASE_COLORS

        for a in r.weightlifting.attempts:
            for p in a.phases:
                name = PHASE_LABELS.get(p.name, p.name)
                ax.axvspan(p.start_t, p.end_t, color=ATTEMPT_PHASE_COLORS.get(p.name, "#999"),
                           alpha=0.3, lw=0, label=None if name in shown else name)
                shown.add(name)
        return shown
    for rep in shown_reps(r):
        for kind, (s0, s1) in rep.phases.items():
            name = PHASE_NAMES.get(kind, kind)
            ax.axvspan(s0, s1, color=PHASE_COLORS.get(kind, "#999999"), alpha=0.18, lw=0,
                       label=None if name in shown else name)
            shown.add(name)
    return shown


def draw_velocity(ax, r: AnalysisResult) -> None:
    """Vertical velocity over time on ``ax``, phases shaded, a reference line at 0.

    The chart runs over the lift (:func:`chart_span`, with :data:`CHART_MARGIN_S` either
    side) and its velocity axis is scaled to the lift: a bar dropped after a clean and
    jerk fell at 5 m/s, a spike that flattened the lift itself to a line.
    """
    k = r.kinematics
    shown = _shade_phases(ax, r)
    ax.axhline(0, color="#888888", lw=0.8)
    span = chart_span(r)
    sel = np.ones(k.t.shape, bool) if span is None else \
        (k.t >= span[0] - CHART_MARGIN_S) & (k.t <= span[1] + CHART_MARGIN_S)
    ax.plot(k.t[sel], k.vy[sel], color="#c2571a", lw=1.4)
    if span is not None:
        ax.set_xlim(span[0] - CHART_MARGIN_S, span[1] + CHART_MARGIN_S)
        lift = k.vy[(k.t >= span[0]) & (k.t <= span[1])]
        lift = lift[np.isfinite(lift)]
        if lift.size:
            lo, hi = min(float(lift.min()), 0.0), max(float(lift.max()), 0.0)
            pad = max(hi - lo, 1e-6) * 0.08
            ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlabel("time (s)", fontsize=9)
    ax.set_ylabel("velocity (m/s)" if r.units == "m" else "velocity (px/s)", fontsize=9)
    # an attempt's phases take legend rows above the chart: the title goes over them
    rows = -(-len(shown) // 6)
    ax.set_title("Vertical velocity", fontsize=10, loc="left",
                 pad=6.0 if rows <= 1 else 4.0 + 10.5 * rows)
    _style(ax)
    if shown:
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False,
                  ncols=min(len(shown), 6), borderaxespad=0.1)


def velocity_figure(r: AnalysisResult, width_in: float = 6.4, height_in: float = 2.4):
    """:func:`draw_velocity` on a figure of its own."""
    fig = _figure(width_in, height_in)
    draw_velocity(fig.add_subplot(), r)
    return fig

def bar_path_xy(r: AnalysisResult) -> tuple[np.ndarray, np.ndarray, str]:
    """The bar path for a chart: the reps (setup, walk-out and reps marked not a rep left
    out), horizontal from where the first rep starts, height from the lowest point.

    Returns ``(x, height, unit)``, one value per frame (NaN outside the reps and where
    the bar was lost): in cm once calibrated, else px; the height is 0 at the lowest
    point and positive upward, ``x`` is 0 at the first rep's start, positive to the
    right (image x). Without reps, the whole track.

    A snatch, clean or jerk: its attempts (lift-off to the end of the last one), in cm
    in the attempt table's reference (:func:`analysis.lift.attempts.attempt_path`): the
    height above the floor (from the start for a hang, block or jerk start), ``x`` from
    the lift-off, + away from the lifter.
    """
    k = r.kinematics
    if r.weightlifting is not None:
        from analysis.lift.attempts import attempt_path, attempt_span

        h, x = attempt_path(r)
        span = attempt_span(r.weightlifting)
        keep = np.isfinite(h) & np.isfinite(x)
        if span is not None:
            keep &= (k.t >= span[0]) & (k.t <= span[1])
        return np.where(keep, x * 100, np.nan), np.where(keep, h * 100, np.nan), "cm"
    scale, unit = (100.0, "cm") if r.units == "m" else (1.0, "px")
    ok = np.isfinite(k.x) & np.isfinite(k.height)
    reps = shown_reps(r)
    if reps:
        ok &= (k.t >= reps[0].start) & (k.t <= reps[-1].end)
    x = np.full(k.x.shape, np.nan)
    h = np.full(k.height.shape, np.nan)
    if ok.any():
        x[ok] = (k.x[ok] - k.x[ok][0]) * scale
        h[ok] = (k.height[ok] - k.height[ok].min()) * scale
    return x, h, unit


def _draw_attempt_path(ax, r: AnalysisResult, x: np.ndarray, h: np.ndarray) -> None:
    """The attempts' path coloured by phase, the vertical through lift-off dashed, the
    peak and the catch marked with their heights as the attempt table gives them."""
    from analysis.lift.attempts import cm_text
    from widgets.overlay_painter import ATTEMPT_PHASE_COLORS

    wl = r.weightlifting
    assert wl is not None
    t = r.kinematics.t
    ax.plot(x, h, color="#b5b5b5", lw=1.0)
    ax.axvline(0, color="#888888", lw=0.8, ls="--")
    for a in wl.attempts:
        for p in a.phases:
            sel = (t >= p.start_t) & (t <= p.end_t)
            ax.plot(x[sel], h[sel], color=ATTEMPT_PHASE_COLORS.get(p.name, "#999"), lw=1.6)
        for when, value, word in ((a.peak_height_t, a.peak_height_m, "peak"),
                                  (a.catch_t, a.catch_height_m, "catch")):
            i = int(np.clip(np.searchsorted(t, when), 0, len(t) - 1))
            if np.isfinite(x[i]) and np.isfinite(value):
                ax.plot([x[i]], [value * 100], "o", color="#222222", ms=3)
                ax.annotate(f"{word} {cm_text(value)}", (x[i], value * 100), fontsize=7,
                            xytext=(5, -3 if word == "catch" else 2),
                            textcoords="offset points")


def rep_colors(n: int) -> list[str]:
    """The colours of a set's ``n`` reps, first to last: :data:`REP_COLORS` (distinct) up
    to 12 reps, else evenly along :data:`REP_COLORMAP` (a colour per rep, in order)."""
    if n <= len(REP_COLORS):
        return REP_COLORS[:n]
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps[REP_COLORMAP]
    return [to_hex(cmap(REP_COLORMAP_END * i / (n - 1))) for i in range(n)]


def _legend_reps(n: int) -> set[int]:
    """Which of ``n`` reps (indices) a long set's legend names: first, last, between."""
    return {round(j * (n - 1) / (LEGEND_REPS - 1)) for j in range(LEGEND_REPS)}


def draw_bar_path(ax, r: AnalysisResult) -> None:
    """Bar path on ``ax`` with equal axes, one colour per rep (grey between reps); a
    snatch, clean or jerk coloured by phase, in the attempt table's reference."""
    x, h, unit = bar_path_xy(r)
    k = r.kinematics
    wl = r.weightlifting
    if wl is not None:
        _draw_attempt_path(ax, r, x, h)
    else:
        ax.plot(x, h, color="#b5b5b5", lw=1.0)
        reps = shown_reps(r)
        named = _legend_reps(len(reps)) if len(reps) > len(REP_COLORS) else range(len(reps))
        for i, (rep, colour) in enumerate(zip(reps, rep_colors(len(reps)), strict=True)):
            sel = (k.t >= rep.start) & (k.t <= rep.end)
            ax.plot(x[sel], h[sel], color=colour, lw=1.6,
                    label=f"rep {rep.number}" if i in named else None)
    ok = np.isfinite(x) & np.isfinite(h)
    if ok.any():
        # the floor (or the start) in sight, else the lowest point
        lo = min(float(np.min(h[ok])), 0.0) if wl is not None else float(np.min(h[ok]))
        span = max(float(np.max(h[ok])) - lo, 1e-6)
        xm = (float(np.min(x[ok])) + float(np.max(x[ok]))) / 2
        half = max(float(np.ptp(x[ok])) / 2, span * 0.25)
        ax.set_xlim(xm - half * 1.2, xm + half * 1.2)
        ax.set_ylim(lo - 0.05 * span, lo + span * 1.1)
    ax.set_aspect("equal", adjustable="box")
    if wl is not None:
        from analysis.lift.attempts import height_reference

        ax.set_xlabel(f"horizontal from lift-off ({unit})\n+ away from the lifter", fontsize=9)
        ax.set_ylabel(f"height {height_reference(wl)} ({unit})", fontsize=9)
    else:
        ax.set_xlabel(f"horizontal ({unit})", fontsize=9)
        ax.set_ylabel(f"height ({unit})", fontsize=9)
    ax.set_title("Bar path", fontsize=10)
    _style(ax)
    from matplotlib.ticker import MaxNLocator

    # a narrow chart: fewer horizontal ticks, or their labels run into each other
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
    if wl is None and shown_reps(r):
        many = len(shown_reps(r)) > len(REP_COLORS)
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=7, frameon=False,
                  title="colour runs\nfirst → last" if many else None, title_fontsize=7,
                  handlelength=1.0, handletextpad=0.4)


def bar_path_figure(r: AnalysisResult, width_in: float = 3.6, height_in: float = 4.0):
    """:func:`draw_bar_path` on a figure of its own."""
    fig = _figure(width_in, height_in)
    draw_bar_path(fig.add_subplot(), r)
    return fig


def figure_svg(fig) -> str:
    """The figure as an inline ``<svg>`` element (text kept as text)."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buf = io.StringIO()
    FigureCanvasSVG(fig)
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buf, format="svg")
    text = buf.getvalue()
    return text[text.index("<svg"):]


def tick_values(fig) -> list[list[float]]:
    """Every axis's tick values inside its limits (tests, and a check the ticks are round)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    out = []
    for ax in fig.axes:
        for axis, lim in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            lo, hi = min(lim), max(lim)
            out.append([float(v) for v in axis.get_ticklocs() if lo <= v <= hi])
    return out
