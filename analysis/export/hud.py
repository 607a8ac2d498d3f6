"""The data overlay's text (rep number, live velocity, each finished rep's MCV and tempo;
for a snatch, clean or jerk the attempt, its phase and its heights),
one definition for the single-clip export, the side-by-side export, the comparison on
screen and ``liftlens export``; the painter that draws it is the app's
(``widgets.overlay_painter.paint_hud``)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from analysis.lift.attempts import PHASE_LABELS
from analysis.lift.rep_metrics import velocity_text
from analysis.lift.result import AnalysisResult
from analysis.session.overrides import STATUS_TEXT

#: finished reps listed under the live line
FINISHED_SHOWN = 3


def speed_text(speed: float) -> str:
    """The label of an export played at ``speed`` against real time (the export's
    ``speed``: 0.5 = half speed), so whoever watches it knows: ``"1/2× speed (slow
    motion)"``, ``"2× speed"``; "" at 1× (real speed: a slow-motion capture exported at
    1× shows the movement at the speed it happened)."""
    from fractions import Fraction

    if abs(speed - 1.0) < 1e-9:
        return ""
    f = Fraction(speed).limit_denominator(16)
    shown = str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"
    return f"{shown}× speed" + (" (slow motion)" if speed < 1 else "")


def with_speed(lines: Callable[[float], list[str]] | None, speed: float
               ) -> Callable[[float], list[str]] | None:
    """``lines`` with :func:`speed_text` as their first line when the export is not at
    real speed (``lines`` None: that label alone); ``lines`` itself at 1x."""
    label = speed_text(speed)
    if not label:
        return lines
    return lambda t: [label, *(lines(t) if lines is not None else [])]


def hud_lines(result: AnalysisResult, time_scale: float = 1.0) -> Callable[[float], list[str]]:
    """``lines(t)``: the overlay's text lines at clip time ``t`` (s).

    Parameters
    ----------
    result : AnalysisResult
        The recording's analysis (velocities in m/s when calibrated, else px/s).
    time_scale : float
        Real seconds per file second (slow motion): the overlay is asked at file time
        and the analysis is in real time. 1 for a clip filmed in real time.

    Returns
    -------
    callable
        ``lines(t) -> list of str``: ``"Rep 2   +0.61 m/s"`` during a rep (live vertical
        velocity), then one ``"Rep 1: 0.72 m/s  2.1-0.4-0.8-0.6"`` line per finished rep
        from its lockout on (its mean concentric velocity, MPV when it differs, tempo,
        holds; its status when not valid, "Rep 5 (failed): ..."), the last
        :data:`FINISHED_SHOWN`; velocities as the rep table shows them (px/s whole). A rep
        marked not a rep shows no line. A snatch, clean or jerk (``result.weightlifting``) shows
        its attempts instead (:func:`attempt_hud_lines`), never a "rep" reading.
    """
    if result.weightlifting is not None:
        return attempt_hud_lines(result, time_scale)
    k = result.kinematics
    unit = "m/s" if result.units == "m" else "px/s"
    ok = np.isfinite(k.vy)
    reps = [r for r in result.reps if r.status != "false"]  # marked not a rep: no rep line

    def moving_until(r) -> float:
        """While the live velocity is shown: to the end of the rep's second stroke (lockout
        of a squat or press, the bar back down after a deadlift), not through the pause
        after it, which lasts until the next rep."""
        ends = [r.phases[k][1] for k in ("concentric", "eccentric") if k in r.phases]
        return min(r.end, max(ends)) if ends else r.end

    def shown_from(r) -> float:
        """When a rep's numbers are shown: at lockout, the end of its concentric (what its
        MCV measures), also when the bar is still to be lowered (a deadlift's): they used
        to wait for the bar back on the floor."""
        if "concentric" in r.phases:
            return min(r.end, r.phases["concentric"][1])
        return moving_until(r)

    def lines(t: float) -> list[str]:
        t = t * time_scale
        out = []
        current = next((r for r in reps if r.start <= t < moving_until(r)), None)
        done = [r for r in reps if shown_from(r) <= t]
        if current is not None:
            v = float(np.interp(t, k.t[ok], k.vy[ok])) if ok.any() else 0.0
            out.append(f"Rep {current.number}   {velocity_text(v, result.units, sign=True)} "
                       f"{unit}")
        for r in done[-FINISHED_SHOWN:]:
            m = r.metrics
            mpv = ("" if m.mean_propulsive_velocity is None
                   or abs(m.mean_propulsive_velocity - m.mean_concentric_velocity) < 0.005
                   else f" MPV {velocity_text(m.mean_propulsive_velocity, result.units)}")
            hold = f"  hold {sum(h.duration for h in r.holds):.1f} s" if r.holds else ""
            status = "" if r.status == "valid" else f" ({STATUS_TEXT[r.status]})"
            out.append(f"Rep {r.number}{status}: "
                       f"{velocity_text(m.mean_concentric_velocity, result.units)} {unit}"
                       f"{mpv}  {r.tempo_text}{hold}")
        return out

    return lines


def attempt_hud_lines(result: AnalysisResult, time_scale: float = 1.0
                      ) -> Callable[[float], list[str]]:
    """``lines(t)`` of a snatch, clean or jerk at clip time ``t`` (s): ``"Attempt 1  second
    pull  +1.62 m/s"`` during an attempt's phase (live vertical velocity), then per
    finished attempt its peak and catch heights (cm) and second-pull peak velocity (m/s),
    as the attempt table shows them. ``time_scale``: real seconds per file second."""
    k = result.kinematics
    ok = np.isfinite(k.vy)
    attempts = result.weightlifting.attempts if result.weightlifting is not None else []

    def lines(t: float) -> list[str]:
        t = t * time_scale
        out = []
        for a in attempts:
            ph = next((p for p in a.phases if p.start_t <= t <= p.end_t), None)
            if ph is not None:
                v = float(np.interp(t, k.t[ok], k.vy[ok])) if ok.any() else 0.0
                out.append(f"Attempt {a.number}  {PHASE_LABELS.get(ph.name, ph.name)}  "
                           f"{v:+.2f} m/s")
            if a.catch_t < t:  # short lines: a portrait phone clip is narrow
                out.append(f"#{a.number} peak {a.peak_height_m * 100:.0f} · catch "
                           f"{a.catch_height_m * 100:.0f} cm" + (" MISSED" if a.missed else ""))
                out.append(f"#{a.number} 2nd pull {a.peak_velocity_m_s:.2f} m/s")
        return out

    return lines
