"""The app's per-frame data export (``NAME-track.csv``, Export → Data (CSV)): written here
and read back by ``liftlens analyze --track-csv`` with the numbers it was written with.

The file holds the track in pixels (``x_px``, ``y_px``: what the analysis measured) beside
the filtered position and velocity in the analysis unit (``x_m``, ``height_m``, ``vx_m_s``,
``vy_m_s`` when calibrated, ``..._px`` otherwise), the state, the camera's motion and, since
2026-12-12, the tracker's ``confidence``, the scale ``m_per_px`` (empty when uncalibrated)
and its standard deviation ``scale_sd_pct`` (% of it, from a plate measured in the clip)
on every row; the time and the positions in px are written exactly (their shortest
round-trip form; six and three decimals before). Read back, the pixel track is analysed again with the file's
scale: its ``m_per_px`` column, or for a file written before it, the scale that carries
the pixel columns onto the metre columns (found to about 1e-4 of itself; the metre
columns are filtered, so one scale fits them only up to the filter's smoothing).

The rep table written beside it (``NAME.csv``) holds no track; reading it says so.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis.io.track_csv import (
    STATE_CODES, STATE_NAMES, TrackData, TrackFileError, check_times, exact_text,
    replaced_scale_note, to_number,
)

if TYPE_CHECKING:
    from analysis.lift.result import AnalysisResult

#: The first columns of every data export, older ones included.
LEAD = ("frame", "t_s", "x_px", "y_px")
#: The rep table's first columns, to name it when it is given instead of the track.
REP_TABLE_LEAD = ("rep", "status", "start_s")
#: How far the metre columns may stray from the pixel columns under one scale (root mean
#: square over the position's range) before the file is called inconsistent: filtering
#: leaves about 3e-4 (a 0.5 m squat at 30 fps), a column edited by hand much more.
MAX_MISFIT = 0.01
#: How far a recorded ``m_per_px`` may differ from the one the metre columns show.
MAX_SCALE_GAP = 0.01


def data_track_text(r: AnalysisResult,
                    camera: tuple[np.ndarray, np.ndarray] | None = None) -> str:
    """The per-frame track of the data export (``NAME-track.csv``) as text.

    Parameters
    ----------
    r : AnalysisResult
        The analysis; ``x_px``/``y_px`` are the positions it measured (against the room),
        ``x_UNIT``/``height_UNIT``/``v*_UNIT_s`` its filtered kinematics (``height`` up
        from the set's lowest point, as the panel plots it).
    camera : (dx, dy) arrays, optional
        How far the camera had moved the picture at each frame number (px); None when it
        stood still or its motion was not taken out (the columns are then empty).
    """
    buf = io.StringIO()
    w = csv.writer(buf)
    k = r.kinematics
    u = r.units
    height = k.height_from_lowest()
    w.writerow([*LEAD, f"x_{u}", f"height_{u}", f"vx_{u}_s", f"vy_{u}_s", "state",
                "camera_dx_px", "camera_dy_px", "confidence", "m_per_px", "scale_sd_pct"])
    scale = "" if u != "m" or not r.m_per_px else repr(float(r.m_per_px))
    sd = r.calibration.get("scale_sd_pct") if scale else None
    scale_sd = "" if sd is None else repr(float(sd))

    def f(v: float, nd: int) -> str:
        return "" if not np.isfinite(v) else f"{v:.{nd}f}"

    for i in range(len(k.t)):
        n = int(r.frame[i])
        moved = ["", ""] if camera is None or not 0 <= n < len(camera[0]) else \
            [f(camera[0][n], 2), f(camera[1][n], 2)]
        # what the analysis reads is written exactly: rounded, the track read back moved
        # MCVs (1e-3 px: 2e-4 m/s; times to 1e-6 s: 0.0016 m/s on a real clip)
        w.writerow([n, exact_text(k.t[i]), exact_text(r.x_px[i]), exact_text(r.y_px[i]),
                    f(k.x[i], 5), f(height[i], 5), f(k.vx[i], 4), f(k.vy[i], 4),
                    STATE_NAMES.get(int(r.state[i]), "none"), *moved,
                    exact_text(r.confidence[i]), scale, scale_sd])
    return buf.getvalue()


def is_data_track(header: Sequence[str]) -> bool:
    """Whether ``header`` (a CSV's first row, cells) is the data export's track."""
    cells = [c.strip() for c in header]
    return tuple(cells[:4]) == LEAD and "state" in cells \
        and any(c in ("height_m", "height_px") for c in cells)


def other_liftlens_table(header: Sequence[str], name: str) -> str | None:
    """A plain reason to refuse a LiftLens table that holds no track (the rep or attempt
    table of the data export, read by mistake), or None for any other header."""
    cells = tuple(c.strip() for c in header)
    if cells[:3] == REP_TABLE_LEAD or (cells[:1] == ("lift",) and "liftoff_s" in cells):
        return (f"{name} is LiftLens's table of reps, not a track: give the track written "
                f"beside it ({name.rsplit('.', 1)[0]}-track.csv)")
    return None


def read_data_track(rows: list[list[str]], name: str,
                    m_per_px: float | None = None) -> TrackData:
    """The track of a data export, its rows (header first) split into cells.

    Parameters
    ----------
    rows : list of list of str
    name : str
        The file's name, for messages.
    m_per_px : float, optional
        A scale the user gives: it wins over the file's, with a warning when they differ
        by more than 0.5 %; a file whose metre columns cannot give a scale is then read
        from its pixel columns alone.

    Raises
    ------
    TrackFileError
        Rows of the wrong length, values that are not numbers, no rows; without
        ``m_per_px``, metre columns that are empty or do not follow the pixel columns.
    """
    header = [c.strip() for c in rows[0]]
    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    if not body:
        raise TrackFileError(f"{name} holds no track rows (only its header)")
    for k, r in enumerate(body):
        if len(r) != len(header):
            raise TrackFileError(f"{name}, line {k + 2}: expected {len(header)} values, "
                                 f"found {len(r)}")

    def column(cname: str) -> np.ndarray:
        j = header.index(cname)
        return np.array([to_number(r[j], cname, k + 2) for k, r in enumerate(body)])

    t = column("t_s")
    check_times(t, name)
    frame = column("frame")
    if not np.all(np.isfinite(frame)) or np.any(frame != np.round(frame)):
        raise TrackFileError(f"{name}: the frame column must hold whole numbers")
    x, y = column("x_px"), column("y_px")
    js = header.index("state")
    states = [r[js].strip() for r in body]
    bad = next((k for k, s in enumerate(states) if s not in STATE_CODES), None)
    if bad is not None:
        raise TrackFileError(f"{name}, line {bad + 2}: unknown state {states[bad]!r} "
                             f"(tracked, anchor, lost or none)")
    state = np.array([STATE_CODES[s] for s in states], np.uint8)
    conf = column("confidence") if "confidence" in header else np.full(len(t), np.nan)
    warnings: list[str] = []
    scale = _file_scale(header, body, column, x, y, name, m_per_px is not None, warnings)
    if m_per_px is not None:
        note = replaced_scale_note(m_per_px, scale)
        warnings += [note] if note else []
        scale = m_per_px
    sd = None
    if "scale_sd_pct" in header and m_per_px is None:
        sds = column("scale_sd_pct")
        sd = float(sds[np.isfinite(sds)][0]) if np.isfinite(sds).any() else None
    return TrackData(frame.astype(int), t, x, y, conf, state, "px", scale, "liftlens-data",
                     warnings, sd)


def _file_scale(header: list[str], body: list[list[str]], column: Any, x: np.ndarray,
                y: np.ndarray, name: str, given: bool, warnings: list[str]) -> float | None:
    """The file's scale (m/px): its ``m_per_px`` column, else the one its metre columns
    show, else None (a file in pixels). With ``given`` (the user gives a scale) a file
    whose metre columns cannot be used says so in ``warnings`` instead of refusing."""
    metric = "height_m" in header
    recorded = None
    if "m_per_px" in header:
        values = column("m_per_px")
        found = np.unique(values[np.isfinite(values)])
        if len(found) > 1:
            raise TrackFileError(f"{name}: the m_per_px column holds several scales "
                                 f"({found[0]:.6g} to {found[-1]:.6g}); one set has one")
        if len(found) and not found[0] > 0:
            raise TrackFileError(f"{name}: the m_per_px column holds {found[0]:g}, not a "
                                 f"positive number of metres per pixel")
        recorded = float(found[0]) if len(found) else None
    if not metric:
        return recorded
    try:
        shown = metre_column_scale(x, y, column("x_m"), column("height_m"), name)
    except TrackFileError as exc:
        if not given:
            raise TrackFileError(f"{exc}; give --m-per-px to measure the pixel columns "
                                 f"with a scale of your own") from None
        warnings.append(f"{exc}; the pixel columns were measured with the scale given")
        return None
    if recorded is not None and abs(shown / recorded - 1) > MAX_SCALE_GAP:
        raise TrackFileError(f"{name}: its m_per_px column ({recorded:.6g}) and its metre "
                             f"columns ({shown:.6g} m/px) disagree: was the file edited?")
    return recorded if recorded is not None else shown


def metre_column_scale(x_px: np.ndarray, y_px: np.ndarray, x_m: np.ndarray,
                       height_m: np.ndarray, name: str) -> float:
    """The scale (m/px) that carries the pixel track onto the metre columns.

    ``x_m = s * x_px + a`` and ``height_m = -s * y_px + b`` are fitted together (least
    squares, frames where all four are numbers). The metre columns are filtered, so
    the fit is close, not exact (about 1e-4 of the scale on a generated squat).

    Raises
    ------
    TrackFileError
        No frame holds all four, the track does not move, or the columns do not follow
        one scale (misfit above :data:`MAX_MISFIT` of the motion's range).
    """
    ok = np.isfinite(x_px) & np.isfinite(y_px) & np.isfinite(x_m) & np.isfinite(height_m)
    if not np.isfinite(height_m).any() or not np.isfinite(x_m).any():
        raise TrackFileError(f"{name}: its metre columns (x_m, height_m) are empty, so "
                             f"the scale cannot be read from them")
    n = int(ok.sum())
    if n < 3 or np.ptp(y_px[ok]) + np.ptp(x_px[ok]) < 1.0:
        raise TrackFileError(f"{name}: too few frames move in both the pixel and the "
                             f"metre columns to read the scale from them")
    a = np.zeros((2 * n, 3))
    a[:n, 0], a[n:, 0] = x_px[ok], -y_px[ok]
    a[:n, 1] = a[n:, 2] = 1.0
    b = np.concatenate((x_m[ok], height_m[ok]))
    sol, *_ = np.linalg.lstsq(a, b, rcond=None)
    s = float(sol[0])
    span = max(float(np.ptp(x_m[ok])), float(np.ptp(height_m[ok])))
    misfit = float(np.sqrt(np.mean((b - a @ sol) ** 2)))
    if not s > 0 or span <= 0 or misfit > MAX_MISFIT * span:
        raise TrackFileError(f"{name}: its metre columns (x_m, height_m) do not follow its "
                             f"pixel columns (x_px, y_px) with one scale")
    return s
