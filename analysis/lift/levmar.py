"""A small bounded Levenberg-Marquardt least-squares solver (no SciPy).

The rest fits of :mod:`analysis.lift.boundaries` have at most 9 parameters and a few
dozen residuals, with an exact Jacobian. For such problems a plain Levenberg-Marquardt
iteration (Marquardt 1963, *J. SIAM* 11:431; damping updated as in Nielsen 1999,
*IMM-REP-1999-05*) on the parameters divided by a typical scale, with no step longer
than a trust radius and bounds kept by an active set (a parameter that a step would
carry past its bound stops there, the others' step is solved again; one on a bound that
the gradient pushes out stays), reaches the optimum SciPy's
``least_squares(method="trf")`` reaches with tight tolerances (checked on the rest fits
of the validity benchmark, tests/analysis/test_levmar.py) without importing
``scipy.optimize``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: Stop when a step lowers the cost by less than this share of it ...
FTOL = 1e-10
#: ... or moves no scaled parameter by more than this (relative to 1 + its size).
XTOL = 1e-10


def levmar(fun: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]], x0: np.ndarray,
           lb: np.ndarray, ub: np.ndarray, scale: np.ndarray, free: np.ndarray | None = None,
           max_iter: int = 200, ftol: float = FTOL) -> tuple[np.ndarray, float]:
    """Minimise ``0.5 * |r(x)|^2`` within ``lb <= x <= ub``.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> (r, J)``: residuals, shape ``(m,)``, and their Jacobian, ``(m, n)``.
    x0 : numpy.ndarray
        Start, shape ``(n,)``; clipped into the bounds.
    lb, ub : numpy.ndarray
        Bounds, shape ``(n,)`` (``-inf``/``inf`` allowed).
    scale : numpy.ndarray
        Typical size of each parameter's changes (positive), shape ``(n,)``.
    free : numpy.ndarray of bool, optional
        Parameters to fit; the others stay at ``x0``.
    max_iter : int
        Most Jacobian evaluations.
    ftol : float
        Stop when a step lowers the cost by less than this share of it.

    Returns
    -------
    (numpy.ndarray, float)
        The parameters at the optimum and the cost ``0.5 * |r|^2`` there.

    Raises
    ------
    ValueError
        When the residuals at the start are not finite.
    """
    x = np.clip(np.asarray(x0, float), lb, ub)
    free = np.ones(len(x), bool) if free is None else np.asarray(free, bool)
    r, J = fun(x)
    cost = 0.5 * float(r @ r)
    if not np.isfinite(cost):
        raise ValueError("the residuals at the start are not finite")
    lam, nu, radius = 1e-1, 2.0, 1.0
    for _ in range(max_iter):
        Js = J * scale
        g = Js.T @ r
        A = Js.T @ Js
        # parameters on a bound that the gradient pushes further out stay there
        act = free & ~(((x <= lb) & (g > 0)) | ((x >= ub) & (g < 0)))
        done = False
        while act.any():
            dz = _step(A, g, act, lb, ub, x, scale, lam)
            cn = np.inf
            if dz is not None:
                big = float(abs(dz).max())
                if big > radius:  # no step longer than the trust radius (scaled units)
                    dz = dz * (radius / big)
                xn = np.clip(x + dz * scale, lb, ub)
                rn, Jn = fun(xn)
                cn = 0.5 * float(rn @ rn)
            if np.isfinite(cn) and cn < cost:
                # gain ratio of the actual to the predicted decrease (Nielsen's update)
                dz = (xn - x) / scale
                pred = -float(g @ dz) - 0.5 * float(dz @ (A @ dz))
                rho = (cost - cn) / pred if pred > 0 else 1.0
                lam *= max(1.0 / 3.0, 1.0 - (2.0 * rho - 1.0) ** 3)
                nu = 2.0
                if rho > 0.75:
                    radius = max(radius, 2.0 * float(abs(dz).max()))
                small = bool((abs(dz) <= XTOL * (1.0 + abs(x / scale))).all())
                done = (cost - cn) <= ftol * cost or small
                x, r, J, cost = xn, rn, Jn, cn
                break
            lam *= nu
            nu *= 2.0
            radius *= 0.5
            if lam > 1e20:
                return x, cost
        if done or not act.any():
            break
    return x, cost


def _step(A: np.ndarray, g: np.ndarray, act: np.ndarray, lb: np.ndarray, ub: np.ndarray,
          x: np.ndarray, scale: np.ndarray, lam: float) -> np.ndarray | None:
    """Levenberg-Marquardt step (scaled parameters) of the parameters ``act``, from the
    normal matrix ``A`` and gradient ``g`` (scaled), with Marquardt's scaling (the
    damping is ``lam`` times the diagonal of ``A``). A parameter the step would carry
    past a bound moves to the bound and the others' step is solved again given that
    move; None when the system is singular."""
    dz = np.zeros(len(x))
    act = act.copy()
    for _ in range(len(x)):
        idx = np.flatnonzero(act)
        if not len(idx):
            return dz
        # every parameter active: the matrix itself (a copy of it otherwise)
        Aa = A if len(idx) == len(x) else A[idx[:, None], idx]
        d = Aa.diagonal()
        d = np.where(d <= 0, 1.0, d)
        try:
            sa = np.linalg.solve(Aa + np.diag(lam * d), -(g[idx] + A[idx] @ dz))
        except np.linalg.LinAlgError:
            return None
        if not np.isfinite(sa).all():
            return None
        want = x[idx] + (dz[idx] + sa) * scale[idx]
        over = (want < lb[idx]) | (want > ub[idx])
        if not over.any():
            dz[idx] += sa
            return dz
        k = idx[over]
        dz[k] = (np.clip(want[over], lb[k], ub[k]) - x[k]) / scale[k]
        act[k] = False
    return dz
