"""Load-velocity profile and estimated 1RM (e1RM) with its uncertainty.

The individual load-velocity relationship is close to linear for the squat, bench press,
deadlift and overhead press over 20-100 % of 1RM (Gonzalez-Badillo & Sanchez-Medina 2010;
Jidovtseff et al. 2011; Banyard et al. 2017). Fitting mean concentric velocity against
load and reading the load at the lift's minimal velocity threshold (MVT, the mean
velocity of a true 1RM) estimates the 1RM (Jidovtseff et al. 2011; Banyard, Nosaka &
Haff 2017; Weakley et al. 2021 review the method and its error).

Default MVTs (mean concentric velocity at 1RM, m/s), each editable:

* back squat 0.30 (Banyard et al. 2017: 0.24-0.33; Conceicao et al. 2016: 0.30)
* bench press 0.17 (Gonzalez-Badillo & Sanchez-Medina 2010: 0.16 +- 0.04;
  Garcia-Ramos et al. 2019: 0.17)
* deadlift 0.15 (Ruf, Chery & Taylor 2018: 0.14 +- 0.05; Helms et al. 2017: 0.15)
* overhead press 0.19 (Balsalobre-Fernandez et al. 2018: 0.19 +- 0.04)

The interval needs sets at ``MIN_LOADS_FOR_INTERVAL`` (3) or more different loads: with
two loads the line is the two-point method (Garcia-Ramos et al. 2018), whose residuals
only show how repeated sets at one load differ, not how straight the profile is, so the
estimate is given without an interval (a user read "128.4 kg, 125.4-131.5, r² 1.000"
from sets at two loads). The interval is the classical inverse-prediction (calibration) interval of a straight
line fit (Draper & Smith, Applied Regression Analysis, 3rd ed., section 3.2): for
``v0 = MVT``, ``x0 = (v0 - a) / b`` and
``se(x0) = s / |b| * sqrt(1/m + 1/n + (v0 - vbar)^2 / (b^2 Sxx))`` with ``m = 1``
(a single new 1RM attempt), and ``x0 +- t(0.975, n - 2) se(x0)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

#: Minimal velocity thresholds (m/s) by lift profile; see the module docstring.
DEFAULT_MVT: dict[str, float] = {"squat": 0.30, "bench": 0.17, "deadlift": 0.15,
                                 "press": 0.19}

MIN_R2 = 0.70            # below this the line does not describe the lifter's sets
MIN_LOADS_FOR_INTERVAL = 3
MAX_EXTRAPOLATION = 2.0  # e1RM beyond twice the heaviest load measured is not believable


class ProfileError(ValueError):
    """No believable profile or e1RM, with the reason in plain words."""


@dataclass(frozen=True)
class LoadVelocityProfile:
    """``v = intercept + slope * load`` fitted by least squares.

    Attributes
    ----------
    slope : float
        m/s per kg (negative: heavier is slower).
    intercept : float
        m/s at zero load.
    r2 : float
        Coefficient of determination.
    n : int
        Points fitted.
    loads_kg, velocities_m_s : tuple of float
        The points.
    residual_sd : float
        Residual standard deviation (m/s), NaN with two points.
    """

    slope: float
    intercept: float
    r2: float
    n: int
    loads_kg: tuple[float, ...]
    velocities_m_s: tuple[float, ...]
    residual_sd: float

    def velocity_at(self, load_kg: float) -> float:
        return self.intercept + self.slope * load_kg

    def load_at(self, velocity_m_s: float) -> float:
        return (velocity_m_s - self.intercept) / self.slope


@dataclass(frozen=True)
class OneRepMaxEstimate:
    """e1RM (kg) at ``mvt`` (m/s) with a 95 % interval (NaN when it cannot be given)."""

    e1rm_kg: float
    low_kg: float
    high_kg: float
    mvt_m_s: float
    note: str = ""


#: velocities closer than this (m/s) are "about equal": within the day-to-day variation
#: of a lifter's mean velocity at one load (about 0.03-0.05 m/s; Banyard et al. 2017,
#: J Strength Cond Res 31(7): 1897-1904)
SAME_VELOCITY_M_S = 0.03


def fit_profile(loads_kg: list[float] | np.ndarray,
                velocities_m_s: list[float] | np.ndarray) -> LoadVelocityProfile:
    """Fit the load-velocity line.

    Parameters
    ----------
    loads_kg, velocities_m_s : sequences of float, same length
        One point per set (e.g. the best rep's MCV) or per rep.

    Raises
    ------
    ProfileError
        Fewer than two distinct loads, non-finite values, or velocity not falling with
        load (a profile needs heavier sets to be slower); the message says whether the
        velocities rise or are about equal (:data:`SAME_VELOCITY_M_S`).
    """
    x = np.asarray(loads_kg, float)
    v = np.asarray(velocities_m_s, float)
    if x.shape != v.shape:
        raise ProfileError("loads and velocities differ in number")
    ok = np.isfinite(x) & np.isfinite(v) & (x > 0) & (v > 0)
    x, v = x[ok], v[ok]
    if len(np.unique(np.round(x, 3))) < 2:
        raise ProfileError("A load-velocity profile needs sets at two or more different loads "
                           f"(this history has {len(np.unique(np.round(x, 3)))}).")
    xm, vm = x.mean(), v.mean()
    sxx = float(((x - xm) ** 2).sum())
    slope = float(((x - xm) * (v - vm)).sum() / sxx)
    intercept = float(vm - slope * xm)
    resid = v - (intercept + slope * x)
    sst = float(((v - vm) ** 2).sum())
    r2 = 1.0 - float((resid ** 2).sum()) / sst if sst > 0 else 0.0
    sd = float(np.sqrt((resid ** 2).sum() / (len(x) - 2))) if len(x) > 2 else float("nan")
    if slope >= 0:
        where = (f"{v.min():.2f}-{v.max():.2f} m/s from {x.min():.0f} to {x.max():.0f} kg")
        if v.max() - v.min() < SAME_VELOCITY_M_S:
            raise ProfileError(
                f"These sets' velocities are about equal ({where}), so they give no "
                "load-velocity profile yet: it needs sets far enough apart in load that the "
                "heavier ones are clearly slower.")
        raise ProfileError(f"Velocity does not fall as the load rises in these sets ({where}), "
                           "so they give no load-velocity profile: check the loads entered, "
                           "and that every set was lifted as fast as possible.")
    return LoadVelocityProfile(slope=slope, intercept=intercept, r2=r2, n=len(x),
                               loads_kg=tuple(map(float, x)),
                               velocities_m_s=tuple(map(float, v)), residual_sd=sd)


def estimate_1rm(profile: LoadVelocityProfile, mvt_m_s: float) -> OneRepMaxEstimate:
    """e1RM: the profile's load at the minimal velocity threshold, with a 95 % interval.

    Raises
    ------
    ProfileError
        An implausible fit: r2 below 0.70, or an estimate below 90 % of the heaviest
        load lifted or beyond twice it (the message says which).
    """
    if not mvt_m_s > 0:
        raise ProfileError("The minimal velocity threshold must be a positive speed (m/s).")
    if profile.r2 < MIN_R2:
        raise ProfileError(f"The sets do not lie on a line (r² {profile.r2:.2f} < {MIN_R2}).")
    x0 = profile.load_at(mvt_m_s)
    heaviest = max(profile.loads_kg)
    if not np.isfinite(x0) or x0 < heaviest * 0.9 or x0 > heaviest * MAX_EXTRAPOLATION:
        raise ProfileError(f"The profile puts the 1RM at {x0:.0f} kg against a heaviest set "
                           f"of {heaviest:.0f} kg: not believable.")
    n = profile.n
    if n < 3 or not np.isfinite(profile.residual_sd):
        return OneRepMaxEstimate(x0, float("nan"), float("nan"), mvt_m_s,
                                 "interval needs three or more points")
    loads = len(np.unique(np.round(profile.loads_kg, 3)))
    if loads < MIN_LOADS_FOR_INTERVAL:
        # repeated sets at two loads measure only the spread within a load; the line's
        # own error (how straight the profile is) needs a third load
        return OneRepMaxEstimate(x0, float("nan"), float("nan"), mvt_m_s,
                                 f"from {loads} loads only (the two-point method): rough, no "
                                 "interval; a set at a third load gives one")
    x = np.asarray(profile.loads_kg)
    v = np.asarray(profile.velocities_m_s)
    sxx = float(((x - x.mean()) ** 2).sum())
    b = profile.slope
    se = profile.residual_sd / abs(b) * np.sqrt(1.0 + 1.0 / n
                                                 + (mvt_m_s - v.mean()) ** 2 / (b * b * sxx))
    half = float(stats.t.ppf(0.975, n - 2) * se)
    return OneRepMaxEstimate(x0, x0 - half, x0 + half, mvt_m_s)
