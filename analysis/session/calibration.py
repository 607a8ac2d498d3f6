"""A recording's scale: metres per pixel and where it came from.

Stored in the recording as :meth:`Calibration.to_dict`; :meth:`Calibration.from_dict`
is the one place a stored calibration is read and checked. Keys a newer LiftLens
wrote are kept in ``extra`` and written back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import Any

from analysis.session.checks import mapping, number, text, whole
from analysis.session.errors import RecordingDataError

#: a scale outside this range (m per displayed pixel) is not from a real video of a lift:
#: 1 µm/px would be a microscope, 1 m/px a satellite picture
M_PER_PX_RANGE = (1e-6, 1.0)
_FIELDS = ("m_per_px", "source", "reference_px", "axis_ratio", "frames", "warning", "circle",
           "spread_pct", "certainty", "scale_sd_pct")


@dataclass(frozen=True)
class Calibration:
    """A scale and its provenance.

    Attributes
    ----------
    m_per_px : float
        Metres per displayed-image pixel, within :data:`M_PER_PX_RANGE`.
    source : str
        Plain words: "plate 450 mm measured on 24 frames", "line of 500 mm".
    reference_px : float
        The measured diameter or length (px); 0 when unknown.
    axis_ratio : float
        Minor/major axis of the plate (1 = a circle; below 0.93 the camera is not square
        to the bar).
    frames : int
        Frames the plate was measured on (0 for a drawn reference).
    warning : str
        Why the scale may be off, in plain words ("" when none).
    circle : tuple of 4 floats or None
        The measured rim on one typical frame, (frame, cx, cy, radius) px, to show the user.
    spread_pct : float or None
        How much the measured diameter varies over the frames (robust standard
        deviation, % of the diameter); None when not measured over frames.
    certainty : str
        How sure the scale is, in plain words ("sure: measured on 24 frames, spread
        0.2 % ..."); "" when not said.
    scale_sd_pct : float or None
        The scale's standard deviation (% of it): how far a measurement of the same plate
        started from another point on it may land (see
        :func:`analysis.calibration.scale.measure_plate`); folded into each rep's MCV SD
        (:func:`analysis.lift.result.with_scale_sd`; the peak velocity has no SD). None
        when not measured.
    extra : dict
        Fields from a newer LiftLens, kept.

    Raises
    ------
    ValueError
        (:class:`RecordingDataError`) when a value is not finite or out of range.
    """

    m_per_px: float
    source: str = ""
    reference_px: float = 0.0
    axis_ratio: float = 1.0
    frames: int = 0
    warning: str = ""
    circle: Sequence[float] | None = None  # stored as a tuple of 4 floats
    spread_pct: float | None = None
    certainty: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    scale_sd_pct: float | None = None

    def __post_init__(self) -> None:
        lo, hi = M_PER_PX_RANGE
        m = number(self.m_per_px, "scale (metres per pixel)", lo, hi, lo_open=True)
        object.__setattr__(self, "m_per_px", m)
        object.__setattr__(self, "reference_px",
                           number(self.reference_px, "calibration's reference length", 0, 1e6))
        object.__setattr__(self, "axis_ratio",
                           number(self.axis_ratio, "plate's axis ratio", 0, 1, lo_open=True))
        whole(self.frames, "number of calibration frames", 0, 10_000_000)
        text(self.source, "calibration's source")
        text(self.warning, "calibration's warning")
        text(self.certainty, "calibration's certainty")
        if self.spread_pct is not None:
            object.__setattr__(self, "spread_pct",
                               number(self.spread_pct, "calibration's spread", 0, 1000))
        if self.scale_sd_pct is not None:
            object.__setattr__(self, "scale_sd_pct",
                               number(self.scale_sd_pct, "calibration's scale SD", 0, 1000))
        if self.circle is not None:
            c = self.circle
            if not isinstance(c, (list, tuple)) or len(c) != 4:
                raise RecordingDataError("The measured plate rim is damaged (expected frame, "
                                         "centre x, centre y and radius).")
            vals = tuple(number(v, "measured plate rim", -1e7, 1e7) for v in c)
            if vals[0] < 0 or vals[3] <= 0:
                raise RecordingDataError("The measured plate rim is damaged (a negative frame "
                                         "or radius).")
            object.__setattr__(self, "circle", vals)

    @property
    def is_measured_plate(self) -> bool:
        return self.frames > 0

    def to_dict(self) -> dict[str, Any]:
        """The stored form (JSON values)."""
        d = dict(self.extra)
        d.update({"m_per_px": self.m_per_px, "source": self.source,
                  "reference_px": self.reference_px, "axis_ratio": self.axis_ratio,
                  "frames": self.frames, "warning": self.warning,
                  "circle": list(self.circle) if self.circle is not None else None,
                  "spread_pct": self.spread_pct, "certainty": self.certainty})
        if self.scale_sd_pct is not None:  # files without it read as before
            d["scale_sd_pct"] = self.scale_sd_pct
        return d

    @property
    def at_plate(self) -> bool:
        """The scale holds at a plate's distance from the camera (measured on its rim, or a
        circle drawn on it), not at a drawn line's."""
        return self.source.startswith("plate")

    def provenance(self) -> dict[str, Any]:
        """Everything but the scale itself (for the analysis result's ``calibration``)."""
        return {k: v for k, v in self.to_dict().items() if k != "m_per_px"}

    @classmethod
    def from_dict(cls, d: Any) -> Calibration | None:
        """Read a stored calibration; ``{}`` (not calibrated) gives None.

        Raises
        ------
        RecordingDataError
            (a ``ValueError``) with a sentence for the user when a field is missing,
            not a finite number, out of range, or of the wrong kind.
        """
        d = mapping(d, "stored calibration")
        if not d:
            return None
        if "m_per_px" not in d:
            raise RecordingDataError("The stored calibration has no scale (metres per pixel).")
        frames = d.get("frames", 0)
        if isinstance(frames, float) and frames.is_integer() and math.isfinite(frames):
            frames = int(frames)
        return cls(d["m_per_px"], d.get("source", ""), d.get("reference_px", 0.0),
                   d.get("axis_ratio", 1.0), frames, d.get("warning", "") or "",
                   d.get("circle"), d.get("spread_pct"), d.get("certainty", "") or "",
                   {k: v for k, v in d.items() if k not in _FIELDS}, d.get("scale_sd_pct"))
