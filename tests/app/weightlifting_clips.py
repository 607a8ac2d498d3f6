"""Generated weightlifting lifts (tests/truth2, a blind generator) rendered as clips for
the app's tests, and a window showing one with its bar track."""

from __future__ import annotations

import numpy as np

from analysis.session import Track
from analysis.synth.lift_clip import render_clip_fast
from app.controllers.analysis import set_track

#: the clips' scale (px per m) and size (px): a 450 mm plate is 67.5 px across
PX_PER_M = 150.0
SIZE = (400, 400)


def render_lift(path, traj) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Render the lift ``traj`` (a tests/truth2 trajectory, m) at 30 fps to ``path``, the
    bar at x = 200 px and 10 px above the picture's bottom at its lowest: ``(t, x, y)``,
    the bar's true positions (s, px)."""
    t = np.arange(0.0, traj.duration, 1 / 30)
    x = 200 + traj.x(t) * PX_PER_M
    y = 390 - traj.y(t) * PX_PER_M
    render_clip_fast(path, t, x, y, size=SIZE, plate_diameter_px=0.45 * PX_PER_M)
    return t, x, y


def show_tracked(make_window, path, t, x, y, exercise: str):
    """A window (1500×950) on the clip ``path`` with the session's exercise set and the
    true bar track ``(t, x, y)`` as its track (not calibrated)."""
    w = make_window(path, size=(1500, 950))
    w.workspace.sessions.update_fields(exercise=exercise)
    n = len(t)
    set_track(w.model, w.workspace.drawing.undo_stack, w.model.current,
              Track(t.copy(), x.copy(), y.copy(), np.ones(n), np.ones(n, np.uint8)),
              "Track the bar")
    return w
