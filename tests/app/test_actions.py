"""Every action is declared once, listed by F1, and runs: each menu action is triggered
once in the real window, with its questions answered (an unimported name or a broken
handler fails here)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMenu, QMessageBox

from analysis.session import Track
from app import dialogs
from app.actions import ACTIONS, COMPARE_ONLY, shortcuts_table
from app.controllers.analysis import set_track


@pytest.fixture
def clip(two_squats):
    return two_squats


def _menu_actions(menu: QMenu) -> list:
    out = []
    for act in menu.actions():
        if act.isSeparator():
            continue
        if act.menu() is not None:
            out += _menu_actions(act.menu())
        else:
            out.append(act)
    return out


def test_actions_are_declared_once_and_f1_lists_them_all(make_window):
    ids = [s.id for s in ACTIONS]
    assert len(ids) == len(set(ids))
    win = make_window()
    in_menus = [a for m in win.menus.values() for a in _menu_actions(m)]
    declared = {a.data() for a in in_menus if a.data()}
    assert declared == set(ids)
    # enabled, but undo/redo with nothing to undo and what needs an open comparison
    assert all(a.isEnabled() != (a.data() in ("undo", "redo", *COMPARE_ONLY))
               for a in in_menus if a.data())
    rows = win.shortcut_rows()
    texts = {t for _, t in rows}
    for spec in ACTIONS:
        text = spec.text.replace("&", "")
        assert text in texts or f"{spec.submenu}: {text}" in texts
    assert ("Ctrl+T", "Track bar (click the bar end or plate centre)") in shortcuts_table()
    assert any(t.startswith("Drawing tool:") and k for k, t in rows)


def test_every_menu_action_runs(make_window, qtbot, clip, monkeypatch):
    # every question gets a "cancel" or a harmless answer
    for name in ("ask_plate_diameter", "ask_known_length", "ask_text", "ask_open_path",
                 "ask_save_path", "ask_capture_rate"):
        monkeypatch.setattr(dialogs, name, lambda *a, **k: None)
    monkeypatch.setattr(dialogs, "ask_yes", lambda *a, **k: False)
    monkeypatch.setattr(dialogs, "ask_plate_choice", lambda *a, **k: "click")
    monkeypatch.setattr(dialogs, "tell", lambda *a, **k: None)
    monkeypatch.setattr(dialogs, "warn", lambda *a, **k: None)
    for name in ("information", "warning", "critical", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.Ok))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.No))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("", False)))
    monkeypatch.setattr(QInputDialog, "getDouble", staticmethod(lambda *a, **k: (0.0, False)))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", False)))
    monkeypatch.setattr(QInputDialog, "getInt", staticmethod(lambda *a, **k: (1, False)))
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(lambda *a, **k: ("", "")))
    opened_dialogs = []
    monkeypatch.setattr(QDialog, "exec", lambda self: opened_dialogs.append(
        self.windowTitle()) or QDialog.Rejected)
    import app.main_window as mw

    monkeypatch.setattr(mw.QDesktopServices, "openUrl", staticmethod(lambda url: True))

    path, truth = clip
    from app import demo

    monkeypatch.setattr(demo, "ensure_demo_clip", lambda *a, **k: path)  # made elsewhere
    win = make_window(path, size=(1400, 850))
    ws = win.workspace

    def ready() -> None:
        if win.model.current is None or win.video_path != str(path):
            win.open_path(str(path))
            qtbot.waitUntil(lambda: win.video_path == str(path) and win.canvas.frame is not None,
                            timeout=15000)
        rec = win.model.current
        if rec.track is None:
            n = len(truth.times)
            set_track(win.model, ws.drawing.undo_stack, rec,
                      Track(np.asarray(truth.times, float), np.asarray(truth.x, float),
                            np.asarray(truth.y, float), np.ones(n), np.ones(n, np.uint8)),
                      "Track the bar")
            qtbot.waitUntil(lambda: ws.analysis.result is not None, timeout=20000)

    triggered = []
    actions = [a for m in win.menus.values() for a in _menu_actions(m) if a.data()]
    for act in actions:
        if act.data() == "quit":
            continue
        ready()
        act.trigger()
        qtbot.waitUntil(lambda: ws.analysis.job is None or not ws.analysis.job.running,
                        timeout=20000)
        qtbot.wait(5)
        triggered.append(act.data())
    ws.analysis.cancel()
    assert {"Preferences", "Keyboard shortcuts and actions"} <= set(opened_dialogs)
    assert len(triggered) == len(ACTIONS) - 1
    win.actions_by_id["quit"].trigger()
    assert not win.isVisible()
