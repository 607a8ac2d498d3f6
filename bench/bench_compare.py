"""Comparison benchmark: joint step latency of two 1080p clips once cached.

    .venv/bin/python bench/bench_compare.py [VIDEO_A VIDEO_B]

Steps the common timeline forward and backward (30 steps/s, like a held arrow
key) and times each step until both sides' frames are prepared and painted in
the comparison view (offscreen raster). Target: p95 <= 16 ms at 1080p.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from analysis.video.index import build_index
    from app.controllers.compare import CompareController, CompareSide
    from app.frame_feed import FrameFeed
    from widgets.compare_view import CompareViewWidget

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_player import make_long_clip

    args = sys.argv[1:]
    if len(args) >= 2:
        a, b = args[:2]
    else:
        a = "/tmp/liftlens-bench-60s-1080p30.mp4"
        if not Path(a).exists():
            make_long_clip(Path(a))
        real = ROOT.parent / "shared" / "data" / "videos" / "TheSebitzu__gym-app-ai__bench_press.mp4"
        b = str(real) if real.exists() else a
    app = QApplication.instance() or QApplication([])
    view = CompareViewWidget()
    view.resize(1600, 800)
    view.show()
    ctl = CompareController()
    budget = 512 << 20
    # as the app does: half the 1 GiB budget each, half of that kept decompressed
    sides = [CompareSide(FrameFeed(p, build_index(p), budget, hot_fraction=0.5),
                         os.path.basename(p)) for p in (a, b)]
    ctl.frames_shown.connect(view.set_frames)
    ctl.set_sides(*sides)
    span = 240
    print(f"A: {sides[0].label} ({sides[0].feed.index.width}x{sides[0].feed.index.height}, "
          f"{sides[0].feed.index.average_fps:.2f} fps)")
    print(f"B: {sides[1].label} ({sides[1].feed.index.width}x{sides[1].feed.index.height}, "
          f"{sides[1].feed.index.average_fps:.2f} fps)")
    # fill: walk the range once and let both caches settle
    for i in range(span):
        ctl.seek(i)
        end = time.monotonic() + 2
        while time.monotonic() < end:
            app.processEvents()
            fa, fb = ctl.frames_now()
            if all(s is not None and s.index == f for s, f in zip(ctl.shown, (fa, fb))):
                break
    time.sleep(2)
    lat = []
    ctl.seek(0)
    for k in [1] * (span - 1) + [-1] * (span - 1):  # arrow key held forward, then back
        for _once in (0,):
            t = time.perf_counter()
            ctl.step(k)
            fa, fb = ctl.frames_now()
            while not all(s is not None and s.index == f for s, f in zip(ctl.shown, (fa, fb))):
                app.processEvents()
            for c in view.canvases:
                c.repaint()
            lat.append(time.perf_counter() - t)
            app.processEvents()
            time.sleep(max(0.0, 1 / 30 - (time.perf_counter() - t)))
    ms = np.array(lat) * 1e3
    print(f"joint step incl. display (two 800x800 canvases): p50 {np.percentile(ms, 50):.1f} ms, "
          f"p95 {np.percentile(ms, 95):.1f} ms, max {ms.max():.1f} ms over {len(ms)} steps")
    ctl.set_sides(None, None)


if __name__ == "__main__":
    main()
