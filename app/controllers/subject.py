"""The video an analysis action acts on: the one on screen, or in a comparison the side
the user selected (clicked). Tracking, finding the plate, measuring the plate and
clearing a track take one of these, so they never reach the main video hidden behind a
comparison."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analysis.session.document import Recording
from analysis.video.frames import Frame
from analysis.video.index import VideoIndex
from widgets.video_canvas import VideoCanvasWidget

#: the main view (no comparison side)
MAIN = -1


@dataclass(frozen=True)
class Subject:
    """One video an analysis action acts on.

    Attributes
    ----------
    recording : Recording
        Holds its track, calibration and rep corrections.
    path : str
        Where its video is now (a recording found again after a move keeps its old path).
    video : VideoIndex
    canvas : VideoCanvasWidget
        Where it is shown: clicks, the cursor and the cyan circles go there.
    position : callable
        The frame it shows (or is about to show) now.
    shown : callable
        The frame on its canvas now (None while none is decoded).
    seek : callable
        Show frame ``n`` of it (in a comparison: the common time where it shows ``n``).
    side : int
        0 (A) or 1 (B) in a comparison, :data:`MAIN` for the main view.
    """

    recording: Recording
    path: str
    video: VideoIndex
    canvas: VideoCanvasWidget
    position: Callable[[], int]
    shown: Callable[[], Frame | None]
    seek: Callable[[int], None]
    side: int = MAIN

    @property
    def name(self) -> str:
        """"side B: " in a comparison (to start a message), "" for the main view."""
        return f"Side {'AB'[self.side]}: " if self.side != MAIN else ""
