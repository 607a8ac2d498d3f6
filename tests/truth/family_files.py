"""A family of generated sets written to files: each set's track CSV (lift_truth's
``to_track_csv``) and its truth as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tests.truth.set_track_csv import to_track_csv


def write_family(out_dir, family: Mapping[str, Any], build: Callable[[Any], Any],
                 truth_dict: Callable[[Any], dict], fps_list: Sequence[float] | None = None,
                 noise_px: float | None = None, seed: int = 0) -> list[Path]:
    """Write every set of ``family`` (name -> spec with ``fps``, ``noise_px`` and
    ``m_per_px``), built by ``build``, as ``NAME-FPS.csv`` (at the set's ``m_per_px``;
    its own ``fps`` and ``noise_px`` unless given) plus ``NAME.truth.json``
    (``truth_dict``); returns the CSV paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, spec in family.items():
        truth = build(spec)
        (out / f"{name}.truth.json").write_text(json.dumps(truth_dict(truth), indent=1),
                                                encoding="utf-8")
        for fps in fps_list or (spec.fps,):
            p = out / f"{name}-{int(fps)}.csv"
            to_track_csv(truth, p, fps=fps, m_per_px=spec.m_per_px,
                         noise_px=spec.noise_px if noise_px is None else noise_px, seed=seed)
            paths.append(p)
    return paths


def check_c2_joins(truth: Any) -> None:
    """Assert that ``truth``'s segments join end to start, at rest (velocity and
    acceleration zero), with position, velocity and acceleration continuous across."""
    import numpy as np
    import pytest

    segs = truth.segments
    assert segs[0].t0 == 0.0 and segs[-1].t1 == pytest.approx(truth.duration_s, abs=1e-12)
    for s0, s1 in zip(segs, segs[1:], strict=False):
        assert s0.t1 == pytest.approx(s1.t0, abs=1e-12)
        y0, v0, a0 = s0.eval(np.array([s0.t1]))
        y1, v1, a1 = s1.eval(np.array([s1.t0]))
        assert y0[0] == pytest.approx(y1[0], abs=1e-12)
        assert abs(v0[0]) < 1e-12 and abs(v1[0]) < 1e-12
        assert abs(a0[0]) < 1e-9 and abs(a1[0]) < 1e-9
    tb = np.array([s.t0 for s in segs[1:]])
    for f, tol in ((truth.y, 1e-9), (truth.v, 1e-6), (truth.a, 1e-4)):
        assert np.max(np.abs(f(tb + 1e-9) - f(tb - 1e-9))) < tol


def check_family_csv(out_dir, name: str, spec: Any, truth: Any) -> None:
    """Assert that :func:`write_family`'s ``NAME-FPS.csv`` of ``truth`` holds a row per
    frame at the set's own rate and, with noise, the set's noise around the truth."""
    import numpy as np
    import pytest

    rows = (Path(out_dir) / f"{name}-{int(spec.fps)}.csv").read_text().splitlines()[3:]
    assert len(rows) == int(np.floor(truth.duration_s * spec.fps)) + 1
    if spec.noise_px:
        yy = np.array([float(r.split(",")[3]) for r in rows])
        tt = np.array([float(r.split(",")[1]) for r in rows])
        resid = yy - (900.0 - truth.y(tt) / spec.m_per_px)
        assert resid.std() == pytest.approx(spec.noise_px, rel=0.15)
