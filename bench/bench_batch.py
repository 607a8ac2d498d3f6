"""Batch benchmark: clips per hour of ``liftlens batch`` with 1 and 2 worker processes on
generated 1080p30 clips, next to the pure decode time of the same clips (measured in the
same run, so the ratio holds on a loaded machine), and the peak memory of each worker.

    PYTHONPATH=. .venv/bin/python bench/bench_batch.py [--clips 4] [--seconds 5]

The machine's load (1-minute load average against its cores) is printed before and
after every phase: on a shared machine the absolute times move with it, the ratios less.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.batch.run import find_clips, run_batch
from analysis.video import VideoSource

CACHE = Path(tempfile.gettempdir()) / "liftlens-bench-batch"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


def make_clips(n: int, seconds: float) -> list[Path]:
    """``n`` 1080p30 clips of about ``seconds`` s (two squat reps), generated once."""
    from analysis.synth.lift_clip import make_lift_clip
    from analysis.synth.motion import LiftScript, RepSpec

    CACHE.mkdir(exist_ok=True)
    rep = (seconds - 0.6) / 2
    script = LiftScript(reps=(RepSpec(rep * 0.45, 0.1, rep * 0.3, rep * 0.15 - 0.1, 0.5),) * 2,
                        setup=0.3, end_idle=0.3)
    out = []
    for i in range(n):
        p = CACHE / f"clip{i}-{seconds:g}s.mp4"
        if not p.exists():
            print(f"  generating {p.name} (once)…", flush=True)
            make_lift_clip(p, script, size=(1920, 1080), px_per_m=800.0, crf=20, seed=i)
        out.append(p)
    return out


def decode_seconds(clips: list[Path]) -> tuple[float, int, float]:
    """Wall time of a sequential luma decode of every clip (the tracker's read path),
    frames decoded, and the CPU seconds it took (all decoder threads)."""
    t, cpu, frames = time.perf_counter(), time.process_time(), 0
    for c in clips:
        with VideoSource(str(c)) as src:
            frames += sum(1 for _ in src.gray_frames())
    return time.perf_counter() - t, frames, time.process_time() - cpu


def batch(clips: list[Path], workers: int) -> tuple[float, dict[str, float], int, float, float]:
    """Wall time of a fresh batch (pool start included), peak MiB per worker, failures,
    and the clips' summed job wall and CPU seconds."""
    ctx = multiprocessing.get_context("forkserver")
    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        report = run_batch(find_clips(clips), out, jobs=workers, plate_mm=450,
                           executor=lambda: ProcessPoolExecutor(workers, mp_context=ctx))
        wall = time.perf_counter() - t
    peaks: dict[str, float] = {}
    for r in report.clips:
        peaks[r.worker] = max(peaks.get(r.worker, 0.0), r.peak_rss_mb)
    job_wall = sum(r.seconds for r in report.clips)
    job_cpu = sum(r.cpu_seconds for r in report.clips)
    return wall, peaks, len(report.failed), job_wall, job_cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clips", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=5.0)
    args = ap.parse_args()
    print(f"bench_batch: {args.clips} clips of {args.seconds:g} s, 1080p30; {load()}")
    clips = make_clips(args.clips, args.seconds)
    print(f"[decode] {load()}")
    dec, frames, dec_cpu = decode_seconds(clips)
    print(f"  pure decode: {dec:.1f} s for {frames} frames ({frames / dec:.0f} fps), "
          f"{3600 * len(clips) / dec:.0f} clips/h; CPU {dec_cpu:.1f} s")
    results = {}
    for workers in (1, 2):
        print(f"[{workers} worker(s)] {load()}")
        wall, peaks, failed, job_wall, job_cpu = batch(clips, workers)
        results[workers] = wall
        mem = ", ".join(f"{v:.0f}" for v in sorted(peaks.values()))
        print(f"  batch: {wall:.1f} s, {3600 * len(clips) / wall:.0f} clips/h, "
              f"{wall / dec:.2f} x pure decode; peak MiB per worker: {mem}; failed {failed}")
        print(f"  per clip: {job_wall / len(clips):.1f} s wall, {job_cpu / len(clips):.1f} s CPU "
              f"(busy cores while measuring one clip: {job_cpu / job_wall:.2f}); CPU "
              f"{job_cpu / dec_cpu:.2f} x pure decode's CPU")
    print(f"[decode again] {load()}")
    dec2, _, _ = decode_seconds(clips)
    print(f"  pure decode: {dec2:.1f} s (first {dec:.1f} s: the load changed by "
          f"{100 * (dec2 - dec) / dec:+.0f} %)")
    print(f"2 workers / 1 worker wall time: {results[2] / results[1]:.2f} "
          f"(below 1 = the second worker helps); {load()}")


if __name__ == "__main__":
    main()
