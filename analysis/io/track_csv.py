"""Read bar tracks made elsewhere, write LiftLens per-frame track CSVs.

Formats read
------------
- **LiftLens track CSV** (written by :func:`write_track_csv`): a first line
  ``# liftlens-track v1``, optional ``# m_per_px=<float>``, then the columns
  ``frame,t_s,x_px,y_px,confidence,state``. Floats are written exactly
  (shortest round-trip repr), lost positions as empty cells, state by name
  (``none``, ``tracked``, ``anchor``, ``lost``). Reading and writing again
  gives the same bytes.
- **Generic CSV** (comma, semicolon or tab): a header naming a time column
  (``t``, ``time``, ``t_s``, ``time_s``, ``timestamp``; ``time_ms``/``(ms)`` in
  milliseconds; or ``h:mm:ss.ff`` values) or a frame column (``frame``, ``n``,
  ``frame_index``; then ``fps`` is needed), and ``x``/``y`` columns. Units come
  from the header (``x_px``, ``x_m``, ``x (cm)``, ``[mm]``…) or from the caller;
  otherwise they are guessed (all coordinates below 10 → metres) and a warning
  says so. Pixel y grows downward (image); metric y grows upward (height).
- **Kinovea trajectory export** as text (``Time;X;Y``, units in the headers,
  times as seconds, milliseconds or ``h:mm:ss.ff``): read by the generic reader;
  Kinovea's calibrated y axis points up, as in the generic metric case.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = "# liftlens-track v1"
COLUMNS = ("frame", "t_s", "x_px", "y_px", "confidence", "state")
STATE_CODES = {"none": 0, "tracked": 1, "anchor": 2, "lost": 3}
STATE_NAMES = {v: k for k, v in STATE_CODES.items()}
_UNIT_M = {"m": 1.0, "cm": 0.01, "mm": 0.001}


class TrackFileError(ValueError):
    """A track file that cannot be read; the message says why in plain words."""


@dataclass
class TrackData:
    """A bar track read from a file.

    Attributes
    ----------
    frame : numpy.ndarray of int
    t : numpy.ndarray
        Times (s).
    x, y : numpy.ndarray
        Positions in image pixels (y down) when ``units == "px"``; when the
        file was metric they are metres arranged as image coordinates
        (``y = -height``) with ``m_per_px = 1``, so the analysis can treat both
        alike.
    confidence : numpy.ndarray
        0..1, NaN when the file has none.
    state : numpy.ndarray of uint8
        0 none, 1 tracked, 2 anchor, 3 lost.
    units : str
        ``"px"`` or ``"m"`` (units of the file).
    m_per_px : float or None
        Scale stored in the file (LiftLens CSV), 1.0 for metric files.
    source : str
        ``"liftlens"`` or ``"generic"``.
    """

    frame: np.ndarray
    t: np.ndarray
    x: np.ndarray
    y: np.ndarray
    confidence: np.ndarray
    state: np.ndarray
    units: str
    m_per_px: float | None
    source: str
    warnings: list[str] = field(default_factory=list)


def _fmt(v: float) -> str:
    return "" if not math.isfinite(v) else repr(float(v))


def write_track_csv(path: str | Path, frame: np.ndarray, t: np.ndarray, x: np.ndarray,
                    y: np.ndarray, confidence: np.ndarray | None = None,
                    state: np.ndarray | None = None, m_per_px: float | None = None) -> None:
    """Write a LiftLens track CSV (positions in px, times in s).

    Parameters
    ----------
    path : str or Path
    frame, t, x, y : array_like
        Frame numbers, times (s), image positions (px; NaN = lost).
    confidence, state : array_like, optional
        Per frame; default NaN and ``tracked``/``lost`` from the positions.
    m_per_px : float, optional
        Stored in a header line when given.
    """
    text = track_csv_text(frame, t, x, y, confidence, state, m_per_px)
    Path(path).write_text(text, encoding="utf-8", newline="\n")


def track_csv_text(frame: np.ndarray, t: np.ndarray, x: np.ndarray, y: np.ndarray,
                   confidence: np.ndarray | None = None, state: np.ndarray | None = None,
                   m_per_px: float | None = None) -> str:
    """The text :func:`write_track_csv` writes (same parameters, without the path)."""
    n = len(t)
    conf = np.full(n, np.nan) if confidence is None else np.asarray(confidence, float)
    if state is None:
        state = np.where(np.isfinite(np.asarray(x, float)), 1, 3)
    buf = io.StringIO()
    buf.write(MAGIC + "\n")
    if m_per_px is not None:
        buf.write(f"# m_per_px={float(m_per_px)!r}\n")
    buf.write(",".join(COLUMNS) + "\n")
    for i in range(n):
        buf.write(",".join((str(int(frame[i])), _fmt(t[i]), _fmt(x[i]), _fmt(y[i]),
                            _fmt(conf[i]), STATE_NAMES.get(int(state[i]), "none"))) + "\n")
    return buf.getvalue()


def read_track_csv(path: str | Path, *, units: str | None = None, fps: float | None = None
                   ) -> TrackData:
    """Read a LiftLens, generic or Kinovea track file.

    Parameters
    ----------
    path : str or Path
    units : {"px", "m", "cm", "mm"}, optional
        Declared units of the x/y columns (overrides the header and the guess).
    fps : float, optional
        Frame rate for files with frame numbers but no times.

    Raises
    ------
    TrackFileError
        With a plain message: missing file, no x/y/time columns, bad numbers.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TrackFileError(f"the track file {p} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TrackFileError(f"the track file {p} cannot be read ({exc})") from None
    if units is not None and units not in ("px", *_UNIT_M):
        raise TrackFileError(f"unknown units {units!r}: use px, m, cm or mm")
    if text.startswith(MAGIC):
        return _read_liftlens(text, p)
    return _read_generic(text, p, units, fps)


def _num(s: str, what: str, line: int) -> float:
    s = s.strip()
    if s == "" or s.lower() in ("nan", "na", "null", "none"):
        return float("nan")
    try:
        return float(s.replace(",", ".")) if s.count(",") == 1 and "." not in s else float(s)
    except ValueError:
        raise TrackFileError(f"line {line}: {what} {s!r} is not a number") from None


def _read_liftlens(text: str, p: Path) -> TrackData:
    lines = text.splitlines()
    m_per_px = None
    i = 1
    while i < len(lines) and lines[i].startswith("#"):
        m = re.match(r"#\s*m_per_px\s*=\s*(\S+)", lines[i])
        if m:
            m_per_px = _num(m.group(1), "m_per_px", i + 1)
        i += 1
    if i >= len(lines) or tuple(c.strip() for c in lines[i].split(",")) != COLUMNS:
        raise TrackFileError(f"{p.name}: a LiftLens track needs the columns "
                             f"{','.join(COLUMNS)}")
    rows = [r for r in lines[i + 1:] if r.strip()]
    n = len(rows)
    fr = np.zeros(n, int)
    cols = np.full((4, n), np.nan)
    st = np.zeros(n, np.uint8)
    for k, r in enumerate(rows):
        c = r.split(",")
        if len(c) != 6:
            raise TrackFileError(f"{p.name}, line {i + 2 + k}: expected 6 values, found {len(c)}")
        try:
            fr[k] = int(c[0])
        except ValueError:
            raise TrackFileError(f"{p.name}, line {i + 2 + k}: frame {c[0]!r} is not a "
                                 f"whole number") from None
        for j in range(4):
            cols[j, k] = _num(c[j + 1], COLUMNS[j + 1], i + 2 + k)
        if c[5].strip() not in STATE_CODES:
            raise TrackFileError(f"{p.name}, line {i + 2 + k}: unknown state {c[5]!r}")
        st[k] = STATE_CODES[c[5].strip()]
    _check_times(cols[0], p)
    return TrackData(fr, cols[0], cols[1], cols[2], cols[3], st, "px", m_per_px, "liftlens")


def _check_times(t: np.ndarray, p: Path) -> None:
    if len(t) == 0:
        raise TrackFileError(f"{p.name} holds no track rows")
    if not np.all(np.isfinite(t)):
        raise TrackFileError(f"{p.name}: some rows have no time")
    if np.any(np.diff(t) <= 0):
        raise TrackFileError(f"{p.name}: the times must increase from row to row")


_TIME_NAMES = ("t", "time", "t_s", "time_s", "timestamp", "seconds", "t_ms", "time_ms")
_FRAME_NAMES = ("frame", "frame_index", "frame_number", "n", "index")


def _header_unit(name: str) -> tuple[str, str | None]:
    """Base name and unit of a header like ``x (cm)``, ``X [m]``, ``x_px``, ``time_ms``."""
    s = name.strip().lower()
    m = re.match(r"^(.*?)\s*[\(\[]\s*([a-z]+)\s*[\)\]]\s*$", s)
    if m:
        return m.group(1).strip(), m.group(2)
    m = re.match(r"^(.*?)_(px|m|cm|mm|s|ms)$", s)
    if m:
        return m.group(1), m.group(2)
    return s, None


def _parse_time(s: str, line: int) -> float:
    s = s.strip()
    if ":" in s:
        try:
            parts = [float(v) for v in s.split(":")]
        except ValueError:
            raise TrackFileError(f"line {line}: time {s!r} is not a time") from None
        total = 0.0
        for v in parts:
            total = total * 60 + v
        return total
    return _num(s, "time", line)


def _read_generic(text: str, p: Path, units: str | None, fps: float | None) -> TrackData:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise TrackFileError(f"{p.name} is empty")
    delim = max((";", "\t", ","), key=lambda d: lines[0].count(d))
    rows = list(csv.reader(lines, delimiter=delim))
    header = [_header_unit(h) for h in rows[0]]
    names = [h[0] for h in header]
    warnings: list[str] = []

    def col(options: tuple[str, ...]) -> int | None:
        for o in options:
            if o in names:
                return names.index(o)
        return None

    ix, iy = col(("x",)), col(("y",))
    it, ifr = col(_TIME_NAMES), col(_FRAME_NAMES)
    if ix is None or iy is None:
        raise TrackFileError(f"{p.name}: no x and y columns in the header "
                             f"({', '.join(rows[0])})")
    if it is None and ifr is None:
        raise TrackFileError(f"{p.name}: no time or frame column in the header")
    body = rows[1:]
    if not body:
        raise TrackFileError(f"{p.name} holds no track rows")
    for k, r in enumerate(body):
        if len(r) < len(header):
            raise TrackFileError(f"{p.name}, line {k + 2}: expected {len(header)} values, "
                                 f"found {len(r)}")
    x = np.array([_num(r[ix], "x", k + 2) for k, r in enumerate(body)])
    y = np.array([_num(r[iy], "y", k + 2) for k, r in enumerate(body)])
    frame = (np.array([int(_num(r[ifr], "frame", k + 2)) for k, r in enumerate(body)])
             if ifr is not None else np.arange(len(body)))
    if it is not None:
        t = np.array([_parse_time(r[it], k + 2) for k, r in enumerate(body)])
        tname, tunit = header[it]
        if tunit == "ms" or tname.endswith("_ms"):
            t = t / 1000.0
    else:
        if not fps or not fps > 0:
            raise TrackFileError(f"{p.name} has frame numbers but no times: give the frame "
                                 f"rate (--fps)")
        t = frame / float(fps)
    _check_times(t, p)
    unit = units or header[ix][1] or header[iy][1]
    if unit not in (None, "px", *_UNIT_M):
        raise TrackFileError(f"{p.name}: unknown unit {unit!r} in the header")
    if unit is None:
        finite = np.abs(np.concatenate((x[np.isfinite(x)], y[np.isfinite(y)])))
        unit = "m" if len(finite) and finite.max() < 10 else "px"
        warnings.append(f"the file does not say its units; read as {unit} "
                        f"({'all coordinates below 10' if unit == 'm' else 'large coordinates'})")
    if unit == "px":
        return TrackData(frame, t, x, y, np.full(len(t), np.nan),
                         np.where(np.isfinite(x) & np.isfinite(y), 1, 3).astype(np.uint8),
                         "px", None, "generic", warnings)
    f = _UNIT_M[unit]
    return TrackData(frame, t, x * f, -y * f, np.full(len(t), np.nan),
                     np.where(np.isfinite(x) & np.isfinite(y), 1, 3).astype(np.uint8),
                     "m", 1.0, "generic", warnings)
