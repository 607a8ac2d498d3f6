"""Drawing tools tell how they are drawn, and the swatch shows the next drawing's colour."""

from __future__ import annotations

import pytest

from tests.analysis.clips import numbered_clip
from tests.app.test_drawing import annotations, drag


@pytest.fixture
def win(make_window, clip_cache):
    return make_window(numbered_clip(clip_cache, "cfr")[0])


def test_angle_tool_explains_its_gesture(win):
    win.workspace.drawing.set_tool("angle")
    text = win.statusBar().currentMessage()
    assert "Angle" in text and "joint" in text
    win.workspace.drawing.set_tool("select")  # the angle's hint no longer applies
    assert win.statusBar().currentMessage() == ""
    win.statusBar().showMessage("Session saved")
    win.workspace.drawing.set_tool("select")  # other messages stay
    assert win.statusBar().currentMessage() == "Session saved"


def test_swatch_shows_and_sets_the_next_drawings_colour(win):
    ws = win.workspace
    d, pal = ws.drawing, ws.palette
    d.set_tool("circle")
    assert pal._color == d.tool.style.color  # what the next circle gets
    pal.color_chosen.emit("#12ab34")  # chosen with nothing selected
    pal.set_style_shown("#12ab34", pal.width_box.value())
    assert d.tool.style.color == "#12ab34"
    drag(win, (100, 100), (140, 100))
    assert annotations(win)[-1].type == "circle"
    assert annotations(win)[-1].style.color == "#12ab34"
    assert pal._color == "#12ab34"  # the new circle is selected: its colour
    d._select(None)
    d.set_tool("line")
    assert pal._color == d.tool.style.color == "#ffcc00"  # the next line's colour
