"""Where the first pull ends and the second begins, from the bar's vertical speed alone.

The literature ends the first pull at the first maximum of knee extension and the
transition (double knee bend) at the maximal knee re-flexion (Enoka 1979; Garhammer
1985; Isaka et al. 1996; Kipp & Harris 2015). A bar track has no knee; the bar-only proxy
is the vertical speed ``vy``: it rises through the first pull, levels off or dips while
the knees re-bend, and rises steeply in the second pull (Isaka et al. 1996; Kipp &
Harris 2015).

The split is read from the shape of the whole pull, not from one local extremum: three
straight lines joined end to end are fitted to ``vy`` from lift-off to peak velocity
(least squares), the first joint with the bar at about knee height (:data:`KNEE_SHARE`
of its rise to the peak height). Every pair of joints on the frames is weighted by how
well it fits (its likelihood under the fit's noise) and the joints are the weighted
means: where two fits are nearly as good the answer lies between them and moves
smoothly with the data, where the best fit alone would jump from one to the other.
Only fits with a transition's shape (the middle line the least steep) are weighted when
one of them fits nearly as well as the best (:data:`SHAPE_CHI2`): a noise step fitted by
a short steep middle line is no transition.

* The middle line the least steep of the three (the speed levels off or dips while the
  knees re-bend): the first pull ends at the first joint, the transition at the second.
  A speed that rounds off into its plateau bends the fitted corner early, so the first
  pull ends later by the time the bar's acceleration (the speed low-passed at
  :data:`ROUND_CUTOFF_HZ`) stays above the middle line's slope by more than
  :data:`ROUND_SHARE` of the step down to it, within :data:`SNAP_S` (a measure of time,
  which also moves smoothly with the data).
* Otherwise, or when the bends are within the noise (:data:`BEND_SE`), the bar sped up
  evenly: the first pull ends at the first joint and no transition is reported (a
  warning says so).

Why: the first local maximum of ``vy``, the deepest minimum after it, or the lowest
point of the acceleration are each the answer of one frame, and on a real clip the
bar's speed wobbles by a few cm/s from frame to frame. Re-opening the shared clean and
jerk on another machine (a CPU whose numeric kernels round differently moves the
tracked point by a pixel or two) moved the second pull's start from 5.60 s to 5.36 s
and the first pull's end from 5.45 s to 5.33 s; they now stay within 5.49-5.60 s and
5.40-5.50 s (``tests/analysis/test_weightlifting_stability.py``).
"""

from __future__ import annotations

import numpy as np

from analysis.lift.weightlifting_signal import LiftSignals, smooth

#: Where the first pull may end, as shares of the bar's rise from lift-off to its peak
#: height: with the bar at about knee height. The knee is at about 0.285 of stature
#: (Drillis & Contini 1966, as tabled in Winter's Biomechanics), 0.46-0.54 m for lifters
#: of 1.60-1.90 m; the bar leaves the floor at 0.225 m and peaks at about 0.9-1.3 m
#: (Garhammer 1985; Stone et al. 1998), so the knee lies at 0.2-0.45 of the rise. The
#: truth trajectories (tests/truth2) end the first pull at 0.36-0.38 of it.
KNEE_SHARE = (0.15, 0.50)
#: The first pull's end is moved at most this far (s) past the first joint (3 frames at
#: 30 fps; the transition lasts about 0.1 s, Garhammer 1985).
SNAP_S = 0.1
#: Joints are tried on a grid at most this fine (s): every frame up to 60 fps, every
#: fourth at 240 fps.
GRID_S = 1.0 / 60.0
#: A speed that rounds off into a plateau: the first pull ends once the bar's
#: acceleration, the speed low-passed at ROUND_CUTOFF_HZ (Hz), has come down to within
#: ROUND_SHARE of the step from the first line's slope to the middle line's.
ROUND_SHARE = 0.1
ROUND_CUTOFF_HZ = 6.0
#: A fit with a transition's shape is preferred to a better one without when its sum of
#: squared residuals is larger by at most this many noise variances (3 SDs).
SHAPE_CHI2 = 9.0
#: A transition is shown only when both bends of the three lines (the slope falling at
#: the first joint, rising at the second) exceed this many standard errors (a two-sided
#: test at about 5 %); else the bar sped up evenly.
BEND_SE = 2.0
#: The cut-off of the speed the lines are fitted to (Hz, :func:`smooth`'s default).
SPEED_CUTOFF_HZ = 12.0


def _fit_sse(tt: np.ndarray, v: np.ndarray, k1: np.ndarray, k2: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    """Sum of squared residuals of the least-squares fit of ``v`` by three lines joined
    at times ``k1 < k2`` (one value per pair; ``tt`` from the fit's start), and the three
    lines' slopes ((P, 3))."""
    one = np.ones_like(tt)
    h1 = np.maximum(tt[None, :] - k1[:, None], 0.0)
    h2 = np.maximum(tt[None, :] - k2[:, None], 0.0)
    cols = [np.broadcast_to(one, h1.shape), np.broadcast_to(tt, h1.shape), h1, h2]
    a = np.stack(cols, axis=2)                                # (P, n, 4)
    ata = np.einsum("pni,pnj->pij", a, a)
    atv = np.einsum("pni,n->pi", a, v)
    c = np.linalg.solve(ata + 1e-12 * np.eye(4), atv[:, :, None])[:, :, 0]
    sse: np.ndarray = float(v @ v) - np.einsum("pi,pi->p", c, atv)
    slopes = np.cumsum(c[:, 1:], axis=1)
    return sse, slopes


def three_lines(t: np.ndarray, v: np.ndarray, first: np.ndarray, lo: int, hi: int,
                corr: float = 1.0) -> tuple[float, float, tuple[float, float, float]] | None:
    """The two joints (s) of a three-line fit of ``v[lo:hi + 1]``: their means over the
    joint pairs weighted by how well each fits.

    ``first`` (bool, same length as ``v``) marks the samples allowed as the first joint;
    each line spans at least one frame interval and the last one at least two samples.
    Joints are tried on frames (every ``round(GRID_S / dt)``-th at high frame rates).
    Each pair is weighted by its likelihood under Gaussian noise,
    ``exp(-(SSE - SSE_min) / (2 s2 corr))``, ``s2`` the best fit's residual variance and
    ``corr`` the number of samples per independent one (a low-passed speed).
    Only the pairs whose fit has a transition's shape (the middle line the least steep)
    are weighted when the best of them fits within :data:`SHAPE_CHI2` noise variances
    of the best pair. Returns (first joint, second joint, the three
    slopes of the best pair's fit), None when no pair fits.
    """
    n = hi - lo + 1
    if n < 6:
        return None
    tt = t[lo:hi + 1] - t[lo]
    vv = v[lo:hi + 1]
    step = max(1, int(round(GRID_S / float(t[1] - t[0]))))
    ok1 = [i for i in range(lo + 1, hi - 1, step) if first[i]]
    pairs = np.asarray([(a, b) for a in ok1 for b in range(a + 1, hi - 1, step)], dtype=int)
    if not len(pairs):
        return None
    k1, k2 = tt[pairs[:, 0] - lo], tt[pairs[:, 1] - lo]
    parts = [_fit_sse(tt, vv, k1[i:i + 2000], k2[i:i + 2000]) for i in range(0, len(k1), 2000)]
    sse = np.concatenate([p[0] for p in parts])
    slopes = np.concatenate([p[1] for p in parts])
    best = int(np.argmin(sse))
    s2 = max(float(sse[best]) / max(n - 4, 1), 1e-12 * float(vv @ vv) + 1e-300)
    # the fits with a transition's shape (the middle line the least steep), when one of
    # them fits nearly as well as the best (within SHAPE_CHI2 noise variances): a noise
    # step fitted by a short steep middle line is no transition
    shaped = slopes[:, 1] < np.minimum(slopes[:, 0], slopes[:, 2])
    if shaped.any() and sse[shaped].min() - sse[best] <= SHAPE_CHI2 * s2 * corr:
        sse, slopes, k1, k2 = sse[shaped], slopes[shaped], k1[shaped], k2[shaped]
        best = int(np.argmin(sse))
    wts = np.exp(-(sse - sse[best]) / (2.0 * s2 * corr))
    m1 = float(np.sum(wts * k1) / np.sum(wts))
    m2 = float(np.sum(wts * k2) / np.sum(wts))
    s_1, s_2, s_3 = (float(x) for x in slopes[best])
    return m1 + float(t[lo]), m2 + float(t[lo]), (s_1, s_2, s_3)


def _bends_clearly(t: np.ndarray, v: np.ndarray, lo: int, hi: int, j1: float, j2: float,
                   corr: float) -> bool:
    """Whether the three lines joined at ``j1`` and ``j2`` (s) bend as a transition beyond
    the noise: the slope falls at ``j1`` and rises at ``j2``, each change by more than
    :data:`BEND_SE` of its standard error (least squares on ``v[lo:hi + 1]``, residual
    variance times ``corr``, the samples per independent one). Preferring fits with a
    transition's shape (:data:`SHAPE_CHI2`) finds one in any speed, also in one rising
    at a single acceleration, where the best such fit's bends are noise."""
    tt = t[lo:hi + 1] - t[lo]
    vv = v[lo:hi + 1]
    if len(tt) < 6:
        return False
    a = np.column_stack([np.ones_like(tt), tt, np.maximum(tt - (j1 - t[lo]), 0.0),
                         np.maximum(tt - (j2 - t[lo]), 0.0)])
    c = np.linalg.lstsq(a, vv, rcond=None)[0]
    r = vv - a @ c
    var = float(r @ r) / max(len(vv) - 4, 1) * corr
    se = np.sqrt(np.maximum(np.diag(var * np.linalg.pinv(a.T @ a)), 0.0))
    return bool(-c[2] > BEND_SE * se[2] and c[3] > BEND_SE * se[3])


def pull_split(s: LiftSignals, i0: int, i_pv: int, i_ph: int, liftoff_t: float,
               warnings: list[str]) -> tuple[float, float, float | None, int | None]:
    """End of the first pull and of the transition (s), the first pull's peak velocity
    (m/s, None without a velocity dip) and the index of the transition's end (None
    without a transition).

    ``i0`` is the attempt's first moving sample, ``i_pv`` the peak velocity's and
    ``i_ph`` the peak height's (indices into ``s``); the fit starts at ``liftoff_t``
    (s), the last instant at rest. The rule is the module docstring's.
    """
    t, h, vy = s.t, s.h, s.vy
    rise = h - h[i0]
    total = float(rise[i_ph]) if i_ph > i0 else 0.0
    band = (rise >= KNEE_SHARE[0] * total) & (rise <= KNEE_SHARE[1] * total)
    lo = int(np.clip(np.searchsorted(t, liftoff_t), 0, max(0, i_pv - 1)))
    corr = max(1.0, 1.0 / (s.dt * 2.0 * SPEED_CUTOFF_HZ))
    fit = three_lines(t, vy, band, lo, i_pv, corr)
    if fit is None:
        i_m = min(max(i0 + 1, (i0 + i_pv) // 2), len(t) - 1)
        warnings.append("The pull is too short to split: the first pull ends halfway to "
                        "the peak velocity and no transition is shown.")
        return float(t[i_m]), float(t[i_m]), None, None
    j1, j2, (s1, s2, s3) = fit
    i_tr = int(np.clip(np.searchsorted(t, j2), 0, len(t) - 1))
    if s2 < min(s1, s3) and not _bends_clearly(t, vy, lo, i_pv, j1, j2, corr):
        s2 = min(s1, s3)  # a bend within the noise: the bar sped up evenly
    if s2 >= min(s1, s3):
        warnings.append("No velocity dip or plateau between the first and second pull (no "
                        "visible double knee bend): the first pull ends where the bar's "
                        "speed-up changes with the bar at about knee height, and no "
                        "transition is shown.")
        return j1, j1, None, None
    # a speed that rounds off into a plateau bends the fitted corner early: the first pull
    # ends later by the time the bar's acceleration (the speed low-passed at
    # ROUND_CUTOFF_HZ) stays above the middle line's slope by ROUND_SHARE of the step from
    # the first line's (a measure of time, which moves smoothly with the data)
    w_s = min(SNAP_S, 0.5 * (j2 - j1))
    if w_s > 0:
        acc = np.gradient(smooth(vy, s.dt, ROUND_CUTOFF_HZ), s.dt)
        fine = np.linspace(j1, j1 + w_s, 41)
        a_at = np.interp(fine, t, acc)
        flat = max(s2, 0.0)
        j1 += w_s * float(np.mean(a_at > flat + ROUND_SHARE * (s1 - flat)))
    first_peak_v = None
    if s2 < 0:  # a dip: the first pull's own peak speed
        w = max(1, int(round(SNAP_S / s.dt)))
        k = int(np.searchsorted(t, j1))
        first_peak_v = float(vy[max(lo, k - w):min(i_tr, k + w) + 1].max())
    return j1, j2, first_peak_v, i_tr
