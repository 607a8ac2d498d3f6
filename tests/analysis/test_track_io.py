"""Track files: LiftLens CSV round trip, generic and Kinovea-like CSVs, bad files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.io.track_csv import TrackFileError, read_track_csv, write_track_csv


def test_liftlens_csv_reads_back_unchanged(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    n = 50
    t = np.cumsum(rng.uniform(0.02, 0.07, n))
    x, y = rng.uniform(0, 1920, n), rng.uniform(0, 1080, n)
    x[10:13] = y[10:13] = np.nan
    conf = rng.uniform(0, 1, n)
    state = np.where(np.isfinite(x), 1, 3).astype(np.uint8)
    state[0] = 2
    p1, p2 = tmp_path / "a.csv", tmp_path / "b.csv"
    write_track_csv(p1, np.arange(n), t, x, y, conf, state, m_per_px=0.45 / 150)
    d = read_track_csv(p1)
    assert d.source == "liftlens" and d.units == "px" and d.m_per_px == 0.45 / 150
    np.testing.assert_array_equal(d.t, t)
    np.testing.assert_array_equal(d.x, x)
    np.testing.assert_array_equal(d.y, y)
    np.testing.assert_array_equal(d.confidence, conf)
    np.testing.assert_array_equal(d.state, state)
    write_track_csv(p2, d.frame, d.t, d.x, d.y, d.confidence, d.state, m_per_px=d.m_per_px)
    assert p1.read_bytes() == p2.read_bytes()


def test_generic_px_with_frames_and_fps(tmp_path: Path) -> None:
    p = tmp_path / "g.csv"
    p.write_text("frame,x_px,y_px\n0,100,200\n1,101,198\n2,102,196\n")
    with pytest.raises(TrackFileError, match="frame rate"):
        read_track_csv(p)
    d = read_track_csv(p, fps=50)
    assert d.units == "px" and np.allclose(d.t, [0, 0.02, 0.04]) and d.y[1] == 198


def test_generic_metres_y_is_height(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text("time (ms);X (cm);Y (cm)\n0;10;50\n40;10;52,5\n80;11;55\n")
    d = read_track_csv(p)
    assert d.units == "m" and d.m_per_px == 1.0
    assert np.allclose(d.t, [0, 0.04, 0.08])
    assert np.allclose(-d.y, [0.5, 0.525, 0.55])  # height grows upward
    assert np.allclose(d.x, [0.1, 0.1, 0.11])


def test_kinovea_like_times_and_guessed_units(tmp_path: Path) -> None:
    p = tmp_path / "k.txt"
    p.write_text("Time;X;Y\n0:00:00.00;0.10;0.50\n0:00:00.04;0.10;0.52\n0:00:00.08;0.11;0.55\n")
    d = read_track_csv(p)
    assert d.units == "m" and d.warnings and np.allclose(d.t, [0, 0.04, 0.08])
    d2 = read_track_csv(p, units="px")
    assert d2.units == "px" and not d2.warnings


@pytest.mark.parametrize("text,msg", [
    ("a,b\n1,2\n", "no x and y"),
    ("x,y\n1,2\n", "no time or frame"),
    ("t,x,y\n0,1,2\n0,1,2\n", "increase"),
    ("t,x,y\n0,abc,2\n", "not a number"),
    ("t,x,y\n", "no track rows"),
    ("# liftlens-track v1\nframe,t\n", "columns"),
])
def test_bad_files_have_plain_messages(tmp_path: Path, text: str, msg: str) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(text)
    with pytest.raises(TrackFileError, match=msg):
        read_track_csv(p)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TrackFileError, match="does not exist"):
        read_track_csv(tmp_path / "none.csv")
