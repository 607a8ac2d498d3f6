"""Ground-truth motion of deadlifts whose bar is dropped from the top: it falls freely,
bounces on the floor and rolls a little before the next pull.

Each rep: the bar rests on the floor, is pulled up along a minimum-jerk curve, held at the
top, let go, falls under gravity and bounces (each bounce leaves the floor at
``restitution`` times the speed it hit it with), while the plate rolls sideways to a stop.
Heights are metres above the floor position of the plate's centre; ``x`` is metres from
where the first rep starts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

G = 9.81  # m/s^2


@dataclass(frozen=True)
class DropSpec:
    """One dropped rep: durations in s, lengths in m."""

    rest: float = 0.6  # on the floor before the pull
    pull: float = 1.0
    rom: float = 0.6
    top: float = 0.4  # held at the top before it is let go
    restitution: float = 0.3  # bounce speed / impact speed
    roll: float = -0.075  # sideways roll after the impact (m), to a stop
    roll_time: float = 0.5
    settle: float = 1.2  # from the release to the end of the rep


def _fall(s: float, rom: float, restitution: float) -> float:
    """Height (m) ``s`` seconds after the release from ``rom``: free fall, then bounces."""
    t_fall = np.sqrt(2 * rom / G)
    if s < t_fall:
        return rom - 0.5 * G * s * s
    t0, v = t_fall, G * t_fall * restitution
    while v > 1e-3:
        t1 = t0 + 2 * v / G
        if s < t1:
            u = s - t0
            return max(0.0, v * u - 0.5 * G * u * u)
        t0, v = t1, v * restitution
    return 0.0


def drop_set(reps: tuple[DropSpec, ...] = (DropSpec(),) * 3, fps: float = 30.0,
             end_rest: float = 0.6) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[float]]:
    """Sample a set of dropped deadlifts at ``fps``.

    Returns
    -------
    times, x, height : arrays (s, m, m), one per frame
    impacts : the times (s) the bar first hits the floor after each release
    """
    times: list[float] = []
    xs: list[float] = []
    hs: list[float] = []
    impacts: list[float] = []
    dt = 1.0 / fps
    x0 = 0.0
    t = 0.0

    def phase(length: float, height, x) -> None:
        nonlocal t
        start = t
        for _ in range(int(round(length * fps))):
            times.append(t)
            hs.append(height(t - start))
            xs.append(x(t - start))
            t += dt

    for spec in reps:
        phase(spec.rest, lambda s: 0.0, lambda s, x0=x0: x0)
        phase(spec.pull, lambda s, p=spec: p.rom * _min_jerk(s / p.pull), lambda s, x0=x0: x0)
        phase(spec.top, lambda s, p=spec: p.rom, lambda s, x0=x0: x0)
        t_fall = float(np.sqrt(2 * spec.rom / G))
        impacts.append(t + t_fall)

        def roll(s: float, p: DropSpec = spec, x0: float = x0, t_fall: float = t_fall) -> float:
            u = min(max(s - t_fall, 0.0), p.roll_time) / p.roll_time
            return x0 + p.roll * (2 * u - u * u)  # decelerates to a stop

        phase(spec.settle, lambda s, p=spec: _fall(s, p.rom, p.restitution), roll)
        x0 = roll(spec.settle)
    phase(end_rest, lambda s: 0.0, lambda s, x0=x0: x0)
    return np.array(times), np.array(xs), np.array(hs), impacts


def _min_jerk(s: float) -> float:
    s = min(max(s, 0.0), 1.0)
    return s ** 3 * (10 - 15 * s + 6 * s * s)
