"""Clips whose every frame carries its own number as a block code.

Each frame shows ``BITS`` large black/white blocks (plus a start and a parity
block) that survive H.264 compression, so a test can decode any picture back
to the frame number it was made as.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import av
import cv2
import numpy as np

from analysis.synth.encode import TIME_BASE, ClipWriter

BITS = 12
_ROWS = 2  # blocks are laid out on two rows of BITS/2


@dataclass(frozen=True)
class BarcodeSpec:
    """How to encode a numbered clip (all sizes in coded pixels)."""

    frames: int = 90
    width: int = 320
    height: int = 240
    fps: float = 30.0
    gop: int = 30
    bframes: int = 2
    rotation: int = 0
    vfr: bool = False
    crf: int = 23
    faststart: bool = False


def _block_rect(bit: int, w: int, h: int) -> tuple[int, int, int, int]:
    per_row = BITS // _ROWS
    bw, bh = w // (per_row + 2), h // 6
    row, col = divmod(bit, per_row)
    x0, y0 = bw * (col + 1), bh * (1 + 2 * row)
    return x0, y0, bw, bh


def draw_number(n: int, w: int, h: int) -> np.ndarray:
    """A BGR picture of frame ``n``: grey background, code blocks, a moving marker."""
    img = np.full((h, w, 3), 96, np.uint8)
    for bit in range(BITS):
        x0, y0, bw, bh = _block_rect(bit, w, h)
        on = (n >> bit) & 1
        cv2.rectangle(img, (x0 + 2, y0 + 2), (x0 + bw - 3, y0 + bh - 3),
                      (255, 255, 255) if on else (0, 0, 0), -1)
    # An upright arrow in the bottom-left tells the orientation in screenshots.
    cv2.putText(img, f"{n}", (4, h - 8), cv2.FONT_HERSHEY_SIMPLEX, h / 400, (0, 255, 255), 1)
    cv2.rectangle(img, (0, 0), (w // 10, h // 20), (0, 0, 255), -1)  # red tab = top-left
    return img


def read_number(image_bgr: np.ndarray, rotation: int = 0) -> int:
    """Decode the frame number from a displayed picture (undoing display ``rotation``)."""
    img = image_bgr
    if rotation == 90:
        img = cv2.rotate(img, cv2.ROTATE_90_COUNTERCLOCKWISE)
    elif rotation == 180:
        img = cv2.rotate(img, cv2.ROTATE_180)
    elif rotation == 270:
        img = cv2.rotate(img, cv2.ROTATE_90_CLOCKWISE)
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    h, w = gray.shape
    n = 0
    for bit in range(BITS):
        x0, y0, bw, bh = _block_rect(bit, w, h)
        patch = gray[y0 + bh // 4: y0 + 3 * bh // 4, x0 + bw // 4: x0 + 3 * bw // 4]
        if float(patch.mean()) > 128:
            n |= 1 << bit
    return n


def vfr_times(frames: int, fps: float, seed: int = 7) -> np.ndarray:
    """Irregular timestamps (s) around ``fps``: spacing varies from 0.6× to 1.8× the nominal."""
    rng = np.random.default_rng(seed)
    d = (1.0 / fps) * rng.uniform(0.6, 1.8, size=frames)
    d[0] = 0.0
    return np.cumsum(d)


def make_barcode_clip(path: str | os.PathLike[str], spec: BarcodeSpec = BarcodeSpec()
                      ) -> np.ndarray:
    """Write a numbered clip and return the presentation time (s) of every frame."""
    times = vfr_times(spec.frames, spec.fps) if spec.vfr else np.arange(spec.frames) / spec.fps
    # Quantise to the writer's time base so the returned truth is exact.
    times = np.round(times / float(TIME_BASE)) * float(TIME_BASE)
    with ClipWriter(path, spec.width, spec.height, fps=spec.fps, crf=spec.crf, gop=spec.gop,
                    bframes=spec.bframes, rotation=spec.rotation,
                    faststart=spec.faststart) as writer:
        for n, t in enumerate(times):
            writer.write(draw_number(n, spec.width, spec.height), float(t))
    return times - times[0]


def trim_with_edit_list(src: str | os.PathLike[str], dst: str | os.PathLike[str],
                        cut_frame: int) -> int:
    """Stream-copy ``src`` from ``cut_frame`` on, the way phones trim clips.

    The copy starts at the keyframe before the cut, so it keeps packets that lie
    before the edit list's start: they are decoded but never shown. Returns the
    number of frames the trimmed clip should show.
    """
    with av.open(os.fspath(src)) as inp, av.open(os.fspath(dst), mode="w") as out:
        istream = inp.streams.video[0]
        ostream = out.add_stream_from_template(istream)
        packets = [p for p in inp.demux(istream) if p.size and p.pts is not None]
        pts_sorted = sorted(p.pts for p in packets)
        cut_pts = pts_sorted[cut_frame]
        key_before = max(p.pts for p in packets if p.is_keyframe and p.pts <= cut_pts)
        start_dts: int | None = None
        for p in packets:  # decode order
            if p.pts < key_before and not _after_key(p, packets, key_before):
                continue
            if start_dts is None:
                start_dts = p.dts
            p.pts -= cut_pts
            p.dts -= cut_pts
            p.stream = ostream
            out.mux(p)
    return len(pts_sorted) - cut_frame


def _after_key(p: av.Packet, packets: Sequence[av.Packet], key_pts: int) -> bool:
    """True when ``p`` comes after the keyframe ``key_pts`` in decode order."""
    key_dts = next(q.dts for q in packets if q.pts == key_pts)
    return p.dts is not None and p.dts >= key_dts
