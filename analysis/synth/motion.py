"""Ground-truth bar motion for a set: known phases, holds, velocity loss.

Every phase moves the bar along a minimum-jerk curve (zero velocity and
acceleration at both ends), so velocities are smooth and the truth is exact:
for a move of distance ``d`` over ``T`` seconds the mean velocity is ``d / T``
and the peak ``1.875 d / T``. Heights are metres above the lowest bar position,
``x`` is the horizontal position in metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class RepSpec:
    """One rep: durations in seconds, range of motion in metres."""

    eccentric: float = 1.5
    bottom_pause: float = 0.3
    concentric: float = 0.8
    top_pause: float = 0.8
    rom: float = 0.5
    hold_at: float = 0.0  # fraction of ROM where the concentric stops (0 = no hold)
    hold: float = 0.0  # seconds the bar stays still there
    drift: float = 0.0  # horizontal shift (m) over the rep, returned by the end


@dataclass(frozen=True)
class LiftScript:
    """A set: idle time, optional walk-out, then reps. ``lift`` decides which phase comes first."""

    reps: tuple[RepSpec, ...] = field(default_factory=lambda: (RepSpec(),) * 3)
    lift: str = "squat"  # squat/bench: eccentric first; deadlift/press: concentric first
    setup: float = 1.0  # still at the start position before the first rep
    walkout: bool = False  # a step back with the bar (horizontal move, small bob) during setup
    end_idle: float = 1.0


@dataclass(frozen=True)
class RepTruth:
    """Exact phase times (s) and numbers of one generated rep."""

    start: float
    eccentric: tuple[float, float]
    bottom_pause: tuple[float, float]
    concentric: tuple[float, float]
    top_pause: tuple[float, float]
    end: float
    rom: float
    mean_concentric_velocity: float
    peak_concentric_velocity: float
    hold: tuple[float, float] | None


def _profile(s: np.ndarray) -> np.ndarray:
    """Normalised minimum-jerk displacement 0..1 at normalised time ``s``."""
    s = np.clip(s, 0.0, 1.0)
    return s ** 3 * (10 - 15 * s + 6 * s * s)


class _Builder:
    def __init__(self) -> None:
        self.segments: list[tuple[float, float, float, float, float, float]] = []
        self.t = 0.0

    def move(self, duration: float, y0: float, y1: float, x0: float, x1: float) -> tuple[float, float]:
        start = self.t
        self.segments.append((start, start + duration, y0, y1, x0, x1))
        self.t += duration
        return start, self.t


def build(script: LiftScript) -> tuple[list[tuple[float, float, float, float, float, float]],
                                       list[RepTruth], float]:
    """Segments (t0, t1, y0, y1, x0, x1), rep truths, and total duration."""
    b = _Builder()
    down_first = script.lift in ("squat", "bench")
    rom0 = script.reps[0].rom if script.reps else 0.5
    y = rom0 if down_first else 0.0
    x = 0.0
    if script.walkout and script.setup > 0:
        step = script.setup / 5  # three steps back with a small bob, then stand still
        b.move(step, y, y + 0.02, x, x - 0.05)
        b.move(step, y + 0.02, y, x - 0.05, x - 0.12)
        b.move(step, y, y + 0.015, x - 0.12, x - 0.18)
        b.move(step, y + 0.015, y, x - 0.18, x - 0.18)
        b.move(step, y, y, x - 0.18, x - 0.18)
        x = -0.18
    elif script.setup > 0:
        b.move(script.setup, y, y, x, x)
    truths = []
    for rep in script.reps:
        start = b.t
        bottom = 0.0
        hold = None
        if down_first:
            # the eccentric starts wherever the bar is (the previous rep's top)
            ecc = b.move(rep.eccentric, y, bottom, x, x + rep.drift)
            pause = b.move(rep.bottom_pause, bottom, bottom, x + rep.drift, x + rep.drift)
            con, hold = _concentric(b, rep, x + rep.drift, x)
            tp = b.move(rep.top_pause, rep.rom, rep.rom, x, x)
            y = rep.rom
        else:
            con, hold = _concentric(b, rep, x, x + rep.drift, start_height=y)
            tp = b.move(rep.top_pause, y + rep.rom, y + rep.rom, x + rep.drift, x + rep.drift)
            ecc = b.move(rep.eccentric, y + rep.rom, bottom, x + rep.drift, x)
            pause = b.move(rep.bottom_pause, bottom, bottom, x, x)
            y = bottom
        con_time = con[1] - con[0]
        moving = con_time - (rep.hold if rep.hold_at > 0 else 0.0)
        if rep.hold_at > 0:
            d1, d2 = rep.hold_at * rep.rom, (1 - rep.hold_at) * rep.rom
            t1 = moving * rep.hold_at
            t2 = moving - t1
            peak = max(1.875 * d1 / t1, 1.875 * d2 / t2)
        else:
            peak = 1.875 * rep.rom / con_time
        truths.append(RepTruth(start, ecc, pause, con, tp, b.t, rep.rom, rep.rom / con_time,
                               peak, hold))
    if script.end_idle > 0:
        b.move(script.end_idle, y, y, x, x)
    return b.segments, truths, b.t


def _concentric(b: _Builder, rep: RepSpec, x0: float, x1: float, start_height: float = 0.0
                ) -> tuple[tuple[float, float], tuple[float, float] | None]:
    y0 = start_height
    if rep.hold_at > 0 and rep.hold > 0:
        moving = rep.concentric
        h = y0 + rep.hold_at * rep.rom
        xm = x0 + (x1 - x0) * rep.hold_at
        s0, _ = b.move(moving * rep.hold_at, y0, h, x0, xm)
        hold = b.move(rep.hold, h, h, xm, xm)
        _, e = b.move(moving * (1 - rep.hold_at), h, y0 + rep.rom, xm, x1)
        return (s0, e), hold
    return b.move(rep.concentric, y0, y0 + rep.rom, x0, x1), None


def sample(script: LiftScript, times: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[RepTruth]]:
    """Bar position at ``times`` (s): horizontal x (m) and height (m), plus rep truths."""
    segments, truths, total = build(script)
    t = np.asarray(times, float)
    x = np.zeros_like(t)
    y = np.zeros_like(t)
    for t0, t1, y0, y1, x0, x1 in segments:
        m = (t >= t0) & (t <= t1)
        s = _profile((t[m] - t0) / max(t1 - t0, 1e-9))
        y[m] = y0 + (y1 - y0) * s
        x[m] = x0 + (x1 - x0) * s
    last = segments[-1]
    after = t > last[1]
    y[after], x[after] = last[3], last[5]
    return x, y, truths


def duration(script: LiftScript) -> float:
    return build(script)[2]


def demo_script() -> LiftScript:
    """Five squat reps with pauses, a mid-rep hold and slowing concentrics."""
    reps = (
        RepSpec(1.6, 0.4, 0.75, 0.9, 0.55),
        RepSpec(1.6, 0.4, 0.80, 0.9, 0.55, drift=0.01),
        RepSpec(1.7, 0.5, 0.90, 0.9, 0.54, hold_at=0.35, hold=1.2),
        RepSpec(1.7, 0.4, 0.95, 0.9, 0.54, drift=-0.01),
        RepSpec(1.8, 0.4, 1.10, 0.8, 0.53),
    )
    return LiftScript(reps=reps, lift="squat", setup=1.6, walkout=True, end_idle=1.0)
