"""Two sessions of one lifter and exercise side by side: their sets matched by load (or by
order) and the difference of every number (B minus A).

Each set is measured by :func:`analysis.progress.history.session_sets`, exactly as the app
and the Progress view measure it. Loads are compared in kilograms (1 lb = 0.45359237 kg).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from analysis.progress.history import SetRecord, session_sets
from analysis.session.document import Session
from analysis.session.track import TARGET_KINDS, TARGET_UNKNOWN

#: loads closer than this (kg) are the same load (plates come in 0.25 kg steps and a
#: pound load converted to kg is not a round number)
LOAD_TOLERANCE_KG = 0.5

#: "auto": by load where the sessions share a load, the other sets by order (the
#: default: load is usually one value per session, so two sessions at different loads
#: share none, and matching by load alone paired nothing)
MATCH_MODES = ("auto", "load", "order")

#: the numbers compared, each read from a set: name -> (label, unit, getter)
METRICS: dict[str, tuple[str, str, Callable[[SetRecord], float | None]]] = {
    "reps": ("Reps", "", lambda s: float(len(s.reps)) if s.measured else None),
    "best_mcv": ("Best MCV", "m/s", lambda s: s.best_mcv),
    "mean_mcv": ("Mean MCV", "m/s", lambda s: s.mean_mcv),
    "velocity_loss": ("Velocity loss", "%", lambda s: s.velocity_loss_pct),
    "rom": ("ROM", "m", lambda s: s.mean_rom),
    "tempo_compliance": ("Tempo compliance", "%", lambda s: s.tempo_compliance_pct),
}


@dataclass(frozen=True)
class SessionInfo:
    """Which session a side is: id, date (ISO), lifter, exercise, prescribed tempo, and its
    title (the user's name for it, else date · lifter · exercise)."""

    id: str
    date: str
    lifter: str
    exercise: str
    tempo: str = ""
    title: str = ""

    @classmethod
    def of(cls, s: Session) -> SessionInfo:
        return cls(s.id, s.date, s.lifter, s.exercise, s.tempo, s.title)


@dataclass(frozen=True)
class SetPair:
    """Set ``a`` of the first session beside set ``b`` of the second (either may be None
    when the other session has no set to match it)."""

    a: SetRecord | None
    b: SetRecord | None

    @property
    def load_kg(self) -> float | None:
        """The pair's load (A's, else B's); None when neither set has one."""
        for s in (self.a, self.b):
            if s is not None and s.load_kg is not None:
                return s.load_kg
        return None

    def value(self, side: str, metric: str) -> float | None:
        """A metric (a key of :data:`METRICS`) of side ``"a"`` or ``"b"``."""
        s = self.a if side == "a" else self.b
        return None if s is None else METRICS[metric][2](s)

    def diff(self, metric: str) -> float | None:
        """B minus A of a metric (a key of :data:`METRICS`); None unless both have it."""
        va, vb = self.value("a", metric), self.value("b", metric)
        return None if va is None or vb is None else vb - va

    @property
    def complete(self) -> bool:
        return self.a is not None and self.b is not None

    def same_point(self) -> bool:
        """Both sets tracked the same point (plate centre, bar end or a point chosen), or
        one was not tracked: points at different distances from the camera (the bar end is
        nearer than the plate) read different ROM and velocities at one scale for the same
        lift (about 15 % on a real squat), and a difference between the two would be the
        camera's, not the lifter's. False when a set's point was not recorded
        (:meth:`unrecorded_points`): the same point is not known."""
        pa = self.a.tracked_point if self.a is not None else ""
        pb = self.b.tracked_point if self.b is not None else ""
        return not pa or not pb or (pa == pb and pa != TARGET_UNKNOWN)

    def points_differ(self) -> bool:
        """Both sets recorded the point they tracked, and the points differ."""
        pa = self.a.tracked_point if self.a is not None else ""
        pb = self.b.tracked_point if self.b is not None else ""
        return pa in TARGET_KINDS and pb in TARGET_KINDS and pa != pb

    def unrecorded_points(self) -> str:
        """The sets of a pair of tracked sets whose track does not say which point it followed
        (:data:`analysis.session.track.TARGET_UNKNOWN`, saved by an earlier version):
        ``"a"``, ``"b"``, ``"ab"`` or ``""``; such a pair is neither the same point nor
        points that differ."""
        if self.a is None or self.b is None or not (self.a.tracked_point and
                                                    self.b.tracked_point):
            return ""  # an untracked set has no numbers to compare
        return "".join(side for side, s in (("a", self.a), ("b", self.b))
                       if s.tracked_point == TARGET_UNKNOWN)

    def same_load(self, tolerance_kg: float = LOAD_TOLERANCE_KG) -> bool:
        """Both sets have a load and it is the same (within ``tolerance_kg``): only then
        is a faster bar in B better (a lighter bar moves faster)."""
        la = self.a.load_kg if self.a is not None else None
        lb = self.b.load_kg if self.b is not None else None
        return la is not None and lb is not None and abs(la - lb) <= tolerance_kg


@dataclass
class SessionComparison:
    """Sessions ``a`` (usually the older) and ``b``, their set pairs in load (or set)
    order, how they were matched (``by``, one of :data:`MATCH_MODES`), and plain notes
    (different lifters, unmeasured sets)."""

    a: SessionInfo
    b: SessionInfo
    by: str
    pairs: list[SetPair]
    notes: list[str] = field(default_factory=list)

    def mean_diff(self, metric: str) -> float | None:
        """Mean B minus A over the pairs that have the metric on both sides."""
        d = [v for v in (p.diff(metric) for p in self.pairs) if v is not None]
        return sum(d) / len(d) if d else None


def match_sets(a: list[SetRecord], b: list[SetRecord], by: str = "auto",
               tolerance_kg: float = LOAD_TOLERANCE_KG) -> list[SetPair]:
    """Pair the sets of two sessions.

    ``by="order"`` pairs the first set of A with the first of B, and so on (by set
    number). ``by="load"`` pairs sets of the same load (within ``tolerance_kg``), in set
    order within a load; sets without a load are then paired by order among themselves.
    A set left over on one side gets a pair of its own with None on the other side.
    Pairs come in load order (lightest first, sets without a load last), then set order.
    ``by="auto"`` pairs as by load, then the sets left over with a load on both sides by
    nearest load (the closest two first), then the rest by order: two sessions at
    different loads pair their nearest loads, and set 1 with set 1 when none has a load.
    (Left over by order, 100 kg was paired with 150 kg while a 140 kg set stayed alone.)

    Raises
    ------
    ValueError
        For an unknown ``by``.
    """
    if by not in MATCH_MODES:
        raise ValueError(f"sets are matched by load or by order, not {by!r}")
    if by == "auto":
        by_load = match_sets(a, b, "load", tolerance_kg)
        left_a = [p.a for p in by_load if p.a is not None and p.b is None]
        left_b = [p.b for p in by_load if p.b is not None and p.a is None]
        near = _nearest_loads(left_a, left_b)
        paired = {id(s) for p in near for s in (p.a, p.b)}
        return ([p for p in by_load if p.complete] + near
                + match_sets([s for s in left_a if id(s) not in paired],
                             [s for s in left_b if id(s) not in paired], "order"))
    sa = sorted(a, key=lambda s: s.set_number)
    sb = sorted(b, key=lambda s: s.set_number)
    if by == "order":
        n = max(len(sa), len(sb))
        return [SetPair(sa[i] if i < len(sa) else None, sb[i] if i < len(sb) else None)
                for i in range(n)]
    groups: list[tuple[float, list[SetRecord], list[SetRecord]]] = []
    for side, sets in ((1, sa), (2, sb)):
        for s in sets:
            if s.load_kg is None:
                continue
            g = next((g for g in groups if abs(g[0] - s.load_kg) <= tolerance_kg), None)
            if g is None:
                g = (s.load_kg, [], [])
                groups.append(g)
            (g[1] if side == 1 else g[2]).append(s)
    pairs: list[SetPair] = []
    for _load, ga, gb in sorted(groups, key=lambda g: g[0]):
        pairs += match_sets(ga, gb, "order")
    pairs += match_sets([s for s in sa if s.load_kg is None],
                        [s for s in sb if s.load_kg is None], "order")
    return pairs


def _nearest_loads(a: list[SetRecord], b: list[SetRecord]) -> list[SetPair]:
    """Pairs of sets with loads, the closest loads first (then set order), each set once;
    in load order."""
    cands = sorted((abs(x.load_kg - y.load_kg), x.set_number, y.set_number, i, j)
                   for i, x in enumerate(a) for j, y in enumerate(b)
                   if x.load_kg is not None and y.load_kg is not None)
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[SetPair] = []
    for _d, _na, _nb, i, j in cands:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append(SetPair(a[i], b[j]))
    return sorted(pairs, key=lambda p: (p.a.load_kg or 0.0, p.a.set_number))  # type: ignore[union-attr]


def compare_sessions(a: Session, b: Session, by: str = "auto",
                     measured: tuple[list[SetRecord], list[SetRecord]] | None = None
                     ) -> SessionComparison:
    """Measure both sessions' sets and match them (see :func:`match_sets`); ``measured``:
    their sets already measured (``session_sets`` of each), to match them another way
    without measuring again.

    Notes say when the sessions are of different lifters or exercises, when a set has no
    load (it is matched by order), and when a set is not measured (not tracked or not
    calibrated), so an empty cell is never a silent zero.
    """
    sets_a, sets_b = measured if measured is not None else (session_sets(a), session_sets(b))
    out = SessionComparison(SessionInfo.of(a), SessionInfo.of(b), by,
                            match_sets(sets_a, sets_b, by))
    if a.lifter.strip().lower() != b.lifter.strip().lower():
        out.notes.append(f"Different lifters: {a.lifter or 'unnamed'} and "
                         f"{b.lifter or 'unnamed'}.")
    if a.exercise.strip().lower() != b.exercise.strip().lower():
        out.notes.append(f"Different exercises: {a.exercise or 'none'} and "
                         f"{b.exercise or 'none'}.")
    # each side named by its letter as well as its date: two sessions of one day read alike
    for side, info, sets in (("A", out.a, sets_a), ("B", out.b, sets_b)):
        unloaded = [s.set_number for s in sets if s.load_kg is None]
        if unloaded and by in ("load", "auto"):
            out.notes.append(f"{side}, {info.date}: set(s) {', '.join(map(str, unloaded))} "
                             "have no load (enter it in Details); matched by order.")
        unmeasured = [f"{s.set_number} ({'; '.join(s.warnings) or 'no reps'})"
                      for s in sets if not s.measured]
        if unmeasured:
            out.notes.append(f"{side}, {info.date}: set(s) {', '.join(unmeasured)} not "
                             "measured.")
    return out
