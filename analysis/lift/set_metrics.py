"""Set numbers: velocity loss (robust to junk input) and rep-to-rep bar-path consistency."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

#: Mean velocities above this (m/s) are not a barbell lift; rejected as junk.
MAX_PLAUSIBLE_MPS = 5.0
#: A last rep faster than the first by more than this (%, beyond twice the loss's SD: the
#: first rep slower than two thirds of the last) is no fatigue reading: within a set the
#: first rep is the fastest or close to the fastest (the reason velocity loss is taken
#: from the fastest rep, Sanchez-Medina & Gonzalez-Badillo 2011), so such a first rep was
#: not a rep of the set (an unrack, a walk-out, a set-up) or was misread. The margin is
#: chosen here, wide: a deadlift set read -35 % (a slow first pull off the floor) is
#: still shown, as measured, with "the last rep was faster".
MAX_PLAUSIBLE_GAIN_PCT = 50.0


@dataclass
class VelocityLoss:
    """Velocity loss over a set (%), from per-rep mean concentric velocities.

    Attributes
    ----------
    first_last_pct, best_last_pct : float or None
        ``(first - last) / first`` and ``(best - last) / best`` in %, over the
        accepted values; None with fewer than two.
    flagged : bool
        True when ``best_last_pct`` exceeds the threshold.
    threshold_pct : float
    used : list of int
        Indices of the values used.
    rejected : list of (int, str)
        Index and plain reason of every value left out.
    first_last_sd, best_last_sd : float or None
        Standard deviations (percentage points) of the two losses from the values'
        own SDs (first-order propagation); None when a used value has none. The
        best-to-last SD does not cover the choice of the fastest rep: when reps are
        about equally fast, the highest noisy MCV reads high, and so does the loss.
    first_last_implausible : bool
        True when the last rep was faster than the first by more than
        :data:`MAX_PLAUSIBLE_GAIN_PCT` beyond twice ``first_last_sd``: the number is kept
        but not shown as a result (:meth:`first_last_text` says why).
    """

    first_last_pct: float | None
    best_last_pct: float | None
    flagged: bool
    threshold_pct: float
    used: list[int] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    first_last_sd: float | None = None
    best_last_sd: float | None = None
    first_last_implausible: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["rejected"] = [{"index": i, "reason": r} for i, r in self.rejected]
        return d

    def first_last_text(self, decimals: int = 0) -> str:
        """``first_last_pct`` for a reader: "12 %", or, when the last rep was the faster
        (a negative loss), "-35 % (the last rep was faster)"; "" when there is none. With
        a known SD of at least half a point: "12 ± 2 %" (with ``decimals`` > 0, "12.3 ±
        0.4 %", the SD whenever it is known)."""
        if self.first_last_pct is None:
            return ""
        if self.first_last_implausible:
            times = 1.0 - self.first_last_pct / 100.0
            return (f"not measured ⚠ (the first rep was {times:.1f}× slower than the last: "
                    "more than fatigue or noise explain; if it is no rep of the set, an "
                    "unrack or a set-up, mark it as not a rep)")
        text = _pct_text(self.first_last_pct, self.first_last_sd, decimals)
        return text + " (the last rep was faster)" if self.first_last_pct < -0.5 else text

    def best_last_text(self, decimals: int = 0) -> str:
        """``best_last_pct`` for a reader: "26 %", or "26 ± 2 %" with a known SD of at
        least half a point; "" when there is none (``decimals`` as
        :meth:`first_last_text`)."""
        return "" if self.best_last_pct is None else _pct_text(self.best_last_pct,
                                                               self.best_last_sd, decimals)

    def span_text(self, fastest: int | None, counted_only: bool, decimals: int = 0,
                  short: bool = False) -> str:
        """Which reps the loss compares, with the numbers, for a reader: "from rep 4 (first
        and fastest) to rep 8 (last): 17 %", or, when the fastest rep is not the first,
        "from rep 2 (fastest) to rep 8 (last): 26 %; from rep 1 (first): 22 %". Needs
        ``used`` as rep numbers and ``fastest`` the fastest of them; with
        ``counted_only`` (reps were left out) each is named "counted" ("first counted"),
        since "first" is then not rep 1. ``short`` (a narrow panel, with the reps left out
        said beside it): "rep 2 (fastest counted) → rep 8: 26 %; rep 1 (first) → 8: 22 %". ""
        without a loss."""
        if self.best_last_pct is None or self.first_last_pct is None or not self.used:
            return ""
        first, last = self.used[0], self.used[-1]
        c = " counted" if counted_only else ""
        best = self.best_last_text(decimals)
        if short:
            if fastest is None or fastest == first:
                return f"rep {first} (first, fastest{c}) → rep {last}: {best}"
            return (f"rep {fastest} (fastest{c}) → rep {last}: {best}; rep {first} (first) → "
                    f"{last}: {self.first_last_text(decimals)}")
        if fastest is None or fastest == first:
            return f"from rep {first} (first and fastest{c}) to rep {last} (last{c}): {best}"
        return (f"from rep {fastest} (fastest{c}) to rep {last} (last{c}): {best}; "
                f"from rep {first} (first{c}): {self.first_last_text(decimals)}")


def _pct_text(pct: float, sd: float | None, decimals: int = 0) -> str:
    if decimals > 0:
        pm = f" ± {sd:.{decimals}f}" if sd is not None and np.isfinite(sd) else ""
        return f"{pct:.{decimals}f}{pm} %"
    if sd is not None and np.isfinite(sd) and sd >= 0.5:
        return f"{pct:.0f} ± {sd:.0f} %"
    return f"{pct:.0f} %"


def velocity_loss(values: Sequence[object], threshold_pct: float = 20.0,
                  max_plausible: float | None = MAX_PLAUSIBLE_MPS,
                  sds: Sequence[float | None] | None = None) -> VelocityLoss:
    """Velocity loss of a set, validating every value first.

    Parameters
    ----------
    values : sequence
        Mean concentric velocity per rep in order (m/s, or px/s with
        ``max_plausible=None``). Strings holding numbers are accepted (device
        exports); non-numbers, NaN, infinities, zero or negative values and
        values above ``max_plausible`` are rejected with a reason.
    threshold_pct : float
        Flag when the best-to-last loss exceeds this (%).
    max_plausible : float or None
        Upper bound of a real bar velocity (m/s); None disables the check.
    sds : sequence of float or None, optional
        Standard deviation of each value (same units), for the losses' SDs.
    """
    if not (np.isfinite(threshold_pct) and threshold_pct >= 0):
        raise ValueError(f"the velocity-loss threshold must be zero or more %, "
                         f"not {threshold_pct!r}")
    used, good, rejected = [], [], []
    for i, raw in enumerate(values):
        try:
            v = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            rejected.append((i, f"not a number ({raw!r})"))
            continue
        if not np.isfinite(v):
            rejected.append((i, f"not a finite velocity ({raw!r})"))
        elif v <= 0:
            rejected.append((i, f"not a positive velocity ({v:g})"))
        elif max_plausible is not None and v > max_plausible:
            rejected.append((i, f"implausibly fast ({v:g} > {max_plausible:g})"))
        else:
            used.append(i)
            good.append(v)
    if len(good) < 2:
        return VelocityLoss(None, None, False, threshold_pct, used, rejected)
    first, last, best = good[0], good[-1], max(good)
    fl = 100.0 * (first - last) / first
    bl = 100.0 * (best - last) / best
    out = VelocityLoss(fl, bl, bl > threshold_pct, threshold_pct, used, rejected)
    s = [sds[i] if sds is not None and i < len(sds) else None for i in used]
    if all(v is not None and np.isfinite(v) and v >= 0 for v in s):
        sd = [float(v) for v in s]  # type: ignore[arg-type]
        out.first_last_sd = _loss_sd(first, sd[0], last, sd[-1], False)
        b = int(np.argmax(good))
        out.best_last_sd = _loss_sd(best, sd[b], last, sd[-1], b == len(good) - 1)
    out.first_last_implausible = fl < -(MAX_PLAUSIBLE_GAIN_PCT + 2.0 * (out.first_last_sd or 0.0))
    return out


def _loss_sd(ref: float, ref_sd: float, last: float, last_sd: float, same: bool) -> float:
    """SD (points) of ``100 (ref - last) / ref`` from the two values' SDs; 0 when the
    reference rep is the last one (the loss is then 0 whatever the noise)."""
    if same:
        return 0.0
    return float(100.0 / ref * np.hypot(last_sd, last / ref * ref_sd))


def path_consistency(paths: Sequence[tuple[np.ndarray, np.ndarray]], samples: int = 50
                     ) -> tuple[float | None, list[float]]:
    """Rep-to-rep bar-path consistency.

    Each rep's path (x, height) is resampled at ``samples`` points evenly
    spaced in normalised time and shifted so that it starts at the origin;
    the mean path is their average. A rep's score is the RMS distance of its
    path to the mean path; the set's score is the mean of the reps' scores.

    Parameters
    ----------
    paths : sequence of (x, height) arrays
        Positions (units) of each rep, in time order, finite.

    Returns
    -------
    (float or None, list of float)
        Set score and per-rep scores (units); None with fewer than two paths.
    """
    res = []
    for x, h in paths:
        x, h = np.asarray(x, float), np.asarray(h, float)
        m = np.isfinite(x) & np.isfinite(h)
        x, h = x[m], h[m]
        if len(x) < 2:
            continue
        u = np.linspace(0, 1, len(x))
        s = np.linspace(0, 1, samples)
        res.append(np.stack([np.interp(s, u, x) - x[0], np.interp(s, u, h) - h[0]], axis=1))
    if len(res) < 2:
        return None, []
    p = np.array(res)
    mean = p.mean(axis=0)
    per = [float(np.sqrt(np.mean(np.sum((q - mean) ** 2, axis=1)))) for q in p]
    return float(np.mean(per)), per
