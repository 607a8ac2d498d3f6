"""Tracks from other tools read with ``--track-csv``: Tracker (Open Source Physics) data
files and Kinovea's exports in their time formats. Generated files of each kind (always
on) and the shared public case (skipped when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from analysis.io.track_csv import TrackFileError, read_track_csv
from analysis.lift.result import analyze_track
from analysis.synth.motion import LiftScript, RepSpec, duration, sample

ROOT = Path(__file__).resolve().parents[2]
FPS = 30.0


def _motion():
    script = LiftScript(reps=(RepSpec(rom=0.5),) * 3, lift="squat")
    t = np.arange(0, duration(script), 1 / FPS)
    x, h, truth = sample(script, t)
    return t, 0.4 + x, 0.7 + h, truth  # metres, y up (as Tracker and Kinovea write)


def _check_three_half_metre_reps(data) -> None:
    r = analyze_track(data.t, data.x, data.y, m_per_px=data.m_per_px, lift="squat")
    assert r.units == "m"
    assert len(r.reps) == 3
    for rep in r.reps:
        assert rep.metrics.rom == pytest.approx(0.50, abs=0.01)


def test_tracker_data_file(tmp_path):
    t, x, y, _ = _motion()
    lines = ["mass_A", "t\tx\ty\tv_{y}"]
    lines += [f"{a:.9E}\t{b:.9E}\t{c:.9E}\t" for a, b, c in zip(t, x, y, strict=True)]
    path = tmp_path / "tracker.txt"
    path.write_text("\n".join(lines) + "\n")
    data = read_track_csv(path)
    assert data.units == "m" and len(data.t) == len(t)
    assert data.t[1] == pytest.approx(1 / FPS)
    assert any("Tracker" in w and "mass_A" in w for w in data.warnings)
    _check_three_half_metre_reps(data)


def test_tracker_file_in_centimetres_with_units_given(tmp_path):
    t, x, y, _ = _motion()
    lines = ["bar", "t\tx\ty"] + [f"{a:.9E}\t{100 * b:.9E}\t{100 * c:.9E}"
                                   for a, b, c in zip(t, x, y, strict=True)]
    path = tmp_path / "tracker_cm.txt"
    path.write_text("\n".join(lines))
    _check_three_half_metre_reps(read_track_csv(path, units="cm"))


def _kinovea_time(t: float, fmt: str, frame: int) -> str:
    ms = t * 1000
    if fmt == "s":
        return f"{t:.3f}"
    if fmt == "classic":
        return f"0:00:{int(t):02d}.{round((t % 1) * 100) % 100:02d}"
    if fmt == "time_and_frames":
        return f"0:00:{int(t):02d}.{round((t % 1) * 100) % 100:02d} ({frame})"
    if fmt == "ms":
        return f"{round(ms)}"
    if fmt == "us":
        return f"{round(ms * 1000)}"
    if fmt == "min/100":
        v = ms / 600.0
        return f"{int(v)}:{int((v - int(v)) * 100):02d}"
    if fmt == "F":
        return str(frame)
    raise AssertionError(fmt)


@pytest.mark.parametrize("fmt, header", [
    ("s", '"Time"'), ("classic", '"Time"'), ("time_and_frames", '"Time"'),
    ("ms", '"Time (ms)"'), ("us", '"Time (µs)"'), ("F", '"Time (F)"'),
])
def test_kinovea_csv_export_time_formats(tmp_path, fmt, header):
    t, x, y, _ = _motion()
    rows = [f'{header};"Trajectory 1/1/X (m)";"Trajectory 1/1/Y (m)"']
    for n, (a, b, c) in enumerate(zip(t, x, y, strict=True)):
        # numbers with decimal commas, as Kinovea writes them in many locales
        time = _kinovea_time(a, fmt, n)
        if fmt == "s":
            time = time.replace(".", ",")
        cells = (time, f"{b:.4f}".replace(".", ","), f"{c:.4f}".replace(".", ","))
        rows.append(";".join(f'"{v}"' for v in cells))
    path = tmp_path / f"kinovea_{fmt.replace('/', '_')}.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    data = read_track_csv(path, fps=FPS if fmt == "F" else None)
    tol = 0.006 if fmt in ("classic", "time_and_frames") else 1e-3
    assert np.max(np.abs(data.t - t)) < tol
    _check_three_half_metre_reps(data)


def test_kinovea_hundredths_of_minutes(tmp_path):
    t, x, y, _ = _motion()
    rows = ["Time (min/100);X (m);Y (m)"]
    rows += [f"{_kinovea_time(a, 'min/100', 0)};{b:.4f};{c:.4f}"
             for a, b, c in zip(t, x, y, strict=True)]
    path = tmp_path / "kinovea_min100.csv"
    path.write_text("\n".join(rows))
    data = read_track_csv(path)
    assert np.max(np.abs(data.t - t)) < 0.6 / 100 + 1e-9  # the format's resolution is 6 ms
    assert data.t[-1] == pytest.approx(t[-1], abs=0.006)


def test_kinovea_text_export_reads_the_first_trajectory(tmp_path):
    t, x, y, _ = _motion()
    lines = ["#Kinovea Trajectory data export", "#T X Y", "", "# Trajectory 1"]
    lines += [f"{a:.3f} {b:.4f} {c:.4f}" for a, b, c in zip(t, x, y, strict=True)]
    lines += ["", "# Trajectory 2", "0 1 1", "0.1 1 1", ""]
    path = tmp_path / "kinovea.txt"
    path.write_text("\n".join(lines))
    data = read_track_csv(path, units="m")
    assert len(data.t) == len(t)
    assert any("first one" in w for w in data.warnings)
    _check_three_half_metre_reps(data)


def test_timestamps_are_refused_plainly(tmp_path):
    path = tmp_path / "ts.csv"
    path.write_text("Time (ts);X (m);Y (m)\n0;1;1\n512;1;1\n")
    with pytest.raises(TrackFileError, match="timestamps"):
        read_track_csv(path)


def _shared_cases() -> Path | None:
    env = os.environ.get("LIFTLENS_SHARED_CASES")
    for c in ([Path(env)] if env else []) + [ROOT.parent / "shared" / "cases"]:
        if (c / "public").is_dir():
            return c
    return None


def test_shared_tracker_export_gives_three_half_metre_reps():
    cases = _shared_cases()
    if cases is None:
        pytest.skip("shared cases not found: put them at ../shared/cases "
                    "or set LIFTLENS_SHARED_CASES")
    data = read_track_csv(cases / "public" / "20-tracker-export" / "tracker_massA.txt")
    _check_three_half_metre_reps(data)
