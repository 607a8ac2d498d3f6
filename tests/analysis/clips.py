"""Generated numbered clips shared by the video-engine tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from analysis.synth.barcode import BarcodeSpec, make_barcode_clip

SPECS: dict[str, BarcodeSpec] = {
    "cfr": BarcodeSpec(frames=90),
    "vfr": BarcodeSpec(frames=90, vfr=True),
    "rot90": BarcodeSpec(frames=60, rotation=90),
    "rot270": BarcodeSpec(frames=40, rotation=270),
    "longgop": BarcodeSpec(frames=300, gop=250, bframes=0),
    "bframes": BarcodeSpec(frames=120, gop=48, bframes=3),
    "fps60": BarcodeSpec(frames=120, fps=60.0, gop=60, width=240, height=320),
}


def numbered_clip(folder: Path, name: str) -> tuple[Path, np.ndarray, BarcodeSpec]:
    """Path, true timestamps and spec of a named clip, generated once per folder."""
    spec = SPECS[name]
    path = folder / f"{name}.mp4"
    times_file = folder / f"{name}.times.npy"
    if not path.exists() or not times_file.exists():
        np.save(times_file, make_barcode_clip(path, spec))
    return path, np.load(times_file), spec
