"""Calibration as the user meets it: the questions about the cyan circle leave the circle
in sight, and the "not calibrated" banner names the fix and starts it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from analysis.session.calibration import Calibration
from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from app import dialogs

SCRIPT = LiftScript(reps=(RepSpec(1.0, 0.4, 0.6, 0.6, 0.5), RepSpec(1.0, 0.4, 0.7, 0.6, 0.5)),
                    setup=0.8, end_idle=0.8)


@pytest.fixture(scope="module")
def lift_clip(tmp_path_factory):
    path = tmp_path_factory.mktemp("lift") / "squat.mp4"
    truth = make_lift_clip(path, SCRIPT, size=(640, 360), px_per_m=300.0, noise=1.5)
    return path, truth


def _circle_on_screen(canvas, cx: float, cy: float, r: float) -> QRect:
    box = QRectF(canvas.image_to_widget(QPointF(cx - r, cy - r)),
                 canvas.image_to_widget(QPointF(cx + r, cy + r))).toAlignedRect()
    return QRect(canvas.mapToGlobal(box.topLeft()), box.size())


def test_plate_questions_leave_the_cyan_circle_in_sight(qtbot, make_window, lift_clip,
                                                        monkeypatch):
    win = make_window(lift_clip[0], size=(1400, 850))
    a = win.workspace.analysis
    canvas = win.canvas
    # a circle right where a dialog centred on the window would sit
    centre = canvas.widget_to_image(canvas.mapFromGlobal(win.mapToGlobal(win.rect().center())))
    w, h = canvas.image_size()
    assert 50 < centre.x() < w - 50 and 50 < centre.y() < h - 50
    circle = (centre.x(), centre.y(), 45.0)
    monkeypatch.setattr("app.controllers.plate_finding.plate_candidates", lambda gray: [circle])
    seen: list[tuple[str, QRect, QRect]] = []

    def show_and_answer(box):
        box.show()  # placed as it is shown
        qtbot.waitUntil(box.isVisible)
        assert a._candidate is not None
        seen.append((box.text(), box.frameGeometry(), _circle_on_screen(canvas, *a._candidate)))
        wanted = next(b for b in box.buttons() if b.text().replace("&", "") in
                      ("Track this plate", "Yes"))
        wanted.click()
        return QMessageBox.Yes

    monkeypatch.setattr(QMessageBox, "exec", show_and_answer)
    tracked = []
    monkeypatch.setattr(a, "start_tracking", lambda n, xy, **_k: tracked.append(xy))
    win.workspace.actions["auto_track"].trigger()
    qtbot.waitUntil(lambda: bool(tracked), timeout=20000)
    assert tracked == [(circle[0], circle[1])]  # the answer was read from the placed box
    cal = Calibration(0.45 / 90, "plate 450 mm measured on 24 frames", 90.0, frames=24,
                      circle=(0.0, *circle))
    assert a._confirm_plate(cal) is True
    # the candidate's question, then the measured rim's (its question first, the size under it)
    assert [text.split()[:2] for text, _, _ in seen] == [["Is", "the"], ["Is", "the"]]
    assert seen[1][0].endswith("the plate's outer rim?")
    for _text, box, ring in seen:
        assert not box.intersects(ring), (box, ring)
        assert win.frameGeometry().contains(box)  # beside the circle, still in the window


def test_find_the_plate_question_hides_none_of_the_circles(qtbot, make_window, lift_clip,
                                                           monkeypatch):
    """With two plates found, the question about one was placed beside it, right over the
    other (the real squat's near plate): the lifter could not see what "Next circle" would
    give. Now it hides neither."""
    win = make_window(lift_clip[0], size=(1400, 850))
    a = win.workspace.analysis
    canvas = win.canvas
    centre = canvas.widget_to_image(canvas.mapFromGlobal(win.mapToGlobal(win.rect().center())))
    first = (centre.x() - 60.0, centre.y(), 40.0)
    second = (centre.x() + 110.0, centre.y(), 45.0)  # where a box beside the first would sit
    monkeypatch.setattr("app.controllers.plate_finding.plate_candidates",
                        lambda gray: [first, second])
    seen: list[QRect] = []

    def show_and_answer(box):
        box.show()  # placed as it is shown
        qtbot.waitUntil(box.isVisible)
        seen.append(box.frameGeometry())
        wanted = "Next circle" if len(seen) == 1 else "Click it myself"
        next(b for b in box.buttons() if b.text().replace("&", "") == wanted).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", show_and_answer)
    seeding = []
    monkeypatch.setattr(a, "start_seeding", lambda: seeding.append(True))
    win.workspace.actions["auto_track"].trigger()
    qtbot.waitUntil(lambda: bool(seeding), timeout=20000)
    rings = [_circle_on_screen(canvas, *c) for c in (first, second)]
    assert len(seen) == 2
    for box in seen:
        assert not any(box.intersects(ring) for ring in rings), (box, rings)
        assert win.frameGeometry().contains(box)


def test_clear_position_keeps_clear_of_the_other_circles_when_it_can():
    area = QRect(0, 0, 1000, 800)
    size = QRect(0, 0, 300, 150).size()
    here, other = QRect(300, 300, 100, 100), QRect(450, 300, 100, 100)
    at = dialogs.clear_position(size, here, [area], also=[other])
    box = QRect(at, size)
    assert not box.intersects(here.adjusted(-16, -16, 16, 16))
    assert not box.intersects(other.adjusted(-16, -16, 16, 16))
    # no room clear of both: clear of the circle asked about comes first
    crowded = [QRect(x, y, 100, 100) for x in (0, 150, 600, 750, 900) for y in (0, 150, 450, 600)]
    at = dialogs.clear_position(size, here, [area], also=crowded)
    assert not QRect(at, size).intersects(here)


def test_clear_position_prefers_the_side_and_stays_inside():
    area = QRect(0, 0, 1000, 800)
    size = QRect(0, 0, 300, 150).size()
    right = dialogs.clear_position(size, QRect(400, 300, 100, 100), [area])
    assert right.x() >= 500 + dialogs.GAP_PX  # beside the circle, vertically centred on it
    assert abs(right.y() + 75 - 350) <= 1
    # a circle near the right edge: the dialog goes to its left
    left = dialogs.clear_position(size, QRect(850, 300, 100, 100), [area])
    assert left.x() + 300 <= 850 - dialogs.GAP_PX
    # a circle filling the width: below it, inside the area
    wide = dialogs.clear_position(size, QRect(50, 100, 900, 300), [area])
    assert wide.y() >= 400 + dialogs.GAP_PX and wide.y() + 150 <= 800


def test_the_not_calibrated_banner_names_the_fix_and_starts_it(qtbot, make_window, lift_clip,
                                                               monkeypatch):
    _, truth = lift_clip
    win = make_window(lift_clip[0], size=(1400, 850))
    ws = win.workspace
    a = ws.analysis
    ws.actions["track"].trigger()
    p = win.canvas.image_to_widget(QPointF(truth.x[0], truth.y[0]))
    QTest.mouseClick(win.canvas, Qt.LeftButton, Qt.NoModifier, QPoint(round(p.x()), round(p.y())))
    qtbot.waitUntil(lambda: a.job is None and a.result is not None, timeout=60000)
    banner = ws.panel.warning
    action_text = ws.actions["calibrate_plate"].text().replace("&", "")
    assert banner.text().startswith("Not calibrated")
    assert action_text in banner.text()  # the words of the menu entry that fixes it
    asked = []
    monkeypatch.setattr(dialogs, "ask_plate_diameter",
                        lambda *args: asked.append(args) or None)
    # follow the link from the keyboard, as a user without a mouse would
    banner.setFocus()
    QTest.keyClick(banner, Qt.Key_Tab)
    QTest.keyClick(banner, Qt.Key_Return)
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)  # the plate calibration started


def test_the_plate_question_names_the_real_menu_item_and_the_frame_comes_back(
        qtbot, make_window, lift_clip, monkeypatch):
    """The question named "Calibrate from drawing", which is in no menu, and after it the
    playhead stayed on the frame the circle was measured on instead of the lifter's."""
    win = make_window(lift_clip[0], size=(1400, 850))
    a = win.workspace.analysis
    win.player.seek(5)
    qtbot.waitUntil(lambda: win.canvas.frame.index == 5)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask_yes", lambda _p, _t, text, *rest, details="":
                        asked.append(f"{text}\n\n{details}") or False)
    cal = Calibration(0.45 / 90, "plate 450 mm measured on 24 frames", 90.0, frames=24,
                      circle=(40.0, 300.0, 180.0, 45.0))
    assert a._confirm_plate(cal) is False
    menu = win.workspace.actions["calibrate"]
    item = menu.text().replace("&", "")
    assert len(asked) == 1 and f"Analysis → {item}" in asked[0], asked
    assert any(act.text().replace("&", "") == item for m in win.menuBar().actions()
               if m.text().replace("&", "") == "Analysis" for act in m.menu().actions())
    qtbot.waitUntil(lambda: win.canvas.frame.index == 5, timeout=5000)


def test_a_failed_plate_measurement_reads_as_a_sentence(qtbot, make_window, lift_clip,
                                                        monkeypatch):
    win = make_window(lift_clip[0], size=(1400, 850))
    ws = win.workspace
    a = ws.analysis
    _, truth = lift_clip
    import numpy as np

    from analysis.session import Track
    from app.controllers.analysis import set_track

    n = len(truth.times)
    set_track(win.model, ws.drawing.undo_stack, win.model.current,
              Track(truth.times, np.full(n, 5.0), np.full(n, 5.0), np.ones(n),
                    np.ones(n, np.uint8)), "Track the bar")  # a corner: no plate there
    qtbot.waitUntil(lambda: a.result is not None or a.job is None, timeout=20000)
    monkeypatch.setattr(dialogs, "ask_plate_diameter", lambda *args: 450.0)
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "warn", lambda _p, title, text: said.append((title, text)))
    ws.actions["calibrate_plate"].trigger()
    qtbot.waitUntil(lambda: bool(said), timeout=20000)
    title, text = said[0]
    assert title == "Calibrate" and text[0].isupper() and "plate rim" in text, said
    # the way out is named as the menu has it (it said "calibrate with a drawn circle")
    assert "choose Analysis → Calibrate from selected circle or line…" in text, text


def test_a_plate_measured_after_the_clip_was_left_is_not_lost_in_silence(
        qtbot, make_window, lift_clip, monkeypatch):
    """New session (or another clip) while the plate is measured: the scale cannot go to a
    clip no longer on screen, and the lifter is told so, naming the clip and the way to
    measure it again (it was dropped without a word, and the clip stayed in px)."""
    import numpy as np

    from analysis.session import Track
    from app.controllers.analysis import AnalysisController, set_track

    win = make_window(lift_clip[0], size=(1400, 850))
    ws = win.workspace
    a = ws.analysis
    path, truth = lift_clip
    n = len(truth.times)
    rec = win.model.current
    set_track(win.model, ws.drawing.undo_stack, rec,
              Track(truth.times, np.asarray(truth.x, float), np.asarray(truth.y, float),
                    np.ones(n), np.ones(n, np.uint8)), "Track the bar")
    qtbot.waitUntil(lambda: a.result is not None or a.job is None, timeout=20000)
    monkeypatch.setattr(dialogs, "ask_plate_diameter", lambda *args: 450.0)
    jobs: list = []
    from types import SimpleNamespace

    monkeypatch.setattr(a, "_short_job", lambda what, title, work, done: jobs.append(done)
                        or SimpleNamespace(running=True))
    ws.actions["calibrate_plate"].trigger()
    (done,) = jobs
    assert a.measuring_plate  # for the clip on screen: an export asks first
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "tell", lambda _p, title, text: told.append((title, text)))
    monkeypatch.setattr(AnalysisController, "recording", property(lambda self: None))
    # the clip left: exports of what is on screen now ask nothing about that scale
    assert not a.measuring_plate
    done(Calibration(0.45 / 150.0, "plate 450 mm measured on 24 frames", 150.0, frames=24))
    assert rec.calibration is None
    (title, text), = told
    assert title == "Calibrate" and path.name in text and "was not applied" in text
    assert "choose Analysis → Calibrate from the plate (measured)…" in text, text
