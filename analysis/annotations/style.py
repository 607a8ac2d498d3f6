"""How a drawing looks (:class:`Style`) and when it shows (:class:`Visibility`).

Both are immutable records; editing a drawing's look means replacing its
style (``dataclasses.replace``), which keeps undo snapshots trivial. Keys a
newer LiftLens adds to either record are kept in ``extra`` and written back.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
ARROW_HEADS = ("none", "end", "both")
#: ``timed`` fades around the drawing's time, ``from_time`` shows it from its time to
#: the end of the clip, ``always`` shows it on every frame.
VISIBILITY_MODES = ("timed", "from_time", "always")


class AnnotationError(ValueError):
    """A drawing (or its style or visibility) is malformed; the message says which field."""


def check_number(v: Any, name: str, lo: float, hi: float) -> float:
    """``v`` as a float when it is a finite number (not a bool) within ``lo..hi``.

    Raises
    ------
    AnnotationError
        Naming ``name`` when ``v`` is not such a number.
    """
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise AnnotationError(f"{name} must be a number")
    if not lo <= v <= hi:
        raise AnnotationError(f"{name} {v} is outside {lo}..{hi}")
    return float(v)


def check_object(d: Any, what: str) -> dict[str, Any]:
    """``d`` when it is a JSON object (dict with text keys), else :class:`AnnotationError`."""
    if not isinstance(d, dict):
        raise AnnotationError(f"{what} must be an object")
    return d


@dataclass(frozen=True)
class Style:
    """How a drawing looks.

    Attributes
    ----------
    color : str
        ``"#rrggbb"``.
    width : float
        Line width in image pixels (0.1..200).
    font_size : float
        Label size in points at 100 % zoom (4..400).
    dashed : bool
        Dashed instead of solid lines.
    arrow : str
        Arrow heads on lines: ``"none"``, ``"end"`` or ``"both"`` (an arrow is a line
        with ``arrow="end"``).
    extra : dict
        Style keys from a newer LiftLens, kept verbatim.
    """

    color: str = "#ffcc00"
    width: float = 3.0
    font_size: float = 14.0
    dashed: bool = False
    arrow: str = "none"
    extra: dict[str, Any] = field(default_factory=dict, compare=True, hash=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.color, str) or not _COLOR.match(self.color):
            raise AnnotationError(f"style colour {self.color!r} is not #rrggbb")
        if self.arrow not in ARROW_HEADS:
            raise AnnotationError(f"arrow {self.arrow!r} is not none/end/both")
        check_number(self.width, "width", 0.1, 200)
        check_number(self.font_size, "font_size", 4, 400)

    def to_dict(self) -> dict[str, Any]:
        """The style as a JSON object (unknown keys from a newer version included)."""
        d = dict(self.extra)
        d.update({"color": self.color, "width": self.width, "font_size": self.font_size,
                  "dashed": self.dashed, "arrow": self.arrow})
        return d

    @classmethod
    def from_dict(cls, d: Any) -> Style:
        """Read a style; missing keys take their defaults.

        Raises
        ------
        AnnotationError
            When a key has a wrong type or value.
        """
        d = check_object(d, "style")
        s = cls()
        dashed = d.get("dashed", s.dashed)
        if not isinstance(dashed, bool):
            raise AnnotationError("style dashed must be true or false")
        return cls(color=d.get("color", s.color),
                   width=check_number(d.get("width", s.width), "width", 0.1, 200),
                   font_size=check_number(d.get("font_size", s.font_size), "font_size", 4, 400),
                   dashed=dashed, arrow=d.get("arrow", s.arrow),
                   extra={k: v for k, v in d.items() if k not in _STYLE_KEYS})


_STYLE_KEYS = {"color", "width", "font_size", "dashed", "arrow"}


@dataclass(frozen=True)
class Visibility:
    """When a drawing shows, relative to its anchor time (the drawing's ``t``).

    Attributes
    ----------
    mode : str
        ``"timed"``: fully visible from ``t`` for ``hold`` s, fading in linearly over
        the ``fade_in`` s before ``t`` and out over the ``fade_out`` s after the hold.
        ``"from_time"``: from ``t`` to the end of the clip. ``"always"``: every frame.
    fade_in, hold, fade_out : float
        Durations in real seconds (used by ``timed`` only): on a slow-motion clip the
        capture rate applies, as to every time the user reads (a 1 s hold on a 120 fps
        capture played at 30 lasts 4 s of the file); see the ``time_factor`` of
        :meth:`opacity_at`.
    extra : dict
        Keys from a newer LiftLens, kept verbatim.
    """

    mode: str = "timed"
    fade_in: float = 0.0
    hold: float = 1.0
    fade_out: float = 0.5
    extra: dict[str, Any] = field(default_factory=dict, compare=True, hash=False, repr=False)

    def __post_init__(self) -> None:
        if self.mode not in VISIBILITY_MODES:
            raise AnnotationError(f"visibility mode {self.mode!r} is unknown")
        check_number(self.fade_in, "fade_in", 0, 3600)
        check_number(self.hold, "hold", 0, 1e7)
        check_number(self.fade_out, "fade_out", 0, 3600)

    def opacity_at(self, t_now: float, anchor: float, time_factor: float = 1.0) -> float:
        """Opacity 0..1 at clip time ``t_now`` (s) of a drawing anchored at clip time
        ``anchor`` (s); ``time_factor`` is the clip's real seconds per clip second (slow
        motion: 0.25 for 120 fps played at 30, ``TimeScale.factor``), since the fade and
        hold durations are real seconds.

        A microsecond of slack absorbs float rounding of frame timestamps, so a
        drawing made on a frame is fully visible on that same frame.
        """
        if self.mode == "always":
            return 1.0
        eps = 1e-6
        if self.mode == "from_time":
            return 1.0 if t_now >= anchor - eps else 0.0
        dt = (t_now - anchor) * time_factor
        if dt < -eps:
            if self.fade_in > 0 and dt >= -self.fade_in:
                return max(0.0, 1.0 + dt / self.fade_in)
            return 0.0
        if dt <= self.hold + eps:
            return 1.0
        if self.fade_out > 0 and dt <= self.hold + self.fade_out:
            return max(0.0, 1.0 - (dt - self.hold) / self.fade_out)
        return 0.0

    def opacity(self, t_now: float, t: float, time_factor: float = 1.0) -> float:
        """Same as :meth:`opacity_at` (kept for callers written before it)."""
        return self.opacity_at(t_now, t, time_factor)

    def span(self, anchor: float, time_factor: float = 1.0) -> tuple[float, float]:
        """The clip-time interval (s) in which the drawing is at least partly visible
        (``time_factor`` as in :meth:`opacity_at`)."""
        if self.mode == "always":
            return (-math.inf, math.inf)
        if self.mode == "from_time":
            return (anchor, math.inf)
        return (anchor - self.fade_in / time_factor,
                anchor + (self.hold + self.fade_out) / time_factor)

    def describe(self) -> str:
        """Plain words for menus: "fades in 0.2 s, holds 1.0 s, fades out 0.5 s" (real
        seconds), "from its time to the end" or "always"."""
        if self.mode == "always":
            return "always"
        if self.mode == "from_time":
            return "from its time to the end"
        parts = [f"fades in {self.fade_in:.1f} s"] if self.fade_in > 0 else []
        parts.append(f"holds {self.hold:.1f} s")
        if self.fade_out > 0:
            parts.append(f"fades out {self.fade_out:.1f} s")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The visibility as a JSON object."""
        d = dict(self.extra)
        d.update({"mode": self.mode, "fade_in": self.fade_in, "hold": self.hold,
                  "fade_out": self.fade_out})
        return d

    @classmethod
    def from_dict(cls, d: Any) -> Visibility:
        """Read a visibility record; missing keys take their defaults.

        Raises
        ------
        AnnotationError
            When a key has a wrong type or value.
        """
        d = check_object(d, "visibility")
        v = cls()
        return cls(mode=d.get("mode", v.mode),
                   fade_in=check_number(d.get("fade_in", v.fade_in), "fade_in", 0, 3600),
                   hold=check_number(d.get("hold", v.hold), "hold", 0, 1e7),
                   fade_out=check_number(d.get("fade_out", v.fade_out), "fade_out", 0, 3600),
                   extra={k: val for k, val in d.items() if k not in _VIS_KEYS})


_VIS_KEYS = {"mode", "fade_in", "hold", "fade_out"}
