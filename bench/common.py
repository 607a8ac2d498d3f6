"""Setup shared by the player benchmarks (bench_player.py, bench_load.py, bench_compare.py):
generated footage, the real shared clip, controlled CPU load, percentiles, and playback in
the real main window.

Imported by path (``bench/`` is put on ``sys.path`` by the scripts) or as ``bench.common``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SHARED = Path(os.environ.get("LIFTLENS_SHARED_DATA", ROOT.parent / "shared" / "data"))
#: The real 1080p60 bench press clip of the shared data (absent: the benches use generated clips).
REAL_60 = SHARED / "videos" / "TheSebitzu__gym-app-ai__bench_press.mp4"
BUSY = "import os\nos.nice(0)\nwhile True:\n    pass\n"


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a measured child process: this checkout on its path, and Python's
    compiled modules written and read as in a user's installation. A shell that sets
    PYTHONDONTWRITEBYTECODE (some development setups do) made every ``liftlens analyze``
    compile 19 of its modules again, 35 ms of CPU that no user's run spends."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), **extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def textured_clip(path: Path, seconds: float, fps: float, gop: int, period: float = 40.0) -> None:
    """Textured, noisy 1080p footage (compresses like real video), H.264 with B-frames and
    keyframes every ``gop`` frames; the view pans and a dark disc swings (``period`` frames
    per radian of the pan). Written to a temporary name first, so a cut-short run leaves
    no half clip behind."""
    from analysis.synth.encode import ClipWriter

    rng = np.random.default_rng(1)
    base = cv2.GaussianBlur(rng.integers(0, 255, (1400, 2400, 3), dtype=np.uint8), (0, 0), 3)
    base = cv2.addWeighted(base, 2.0, base, 0, -128)
    w, h = 1920, 1080
    tmp = path.with_suffix(".part.mp4")
    with ClipWriter(tmp, w, h, fps=fps, crf=20, gop=gop, bframes=2, preset="ultrafast") as wr:
        for n in range(int(seconds * fps)):
            x = int(200 + 150 * np.sin(n / period))
            y = int(150 + 100 * np.cos(n / (period * 1.375)))
            frame = base[y:y + h, x:x + w].copy()
            cv2.circle(frame, (960 + int(300 * np.sin(n / (period / 2))), 540), 180,
                       (40, 40, 40), -1)
            noise = rng.integers(-6, 7, frame.shape, dtype=np.int16)
            wr.write(np.clip(frame.astype(np.int16) + noise, 0, 255).astype(np.uint8))
    tmp.rename(path)


@contextmanager
def cpu_load(procs: int) -> Iterator[None]:
    """``procs`` busy-looping processes at normal priority for the duration of the block
    (0: no extra load)."""
    ps = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(procs)]
    try:
        if ps:
            time.sleep(0.3)  # let the scheduler see them
        yield
    finally:
        for p in ps:
            p.terminate()
        for p in ps:
            p.wait()


def ms(values: list[float], q: float) -> float:
    """Percentile ``q`` of ``values`` (seconds) in milliseconds."""
    return float(np.percentile(np.asarray(values) * 1e3, q))


def summary(values: list[float]) -> str:
    return (f"p50 {ms(values, 50):7.1f} ms  p95 {ms(values, 95):7.1f} ms  "
            f"max {ms(values, 100):7.1f} ms")


def loadavg() -> str:
    la = os.getloadavg()
    return f"{la[0]:.1f} {la[1]:.1f} {la[2]:.1f}"


def play_in_main_window(path: str, seconds: float) -> tuple[int, int, int, str]:
    """Open ``path`` in the real main window (offscreen unless a display is set), wait
    for frame 0 and a moment (as a person would), play at 1x for ``seconds``.

    Returns (frames presented, frames dropped, frames the clock passed, Qt platform).
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from analysis.video.index import build_index
    from app.main_window import MainWindow
    from app.settings import Settings

    from app.gui_thread_gc import collect_garbage_on_the_gui_thread

    app = QApplication.instance() or QApplication([])
    collect_garbage_on_the_gui_thread(app)  # as the app does (app/launch.py)
    win = MainWindow(Settings())
    win.resize(1400, 900)
    win.show()
    index = build_index(path)
    win.open_path(path)  # as File > Open does: the clip is read on a worker thread
    end = time.monotonic() + 30
    while time.monotonic() < end and (win.player.index is None or win.canvas.frame is None):
        app.processEvents()
        time.sleep(0.001)
    if win.player.index is None:
        raise RuntimeError(f"{path} did not open in the main window within 30 s")
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        app.processEvents()
    win.player.play(1)
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        app.processEvents()
        time.sleep(0.001)
    win.player.pause()
    expected = index.frame_at_time(min(seconds, index.duration_s)) + 1
    out = (win.player.presented, win.player.dropped, expected, str(app.platformName()))
    win.close()
    app.processEvents()
    return out


def play_in_process(path: str, seconds: float) -> tuple[int, int, int, str]:
    """:func:`play_in_main_window` in a fresh process (one main window per process, as in use)."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from bench.common import "
            "play_in_main_window; print(*play_in_main_window(sys.argv[2], float(sys.argv[3])))")
    env = child_env(QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code, str(ROOT), path, str(seconds)], env=env,
                         check=True, capture_output=True, text=True).stdout
    a, b, c, platform = out.split()[-4:]
    return int(a), int(b), int(c), platform
