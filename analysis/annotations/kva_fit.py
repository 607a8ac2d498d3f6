"""Fit a Kinovea file made on one video onto the clip it is imported into.

A ``.kva`` file belongs to the video Kinovea had open: its positions are pixels of that
picture (``ImageSize``) and its times are that video's timestamps. Imported onto
another clip (another size, another frame rate, another length):

Times
    Each drawing and key moment goes where Kinovea showed it *in time* (the file's
    own time base, see :mod:`analysis.annotations.kva`), on the clip's frame nearest
    that time. A frame number would put a 60 fps file's drawing at twice its time on
    a 30 fps clip. What lies after the clip's last frame is not imported (listed).

Positions
    One factor across and down, so angles read the same and circles stay round:
    the file's picture is fitted inside the clip's and centred, as a player
    letterboxes a video of another shape (same shape: the whole picture, no offset).
    Scaling each axis on its own would squash a 848×480 file into a 360×480 clip
    by 0.42 across and 1.0 down and change every angle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np

from analysis.annotations.style import AnnotationError

#: Aspect ratios closer than this (relative) are "the same shape" (rounded even sizes)
SAME_SHAPE = 0.01
#: Frame rates closer than this (relative) are "the same" (29.97 against 30 is not)
SAME_RATE = 0.0005


class OutsideClip(AnnotationError):
    """A time the clip does not reach; the message says where it is, for the user."""


@dataclass(frozen=True)
class PictureFit:
    """How a file's picture sits in the clip's: ``(x, y) -> (x * scale + dx, y * scale + dy)``.

    Attributes
    ----------
    scale : float
        Clip pixels per file pixel, the same across and down.
    dx, dy : float
        Offset of the fitted picture in the clip (px), centring it.
    note : str
        A plain sentence on what was done; empty when the sizes are the same.
    """

    scale: float = 1.0
    dx: float = 0.0
    dy: float = 0.0
    note: str = ""

    def apply(self, x: float, y: float) -> tuple[float, float]:
        """The clip pixel of the file's pixel ``(x, y)``."""
        return (x * self.scale + self.dx, y * self.scale + self.dy)


def fit_picture(file_size: tuple[int, int] | None,
                clip_size: tuple[int, int] | None) -> PictureFit:
    """The uniform fit of a ``file_size`` (w, h) picture into ``clip_size`` (w, h), px.

    Without either size the file's coordinates are kept, and the note says so when only
    the file's is missing (the drawings may not line up).
    """
    if clip_size is None:
        return PictureFit()
    if file_size is None:
        return PictureFit(note="The file does not say the size of its picture: positions "
                               "were kept as they are and may not line up with this clip.")
    (fw, fh), (cw, ch) = file_size, clip_size
    if (fw, fh) == (cw, ch):
        return PictureFit()
    scale = min(cw / fw, ch / fh)
    dx, dy = (cw - fw * scale) / 2, (ch - fh * scale) / 2
    sizes = f"It was drawn on a {fw}×{fh} picture; this clip is {cw}×{ch}"
    if abs((fw / fh) / (cw / ch) - 1) <= SAME_SHAPE:
        return PictureFit(scale, dx, dy, f"{sizes}: positions were scaled by {scale:.3g}.")
    where = "across the middle" if dy > dx else "down the middle"
    return PictureFit(scale, dx, dy,
                      f"{sizes}, another shape: positions were scaled by {scale:.3g} the "
                      f"same way across and down (angles and circles keep their shape) and "
                      f"centred {where}, as a player fits a video of that shape. They may "
                      "not line up with this clip's picture.")


def snap_to_frame(t: float, frame_times: np.ndarray | None, end: float | None) -> float:
    """The time (s) of the clip's frame nearest ``t`` s.

    Parameters
    ----------
    t : float
        Seconds from the first frame, as the file puts it.
    frame_times : numpy.ndarray or None
        Seconds of every frame of the clip from its first (sorted); None keeps ``t``.
    end : float or None
        Seconds from the first frame to the end of the last one.

    Raises
    ------
    OutsideClip
        When ``t`` is after the clip's end or before its start (by over half a frame).
    """
    if frame_times is None or len(frame_times) == 0:
        return t
    last = float(frame_times[-1])
    half = (end - last) / 2 if end is not None and end > last else 0.0
    if t > last + half + 1e-9:
        length = end if end is not None else last
        raise OutsideClip(f"at {t:.2f} s, after the end of this clip ({length:.2f} s long)")
    if t < float(frame_times[0]) - half - 1e-9:
        raise OutsideClip(f"at {t:.2f} s, before the start of this clip")
    i = int(np.searchsorted(frame_times, t))
    near = [j for j in (i - 1, i) if 0 <= j < len(frame_times)]
    return float(min((float(frame_times[j]) for j in near), key=lambda v: abs(v - t)))


def rate_note(file_fps: float, clip_fps: float | None, approx: bool = False) -> str:
    """A sentence when the file's video ran at another frame rate than the clip
    (``approx``: the file's rate is estimated from its time labels)."""
    if clip_fps is None or not (math.isfinite(clip_fps) and clip_fps > 0):
        return ""
    if abs(file_fps / clip_fps - 1) <= (0.01 if approx else SAME_RATE):
        return ""
    rate = f"about {file_fps:.3g}" if approx else f"{file_fps:.4g}"
    return (f"Its video ran at {rate} frames/s, this clip at {clip_fps:.4g}: drawings "
            "and key moments were placed at Kinovea's times, on this clip's nearest frame.")


def name_note(file_name: str, clip_name: str | None) -> str:
    """A sentence when the file names another video than the clip (names without folder
    or extension, compared without case)."""
    if not file_name.strip() or not clip_name:
        return ""
    full = PurePath(file_name.strip().replace("\\", "/")).name
    ours = PurePath(clip_name).stem
    if ours.casefold() in (full.casefold(), PurePath(full).stem.casefold()):
        return ""
    theirs = full
    return f"It was made on a video named “{theirs}”, not on this clip (“{ours}”)."
