"""Loads and their units: as a batch manifest writes them, in a session's unit, in kg."""

from __future__ import annotations

import re

#: how a manifest may write a load's unit
LOAD_UNITS = {"kg": "kg", "kgs": "kg", "lb": "lb", "lbs": "lb"}
#: the international pound
LB_TO_KG = 0.45359237


def parse_load(text: str, unit: str) -> tuple[float | None, str]:
    """``(load, unit)`` from a manifest's ``load`` cell (``120``, ``120 kg``, ``265lb``;
    empty: no load) and ``load_unit`` cell (kg or lb; empty: kg, or the load's own).

    Raises
    ------
    ValueError
        A load that is not a number of kg or lb, an unknown unit, or a load whose unit
        differs from ``load_unit``; the message names the value.
    """
    m = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(kg|kgs|lb|lbs)?", text.strip().lower())
    unit = unit.strip().lower()
    if unit and unit not in LOAD_UNITS:
        raise ValueError(f"load unit {unit!r} is not kg or lb")
    if not text.strip():
        return None, LOAD_UNITS.get(unit, "kg")
    if m is None:
        raise ValueError(f"load {text!r} is not a number of kg or lb (e.g. 120 or 265 lb)")
    said = LOAD_UNITS.get(m.group(2) or "", "")
    if said and unit and said != LOAD_UNITS[unit]:
        raise ValueError(f"load {text!r} does not match load_unit {unit!r}")
    return float(m.group(1).replace(",", ".")), said or LOAD_UNITS.get(unit, "kg")


def in_unit(load: float | None, unit: str, session_unit: str) -> float | None:
    """``load`` (``unit``, kg or lb) in ``session_unit``, to 0.01: a set has no unit of
    its own (a "265 lb" set joined to a kg session read 265 kg, and an e1RM of 509 kg)."""
    if load is None or unit == session_unit:
        return load
    return round(load * LB_TO_KG if unit == "lb" else load / LB_TO_KG, 2)
