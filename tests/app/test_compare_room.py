"""Comparison room (tour 27): two landscape clips side by side were each about 370 px wide in
a tall, mostly black pane, and the A-vs-B table showed 8 of its 11 rows. The pictures now
get the room (the layout that shows them largest, the session docks put away while
comparing) and the table all its rows."""

from __future__ import annotations

import pytest

from analysis.synth.barcode import BarcodeSpec, make_barcode_clip
from app.launch import theme
from widgets.compare_view import best_layout

#: the A-vs-B table as the comparison fills it: 11 rows
ROWS = [("Mean velocity (m/s)", "0.63", "0.63", "+0.00"),
        ("Peak velocity (m/s)", "1.15", "1.15", "+0.00"), ("ROM (cm)", "49.0", "49.0", "+0.0"),
        ("Drift (cm)", "0.1", "0.1", "+0.0"), ("Tempo", "1.5-0.3-0.8-0.8", "1.5-0.3-0.8-0.8", ""),
        ("Eccentric (s)", "1.48", "1.48", "-0.00"), ("Bottom pause (s)", "0.32", "0.32", "+0.00"),
        ("Concentric (s)", "0.77", "0.77", "-0.00"), ("Top pause (s)", "0.84", "0.84", "-0.00"),
        ("Sticking point (% ROM)", "—", "—", ""), ("Set velocity loss (%)", "4", "4", "-0")]


def test_the_layout_that_shows_the_pictures_largest():
    wide, tall = (1280, 720), (720, 1280)
    assert best_layout((1120, 815), [wide, wide]) == "top_bottom"
    assert best_layout((765, 815), [wide, wide]) == "top_bottom"
    assert best_layout((1120, 815), [tall, tall]) == "side_by_side"
    assert best_layout((1120, 600), [wide, tall]) == "side_by_side"
    assert best_layout((800, 800), [(1, 1), (1, 1)]) == "side_by_side"  # a tie stays


@pytest.fixture
def landscape(tmp_path):
    paths = [tmp_path / "a.mp4", tmp_path / "b.mp4"]
    for p in paths:
        make_barcode_clip(p, BarcodeSpec(frames=30, width=640, height=360))
    return paths


def test_comparing_two_landscape_clips_gives_the_pictures_the_room(make_window, landscape,
                                                                    qtbot):
    a, b = landscape
    win = make_window(a, size=(1600, 1000))
    win.setStyleSheet(theme())
    ws = win.workspace
    assert ws.sessions_dock.isVisible() and ws.moments_dock.isVisible()
    win.opener.open(str(b), "compare")
    assert win.compare.active
    view = win.compare.view
    qtbot.waitUntil(lambda: all(c.frame is not None for c in view.canvases), timeout=10000)
    qtbot.wait(100)  # the docks' room goes to the view on the next layout pass
    # the session docks make way; the two pictures are stacked, each as wide as the view
    assert not ws.sessions_dock.isVisible() and not ws.moments_dock.isVisible()
    assert view.layout_name == "top_bottom"
    for c in view.canvases:
        shown_w = c.image_size()[0] * c.zoom
        assert shown_w >= 0.6 * view.width(), (shown_w, view.width())  # was under 0.5
    # the A-vs-B table: all 11 rows in view, 11 pt
    panel = ws.compare_panel
    panel.set_series(None, None, ROWS)
    qtbot.wait(80)
    t = panel.table
    assert t.rowCount() == 11 and t.verticalScrollBar().maximum() == 0
    assert t.font().pointSizeF() >= 11
    for plot in (panel.path_plot, panel.vel_plot):
        assert plot.height() >= 110
    # a layout the user picks stays; leaving brings the docks back
    win.actions_by_id["compare_layout"].trigger()
    assert view.layout_name == "side_by_side" and not view.auto_layout
    win.resize(1500, 1000)
    qtbot.wait(80)
    assert view.layout_name == "side_by_side"
    win.compare.leave()
    assert ws.sessions_dock.isVisible() and ws.moments_dock.isVisible()

