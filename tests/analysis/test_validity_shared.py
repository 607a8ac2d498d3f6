"""The handed squat track (../shared/cases/validity): MCV within 0.02 m/s per rep.

Read through ``liftlens analyze --track-csv FILE --lift squat --json -`` exactly as a
user would; skipped when the shared cases are not next to the checkout.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_data_dir

ROOT = Path(__file__).resolve().parents[2]


def _cases() -> Path:
    d = shared_data_dir()
    cands = ([d.parent / "cases"] if d else []) + [ROOT.parent / "shared" / "cases",
                                                    Path("/work/shared/cases")]
    for c in cands:
        if (c / "validity" / "squat_truth_track.csv").is_file():
            return c / "validity"
    pytest.skip("shared cases not found: put them at ../shared/cases")


def test_handed_squat_track_mcv_per_rep() -> None:
    d = _cases()
    truth = json.loads((d / "squat_truth.json").read_text())
    out = subprocess.run([sys.executable, "-m", "app.cli.main", "analyze", "--track-csv",
                          str(d / "squat_truth_track.csv"), "--lift", "squat", "--json", "-"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120, check=True)
    res = json.loads(out.stdout)
    want = [r["mean_concentric_velocity_m_s"] for r in truth["reps"]]
    got = [r["metrics"]["mean_concentric_velocity"] for r in res["reps"]]
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g == pytest.approx(w, abs=0.02), (got, want)
    for rep, tr in zip(res["reps"], truth["reps"], strict=True):
        con = next(p for p in rep["phases"] if p["kind"] == "concentric")
        assert con["start"] == pytest.approx(tr["bottom_turn_t"], abs=1 / 30)
        assert con["end"] == pytest.approx(tr["lockout_t"], abs=1 / 30)
