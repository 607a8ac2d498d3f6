"""Odd and hostile track files: lengths in feet or inches (Kinovea calibrates in them), a
weight unit, a header with no rows, binary junk, endless lines, other text encodings;
each read or refused in plain words, never with a traceback."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.io.track_csv import TrackFileError, read_track_csv
from app.cli.main import main


def _squat_in(unit: str, per_m: float, tmp_path: Path) -> Path:
    t = np.arange(0, 4, 1 / 30)
    h = 0.7 - 0.25 * (1 - np.cos(2 * np.pi * t / 2))  # two 0.5 m squats
    path = tmp_path / f"kinovea_{unit}.csv"
    rows = [f'"Time";"Trajectory 1/1/X ({unit})";"Trajectory 1/1/Y ({unit})"']
    rows += [f'"{a:.3f}";"{0.4 * per_m:.4f}";"{b * per_m:.4f}"'.replace(".", ",")
             for a, b in zip(t, h, strict=True)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("unit, per_m", [("ft", 1 / 0.3048), ("in", 1 / 0.0254),
                                         ("yd", 1 / 0.9144), ("cm", 100.0)])
def test_lengths_in_feet_inches_and_yards_are_read_in_metres(tmp_path, unit, per_m):
    d = read_track_csv(_squat_in(unit, per_m, tmp_path))
    assert d.units == "m" and d.m_per_px == 1.0
    assert np.ptp(d.y) == pytest.approx(0.5, abs=1e-3)
    assert np.nanmax(d.x) == pytest.approx(0.4, abs=1e-3)


@pytest.mark.parametrize("text, message", [
    ("t,x (lb),y (lb)\n0,1,2\n0.1,1,3\n", "in 'lb', not a length"),
    ("t,x_px,y_px\n", "no track rows"),
    ("# liftlens-track v1\n# m_per_px=0.003\nframe,t_s,x_px,y_px,confidence,state\n",
     "no track rows"),
    ("frame,t_s,x_px,y_px,x_m,height_m,vx_m_s,vy_m_s,state,camera_dx_px,camera_dy_px,"
     "confidence,m_per_px,scale_sd_pct\n", "only its header"),
    ("# liftlens-track v1\n# m_per_px=-1\nframe,t_s,x_px,y_px,confidence,state\n"
     "0,0,1,1,1,tracked\n", "positive number"),
    ("frame,x,y\n0,1,2\nnan,1,3\n", "whole number"),
    ("t,x,y\n0," + "9" * 20_000 + ",1\n", "characters long"),
    ("t,x,y\n" + "0,1,1\n" * 3 + "\0\0\0junk\n", "not a text file"),
])
def test_odd_files_are_refused_in_plain_words(tmp_path, text, message):
    path = tmp_path / "odd.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TrackFileError, match=message):
        read_track_csv(path, fps=30)


@pytest.mark.parametrize("junk", [
    bytes(range(256)) * 40,                                  # binary junk with NULs
    b"\x89PNG\r\n\x1a\n" + bytes(np.random.default_rng(1).integers(0, 256, 4000,
                                                                     dtype=np.uint8)),
    b"t,x,y\n" + b"1," * 200_000 + b"\n",                    # one endless line
    b"t,x,y\n0," + b"9" * 200_000 + b",1\n0.1,1,1\n",         # a cell beyond csv's limit
    b"\xff\xfe" + b"\xd8\x00" * 50,                          # a broken UTF-16 file
])
def test_hostile_files_stop_the_command_plainly(tmp_path, capsys, junk):
    path = tmp_path / "hostile.csv"
    path.write_bytes(junk)
    assert main(["analyze", "--track-csv", str(path), "--fps", "30"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("liftlens: ") and "Traceback" not in err and "unexpected" not in err
    assert len(err.splitlines()) == 1 and len(err) < 300


def test_a_folder_and_an_oversized_file_are_refused(tmp_path, monkeypatch):
    from analysis.io import track_csv

    with pytest.raises(TrackFileError, match="is a folder"):
        read_track_csv(tmp_path)
    path = tmp_path / "big.csv"
    path.write_text("t,x,y\n0,1,1\n0.1,1,2\n")
    monkeypatch.setattr(track_csv, "MAX_BYTES", 10)
    with pytest.raises(TrackFileError, match="too large for a bar track"):
        read_track_csv(path)


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_text_saved_by_windows_programs_is_read(tmp_path, encoding):
    path = tmp_path / "w.csv"
    path.write_text("Time (µs);X (cm);Y (cm)\n0;10;50\n40000;10;52,5\n80000;11;55\n",
                    encoding=encoding)
    d = read_track_csv(path)
    assert np.allclose(d.t, [0, 0.04, 0.08]) and np.allclose(-d.y, [0.5, 0.525, 0.55])


def test_a_data_export_saved_again_by_a_spreadsheet_with_semicolons(tmp_path):
    text = ("frame;t_s;x_px;y_px;x_m;height_m;vx_m_s;vy_m_s;state;camera_dx_px;camera_dy_px;"
            "confidence;m_per_px;scale_sd_pct\n")
    for n in range(5):
        text += (f"{n};{n / 30:.6f};{100 + n:.6f};{200 - 2 * n:.6f};{(100 + n) * 0.002:.5f};"
                 f"{2 * n * 0.002:.5f};0;0;tracked;;;0,9;0.002;\n").replace(".", ",")
    path = tmp_path / "sheet-track.csv"
    path.write_text(text)
    d = read_track_csv(path)
    assert d.source == "liftlens-data" and d.m_per_px == pytest.approx(0.002)
    assert np.allclose(d.y, 200 - 2 * np.arange(5)) and np.allclose(d.confidence, 0.9)
