"""What the click marks and the camera-motion switch, chosen in the Analysis menu: the
track follows the chosen point, and the panel, the status bar and the data export say
which point was tracked and when and how far the camera moved (issue #12).

The clip is generated: a marker stuck on a plate, off its centre, filmed by a hand-held
camera that pans and shakes (known motion)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from tests.analysis.test_tracking_kinds import _shaky_camera, make_marker_clip

N = 60
PLATE_OFFSET = (-20.0, 25.0)  # the plate's centre from the marker (px), as drawn


@pytest.fixture(scope="module")
def shaky_clip(tmp_path_factory):
    path = tmp_path_factory.mktemp("shaky") / "shaky.mp4"
    cam = _shaky_camera(N)
    x, y = make_marker_clip(path, n=N, camera=cam)
    return path, x + cam[:, 0], y + cam[:, 1], cam


def _at(win, x, y) -> QPoint:
    p = win.canvas.image_to_widget(QPointF(x, y))
    return QPoint(round(p.x()), round(p.y()))


def _track_from_click(qtbot, win, x, y):
    a = win.workspace.analysis
    win.workspace.actions["track"].trigger()
    QTest.mouseClick(win.canvas, Qt.LeftButton, Qt.NoModifier, _at(win, x, y))
    qtbot.waitUntil(lambda: a.job is None and a.result is not None and a.track is not None,
                    timeout=60000)
    return a.track


def test_menu_declares_the_choices(make_window):
    win = make_window()
    acts = win.workspace.actions
    assert acts["target_auto"].isChecked() and not acts["target_plate"].isChecked()
    assert acts["camera_motion"].isCheckable() and acts["camera_motion"].isChecked()
    titles = [a.text() for a in win.menus["Analysis"].actions() if a.menu() is not None]
    assert "What the click marks" in titles
    acts["target_bar_end"].trigger()
    assert win.workspace.analysis.target_kind == "bar_end"
    assert [k for k in ("auto", "plate", "bar_end", "point")
            if acts[f"target_{k}"].isChecked()] == ["bar_end"]


def test_plate_centre_with_the_camera_taken_out(qtbot, make_window, shaky_clip, tmp_path,
                                                monkeypatch):
    path, mx, my, cam = shaky_clip
    win = make_window(path, size=(1400, 850))
    ws = win.workspace
    ws.actions["target_plate"].trigger()
    tr = _track_from_click(qtbot, win, mx[0], my[0])  # a click on the marker, in the plate
    assert tr.target == "plate"
    px, py = mx + PLATE_OFFSET[0], my + PLATE_OFFSET[1]  # the plate centre in the picture
    err = np.hypot(tr.x - px, tr.y - py)
    assert np.isfinite(err).all() and err.mean() <= 3.0, err
    assert tr.camera_moved
    np.testing.assert_allclose(tr.camera_x, cam[:, 0], atol=2.0)
    np.testing.assert_allclose(tr.camera_y, cam[:, 1], atol=2.0)
    text = ws.panel.warning.text()
    assert "Tracked point: the plate centre." in text
    assert "The camera moved (up to" in text
    assert "Tracked the plate centre." in win.statusBar().currentMessage()
    # the data export says it too
    from PySide6.QtWidgets import QFileDialog

    out = tmp_path / "set.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    ws.actions["export_csv"].trigger()
    reps = out.read_text().splitlines()
    assert "tracked_point,plate centre" in reps
    assert any(r.startswith("camera_motion,") and "the camera moved" in r for r in reps)
    rows = (tmp_path / "set-track.csv").read_text().splitlines()
    head = rows[0].split(",")
    dx = head.index("camera_dx_px")
    assert head[dx + 1] == "camera_dy_px"
    last = rows[-1].split(",")
    assert float(last[dx]) == pytest.approx(cam[-1, 0], abs=2.0)
    # x_px is against the room: the camera's own motion taken out
    assert float(last[2]) == pytest.approx(px[-1] - cam[-1, 0], abs=3.0)


def test_marker_with_the_camera_switch_off(qtbot, make_window, shaky_clip):
    path, mx, my, _cam = shaky_clip
    win = make_window(path, size=(1400, 850))
    ws = win.workspace
    ws.actions["target_point"].trigger()
    ws.actions["camera_motion"].trigger()  # off
    assert not ws.analysis.camera_compensation and not ws.actions["camera_motion"].isChecked()
    tr = _track_from_click(qtbot, win, mx[0], my[0])
    assert tr.target == "point"
    err = np.hypot(tr.x - mx, tr.y - my)
    assert np.isfinite(err).all() and err.mean() <= 3.0
    assert not tr.camera_moved and tr.camera_x is None
    text = ws.panel.warning.text()
    assert "Tracked point: the point chosen (no plate rim or bar end could be followed" \
        in text and "camera moved" not in text
