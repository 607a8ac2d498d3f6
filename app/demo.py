"""The demo clip shown when LiftLens starts without a file."""

from __future__ import annotations

from pathlib import Path

from app.settings import data_dir

DEMO_NAME = "liftlens-demo-v1.mp4"


def demo_path() -> Path:
    return data_dir() / "demo" / DEMO_NAME


def ensure_demo_clip() -> Path:
    """Generate the demo clip once into the user data folder (called off the GUI thread)."""
    path = demo_path()
    if path.exists() and path.stat().st_size > 0:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".partial.mp4")
    try:
        from analysis.synth.lift_clip import make_demo_clip
    except ImportError:  # the lift renderer is not in this build: a numbered clip still shows
        from analysis.synth.barcode import BarcodeSpec, make_barcode_clip

        make_barcode_clip(tmp, BarcodeSpec(frames=300, width=1280, height=720, gop=60))
    else:
        make_demo_clip(tmp)
    tmp.replace(path)
    return path
