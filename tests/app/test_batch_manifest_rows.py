"""``liftlens batch --manifest`` whose rows do not all name the clips: a manifest written
relative to the wrong folder was ignored without a word and every clip measured as a
squat with no lifter, exercise or load (exit code 0), and later runs skipped those
results as unchanged. Now rows naming no clip and clips without a row are said, a
manifest naming none of the clips stops the batch, and a clip measured without its row
is measured again once its row matches (generated files; a stand-in job where only the
bookkeeping counts)."""

from __future__ import annotations

import csv
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from analysis.batch.job import ClipJob, JobOutcome
from analysis.batch.run import find_clips, read_manifest_csv, run_batch
from app.cli.main import main

_lock = threading.Lock()
_ran: list[str] = []


def _fake_job(job: ClipJob) -> JobOutcome:
    """Instant stand-in: counts the clips measured, in pixels."""
    with _lock:
        _ran.append(Path(job.path).name)
    summary = {"lift": job.lift, "units": "px", "reps": 1, "mcv": 100.0,
               "rep_rows": [{"rep": 1, "status": "valid", "mcv": 100.0,
                             "peak_velocity": 150.0, "rom": 200.0}], "warnings": []}
    return JobOutcome(job.path, True, json_text="{}\n", csv_text="frame\n", summary=summary)


def _rows(out: Path) -> list[dict[str, str]]:
    with open(out / "summary.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _clips(folder: Path, names) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in names:
        (folder / n).write_bytes(n.encode() * 50)


def _manifest(path: Path, files) -> Path:
    path.write_text("file,lifter,exercise,date,load\n" + "".join(
        f"{f},Ann,bench press,2026-11-01,80\n" for f in files), encoding="utf-8")
    return path


def test_a_manifest_naming_none_of_the_clips_stops_before_measuring(tmp_path, capsys):
    """The rows' paths are read relative to the manifest's folder: written relative to
    another folder, with names no clip has, nothing matches: every clip would have been a
    squat without lifter or load. The batch stops and says how the paths were read."""
    _clips(tmp_path / "clips", ["a.mp4", "b.mp4"])
    (tmp_path / "sheets").mkdir()
    manifest = _manifest(tmp_path / "sheets/m.csv", ["videos/set-a.mp4", "videos/set-b.mp4"])
    out = tmp_path / "out"
    rc = main(["batch", str(tmp_path / "clips"), "--out", str(out), "--manifest",
               str(manifest), "-q"])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert not out.exists()  # nothing measured, no summary frozen
    assert "no row of the manifest" in err and "matches any of the 2 clip(s)" in err
    assert f"relative to the manifest's folder {tmp_path / 'sheets'}" in err
    assert f"videos/set-a.mp4 → {tmp_path / 'sheets/videos/set-a.mp4'} (no such file)" in err
    assert str(tmp_path / "clips") in err  # where the clips are
    _manifest(manifest, [])  # a header alone names no clip either
    assert main(["batch", str(tmp_path / "clips"), "--out", str(out), "--manifest",
                 str(manifest)]) == 2
    assert "has no rows" in capsys.readouterr().err


def test_rows_and_clips_without_a_match_are_said_and_in_the_summary(tmp_path, capsys):
    _clips(tmp_path / "clips", ["a.mp4", "b.mp4", "c.mp4"])
    manifest = _manifest(tmp_path / "m.csv", ["clips/a.mp4", "clips/gone.mp4"])
    out = tmp_path / "out"
    # the files are not videos: each is a failed row at once, the words are what count
    rc = main(["batch", str(tmp_path / "clips"), "--out", str(out), "--manifest",
               str(manifest), "--lift", "bench", "-q"])
    err = capsys.readouterr().err
    assert rc == 1
    assert (f"the manifest {manifest}: 1 row matches none of the clips (paths read relative "
            f"to the manifest's folder {tmp_path}): row 3 clips/gone.mp4 → "
            f"{tmp_path / 'clips/gone.mp4'} (no such file)") in err, err
    assert (f"2 clips have no row in the manifest {manifest} (paths read relative to the "
            f"manifest's folder {tmp_path}), so they are measured without lifter, exercise "
            "and load (measured as bench): b.mp4, c.mp4") in err, err
    rows = {Path(r["file"]).name: r for r in _rows(out)}
    assert "no row in the manifest" not in rows["a.mp4"]["warnings"]
    assert rows["a.mp4"]["lifter"] == "Ann"
    for n in ("b.mp4", "c.mp4"):
        assert f"no row in the manifest {manifest}" in rows[n]["warnings"], rows[n]


def test_a_row_matches_by_file_name_alone_when_one_clip_has_it(tmp_path, capsys):
    """The clips are links to files of other names (as a phone's export folder is linked):
    a row naming the link's file name, relative to the wrong folder, matched nothing since
    the name looked up was the link target's. One clip of that name: its row, said."""
    _clips(tmp_path / "store", ["IMG_0001.mp4", "IMG_0002.mp4"])
    (tmp_path / "clips").mkdir()
    os.symlink(tmp_path / "store/IMG_0001.mp4", tmp_path / "clips/squat.mp4")
    os.symlink(tmp_path / "store/IMG_0002.mp4", tmp_path / "clips/bench.mp4")
    manifest = _manifest(tmp_path / "m.csv", ["bench.mp4", "videos/squat.mp4"])
    out = tmp_path / "out"
    assert main(["batch", str(tmp_path / "clips"), "--out", str(out), "--manifest",
                 str(manifest), "-q"]) == 1  # not videos
    err = capsys.readouterr().err
    assert (f"squat.mp4: matched by its file name alone to row 3 videos/squat.mp4 → "
            f"{tmp_path / 'videos/squat.mp4'} (no such file)") in err, err
    # a bare file name is meant to match by name: said once, not a warning of the clip
    assert "1 row(s) give a bare file name, matched to the one clip of that name: " \
        "bench.mp4" in err, err
    rows = {Path(r["file"]).name: r for r in _rows(out)}
    assert [rows[n]["lifter"] for n in ("bench.mp4", "squat.mp4")] == ["Ann", "Ann"]
    assert "matched by file name alone" in rows["squat.mp4"]["warnings"]
    assert "matched by file name" not in rows["bench.mp4"]["warnings"]
    from analysis.batch.labels import match_manifest

    found = find_clips([tmp_path / "clips"])
    match = match_manifest(found, read_manifest_csv(manifest))
    assert sorted(found[i].name for i in match.rows) == ["bench.mp4", "squat.mp4"]
    assert not match.missing and not match.unmatched
    # two clips of that name: neither is guessed, the row is said to match none
    _clips(tmp_path / "more", ["squat.mp4"])
    both = find_clips([tmp_path / "clips", tmp_path / "more"])
    match = match_manifest(both, read_manifest_csv(manifest))
    assert [r.file for r in match.unmatched] == ["videos/squat.mp4"]
    assert sorted(both[i].shown for i in match.missing) == [
        str(tmp_path / "clips/squat.mp4"), str(tmp_path / "more/squat.mp4")]


def test_a_clip_measured_without_its_row_is_measured_again_once_it_matches(tmp_path):
    """Measured as a squat without its row, a clip was later skipped as unchanged: now
    its corrected row (newly matching) measures it again, and the summary's velocities
    say their units."""
    _clips(tmp_path / "clips", ["a.mp4", "b.mp4"])
    found = find_clips([tmp_path / "clips"])
    manifest = tmp_path / "m.csv"
    out = tmp_path / "out"

    def batch(files):
        _ran.clear()
        _manifest(manifest, files)
        return run_batch(found, out, executor=lambda: ThreadPoolExecutor(1), jobs=1,
                         job_fn=_fake_job, labels=read_manifest_csv(manifest))

    first = batch(["clips/a.mp4", "elsewhere/b2.mp4"])
    assert sorted(_ran) == ["a.mp4", "b.mp4"]
    assert [(r.clip.name, r.lift, bool(r.row_note)) for r in first.clips] == [
        ("a.mp4", "bench", False), ("b.mp4", "squat", True)]
    again = batch(["clips/a.mp4", "elsewhere/b2.mp4"])
    assert _ran == []  # nothing changed: skipped, still said
    rows = {Path(r["file"]).name: r for r in _rows(out) if not r["rep"]}
    assert rows["b.mp4"]["status"] == "skipped"
    assert "no row in the manifest" in rows["b.mp4"]["warnings"]
    assert again.clips[1].row_note
    fixed = batch(["clips/a.mp4", "clips/b.mp4"])
    assert _ran == ["b.mp4"]
    b = fixed.clips[1]
    assert (b.status, b.lift, b.row_note) == ("done", "bench", "")
    assert b.changes and b.changes[0].startswith("manifest row changed (lifter (none) → Ann")
    rows = _rows(out)
    clip_row = next(r for r in rows if r["file"].endswith("b.mp4") and not r["rep"])
    assert (clip_row["lifter"], clip_row["lift"], clip_row["load"]) == ("Ann", "bench", "80 kg")
    assert "no row in the manifest" not in clip_row["warnings"]
    rep_row = next(r for r in rows if r["file"].endswith("b.mp4") and r["rep"] == "1")
    assert (rep_row["units"], rep_row["velocity_units"]) == ("px", "px/s")
    assert clip_row["velocity_units"] == "px/s"
