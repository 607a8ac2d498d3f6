"""Generated clips for the export tests: numbered pictures, optionally with clicks in the sound."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from analysis.synth.barcode import BarcodeSpec, draw_number, make_barcode_clip

SAMPLE_RATE = 48000
#: A click (5 ms full-scale burst) starts with every frame whose number is a multiple of this.
CLICK_EVERY = 10
CLICK_S = 0.005


def numbered(folder: Path, name: str, spec: BarcodeSpec) -> tuple[Path, np.ndarray]:
    """A numbered clip (generated once per folder) and its true frame times (s)."""
    path = folder / f"export-{name}.mp4"
    times_file = folder / f"export-{name}.times.npy"
    if not path.exists() or not times_file.exists():
        np.save(times_file, make_barcode_clip(path, spec))
    return path, np.load(times_file)


def click_times(frames: int, fps: float) -> np.ndarray:
    """When the clicks of :func:`numbered_with_sound` start (s)."""
    return np.arange(0, frames, CLICK_EVERY) / fps


def numbered_with_sound(folder: Path, frames: int = 90, fps: float = 30.0,
                        size: tuple[int, int] = (320, 240)) -> Path:
    """A numbered clip with an AAC stereo track: silence with a click at every 10th frame."""
    path = folder / f"export-av-{frames}-{fps:g}.mp4"
    if path.exists():
        return path
    w, h = size
    total = int(round(frames / fps * SAMPLE_RATE))
    pcm = np.zeros(total, np.float32)
    n_click = int(CLICK_S * SAMPLE_RATE)
    for t in click_times(frames, fps):
        i = int(round(t * SAMPLE_RATE))
        pcm[i:i + n_click] = 0.8 * np.sign(np.sin(np.arange(len(pcm[i:i + n_click])) * 0.7) + 1e-9)
    with av.open(str(path), mode="w") as out:
        vs = out.add_stream("libx264", rate=Fraction(fps).limit_denominator(1001))
        vs.width, vs.height, vs.pix_fmt = w, h, "yuv420p"
        vs.options = {"preset": "ultrafast", "g": "30", "bf": "2"}
        aus = out.add_stream("aac", rate=SAMPLE_RATE)
        aus.layout = "stereo"
        a_pos = 0
        for n in range(frames):
            vf = av.VideoFrame.from_ndarray(draw_number(n, w, h), format="bgr24")
            vf.pts = n
            vf.time_base = Fraction(1) / Fraction(fps).limit_denominator(1001)
            for p in vs.encode(vf):
                out.mux(p)
            goal = int(round((n + 1) / fps * SAMPLE_RATE))
            while a_pos < goal:
                chunk = pcm[a_pos:min(goal, a_pos + 1024)]
                af = av.AudioFrame.from_ndarray(np.stack([chunk, chunk]), format="fltp",
                                                layout="stereo")
                af.sample_rate = SAMPLE_RATE
                af.pts = a_pos
                af.time_base = Fraction(1, SAMPLE_RATE)
                for p in aus.encode(af):
                    out.mux(p)
                a_pos += len(chunk)
        for p in vs.encode(None):
            out.mux(p)
        for p in aus.encode(None):
            out.mux(p)
    return path


def decode_sound(path: Path) -> tuple[np.ndarray, float]:
    """Mono samples of the first audio track and the time (s) of the first sample."""
    with av.open(str(path)) as c:
        stream = c.streams.audio[0]
        chunks, t0 = [], None
        for frame in c.decode(stream):
            if t0 is None:
                t0 = float(frame.pts * frame.time_base) if frame.pts is not None else 0.0
            chunks.append(frame.to_ndarray().reshape(frame.layout.nb_channels, -1)[0])
    return np.concatenate(chunks), float(t0 or 0.0)


def onsets(samples: np.ndarray, t0: float, rate: int = SAMPLE_RATE,
           threshold: float = 0.3) -> np.ndarray:
    """Start times (s) of the clicks in ``samples`` (first sample at ``t0``)."""
    loud = np.abs(samples) > threshold
    starts = np.flatnonzero(loud[1:] & ~loud[:-1]) + 1
    if loud[0]:
        starts = np.concatenate([[0], starts])
    # merge onsets closer than 20 ms (one click rings for 5 ms)
    keep = [s for i, s in enumerate(starts) if i == 0 or s - starts[i - 1] > 0.02 * rate]
    return t0 + np.asarray(keep, float) / rate
