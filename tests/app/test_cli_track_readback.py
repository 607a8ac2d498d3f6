"""Every track file LiftLens writes reads back with ``liftlens analyze --track-csv`` to the
numbers it was written with: the app's data export (``NAME-track.csv``, read in pixels
with its scale, not uncalibrated), the track of ``analyze --csv`` (also of a track that
was in metres), a data export written before it recorded its scale; a scale given on the
command line wins over the file's with a warning."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from analysis.batch.clip import analyze_video, track_csv as batch_track_csv
from app.cli.main import main
from app.controllers.export import reps_csv, track_csv

SEED_TOL = 1e-4  # one unit of the rep table's last printed digit (m/s, m)


@pytest.fixture(scope="module")
def analysed(two_squats):
    """``(result, truth)``: the generated two-squat clip measured as the app measures it
    (the plate followed from its centre and measured for the scale)."""
    path, truth = two_squats
    done = analyze_video(str(path), lift="squat", plate_mm=450,
                         seed=(float(truth.x[0]), float(truth.y[0])))
    assert done.result.units == "m" and len(done.result.reps) == 2
    return done.result, truth


def _cli(path: Path, tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / "readback.json"
    assert main(["analyze", "--track-csv", str(path), "--lift", "squat", "--json", str(out),
                 *extra]) == 0
    return json.loads(out.read_text())


def _printed_reps(r) -> list[dict[str, str]]:
    """The rep rows of the data export's rep table, as the app writes them."""
    rows = list(csv.DictReader(reps_csv(r).splitlines()))
    return [row for row in rows if (row["rep"] or "").isdigit()]


def test_the_apps_data_export_reads_back_to_the_numbers_exported(analysed, tmp_path):
    r, truth = analysed
    path = tmp_path / "squat-track.csv"
    path.write_text(track_csv(r), encoding="utf-8")
    d = _cli(path, tmp_path)
    assert d["units"] == "m" and d["calibration"]["source"] == "file"
    assert d["calibration"]["m_per_px"] == r.m_per_px
    printed = _printed_reps(r)
    assert len(d["reps"]) == len(printed) == 2
    for rep, row, orig, true in zip(d["reps"], printed, r.reps, truth.reps, strict=True):
        m = rep["metrics"]
        # the same as the rep table the app wrote, to its printed digits
        assert m["mean_concentric_velocity"] == pytest.approx(
            float(row["mean_concentric_velocity_m_s"]), abs=SEED_TOL)
        assert m["peak_concentric_velocity"] == pytest.approx(
            float(row["peak_concentric_velocity_m_s"]), abs=SEED_TOL)
        assert m["rom"] == pytest.approx(float(row["rom_m"]), abs=SEED_TOL)
        assert m["mean_concentric_velocity_sd"] == pytest.approx(
            orig.metrics.mean_concentric_velocity_sd, abs=SEED_TOL)
        assert m["mean_concentric_velocity"] == orig.metrics.mean_concentric_velocity
        assert m["rom"] == orig.metrics.rom  # the track is written exactly
        assert rep["tempo_text"] == orig.tempo_text and rep["flags"] == orig.flags
        # and the generator's truth, within what the plate measurement and tracking allow
        assert m["mean_concentric_velocity"] == pytest.approx(true.mean_concentric_velocity,
                                                              abs=0.03)
        assert m["rom"] == pytest.approx(0.5, abs=0.015)
    vl = r.set_metrics.velocity_loss
    assert d["set"]["velocity_loss"]["first_last_pct"] == pytest.approx(vl.first_last_pct,
                                                                        abs=0.05)


def test_a_data_export_written_before_it_recorded_its_scale(analysed, tmp_path):
    """Columns as written up to 2026-12-11 (times to 1e-6 s, pixels to 1e-3 px, no
    confidence or scale): the scale is the one that carries the pixel columns onto the
    metre columns."""
    r, _ = analysed
    rows = list(csv.reader(track_csv(r).splitlines()))
    keep = rows[0].index("camera_dy_px") + 1
    digits = {1: 6, 2: 3, 3: 3}
    old = [rows[0][:keep]] + [[f"{float(c):.{digits[j]}f}" if j in digits and c else c
                               for j, c in enumerate(row[:keep])] for row in rows[1:]]
    path = tmp_path / "old-track.csv"
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows(old)
    d = _cli(path, tmp_path)
    assert d["units"] == "m"
    assert d["calibration"]["m_per_px"] == pytest.approx(r.m_per_px, rel=5e-4)
    for rep, orig in zip(d["reps"], r.reps, strict=True):
        # the 1e-3 px rounding of the old columns moves an MCV by about 2e-4 m/s
        assert rep["metrics"]["mean_concentric_velocity"] == pytest.approx(
            orig.metrics.mean_concentric_velocity, abs=1e-3)
        assert rep["metrics"]["rom"] == pytest.approx(orig.metrics.rom, abs=1e-3)


def test_the_batch_track_reads_back_the_same(analysed, tmp_path):
    r, _ = analysed
    path = tmp_path / "squat.csv"
    path.write_text(batch_track_csv(r), encoding="utf-8")
    d = _cli(path, tmp_path)
    for rep, orig in zip(d["reps"], r.reps, strict=True):
        assert rep["metrics"]["mean_concentric_velocity"] == pytest.approx(
            orig.metrics.mean_concentric_velocity, abs=1e-9)


def test_a_track_in_metres_written_again_by_analyze_stays_in_metres(tmp_path, capsys):
    """``analyze --track-csv metres.csv --csv out.csv`` wrote the metres as pixels with no
    scale: ``out.csv`` read back was 'uncalibrated', its 0.5 m squats 0.5 px."""
    from analysis.synth.motion import LiftScript, RepSpec, duration, sample

    script = LiftScript(reps=(RepSpec(rom=0.5),) * 2, lift="squat")
    t = np.arange(0, duration(script), 1 / 30)
    x, h, _ = sample(script, t)
    src = tmp_path / "metres.csv"
    src.write_text("t,x_m,y_m\n" + "".join(f"{a:.6f},{0.4 + b:.6f},{0.7 + c:.6f}\n"
                                             for a, b, c in zip(t, x, h, strict=True)))
    out_csv = tmp_path / "out.csv"
    first = _cli(src, tmp_path, "--csv", str(out_csv))
    again = _cli(out_csv, tmp_path)
    assert first["units"] == again["units"] == "m"
    assert again["calibration"]["source"] == "file in metres"
    for a, b in zip(first["reps"], again["reps"], strict=True):
        assert b["metrics"]["rom"] == pytest.approx(a["metrics"]["rom"], abs=1e-6)
        assert b["metrics"]["mean_concentric_velocity"] == pytest.approx(
            a["metrics"]["mean_concentric_velocity"], abs=1e-6)
    capsys.readouterr()
    assert main(["analyze", "--track-csv", str(out_csv), "--m-per-px", "0.002"]) == 2
    assert "already in metres" in capsys.readouterr().err


def test_a_scale_given_wins_over_the_files_with_a_warning(analysed, tmp_path, capsys):
    """A coach correcting a plate measured wrong gives --m-per-px: it is used, and the
    summary says the file's own scale and how far the numbers moved."""
    r, _ = analysed
    path = tmp_path / "squat-track.csv"
    path.write_text(track_csv(r), encoding="utf-8")
    given = r.m_per_px * 1.1
    d = _cli(path, tmp_path, "--m-per-px", repr(given))
    assert d["calibration"]["source"] == "argument" and d["calibration"]["m_per_px"] == given
    assert any("instead of the file's own" in w and "+10.0 %" in w for w in d["warnings"])
    for rep, orig in zip(d["reps"], r.reps, strict=True):
        assert rep["metrics"]["rom"] == pytest.approx(1.1 * orig.metrics.rom, rel=1e-3)
    capsys.readouterr()
    assert main(["analyze", "--track-csv", str(path), "--m-per-px", repr(given)]) == 0
    assert "instead of the file's own" in capsys.readouterr().out
    # the same scale as the file's: nothing to say
    d = _cli(path, tmp_path, "--m-per-px", repr(r.m_per_px))
    assert not any("file's own" in w for w in d["warnings"])


def _edited(r, tmp_path: Path, edit) -> Path:
    """The data export of ``r`` with ``edit(header, row)`` applied to every row."""
    rows = list(csv.reader(track_csv(r).splitlines()))
    for row in rows[1:]:
        edit(rows[0], row)
    path = tmp_path / "edited-track.csv"
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _blank(*names):
    def edit(header, row):
        for n in names:
            row[header.index(n)] = ""
    return edit


@pytest.mark.parametrize("edit, message", [
    (_blank("m_per_px", "scale_sd_pct", "x_m", "height_m"), "metre columns (x_m, height_m) are empty"),
    (lambda h, row: row.__setitem__(h.index("height_m"), "abc"), "height_m 'abc' is not a number"),
    (lambda h, row: row.__setitem__(h.index("m_per_px"), "1.5e-3"), "disagree"),
    (lambda h, row: row.__setitem__(h.index("m_per_px"), row[0]), "several scales"),
])
def test_odd_data_exports_are_refused_in_plain_words(analysed, tmp_path, capsys, edit,
                                                     message):
    r, _ = analysed
    path = _edited(r, tmp_path, edit)
    assert main(["analyze", "--track-csv", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_empty_metre_columns_are_measured_with_a_scale_given(analysed, tmp_path, capsys):
    r, _ = analysed
    path = _edited(r, tmp_path, _blank("m_per_px", "scale_sd_pct", "x_m", "height_m"))
    assert main(["analyze", "--track-csv", str(path)]) == 2
    assert "give --m-per-px" in capsys.readouterr().err
    d = _cli(path, tmp_path, "--m-per-px", repr(r.m_per_px))
    assert any("pixel columns were measured with the scale given" in w for w in d["warnings"])
    for rep, orig in zip(d["reps"], r.reps, strict=True):
        assert rep["metrics"]["mean_concentric_velocity"] == pytest.approx(
            orig.metrics.mean_concentric_velocity, abs=SEED_TOL)


def test_the_rep_table_and_units_given_for_a_liftlens_file_are_refused(analysed, tmp_path,
                                                                      capsys):
    r, _ = analysed
    table = tmp_path / "squat.csv"
    table.write_text(reps_csv(r), encoding="utf-8")
    assert main(["analyze", "--track-csv", str(table)]) == 2
    assert "table of reps, not a track" in capsys.readouterr().err
    track = tmp_path / "squat-track.csv"
    track.write_text(track_csv(r), encoding="utf-8")
    assert main(["analyze", "--track-csv", str(track), "--units", "px"]) == 2
    assert "leave out --units" in capsys.readouterr().err


def test_a_real_clips_data_export_reads_back_exactly(shared_data, tmp_path):
    """A real deadlift filmed with millisecond timestamps: its times written to 1e-6 s
    read back moved the last rep's MCV by 0.0016 m/s (the analysis turns on such
    differences); written exactly, every number comes back."""
    r = analyze_video(str(shared_data / "videos" /
                          "sahityajain360__barbell-tracker__deadlift2.mp4"),
                      lift="deadlift", plate_mm=450).result
    path = tmp_path / "deadlift-track.csv"
    path.write_text(track_csv(r), encoding="utf-8")
    out = tmp_path / "readback.json"
    assert main(["analyze", "--track-csv", str(path), "--lift", "deadlift",
                 "--json", str(out)]) == 0
    d = json.loads(out.read_text())
    assert d["units"] == "m" and len(d["reps"]) == len(r.reps) >= 3
    for rep, orig in zip(d["reps"], r.reps, strict=True):
        assert rep["metrics"]["mean_concentric_velocity"] == \
            orig.metrics.mean_concentric_velocity
        assert rep["metrics"]["rom"] == orig.metrics.rom
