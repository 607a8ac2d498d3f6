"""The stopwatch's right-click menu: Stop here, Start here and Clear the stop (undoable,
saved, burned into exports), and a Text size item only on drawings that show text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from analysis.export.render import ExportFrame
from analysis.session.store import SessionStore
from tests.analysis.clips import numbered_clip
from tests.app.test_drawing import _wpt, annotations
from widgets.burn_in import make_burn_in


@pytest.fixture
def win(make_window, clip_cache):
    return make_window(numbered_clip(clip_cache, "cfr")[0])


_drawings = annotations  # the recording's drawings (key moments left out)


@pytest.fixture
def menus(monkeypatch):
    """Right-click menus opened, as {item text: action} (submenus too); none is shown."""
    opened: list[dict] = []

    def items(menu: QMenu) -> dict:
        out = {}
        for act in menu.actions():
            if act.menu() is not None:
                out.update({f"{act.text()}/{k}": v for k, v in items(act.menu()).items()})
            if act.text():
                out[act.text()] = act
        return out

    class ShownMenu(QMenu):
        def exec(self, *_args):  # noqa: A003 - records instead of waiting for a click
            opened.append(items(self))

    monkeypatch.setattr("app.controllers.drawing.QMenu", ShownMenu)
    return opened


def _right_click(win, menus, p) -> dict:
    """A right-click on the canvas at image point ``p``: the menu it opens."""
    w = _wpt(win, *p)
    QApplication.sendEvent(win.canvas, QContextMenuEvent(QContextMenuEvent.Mouse, w,
                                                         win.canvas.mapToGlobal(w)))
    return menus[-1]


def _go(qtbot, win, n):
    win.player.seek(n)
    qtbot.waitUntil(lambda: win.player.shown is not None and win.player.shown.index == n)


def _readouts(win, monkeypatch) -> list[str]:
    """What the canvas and an export of the frame shown write as labels."""
    import widgets.overlay_painter as painter

    texts: list[str] = []
    with monkeypatch.context() as m:
        m.setattr(painter, "_label", lambda p, at, text, *a, **k: texts.append(text))
        win.canvas.repaint()
        f = win.player.shown
        make_burn_in(win.workspace.exports.burn_in_spec())(
            ExportFrame(f.index, f.time, f.image.copy(), f.time, 1.0, 1.0), 0)
    return texts


def test_stop_and_start_a_stopwatch_from_its_menu(qtbot, win, menus, monkeypatch, tmp_path):
    ws = win.workspace
    d = ws.drawing
    times = win.player.index.times
    d.set_tool("stopwatch")
    QTest.mouseClick(win.canvas, Qt.LeftButton, Qt.NoModifier, _wpt(win, 40, 200))
    (sw,) = _drawings(win)
    assert sw.stop is None
    d.set_tool("select")
    menu = _right_click(win, menus, (40, 200))
    assert not menu["Stop here"].isEnabled()  # at its start: nothing to time yet
    assert "Clear the stop (run to the end)" not in menu
    _go(qtbot, win, 15)
    _right_click(win, menus, (40, 200))["Stop here"].trigger()
    (sw,) = _drawings(win)
    assert sw.stop == pytest.approx(float(times[15]))
    _go(qtbot, win, 40)
    stopped = f"◔ {float(times[15] - times[0]):.2f} s"
    assert _readouts(win, monkeypatch) == [stopped, stopped]  # screen and export stop too
    d.undo_stack.undo()
    assert _drawings(win)[0].stop is None
    assert _readouts(win, monkeypatch)[0] == f"◔ {float(times[40] - times[0]):.2f} s"
    d.undo_stack.redo()
    assert _drawings(win)[0].stop == pytest.approx(float(times[15]))
    # Start here, later: it times from frame 5 to its stop at frame 15
    _go(qtbot, win, 5)
    _right_click(win, menus, (40, 200))["Start here"].trigger()
    (sw,) = _drawings(win)
    assert (sw.t, sw.stop) == pytest.approx((float(times[5]), float(times[15])))
    _go(qtbot, win, 40)
    assert _readouts(win, monkeypatch)[0] == f"◔ {float(times[15] - times[5]):.2f} s"
    # saved with the session
    qtbot.waitUntil(lambda: ws.sessions.state == "saved", timeout=10000)
    store = SessionStore(tmp_path / "data" / "library.sqlite3")
    saved = store.get(ws.sessions.session.id)
    store.close()
    (kept,) = saved.recordings[0].annotations
    assert (kept.t, kept.stop) == pytest.approx((float(times[5]), float(times[15])))
    # Clear the stop: it runs on again
    _right_click(win, menus, (40, 200))["Clear the stop (run to the end)"].trigger()
    assert _drawings(win)[0].stop is None
    assert _readouts(win, monkeypatch)[0] == f"◔ {float(times[40] - times[5]):.2f} s"
    assert d.undo_stack.undoText() == "Clear stopwatch stop"


def test_text_size_only_on_drawings_that_show_text(qtbot, win, menus):
    d = win.workspace.drawing
    for tool, a, b in (("line", (20, 20), (120, 20)), ("circle", (200, 100), (230, 100)),
                       ("distance", (20, 150), (120, 150))):
        d.set_tool(tool)
        QTest.mousePress(win.canvas, Qt.LeftButton, Qt.NoModifier, _wpt(win, *a))
        QTest.mouseMove(win.canvas, _wpt(win, *b))
        QTest.mouseRelease(win.canvas, Qt.LeftButton, Qt.NoModifier, _wpt(win, *b))
    d.set_tool("stopwatch")
    QTest.mouseClick(win.canvas, Qt.LeftButton, Qt.NoModifier, _wpt(win, 40, 220))
    assert [a.type for a in _drawings(win)] == ["line", "circle", "distance", "stopwatch"]
    d.set_tool("select")
    assert "Text size" not in _right_click(win, menus, (70, 20))  # a line shows no text
    assert "Text size" not in _right_click(win, menus, (230, 100))  # the circle's rim
    assert "Stop here" not in _right_click(win, menus, (230, 100))
    distance = _right_click(win, menus, (70, 150))
    assert "Text size" in distance and "Stop here" not in distance  # its readout has a size
    watch = _right_click(win, menus, (40, 220))
    assert "Text size" in watch and "Stop here" in watch
    watch["Text size/32"].trigger()
    assert _drawings(win)[3].style.font_size == 32
