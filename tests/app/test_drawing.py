"""Drawing tools driven with real mouse events; undo/redo; key moments; autosave."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog

from analysis.annotations import Annotation
from analysis.session.store import SessionStore
from tests.analysis.clips import numbered_clip


@pytest.fixture
def win(make_window, clip_cache):
    return make_window(numbered_clip(clip_cache, "cfr")[0])


def _wpt(win, x, y) -> QPoint:
    p = win.canvas.image_to_widget(QPointF(x, y))
    return QPoint(round(p.x()), round(p.y()))


def drag(win, a, b, steps=5):
    c = win.canvas
    QTest.mousePress(c, Qt.LeftButton, Qt.NoModifier, _wpt(win, *a))
    for i in range(1, steps + 1):
        x = a[0] + (b[0] - a[0]) * i / steps
        y = a[1] + (b[1] - a[1]) * i / steps
        QTest.mouseMove(c, _wpt(win, x, y))
    QTest.mouseRelease(c, Qt.LeftButton, Qt.NoModifier, _wpt(win, *b))


def click(win, p):
    QTest.mouseClick(win.canvas, Qt.LeftButton, Qt.NoModifier, _wpt(win, *p))


def annotations(win):
    return [a for a in win.workspace.recording.annotations if isinstance(a, Annotation)]


def test_draw_line_undo_redo_move_delete(qtbot, win):
    d = win.workspace.drawing
    d.set_tool("line")
    drag(win, (40, 50), (200, 150))
    (line,) = annotations(win)
    assert line.type == "line"
    tol = 2 * win.canvas.screen_px()
    assert line.points[0] == pytest.approx((40, 50), abs=tol)
    assert line.points[1] == pytest.approx((200, 150), abs=tol)
    assert line.t == pytest.approx(win.player.shown.time)
    d.undo_stack.undo()
    assert annotations(win) == []
    d.undo_stack.redo()
    assert annotations(win)[0].id == line.id
    # select tool: drag the second handle somewhere else
    d.set_tool("select")
    drag(win, (200, 150), (250, 60))
    moved = annotations(win)[0]
    assert moved.points[1] == pytest.approx((250, 60), abs=tol)
    assert moved.points[0] == pytest.approx(line.points[0], abs=0.01)
    d.undo_stack.undo()
    assert annotations(win)[0].points[1] == pytest.approx(line.points[1], abs=0.01)
    d.undo_stack.redo()
    win.workspace.actions["delete"].trigger()
    assert annotations(win) == []
    d.undo_stack.undo()
    assert len(annotations(win)) == 1


def test_angle_three_steps_and_measure(qtbot, win):
    d = win.workspace.drawing
    d.set_tool("angle")
    drag(win, (50, 200), (150, 200))  # first end, then the vertex
    QTest.mouseMove(win.canvas, _wpt(win, 150, 100))
    click(win, (150, 100))  # the other end
    (angle,) = annotations(win)
    assert angle.type == "angle"
    assert float(angle.measure().rstrip("°")) == pytest.approx(90, abs=1.5)


def test_angle_clicked_point_by_point(qtbot, win):
    """Three clicks (an end, the joint, the other end: the Kinovea habit) draw that angle;
    they drew a "0.0°" angle of two short segments away from the clicks."""
    d = win.workspace.drawing
    d.set_tool("angle")
    tol = 2 * win.canvas.screen_px()
    for p in ((50, 200), (150, 200), (150, 100)):
        QTest.mouseMove(win.canvas, _wpt(win, *p))
        click(win, p)
    (angle,) = annotations(win)
    assert angle.type == "angle"
    for got, want in zip(angle.points, ((50, 200), (150, 200), (150, 100)), strict=True):
        assert got == pytest.approx(want, abs=tol)
    assert float(angle.measure().rstrip("°")) == pytest.approx(90, abs=1.5)
    d.undo_stack.undo()
    assert annotations(win) == []


def test_text_marker_plumb_stopwatch_and_copy_paste(qtbot, win, monkeypatch):
    d = win.workspace.drawing
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("depth!", True))
    for tool, p in (("text", (60, 60)), ("marker", (100, 100)), ("plumb", (160, 40)),
                    ("stopwatch", (20, 200))):
        d.set_tool(tool)
        click(win, p)
    kinds = [a.type for a in annotations(win)]
    assert kinds == ["text", "marker", "plumb", "stopwatch"]
    assert annotations(win)[0].text == "depth!"
    d.set_tool("select")
    click(win, (100, 100))
    assert d.selected == annotations(win)[1].id
    win.workspace.actions["copy"].trigger()
    win.actions_by_id["fwd10"].trigger()
    qtbot.waitUntil(lambda: win.player.shown.index == 10)
    win.workspace.actions["paste"].trigger()
    pasted = annotations(win)[-1]
    assert pasted.type == "marker" and pasted.id != annotations(win)[1].id
    assert pasted.t == pytest.approx(win.player.shown.time)


def test_key_moments_and_autosave(qtbot, win, monkeypatch, tmp_path):
    ws = win.workspace
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("knees cave, rep 3", True))
    win.player.seek(30)
    qtbot.waitUntil(lambda: win.player.shown.index == 30)
    win.workspace.actions["moment"].trigger()
    assert ws.moments.list.count() == 1
    assert any(m.start == 30 for m in win.timeline.marks)
    ws.drawing.set_tool("circle")
    drag(win, (100, 100), (130, 100))
    win.player.seek(0)
    qtbot.waitUntil(lambda: win.player.shown.index == 0)
    win.workspace.actions["next_moment"].trigger()
    qtbot.waitUntil(lambda: win.player.shown.index == 30)
    # autosave reaches the library without any "save" action
    qtbot.waitUntil(lambda: ws.sessions.state == "saved", timeout=10000)
    store = SessionStore(tmp_path / "data" / "library.sqlite3")
    saved = store.get(ws.sessions.session.id)
    store.close()
    rec = saved.recordings[0]
    assert [k.title for k in rec.key_moments] == ["knees cave, rep 3"]
    assert [a.type for a in rec.annotations] == ["circle"]


def test_style_and_visibility_changes_are_undoable(qtbot, win):
    d = win.workspace.drawing
    d.set_tool("line")
    drag(win, (40, 50), (200, 150))
    (line,) = annotations(win)
    d.set_style_of_selected(color="#00ff00", width=6.0)
    d.set_visibility_of_selected("always")
    now = annotations(win)[0]
    assert (now.style.color, now.style.width, now.visibility.mode) == ("#00ff00", 6.0, "always")
    assert d.tools["line"].style.color == "#00ff00"  # last used style becomes the default
    d.undo_stack.undo()
    d.undo_stack.undo()
    back = annotations(win)[0]
    assert (back.style.color, back.visibility.mode) == (line.style.color, line.visibility.mode)


def test_drawings_stay_put_when_zoomed(qtbot, win):
    d = win.workspace.drawing
    win.canvas.zoom_by(3.0)
    d.set_tool("marker")
    click(win, (120, 90))
    (marker,) = annotations(win)
    assert marker.points[0] == pytest.approx((120, 90), abs=0.5)


def test_failed_save_keeps_work_and_says_so(qtbot, tmp_path):
    from app.controllers.session import SessionController

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the library folder should be")
    ctl = SessionController(blocker / "library.sqlite3")
    states = []
    ctl.save_state_changed.connect(states.append)
    s = ctl.new_session(lifter="Ann")
    ctl.flush()
    qtbot.waitUntil(lambda: any(x not in ("saved", "saving") for x in states), timeout=10000)
    assert "cannot" in states[-1].lower()
    assert ctl.session is s and s.lifter == "Ann"  # the work is still in memory
    ctl.shutdown()


def test_import_kinovea_drawings(qtbot, win, shared_data, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    kva = shared_data / "kva" / "kinovea-sample-complete.kva"
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(kva), ""))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _w, _t, text, *a: told.append(text))
    before = len(win.workspace.recording.annotations)
    win.workspace.actions["import_kva"].trigger()
    added = len(win.workspace.recording.annotations) - before
    assert added > 0
    # the sample's trajectory track, and what lies after this 3 s clip's end (Kinovea's
    # 0:00:05:34 and the timers), are not imported: listed, with why; the other video
    # is named
    assert len(told) == 1 and "Tracks" in told[0] and "after the end of this clip" in told[0]
    assert "“sample”, not on this clip" in told[0]
    win.workspace.drawing.undo_stack.undo()  # one step removes the whole import
    assert len(win.workspace.recording.annotations) == before


def test_undo_and_redo_menu_items_name_the_edit(qtbot, win):
    acts = win.workspace.actions
    assert acts["undo"].text() == "&Undo" and not acts["undo"].isEnabled()
    d = win.workspace.drawing
    d.set_tool("line")
    drag(win, (40, 50), (200, 150))
    said = d.undo_stack.undoText()
    assert said  # the command has a name, and the menu shows it
    assert acts["undo"].text() == f"&Undo {said}" and acts["undo"].isEnabled()
    d.undo_stack.undo()
    assert acts["undo"].text() == "&Undo"
    assert acts["redo"].text() == f"&Redo {said}"
    d.undo_stack.redo()
    assert acts["redo"].text() == "&Redo"
