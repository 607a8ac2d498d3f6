"""Read bar tracks made elsewhere, write LiftLens per-frame track CSVs.

Formats read
------------
- **LiftLens track CSV** (written by :func:`write_track_csv`): a first line
  ``# liftlens-track v1``, optional ``# m_per_px=<float>``, then the columns
  ``frame,t_s,x_px,y_px,confidence,state``. Floats are written exactly
  (shortest round-trip repr), lost positions as empty cells, state by name
  (``none``, ``tracked``, ``anchor``, ``lost``). Reading and writing again
  gives the same bytes. ``# units=m`` instead: a track read in metres, its
  x/y metres as image coordinates (y = -height).
- **The app's data export** (``NAME-track.csv``): read by :mod:`analysis.io.data_track`,
  the pixel columns with the file's scale; its rep table ``NAME.csv`` is refused by name.
- **Generic CSV** (comma, semicolon or tab): a header naming a time column
  (``t``, ``time``, ``t_s``, ``time_s``, ``timestamp``; ``time_ms``/``(ms)`` in
  milliseconds; or ``h:mm:ss.ff`` values) or a frame column (``frame``, ``n``,
  ``frame_index``; then ``fps`` is needed), and ``x``/``y`` columns. Units come
  from the header (``x_px``, ``x_m``, ``x (cm)``, ``[mm]``, ``(in)``, ``(ft)``, ``(yd)``…)
  or from the caller;
  otherwise they are guessed (all coordinates below 10 → metres) and a warning
  says so. Pixel y grows downward (image); metric y grows upward (height).
- **Kinovea exports**: the CSV trajectory export (``"Time";"name/1/X";"name/1/Y"``,
  quoted cells, ``;`` and decimal commas in many locales), the text export
  (``#Kinovea Trajectory data export`` / ``#T X Y``, space separated; the first
  trajectory is read) and copied data (``Time (ms);X (cm);Y (cm)``). Times come in
  the user's Kinovea time format: seconds, ``[h:][mm:]ss.xx``, time and frame
  ``0:00:01.23 (37)``, ``(ms)``, ``(µs)``, frames ``(F)`` (then ``fps`` is needed),
  hundredths of minutes ``(min/100)`` or ten-thousandths of hours ``(hour/10000)``
  (``12:34`` = 12.34 units; formats from Kinovea's ``TimeHelper.GetTimestring``).
  Kinovea's calibrated y axis points up, as in the generic metric case.
- **Tracker** (Open Source Physics) data files: a title line (the track's name,
  e.g. ``mass_A``), a tab-separated ``t x y`` header (more columns allowed),
  numbers like ``1.200000000E+00``; read in metres with y up unless ``units``
  says otherwise.
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
#: Lengths read, in metres per unit (Kinovea also calibrates in inches, feet and yards).
_UNIT_M = {"m": 1.0, "cm": 0.01, "mm": 0.001, "in": 0.0254, "ft": 0.3048, "yd": 0.9144}


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
        The scale: the one the user gave (``read_track_csv(m_per_px=...)``), else the one
        stored in the file (LiftLens CSVs), 1.0 for metric files.
    source : str
        ``"liftlens"`` (a track CSV), ``"liftlens-data"`` (the app's data export) or
        ``"generic"``.
    warnings : list of str
    scale_sd_pct : float or None
        The standard deviation of ``m_per_px`` (% of it) the file records (a plate
        measured in the clip), None when it records none.
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
    scale_sd_pct: float | None = None


def exact_text(v: float) -> str:
    """``v`` written exactly (its shortest round-trip form), empty when not finite."""
    return "" if not math.isfinite(v) else repr(float(v))


def write_track_csv(path: str | Path, frame: np.ndarray, t: np.ndarray, x: np.ndarray,
                    y: np.ndarray, confidence: np.ndarray | None = None,
                    state: np.ndarray | None = None, m_per_px: float | None = None,
                    units: str = "px") -> None:
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
    units : {"px", "m"}
        ``"m"``: ``x``/``y`` are metres arranged as image coordinates (``y = -height``,
        a track read in metres), said in a ``# units=m`` line.
    """
    text = track_csv_text(frame, t, x, y, confidence, state, m_per_px, units)
    Path(path).write_text(text, encoding="utf-8", newline="\n")


def track_csv_text(frame: np.ndarray, t: np.ndarray, x: np.ndarray, y: np.ndarray,
                   confidence: np.ndarray | None = None, state: np.ndarray | None = None,
                   m_per_px: float | None = None, units: str = "px") -> str:
    """The text :func:`write_track_csv` writes (same parameters, without the path)."""
    n = len(t)
    conf = np.full(n, np.nan) if confidence is None else np.asarray(confidence, float)
    if state is None:
        state = np.where(np.isfinite(np.asarray(x, float)), 1, 3)
    buf = io.StringIO()
    buf.write(MAGIC + "\n")
    if units == "m":
        buf.write("# units=m\n")
    elif m_per_px is not None:
        buf.write(f"# m_per_px={float(m_per_px)!r}\n")
    buf.write(",".join(COLUMNS) + "\n")
    for i in range(n):
        buf.write(",".join((str(int(frame[i])), exact_text(t[i]), exact_text(x[i]), exact_text(y[i]),
                            exact_text(conf[i]), STATE_NAMES.get(int(state[i]), "none"))) + "\n")
    return buf.getvalue()


def read_track_csv(path: str | Path, *, units: str | None = None, fps: float | None = None,
                   m_per_px: float | None = None) -> TrackData:
    """Read a LiftLens, generic or Kinovea track file.

    Parameters
    ----------
    path : str or Path
    units : {"px", "m", "cm", "mm", "in", "ft", "yd"}, optional
        Declared units of the x/y columns (overrides the header and the guess); refused
        for a file LiftLens wrote, which says its own.
    fps : float, optional
        Frame rate for files with frame numbers but no times.
    m_per_px : float, optional
        A scale the user gives for a track in pixels (``TrackData.m_per_px`` is then this
        one): it wins over the file's own, with a warning when they differ by more than
        0.5 % (the user may be correcting a plate measured wrong). Refused for a track in
        metres, which has no pixels to scale.

    Raises
    ------
    TrackFileError
        With a plain message: missing, binary or oversized file, no x/y/time columns,
        bad numbers, LiftLens metre columns that are empty or do not fit the pixels.
    """
    from analysis.io.data_track import is_data_track, other_liftlens_table, read_data_track

    p = Path(path)
    if units is not None and units not in ("px", *_UNIT_M):
        raise TrackFileError(f"unknown units {units!r}: use px, {', '.join(_UNIT_M)}")
    if m_per_px is not None and not (math.isfinite(m_per_px) and m_per_px > 0):
        raise TrackFileError("the scale must be a positive number of metres per pixel")
    text = _read_text(p)
    try:
        first = next(_split(ln) for ln in text.splitlines()
                     if ln.strip() and not ln.startswith("#"))
    except StopIteration:
        first = []
    except csv.Error as exc:
        raise TrackFileError(f"{p.name} cannot be read as CSV ({exc})") from None
    if text.startswith(MAGIC) or is_data_track(first):
        if units is not None:
            raise TrackFileError(f"{p.name} was written by LiftLens and says its own units: "
                                 f"leave out --units")
        if not text.startswith(MAGIC):
            return read_data_track(_rows(text, p), p.name, m_per_px)
        return with_given_scale(_read_liftlens(text, p), m_per_px, p.name)
    refused = other_liftlens_table(first, p.name)
    if refused:
        raise TrackFileError(refused)
    try:
        return with_given_scale(_read_generic(text, p, units, fps), m_per_px, p.name)
    except csv.Error as exc:  # quoting no CSV writer makes
        raise TrackFileError(f"{p.name} cannot be read as CSV ({exc})") from None


#: Files larger than this are no bar track (an hour at 240 fps is about 90 MB).
MAX_BYTES = 200_000_000
#: Lines longer than this are no track row.
MAX_LINE = 10_000


def _read_text(p: Path) -> str:
    """The text of the track file ``p``: UTF-8 (with or without a byte-order mark), UTF-16
    with its mark, else Windows-1252 (a spreadsheet's "CSV"); refused in plain words when
    missing, unreadable, too large, binary or with lines no track has."""
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise TrackFileError(f"{p.name} is {size / 1e6:.0f} MB: too large for a bar track "
                                 f"(at most {MAX_BYTES / 1e6:.0f} MB)")
        data = p.read_bytes()
    except FileNotFoundError:
        raise TrackFileError(f"the track file {p} does not exist") from None
    except IsADirectoryError:
        raise TrackFileError(f"{p} is a folder, not a track file") from None
    except OSError as exc:
        raise TrackFileError(f"the track file {p} cannot be read "
                             f"({exc.strerror or exc})") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = "\0"
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace").replace("\ufffd", "\0")
    if re.search(r"[\x00-\x08\x0e-\x1f\x7f]", text):
        raise TrackFileError(f"{p.name} is not a text file: a track is a CSV or text file "
                             f"with a time and x, y columns")
    for k, line in enumerate(text.splitlines()):
        if len(line) > MAX_LINE:
            raise TrackFileError(f"{p.name}, line {k + 1}: {len(line)} characters long, far "
                                 f"more than any track row; is it a track file?")
    return text


def _rows(text: str, p: Path) -> list[list[str]]:
    """The rows of ``text`` (``#`` lines left out), cells as text, split at the header's
    separator (a spreadsheet may save a comma file again with semicolons)."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    try:
        return list(csv.reader(lines, delimiter=_delimiter(lines[0]) or ","))
    except csv.Error as exc:
        raise TrackFileError(f"{p.name} cannot be read as CSV ({exc})") from None


def with_given_scale(td: TrackData, m_per_px: float | None, name: str) -> TrackData:
    """``td`` with the user's scale ``m_per_px`` (m/px) when given, a warning when the
    file's own differs from it by more than 0.5 %; refused for a track in metres."""
    if m_per_px is None:
        return td
    if td.units == "m":
        raise TrackFileError(f"{name} is already in metres: leave out --m-per-px")
    note = replaced_scale_note(m_per_px, td.m_per_px)
    if note:
        td.warnings.append(note)
    td.m_per_px = m_per_px
    return td


def replaced_scale_note(given: float, own: float | None) -> str | None:
    """The warning when the user's scale ``given`` replaces a file's ``own`` (m/px) that
    differs from it by more than 0.5 %, else None."""
    if own is None or abs(given / own - 1) <= 0.005:
        return None
    return (f"the scale given ({given:.6g} m/px) was used instead of the file's own "
            f"({own:.6g} m/px): lengths and velocities are {100 * (given / own - 1):+.1f} % "
            f"of what the file's scale gives")


def to_number(s: str, what: str, line: int) -> float:
    """The number in cell ``s`` (NaN when empty or ``nan``/``na``/``null``/``none``; a
    lone decimal comma is read as a point); ``what`` and ``line`` name it in the error."""
    s = s.strip()
    if s == "" or s.lower() in ("nan", "na", "null", "none"):
        return float("nan")
    try:
        return float(s.replace(",", ".")) if s.count(",") == 1 and "." not in s else float(s)
    except ValueError:
        raise TrackFileError(f"line {line}: {what} {s!r} is not a number") from None


def _read_liftlens(text: str, p: Path) -> TrackData:
    lines = text.splitlines()
    m_per_px, units = None, "px"
    i = 1
    while i < len(lines) and lines[i].startswith("#"):
        m = re.match(r"#\s*m_per_px\s*=\s*(\S+)", lines[i])
        if m:
            m_per_px = to_number(m.group(1), "m_per_px", i + 1)
            if not m_per_px > 0:
                raise TrackFileError(f"{p.name}, line {i + 1}: m_per_px must be a positive "
                                     f"number of metres per pixel")
        if re.match(r"#\s*units\s*=\s*m\s*$", lines[i]):
            units = "m"  # metres as image coordinates, y = -height (a track read in metres)
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
            cols[j, k] = to_number(c[j + 1], COLUMNS[j + 1], i + 2 + k)
        if c[5].strip() not in STATE_CODES:
            raise TrackFileError(f"{p.name}, line {i + 2 + k}: unknown state {c[5]!r}")
        st[k] = STATE_CODES[c[5].strip()]
    check_times(cols[0], p.name)
    return TrackData(fr, cols[0], cols[1], cols[2], cols[3], st, units,
                     1.0 if units == "m" else m_per_px, "liftlens")


def check_times(t: np.ndarray, name: str) -> None:
    """Refuse (:class:`TrackFileError`) times ``t`` (s) that are absent or do not increase;
    ``name`` is the file's, for the message."""
    if len(t) == 0:
        raise TrackFileError(f"{name} holds no track rows")
    if not np.all(np.isfinite(t)):
        raise TrackFileError(f"{name}: some rows have no time")
    if np.any(np.diff(t) <= 0):
        raise TrackFileError(f"{name}: the times must increase from row to row")


_TIME_NAMES = ("t", "time", "t_s", "time_s", "timestamp", "seconds", "t_ms", "time_ms")
_FRAME_NAMES = ("frame", "frame_index", "frame_number", "n", "index")


def _header_unit(name: str) -> tuple[str, str | None]:
    """Base name and unit of a header like ``x (cm)``, ``X [m]``, ``x_px``, ``time_ms``,
    Kinovea's ``Time (ms)``, ``Time (min/100)``, ``Trajectory/1/X`` (name ``x``)."""
    s = name.strip().strip('"').strip().lower().replace("\u00b5", "\u03bc")
    unit = None
    m = re.match(r"^(.*?)\s*[\(\[]\s*([a-z\u03bc/0-9]+)\s*[\)\]]\s*$", s)
    if m:
        s, unit = m.group(1).strip(), m.group(2)
    else:
        m = re.match(r"^(.*?)_(px|m|cm|mm|in|ft|yd|s|ms)$", s)
        if m:
            s, unit = m.group(1), m.group(2)
    if "/" in s:  # Kinovea's "series/point/X"
        s = s.rsplit("/", 1)[1].strip()
    return s, unit


#: Kinovea's time units (its TimecodeFormat choices), in seconds per unit; "f" = frames.
_TIME_UNITS = {"s": 1.0, "ms": 1e-3, "\u03bcs": 1e-6, "us": 1e-6, "min/100": 0.6,
               "hour/10000": 0.36}


def _parse_time(s: str, line: int, hundredths: bool = False) -> float:
    """Seconds (or the file's unit) from ``12.5``, ``0:00:01.23``, Kinovea's
    ``0:00:01.23 (37)`` (time and frame) or, with ``hundredths``, ``12:34`` = 12.34."""
    s = re.sub(r"\s*\(\s*\d+\s*\)\s*$", "", s.strip().strip('"')).strip()
    if s.startswith("- "):
        s = "-" + s[2:]
    if hundredths and re.fullmatch(r"-?\d+:\d\d", s):
        whole, frac = s.split(":")
        return float(whole) + (-1 if whole.startswith("-") else 1) * float(frac) / 100
    if ":" in s:
        try:
            parts = [float(v) for v in s.split(":")]
        except ValueError:
            raise TrackFileError(f"line {line}: time {s!r} is not a time") from None
        total = 0.0
        for v in parts:
            total = total * 60 + v
        return total
    return to_number(s, "time", line)


def _whole(frames: np.ndarray, name: str) -> np.ndarray:
    """``frames`` as whole numbers, refused in plain words when one is missing or is not."""
    if not np.all(np.isfinite(frames)) or np.any(frames != np.round(frames)):
        raise TrackFileError(f"{name}: the frame column must hold a whole number on every row")
    return frames.astype(int)


def _delimiter(header: str) -> str | None:
    """The header line's separator: ``;``, tab or ``,`` (None: runs of spaces)."""
    delim = max((";", "\t", ","), key=header.count)
    return delim if header.count(delim) else None


def _split(line: str, delim: str | None = None) -> list[str]:
    delim = delim or _delimiter(line)
    if delim is None:
        return line.split()
    return next(csv.reader([line], delimiter=delim))


def _has_xy(cells: list[str]) -> bool:
    names = [_header_unit(c)[0] for c in cells]
    return "x" in names and "y" in names


def _kinovea_txt(text: str) -> list[str] | None:
    """Kinovea's trajectory text export (``#Kinovea Trajectory data export``, ``#T X Y``,
    then ``# name`` and space-separated rows per trajectory): the first trajectory's rows
    as CSV lines with a ``t,x,y`` header, or None when ``text`` is not one."""
    lines = text.splitlines()
    if not lines or not lines[0].lstrip().lower().startswith("#kinovea trajectory"):
        return None
    out = ["t,x,y"]
    started = False
    for ln in lines[1:]:
        if ln.lstrip().startswith("#") or not ln.strip():
            if started and not ln.strip():
                break  # the next trajectory follows a blank line
            continue
        started = True
        cells = ln.split()
        out.append(",".join(c.replace(",", ".") for c in cells[:3]))
    return out


def _read_generic(text: str, p: Path, units: str | None, fps: float | None) -> TrackData:
    warnings: list[str] = []
    kinovea = _kinovea_txt(text)
    if kinovea is not None:
        lines = kinovea
        if text.count("\n# ") > 1:
            warnings.append("the file holds several trajectories; the first one was read")
    else:
        lines = [ln for ln in text.splitlines()
                 if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise TrackFileError(f"{p.name} is empty")
    # Tracker (Open Source Physics) and others put a title line (or several) first
    first = next((k for k, ln in enumerate(lines[:10]) if _has_xy(_split(ln))), 0)
    title = " ".join(ln.strip() for ln in lines[:first])
    lines = lines[first:]
    tracker = first > 0 and "\t" in lines[0]
    delim = _delimiter(lines[0])
    rows = [_split(ln, delim) if delim else ln.split() for ln in lines]
    header = [_header_unit(h) for h in rows[0]]
    names = [h[0] for h in header]

    def col(options: tuple[str, ...]) -> int | None:
        for o in options:
            if o in names:
                return names.index(o)
        return None

    ix, iy = col(("x",)), col(("y",))
    it, ifr = col(_TIME_NAMES), col(_FRAME_NAMES)
    if ix is None or iy is None:
        raise TrackFileError(f"{p.name}: no x and y columns in the header "
                             f"({', '.join(rows[0])}); the first lines should name the "
                             f"columns, e.g. t,x,y")
    if it is None and ifr is None:
        raise TrackFileError(f"{p.name}: no time or frame column in the header")
    body = rows[1:]
    if not body:
        raise TrackFileError(f"{p.name} holds no track rows")
    for k, r in enumerate(body):
        if len(r) < len(header):
            raise TrackFileError(f"{p.name}, line {k + 2}: expected {len(header)} values, "
                                 f"found {len(r)}")
    x = np.array([to_number(r[ix], "x", k + 2) for k, r in enumerate(body)])
    y = np.array([to_number(r[iy], "y", k + 2) for k, r in enumerate(body)])
    frame = (_whole(np.array([to_number(r[ifr], "frame", k + 2) for k, r in enumerate(body)]),
                    p.name) if ifr is not None else np.arange(len(body)))
    tunit = header[it][1] if it is not None else None
    if it is not None and tunit == "ts":
        raise TrackFileError(f"{p.name}: times in video timestamps cannot be read; export "
                             f"them in seconds, milliseconds or frames")
    if it is not None and tunit == "f":  # Kinovea's time column in frames
        frame, it = _whole(np.round([to_number(r[it], "frame", k + 2)
                                     for k, r in enumerate(body)]), p.name), None
    if it is not None:
        hundredths = tunit in ("min/100", "hour/10000")
        t = np.array([_parse_time(r[it], k + 2, hundredths) for k, r in enumerate(body)])
        tname = header[it][0]
        if tname.endswith("_ms"):
            tunit = "ms"
        if tunit not in (None, *_TIME_UNITS):
            raise TrackFileError(f"{p.name}: unknown time unit {tunit!r} in the header")
        t = t * _TIME_UNITS.get(tunit or "s", 1.0)
    else:
        if not fps or not fps > 0:
            raise TrackFileError(f"{p.name} has frame numbers but no times: give the frame "
                                 f"rate (--fps)")
        t = frame / float(fps)
    check_times(t, p.name)
    unit = units or header[ix][1] or header[iy][1]
    if unit not in (None, "px", *_UNIT_M):
        raise TrackFileError(f"{p.name}: the positions are in {unit!r}, not a length read "
                             f"here (px, {', '.join(_UNIT_M)})")
    if unit is None and tracker:
        unit = "m"  # Tracker writes its calibrated units, metres unless the user chose others
        warnings.append(f"Tracker data{f' ({title})' if title else ''}: read in metres with "
                        f"y up (give --units if the file is in other units)")
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
