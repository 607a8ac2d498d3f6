"""Velocity shapes of the generated lifts (:mod:`tests.truth.lift_truth`): sums of smooth
Tukey blocks on normalised time, with closed-form integral and derivative, and the
segments (rests and moves) a set is chained from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

Block = tuple[float, float, float, float, float]

#: Concentric velocity shapes (normalised time). Their properties are checked in the tests.
SHAPES: dict[str, tuple[Block, ...]] = {
    # peak 1 at u=0.17, dip ~35 % at ~38 % of the ROM (sticking region), peak 2 = 1.25 x peak 1
    "two_peak": ((0.0, 0.17, 0.0, 0.38, 1.0), (0.24, 0.48, 0.0, 0.28, 1.25)),
    # out of the hole fast, near-stall (dip ~73 %) in the middle, slow finish
    "grinder": ((0.0, 0.10, 0.0, 0.30, 1.0), (0.15, 0.55, 0.0, 0.30, 0.7)),
    # fast bump with a short top, peak velocity ~1.74 x mean; at ~1.5 m/s the final
    # deceleration (the athlete braking a light bar) exceeds g, so MPV > MCV
    "speed": ((0.0, 0.35, 0.15, 0.50, 1.0),),
    "skewed_early": ((0.0, 0.25, 0.0, 0.75, 1.0),),
    "skewed_late": ((0.0, 0.72, 0.0, 0.28, 1.0),),
    "plateau": ((0.0, 0.12, 0.76, 0.12, 1.0),),
    "smooth": ((0.0, 0.5, 0.0, 0.5, 1.0),),
}

#: Shape of the move that ends in an isometric hold (a lifter easing into the pause:
#: long gentle deceleration, so it never decelerates faster than g in the family).
PRE_HOLD_SHAPE = "skewed_early"

#: Eccentric speed shapes (the move is downwards; these give |v|).
ECC_SHAPES: dict[str, tuple[Block, ...]] = {
    "ecc_smooth": ((0.0, 0.5, 0.0, 0.5, 1.0),),
    "ecc_controlled": ((0.0, 0.2, 0.6, 0.2, 1.0),),       # constant-speed lowering
    "ecc_drop": ((0.0, 0.7, 0.0, 0.3, 1.0),),             # falls, then brakes hard
    "ecc_early": ((0.0, 0.3, 0.0, 0.7, 1.0),),            # quick start, long braking
}


def _block_eval(u: np.ndarray, blk: Block) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(integral from 0, value, derivative) of one block at normalised times ``u``."""
    a, r, fl, d, A = blk
    x = u - a
    val = np.zeros_like(u)
    der = np.zeros_like(u)
    itg = np.zeros_like(u)
    m1 = (x > 0) & (x < r)
    x1 = x[m1]
    val[m1] = A * (1 - np.cos(np.pi * x1 / r)) / 2
    der[m1] = A * np.pi / (2 * r) * np.sin(np.pi * x1 / r)
    itg[m1] = A / 2 * (x1 - r / np.pi * np.sin(np.pi * x1 / r))
    m2 = (x >= r) & (x < r + fl)
    val[m2] = A
    itg[m2] = A * r / 2 + A * (x[m2] - r)
    z = x - r - fl
    m3 = (z >= 0) & (z < d)
    z3 = z[m3]
    val[m3] = A * (1 + np.cos(np.pi * z3 / d)) / 2
    der[m3] = -A * np.pi / (2 * d) * np.sin(np.pi * z3 / d)
    itg[m3] = A * r / 2 + A * fl + A / 2 * (z3 + d / np.pi * np.sin(np.pi * z3 / d))
    itg[z >= d] = A * (r / 2 + fl + d / 2)
    return itg, val, der


def _shape_eval(u: np.ndarray, blocks: Sequence[Block]):
    """Normalised (position fraction 0..1, f/I, f'/I) of a shape at ``u`` (clipped to 0..1)."""
    u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
    itg = np.zeros_like(u)
    val = np.zeros_like(u)
    der = np.zeros_like(u)
    for b in blocks:
        i, v, d = _block_eval(u, b)
        itg += i
        val += v
        der += d
    total = sum(A * (r / 2 + fl + d / 2) for (_, r, fl, d, A) in blocks)
    return itg / total, val / total, der / total


@dataclass(frozen=True)
class _Seg:
    t0: float
    t1: float
    y0: float
    dy: float                       # displacement (0 for rests)
    blocks: tuple[Block, ...] = ()  # empty for rests
    kind: str = "rest"              # rest | ecc | con | con_hold

    def eval(self, t: np.ndarray):
        if not self.blocks or self.t1 <= self.t0:
            z = np.zeros_like(t)
            return z + self.y0, z, z.copy()
        T = self.t1 - self.t0
        p, f, fd = _shape_eval((t - self.t0) / T, self.blocks)
        return self.y0 + self.dy * p, self.dy / T * f, self.dy / T ** 2 * fd
