"""The rep table highlights the rep under the playhead as it moves (stepping, Ctrl+→ by
rep, playing), not only a row clicked: the highlight follows the playhead's time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.app.test_analysis_panel_room import _set


def _lit(panel) -> list[int]:
    return sorted({i.row() for i in panel.table.selectionModel().selectedRows()})


def test_the_rep_under_the_playhead_is_highlighted(make_window, qtbot):
    win = make_window(size=(1600, 960))
    panel = win.workspace.panel
    data = _set(reps=4)
    panel.set_data(data)
    qtbot.wait(50)
    spans = [(r.start, max(p[2] for p in r.phases)) for r in data.reps]
    for k, (a, b) in enumerate(spans):
        panel.set_time((a + b) / 2)
        assert _lit(panel) == [k]
        panel.set_time(b)
        assert _lit(panel) == [k]
    panel.set_time(spans[1][1] + 0.2)  # between rep 2 and rep 3: none
    assert _lit(panel) == []
    panel.set_time(spans[2][0] + 0.1)
    assert _lit(panel) == [2]
    # the table refilled (another analysis): the row under the same time is lit again
    panel.set_data(_set(reps=4))
    assert _lit(panel) == [2]


def test_stepping_by_rep_in_the_window_lights_each_rep(make_window, two_squats, qtbot):
    """Ctrl+→ in the real window: the playhead goes to each rep's start and its row lights
    (that row only: Ctrl is held)."""
    import numpy as np

    from analysis.session import Track
    from app.controllers.analysis import set_track

    path, truth = two_squats
    win = make_window(path, size=(1600, 1000))
    ws = win.workspace
    n = len(truth.times)
    track = Track(truth.times.copy(), truth.x.copy(), truth.y.copy(), np.ones(n),
                  np.ones(n, np.uint8))
    set_track(win.model, ws.drawing.undo_stack, win.model.current, track, "Track the bar")
    qtbot.waitUntil(lambda: ws.analysis.result is not None and ws.panel.table.rowCount() == 2,
                    timeout=30000)
    win.canvas.setFocus()
    QTest.keyClick(win.canvas, Qt.Key_Home)
    qtbot.wait(50)
    seen = []
    for _ in range(2):
        QTest.keyClick(win.canvas, Qt.Key_Right, Qt.ControlModifier)
        qtbot.wait(150)
        seen.append(_lit(ws.panel))
    assert seen == [[0], [1]], seen
