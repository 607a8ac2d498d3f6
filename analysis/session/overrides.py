"""The user's corrections to detected reps: typed, validated where they are read.

A correction names its rep by a time inside it (``at``, s) rather than by a
number, so it still finds its rep when detection changes (e.g. after
re-tracking). Statuses: ``valid`` (default), ``false`` (not a rep: not counted,
not in set numbers), ``failed`` (attempted, not completed: not counted, not in
velocity loss), ``partial`` (counted, shown, but left out of velocity loss and
path consistency). Boundaries move the four stroke ends; the pauses follow.

Edits change which reps there are, in the order the user made them: ``split`` at a time
(s) cuts the rep that time is in into two, ``merge`` of two times (s) joins the rep the
first is in with the next rep, which the second is in (the reps' turning points are
stored; see :mod:`analysis.lift.rep_structure`). Statuses and boundaries then find their
reps among the edited ones.

Stored form (``to_dict``)::

    {"version": 2,
     "reps": [{"at": 12.3, "status": "failed"},
              {"at": 20.1, "boundaries": {"concentric_start": 20.45}}],
     "edits": [{"split": 31.2}, {"merge": [40.5, 43.1]}]}

Version 1 (before splits and merges) had no ``edits``; it is read as version 2 with none
(:func:`migrate`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from analysis.session.checks import mapping, number, sequence, whole
from analysis.session.errors import RecordingDataError

STATUSES = ("valid", "false", "failed", "partial")
#: How each status reads wherever a rep's status is shown (table, overlay, report).
STATUS_TEXT = {"valid": "valid", "false": "not a rep", "failed": "failed", "partial": "partial"}
BOUNDARIES = ("eccentric_start", "eccentric_end", "concentric_start", "concentric_end")
FORMAT_VERSION = 2
EDIT_KINDS = ("split", "merge")
#: a time (s) beyond this is not in a real clip
MAX_TIME_S = 1e7
MAX_CORRECTIONS = 10_000


@dataclass(frozen=True)
class RepOverride:
    """One rep's correction: ``at`` (s, a time inside the rep), status, moved boundaries (s).

    Raises
    ------
    ValueError
        (:class:`RecordingDataError`) for a time that is not finite, an unknown
        status or an unknown boundary name.
    """

    at: float
    status: str | None = None
    boundaries: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", number(self.at, "time of a corrected rep", -MAX_TIME_S,
                                              MAX_TIME_S))
        if self.status is not None and self.status not in STATUSES:
            raise RecordingDataError(f"Unknown rep status {self.status!r}: use one of "
                                     f"{', '.join(STATUSES)}.")
        moved = mapping(self.boundaries, "moved phase boundaries")
        for k, v in moved.items():
            if k not in BOUNDARIES:
                raise RecordingDataError(f"Unknown phase boundary {k!r}: use one of "
                                         f"{', '.join(BOUNDARIES)}.")
            moved[k] = number(v, f"time of boundary {k!r}", -MAX_TIME_S, MAX_TIME_S)


@dataclass(frozen=True)
class RepEdit:
    """A change of which reps there are: ``kind`` ``split`` with ``at`` = (time,) s, the
    rep that time is in cut there; ``merge`` with ``at`` = (first, second) s, the rep the
    first time is in joined with the next rep (the one the second is in).

    Raises
    ------
    ValueError
        (:class:`RecordingDataError`) for an unknown kind, the wrong number of times, a
        time that is not finite, or a merge whose second time is not after its first.
    """

    kind: str
    at: tuple[float, ...]

    def __post_init__(self) -> None:
        if self.kind not in EDIT_KINDS:
            raise RecordingDataError(f"Unknown rep edit {self.kind!r}: use split or merge.")
        times = tuple(number(v, f"time of a rep {self.kind}", -MAX_TIME_S, MAX_TIME_S)
                      for v in sequence(list(self.at) if isinstance(self.at, tuple) else self.at,
                                        f"times of a rep {self.kind}", 2))
        if len(times) != (1 if self.kind == "split" else 2):
            raise RecordingDataError(f"A rep {self.kind} needs "
                                     f"{'one time' if self.kind == 'split' else 'two times'}.")
        if self.kind == "merge" and not times[0] < times[1]:
            raise RecordingDataError("A rep merge's second time is not after its first.")
        object.__setattr__(self, "at", times)

    def to_dict(self) -> dict[str, Any]:
        return {"split": self.at[0]} if self.kind == "split" else {"merge": list(self.at)}


def migrate(d: dict[str, Any]) -> dict[str, Any]:
    """Stored corrections of any earlier version as version :data:`FORMAT_VERSION` (a
    new dict): version 1 had no splits or merges (``edits``: none)."""
    out = dict(d)
    if out.get("version", 1) == 1:
        out["edits"] = []
        out["version"] = 2
    return out


@dataclass(frozen=True)
class Overrides:
    """All corrections of one recording (empty = none): per-rep ``reps`` and, applied
    before them in order, the ``edits`` (splits and merges)."""

    reps: tuple[RepOverride, ...] = ()
    edits: tuple[RepEdit, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "reps", tuple(self.reps))
        object.__setattr__(self, "edits", tuple(self.edits))

    def __bool__(self) -> bool:
        return bool(self.reps) or bool(self.edits)

    def to_dict(self) -> dict[str, Any]:
        out = []
        for r in self.reps:
            d: dict[str, Any] = {"at": r.at}
            if r.status is not None:
                d["status"] = r.status
            if r.boundaries:
                d["boundaries"] = dict(r.boundaries)
            out.append(d)
        return {"version": FORMAT_VERSION, "reps": out,
                "edits": [e.to_dict() for e in self.edits]}

    @classmethod
    def from_dict(cls, d: Any) -> Overrides:
        """Read stored corrections (None or ``{}``: none).

        Raises
        ------
        RecordingDataError
            (a ``ValueError``) in plain words when anything is malformed.
        """
        if d is None:
            return cls()
        d = mapping(d, "stored rep corrections")
        whole(d.get("version", FORMAT_VERSION), "rep corrections' version", 1, 1_000_000)
        d = migrate(d)
        edits = []
        for i, e in enumerate(sequence(d.get("edits") or [], "list of rep splits and merges",
                                       MAX_CORRECTIONS)):
            e = mapping(e, f"rep split or merge {i + 1}")
            kind = next((k for k in EDIT_KINDS if k in e), None)
            if kind is None:
                raise RecordingDataError(f"Rep split or merge {i + 1} is neither.")
            at = e[kind]
            edits.append(RepEdit(kind, (at,) if kind == "split" else at))
        reps = []
        for i, r in enumerate(sequence(d.get("reps", []), "list of rep corrections",
                                       MAX_CORRECTIONS)):
            r = mapping(r, f"rep correction {i + 1}")
            if "at" not in r:
                raise RecordingDataError(f"Rep correction {i + 1} has no time.")
            status = r.get("status")
            if status is not None and not isinstance(status, str):
                raise RecordingDataError(f"Rep correction {i + 1} has a damaged status.")
            reps.append(RepOverride(r["at"], status,
                                    dict(mapping(r.get("boundaries") or {},
                                                 f"boundaries of rep correction {i + 1}"))))
        return cls(tuple(reps), tuple(edits))

    def for_rep(self, start: float, end: float, turn: float) -> RepOverride | None:
        """The correction whose ``at`` lies in [start, end]; the one nearest ``turn`` wins."""
        inside = [r for r in self.reps if start <= r.at <= end]
        return min(inside, key=lambda r: abs(r.at - turn)) if inside else None

    def with_status(self, start: float, end: float, turn: float, status: str) -> Overrides:
        """These corrections with the rep spanning [start, end] marked ``status`` (its moved
        boundaries kept); a new rep correction is placed at ``turn``."""
        if status not in STATUSES:
            raise RecordingDataError(f"Unknown rep status {status!r}.")
        kept = [r for r in self.reps if not start <= r.at <= end]
        old = self.for_rep(start, end, turn)
        entry = replace(old, status=status) if old else RepOverride(turn, status)
        return Overrides((*kept, entry), self.edits)

    def with_boundary(self, start: float, end: float, turn: float, name: str,
                      t: float) -> Overrides:
        """These corrections with boundary ``name`` (one of :data:`BOUNDARIES`) of the rep
        spanning [start, end] (s) moved to ``t`` (s); its status and other moved boundaries
        kept; a new rep correction is placed at ``turn``. The order of the phases is not
        checked here (:func:`analysis.lift.rep_edit.move_boundary` does).

        Raises
        ------
        RecordingDataError
            (a ``ValueError``) for an unknown boundary or a time that is not finite.
        """
        kept = [r for r in self.reps if not start <= r.at <= end]
        old = self.for_rep(start, end, turn) or RepOverride(turn)
        return Overrides((*kept, replace(old, boundaries={**old.boundaries, name: t})),
                         self.edits)

    def without_boundaries(self, start: float, end: float, turn: float) -> Overrides:
        """These corrections with the rep spanning [start, end] (s) back at its detected
        boundaries (its status kept; a correction left with nothing is dropped)."""
        kept = [r for r in self.reps if not start <= r.at <= end]
        old = self.for_rep(start, end, turn)
        if old is None or old.status is None:
            return Overrides(tuple(kept), self.edits)
        return Overrides((*kept, replace(old, boundaries={})), self.edits)

    def with_edit(self, edit: RepEdit, start: float, end: float) -> Overrides:
        """These corrections with ``edit`` made last; the boundaries moved by hand in
        [start, end] (s: the reps it changes, whose boundaries are found again) dropped,
        statuses kept."""
        kept = []
        for r in self.reps:
            if start <= r.at <= end and r.boundaries:
                if r.status is None:
                    continue
                r = replace(r, boundaries={})
            kept.append(r)
        return Overrides(tuple(kept), (*self.edits, edit))

    def without_edits(self, indices: Any) -> Overrides:
        """These corrections without the edits at ``indices`` (positions in
        :attr:`edits`)."""
        drop = set(indices)
        return Overrides(self.reps, tuple(e for i, e in enumerate(self.edits)
                                          if i not in drop))
