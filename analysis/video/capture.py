"""Slow motion: the rate a clip was *captured* at, against the rate its timestamps play at.

A phone's slow-motion clip stores, say, 120 pictures per real second but time-stamps
them 1/30 s apart, so every player shows it 4x slower than it happened. Measured
in the file's own seconds, the bar would look 4x slower than it was. LiftLens keeps
two clocks:

* **file time** (``VideoIndex.times``): what the player, the timeline, the frame
  cache and the stored bar track use;
* **real time** = file time x :attr:`TimeScale.factor`: what every number a lifter
  reads uses (velocities, phase times, tempo, plots, the export's speed and the
  times given on the command line).

Where the capture rate comes from, in order:

1. the user (the app's "Slow-motion capture rate" setting of a recording, or
   ``--capture-fps`` on the command line); 0 means "from the file";
2. the file: ``com.android.capture.fps`` (Android's camera writes it into the MP4's
   ``moov/meta`` or ``udta/meta`` ``mdta`` keys, as a 32-bit float (data type 23)
   or as text; FFmpeg reports both as text such as ``"120.000000"``). Android
   writes it for high-frame-rate clips too; when it equals the timestamps' rate
   the clip is real time;
3. otherwise the timestamps are real time.

iPhone Slo-Mo originals (``.MOV`` from Photos with "All Photos Data") store every
frame at its real capture time (120 or 240 frames per real second); the slow part
is a playback recipe (an edit list / an ``.AAE`` sidecar) that LiftLens does not
apply, so their numbers are already real time and they play at full speed.
Slow motion rendered into an ordinary 30 fps file (shared or exported from the
phone) carries no mark LiftLens can trust: the user sets the capture rate.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Container or stream metadata keys that give the capture rate (frames per real second).
CAPTURE_KEYS: tuple[str, ...] = ("com.android.capture.fps",)

#: A capture rate within this share of the timestamps' rate is real time (a 29.97 fps
#: clip tagged 30, an Android 60 fps recording tagged 60).
SAME_RATE_TOLERANCE = 0.03

#: Plausible capture rates (frames per real second).
MIN_CAPTURE_FPS, MAX_CAPTURE_FPS = 1.0, 10000.0


def parse_fps(value: object) -> float | None:
    """A frame rate from metadata text (``"120.000000"``, ``"120"``, ``"240/1"``), or None."""
    text = str(value).strip()
    try:
        if "/" in text:
            num, den = text.split("/", 1)
            fps = float(num) / float(den)
        else:
            fps = float(text)
    except (ValueError, ZeroDivisionError):
        return None
    return fps if math.isfinite(fps) and MIN_CAPTURE_FPS <= fps <= MAX_CAPTURE_FPS else None


def capture_fps_from_metadata(*tables: Mapping[str, Any]) -> tuple[float, str] | None:
    """``(fps, key)`` of the first capture-rate key found in metadata ``tables``
    (the container's, then the video stream's), or None."""
    for table in tables:
        for key in CAPTURE_KEYS:
            for k, v in table.items():
                if k.lower() == key:
                    fps = parse_fps(v)
                    if fps is not None:
                        return fps, key
    return None


def read_capture_fps(path: str) -> tuple[float, str] | None:
    """``(fps, key)`` a video file declares in its metadata, or None (also when the file
    cannot be opened). Reads the header only, no pictures."""
    import av

    try:
        with av.open(path, metadata_errors="ignore") as c:
            streams = [s.metadata for s in c.streams.video[:1]]
            return capture_fps_from_metadata(c.metadata, *streams)
    except (av.error.FFmpegError, OSError, UnicodeDecodeError, ValueError):
        return None


def check_capture_fps(fps: float) -> float:
    """``fps`` if it is a plausible capture rate, else ValueError in plain words."""
    if not (math.isfinite(fps) and MIN_CAPTURE_FPS <= fps <= MAX_CAPTURE_FPS):
        raise ValueError(f"a capture rate must be between {MIN_CAPTURE_FPS:g} and "
                         f"{MAX_CAPTURE_FPS:g} frames per second (got {fps:g})")
    return float(fps)


@dataclass(frozen=True)
class TimeScale:
    """How file time maps to real time for one recording.

    Attributes
    ----------
    capture_fps : float
        Frames per real second; 0 when unknown (the file is taken as real time).
    playback_fps : float
        Frames per second of the file's timestamps (its average rate).
    source : str
        ``"user"`` (a setting or ``--capture-fps``), ``"file"`` (metadata key
        :attr:`key`) or ``""`` (nothing known).
    key : str
        The metadata key read, when ``source == "file"``.
    """

    capture_fps: float = 0.0
    playback_fps: float = 0.0
    source: str = ""
    key: str = ""

    @property
    def factor(self) -> float:
        """Real seconds per file second (0.25 for 120 fps played at 30; 1 = real time)."""
        if not (self.capture_fps > 0 and self.playback_fps > 0):
            return 1.0
        f = self.playback_fps / self.capture_fps
        return 1.0 if abs(f - 1.0) <= SAME_RATE_TOLERANCE else f

    @property
    def slowed(self) -> bool:
        """True when the file plays slower than the movement happened."""
        return self.factor < 1.0

    @property
    def retimed(self) -> bool:
        """True when file time is not real time (slow motion or time-lapse)."""
        return self.factor != 1.0

    def real(self, t: np.ndarray | float) -> np.ndarray | float:
        """File time (s) -> real time (s)."""
        if isinstance(t, (int, float)):
            return float(t) * self.factor
        return np.asarray(t, float) * self.factor

    def file(self, t: np.ndarray | float) -> np.ndarray | float:
        """Real time (s) -> file time (s)."""
        if isinstance(t, (int, float)):
            return float(t) / self.factor
        return np.asarray(t, float) / self.factor

    def describe(self) -> str:
        """Plain words for the status bar: "120 fps capture, played 4x slow"."""
        if not self.retimed:
            if self.capture_fps > 0:
                return f"{self.capture_fps:g} fps capture, real time"
            return "real time"
        f = self.factor
        if f < 1:
            how = f"played {_times(1 / f)} slow"
        else:
            how = f"played {_times(f)} fast"
        by = " (set by you)" if self.source == "user" else ""
        return f"{self.capture_fps:g} fps capture, {how}{by}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready facts (``liftlens info``, the analysis' ``calibration.time``)."""
        return {"capture_fps": round(self.capture_fps, 6) if self.capture_fps else None,
                "playback_fps": round(self.playback_fps, 6),
                "time_scale": round(self.factor, 9), "source": self.source or "none",
                "key": self.key or None, "description": self.describe()}

    @classmethod
    def of(cls, index: Any, user_fps: float | None = None) -> TimeScale:
        """The time scale of a :class:`~analysis.video.index.VideoIndex`.

        ``user_fps`` (a positive capture rate) wins over the file's metadata; None
        or 0 means "from the file".

        Raises
        ------
        ValueError
            When ``user_fps`` is not a plausible capture rate.
        """
        playback = float(index.average_fps)
        if user_fps:
            return cls(check_capture_fps(float(user_fps)), playback, "user")
        fps = float(getattr(index, "capture_fps", 0.0) or 0.0)
        if fps > 0:
            return cls(fps, playback, "file", str(getattr(index, "capture_key", "") or ""))
        return cls(0.0, playback)

    @classmethod
    def for_times(cls, t: np.ndarray, user_fps: float | None,
                  video: str | None = None) -> TimeScale:
        """The time scale of bare timestamps ``t`` (s, file time; a track file, a stored
        track) played at their own median rate: the user's capture rate, else the one
        the ``video`` file declares (read from its metadata only), else real time.

        Raises
        ------
        ValueError
            When ``user_fps`` is not a plausible capture rate.
        """
        d = np.diff(np.asarray(t, float))
        d = d[np.isfinite(d) & (d > 0)]
        playback = 1.0 / float(np.median(d)) if len(d) else 0.0
        if user_fps:
            return cls(check_capture_fps(float(user_fps)), playback, "user")
        found = read_capture_fps(video) if video else None
        if found:
            return cls(found[0], playback, "file", found[1])
        return cls(0.0, playback)


def _times(x: float) -> str:
    return f"{x:.0f}x" if abs(x - round(x)) < 0.05 else f"{x:.1f}x"

