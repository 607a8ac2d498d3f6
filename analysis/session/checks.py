"""Small validators for data read from files: each raises the caller's error class with
a sentence a user can read. Used only at the boundary where JSON becomes typed objects."""

from __future__ import annotations

import math
import numbers
from typing import Any

from analysis.session.errors import RecordingDataError


def number(v: Any, what: str, lo: float = -math.inf, hi: float = math.inf, *,
           lo_open: bool = False) -> float:
    """``v`` as a finite float in ``[lo, hi]`` (``(lo, hi]`` with ``lo_open``).

    Raises
    ------
    RecordingDataError
        When ``v`` is not a number (bools and text are not), is NaN or infinite,
        or lies outside the range.
    """
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise RecordingDataError(f"The {what} is not a number.")
    try:
        f = float(v)
    except OverflowError:
        raise RecordingDataError(f"The {what} is too large.") from None
    if not math.isfinite(f):
        raise RecordingDataError(f"The {what} is not a finite number.")
    if f < lo or f > hi or (lo_open and f == lo):
        raise RecordingDataError(f"The {what} ({f:g}) is outside the sensible range "
                                 f"{'above' if lo_open else 'from'} {lo:g} to {hi:g}.")
    return f


def whole(v: Any, what: str, lo: int, hi: int) -> int:
    """``v`` as an int in ``[lo, hi]`` (bools and floats are refused)."""
    if isinstance(v, bool) or not isinstance(v, int):
        raise RecordingDataError(f"The {what} is not a whole number.")
    if not lo <= v <= hi:
        raise RecordingDataError(f"The {what} ({v}) is outside {lo} to {hi}.")
    return v


def text(v: Any, what: str, limit: int = 10_000) -> str:
    if not isinstance(v, str) or len(v) > limit:
        raise RecordingDataError(f"The {what} is not text.")
    return v


def mapping(v: Any, what: str) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise RecordingDataError(f"The {what} is damaged (expected an object).")
    return v


def sequence(v: Any, what: str, limit: int) -> list[Any]:
    if not isinstance(v, list):
        raise RecordingDataError(f"The {what} is damaged (expected a list).")
    if len(v) > limit:
        raise RecordingDataError(f"The {what} is too long ({len(v)} items, at most {limit}).")
    return v
