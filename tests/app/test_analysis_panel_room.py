"""The Analysis dock at 1600×960 (the window a coach reviews in): every rep-table column
readable without scrolling sideways, a whole set of eight in view, plots high enough for
readable axes however many warnings are on, warnings one line each with "more", and the
comparison table's columns whole."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetrics

from app.launch import theme
from widgets.analysis_panel import PLOT_MIN_HEIGHTS, PanelData, RepView
from widgets.panel_plots import PLOT_MIN_HEIGHTS_FOLDED
from tests.widgets.axis_labels import axis_labels
from widgets.table_fit import columns_width

#: the deadlift in a back-squat session: the three warnings the panel showed at once
THREE_WARNINGS = "\n".join([
    "Tracked point: the plate centre.",
    "The camera moved (up to 25 px, 0.1-19.5 s): its motion, measured on the background, "
    "is taken out of the bar path.",
    "The exercise says back squat (bar down first), but the bar starts at its lowest point "
    "and rises first: analysed as a lift from the floor (bar up first). Change the exercise "
    "if this is wrong."])
#: the summary as :func:`widgets.panel_data.panel_data` words it (how the tempo is checked
#: and where the scale came from are in its tooltip)
SUMMARY = ["<b>8 reps</b> (squat, bar down first) · ⚑ reps 7, 8 left out",
           "Velocity loss rep 2 (fastest counted) → rep 6: 24 ± 1 %; rep 1 (first) → 6: "
           "22 ± 2 % "
           "⚠ over threshold",
           "Prescribed tempo 3-0-X-0: 2 of 8 reps on tempo",
           "Bar-path consistency: 5.7 cm RMS",
           "Velocities in m/s; filter 4.0 Hz (auto); 5.070 mm/px"]


def _set(reps: int = 8, unit: str = "m", warning: str = "Tracked point: the plate centre.",
         calibrated: bool = True) -> PanelData:
    """A generated squat set, ``reps`` reps of 0.6 m (or 260 px) with the widest cells a real
    set gives: two-line MCV with its SD, a flagged rep, a partial rep, a hold, tempo misses."""
    fps, period = 30.0, 4.5
    scale = 1.0 if unit == "m" else 430.0
    t = np.arange(0, reps * period + 1.0, 1 / fps)
    phase = np.clip(t - 0.5, 0, reps * period) / period * 2 * np.pi
    height = scale * 0.6 * (0.5 + 0.5 * np.cos(phase))
    x = scale * 0.05 * np.sin(phase / 2) ** 2
    vy = np.gradient(height, t)
    views = []
    for i in range(reps):
        a = 0.5 + i * period
        views.append(RepView(
            number=i + 1, phases=[("eccentric", a, a + 2.7), ("concentric", a + 2.7, a + 4.0)],
            mean_velocity=0.45 * scale, peak_velocity=0.81 * scale, rom=0.588 * scale,
            drift=0.087 * scale, tempo="2.7-0.0-1.3-1.1", notation="3-0-1-1",
            tempo_parts=(2.7, 0.0, 1.3, 1.1), sticking=(a + 3.2, 0.56),
            holds=[(a + 3.0, a + 3.6, 0.4)] if i == 3 else [],
            status="partial" if i == 6 else "valid",
            flags=["bar moved sideways 3 times the set's median"] if i == 7 else [],
            propulsive_velocity=0.45 * scale if unit == "m" else None,
            mean_velocity_sd=0.012 * scale, tempo_misses=[] if i < 2 else ["eccentric 2.7 s"]))
    return PanelData(t, x, height, vy, unit, views, SUMMARY, prescribed="3-0-X-0",
                     warning=warning, calibrated=calibrated)


@pytest.fixture
def panel(make_window, qtbot):
    """The real window's analysis panel at 1600×960 with the app's theme (its fonts)."""
    win = make_window(size=(1600, 960))
    win.setStyleSheet(theme())
    qtbot.waitExposed(win)
    qtbot.wait(50)
    return win.workspace.panel


def _show(panel, qtbot, data: PanelData) -> None:
    panel.set_data(data)
    qtbot.wait(80)  # the plot box and the splitter settle on the next layout passes


def _label_rects(axis) -> list[QRectF]:
    return [rect for rect, _flags, _text in axis_labels(axis)]


def _assert_readable_axes(plot) -> None:
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        if not axis.isVisible() or not axis.style["showValues"]:
            continue  # the height plot's time axis is read on the velocity plot under it
        rects = _label_rects(axis)
        title = plot.getPlotItem().titleLabel.text
        assert len(rects) >= 2, (title, side, rects)  # a scale to read
        for i, a in enumerate(rects):
            for b in rects[i + 1:]:
                assert not a.intersects(b), (title, side, a, b)  # no label over another


def test_every_rep_table_column_fits_at_the_dock_width_with_eight_reps(panel, qtbot):
    """At 1600×960 the Status column was cut to "vali" behind a sideways scroll bar and 4 of
    8 rows showed: every column now shows its header and cells whole at 11 pt (UX.md: text
    at least 11 pt; the table was 9 pt), with the tempo on two lines and 7 or more of the
    8 reps in view beside the plots and a six-line summary."""
    assert panel.width() <= 560  # the dock's width in that window
    for unit in ("m", "px"):
        _show(panel, qtbot, _set(unit=unit, calibrated=unit == "m"))
        t = panel.table
        assert t.rowCount() == 8
        head = t.horizontalHeader()
        assert t.font().pointSizeF() >= 11 and head.font().pointSizeF() >= 11, unit
        assert QFontMetrics(t.font()).height() >= QFontMetrics(panel.summary.font()).height()
        assert columns_width(t) <= t.viewport().width(), unit
        assert t.horizontalScrollBar().maximum() == 0
        fm, fh = QFontMetrics(t.font()), QFontMetrics(head.font())
        for c in range(t.columnCount()):
            head_lines = t.horizontalHeaderItem(c).text().split("\n")
            cells = [line for r in range(t.rowCount()) for line in t.item(r, c).text().split("\n")]
            widest = max([fh.horizontalAdvance(s) for s in head_lines]
                         + [fm.horizontalAdvance(s) for s in cells])
            assert t.columnWidth(c) >= widest, (unit, head_lines, t.columnWidth(c), widest)
        # two lines a row (the tempo over its notation), not wrapped further
        assert max(t.rowHeight(r) for r in range(8)) < 3 * fm.lineSpacing(), unit
        assert t.verticalScrollBar().maximum() == 0, unit  # the whole set, no scrolling
    # the status of a rep that is not a plain valid one is still said, under its number
    assert t.item(6, 0).text() == "7\npartial" and t.item(7, 0).text().startswith("8 ⚑")
    assert "not used for velocity loss" in t.item(7, 0).toolTip()


def test_a_set_of_eight_with_a_prescribed_tempo_is_all_in_view(panel, qtbot):
    """Tour 27: with a prescribed tempo the summary grew a line (two, wrapped) and the set's
    last rep, the one that decides the velocity loss, was a scroll away at 1600×960. The
    panel's own summary of a real analysis now leaves the whole set of eight in view at
    11 pt; how the tempo is checked and where the scale came from are in its tooltip."""
    from analysis.lift.result import AnalysisSettings, analyze_track
    from tests.truth import lift_truth as T
    from widgets.panel_data import panel_data

    reps = T.family()["squat_tempo_3_1_X_0"].reps
    slower = tuple(replace(r, con_mean_mps=r.con_mean_mps * 0.7) for r in reps)  # fatigue
    truth = T.build_set(T.SetSpec("down_first", reps + slower))
    t = np.arange(0.0, truth.duration_s, 1 / 30)
    y, _v = T.sample(truth, t)
    noise = np.random.default_rng(3).normal(0, 0.4, len(t))  # px, a tracker's
    m_per_px = 0.002
    result = analyze_track(t, np.full(len(t), 300.0), 900.0 - y / m_per_px + noise,
                           m_per_px=m_per_px, lift="squat",
                           settings=AnalysisSettings(prescribed_tempo="3-1-X-0"),
                           calibration={"source": "plate 450 mm measured on 23 frames "
                                                  "(strongest circle)"})
    assert len(result.reps) == 8 and result.prescribed_tempo == "3-1-X-0"
    assert result.set_metrics.velocity_loss.flagged  # "⚠ over threshold", as on the tour
    # the one warning a clicked track brings (tour 27's set had it)
    d = replace(panel_data(result), warning="Tracked point: the plate centre.")
    _show(panel, qtbot, d)
    tab = panel.table
    assert tab.rowCount() == 8 and tab.font().pointSizeF() >= 11
    assert panel.summary.font().pointSizeF() >= 11 or panel.summary.font().pixelSize() < 0
    assert tab.verticalScrollBar().maximum() == 0  # no row a scroll away
    last = tab.visualRect(tab.model().index(7, 0))
    assert last.bottom() <= tab.viewport().height()
    tip = panel.summary.toolTip()
    assert "± 0.5 s a phase" in tip and "Scale from plate 450 mm measured on 23 frames" in tip
    assert "reps on tempo" in panel.summary.text() and "mm/px" in panel.summary.text()


def test_a_narrowed_dock_wraps_the_tempo_and_keeps_every_number_whole(panel, qtbot):
    """Narrowed by the user, the dock keeps every column in view: the tempo wraps at its
    dashes, numbers stay whole."""
    win = panel.window()
    _show(panel, qtbot, _set())
    wide_row = panel.table.rowHeight(0)
    win.resizeDocks([win.workspace.analysis_dock], [380], Qt.Horizontal)
    qtbot.wait(120)
    t = panel.table
    assert panel.width() <= 460  # as narrow as the dock goes
    assert columns_width(t) <= t.viewport().width()
    assert t.horizontalScrollBar().maximum() == 0
    fm = QFontMetrics(t.font())
    for c in range(t.columnCount()):
        if c == 1:
            continue  # the tempo: wraps
        lines = [line for r in range(t.rowCount()) for line in t.item(r, c).text().split("\n")]
        assert t.columnWidth(c) >= max(fm.horizontalAdvance(s) for s in lines), c
    assert t.rowHeight(0) > wide_row  # the tempo on more lines ...
    # ... three at most: its seconds in two halves, then the notation (at every dash it
    # took five, and the plots above were folded away)
    assert t.rowHeight(0) <= 3 * fm.lineSpacing() + 12
    # the bar path and the tempo chart still share their row without either being cut
    top = panel.plot_rows[0]
    assert panel.tempo_plot.geometry().right() < top.width()
    title = panel.tempo_plot.getPlotItem().titleLabel.item.boundingRect().width()
    assert title <= panel.tempo_plot.width()
    assert t.item(0, 1).text().replace("\u200b", "") == "2.7-0.0-1.3-1.1\n3-0-1-1"


@pytest.mark.parametrize("warning", ["Tracked point: the plate centre.", THREE_WARNINGS])
def test_the_plots_keep_readable_axes_with_warnings_on(panel, qtbot, warning):
    """With three warnings on, the Height and Velocity plots were 25 px strips with their
    tick labels over one another: they keep a view of 55 px or more and apart labels."""
    _show(panel, qtbot, _set(warning=warning))
    for plot in (panel.height_plot, panel.velocity_plot, panel.path_plot):
        vb = plot.getPlotItem().getViewBox()
        assert vb.height() >= 55, (plot.getPlotItem().titleLabel.text, vb.height())
        _assert_readable_axes(plot)
    _assert_readable_axes(panel.tempo_plot)
    for plot in (panel.height_plot, panel.velocity_plot, panel.path_plot, panel.tempo_plot):
        title = plot.getPlotItem().titleLabel.item.boundingRect().width()
        assert title <= plot.width(), (plot.getPlotItem().titleLabel.text, title, plot.width())
    # the table has all the room the plots leave: the 8 reps at 11 pt with one warning,
    # 7 or more with three
    t = panel.table
    rows = t.viewport().height() / t.rowHeight(0)
    assert rows >= (8 if "\n" not in warning else 7), rows


def test_warnings_take_a_line_each_and_more_shows_them_in_full(panel, qtbot):
    w = panel.warning
    _show(panel, qtbot, _set(warning=THREE_WARNINGS))
    line = QFontMetrics(w.font()).lineSpacing()
    assert w.height() <= 3 * line + 12  # three warnings, three lines
    shown = w.shown_text()
    assert shown.count("<br>") == 2 and "more ▾" in shown and "…" in shown
    assert "Change the exercise if this is wrong." in w.toolTip()  # the full text at hand
    assert "Change the exercise if this is wrong." in w.text()
    before = panel.height_plot.height()
    w.linkActivated.emit("#more")
    qtbot.wait(80)
    assert "Change the exercise if this is wrong." in w.shown_text() and "less ▴" in w.shown_text()
    assert w.height() > 3 * line + 12
    # read in full, the warnings take room from the table, never below the plots' least
    assert panel.height_plot.height() >= min(before, PLOT_MIN_HEIGHTS[1])
    w.linkActivated.emit("#less")
    qtbot.wait(80)
    assert "more ▾" in w.shown_text()


def test_the_uncalibrated_warning_keeps_its_link_on_one_line(panel, qtbot, monkeypatch):
    from app import dialogs
    from widgets.panel_data import NOT_CALIBRATED

    monkeypatch.setattr(dialogs, "tell", lambda *a, **k: None)  # no track to measure here

    _show(panel, qtbot, _set(unit="px", calibrated=False,
                             warning=NOT_CALIBRATED + "\n" + THREE_WARNINGS))
    w = panel.warning
    first = w.shown_text().split("<br>")[0]
    assert first.startswith("Not calibrated") and 'href="calibrate_plate"' in first
    asked = []
    panel.calibrate_requested.connect(lambda: asked.append(True))
    w.linkActivated.emit("calibrate_plate")
    assert asked


def test_a_short_dock_scrolls_instead_of_squashing_the_plots(qtbot):
    from widgets.analysis_panel import AnalysisPanelWidget

    panel = AnalysisPanelWidget()
    qtbot.addWidget(panel)
    panel.setStyleSheet(theme())
    panel.resize(500, 480)  # a dock on a small screen
    panel.show()
    qtbot.waitExposed(panel)
    _show(panel, qtbot, _set(warning=THREE_WARNINGS))
    for expanded in (False, True):
        panel.warning.set_expanded(expanded)
        qtbot.wait(80)
        folded = panel.split_fit.folded
        assert 2 not in folded
        leasts = PLOT_MIN_HEIGHTS_FOLDED if folded else PLOT_MIN_HEIGHTS
        for i, (row, least) in enumerate(zip(panel.plot_rows, leasts, strict=True)):
            assert row.height() >= least or (i in folded and row.height() == 0)
        t = panel.table
        assert t.viewport().height() >= t.rowHeight(0) * 3  # three reps at least
        # the rest is a scroll away (in the table, or the page)
        assert max(t.verticalScrollBar().maximum(),
                   panel.scroll.verticalScrollBar().maximum()) > 0
        # the summary comes after the table, whole, never drawn over it
        split, summary = panel.split.geometry(), panel.summary.geometry()
        assert summary.top() >= split.bottom()
        assert summary.height() >= panel.summary.heightForWidth(summary.width())


def test_the_comparison_table_cuts_no_column(make_window, qtbot):
    """The A-vs-B table's "B − A" column read "calibrat…": the numbers stay whole and the
    row names wrap instead."""
    win = make_window(size=(1600, 960))
    win.setStyleSheet(theme())
    qtbot.waitExposed(win)
    w = win.workspace.compare_panel
    win.workspace.analysis_stack.setCurrentWidget(w)
    rows = [("Mean velocity", "285.19 px/s", "0.45 m/s", "calibrate both"),
            ("Peak velocity", "571.32 px/s", "0.81 m/s", "calibrate both"),
            ("Tempo", "1.8-0.1-1.1-0.7", "2.7-0.0-1.3-1.1", ""),
            ("Bottom pause (s)", "0.09", "0.00", "-0.09"),
            ("Sticking point (% ROM)", "—", "—", ""),
            ("Set velocity loss (%)", "—", "24", "")]
    w.set_series(None, None, rows)
    qtbot.wait(80)
    t = w.table
    assert columns_width(t) <= t.viewport().width()
    fm = QFontMetrics(t.font())
    for c in (1, 2, 3):
        widest = max(fm.horizontalAdvance(t.item(r, c).text()) for r in range(t.rowCount()))
        assert t.columnWidth(c) >= widest, (c, t.columnWidth(c), widest)
    longest_word = max(fm.horizontalAdvance(word) for r in rows for word in r[0].split())
    assert t.columnWidth(0) >= longest_word  # names wrap between words, never cut



@pytest.mark.parametrize("free", [768, 728])
def test_a_laptop_shows_the_whole_set_with_the_plots_folded(make_window, qtbot, free):
    """On a 1366×768 laptop the rep table showed 3 of a set's 8 rows under the plots (the
    rest a scroll away): the bar path with the tempo chart, then the height plot fold
    for the table; the velocity plot stays, its title offers the folded plots back, and
    a click there unfolds them. At 1600×960 nothing folds (the tests above). Under a
    40 px taskbar (728 px free) the eighth row was still cut."""
    from PySide6.QtCore import QSize

    from app.screen_fit import fit_small_screen

    win = make_window(size=(1366, free))  # the whole screen, or the room a taskbar leaves
    win.setStyleSheet(theme())
    fit_small_screen(win, QSize(1366, free))  # the docks as a first start there lays them
    win.workspace.analysis_dock.raise_()
    qtbot.waitExposed(win)
    qtbot.wait(80)
    panel = win.workspace.panel
    for reps in (5, 8):
        _show(panel, qtbot, _set(reps=reps))
        t = panel.table
        assert t.rowCount() == reps
        assert t.verticalScrollBar().maximum() == 0, reps  # every rep in view
        last = t.visualRect(t.model().index(reps - 1, 0))
        assert last.bottom() <= t.viewport().height(), reps
        velocity = panel.plot_rows[2]
        assert velocity.height() >= PLOT_MIN_HEIGHTS_FOLDED[2] and panel.velocity_plot.isVisible()
        # its time unit in its title (no axis title under the ticks), a readable y axis
        assert "time (s)" in panel.velocity_plot.getPlotItem().titleLabel.text
        assert not panel.velocity_plot.getAxis("bottom").label.isVisible()
        _assert_readable_axes(panel.velocity_plot)
        assert 0 in panel.split_fit.folded
        first = panel.velocity_plot if 1 in panel.split_fit.folded else panel.height_plot
        assert "▸ show bar path & tempo" in first.getPlotItem().titleLabel.text
    assert panel.split_fit.folded == (0, 1)  # eight reps: the height plot folded too

    class Click:
        def __init__(self, pos):
            self.pos = pos

        def scenePos(self):  # noqa: N802 - pyqtgraph's event
            return self.pos

    title = panel.velocity_plot.getPlotItem().titleLabel
    panel._on_plot_clicked(Click(title.sceneBoundingRect().center()), panel.velocity_plot)
    qtbot.wait(80)
    assert not panel.split_fit.folded
    for row, least in zip(panel.plot_rows, PLOT_MIN_HEIGHTS, strict=True):
        assert row.height() >= least  # every plot back; the table scrolls
    assert "show" not in panel.velocity_plot.getPlotItem().titleLabel.text
    assert panel.velocity_plot.getAxis("bottom").label.isVisible()  # "time (s)" back under it


def test_a_laptop_with_a_taskbar_shows_a_whole_uncalibrated_set(make_window, qtbot):
    """The real 8-rep squat tracked before calibration (two warning lines: not calibrated,
    the point followed) showed 7 of its 8 rows at 1366×728 with the plots folded; the
    velocity plot now says its time unit in its title instead of an axis title."""
    from PySide6.QtCore import QSize

    from app.screen_fit import fit_small_screen

    win = make_window(size=(1366, 728))
    win.setStyleSheet(theme())
    fit_small_screen(win, QSize(1366, 728))
    win.workspace.analysis_dock.raise_()
    qtbot.waitExposed(win)
    qtbot.wait(80)
    panel = win.workspace.panel
    _show(panel, qtbot, _set(reps=8, unit="px", calibrated=False))
    assert len(panel.warning.lines) == 2  # not calibrated; the point followed
    t = panel.table
    assert t.verticalScrollBar().maximum() == 0  # every rep in view
    assert t.visualRect(t.model().index(7, 0)).bottom() <= t.viewport().height()
    assert panel.split_fit.folded == (0, 1)
    _assert_readable_axes(panel.velocity_plot)


def test_the_tempo_wraps_in_two_halves_and_its_notation_whole(qtbot):
    """A dock squeezing the tempo column wrapped it at every dash, five lines a rep
    ("0.6-", "0.0-", "1.0-", "0.5", "1-0-X-1" in two): the rows grew and the plots above
    were folded away. The seconds wrap once, in the middle; the notation stays whole."""
    from PySide6.QtWidgets import QTableWidget

    from widgets.rep_table import fill_rep_table
    from widgets.table_fit import fit_columns

    table = QTableWidget()
    qtbot.addWidget(table)
    table.setStyleSheet(theme())
    data = _set(5)
    fill_rep_table(table, data.reps, "m", "3-0-1-1")
    table.resize(300, 600)  # narrower than the columns: the tempo must give
    table.show()
    qtbot.waitExposed(table)
    fit_columns(table, wrap_column=1)
    fm = QFontMetrics(table.font())
    assert table.columnWidth(1) >= fm.horizontalAdvance("2.7-0.0-")
    assert max(table.rowHeight(r) for r in range(table.rowCount())) <= 3 * fm.lineSpacing() + 12


@pytest.mark.parametrize("reps", [8, 12])
def test_every_rep_has_a_colour_of_its_own_on_the_bar_path(panel, qtbot, reps):
    """The bar path's eight colours cycled: in a set of 12 a coach read rep 9's path as rep
    1's. Up to 8 reps keep their distinct colours; a longer set runs along a colormap
    from the first rep to the last."""
    from widgets.panel_plots import REP_COLORS

    _show(panel, qtbot, _set(reps))
    colours = [item.opts["pen"].color().name() for item in panel.path_reps]
    assert len(colours) == reps and len(set(colours)) == reps, colours
    if reps <= len(REP_COLORS):
        assert colours == REP_COLORS[:reps]
