"""Two videos on one common timeline: play, step, scrub and loop them together."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, Signal

from analysis.compare.sync import CommonTimeline, SideTiming, normalised_side
from analysis.video.frames import Frame
from app.frame_feed import FrameFeed
from app.playback import PlaybackController


@dataclass
class CompareSide:
    """One side of a comparison: its feed and how it is synchronised."""

    feed: FrameFeed
    label: str
    event: float = 0.0  # clip time (s) of the common event
    offset: float = 0.0  # fine adjustment (s)
    warp_events: list[float] = field(default_factory=list)  # for tempo-normalised mode
    #: real seconds per clip second (slow motion: 0.25 for 120 fps played at 30)
    time_factor: float = 1.0


class CompareController(PlaybackController):
    """Positions are the instants where either side changes frame (``CommonTimeline.steps``);
    common time is real time, so a slow-motion side compares with a real-time one as the
    lifts happened."""

    frames_shown = Signal(object, object)  # Frame | None for each side
    sync_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sides: list[CompareSide] = []
        self.timeline: CommonTimeline | None = None
        self.normalised = False
        self.shown: list[Frame | None] = [None, None]

    # -- setup ----------------------------------------------------------------------

    def set_sides(self, a: CompareSide | None, b: CompareSide | None) -> None:
        """Compare ``a`` (left/top) with ``b``; ``None`` closes the comparison."""
        for side in self.sides:
            side.feed.frame_ready.disconnect(self._on_frame_ready)
            side.feed.close()
        self.sides = [a, b] if a is not None and b is not None else []
        for side in self.sides:
            side.feed.frame_ready.connect(self._on_frame_ready)
        self.shown = [None, None]
        self._rebuild(tau=0.0)

    def swap(self) -> None:
        if len(self.sides) == 2:
            tau = self.tau
            self.sides.reverse()
            self.shown.reverse()
            self._rebuild(tau)

    @property
    def retimed(self) -> bool:
        """True when a side's clip time is not real time (slow motion)."""
        return any(side.time_factor != 1.0 for side in self.sides)

    def set_time_factors(self, factor_a: float, factor_b: float) -> None:
        """Real seconds per clip second of each side (``TimeScale.factor``); the frames
        shown stay where they are."""
        if len(self.sides) != 2 or [s.time_factor for s in self.sides] == [factor_a, factor_b]:
            return
        a = self.sides[0]
        ta = self.clip_times()[0] if self.timeline is not None and self.count else a.event + a.offset
        self.sides[0].time_factor, self.sides[1].time_factor = float(factor_a), float(factor_b)
        self._rebuild((ta - a.event - a.offset) * a.time_factor)

    @property
    def tau(self) -> float:
        """Current common time (s, real time): 0 at the synchronised event."""
        return float(self.marks[self.position]) if self.count else 0.0

    def clip_times(self) -> tuple[float, float]:
        """Clip time (s) each side shows now."""
        assert self.timeline is not None
        a, b = self.timeline.sides
        return float(a.clip_time(self.tau)), float(b.clip_time(self.tau))

    def frames_now(self) -> tuple[int, int]:
        assert self.timeline is not None
        return self.timeline.frames_at(self.tau)

    # -- synchronisation ------------------------------------------------------------

    def sync_here(self) -> None:
        """Make the frames shown now the common event (manual sync)."""
        ta, tb = self.clip_times()
        for side, t in zip(self.sides, (ta, tb), strict=True):
            side.event, side.offset = self._frame_time(side, t), 0.0
        self.normalised = False
        self._rebuild(0.0)

    def set_events(self, event_a: float, event_b: float) -> None:
        """Synchronise on clip times (s) of the same event, e.g. the start of rep 1 on each side."""
        self.sides[0].event, self.sides[1].event = float(event_a), float(event_b)
        self.sides[0].offset = self.sides[1].offset = 0.0
        self.normalised = False
        self._rebuild(0.0)

    def nudge(self, side: int, frames: int) -> None:
        """Move one side by whole frames of its own clip (fine offset)."""
        s = self.sides[side]
        times = s.feed.index.times
        tau = self.tau
        t_now = float(self.timeline.sides[side].clip_time(tau)) if self.timeline else 0.0
        n = int(np.searchsorted(times, t_now + 1e-9, side="right")) - 1
        n2 = min(max(n + frames, 0), len(times) - 1)
        s.offset += float(times[n2] - times[max(n, 0)])
        self._rebuild(tau)

    def set_normalised(self, events_a: list[float] | None, events_b: list[float] | None) -> None:
        """Tempo-normalised mode between matching events (each side's clip times, s);
        ``None`` returns to real time."""
        if events_a is None or events_b is None:
            self.normalised = False
        else:
            self.sides[0].warp_events, self.sides[1].warp_events = list(events_a), list(events_b)
            self.sides[0].event = events_a[0]
            self.normalised = True
        self._rebuild(0.0 if self.normalised else self.tau)

    def _frame_time(self, side: CompareSide, t: float) -> float:
        times = side.feed.index.times
        n = int(np.searchsorted(times, t + 1e-9, side="right")) - 1
        return float(times[min(max(n, 0), len(times) - 1)])

    def _rebuild(self, tau: float) -> None:
        if len(self.sides) != 2:
            self.timeline = None
            self._set_marks(np.zeros(0))
            return
        a, b = self.sides
        side_a = SideTiming(a.feed.index.times, a.event, a.offset, factor=a.time_factor)
        if self.normalised and len(a.warp_events) >= 2:
            side_b = normalised_side(b.feed.index.times, a.warp_events, b.warp_events, b.offset,
                                     a.time_factor, b.time_factor)
        else:
            side_b = SideTiming(b.feed.index.times, b.event, b.offset, factor=b.time_factor)
        self.timeline = CommonTimeline(side_a, side_b)
        self._set_marks(self.timeline.steps)
        self.sync_changed.emit()
        self.seek(self.position_at_time(tau))

    # -- presenting -----------------------------------------------------------------

    def _present(self, position: int) -> None:
        assert self.timeline is not None
        frames = self.timeline.frames_at(float(self.marks[position]))
        changed = False
        for i, (side, n) in enumerate(zip(self.sides, frames, strict=True)):
            f = side.feed.get(n)
            if f is not None and (self.shown[i] is None or self.shown[i].index != n):
                self.shown[i] = f
                changed = True
            side.feed.request(n, self.request_direction())
        if changed:
            self._count_presented(position)
            self.frames_shown.emit(self.shown[0], self.shown[1])

    def _on_frame_ready(self, n: int) -> None:
        if self.timeline is None or not self.count:
            return
        want = self.frames_now()
        changed = False
        for i, side in enumerate(self.sides):
            if want[i] == n and (self.shown[i] is None or self.shown[i].index != n):
                f = side.feed.get(n)
                if f is not None:
                    self.shown[i] = f
                    changed = True
        if changed:
            self.frames_shown.emit(self.shown[0], self.shown[1])
