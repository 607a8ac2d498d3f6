"""Slow-motion clips as phones write them, with exact real-time truth.

Android's camera records e.g. 120 pictures per real second, time-stamps them at the
playback rate (30 fps, so players show the clip 4x slower) and writes the capture
rate into the MP4 as ``com.android.capture.fps``: in a ``meta`` box of ``mdta``
keys, the value a big-endian 32-bit float (``ilst`` data type 23). FFmpeg, asked
to keep such a tag (``-movflags use_metadata_tags``), writes the same key with the
value as text in ``moov/udta/meta``. Both are made here, so the reader is tested
on both spellings.
"""

from __future__ import annotations

import os
import shutil
import struct

import av
import numpy as np

from analysis.synth.lift_clip import PLATE_DIAMETER_M, ClipTruth, render_clip
from analysis.synth.motion import LiftScript, duration, sample

ANDROID_KEY = "com.android.capture.fps"


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _mdta_meta_box(key: str, value: bytes, data_type: int) -> bytes:
    """A QuickTime ``meta`` box with one ``mdta`` key and its value (ISO/IEC 14496-12 and
    the QuickTime File Format's metadata keys)."""
    hdlr = _box(b"hdlr", b"\0" * 4 + b"\0" * 4 + b"mdta" + b"\0" * 12 + b"\0")
    keys = _box(b"keys", b"\0" * 4 + struct.pack(">I", 1) + _box(b"mdta", key.encode()))
    data = _box(b"data", struct.pack(">I", data_type) + b"\0" * 4 + value)
    ilst = _box(b"ilst", _box(struct.pack(">I", 1), data))
    return _box(b"meta", b"\0" * 4 + hdlr + keys + ilst)


def _top_boxes(blob: bytes) -> list[tuple[bytes, int, int]]:
    out, off = [], 0
    while off + 8 <= len(blob):
        size, kind = struct.unpack(">I4s", blob[off:off + 8])
        if size == 1:
            size = struct.unpack(">Q", blob[off + 8:off + 16])[0]
        elif size == 0:
            size = len(blob) - off
        if size < 8:
            break
        out.append((kind, off, size))
        off += size
    return out


def tag_capture_fps(src: str | os.PathLike[str], dst: str | os.PathLike[str], fps: float,
                    encoding: str = "float") -> None:
    """Copy MP4 ``src`` to ``dst`` with ``com.android.capture.fps = fps``.

    ``encoding="float"``: as Android's muxer writes it (a ``moov/meta`` box, 32-bit
    float); the file's ``moov`` must be its last box (PyAV's default layout).
    ``encoding="text"``: as FFmpeg writes it (``moov/udta/meta``, text ``"120.000000"``).
    """
    src, dst = os.fspath(src), os.fspath(dst)
    if encoding == "text":
        with av.open(src) as inp, av.open(dst, mode="w", format="mp4",
                                          options={"movflags": "use_metadata_tags"}) as out:
            istream = inp.streams.video[0]
            ostream = out.add_stream_from_template(istream)
            out.metadata[ANDROID_KEY] = f"{fps:f}"
            for p in inp.demux(istream):
                if p.size == 0 or p.dts is None:
                    continue
                p.stream = ostream
                out.mux(p)
        return
    if encoding != "float":
        raise ValueError(f"unknown encoding {encoding!r}: 'float' or 'text'")
    with open(src, "rb") as f:
        blob = bytearray(f.read())
    boxes = _top_boxes(bytes(blob))
    kind, off, size = boxes[-1]
    if kind != b"moov" or off + size != len(blob):
        raise ValueError("the clip's moov box is not last; write it without faststart")
    meta = _mdta_meta_box(ANDROID_KEY, struct.pack(">f", fps), 23)
    struct.pack_into(">I", blob, off, size + len(meta))
    tmp = dst + ".part"
    with open(tmp, "wb") as f:
        f.write(bytes(blob) + meta)
    shutil.move(tmp, dst)


def make_slowmo_clip(path: str | os.PathLike[str], script: LiftScript, *,
                     capture_fps: float = 120.0, playback_fps: float = 30.0,
                     encoding: str | None = "float", size: tuple[int, int] = (480, 270),
                     px_per_m: float = 200.0, **render) -> ClipTruth:
    """A slow-motion clip of ``script``: one picture per ``1/capture_fps`` real seconds,
    time-stamped ``1/playback_fps`` apart, tagged with the capture rate (``encoding``
    "float" or "text"; None = untagged, as a re-encoded copy would be).

    Returns the truth in **real time** (``times`` and the reps' phase times are real
    seconds; the file's timestamps are ``times * capture_fps / playback_fps``).
    """
    real = np.arange(0, duration(script), 1.0 / capture_fps)
    file_times = np.arange(len(real)) / playback_fps
    xm, ym, truths = sample(script, real)
    w, h = size
    d_px = PLATE_DIAMETER_M * px_per_m
    x = w * 0.5 + xm * px_per_m
    y = h - 0.55 * d_px - ym * px_per_m
    path = os.fspath(path)
    raw = path if encoding is None else path + ".untagged.mp4"
    render_clip(raw, file_times, x, y, size=size, plate_diameter_px=d_px, fps=playback_fps,
                **render)
    if encoding is not None:
        tag_capture_fps(raw, path, capture_fps, encoding)
        os.remove(raw)
    return ClipTruth(real - real[0], x, y, 1.0 / px_per_m, d_px, truths)
