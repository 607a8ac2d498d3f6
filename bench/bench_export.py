"""Export benchmark: annotated 1080p30 export vs plain transcode vs sequential decode.

    .venv/bin/python bench/bench_export.py [VIDEO] [--seconds S] [--preset P] [--crf N]

Uses /tmp/liftlens-bench-60s-1080p30.mp4 (the player benchmark's generated clip)
when it exists, else generates a 20 s textured, noisy 1080p30 clip. Prints every
figure as frames/s, × real time (clip seconds per wall-clock second) and CPU
milliseconds per frame (all threads), plus the load average: the machine is
shared, so CPU ms/frame is the steadier figure. Target: the annotated 1080p30
export at ≥ 1.5× real time on two cores.

Measured here (2 cores shared with other jobs, 20 s of the 60 s clip, veryfast
crf 21, partitions=i8x8,i4x4): sequential decode 180-285 fps (5 CPU ms/frame);
annotated 1080p export 1.61x real time at load 3.0 (36-40 CPU ms/frame, of which
x264 is ~30), plain transcode 1.63x, 720p annotated 2.1x; the same export on one
thread (threaded=False) 1.14x. Under heavier load from other jobs the wall-clock
figures drop (down to ~1.1x at load 6); CPU ms/frame stays put, and bounds the
annotated 1080p export at ~1.7-1.8x real time on two idle cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.export import EncodeSettings, ExportFrame, export_clip  # noqa: E402
from analysis.export.writer import FAST_X264_PARAMS  # noqa: E402
from analysis.synth.encode import ClipWriter  # noqa: E402
from analysis.video import VideoSource, build_index  # noqa: E402

SHARED_CLIP = Path("/tmp/liftlens-bench-60s-1080p30.mp4")
OWN_CLIP = Path("/tmp/liftlens-bench-export-20s-1080p30.mp4")


def make_clip(path: Path, seconds: float = 20.0, fps: float = 30.0) -> None:
    """A 1080p clip with real texture, motion and sensor noise (compresses like footage)."""
    rng = np.random.default_rng(1)
    base = cv2.GaussianBlur(rng.integers(0, 255, (1400, 2400, 3), dtype=np.uint8), (0, 0), 3)
    base = cv2.addWeighted(base, 2.0, base, 0, -128)
    with ClipWriter(path, 1920, 1080, fps=fps, crf=20, gop=int(2 * fps), bframes=2,
                    preset="ultrafast") as wr:
        for n in range(int(seconds * fps)):
            x, y = int(200 + 150 * np.sin(n / 40)), int(150 + 100 * np.cos(n / 55))
            frame = base[y:y + 1080, x:x + 1920].copy()
            cv2.circle(frame, (960 + int(300 * np.sin(n / 20)), 540), 180, (40, 40, 40), -1)
            noise = rng.integers(-6, 7, frame.shape, dtype=np.int16)
            wr.write(np.clip(frame.astype(np.int16) + noise, 0, 255).astype(np.uint8))


def overlay(frame: ExportFrame, k: int) -> np.ndarray:
    """Stand-in for the Qt painter: a 50-segment bar path, a few drawings and a data HUD."""
    img = frame.image
    s = frame.scale
    t = frame.time
    pts = np.array([[frame.source_width * (0.45 + 0.05 * np.sin(t + i / 8)),
                     frame.source_height * (0.15 + 0.7 * i / 50)] for i in range(51)])
    pts = (pts * [frame.scale_x, frame.scale_y]).astype(np.int32)
    for i in range(50):  # 50 antialiased segments
        cv2.line(img, tuple(pts[i]), tuple(pts[i + 1]), (0, 165, 255), max(1, int(3 * s)),
                 cv2.LINE_AA)
    cv2.line(img, (int(200 * s), int(900 * s)), (int(700 * s), int(300 * s)), (255, 200, 0),
             max(1, int(4 * s)), cv2.LINE_AA)
    cv2.circle(img, tuple(pts[25]), int(40 * s), (0, 0, 255), max(1, int(3 * s)), cv2.LINE_AA)
    hud = img[int(20 * s):int(180 * s), int(20 * s):int(520 * s)]
    hud[:] = (hud.astype(np.uint16) * 2 // 5).astype(np.uint8)
    for i, text in enumerate((f"t {t:6.2f} s", f"v {0.42 + 0.1 * np.sin(t):.2f} m/s",
                              f"rep {1 + k // 90}  concentric")):
        cv2.putText(img, text, (int(36 * s), int((64 + 44 * i) * s)), cv2.FONT_HERSHEY_SIMPLEX,
                    1.1 * s, (255, 255, 255), max(1, int(2 * s)), cv2.LINE_AA)
    return img


def cpu_s() -> float:
    t = os.times()
    return t.user + t.system


def measure(label: str, frames: int, clip_s: float, fn: Callable[[], object]) -> None:
    load = os.getloadavg()[0]
    c0, t0 = cpu_s(), time.perf_counter()
    fn()
    wall, cpu = time.perf_counter() - t0, cpu_s() - c0
    print(f"{label:<34} {frames / wall:7.1f} fps  {clip_s / wall:5.2f}x real time  "
          f"{1e3 * cpu / frames:6.1f} CPU ms/frame  (load before {load:.1f})", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("video", nargs="?")
    ap.add_argument("--seconds", type=float, default=None, help="export only the first S s")
    ap.add_argument("--preset", default=EncodeSettings().preset)
    ap.add_argument("--crf", type=int, default=EncodeSettings().crf)
    ap.add_argument("--x264-params", default=FAST_X264_PARAMS)
    ap.add_argument("--skip-sequential", action="store_true",
                    help="skip the single-thread (threaded=False) comparison run")
    args = ap.parse_args()
    if args.video:
        clip = Path(args.video)
    elif SHARED_CLIP.exists():
        clip = SHARED_CLIP
    else:
        clip = OWN_CLIP
        if not clip.exists():
            print(f"generating {clip} …", flush=True)
            make_clip(clip)
    index = build_index(str(clip))
    last = index.frame_count - 1
    if args.seconds is not None:
        last = min(last, index.frame_at_time(args.seconds) - 1)
    frames = last + 1
    clip_s = float(index.times[last] + index.frame_interval(last))
    settings = EncodeSettings(preset=args.preset, crf=args.crf, x264_params=args.x264_params)
    print(f"{clip.name}: {index.width}x{index.height} {index.nominal_fps:g} fps, {frames} frames "
          f"({clip_s:.1f} s); {os.cpu_count()} cores; x264 {settings.preset} crf {settings.crf} "
          f"{settings.x264_params or '(no extra params)'}", flush=True)

    def decode() -> None:
        with VideoSource(str(clip), index) as src:
            for _ in src.packed_frames(0, frames):
                pass

    def decode_bgr() -> None:
        with VideoSource(str(clip), index) as src:
            for p in src.packed_frames(0, frames):
                p.to_bgr()

    with tempfile.TemporaryDirectory(prefix="liftlens-bench-export-") as tmp:
        def export(name: str, **kw: object) -> Callable[[], object]:
            def run() -> object:
                out = Path(tmp) / name
                result = export_clip(clip, out, end_frame=last, index=index, settings=settings,
                                     overwrite=True, **kw)  # type: ignore[arg-type]
                run.size = out.stat().st_size  # type: ignore[attr-defined]
                return result
            return run

        measure("sequential decode (I420)", frames, clip_s, decode)
        measure("sequential decode + BGR", frames, clip_s, decode_bgr)
        plain = export("plain.mp4")
        measure("plain transcode (no overlay)", frames, clip_s, plain)
        annotated = export("annotated.mp4", render=overlay)
        measure("annotated export 1080p", frames, clip_s, annotated)
        mbit = 8 * annotated.size / clip_s / 1e6  # type: ignore[attr-defined]
        print(f"{'':<34} output {mbit:.1f} Mbit/s")
        measure("annotated export 720p", frames, clip_s,
                export("annotated720.mp4", render=overlay, size="720p"))
        if not args.skip_sequential:
            measure("annotated 1080p, one thread", frames, clip_s,
                    export("annotated1.mp4", render=overlay, threaded=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
