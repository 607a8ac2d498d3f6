"""A plate at rest: has its rim moved since the frame its circle was last fitted on?

Fitting the rim (:func:`analysis.tracking.targets.follow_rim`) is most of a plate's
tracking cost, and between reps the plate does not move. The rim's pixels are sampled on
a thin ring across it, on the frame of the last fit and on the new frame; their
difference, against the rim's radial gradient, gives the rim's shift and change of radius
since then by least squares (the Lucas-Kanade step, Lucas & Kanade 1981, restricted to the
rim: for a shift ``d`` and growth ``dr``, ``I_new(p) - I_fit(p) ~ -g(p) (n(p) . d + dr)``
with ``g`` the radial derivative and ``n`` the ray's direction). A rim that moved less
than ``REST_PX`` either way, with the difference otherwise within ``REST_RESIDUAL``
(nothing passed in front of it), keeps the last fit.
"""

from __future__ import annotations

import cv2
import numpy as np

from analysis.tracking.circle import CircleFit

RAYS = 72
_THETA = np.linspace(0, 2 * np.pi, RAYS, endpoint=False)
_COS = np.cos(_THETA).astype(np.float32)
_SIN = np.sin(_THETA).astype(np.float32)
_ACROSS = np.arange(-3, 4, dtype=np.float32)  # px across the rim sampled on each ray
# The rim moved less than this (px, centre and radius) since its last fit: kept. A fit
# started from the same place on another frame of a still plate moves by up to ~0.1 px
# (noise on the edges), so a shift of this size is below what the fit itself resolves.
REST_PX = 0.02
# Grey levels, rms of what the shift does not explain: above it something changed on the
# rim (a hand, a shadow, blur) and the rim is fitted again.
REST_RESIDUAL = 4.0
# Grey levels per px, mean radial gradient on the ring: below it the ring cannot tell motion.
MIN_GRADIENT = 1.0


class RimRest:
    """The last rim fit and the frame it was made on; :meth:`still` compares a new frame."""

    def __init__(self) -> None:
        self._fit: CircleFit | None = None
        self._gray: np.ndarray | None = None
        self._ref: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None

    def fitted(self, gray: np.ndarray, fit: CircleFit) -> None:
        """The rim was fitted on ``gray`` (the ring is sampled only if a still check follows)."""
        self._fit, self._gray, self._ref = fit, gray, None

    def forget(self) -> None:
        self._fit = self._gray = self._ref = None

    def still(self, gray: np.ndarray) -> CircleFit | None:
        """The last fit when the rim has not moved on ``gray`` since it was made, else None."""
        fit = self._fit
        if fit is None:
            return None
        if self._ref is None:
            if self._gray is None:
                return None
            self._ref = self._reference(self._gray, fit)
            self._gray = None  # the ring is sampled: the frame (a decoder picture) is let go
        mx, my, ref, basis, normal = self._ref
        if normal is None:
            return None
        now = cv2.remap(gray, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        d = now[:, 1:-1].astype(np.float32).ravel()
        d -= ref
        sol = np.linalg.solve(normal, basis @ d)  # (dx, dy, dr) with the sign of -g
        if np.abs(sol).max() > REST_PX:
            return None
        res = d - sol @ basis
        if float(res @ res) > REST_RESIDUAL * REST_RESIDUAL * len(res):
            return None
        return fit

    @staticmethod
    def _reference(gray: np.ndarray, fit: CircleFit):
        rs = fit.r + _ACROSS
        mx = _COS[:, None] * rs + np.float32(fit.x)
        my = _SIN[:, None] * rs + np.float32(fit.y)
        prof = cv2.remap(gray, mx, my, cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REPLICATE).astype(np.float32)
        g = 0.5 * (prof[:, 2:] - prof[:, :-2])  # radial derivative at the inner samples
        ref = prof[:, 1:-1].ravel()
        gr = g.ravel()
        n = np.repeat(_COS, g.shape[1]), np.repeat(_SIN, g.shape[1])
        basis = np.stack([-gr * n[0], -gr * n[1], -gr]).astype(np.float64)
        normal = basis @ basis.T
        contrast = float(np.abs(gr).mean())
        if contrast < MIN_GRADIENT or np.linalg.cond(normal) > 1e6:
            return mx, my, ref, basis, None
        return mx, my, ref, basis, normal
