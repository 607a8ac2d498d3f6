"""A small H.264 writer for generated clips (tests, demo, benchmarks).

Writes real MP4 files with PyAV/libx264 so generated clips exercise the same
decoder paths as phone footage: B-frames, long GOPs, rotation metadata and
variable frame rates.
"""

from __future__ import annotations

import os
from fractions import Fraction

import av
import numpy as np

#: Fine time base so variable-rate timestamps are exact to ~11 µs.
TIME_BASE = Fraction(1, 90000)

#: x264's instruction sets below AVX-512, by their x264 names, each with the name numpy
#: gives the CPU feature (``numpy._core._multiarray_umath.__cpu_features__``).
_X264_ASM_BELOW_AVX512 = (("MMX2", "SSE"), ("SSE", "SSE"), ("SSE2", "SSE2"), ("SSE3", "SSE3"),
                          ("SSSE3", "SSSE3"), ("SSE4.1", "SSE41"), ("SSE4.2", "SSE42"),
                          ("AVX", "AVX"), ("AVX2", "AVX2"), ("FMA3", "FMA3"),
                          ("LZCNT", "LZCNT"), ("BMI1", "BMI"), ("BMI2", "BMI2"))


def _cpu_features() -> dict[str, bool]:
    try:
        from numpy._core._multiarray_umath import __cpu_features__
    except ImportError:  # another numpy layout: no cap, x264's own choice
        return {}
    return dict(__cpu_features__)


def x264_repeatable_params() -> dict[str, str]:
    """libx264 options that make the same pictures give the same file on every run.

    x264's AVX-512 code for its macroblock-tree rate control reads memory it never wrote
    when a row's macroblock count is not a multiple of 8 (seen at 160, 192, 320, 360, 480,
    540 and 960 px wide; steady at 512, 640 and 1280 px: 32, 40 and 80 macroblocks): the
    same pictures gave another file on each of 4 runs after the process had freed other
    data there, and a test's velocity loss read 21.8 % on one run and 23.4 % on another.
    Below AVX-512 (AVX2, AVX or SSE4.2 alike) x264 writes one and the same file, which is
    also one of those the uncapped runs gave, with rate control and file size unchanged
    (51 KB for the 480x270 test squat; turning the macroblock tree off instead gave
    271 KB). So a CPU with AVX-512 is capped below it, and writes the file of one without.

    Returns ``{"x264-params": "asm=..."}`` on an x86 CPU with AVX-512, else ``{}``
    (x264's own choice: nothing to cap; x86 names mean nothing to x264 on other CPUs).
    Only features the CPU has are named, so x264 is never told to use one it lacks.
    """
    feats = _cpu_features()
    if not feats.get("AVX512F"):
        return {}
    return {"x264-params": "asm=" + ",".join(x264 for x264, numpy_name in _X264_ASM_BELOW_AVX512
                                            if feats.get(numpy_name))}


class ClipWriter:
    """Encode BGR frames with explicit presentation times into an H.264 MP4.

    Parameters
    ----------
    path : str
        Output file (``.mp4`` or ``.mov``).
    width, height : int
        Coded size in pixels (even numbers).
    fps : float
        Nominal rate written to the header.
    crf : int
        x264 quality (lower is better; 18 is visually lossless).
    gop : int
        Maximum keyframe interval in frames.
    bframes : int
        Number of consecutive B-frames (0 disables them).
    rotation : int
        Clockwise display rotation stored as metadata (0, 90, 180, 270).
    preset : str
        x264 speed preset.
    faststart : bool
        Put the index (moov) before the pictures, as phones and web clips do.
    """

    def __init__(self, path: str | os.PathLike[str], width: int, height: int, *, fps: float = 30.0,
                 crf: int = 18, gop: int = 30, bframes: int = 2, rotation: int = 0,
                 preset: str = "veryfast", faststart: bool = False) -> None:
        options = {"movflags": "faststart"} if faststart else {}
        self._container = av.open(os.fspath(path), mode="w", options=options)
        rate = Fraction(fps).limit_denominator(1001)
        stream = self._container.add_stream("libx264", rate=rate)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.time_base = TIME_BASE
        stream.codec_context.time_base = TIME_BASE
        stream.options = {
            "crf": str(crf),
            "preset": preset,
            "g": str(gop),
            "keyint_min": str(min(gop, 25)),
            "bf": str(bframes),
            "sc_threshold": "0",
            # one encoding thread: x264's output depends on how many threads share the
            # frames (left to itself it counts the machine's CPUs), so the same script
            # gave other pictures on another machine and the tests' figures moved with it
            "threads": "1",
            **x264_repeatable_params(),
        }
        if rotation:
            # FFmpeg stores counter-clockwise degrees in the display matrix.
            stream.set_display_rotation(-rotation)
        self._stream = stream
        self._fps = fps
        self._count = 0

    def write(self, image_bgr: np.ndarray, t: float | None = None) -> None:
        """Encode one frame shown at ``t`` seconds (default: ``count / fps``)."""
        if t is None:
            t = self._count / self._fps
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(image_bgr), format="bgr24")
        frame.pts = int(round(t / TIME_BASE))
        frame.time_base = TIME_BASE
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        self._count += 1

    def close(self) -> None:
        for packet in self._stream.encode(None):
            self._container.mux(packet)
        self._container.close()

    def __enter__(self) -> ClipWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
