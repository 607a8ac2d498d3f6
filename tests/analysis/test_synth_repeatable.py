"""Generated clips are the same file on every run, so a test's figures cannot move with
whatever memory the process freed before (x264's AVX-512 macroblock-tree code reads memory
it never wrote at 480 px wide and other widths; see
analysis.synth.encode.x264_repeatable_params)."""

from __future__ import annotations

import hashlib

import numpy as np

from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from analysis.video.source import VideoSource

SCRIPT = LiftScript(reps=(RepSpec(0.8, 0.2, 0.6, 0.3, 0.5),), setup=0.3, end_idle=0.3)


def _md5(path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_the_same_script_gives_the_same_file_after_other_work(tmp_path):
    # 480x270: 30 macroblocks a row, the width whose files differed run to run; the
    # rendering's own noise (a fresh array each frame) is the "other work" in between
    digests = []
    for k in range(3):
        path = tmp_path / f"squat{k}.mp4"
        truth = make_lift_clip(path, SCRIPT, size=(480, 270), px_per_m=220.0)
        # more freed memory of another size between runs
        np.random.default_rng(k).normal(0, 2, (270 + 40 * k, 480, 3)).sum()
        digests.append(_md5(path))
    assert digests[1:] == digests[:1] * 2
    # and the file is a real clip of every rendered picture
    with VideoSource(tmp_path / "squat0.mp4") as src:
        assert src.frame_count == len(truth.times)
