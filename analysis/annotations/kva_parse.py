"""Small parsers for Kinovea ``.kva`` text: numbers, points, sizes, time labels and RTF
comments (used by :mod:`analysis.annotations.kva`)."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

MAX_IMAGE_SIDE = 100_000
_USER_TIME = re.compile(r"^\s*(\d+):(\d{1,2}):(\d{1,2}):(\d{1,3})\s*$")


def _text(el: ET.Element | None, child: str) -> str:
    if el is None:
        return ""
    node = el.find(child)
    return node.text or "" if node is not None else ""


def _float(s: str | None, default: float) -> float:
    try:
        v = float((s or "").strip().replace(",", "."))
    except ValueError:
        return default
    return v if math.isfinite(v) else default


def _pair(s: str | None) -> tuple[float, float] | None:
    parts = (s or "").split(";")
    if len(parts) != 2:
        return None
    x, y = _float(parts[0], math.nan), _float(parts[1], math.nan)
    return (x, y) if math.isfinite(x) and math.isfinite(y) else None


def _image_size(size: tuple[float, float] | None) -> tuple[int, int] | None:
    """``(w, h)`` as whole pixels from 1 to MAX_IMAGE_SIDE, else None."""
    if size is None or len(size) != 2:
        return None
    w, h = size
    ok = all(isinstance(v, (int, float)) and math.isfinite(v) and float(v).is_integer()
             and 1 <= v <= MAX_IMAGE_SIDE for v in (w, h))
    return (int(w), int(h)) if ok else None


def _user_time(s: str) -> float | None:
    """Seconds from Kinovea's ``h:mm:ss:cc`` time labels (cc = hundredths)."""
    m = _USER_TIME.match(s)
    if not m:
        return None
    h, mnt, sec, frac = m.groups()
    return int(h) * 3600 + int(mnt) * 60 + int(sec) + int(frac) / 10 ** len(frac)


_RTF_GROUPS = re.compile(r"\{\\(?:fonttbl|colortbl|stylesheet|info|\*)[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")
_RTF_CONTROL = re.compile(r"\\([a-z]+)(-?\d+)? ?|\\'([0-9a-f]{2})|\\([{}\\])|[{}]")


def _rtf_to_text(rtf: str) -> str:
    """Plain text of a Kinovea RTF comment (paragraphs become new lines)."""
    if not rtf.lstrip().startswith("{\\rtf"):
        return rtf.strip()
    body = _RTF_GROUPS.sub("", rtf)

    def repl(m: re.Match[str]) -> str:
        word, _, hexcode, literal = m.groups()
        if word in ("par", "line"):
            return "\n"
        if word == "tab":
            return "\t"
        if hexcode:
            return bytes([int(hexcode, 16)]).decode("cp1252", errors="replace")
        if literal:
            return literal
        return ""

    text = _RTF_CONTROL.sub(repl, body).replace("\r", "")
    lines = [ln.strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln).strip()
