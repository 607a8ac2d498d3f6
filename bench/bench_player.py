"""Player benchmark: open, step latency (cold/cached, forward/backward), seek, playback.

    .venv/bin/python bench/bench_player.py [VIDEO_1080P] [--quick]

Prints each figure next to the sequential decode throughput of the same clip,
the physical limit of any full pass on this machine. Without VIDEO it uses a
generated 60 s 1080p30 clip (textured, noisy, 2 s keyframe interval, B-frames),
cached in /tmp. With ../shared/data present it also plays the real 1080p60 clip.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.video.cache import FrameCache  # noqa: E402
from analysis.video.index import build_index  # noqa: E402
from analysis.video.source import VideoSource  # noqa: E402
from bench.common import REAL_60, ms, play_in_main_window, textured_clip  # noqa: E402


def make_long_clip(path: Path, seconds: float = 60.0, fps: float = 30.0) -> None:
    """A 1080p clip with real texture and sensor noise, so frames compress like footage."""
    textured_clip(path, seconds, fps, int(2 * fps), period=40.0)


def sequential_fps(path: str) -> float:
    with VideoSource(path) as src:
        t = time.perf_counter()
        count = sum(1 for _ in src.packed_frames())
        return count / (time.perf_counter() - t)


def bench_clip(path: str, budget_mb: int = 1024) -> None:
    print(f"\n== {os.path.basename(path)}")
    limit = sequential_fps(path)
    index = build_index(path)
    print(f"  {index.width}x{index.height}, {index.frame_count} frames, {index.duration_s:.1f} s, "
          f"{len(index.keyframes)} keyframes, vfr={index.vfr}")
    print(f"  sequential decode (physical limit): {limit:.0f} frames/s = {1e3 / limit:.2f} ms/frame")

    t = time.perf_counter()
    index = build_index(path)
    t_index = time.perf_counter() - t
    cache = FrameCache(path, index, budget_bytes=budget_mb << 20)
    cache.get_blocking(0)
    t_open = time.perf_counter() - t
    print(f"  open: index {t_index * 1e3:.0f} ms, open-to-first-frame {t_open * 1e3:.0f} ms")
    cache.close()

    # first step back into an uncached keyframe group vs. that group's decode time
    ratios = []
    for g in range(1, min(len(index.keyframes), 6)):
        start, stop = index.group_range(g - 1)
        with VideoSource(path, index) as src:
            src.decode_group(g)  # position the decoder elsewhere first
            t = time.perf_counter()
            src.decode_group(g - 1)
            group_time = time.perf_counter() - t
        cache = FrameCache(path, index, budget_bytes=budget_mb << 20, background_fill=False)
        cache.get_blocking(index.keyframes[g])
        time.sleep(0.05)
        t = time.perf_counter()
        cache.get_blocking(stop - 1)  # one step back across the keyframe
        ratios.append((time.perf_counter() - t) / group_time)
        cache.close()
    if ratios:
        print(f"  first step back into an uncached group: {statistics.median(ratios):.2f}x "
              f"that group's decode time (median of {len(ratios)}, max {max(ratios):.2f}x)")

    # cold steps and random seeks
    cache = FrameCache(path, index, budget_bytes=budget_mb << 20, background_fill=False)
    n = index.frame_count
    rng = random.Random(0)
    seeks = []
    for k in rng.sample(range(n), min(15, n)):
        t = time.perf_counter()
        cache.get_blocking(k)
        seeks.append(time.perf_counter() - t)
    print(f"  random seek (cold): p50 {ms(seeks, 50):.0f} ms, p95 {ms(seeks, 95):.0f} ms")
    cache.close()

    # cached stepping: let the worker fill the cache, then step both ways through everything
    cache = FrameCache(path, index, budget_bytes=budget_mb << 20)
    cache.get_blocking(n // 2)
    t = time.perf_counter()
    while cache.cached_count < n and time.perf_counter() - t < 240:
        time.sleep(0.2)
    fill = time.perf_counter() - t
    print(f"  background fill: {cache.cached_count}/{n} frames cached in {fill:.1f} s, "
          f"{cache.memory_bytes / 2**20:.0f} MB of {budget_mb} MB budget")
    for name, order in (("forward", range(n)), ("backward", range(n - 1, -1, -1))):
        lat = []
        for k in order:
            t = time.perf_counter()
            cache.request(k)
            f = cache.get(k)
            if f is None:
                f = cache.get_blocking(k)
            lat.append(time.perf_counter() - t)
            time.sleep(max(0.0, 1 / 60 - (time.perf_counter() - t)))  # key auto-repeat: <= 60/s
        print(f"  cached step {name:8s}: p50 {ms(lat, 50):.2f} ms, p95 {ms(lat, 95):.2f} ms, "
              f"max {ms(lat, 100):.1f} ms")
    s = cache.stats
    print(f"  tiers: hot hits {s.hits_hot}, warm hits {s.hits_warm}, compressed {s.compressed}")
    display_step(cache, n)
    cache.close()
    print(f"  peak RSS so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def display_step(cache: FrameCache, n: int) -> None:
    """Step latency as the user sees it: cache lookup plus preparing and painting the
    frame in a 1400x800 canvas (offscreen raster, the same code as on screen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from widgets.video_canvas import VideoCanvasWidget

    app = QApplication.instance() or QApplication([])
    canvas = VideoCanvasWidget()
    canvas.resize(1400, 800)
    canvas.show()
    app.processEvents()
    lat = []
    start = n // 3
    for k in list(range(start, start + 120)) + list(range(start + 120, start, -1)):
        t = time.perf_counter()
        cache.request(k)
        frame = cache.get(k) or cache.get_blocking(k)
        canvas.set_frame(frame)
        canvas.repaint()
        lat.append(time.perf_counter() - t)
        app.processEvents()
        time.sleep(max(0.0, 1 / 30 - (time.perf_counter() - t)))
    print(f"  cached step incl. display (1400x800 canvas, 30 steps/s): p50 {ms(lat, 50):.1f} ms, "
          f"p95 {ms(lat, 95):.1f} ms, max {ms(lat, 100):.1f} ms")
    canvas.close()


def bench_playback(path: str, seconds: float = 10.0) -> None:
    presented, dropped, expected, platform = play_in_main_window(path, seconds)
    print(f"\n== playback at 1x of {os.path.basename(path)} for {seconds:.0f} s: presented "
          f"{presented} frames, dropped {dropped} (expected ~{expected}), platform {platform}")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    clips = list(args)
    if not clips:
        synthetic = Path("/tmp/liftlens-bench-60s-1080p30.mp4")
        if not synthetic.exists():
            print("generating a 60 s 1080p30 test clip (once)…")
            make_long_clip(synthetic)
        clips.append(str(synthetic))
    real = REAL_60
    if real.exists() and not args:
        clips.append(str(real))
    for c in clips:
        bench_clip(c)
    play = str(real) if real.exists() and not args else clips[0]
    bench_playback(play)


if __name__ == "__main__":
    main()
