"""Velocity loss on real string-encoder sets (OpenBarbell TestData.json, junk included)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from analysis.lift.set_metrics import velocity_loss

pytestmark = pytest.mark.realdata


def _sets(shared_data: Path) -> list[dict]:
    p = shared_data / "groundtruth" / "openbarbell" / "TestData.json"
    if not p.exists():
        pytest.skip(f"{p} not found")
    return list(json.loads(p.read_text()).values())


def _mean_velocities(s: dict) -> list[str]:
    return [r["data"][2] for r in s["reps"] if r.get("isValid") and not r.get("removed")
            and isinstance(r.get("data"), list) and len(r["data"]) > 3]


def test_every_real_set_gives_a_finite_loss_or_none(shared_data: Path) -> None:
    sets = _sets(shared_data)
    assert len(sets) >= 50
    junk_seen = computed = 0
    for s in sets:
        raw = _mean_velocities(s)
        vl = velocity_loss(raw)
        junk_seen += len(vl.rejected)
        for i in vl.used:
            v = float(raw[i])
            assert math.isfinite(v) and 0 < v <= 5
        if vl.first_last_pct is None:
            assert len(vl.used) < 2
            continue
        computed += 1
        good = [float(raw[i]) for i in vl.used]
        assert vl.first_last_pct == pytest.approx(100 * (good[0] - good[-1]) / good[0])
        assert vl.best_last_pct == pytest.approx(100 * (max(good) - good[-1]) / max(good))
        assert vl.best_last_pct >= max(vl.first_last_pct, 0) - 1e-9
        assert vl.flagged == (vl.best_last_pct > 20)
    assert junk_seen >= 1  # the file holds Infinity values: they must be rejected, not used
    assert computed >= 20


def test_first_real_set_drops_the_infinity_rep(shared_data: Path) -> None:
    s = next(s for s in _sets(shared_data) if "Infinity" in _mean_velocities(s))
    raw = _mean_velocities(s)
    vl = velocity_loss(raw)
    bad = raw.index("Infinity")
    assert bad not in vl.used and any(i == bad for i, _ in vl.rejected)
