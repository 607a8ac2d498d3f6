"""A generated squat set (``analysis.synth.motion``) whose fastest rep is flagged ⚑: the
track through rep 2, by far the fastest, has low confidence. Rep 3 is the fastest of the
others and rep 1 the first, so a number that took rep 2 in, or read "first" as rep 1 of the
set when it means the first counted rep, shows."""

from __future__ import annotations

import numpy as np

from analysis.session.calibration import Calibration
from analysis.session.document import Recording, Session
from analysis.session.track import STATE_TRACKED, Track
from analysis.synth.motion import LiftScript, RepSpec, duration, sample

#: concentric durations (s) of the five reps, 0.5 m each: rep 2 the fastest, then rep 3
CONCENTRIC_S = (0.90, 0.55, 0.80, 0.95, 1.05)
PX_PER_M = 300.0
FPS = 30.0


def flagged_track(flagged: tuple[int, ...] = (2,), slower: float = 1.0
                  ) -> tuple[np.ndarray, ...]:
    """``(t, x, y, confidence)`` of the set (s, px, px, 0-1): confidence 0.2 (the tracker
    unsure) over the reps numbered in ``flagged``, 1 elsewhere; every concentric
    ``slower`` times :data:`CONCENTRIC_S` (a heavier load)."""
    script = LiftScript(reps=tuple(RepSpec(1.2, 0.3, c * slower, 0.8, 0.5)
                                   for c in CONCENTRIC_S),
                        setup=1.0, end_idle=1.0)
    t = np.arange(0, duration(script), 1 / FPS)
    xm, hm, truth = sample(script, t)
    conf = np.ones(len(t))
    for k in flagged:
        conf[(t >= truth[k - 1].start) & (t <= truth[k - 1].end)] = 0.2
    return t, 320 + xm * PX_PER_M, 420 - hm * PX_PER_M, conf


def flagged_recording(flagged: tuple[int, ...] = (2,), load: float = 100.0,
                      set_number: int = 1, slower: float = 1.0) -> Recording:
    """A calibrated recording of the set with its track (no video needed to analyse it)."""
    t, x, y, conf = flagged_track(flagged, slower)
    rec = Recording(f"set{set_number}.mp4", set_number=set_number, load=load)
    rec.track = Track(t, x, y, conf, np.full(len(t), STATE_TRACKED, np.uint8))
    rec.calibration = Calibration(m_per_px=1 / PX_PER_M, source="plate of 450 mm",
                                  reference_px=0.45 * PX_PER_M)
    return rec


def flagged_session(flagged: tuple[int, ...] = (2,), date: str = "2026-10-01",
                    loads: tuple[float, ...] = (100.0,)) -> Session:
    """Ana's back-squat session of one such set per load, slower in proportion to the
    load (the first load at :data:`CONCENTRIC_S`)."""
    s = Session(lifter="Ana", date=date, exercise="back squat", load=loads[0])
    for i, load in enumerate(loads):
        s.recordings.append(flagged_recording(flagged, load, i + 1, load / loads[0]))
    return s
