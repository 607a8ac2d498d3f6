"""The clips of bench/bench_load.py, generated once into /tmp: a 20 s 1080p60 clip with
250-frame keyframe groups, and a 10 s 1080p30 lift clip with its plate's place in frame 0;
and the click on the real 1080p60 bench press clip (tests/analysis/test_tracking_real.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bench.common import textured_clip

GOP_CLIP = Path("/tmp/liftlens-bench-gop250-1080p60.mp4")
LIFT_CLIP = Path("/tmp/liftlens-bench-lift10-1080p30.mp4")
REAL_60_SEED = (1392.0, 140.0)



def make_gop_clip(path: Path, seconds: float = 20.0, fps: float = 60.0, gop: int = 250) -> None:
    """Textured, noisy 1080p60 footage with x264's default 250-frame keyframe interval."""
    textured_clip(path, seconds, fps, gop, period=80.0)


def make_lift(path: Path) -> tuple[float, float]:
    """A 10 s 1080p30 squat clip with a known plate; returns the plate centre in frame 0."""
    seed_file = path.with_suffix(".seed.npy")
    if not path.exists() or not seed_file.exists():
        from analysis.synth.lift_clip import make_lift_clip
        from analysis.synth.motion import demo_script

        print("generating a 10 s 1080p30 lift clip (once)…")
        tmp = path.with_suffix(".part.mp4")
        truth = make_lift_clip(tmp, demo_script(), size=(1920, 1080), px_per_m=800.0, crf=20,
                               noise=2.0, times=np.arange(300) / 30.0)
        np.save(seed_file, np.array([truth.x[0], truth.y[0]]))
        tmp.rename(path)
    sx, sy = np.load(seed_file)
    return float(sx), float(sy)
