"""Player and analysis speed idle and under the benchmark's own CPU load, next to the
naive ways of doing the same thing, measured in the same run.

    .venv/bin/python bench/bench_load.py [--rounds N] [--quick] [--only open,step,cached,analyze,play]

Every figure is taken in rounds; each round measures idle (no extra load) and then
under load (two busy-looping processes started here, one per core of a 2-core
machine), alternating the LiftLens measurement with its naive counterpart, so the
ratios compare runs made within seconds of each other. Absolute numbers on a
shared machine are noisy; the ratios and their medians are what to read. LiftLens's
frames are waited for as the app waits for them: for the frame cache's ``on_ready``
announcement (:class:`Announced`).

Figures and their targets (issue #14):

* open: frame 0 ready to show (the app shows it before the index is read), vs.
  PyAV ``av.open`` + first decoded frame (target <= 1.5x); then the index built and
  the frame cache serving frame 0.
* first step back into an unvisited keyframe group (1080p60, 250-frame groups)
  vs. the naive seek to the same frame: OpenCV ``set(POS_FRAMES)`` + ``read`` and
  a PyAV seek + decode (target <= 1.2x); then the later steps back through that
  group (target: none over 2 frame intervals). Every round steps with recycled picture
  memory (one untimed step back first): a process's first group decode pays the kernel for
  fresh pages (0.3-0.4 s of CPU a 1080p group here) and is measured on its own, next.
* the first step back of a process, the user's case (their first step back after opening
  a clip), each in a new process: the clip opens as in the app (its first frame shown),
  the user jumps to a keyframe the instant it shows or after looking at it for a second,
  and steps back into the group before the instant the keyframe shows or a second later
  (the same target, ratios and CPU against PyAV's seek, page faults, and how many
  recycled pictures were ready).
* cached steps while the background thread fills the cache (target: max <= 2
  frame intervals).
* ``liftlens analyze`` on a 1080p clip vs. a decode-only process of the same clip
  (wall time ratio decode/analyze, target >= 0.7x); and a tracking pass of the same clip
  in this process vs. a luma decode of it here (target >= 0.8x under load).
* playback at 1x of a 1080p60 clip in the real main window: dropped frames.

Clips are generated once into /tmp (a 20 s 1080p60 clip with 250-frame keyframe
groups, a 1080p30 lift clip); with ../shared/data present the real 1080p60 bench
press clip is played and analysed too (its analyze figures printed after the generated
clip's).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import av
import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.video.cache import FrameCache  # noqa: E402
from bench.common import REAL_60, child_env, cpu_load, ms, play_in_process, summary  # noqa: E402
from analysis.video.index import VideoIndex, VideoOpening, build_index  # noqa: E402
from analysis.video.picture_pool import POOL  # noqa: E402

from bench.load_clips import GOP_CLIP, LIFT_CLIP, REAL_60_SEED, make_gop_clip, make_lift  # noqa: E402,E501


# -- statistics ---------------------------------------------------------------------------

class Table:
    """Figures per condition (idle/load), collected over rounds."""

    def __init__(self) -> None:
        self.data: dict[tuple[str, str], list[float]] = {}
        self.rows: dict[tuple[str, tuple[float, float]], list[dict[str, float]]] = {}

    def add(self, cond: str, name: str, values: float | list[float]) -> None:
        vals = values if isinstance(values, list) else [values]
        self.data.setdefault((cond, name), []).extend(vals)

    def get(self, cond: str, name: str) -> list[float]:
        return self.data.get((cond, name), [])


class Announced:
    """A frame cache's ``on_ready`` callback, and the wait for a frame it announces: the
    measurements wait as the app does (its ``frame_ready`` signal), not by polling the
    cache, which cost 60-80 ms of CPU beside a 1080p group decode of ~2 s (a poll every
    0.5 ms) that the app does not spend."""

    def __init__(self) -> None:
        self._cond = threading.Condition()

    def __call__(self, _n: int) -> None:
        with self._cond:
            self._cond.notify_all()

    def wait(self, cache: FrameCache, n: int, timeout: float = 60.0) -> None:
        """Block until frame ``n`` is served (request already made)."""
        deadline = time.perf_counter() + timeout
        with self._cond:
            while cache.get(n) is None:
                if cache.is_broken(n) or time.perf_counter() > deadline:
                    raise RuntimeError(f"frame {n} not served")
                self._cond.wait(0.05)  # announced at once; the timeout only re-checks


# -- measurements ---------------------------------------------------------------------------

def pyav_open_first(path: str) -> float:
    t = time.perf_counter()
    with av.open(path) as c:
        next(c.decode(c.streams.video[0]))
    return time.perf_counter() - t


def ours_open_first(path: str) -> tuple[float, float]:
    """What opening a clip in the app costs: seconds until frame 0 is ready to show (BGR,
    display orientation: :meth:`VideoOpening.first`), and until the index is built and the
    frame cache serves frame 0 (the app then steps and plays)."""
    t = time.perf_counter()
    with VideoOpening(path) as opening:
        look = opening.first()
        first = time.perf_counter() - t
        index = opening.index()
    assert look is not None and look.pts == index.pts[0]
    ready = Announced()
    cache = FrameCache(path, index, on_ready=ready)
    cache.request(0)
    ready.wait(cache, 0)
    full = time.perf_counter() - t
    cache.close()
    return first, full


def _cpu() -> float:
    """CPU seconds of this process so far (all its threads, user and system)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def naive_cv_seek(path: str, before: int, n: int) -> tuple[float, float]:
    """Wall and CPU seconds of OpenCV's ``set(POS_FRAMES, n)`` + ``read`` after frame ``before``."""
    cap = cv2.VideoCapture(path)
    cap.set(cv2.CAP_PROP_POS_FRAMES, before)
    cap.read()
    t, c = time.perf_counter(), _cpu()
    cap.set(cv2.CAP_PROP_POS_FRAMES, n)
    ok, _ = cap.read()
    dt, dc = time.perf_counter() - t, _cpu() - c
    cap.release()
    assert ok
    return dt, dc


def naive_av_seek(path: str, index: VideoIndex, before: int, n: int, threads: int = 0
                  ) -> tuple[float, float]:
    """Wall and CPU seconds of a PyAV seek + decode to frame ``n`` (BGR) after ``before``;
    ``threads`` decoding threads (0: FFmpeg's choice, the cores + 1)."""
    with av.open(path) as c:
        s = c.streams.video[0]
        s.thread_type = "AUTO"
        s.thread_count = threads
        c.seek(int(index.pts[before]), stream=s, backward=True)
        for f in c.decode(s):
            if f.pts is not None and f.pts >= index.pts[before]:
                break
        want = int(index.pts[n])
        t, cpu = time.perf_counter(), _cpu()
        c.seek(want, stream=s, backward=True)
        for f in c.decode(s):
            if f.pts == want:
                f.to_ndarray(format="bgr24")
                break
        return time.perf_counter() - t, _cpu() - cpu


def ours_step_back(path: str, index: VideoIndex, g: int, later: int
                   ) -> tuple[float, list[float], FrameCache]:
    """Jump to the keyframe of group ``g``, then step back into group ``g - 1`` (never
    visited) and on through ``later`` more frames at key-repeat pace (60 steps/s)."""
    ready = Announced()
    cache = FrameCache(path, index, on_ready=ready)
    key = int(index.keyframes[g])
    cache.request(key)
    ready.wait(cache, key)
    t = time.perf_counter()
    cache.request(key - 1, -1)
    ready.wait(cache, key - 1)
    first = time.perf_counter() - t
    steps = []
    for k in range(key - 2, key - 2 - later, -1):
        time.sleep(1 / 60)
        t = time.perf_counter()
        cache.request(k, -1)
        if cache.get(k) is None:
            ready.wait(cache, k)
        steps.append(time.perf_counter() - t)
    return first, steps, cache


#: The first step back of a process: how long the user looks at the clip just opened before
#: jumping into it, and at the frame jumped to before stepping back (s).
FIRST_STEP_PAUSES = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0))


def first_step_in_process(path: str, g: int, look_s: float, react_s: float = 0.0
                          ) -> dict[str, float]:
    """The user's first step back after opening a clip (in a new process): the clip opens as
    in the app (its first frame asked for and shown), the user looks ``look_s``, jumps to the
    keyframe of group ``g`` and ``react_s`` later steps back into group ``g - 1``. The naive
    seeks of the same frame are measured in the same process, before and after."""
    index = build_index(path)
    key = int(index.keyframes[g])
    naive = [naive_cv_seek(path, key, key - 1), naive_av_seek(path, index, key, key - 1)]
    ready = Announced()
    cache = FrameCache(path, index, on_ready=ready)
    for n, pause in ((0, look_s), (key, react_s)):  # the first frame shown, then the jump
        cache.request(n)
        ready.wait(cache, n)
        time.sleep(pause)
    ready_pictures = POOL.idle_bytes // (index.coded_width * index.coded_height * 3 // 2)
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    t, c = time.perf_counter(), _cpu()
    cache.request(key - 1, -1)
    ready.wait(cache, key - 1)
    wall, cpu = time.perf_counter() - t, _cpu() - c
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
    cache.close()
    naive += [naive_cv_seek(path, key, key - 1), naive_av_seek(path, index, key, key - 1)]
    return {"wall": wall, "cpu": cpu, "faults": faults, "ready_pictures": ready_pictures,
            "cv": (naive[0][0] + naive[2][0]) / 2, "av": (naive[1][0] + naive[3][0]) / 2,
            "av_cpu": (naive[1][1] + naive[3][1]) / 2}


def first_step_child(g: int, look_s: float, react_s: float = 0.0) -> dict[str, float]:
    """:func:`first_step_in_process` run in a new process (this script, --first-step-child)."""
    args = [sys.executable, __file__, "--first-step-child", f"{g},{look_s},{react_s}"]
    out = subprocess.run(args, check=True, capture_output=True, text=True, env=child_env())
    return json.loads(out.stdout.splitlines()[-1])


def ours_cached_steps(path: str, index: VideoIndex, busy: bool, seconds: float = 4.0
                      ) -> tuple[list[float], int]:
    """Step back and forth (30 steps/s) over frames already cached. ``busy``: while the
    background thread fills the rest of the clip; otherwise with nothing else to do
    (the floor on this machine). Returns the latencies and how many frames the
    background thread decoded or compressed meanwhile."""
    ready = Announced()
    cache = FrameCache(path, index, background_fill=busy, prefetch=busy, on_ready=ready)
    mid = int(index.keyframes[len(index.keyframes) // 2])
    cache.request(mid)
    ready.wait(cache, mid)
    lo, hi = mid, min(mid + 40, index.frame_count - 1)
    for k in range(lo, hi + 1):  # the group's first frames (urgent decode keeps them)
        cache.request(k)
        ready.wait(cache, k)
    cache.request(lo)
    time.sleep(0.3)
    fill0 = cache.stats.decoded_fill + cache.stats.compressed
    lat = []
    end = time.perf_counter() + seconds
    k, d = lo, 1
    while time.perf_counter() < end:
        t = time.perf_counter()
        # direction 0 (as after a click on the timeline): the background thread keeps
        # compressing, prefetching and filling the clip (a step's direction pauses the fill)
        cache.request(k, 0)
        if cache.get(k) is None:
            ready.wait(cache, k)
        lat.append(time.perf_counter() - t)
        time.sleep(max(0.0, 1 / 30 - (time.perf_counter() - t)))
        if not lo <= k + d <= hi:
            d = -d
        k += d
    filled = cache.stats.decoded_fill + cache.stats.compressed - fill0
    cache.close()
    return lat, filled


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cli_analyze(clip: Path, seed: tuple[float, float]) -> tuple[float, float]:
    """Wall and CPU seconds of ``liftlens analyze`` on ``clip``."""
    env = child_env()
    cmd = [sys.executable, "-m", "app.cli.main", "analyze", str(clip),
           "--seed", f"{seed[0]:.1f},{seed[1]:.1f}", "--json", os.devnull]
    c, t = _children_cpu(), time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t, _children_cpu() - c


DECODE_ONLY = """
import sys, av
with av.open(sys.argv[1]) as c:
    s = c.streams.video[0]
    s.thread_type = "AUTO"
    for f in c.decode(s):
        pass
"""


def decode_rate(path: str, frames: int) -> float:
    """Frames per second a plain threaded PyAV decode of ``path``'s first frames reaches here."""
    with av.open(path) as c:
        s = c.streams.video[0]
        s.thread_type = "AUTO"
        t, n = time.perf_counter(), 0
        for _ in c.decode(s):
            n += 1
            if n >= frames:
                break
        return n / (time.perf_counter() - t)


def _own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def luma_decode(clip: Path) -> tuple[float, float]:
    """Wall and CPU seconds of a sequential luma decode of ``clip`` in this process (the
    frames a tracking pass reads)."""
    from analysis.video import VideoSource

    with VideoSource(str(clip)) as src:
        c, t = _own_cpu(), time.perf_counter()
        for _ in src.gray_frames():
            pass
        return time.perf_counter() - t, _own_cpu() - c


def tracking_pass(clip: Path, seed: tuple[float, float]) -> tuple[float, float]:
    """Wall and CPU seconds of a tracking pass over ``clip`` from ``seed`` in this process,
    as the app runs one (decoding on a helper thread, camera motion estimated)."""
    from analysis.tracking import BarTracker
    from analysis.video import VideoSource

    with VideoSource(str(clip)) as src:
        c, t = _own_cpu(), time.perf_counter()
        BarTracker().track(src, 0, seed)
        return time.perf_counter() - t, _own_cpu() - c


def decode_only(clip: Path) -> tuple[float, float]:
    """Wall and CPU seconds of a process that only decodes ``clip``."""
    c, t = _children_cpu(), time.perf_counter()
    subprocess.run([sys.executable, "-c", DECODE_ONLY, str(clip)], check=True, env=child_env())
    return time.perf_counter() - t, _children_cpu() - c


# -- driver -------------------------------------------------------------------------------

def run(rounds: int, only: set[str], load_procs: int) -> None:
    loadavg0 = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average at start {loadavg0[0]:.1f} "
          f"{loadavg0[1]:.1f} {loadavg0[2]:.1f}; benchmark load = {load_procs} busy processes")
    if not GOP_CLIP.exists():
        print("generating a 20 s 1080p60 clip with 250-frame keyframe groups (once)…")
        make_gop_clip(GOP_CLIP)
    gop = str(GOP_CLIP)
    index = build_index(gop)
    interval = float(np.median(np.diff(index.times)))
    print(f"clip: {GOP_CLIP.name}: {index.width}x{index.height}, {index.frame_count} frames, "
          f"{index.average_fps:.2f} fps, keyframes {list(index.keyframes)}")
    tab = Table()
    conds = ("idle", "load")
    groups = [g for g in range(1, len(index.keyframes))]
    if "step" in only:
        # the rounds measure a process that has stepped before (its picture memory recycled);
        # the first step of a process is measured in new processes (first_step_child)
        ours_step_back(gop, index, groups[-1], later=0)[2].close()
    for r in range(rounds):
        for cond in conds:
            ctx = cpu_load(load_procs) if cond == "load" else _null()
            with ctx:
                la = os.getloadavg()[0]
                tab.add(cond, "loadavg", la)
                if "open" in only:
                    for _ in range(2):
                        tab.add(cond, "open/pyav", pyav_open_first(gop))
                        first, full = ours_open_first(gop)
                        tab.add(cond, "open/ours", first)
                        tab.add(cond, "open/ours_full", full)
                if "step" in only:
                    g = groups[r % len(groups)]
                    key = int(index.keyframes[g])
                    cv_t = naive_cv_seek(gop, key, key - 1)[0]
                    av_t = naive_av_seek(gop, index, key, key - 1)[0]
                    # recycled picture memory before the step: none in the process's first
                    # group decode, which then pays the kernel for fresh pages
                    pooled = POOL.idle_bytes >= 200 * index.coded_width * index.coded_height * 3 // 2
                    first, later, cache = ours_step_back(gop, index, g, later=120)
                    cache.close()
                    # a closed cache's pictures go back to the picture pool, as when the app
                    # closes a clip (kept referenced, the next round's decode found no
                    # recycled memory and paid a page fault per 4 KiB of every picture)
                    del cache
                    cv_t2 = naive_cv_seek(gop, key, key - 1)[0]
                    av_t2 = naive_av_seek(gop, index, key, key - 1)[0]
                    tab.add(cond, "step/av_cores", naive_av_seek(  # OpenCV's thread count
                        gop, index, key, key - 1, threads=os.cpu_count() or 1)[0] / av_t2)
                    naive_cv, naive_av = (cv_t + cv_t2) / 2, (av_t + av_t2) / 2
                    tab.add(cond, "step/first", first)
                    tab.add(cond, "step/cv", naive_cv)
                    tab.add(cond, "step/av", naive_av)
                    tab.add(cond, "step/ratio_cv", first / naive_cv)
                    tab.add(cond, "step/ratio_av", first / naive_av)
                    tab.add(cond, "step/pool", float(pooled))
                    tab.add(cond, "step/later", later)
                    for pauses in FIRST_STEP_PAUSES[::1 if r % 2 else -1]:
                        tab.rows.setdefault((cond, pauses), []).append(
                            first_step_child(g, *pauses))
                if "cached" in only:
                    lat, filled = ours_cached_steps(gop, index, busy=True)
                    tab.add(cond, "cached", lat)
                    tab.add(cond, "cached/filled", float(filled))
                    floor, _ = ours_cached_steps(gop, index, busy=False)
                    tab.add(cond, "cached/floor", floor)
        print(f"  round {r + 1}/{rounds} done")

    print(f"\nframe interval of the clip: {interval * 1e3:.1f} ms (targets below in intervals)")
    for cond in conds:
        print(f"\n== {cond} (load average during: "
              f"{statistics.median(tab.get(cond, 'loadavg')):.1f})")
        if "open" in only:
            o, p = tab.get(cond, "open/ours"), tab.get(cond, "open/pyav")
            print(f"  open to first frame: ours median {ms(o, 50):.0f} ms, PyAV open+first decode "
                  f"{ms(p, 50):.0f} ms -> {statistics.median(o) / statistics.median(p):.2f}x "
                  f"(target <= 1.5x)")
            f = tab.get(cond, "open/ours_full")
            print(f"    then index built and the frame cache serving frame 0: median {ms(f, 50):.0f} ms "
                  f"-> {statistics.median(f) / statistics.median(p):.2f}x")
        if "step" in only:
            f = tab.get(cond, "step/first")
            print(f"  first step back into an unvisited group: median {ms(f, 50):.0f} ms "
                  f"(max {ms(f, 100):.0f}); naive OpenCV {ms(tab.get(cond, 'step/cv'), 50):.0f} ms, "
                  f"PyAV seek {ms(tab.get(cond, 'step/av'), 50):.0f} ms")
            rc, ra = tab.get(cond, "step/ratio_cv"), tab.get(cond, "step/ratio_av")
            pools = tab.get(cond, "step/pool")
            print("    per round vs OpenCV / PyAV: " + "; ".join(
                f"{c:.2f}x / {a:.2f}x ({'recycled' if p else 'fresh'} picture memory)"
                for c, a, p in zip(rc, ra, pools, strict=True)))
            print(f"    ratio vs OpenCV: median {statistics.median(rc):.2f}x "
                  f"(rounds {min(rc):.2f}-{max(rc):.2f}); vs PyAV: median "
                  f"{statistics.median(ra):.2f}x (rounds {min(ra):.2f}-{max(ra):.2f}); target <= 1.2x")
            cores = tab.get(cond, "step/av_cores")
            print(f"    PyAV's seek with a decoding thread a core (OpenCV's count here) vs one more: "
                  f"median {statistics.median(cores):.2f}x (rounds {min(cores):.2f}-{max(cores):.2f})")
            for look, react in FIRST_STEP_PAUSES:
                rows = tab.rows.get((cond, (look, react)), [])
                if not rows:
                    continue
                print(f"  the first step back of a new process (the user's first step back after "
                      f"opening a clip), jumping {look:.0f} s after the clip shows, stepping "
                      f"back {react:.0f} s after the jump: "
                      f"median {statistics.median(x['wall'] for x in rows) * 1e3:.0f} ms")
                print("    per process vs OpenCV / PyAV: " + "; ".join(
                    f"{x['wall'] / x['cv']:.2f}x / {x['wall'] / x['av']:.2f}x" for x in rows)
                    + f"; median {statistics.median(x['wall'] / x['cv'] for x in rows):.2f}x / "
                    f"{statistics.median(x['wall'] / x['av'] for x in rows):.2f}x (target <= 1.2x)")
                print("    CPU vs PyAV's seek: " + ", ".join(
                    f"{x['cpu'] / x['av_cpu']:.2f}x" for x in rows) + "; page faults: " + ", ".join(
                    f"{x['faults'] / 1e3:.0f}k" for x in rows) + "; recycled pictures ready: "
                    + ", ".join(f"{x['ready_pictures']:.0f}" for x in rows))
            later = tab.get(cond, "step/later")
            print(f"  later steps back in that group: {summary(later)}; max = "
                  f"{max(later) / interval:.2f} intervals (target <= 2)")
        if "cached" in only:
            c = tab.get(cond, "cached")
            filled = tab.get(cond, "cached/filled")
            floor = tab.get(cond, "cached/floor")
            print(f"  cached steps while the fill runs ({statistics.median(filled):.0f} frames "
                  f"decoded or compressed meanwhile per round): {summary(c)}; max = {max(c) / interval:.2f} "
                  f"intervals (target <= 2)")
            print(f"  the same steps with no background work (floor):   {summary(floor)}; "
                  f"max = {max(floor) / interval:.2f} intervals")

    if "analyze" in only:
        bench_analyze(rounds, load_procs)
    if "play" in only:
        play = str(REAL_60) if REAL_60.exists() else gop
        for cond in conds:
            ctx = cpu_load(load_procs) if cond == "load" else _null()
            with ctx:
                limit = decode_rate(play, 480)
                presented, dropped, expected, _ = play_in_process(play, 8.0)
                limit = (limit + decode_rate(play, 480)) / 2
            fps = expected / 8.0
            print(f"\n== playback at 1x of {Path(play).name}, 8 s, {cond}: presented {presented}, "
                  f"dropped {dropped} of ~{expected} frames; the decode limit in the same "
                  f"condition is {limit:.0f} frames/s for a {fps:.0f} frames/s clip "
                  f"({'no drop needed' if limit > 1.2 * fps else 'drops unavoidable'}): shown "
                  f"{presented / expected:.0%} of the frames, "
                  f"{presented / max(1.0, min(limit, fps) * 8.0):.0%} of what decoding allows")
    la = os.getloadavg()
    print(f"\nload average at the end: {la[0]:.1f} {la[1]:.1f} {la[2]:.1f}")


def bench_analyze(rounds: int, load_procs: int) -> None:
    clips: list[tuple[Path, tuple[float, float]]] = [(LIFT_CLIP, make_lift(LIFT_CLIP))]
    if REAL_60.exists():
        # real footage as well: the generated clip is clean and compresses to 0.6 Mbit/s,
        # so its decoding is cheap and its tracking easy; the click is the one of
        # tests/analysis/test_tracking_real.py (the near bar end, followed as a point)
        clips.append((REAL_60, REAL_60_SEED))
    for clip, seed in clips:
        idx = build_index(str(clip))
        print(f"\n== liftlens analyze {clip.name} ({idx.width}x{idx.height}, "
              f"{idx.frame_count} frames, {idx.duration_s:.1f} s) vs a decode-only process")
        cli_analyze(clip, seed)  # unmeasured: the modules compiled once, as after installing
        for cond in ("idle", "load"):
            ratios, cpu_ratios, a_t, d_t, a_c, d_c = [], [], [], [], [], []
            track: list[tuple[tuple[float, float], tuple[float, float]]] = []
            for _ in range(rounds):
                ctx = cpu_load(load_procs) if cond == "load" else _null()
                with ctx:
                    d1 = decode_only(clip)
                    a = cli_analyze(clip, seed)
                    d2 = decode_only(clip)
                    l1 = luma_decode(clip)
                    tracked = tracking_pass(clip, seed)
                    l2 = luma_decode(clip)
                track.append((((l1[0] + l2[0]) / 2, (l1[1] + l2[1]) / 2), tracked))
                d = ((d1[0] + d2[0]) / 2, (d1[1] + d2[1]) / 2)
                ratios.append(d[0] / a[0])
                cpu_ratios.append(d[1] / a[1])
                a_t.append(a[0])
                d_t.append(d[0])
                a_c.append(a[1])
                d_c.append(d[1])
            print(f"  {cond}: analyze median {statistics.median(a_t):.2f} s wall "
                  f"({statistics.median(a_c):.2f} s CPU), decode-only {statistics.median(d_t):.2f} s "
                  f"({statistics.median(d_c):.2f} s CPU) -> {statistics.median(ratios):.2f}x decode "
                  f"speed by wall time (rounds {min(ratios):.2f}-{max(ratios):.2f}; target >= 0.7x), "
                  f"{statistics.median(cpu_ratios):.2f}x by CPU time")
            n = idx.frame_count
            tr = [lu[0] / tp[0] for lu, tp in track]
            print(f"  {cond}: tracking pass (in this process) median "
                  f"{n / statistics.median(tp[0] for _, tp in track):.0f} frames/s, luma decode "
                  f"{n / statistics.median(lu[0] for lu, _ in track):.0f} frames/s -> "
                  f"{statistics.median(tr):.2f}x decode speed (rounds {min(tr):.2f}-{max(tr):.2f}; "
                  f"target >= 0.8x under load); CPU per frame: decode "
                  f"{statistics.median(lu[1] for lu, _ in track) / n * 1e3:.2f} ms, tracking "
                  f"{statistics.median(tp[1] for _, tp in track) / n * 1e3:.2f} ms")


@contextmanager
def _null() -> Iterator[None]:
    yield


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="2 rounds")
    ap.add_argument("--only", default="open,step,cached,analyze,play")
    ap.add_argument("--load", type=int, default=2, help="busy processes for the loaded runs")
    ap.add_argument("--first-step-child", help=argparse.SUPPRESS)  # "GROUP,LOOK_S,REACT_S"
    args = ap.parse_args()
    if args.first_step_child:
        g, look, react = args.first_step_child.split(",")
        print(json.dumps(first_step_in_process(str(GOP_CLIP), int(g), float(look), float(react))))
        return
    rounds = 2 if args.quick else args.rounds
    run(rounds, set(args.only.split(",")), args.load)


if __name__ == "__main__":
    main()
