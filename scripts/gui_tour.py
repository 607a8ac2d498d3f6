"""Drive the real LiftLens window like a person would and save screenshots.

    python scripts/gui_tour.py OUT_DIR [VIDEO [VIDEO_TO_COMPARE]] [--seed X,Y]

With --seed (image pixels of the bar end or plate centre in the first frame),
the tour also tracks the bar and shows the analysis panel.

Opens VIDEO (default: the generated demo clip), steps forward and back, sets a
loop, plays, zooms, and saves PNGs of each stage in OUT_DIR. Prints a JSON line
with what it saw. Run it under a real X display (Xvfb) to see the real window.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def draw_every_tool(win, app, pump) -> int:
    """Draw one of each tool with real mouse events, spread over the picture."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QInputDialog

    QInputDialog.getText = staticmethod(lambda *a, **k: ("Bar over mid-foot", True))
    c = win.canvas
    w, h = c.image_size()

    def at(fx: float, fy: float) -> QPoint:
        p = c.image_to_widget(QPointF(fx * w, fy * h))
        return QPoint(round(p.x()), round(p.y()))

    def drag(a, b) -> None:
        QTest.mousePress(c, Qt.LeftButton, Qt.NoModifier, at(*a))
        for i in range(1, 6):
            QTest.mouseMove(c, at(a[0] + (b[0] - a[0]) * i / 5, a[1] + (b[1] - a[1]) * i / 5))
        QTest.mouseRelease(c, Qt.LeftButton, Qt.NoModifier, at(*b))
        pump(0.02)

    def click(a) -> None:
        QTest.mouseClick(c, Qt.LeftButton, Qt.NoModifier, at(*a))
        pump(0.02)

    d = win.workspace.drawing
    plan = [("line", ((0.05, 0.08), (0.35, 0.08))), ("arrow", ((0.05, 0.16), (0.35, 0.24))),
            ("angle_vertical", ((0.45, 0.85), (0.55, 0.55))),
            ("angle_horizontal", ((0.6, 0.9), (0.9, 0.75))),
            ("circle", ((0.75, 0.3), (0.85, 0.3))), ("rect", ((0.05, 0.35), (0.25, 0.5))),
            ("distance", ((0.3, 0.6), (0.3, 0.9)))]
    for tool, (a, b) in plan:
        d.set_tool(tool)
        drag(a, b)
    d.set_tool("angle")
    drag((0.1, 0.75), (0.2, 0.62))
    QTest.mouseMove(c, at(0.3, 0.7))
    click((0.3, 0.7))
    d.set_tool("pencil")
    drag((0.6, 0.1), (0.9, 0.18))
    for tool, a in (("text", (0.45, 0.3)), ("marker", (0.5, 0.45)), ("plumb", (0.65, 0.5)),
                    ("stopwatch", (0.05, 0.95))):
        d.set_tool(tool)
        click(a)
    d.set_tool("select")
    click((0.2, 0.08))  # select the first line: its handles show
    pump(0.2)
    return len(win.workspace.recording.annotations)


def track_and_analyse(win, app, pump, wait_for, seed: str, out: Path) -> dict:
    """Seed the tracker with a click, wait for the analysis, save screenshots."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtTest import QTest

    x, y = (float(v) for v in seed.split(","))
    ws = win.workspace
    for a in list(ws.recording.annotations):  # a clean picture for the analysis shots
        ws.drawing.selected = a.id
        ws.drawing.delete_selected()
    win.actions_by_id["first"].trigger()
    wait_for(lambda: win.canvas.frame is not None and win.canvas.frame.index == 0)
    ws.actions["track"].trigger()
    p = win.canvas.image_to_widget(QPointF(x, y))
    QTest.mouseClick(win.canvas, Qt.LeftButton, Qt.NoModifier, QPoint(round(p.x()), round(p.y())))
    ok = wait_for(lambda: ws.analysis.job is None and ws.analysis.result is not None, 180)
    result = ws.analysis.result
    reps = len(result.reps) if result else 0
    if reps:
        win.player.seek(win.player.index.frame_at_time(result.reps[min(2, reps - 1)].start + 1.5))
    pump(0.8)
    win.grab().save(str(out / "09-analysis.png"))
    return {"tracked": bool(ok), "reps": reps}


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    rest = sys.argv[2:]
    # --seed X,Y (as the usage says) or --seed=X,Y
    rest = [f"--seed={rest[i + 1]}" if a == "--seed" and i + 1 < len(rest) else a
            for i, a in enumerate(rest) if i == 0 or rest[i - 1] != "--seed"]
    args = [a for a in rest if not a.startswith("--seed")]
    seeds = [a.split("=", 1)[1] for a in rest if a.startswith("--seed=")]
    video = args[0] if args else None
    other = args[1] if len(args) > 1 else None
    from app.launch import make_application

    app = make_application()
    from app import workers
    from app.main_window import MainWindow

    workers.SYNC = False

    win = MainWindow()
    win.resize(1400, 900)
    win.show()

    def pump(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.005)

    def wait_for(cond, timeout: float = 30.0) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            app.processEvents()
            if cond():
                return True
            time.sleep(0.005)
        return False

    report: dict[str, object] = {"platform": app.platformName()}
    pump(0.3)
    win.grab().save(str(out / "01-welcome.png"))
    if video:
        win.open_path(video)
    else:
        win.open_demo()
    report["opened"] = wait_for(lambda: win.canvas.frame is not None, 120)
    pump(0.5)
    win.grab().save(str(out / "02-opened.png"))
    acts = win.actions_by_id
    for _ in range(12):
        acts["step_fwd"].trigger()
        pump(0.02)
    acts["fwd10"].trigger()
    wait_for(lambda: win.canvas.frame is not None and win.canvas.frame.index == 22)
    acts["step_back"].trigger()
    wait_for(lambda: win.canvas.frame.index == 21)
    report["after_steps"] = win.canvas.frame.index
    win.grab().save(str(out / "03-stepped.png"))
    report["drawings"] = draw_every_tool(win, app, pump)
    win.grab().save(str(out / "03b-drawings.png"))
    if seeds:
        report.update(track_and_analyse(win, app, pump, wait_for, seeds[0], out))
    acts["loop_in"].trigger()
    win.player.seek(min(win.player.position + 60, win.player.frame_count - 1))
    acts["loop_out"].trigger()
    acts["play"].trigger()
    pump(2.0)
    acts["play"].trigger()
    report["loop"] = [win.player.loop_in, win.player.loop_out]
    report["played_frames"] = win.player.presented
    report["dropped_frames"] = win.player.dropped
    win.grab().save(str(out / "04-played.png"))
    acts["zoom_in"].trigger()
    acts["zoom_in"].trigger()
    pump(0.2)
    report["zoom"] = round(win.canvas.zoom, 3)
    win.grab().save(str(out / "05-zoomed.png"))
    acts["zoom_fit"].trigger()
    pump(0.2)
    if other:
        win.opener.open(other, "compare")
        report["compared"] = wait_for(lambda: win.compare.active and all(
            f is not None for f in win.compare.controller.shown), 60)
        pump(0.5)
        for _ in range(15):
            acts["step_fwd"].trigger()
            pump(0.02)
        wait_for(lambda: all(f is not None for f in win.compare.controller.shown))
        pump(0.3)
        win.grab().save(str(out / "06-compare.png"))
        acts["compare_overlay"].trigger()
        pump(0.3)
        win.grab().save(str(out / "07-ghost.png"))
        acts["compare_overlay"].trigger()
        acts["compare_layout"].trigger()
        pump(0.3)
        win.grab().save(str(out / "08-top-bottom.png"))
        report["compare_frames"] = list(win.compare.controller.frames_now())
    # quitting with work on the demo clip asks whether to keep it: answer as a person
    # trying the app would (discard), and say that it was asked
    from app import dialogs

    asked: list[str] = []
    dialogs.ask_yes = lambda _parent, title, *a, **k: asked.append(title) is None and False
    win.close()
    report["asked_on_quit"] = asked
    print(json.dumps(report))
    return 0 if report["opened"] else 1


if __name__ == "__main__":
    sys.exit(main())
