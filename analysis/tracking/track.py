"""A bar track: one position per frame, with confidence and state; never invented.

Positions are sub-pixel coordinates in the displayed image (rotation applied).
Frames where the target was lost (scene cut, occlusion, out of the picture)
have NaN positions and state ``lost``; the analysis treats them as gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

STATE_NONE, STATE_TRACKED, STATE_ANCHOR, STATE_LOST = 0, 1, 2, 3
STATE_NAMES = {STATE_NONE: "none", STATE_TRACKED: "tracked", STATE_ANCHOR: "anchor",
               STATE_LOST: "lost"}


@dataclass
class Track:
    """Per-frame bar positions of one recording.

    Attributes
    ----------
    t : numpy.ndarray
        Frame times (s), from the video index (VFR safe).
    x, y : numpy.ndarray
        Position in displayed-image pixels; NaN where not tracked or lost.
    confidence : numpy.ndarray
        0..1 per frame (template similarity).
    state : numpy.ndarray
        ``STATE_*`` per frame.
    """

    t: np.ndarray
    x: np.ndarray
    y: np.ndarray
    confidence: np.ndarray
    state: np.ndarray

    @classmethod
    def empty(cls, times: np.ndarray) -> Track:
        n = len(times)
        return cls(np.asarray(times, float), np.full(n, np.nan), np.full(n, np.nan),
                   np.zeros(n), np.zeros(n, np.uint8))

    def __len__(self) -> int:
        return len(self.t)

    def set(self, n: int, x: float, y: float, confidence: float, state: int) -> None:
        self.x[n], self.y[n], self.confidence[n], self.state[n] = x, y, confidence, state

    def mark_lost(self, n: int, confidence: float = 0.0) -> None:
        self.set(n, np.nan, np.nan, confidence, STATE_LOST)

    @property
    def valid(self) -> np.ndarray:
        return np.isfinite(self.x) & np.isfinite(self.y)

    def anchors(self) -> dict[int, tuple[float, float]]:
        idx = np.flatnonzero(self.state == STATE_ANCHOR)
        return {int(i): (float(self.x[i]), float(self.y[i])) for i in idx}

    def lost_spans(self) -> list[tuple[int, int]]:
        """Runs ``[start, end]`` (inclusive frames) where the target was lost."""
        lost = self.state == STATE_LOST
        spans, start = [], None
        for i, v in enumerate(lost):
            if v and start is None:
                start = i
            elif not v and start is not None:
                spans.append((start, i - 1))
                start = None
        if start is not None:
            spans.append((start, len(lost) - 1))
        return spans

    def copy(self) -> Track:
        return Track(self.t.copy(), self.x.copy(), self.y.copy(), self.confidence.copy(),
                     self.state.copy())

    # -- serialisation (stored in the session's recording) ---------------------------

    def to_dict(self) -> dict[str, Any]:
        def arr(a: np.ndarray, nd: int) -> list[float | None]:
            return [None if not np.isfinite(v) else round(float(v), nd) for v in a]

        return {"version": 1, "t": arr(self.t, 6), "x": arr(self.x, 3), "y": arr(self.y, 3),
                "confidence": arr(self.confidence, 3), "state": [int(s) for s in self.state]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Track:
        """Read a stored track; raises ValueError when it is malformed."""
        try:
            n = len(d["t"])
            cols = [np.array([np.nan if v is None else float(v) for v in d[k]], float)
                    for k in ("t", "x", "y", "confidence")]
            state = np.array([int(s) for s in d["state"]], np.uint8)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"the stored bar track is damaged ({exc})") from exc
        if any(len(c) != n for c in cols) or len(state) != n:
            raise ValueError("the stored bar track is damaged (columns differ in length)")
        return cls(cols[0], cols[1], cols[2], cols[3], state)
