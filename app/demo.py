"""The demo clip shown when LiftLens starts without a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from app.settings import data_dir_path

#: v2: 854x480, rendered fast (a few seconds) on first start.
DEMO_NAME = "liftlens-demo-v2.mp4"

#: The session that keeps work done on the demo clip, when the user keeps it: of its
#: own, never a lifter's (README: "the demo clip stays out of sessions").
SESSION_NAME = "Demo clip"


def demo_path() -> Path:
    """The demo clip in the user data folder; when that folder cannot be written (and the
    clip is not there yet), in a private folder of the system's temporary folder."""
    path = data_dir_path() / "demo" / DEMO_NAME
    if path.exists() or _can_make(path.parent):
        return path
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"liftlens-demo-{user}" / DEMO_NAME


def _can_make(folder: Path) -> bool:
    """Whether ``folder`` exists writable or can be created (its nearest existing parent
    is writable; ``os.access`` also says no for an immutable or read-only-mounted one)."""
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder.is_dir() and os.access(folder, os.W_OK)


def ensure_demo_clip(progress: Callable[[int, int], None] | None = None) -> Path:
    """Generate the demo clip once into the user data folder (called off the GUI thread).

    ``progress(done, total)`` is called with the frames written so far.
    """
    path = demo_path()
    if path.exists() and path.stat().st_size > 0:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".partial.mp4")
    try:
        from analysis.synth.lift_clip import make_demo_clip
    except ImportError:  # the lift renderer is not in this build: a numbered clip still shows
        from analysis.synth.barcode import BarcodeSpec, make_barcode_clip

        make_barcode_clip(tmp, BarcodeSpec(frames=300, width=854, height=480, gop=60))
    else:
        make_demo_clip(tmp, progress=progress)
    tmp.replace(path)
    return path
