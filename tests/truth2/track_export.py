"""The generated bar paths written as ``liftlens-track v1`` CSV files, with the truth
needed to check an analysis of them (:func:`to_track_csv`)."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tests.truth2.lift_records import AttemptTruth, Trajectory

@dataclass
class TrackTruth:
    """What :func:`to_track_csv` wrote, with the truth needed to check an analysis.

    ``forward_sign_px`` is +1 when +x (away from the lifter) is +x_px (lifter faces
    right); ``toward_lifter_sign_px = -forward_sign_px`` is the image-x direction that
    points toward the lifter.  ``x_px``/``y_px`` are the noise-free values.
    """

    path: Path
    fps: float
    m_per_px: float
    origin_px: tuple[float, float]
    lifter_faces: str
    forward_sign_px: int
    toward_lifter_sign_px: int
    t_s: np.ndarray
    x_px: np.ndarray
    y_px: np.ndarray
    attempts: list[AttemptTruth]

    def frame_of(self, t: float) -> float:
        """Fractional frame index of time ``t`` (frame i is at t = i / fps)."""
        return t * self.fps


def to_track_csv(traj: Trajectory, path: str | Path, fps: float = 30.0, m_per_px: float = 0.002,
                 origin_px: tuple[float, float] = (640.0, 700.0), lifter_faces: str = "right",
                 noise_px: float = 0.0, seed: int = 0) -> TrackTruth:
    """Sample ``traj`` at ``fps`` (frames ``0 .. floor(duration*fps)``, ``t = i/fps``)
    and write a ``liftlens-track v1`` CSV::

        # liftlens-track v1
        # m_per_px=0.002
        frame,t_s,x_px,y_px,confidence,state
        0,0.0,883.4782,457.3627,1.0,tracked

    ``origin_px`` is the image position of the world origin (x = 0 at lift-off,
    y = 0 on the floor).  ``y_px = oy - y/m_per_px`` (image y grows down);
    ``x_px = ox + s * x/m_per_px`` with ``s = +1`` if ``lifter_faces == 'right'``
    (the lifter's front, +x, is image right) and ``-1`` for ``'left'``.
    ``noise_px`` adds Gaussian noise (std, px) to both coordinates.
    """
    if lifter_faces not in ("right", "left"):
        raise ValueError("lifter_faces must be 'right' or 'left'")
    sign = 1 if lifter_faces == "right" else -1
    n = int(math.floor(traj.duration * fps + 1e-9)) + 1
    frames = np.arange(n)
    t = frames / float(fps)
    ox, oy = origin_px
    x_px = ox + sign * traj.x(t) / m_per_px
    y_px = oy - traj.y(t) / m_per_px
    xn, yn = x_px, y_px
    if noise_px > 0:
        rng = np.random.default_rng(seed)
        xn = x_px + rng.normal(0, noise_px, n)
        yn = y_px + rng.normal(0, noise_px, n)
    path = Path(path)
    with path.open("w", newline="") as fh:
        fh.write("# liftlens-track v1\n")
        fh.write(f"# m_per_px={float(m_per_px)!r}\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["frame", "t_s", "x_px", "y_px", "confidence", "state"])
        for i in range(n):
            w.writerow([i, repr(round(float(t[i]), 6)), f"{xn[i]:.4f}", f"{yn[i]:.4f}", "1.0",
                        "tracked"])
    from dataclasses import replace

    attempts = [replace(a, lifter_faces=lifter_faces) for a in traj.attempts]
    return TrackTruth(path, float(fps), float(m_per_px), (float(ox), float(oy)), lifter_faces,
                      sign, -sign, t, x_px, y_px, attempts)
