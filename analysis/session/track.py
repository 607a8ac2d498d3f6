"""A bar track: one position per frame, with confidence and state; never invented.

Positions are sub-pixel coordinates in the displayed image (rotation applied).
Frames where the target was lost (scene cut, occlusion, out of the picture)
have NaN positions and state ``lost``; the analysis treats them as gaps.

The stored form (inside a recording of a session file) is::

    {"version": 1, "t": [s...], "x": [px or null...], "y": [...],
     "confidence": [0..1 or null...], "state": [0|1|2|3...],
     "target": "plate"|"bar_end"|"point"|"unknown",  (absent: "unknown")
     "camera_x": [px...], "camera_y": [px...],       (optional)
     "notes": [text...]}                             (optional)

:meth:`Track.from_dict` validates it completely (the one place a stored track
is read); every later stage can trust a :class:`Track`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from analysis.session.checks import mapping, sequence, whole
from analysis.session.errors import RecordingDataError

STATE_NONE, STATE_TRACKED, STATE_ANCHOR, STATE_LOST = 0, 1, 2, 3
#: A frame tracked with a confidence below this is not vouched for: the analysis flags a
#: rep through it (:data:`analysis.lift.plausibility.LOW_CONFIDENCE`), and a tracker
#: marks a frame it cannot vouch for below it (e.g.
#: :data:`analysis.tracking.follow_plate.UNSURE_CONFIDENCE`).
TRUSTED_CONFIDENCE = 0.3
STATE_NAMES = {STATE_NONE: "none", STATE_TRACKED: "tracked", STATE_ANCHOR: "anchor",
               STATE_LOST: "lost"}
TRACK_VERSION = 1
# What physical point a track follows (chosen at the click; see analysis.tracking.targets)
TARGET_PLATE, TARGET_BAR_END, TARGET_POINT = "plate", "bar_end", "point"
TARGET_KINDS = (TARGET_PLATE, TARGET_BAR_END, TARGET_POINT)
#: A track whose file does not say what it followed: saved before 2026-11-29 (session
#: documents, library records, liftlens batch result files), or naming a kind this version
#: does not know. Any of the kinds, so none is claimed: it is saved back as "unknown", and a
#: new track (or a correction) records its own kind.
TARGET_UNKNOWN = "unknown"
#: what a stored track may say it followed
STORED_TARGETS = (*TARGET_KINDS, TARGET_UNKNOWN)
TARGET_NAMES = {TARGET_PLATE: "plate centre", TARGET_BAR_END: "bar end",
                TARGET_POINT: "point chosen", TARGET_UNKNOWN: "point not recorded"}
#: Said with the analysis of a track of :data:`TARGET_UNKNOWN`
UNKNOWN_TARGET_SAID = ("tracked point not recorded (saved by an earlier version): say which "
                       "point it followed (Analysis menu), or track the bar again")
#: How the tracker's note on the camera's motion starts (:func:`analysis.tracking.camera.
#: summarise`): read back by the data export and :mod:`analysis.session.measurement`
CAMERA_NOTE_START = "the camera moved"
#: Why a point was followed by its look (said with the analysis: "marker / point" read as
#: an error to a coach who had clicked a plate's centre)
POINT_REASON = ("no plate rim or bar end could be followed there, so the point is "
                "followed by how it looks")
#: Said with a result whose scale holds at a plate's distance (``Calibration.at_plate``)
#: while another point was tracked: filmed from the side, the bar's end sticks out nearer
#: the camera than the plate, so it moves over more pixels than the plate's centre for the
#: same lift (766 against 636 px of ROM on the real small-squat clip; with the plate measured
#: around each track, ROM 88.9 against 77.0 cm and MCV 0.63 against 0.55 m/s: 15 % more).
PLATE_SCALE_NOTES = {
    TARGET_BAR_END: ("the scale was measured at the plate, but the bar end was tracked: the "
                     "bar's end is nearer the camera than the plate, so its ROM and "
                     "velocities read larger than the bar's (by about 15 % on a real "
                     "squat filmed from the side); track the plate centre for true numbers"),
    TARGET_POINT: ("the scale was measured at the plate, but a point chosen was tracked: "
                   "a point nearer or farther from the camera than the plate reads larger "
                   "or smaller ROM and velocities; track the plate centre for true numbers"),
    TARGET_UNKNOWN: ("the scale was measured at the plate, but the point this track follows "
                     "was not recorded (saved by an earlier version): if it is not the plate "
                     "centre, its ROM and velocities may read larger or smaller than the "
                     "bar's (the bar end, nearer the camera, by about 15 % on a real squat "
                     "filmed from the side); track the plate centre again to be sure"),
}


def plate_scale_note(target: str, at_plate: bool) -> str | None:
    """The note a result gets when its scale holds at the plate's distance (``at_plate``,
    :attr:`analysis.session.calibration.Calibration.at_plate`) but ``target`` is not the
    plate centre, or is not known to be (:data:`TARGET_UNKNOWN`, a note that claims no
    error; :data:`PLATE_SCALE_NOTES`); None otherwise. The app's analysis and
    ``liftlens analyze``/``batch`` both say it from here."""
    return PLATE_SCALE_NOTES.get(target) if at_plate else None


#: at most this many frames (a 30 minute clip at 240 fps is 432 000)
MAX_FRAMES = 2_000_000
#: positions beyond this many pixels from the image origin are not from a real video
MAX_PX = 1e6
#: times beyond this (s) are not from a real clip
MAX_TIME_S = 1e7
#: frames closer than this are not from a real camera (the fastest high-speed sports
#: cameras run at a few thousand frames per second)
MIN_FRAME_SPACING_S = 1e-4
#: the analysis resamples each tracked run onto a uniform grid at the median frame rate;
#: more grid points than this means the times are too irregular to analyse
MAX_GRID_POINTS = 2_000_000


def sampling_problem(t: np.ndarray) -> str | None:
    """Why frame times ``t`` (s, increasing) cannot be analysed, in plain words, or None.

    The kinematics resample positions to the median frame spacing (see
    :func:`analysis.lift.kinematics.compute_kinematics`): times closer than
    :data:`MIN_FRAME_SPACING_S`, or so irregular that the uniform grid would exceed
    :data:`MAX_GRID_POINTS`, would take minutes and gigabytes instead of milliseconds.
    """
    if len(t) < 2:
        return None
    dt = float(np.median(np.diff(t)))
    if not dt >= MIN_FRAME_SPACING_S:
        return (f"its frames are {dt * 1e6:.3g} µs apart, faster than any camera; the "
                "track's times are damaged")
    if (float(t[-1]) - float(t[0])) / dt > MAX_GRID_POINTS:
        return ("its frame times are too irregular to analyse (long gaps between closely "
                "spaced frames); the track's times are damaged")
    return None


class Track:
    """Per-frame bar positions of one recording.

    Attributes
    ----------
    t : numpy.ndarray, shape (n,)
        Frame times (s), from the video index (VFR safe), strictly increasing.
    x, y : numpy.ndarray, shape (n,)
        Position in displayed-image pixels; NaN where not tracked or lost.
    confidence : numpy.ndarray, shape (n,)
        Template similarity per frame, -1..1 (1 = a perfect match, 0 or below when
        lost); NaN when unknown.
    state : numpy.ndarray of uint8, shape (n,)
        ``STATE_*`` per frame.
    target : str
        The physical point followed: ``"plate"`` (the centre of the plate's rim),
        ``"bar_end"`` (the sleeve end), ``"point"`` (a marker or any point) or
        ``"unknown"`` (:data:`TARGET_UNKNOWN`: not recorded, e.g. a file saved before
        2026-11-29; a reader of stored tracks passes it, :meth:`from_dict` does).
    camera_x, camera_y : numpy.ndarray, shape (n,), or None
        How far the picture moved with the camera at each frame (px, displayed image)
        relative to the seed frame; None when camera motion was not estimated or the
        camera stood still. ``x, y`` stay where the target is in the picture;
        :meth:`room_xy` takes the camera out.
    notes : list of str
        Plain-language remarks from the tracker (the camera moved, ...).
    """

    __slots__ = ("t", "x", "y", "confidence", "state", "target", "camera_x", "camera_y",
                 "notes")

    def __init__(self, t: np.ndarray, x: np.ndarray, y: np.ndarray, confidence: np.ndarray,
                 state: np.ndarray, target: str = TARGET_POINT,
                 camera_x: np.ndarray | None = None, camera_y: np.ndarray | None = None,
                 notes: list[str] | None = None) -> None:
        self.t, self.x, self.y = t, x, y
        self.confidence, self.state = confidence, state
        self.target = target
        self.camera_x, self.camera_y = camera_x, camera_y
        self.notes = list(notes or [])

    @classmethod
    def empty(cls, times: np.ndarray, target: str = TARGET_POINT) -> Track:
        n = len(times)
        return cls(np.asarray(times, float), np.full(n, np.nan), np.full(n, np.nan),
                   np.zeros(n), np.zeros(n, np.uint8), target)

    @property
    def target_name(self) -> str:
        """The tracked point in words ("plate centre", "bar end", "point chosen": clicked,
        or a plate found and chosen whose rim could not be followed; "point not recorded"
        for :data:`TARGET_UNKNOWN`)."""
        return TARGET_NAMES.get(self.target, self.target)

    @property
    def camera_moved(self) -> bool:
        """True when camera motion was measured and taken out (:meth:`room_xy`)."""
        return self.camera_x is not None and self.camera_y is not None

    def room_xy(self) -> tuple[np.ndarray, np.ndarray]:
        """Positions against the room, shape (n,) each: px in the seed frame's picture,
        the camera's own motion subtracted; a copy of ``(x, y)`` when the camera did
        not move or its motion was not estimated."""
        if self.camera_x is None or self.camera_y is None:
            return self.x.copy(), self.y.copy()
        return self.x - self.camera_x, self.y - self.camera_y

    def __len__(self) -> int:
        return len(self.t)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Track):
            return NotImplemented
        # the point followed too: an older track whose point the coach names is a new
        # track, though no position moved
        return self.target == other.target and all(
            np.array_equal(a, b, equal_nan=True)
            for a, b in zip(self._columns(), other._columns(), strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"Track({len(self)} frames, {int(self.valid.sum())} with a position)"

    def _columns(self) -> tuple[np.ndarray, ...]:
        return (self.t, self.x, self.y, self.confidence, self.state)

    @property
    def frames(self) -> np.ndarray:
        """Frame numbers 0..n-1 (a track has one entry per frame of its clip)."""
        return np.arange(len(self.t))

    def set(self, n: int, x: float, y: float, confidence: float, state: int) -> None:
        self.x[n], self.y[n], self.confidence[n], self.state[n] = x, y, confidence, state

    def mark_lost(self, n: int, confidence: float = 0.0) -> None:
        self.set(n, np.nan, np.nan, confidence, STATE_LOST)

    @property
    def valid(self) -> np.ndarray:
        return np.isfinite(self.x) & np.isfinite(self.y)

    def anchors(self) -> dict[int, tuple[float, float]]:
        idx = np.flatnonzero(self.state == STATE_ANCHOR)
        return {int(i): (float(self.x[i]), float(self.y[i])) for i in idx}

    def lost_spans(self) -> list[tuple[int, int]]:
        """Runs ``[start, end]`` (inclusive frames) where the target was lost."""
        lost = self.state == STATE_LOST
        spans: list[tuple[int, int]] = []
        start = None
        for i, v in enumerate(lost):
            if v and start is None:
                start = i
            elif not v and start is not None:
                spans.append((start, i - 1))
                start = None
        if start is not None:
            spans.append((start, len(lost) - 1))
        return spans

    def copy(self) -> Track:
        return Track(self.t.copy(), self.x.copy(), self.y.copy(), self.confidence.copy(),
                     self.state.copy(), self.target,
                     None if self.camera_x is None else self.camera_x.copy(),
                     None if self.camera_y is None else self.camera_y.copy(), self.notes)

    # -- serialisation (stored in the session's recording) ---------------------------

    def to_dict(self) -> dict[str, Any]:
        """The stored form: JSON values, NaN as null, every number exactly as held
        (JSON writes the shortest text that reads back to the same float).

        Nothing is rounded: the rep boundaries are fitted to these positions, and a
        track rounded to 0.001 px (camera motion to 0.01 px) read a deadlift's first
        eccentric 0.5 frame shorter after the session was reopened than before it was
        saved. A reopened set must read the same numbers as the exported CSV and report."""
        def arr(a: np.ndarray) -> list[float | None]:
            return [None if not np.isfinite(v) else float(v) for v in a]

        d: dict[str, Any] = {"version": TRACK_VERSION, "t": arr(self.t), "x": arr(self.x),
                             "y": arr(self.y), "confidence": arr(self.confidence),
                             "state": [int(s) for s in self.state], "target": self.target}
        if self.camera_x is not None and self.camera_y is not None:
            d["camera_x"], d["camera_y"] = arr(self.camera_x), arr(self.camera_y)
        if self.notes:
            d["notes"] = list(self.notes)
        return d

    @classmethod
    def from_dict(cls, d: Any) -> Track:
        """Read a stored track, checking everything.

        Raises
        ------
        RecordingDataError
            (a ``ValueError``) when a column is missing or not a list, the columns
            differ in length, a time is missing, not finite or not after the one
            before, a position or confidence is not a finite number (or null), or a
            state is not one of 0 none, 1 tracked, 2 anchor, 3 lost.
        """
        d = mapping(d, "stored bar track")
        version = d.get("version", TRACK_VERSION)
        whole(version, "bar track's version", 1, 1_000_000)
        if version > TRACK_VERSION:
            raise RecordingDataError("The bar track was saved by a newer LiftLens; update "
                                     "LiftLens to open it.")
        missing = [k for k in ("t", "x", "y", "confidence", "state") if k not in d]
        if missing:
            raise RecordingDataError(f"The stored bar track is damaged: it has no "
                                     f"{', '.join(missing)} column.")
        t = _column(d["t"], "time", None, nullable=False, limit=MAX_TIME_S)
        n = len(t)
        if n == 0:
            raise RecordingDataError("The stored bar track has no frames.")
        if n > 1 and not np.all(np.diff(t) > 0):
            i = int(np.flatnonzero(np.diff(t) <= 0)[0]) + 1
            raise RecordingDataError(f"The stored bar track is damaged: the time of frame "
                                     f"{i + 1} does not come after the one before.")
        x = _column(d["x"], "x position", n, nullable=True, limit=MAX_PX)
        y = _column(d["y"], "y position", n, nullable=True, limit=MAX_PX)
        if not np.array_equal(np.isfinite(x), np.isfinite(y)):
            raise RecordingDataError("The stored bar track is damaged: a frame has an x "
                                     "position without a y position.")
        conf = _column(d["confidence"], "confidence", n, nullable=True, limit=1.0)
        states = sequence(d["state"], "bar track's state column", MAX_FRAMES)
        if len(states) != n:
            raise RecordingDataError(f"The stored bar track is damaged: {len(states)} states "
                                     f"for {n} frames.")
        if not all(type(s) is int and s in STATE_NAMES for s in states):
            bad = next(s for s in states if not (type(s) is int and s in STATE_NAMES))
            raise RecordingDataError(f"The stored bar track is damaged: {bad!r} is not a "
                                     "tracking state (0 none, 1 tracked, 2 anchor, 3 lost).")
        state = np.array(states, np.uint8)
        placed = (state == STATE_TRACKED) | (state == STATE_ANCHOR)
        if np.any(placed & ~np.isfinite(x)):
            raise RecordingDataError("The stored bar track is damaged: a frame marked tracked "
                                     "has no position.")
        # absent (saved before 2026-11-29) or a kind from a newer version: not known here
        # (read as "point" it was told to be off a plate's scale, and set apart in Compare
        # sessions and Progress from the lifter's plate-centre sets)
        target = d.get("target", TARGET_UNKNOWN)
        if target not in STORED_TARGETS:
            target = TARGET_UNKNOWN
        cam_x = cam_y = None
        if d.get("camera_x") is not None or d.get("camera_y") is not None:
            cam_x = _column(d.get("camera_x"), "camera shift", n, nullable=False, limit=MAX_PX)
            cam_y = _column(d.get("camera_y"), "camera shift", n, nullable=False, limit=MAX_PX)
        notes = d.get("notes", [])
        notes = [str(v)[:500] for v in notes[:50]] if isinstance(notes, list) else []
        return cls(t, x, y, conf, state, target, cam_x, cam_y, notes)


def _column(v: Any, name: str, n: int | None, *, nullable: bool, limit: float,
            low: float | None = None) -> np.ndarray:
    """One numeric column as float64 (null -> NaN when ``nullable``), all checked."""
    seq = sequence(v, f"bar track's {name} column", MAX_FRAMES)
    if n is not None and len(seq) != n:
        raise RecordingDataError(f"The stored bar track is damaged: {len(seq)} values in the "
                                 f"{name} column for {n} frames.")
    for e in seq:
        if e is None and nullable:
            continue
        if type(e) not in (int, float):
            what = "missing" if e is None else f"{e!r:.20} is not a number"
            raise RecordingDataError(f"The stored bar track is damaged: a {name} is {what}.")
    try:
        a = np.array([np.nan if e is None else e for e in seq], float)
    except OverflowError:
        raise RecordingDataError(f"The stored bar track is damaged: a {name} is "
                                 "too large.") from None
    given = np.array([e is not None for e in seq], bool)
    lo = -limit if low is None else low
    ok = np.isfinite(a) & (a >= lo) & (a <= limit)
    if np.any(given & ~ok):
        bad = float(a[given & ~ok][0])
        raise RecordingDataError(f"The stored bar track is damaged: a {name} ({bad:g}) is not "
                                 f"a finite number from {lo:g} to {limit:g}.")
    return a
