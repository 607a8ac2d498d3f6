"""``liftlens analyze VIDEO --auto --plate-mm``: find the plate, track, calibrate, measure."""

from __future__ import annotations

import json

import pytest

from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from app.cli.main import main


def test_auto_plate_and_calibration(tmp_path, capsys):
    script = LiftScript(reps=(RepSpec(1.0, 0.3, 0.6, 0.5, 0.5), RepSpec(1.0, 0.3, 0.7, 0.5, 0.5)),
                        setup=0.5, end_idle=0.5)
    clip = tmp_path / "lift.mp4"
    truth = make_lift_clip(clip, script, size=(640, 360), px_per_m=300.0)
    out = tmp_path / "a.json"
    assert main(["analyze", str(clip), "--auto", "--plate-mm", "450", "--json", str(out)]) == 0
    d = json.loads(out.read_text())
    assert d["units"] == "m"
    assert d["calibration"]["m_per_px"] == pytest.approx(truth.m_per_px, rel=0.02)
    assert "plate 450 mm" in d["calibration"]["source"]
    got = [r["metrics"]["mean_concentric_velocity"] for r in d["reps"]]
    want = [r.mean_concentric_velocity for r in truth.reps]
    assert got == pytest.approx(want, abs=0.03)


def test_auto_without_a_plate_is_a_plain_error(tmp_path, capsys):
    from analysis.synth.barcode import BarcodeSpec, make_barcode_clip

    clip = tmp_path / "noplate.mp4"
    make_barcode_clip(clip, BarcodeSpec(frames=20))
    assert main(["analyze", str(clip), "--auto"]) == 2
    assert "no plate" in capsys.readouterr().err
