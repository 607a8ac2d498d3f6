"""The B − A column of a comparison table, as the reader checks it against A and B.

A difference taken from the unrounded values can disagree with the two numbers printed
beside it: a set velocity loss of 9.4 % against 7.6 % prints as 9 and 8 with "−2", two
phases of 1.476 and 1.484 s print as 1.48 and 1.48 with "+0.01", and equal values print
"−0.00". The column therefore shows the difference of the values as printed, and no
sign when that is zero.
"""

from __future__ import annotations

__all__ = ["shown_difference"]


def shown_difference(va: float, vb: float, fmt: str) -> str:
    """B − A of two values printed with the format spec ``fmt`` (e.g. ``".2f"``; a ``+``
    in it is ignored), at that precision: the difference of the rounded values, with its
    sign (``"+0.02"``, ``"-1"``), or ``"0.00"`` / ``"0"`` when they print the same."""
    spec = fmt.replace("+", "")
    d = float(f"{vb:{spec}}") - float(f"{va:{spec}}")
    text = f"{d:+{spec}}"
    return f"{0.0:{spec}}" if float(text) == 0 else text
