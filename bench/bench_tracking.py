"""Tracking benchmark: a full tracking pass on a 1080p clip next to the sequential decode
speed of the same clip (camera-motion compensation included, and without it), accuracy on
the hand-labelled real squat, and the issue #12 reproducers in ../shared/cases/tracking
scored against their labels.

The speed is measured twice in one run: as the machine is, and under the benchmark's own
load (one busy process per core doing image work, as when another clip is exported or
analysed at the same time). Decode and tracking rounds alternate, so both see the same
load; the ratio is of their medians. The CPU each frame costs (all of the process's
threads: the decoder's, the decoding thread's and the tracking thread's) is printed too: on
a machine shared with other work the speeds swing by tens of % from round to round, the CPU
per frame by a few %, and on two busy cores the speeds' ratio tends to the CPU ratio.

    .venv/bin/python bench/bench_tracking.py [--speed-only]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.tracking import BarTracker  # noqa: E402
from analysis.video import VideoSource  # noqa: E402

DATA = Path(os.environ.get("LIFTLENS_SHARED_DATA") or ROOT.parent / "shared" / "data")
ROUNDS = 5


def _busy() -> None:
    """Image work until killed (the benchmark's own load)."""
    import cv2

    cv2.setNumThreads(1)
    img = np.random.default_rng(0).integers(0, 255, (1080, 1920), np.uint8)
    while True:
        cv2.GaussianBlur(img, (9, 9), 2.0)


class Load:
    """One busy process per core while inside the ``with`` block."""

    def __enter__(self) -> Load:
        import multiprocessing as mp
        import os

        self.procs = [mp.Process(target=_busy, daemon=True) for _ in range(os.cpu_count() or 1)]
        for p in self.procs:
            p.start()
        time.sleep(0.5)
        return self

    def __exit__(self, *_exc) -> None:
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            p.join()


def _cpu_s() -> float:
    """CPU time of this process, all its threads (s)."""
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def decode_fps(path: str, cpu: list[float] | None = None) -> float:
    """Sequential luma decode speed (frames/s); its CPU per frame (ms) appended to ``cpu``."""
    with VideoSource(path) as src:
        c, t = _cpu_s(), time.perf_counter()
        n = sum(1 for _ in src.gray_frames())
        fps = n / (time.perf_counter() - t)
    if cpu is not None:
        cpu.append((_cpu_s() - c) / n * 1e3)
    return fps


def label_floor(truth: np.ndarray) -> None:
    """What the hand labels themselves allow: their own smoothed curve, seeded the same way
    (offset fixed by the frame-0 label), scored against them. A perfect tracker of one
    image point can do no better, because the frame-0 click's own error stays as an
    offset and every other click adds its own."""
    from scipy.signal import savgol_filter

    d2 = np.diff(truth, 2, axis=0)
    sigma = d2.std(axis=0) / np.sqrt(6)
    print(f"  label jitter (second differences): x {sigma[0]:.2f} px, y {sigma[1]:.2f} px")
    for window, order in ((9, 2), (15, 2), (21, 3)):
        smooth = savgol_filter(truth, window, order, axis=0)
        seeded = smooth + (truth[0] - smooth[0])
        e = np.hypot(*(seeded - truth).T)
        print(f"  labels' own {window}-frame smoothed curve, seeded at frame 0: "
              f"mean {e.mean():.2f} px, max {e.max():.2f} px")


def speed(name: str, path: str, n: int, seed: tuple[float, float], label: str):
    """Decode and tracking rounds in alternation (decode speed swings by 10-20 % from run
    to run on a shared machine); prints the ratio of their medians; returns the last track."""
    limits, speeds, plain = [], [], []
    dec_cpu: list[float] = []
    trk_cpu: list[float] = []
    tr = None
    for _ in range(ROUNDS):
        limits.append(decode_fps(path, dec_cpu))
        with VideoSource(path) as src:
            c, t = _cpu_s(), time.perf_counter()
            tr = BarTracker().track(src, 0, seed)
            speeds.append(n / (time.perf_counter() - t))
            trk_cpu.append((_cpu_s() - c) / n * 1e3)
        with VideoSource(path) as src:
            t = time.perf_counter()
            BarTracker().track(src, 0, seed, camera=False)
            plain.append(n / (time.perf_counter() - t))
    limit, fps = float(np.median(limits)), float(np.median(speeds))
    ratios = np.array(speeds) / np.array(limits)
    print(f"\n== {name}: {n} frames, {ROUNDS} alternating rounds, {label} "
          f"(load average {os.getloadavg()[0]:.1f}), target {tr.target_name}")
    print(f"  sequential decode (luma): median {limit:.0f} frames/s "
          f"({min(limits):.0f}-{max(limits):.0f})")
    print(f"  full tracking pass:       median {fps:.0f} frames/s ({min(speeds):.0f}-{max(speeds):.0f})"
          " (camera motion estimated)")
    print(f"  ratio of medians:         {fps / limit:.2f}x the decode limit "
          f"(round by round {ratios.min():.2f}-{ratios.max():.2f}, target >= 0.80)")
    print(f"  without camera motion:    median {np.median(plain):.0f} frames/s "
          f"({np.median(plain) / limit:.2f}x)")
    # the machine's other load moves the speeds by tens of % from round to round; the CPU
    # each frame costs moves much less: on two busy cores, the speeds' ratio tends to this
    dc, tc = float(np.median(dec_cpu)), float(np.median(trk_cpu))
    print(f"  CPU per frame:            decode {dc:.2f} ms, tracking pass {tc:.2f} ms "
          f"(all threads; ratio {dc / tc:.2f}, rounds {min(trk_cpu):.2f}-{max(trk_cpu):.2f})")
    return tr


def main() -> None:
    from analysis.synth.lift_clip import make_lift_clip
    from analysis.synth.motion import demo_script

    clip = Path("/tmp/liftlens-bench-lift-1080p.mp4")
    if not clip.exists():
        print("generating a 1080p30 lift clip (once)…")
        make_lift_clip(clip, demo_script(), size=(1920, 1080), px_per_m=800.0, crf=20,
                       noise=2.0)
    truth = None
    runs = [("synthetic 1080p30 lift", str(clip), None)]
    speed_only = "--speed-only" in sys.argv
    small = DATA / "videos" / "lukestynes__bar-path-tracker__small-squat.mp4"
    gt_file = DATA / "groundtruth" / "small-squat" / "small-squat_man_anno.txt"
    if small.exists() and not speed_only:
        runs.append(("small-squat 1080x1920 60 fps (hand-labelled)", str(small), gt_file))
    for name, path, gt in runs:
        with VideoSource(path) as src:
            n = src.frame_count
            if gt is not None:
                truth = np.loadtxt(gt, delimiter=",")
                seed = (truth[0, 0], truth[0, 1])
            else:
                from analysis.calibration.scale import detect_plate
                import cv2

                found = detect_plate(cv2.cvtColor(src.read(0).image, cv2.COLOR_BGR2GRAY))
                seed = (found[0], found[1])
        tr = None
        for label, loaded in (("as the machine is", False), ("under the benchmark's own load", True)):
            if loaded:
                with Load():
                    tr = speed(name, path, n, seed, label)
            else:
                tr = speed(name, path, n, seed, label)
        assert tr is not None
        print(f"  frames lost: {int((~np.isfinite(tr.x)).sum())}; camera "
              f"{'moved: ' + tr.notes[-1] if tr.camera_moved else 'still (track unchanged)'}")
        if gt is not None:
            err = np.hypot(tr.x - truth[:, 0], tr.y - truth[:, 1])
            print(f"  error vs hand labels: mean {np.nanmean(err):.2f} px, max {np.nanmax(err):.2f} px, "
                  f"> 10 px: {(err > 10).mean() * 100:.1f} % of frames")
            label_floor(truth)
    if not speed_only:
        reproducers()


def reproducers() -> None:
    """The issue #12 clips: share of labelled frames within 10 % of the plate diameter (at
    least 6 px) and the mean error, seeded at the first label (as their score_clip.py)."""
    import json

    cases = DATA.parent / "cases" / "tracking"
    if not cases.is_dir():
        print(f"\n(no {cases}: reproducers skipped)")
        return
    print("\n== issue #12 reproducers (seeded at the first label)")
    for name in ("parallax", "parallax_k0", "marker_trail_only", "marker_both"):
        clip, labels = cases / f"{name}.mp4", cases / f"{name}.labels.json"
        if not clip.exists():
            continue
        lab = [v for v in json.loads(labels.read_text())["labels"] if v.get("visible", True)]
        s = lab[0]
        with VideoSource(str(clip)) as src:
            tr = BarTracker().track(src, int(s["frame"]), (s["x"], s["y"]))
        errs, hits = [], 0
        for v in lab[1:]:
            f = int(v["frame"])
            e = float(np.hypot(tr.x[f] - v["x"], tr.y[f] - v["y"]))
            if np.isfinite(e):
                errs.append(e)
                hits += e <= max(0.2 * float(v.get("r") or 50), 6.0)
        print(f"  {name:18s} {tr.target_name:15s} hit {100 * hits / (len(lab) - 1):5.1f} %  "
              f"lost {len(lab) - 1 - len(errs):3d}  mean {np.mean(errs):.2f} px  "
              f"max {np.max(errs):.1f} px")


if __name__ == "__main__":
    main()
