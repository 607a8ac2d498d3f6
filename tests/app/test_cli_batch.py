"""``liftlens batch``: a folder of generated clips (two good sets with known motion, a
broken file, a clip without a plate, a clip too short) through the process pool, Dask,
an interruption and the library."""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from analysis.batch.job import ClipJob, JobOutcome, run_clip_job
from analysis.batch.library import LibraryWriter
from analysis.batch.run import (CRASHED, MANIFEST_NAME, BatchError, Label, find_clips,
                                label_for, read_manifest_csv, run_batch)
from analysis.synth.barcode import BarcodeSpec, make_barcode_clip
from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from app.cli.main import main

SQUAT = LiftScript(reps=(RepSpec(0.8, 0.2, 0.6, 0.3, 0.5), RepSpec(0.8, 0.2, 0.75, 0.3, 0.5)),
                   setup=0.3, end_idle=0.3)
PULL = LiftScript(reps=(RepSpec(0.8, 0.2, 0.55, 0.3, 0.45), RepSpec(0.8, 0.2, 0.7, 0.3, 0.45)),
                  lift="deadlift", setup=0.3, end_idle=0.3)
GOOD = ("alice/squat/set1.mp4", "bob/deadlift/set1.mp4")
FAILED = {"alice/squat/broken.mp4": "not a video", "alice/squat/noplate.mp4": "no plate found",
          "alice/squat/short.mp4": "too short"}


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    """LIFTER/EXERCISE/ folders of clips, and the truth of the good ones by name."""
    root = tmp_path_factory.mktemp("clips")
    for sub in ("alice/squat", "bob/deadlift"):
        (root / sub).mkdir(parents=True)
    kw = {"size": (480, 270), "px_per_m": 220.0}
    truth = {GOOD[0]: make_lift_clip(root / GOOD[0], SQUAT, **kw),
             GOOD[1]: make_lift_clip(root / GOOD[1], PULL, seed=3, **kw)}
    (root / "alice/squat/broken.mp4").write_bytes(b"this is not a video\n" * 100)
    make_barcode_clip(root / "alice/squat/noplate.mp4", BarcodeSpec(frames=20))
    make_lift_clip(root / "alice/squat/short.mp4", SQUAT, times=[k / 30 for k in range(5)], **kw)
    (root / "notes.txt").write_text("not a clip: left out of a folder search")
    return root, truth


def _rows(out: Path) -> list[dict[str, str]]:
    with open(out / "summary.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def pool_run(clips, tmp_path_factory):
    root, _ = clips
    out = tmp_path_factory.mktemp("out_pool")
    rc = main(["batch", str(root), "--out", str(out), "--exercise-from-folder",
               "--plate-mm", "450", "--jobs", "2", "-q"])
    return rc, out


def test_folder_gives_a_row_per_clip_and_rep_and_a_failing_exit_code(clips, pool_run):
    root, truth = clips
    rc, out = pool_run
    assert rc == 1  # some clips failed
    rows = _rows(out)
    by_file = {}
    for r in rows:
        by_file.setdefault(Path(r["file"]).relative_to(root).as_posix(), []).append(r)
    assert set(by_file) == set(GOOD) | set(FAILED)  # notes.txt is not a clip
    for name, reason in FAILED.items():
        (row,) = by_file[name]
        assert (row["status"], row["reason"]) == ("failed", reason)
        assert row["warnings"]  # the full sentence
    for name in GOOD:
        clip_row, *rep_rows = by_file[name]
        lift = "squat" if "squat" in name else "deadlift"
        assert clip_row["status"] == "done" and clip_row["rep"] == ""
        assert (clip_row["lifter"], clip_row["exercise"], clip_row["lift"]) == \
            (name.split("/")[0], name.split("/")[1], lift)
        assert clip_row["units"] == "m" and int(clip_row["reps"]) == 2
        # m/s said next to the velocities (units alone said m)
        assert {r["velocity_units"] for r in [clip_row, *rep_rows]} == {"m/s"}
        want = [r.mean_concentric_velocity for r in truth[name].reps]
        assert [int(r["rep"]) for r in rep_rows] == [1, 2]
        # tracked synthetic clips (minimum-jerk strokes, image noise): the generic boundary
        # rule (docs/analysis-format.md) is within 0.04 m/s here; exact tracks: 0.02. The
        # deadlift's reps read 0.785 / 0.611 against 0.818 / 0.643 m/s, 1.5 % of it the
        # plate calibration's scale (0.774 for the first while a click kept its offset from
        # the plate's centre, when the bound was 0.05)
        assert [float(r["mcv"]) for r in rep_rows] == pytest.approx(want, abs=0.04)
        assert [float(r["rom"]) for r in rep_rows] == pytest.approx([0.45 if lift == "deadlift"
                                                                    else 0.5] * 2, abs=0.02)
        # velocity loss is the rows' own MCVs' (to their rounding), and near the truth's: at
        # the clip's own scale (a scale error cancels in a loss) a tracked clip's MCV is
        # within 0.02 m/s of an exact track's (here 0.017-0.019), so the loss of reps of
        # 0.83 then 0.67 m/s is within 216 x 0.02 = 4.3 points. The squat reads 23.4 %
        # against 20.0 % (rep 2: 0.638 against 0.667 m/s); other encodings of the same
        # pictures read 22.5 % before the clips were written the same on every run
        loss = 100 * (want[0] - want[1]) / want[0]
        mcv = [float(r["mcv"]) for r in rep_rows]
        own = 100 * (mcv[0] - mcv[1]) / mcv[0]
        for vl in (float(clip_row["velocity_loss_pct"]), float(rep_rows[1]["velocity_loss_pct"])):
            assert vl == pytest.approx(own, abs=0.2)
            assert vl == pytest.approx(loss, abs=5)
        assert all(r["tempo"].count("-") == 3 for r in rep_rows)
        assert (out / clip_row["result"]).is_file()
        assert (out / clip_row["result"]).with_suffix(".csv").is_file()


def test_results_are_the_files_analyze_writes(clips, pool_run, tmp_path, capsys):
    root, _ = clips
    _, out = pool_run
    a_json, a_csv = tmp_path / "a.json", tmp_path / "a.csv"
    assert main(["analyze", str(root / GOOD[1]), "--auto", "--plate-mm", "450",
                 "--lift", "deadlift", "--json", str(a_json), "--csv", str(a_csv)]) == 0
    assert (out / "bob/deadlift/set1.json").read_text() == a_json.read_text()
    assert (out / "bob/deadlift/set1.csv").read_text() == a_csv.read_text()


def test_dask_local_cluster_gives_the_pool_results(clips, pool_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    root, _ = clips
    _, pool_out = pool_run
    out = tmp_path / "out"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        rc = main(["batch", str(root), "--out", str(out), "--exercise-from-folder",
                   "--plate-mm", "450", "--dask", cluster.scheduler_address, "-q"])
    assert rc == 1

    def strip(rows):
        return [{k: v for k, v in r.items() if k != "seconds"} for r in rows]

    assert strip(_rows(out)) == strip(_rows(pool_out))
    for name in GOOD:
        stem = Path(name).with_suffix("")
        for ext in (".json", ".csv"):
            assert (out / f"{stem}{ext}").read_text() == (pool_out / f"{stem}{ext}").read_text()


def test_dask_missing_says_how_to_install(clips, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    root, _ = clips
    assert main(["batch", str(root), "--out", str(tmp_path), "--dask", "tcp://x:8786"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'liftlens[cluster]'" in err and "Traceback" not in err


_lock = threading.Lock()
_ran: list[str] = []


def _counting_job(job: ClipJob) -> JobOutcome:
    with _lock:
        _ran.append(Path(job.path).name)
    return run_clip_job(job)


def test_an_interrupted_run_resumes_without_redoing_finished_clips(clips, tmp_path):
    root, _ = clips
    found = [c for c in find_clips([root]) if c.name in (GOOD[0], *FAILED)]
    out = tmp_path / "out"

    def batch(on_clip=None):
        _ran.clear()
        return run_batch(found, out, executor=lambda: ThreadPoolExecutor(1), jobs=1,
                         plate_mm=450, job_fn=_counting_job, on_clip=on_clip)

    def stop_after_measuring(rep):
        if rep.status == "done":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        batch(stop_after_measuring)
    assert "set1.mp4" in _ran
    assert len(json.loads((out / MANIFEST_NAME).read_text())["clips"]) == 1
    report = batch()
    assert "set1.mp4" not in _ran and sorted(_ran) == sorted(Path(n).name for n in FAILED)
    status = {r.clip.name: r.status for r in report.clips}
    assert status == {GOOD[0]: "skipped", **{n: "failed" for n in FAILED}}
    rows = [r for r in _rows(out) if r["file"].endswith("set1.mp4")]
    assert rows[0]["status"] == "skipped" and [r["rep"] for r in rows] == ["", "1", "2"]
    assert rows[1]["mcv"]  # the numbers of the earlier run


def _fake_job(job: ClipJob) -> JobOutcome:
    """Instant stand-in for the job; the clip named crash kills its worker process."""
    if Path(job.path).stem == "crash":
        os._exit(3)
    summary = {"lift": job.lift, "units": "px", "reps": 0, "rep_rows": [], "warnings": []}
    return JobOutcome(job.path, True, json_text="{}\n", csv_text="frame\n", summary=summary)


def _fake_clips(folder: Path, names) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    for n in names:
        (folder / n).write_bytes(n.encode() * 50)
    return find_clips([folder])


def test_a_crashing_worker_is_a_failed_row_and_the_rest_finish(tmp_path):
    found = _fake_clips(tmp_path / "in", ["a.mp4", "crash.mp4", "b.mp4", "c.mp4", "d.mp4"])
    ctx = multiprocessing.get_context("fork")
    report = run_batch(found, tmp_path / "out", jobs=2, job_fn=_fake_job,
                       executor=lambda: ProcessPoolExecutor(2, mp_context=ctx))
    status = {r.clip.name: (r.status, r.reason) for r in report.clips}
    assert status == {"a.mp4": ("done", ""), "b.mp4": ("done", ""), "c.mp4": ("done", ""),
                      "d.mp4": ("done", ""), "crash.mp4": ("failed", CRASHED)}


def test_settings_and_content_decide_what_is_redone(tmp_path):
    found = _fake_clips(tmp_path / "in", ["a.mp4", "b.mp4"])
    out = tmp_path / "out"

    asked = []

    def threads():  # a cluster's thread count, asked as the batch goes
        asked.append(1)
        return 2

    def runs(jobs=1, **kw):
        return run_batch(found, out, executor=lambda: ThreadPoolExecutor(2), jobs=jobs,
                         job_fn=_fake_job, **kw).jobs_run

    assert runs(jobs=threads) == 2 and asked
    assert runs() == 0
    assert runs(lift="bench") == 2  # other settings: measured again
    assert runs(lift="bench") == 0
    (tmp_path / "in/a.mp4").write_bytes(b"new content")
    assert runs(lift="bench") == 1
    (out / "b.json").unlink()  # a result file gone: measured again
    assert runs(lift="bench") == 1
    assert runs(lift="bench", capture_fps=120.0) == 2  # slow motion: other times


def test_library_gets_one_session_per_clip_with_manifest_labels(clips, tmp_path):
    from analysis.session.store import SessionStore

    root, truth = clips
    manifest = tmp_path / "lifters.csv"
    manifest.write_text(f"file,lifter,exercise,date,load\n{root / GOOD[0]},Ann,Back squat,"
                        f"2026-11-20,100\n{root / GOOD[1]},Ben,Deadlift,2026-11-21,265 lb\n",
                        encoding="utf-8")
    labels = read_manifest_csv(manifest)
    found = [c for c in find_clips([root]) if c.name in GOOD]
    assert [label_for(c, labels, False) for c in found] == [
        Label("Ann", "Back squat", "2026-11-20", 100.0, "kg"),
        Label("Ben", "Deadlift", "2026-11-21", 265.0, "lb")]
    lib = tmp_path / "library.sqlite3"
    app_store = SessionStore(lib)  # the app has the library open meanwhile
    out = tmp_path / "out"

    def batch(library_file):
        writer = LibraryWriter(library_file)
        try:
            return run_batch(found, out, executor=lambda: ThreadPoolExecutor(2), jobs=2,
                             plate_mm=450, labels=labels, library=writer)
        finally:
            writer.close()

    report = batch(lib)
    assert [(r.status, r.lift, r.library_error) for r in report.clips] == [
        ("done", "squat", ""), ("done", "deadlift", "")]
    sessions = app_store.list_sessions()
    assert sorted((s.lifter, s.exercise, s.date) for s in sessions) == [
        ("Ann", "Back squat", "2026-11-20"), ("Ben", "Deadlift", "2026-11-21")]
    ann = app_store.get(next(s.id for s in sessions if s.lifter == "Ann"))
    ben = app_store.get(next(s.id for s in sessions if s.lifter == "Ben"))
    # the loads reach the sets (Progress's load-velocity profile) and summary.csv
    assert [(s.load_of(s.recordings[0]), s.load_unit) for s in (ann, ben)] == [
        (100.0, "kg"), (265.0, "lb")]
    assert [r["load"] for r in _rows(out) if not r["rep"]] == ["100 kg", "265 lb"]
    (rec,) = ann.recordings
    assert rec.video_path == str(root / GOOD[0]) and rec.video_fingerprint
    assert rec.calibration.m_per_px == pytest.approx(truth[GOOD[0]].m_per_px, rel=0.03)
    assert len(rec.track) == len(truth[GOOD[0]].times)
    batch(lib)  # finished and in the library: nothing added twice
    assert len(app_store.list_sessions()) == 2
    other = tmp_path / "other.sqlite3"  # finished earlier, added to another library from files
    batch(other)
    with SessionStore(other) as s2:
        again = s2.get(next(s.id for s in s2.list_sessions() if s.lifter == "Ann")).recordings[0]
    assert again.track == rec.track and again.calibration == rec.calibration
    # the point followed is read back too (it was stored as a point chosen)
    assert rec.track.target == "plate" and again.track.target == rec.track.target
    app_store.close()


@pytest.mark.parametrize("cells,said", [
    ("load\nx.mp4,heavy", "load 'heavy' is not a number"),
    ("load,load_unit\nx.mp4,100,stone", "load unit 'stone' is not kg or lb"),
    ("load,load_unit\nx.mp4,100 kg,lb", "does not match load_unit"),
])
def test_a_manifest_load_that_is_not_a_load_is_refused_plainly(tmp_path, cells, said):
    manifest = tmp_path / "m.csv"
    manifest.write_text("file," + cells + "\n", encoding="utf-8")
    with pytest.raises(BatchError, match=said):
        read_manifest_csv(manifest)
    manifest.write_text("file,load,load_unit\nx.mp4,102.5,lbs\ny.mp4,,\nz.mp4,60 KG,\n",
                        encoding="utf-8")
    got = read_manifest_csv(manifest)
    assert [(got[n].load, got[n].load_unit) for n in ("x.mp4", "y.mp4", "z.mp4")] == [
        (102.5, "lb"), (None, "kg"), (60.0, "kg")]


def test_cli_reports_bad_arguments_plainly(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "none"), "--out", str(tmp_path / "o"),
                 "--lift", "curl"]) == 2
    assert "--lift must be one of" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["batch", str(empty), "--out", str(tmp_path / "o")]) == 2
    assert "no video files" in capsys.readouterr().err


def test_clips_with_the_same_name_keep_their_own_result_files(tmp_path):
    a = _fake_clips(tmp_path / "day1", ["set1.mp4"])
    b = _fake_clips(tmp_path / "day2", ["set1.mp4", "set1.mov"])
    (tmp_path / "day2/set1.mp4").write_bytes(b"other content")
    out = tmp_path / "out"

    def results(found):
        report = run_batch(found, out, executor=lambda: ThreadPoolExecutor(1), jobs=1,
                           job_fn=_fake_job)
        return [r.result for r in report.clips]

    assert [c.name for c in b] == ["set1.mov", "set1.mp4"]
    assert results(b) == ["set1.json", "set1.mp4.json"]
    # a new clip named like a finished one does not take over its files
    assert results(a + b) == ["set1-2.json", "set1.json", "set1.mp4.json"]
    (tmp_path / "day1/set1.mp4").write_bytes(b"changed")
    assert results(b + a) == ["set1.json", "set1.mp4.json", "set1-2.json"]


def test_bad_inputs_say_why_and_the_file_column_is_the_path_given(clips, tmp_path, capsys):
    """A missing file was reported as "not a video", and so were an empty one and one cut
    off half way; a clip named through a link was listed under the link's target."""
    root, _ = clips
    d = tmp_path / "in"
    d.mkdir()
    link = d / "today.mp4"
    link.symlink_to(root / GOOD[0])
    (d / "empty.mp4").write_bytes(b"")
    data = (root / GOOD[0]).read_bytes()
    (d / "cut.mp4").write_bytes(data[: len(data) // 2])  # a copy that stopped half way
    (d / "notes.mp4").write_text("squat 140 kg x 5\n" * 50)
    (d / "nothing").mkdir()
    out = tmp_path / "out"
    rc = main(["batch", str(link), str(d / "missing.mp4"), str(d / "empty.mp4"),
               str(d / "cut.mp4"), str(d / "notes.mp4"), str(d / "nothing"), "--out", str(out),
               "--jobs", "1", "-q"])
    assert rc == 1
    err = capsys.readouterr().err
    rows = {Path(r["file"]).name: r for r in _rows(out) if not r["rep"]}
    assert rows["today.mp4"]["file"] == str(link) and rows["today.mp4"]["status"] == "done"
    reasons = {name: (r["status"], r["reason"]) for name, r in rows.items()
               if name != "today.mp4"}
    assert reasons == {"missing.mp4": ("failed", "does not exist"),
                       "empty.mp4": ("failed", "empty file"),
                       "cut.mp4": ("failed", "file ends early"),
                       "notes.mp4": ("failed", "not a video")}
    assert "does not exist" in rows["missing.mp4"]["warnings"]  # the full sentence too
    assert f"{d / 'nothing'}: no video files in this folder" in err  # it adds no row


def test_cut_short_clip_broken_link_and_missing_folder_say_why(tmp_path, capsys):
    """A clip cut short (its header declares 120 frames, far fewer can be read) was
    reported only as "no plate found"; a broken link in a folder was left out without a
    word; a missing folder was called a file."""
    d = tmp_path / "in"
    d.mkdir()
    full = tmp_path / "full.mp4"
    make_barcode_clip(full, BarcodeSpec(frames=120, gop=30, faststart=True))
    data = full.read_bytes()
    (d / "cut.mp4").write_bytes(data[: int(len(data) * 0.6)])
    (d / "gone.mp4").symlink_to(tmp_path / "moved_away.mp4")
    out = tmp_path / "out"
    rc = main(["batch", str(d), str(tmp_path / "nope_folder"), "--out", str(out),
               "--jobs", "1", "-q"])
    assert rc == 1
    rows = {Path(r["file"]).name: r for r in _rows(out) if not r["rep"]}
    assert set(rows) == {"cut.mp4", "gone.mp4", "nope_folder"}
    cut = rows["cut.mp4"]
    assert cut["reason"] == "file ends early"
    assert "of the 120 frames its header declares" in cut["warnings"]
    assert "Copy it again" in cut["warnings"] and "what is there is shown" not in cut["warnings"]
    assert "no plate" in cut["warnings"]  # and what failed in the frames there are
    assert rows["gone.mp4"]["reason"] == "broken link"
    assert "moved_away.mp4" in rows["gone.mp4"]["warnings"]
    assert rows["nope_folder"]["reason"] == "does not exist"
    assert "file or folder" in rows["nope_folder"]["warnings"]
    assert "The file “nope_folder”" not in rows["nope_folder"]["warnings"]


def test_the_clips_of_one_lifter_exercise_and_day_are_the_sets_of_one_session(tmp_path):
    """A folder of one lifter's sets became one session per clip, each \"set 1\", told
    apart only by their save times, with no session holding two loads. The sets of one
    day are one session now, numbered by file name, each with its load; another day is
    another session; a later run does not add to sessions already in the library."""
    from analysis.session.store import SessionStore

    found = _fake_clips(tmp_path / "Jo" / "deadlift", ["set2.mp4", "set1.mp4", "set3.mp4"])
    by_name = {c.path.name: c for c in found}
    lib = tmp_path / "library.sqlite3"

    writer = LibraryWriter(lib)  # one batch run

    def add(name: str, load: float | None, date: str = "2026-11-24",
            exercise: str = "deadlift", unit: str = "kg", by: LibraryWriter = writer):
        err, sid = by.add(by_name[name], Label("Jo", exercise, date, load, unit),
                          {"lift": "deadlift"}, {}, {})
        assert err == ""
        return sid

    first = add("set2.mp4", 120.0)
    assert add("set1.mp4", 100.0, exercise="Deadlift") == first  # finished in any order
    # a set in lb joins a kg session in kg; a blank load stays blank (not the first's)
    by_name.update({c.path.name: c for c in _fake_clips(tmp_path / "Jo" / "deadlift",
                                                          ["set5.mp4", "set6.mp4"])})
    assert add("set5.mp4", 265.0, unit="lb") == first
    assert add("set6.mp4", None) == first
    other_day = add("set3.mp4", 140.0, date="2026-11-25")
    assert other_day != first
    writer.close()
    with SessionStore(lib) as store:
        s = store.get(first)
        assert [(r.set_number, os.path.basename(r.video_path), s.load_of(r))
                for r in s.recordings] == [(1, "set1.mp4", 100.0), (2, "set2.mp4", 120.0),
                                           (3, "set5.mp4", 120.2), (4, "set6.mp4", None)]
        assert s.load_unit == "kg"
        assert s.notes == "Added by liftlens batch from set2.mp4, set1.mp4, set5.mp4, set6.mp4."
        assert len(store.list_sessions()) == 2
    # a later run leaves the sessions already in the library alone (one may be open in
    # the app, whose next edit would be refused): its clip of that day starts a session
    (tmp_path / "Jo" / "deadlift" / "set4.mp4").write_bytes(b"set4" * 50)
    by_name["set4.mp4"] = find_clips([tmp_path / "Jo" / "deadlift" / "set4.mp4"])[0]
    later = LibraryWriter(lib)
    try:
        assert add("set4.mp4", 150.0, date="2026-11-25", by=later) != other_day
    finally:
        later.close()


def _clip_after_a_title_card(path: Path, seconds: float = 1.0) -> tuple[int, object]:
    """A generated squat that opens on ``seconds`` of a plain title card (text, no
    circle): (frames of the card, the lift's truth shifted to those frames)."""
    import av
    import cv2
    import numpy as np

    from analysis.synth.encode import ClipWriter

    lift = path.with_name("lift-only.mp4")
    truth = make_lift_clip(lift, SQUAT, size=(480, 270), px_per_m=220.0)
    card = np.full((270, 480, 3), (90, 40, 20), np.uint8)
    cv2.putText(card, "LEG DAY", (60, 150), cv2.FONT_HERSHEY_SIMPLEX, 2.0, (255, 255, 255), 5)
    n_card = int(round(seconds * 30))
    with av.open(str(lift)) as c, ClipWriter(path, 480, 270, fps=30) as w:
        for k in range(n_card):
            w.write(card, k / 30)
        for k, f in enumerate(c.decode(video=0)):
            w.write(f.to_ndarray(format="bgr24"), (n_card + k) / 30)
    return n_card, truth


def test_a_manifest_seed_frame_finds_the_plate_past_a_title_card(tmp_path):
    """A clip opening on a title card failed with "no plate found" and a batch had no way
    to say where the plate shows; the manifest's ``seed_frame`` says it."""
    clips_dir = tmp_path / "in"
    clips_dir.mkdir()
    n_card, truth = _clip_after_a_title_card(clips_dir / "titled.mp4")
    found = find_clips([clips_dir / "titled.mp4"])
    plain = run_batch(found, tmp_path / "out1", executor=lambda: ThreadPoolExecutor(1),
                      jobs=1, lift="squat")
    assert [r.reason for r in plain.clips] == ["no plate found"], plain.clips
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"file,lifter,seed_frame\ntitled.mp4,Ann,{n_card + 5}\n")
    manifest.rename(clips_dir / "m.csv")
    labels = read_manifest_csv(clips_dir / "m.csv")
    assert labels[str((clips_dir / "titled.mp4").resolve())].seed_frame == n_card + 5
    out = tmp_path / "out2"
    seeded = run_batch(found, out, executor=lambda: ThreadPoolExecutor(1), jobs=1,
                       lift="squat", labels=labels)
    assert [r.status for r in seeded.clips] == ["done"], seeded.clips
    rows = [r for r in _rows(out) if r.get("rep")]
    assert len(rows) == 2, rows
    again = run_batch(found, out, executor=lambda: ThreadPoolExecutor(1), jobs=1,
                       lift="squat", labels=labels)
    assert again.jobs_run == 0  # the same row: nothing to measure again
    (clips_dir / "m.csv").write_text("file,seed_frame\ntitled.mp4,1000\n")
    outside = run_batch(found, tmp_path / "out3", executor=lambda: ThreadPoolExecutor(1),
                        jobs=1, lift="squat",
                        labels=read_manifest_csv(clips_dir / "m.csv"))
    assert "seed_frame 1000 is not in the clip" in outside.clips[0].message
    (clips_dir / "m.csv").write_text("file,seed_frame\ntitled.mp4,two\n")
    with pytest.raises(BatchError, match="seed_frame 'two' is not a frame number"):
        read_manifest_csv(clips_dir / "m.csv")
