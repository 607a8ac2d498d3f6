"""``liftlens batch`` run again over a corrected manifest or replaced clips: exactly the
clips whose inputs changed are measured again (into the same files), the rest are
skipped, the run says which and why, and the library's sets follow when nobody is
using their session (generated clips; a stand-in job where only the bookkeeping counts)."""

from __future__ import annotations

import csv
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from analysis.batch.inputs import run_sentence
from analysis.batch.job import ClipJob, JobOutcome, run_clip_job
from analysis.batch.library import LibraryWriter
from analysis.batch.run import MANIFEST_NAME, find_clips, read_manifest_csv, run_batch
from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from app.cli.main import main

SQUAT = LiftScript(reps=(RepSpec(0.8, 0.2, 0.6, 0.3, 0.5), RepSpec(0.8, 0.2, 0.75, 0.3, 0.5)),
                   setup=0.3, end_idle=0.3)
KW = {"size": (480, 270), "px_per_m": 220.0}

_lock = threading.Lock()
_ran: list[str] = []


def _fake_job(job: ClipJob) -> JobOutcome:
    """Instant stand-in: counts the clips measured."""
    with _lock:
        _ran.append(Path(job.path).name)
    summary = {"lift": job.lift, "units": "px", "reps": 0, "rep_rows": [], "warnings": []}
    return JobOutcome(job.path, True, json_text="{}\n", csv_text="frame\n", summary=summary)


def _counting_job(job: ClipJob) -> JobOutcome:
    with _lock:
        _ran.append(Path(job.path).name)
    return run_clip_job(job)


def _rows(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "summary.csv", newline="", encoding="utf-8") as f:
        return {Path(r["file"]).name: r for r in csv.DictReader(f) if not r["rep"]}


def _write_manifest(path: Path, rows: dict[str, tuple[str, str, str, str]]) -> None:
    path.write_text("file,lifter,exercise,date,load\n" + "".join(
        f"{name},{','.join(cells)}\n" for name, cells in rows.items()), encoding="utf-8")


def test_a_corrected_manifest_row_or_a_replaced_clip_is_measured_again(tmp_path):
    """A load, lifter or exercise corrected in the manifest, or a clip replaced by one of the
    same name, was skipped as "done before": summary and library kept the old values.
    Now exactly those clips are measured again, into the same files, and say why."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n in ("a.mp4", "b.mp4", "c.mp4", "d.mp4"):
        (folder / n).write_bytes(n.encode() * 50)
    found = find_clips([folder])
    manifest = tmp_path / "m.csv"
    rows = {n: ("Jo", "back squat", "2026-11-24", "100") for n in ("a.mp4", "b.mp4", "c.mp4",
                                                                   "d.mp4")}
    out = tmp_path / "out"

    def batch(**kw):
        _ran.clear()
        _write_manifest(manifest, rows)
        return run_batch(found, out, executor=lambda: ThreadPoolExecutor(1), jobs=1,
                         job_fn=_fake_job, labels=read_manifest_csv(manifest),
                         **kw)

    assert batch().jobs_run == 4
    report = batch()
    assert report.jobs_run == 0
    assert run_sentence(report.clips) == "4 clips unchanged, skipped; 0 failed"
    rows["b.mp4"] = ("Jo", "back squat", "2026-11-24", "120")
    report = batch()
    assert _ran == ["b.mp4"]
    assert {r.clip.name: (r.status, r.changes) for r in report.clips}["b.mp4"] == \
        ("done", ["manifest row changed (load 100 → 120 kg)"])
    assert run_sentence(report.clips) == ("3 clips unchanged, skipped; 1 clip's manifest row "
                                          "changed (load 100 → 120 kg), analysed again; 0 failed")
    row = _rows(out)["b.mp4"]
    assert (row["load"], row["result"]) == ("120 kg", "b.json")  # the same files
    assert row["warnings"].startswith("analysed again: manifest row changed (load 100 → 120")
    assert batch().jobs_run == 0  # the correction is what it was measured from now

    rows["a.mp4"] = ("Joanna", "front squat", "2026-11-24", "265 lb")
    (folder / "c.mp4").write_bytes(b"a new take of set c" * 40)
    st = (folder / "d.mp4").stat()  # copied over again: same bytes, another time
    os.utime(folder / "d.mp4", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    report = batch()
    assert sorted(_ran) == ["a.mp4", "c.mp4", "d.mp4"]
    changes = {r.clip.name: r.changes for r in report.clips}
    assert changes["a.mp4"] == ["manifest row changed (lifter Jo → Joanna, exercise back squat "
                                "→ front squat, load 100 kg → 265 lb)"]
    assert changes["c.mp4"] == ["clip file replaced (250 bytes → 760 bytes)"]
    assert changes["d.mp4"][0].startswith("clip file replaced (same size and sampled content")
    assert changes["b.mp4"] == []
    assert run_sentence(report.clips) == (
        "1 clip unchanged, skipped; 3 clips changed since they were measured (manifest row "
        "changed: 1, clip file replaced: 2), analysed again; 0 failed")
    kept = json.loads((out / MANIFEST_NAME).read_text())["clips"]
    assert sorted(Path(e["file"]).name for e in kept.values()) == ["a.mp4", "b.mp4", "c.mp4",
                                                                 "d.mp4"]  # one each
    assert sorted(e["json"] for e in kept.values()) == ["a.json", "b.json", "c.json", "d.json"]
    report = batch(plate_mm=450)
    assert len(_ran) == 4 and all(r.changes == ["analysis settings changed (plate_mm (none) → "
                                                "450)"] for r in report.clips)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Two generated sets of one lifter's day."""
    root = tmp_path_factory.mktemp("clips")
    make_lift_clip(root / "set1.mp4", SQUAT, **KW)
    make_lift_clip(root / "set2.mp4", SQUAT, seed=5, **KW)
    return root


def test_a_corrected_rerun_updates_the_library_set_unless_the_session_is_in_use(generated,
                                                                               tmp_path):
    """A corrected load reached summary.csv but never the library's set, so Progress kept
    the old load. Now the set is updated in place (same session, same set) while the
    session is as the batch wrote it and the app is not showing it; a session open in the
    app, or edited there, is left alone with a note saying what it still holds, and the
    update is made by a later run once the app shows another session."""
    from analysis.session.store import SessionStore

    found = find_clips([generated])
    manifest = tmp_path / "m.csv"
    rows = {"set1.mp4": ("Jo", "back squat", "2026-11-24", "100"),
            "set2.mp4": ("Jo", "back squat", "2026-11-24", "110")}
    lib, out = tmp_path / "library.sqlite3", tmp_path / "out"

    def batch():
        _ran.clear()
        _write_manifest(manifest, rows)
        writer = LibraryWriter(lib)
        try:
            return run_batch(found, out, executor=lambda: ThreadPoolExecutor(2), jobs=2,
                             plate_mm=450, labels=read_manifest_csv(manifest), library=writer,
                             job_fn=_counting_job)
        finally:
            writer.close()

    def loads(store):
        (s,) = store.list_sessions()
        session = store.get(s.id)
        return s.id, [(Path(r.video_path).name, session.load_of(r)) for r in
                      session.recordings], [r.id for r in session.recordings]

    batch()
    app = SessionStore(lib)  # the app has the library open
    sid, got, rec_ids = loads(app)
    assert got == [("set1.mp4", 100.0), ("set2.mp4", 110.0)]
    first_track = app.get(sid).recordings[0].track

    rows["set1.mp4"] = ("Jo", "back squat", "2026-11-24", "120")
    report = batch()
    assert _ran == ["set1.mp4"] and all(not r.library_note and r.ok for r in report.clips)
    assert loads(app) == (sid, [("set1.mp4", 120.0), ("set2.mp4", 110.0)], rec_ids)
    assert app.get(sid).recordings[0].track == first_track  # measured again: the same

    app.set_meta("last_session", sid)  # the app shows that session
    rows["set1.mp4"] = ("Jo", "back squat", "2026-11-24", "125")
    report = batch()
    note = report.clips[0].library_note
    assert "not updated, as it is the session open in LiftLens" in note
    assert "set1.mp4 still holds the earlier measurement (manifest row changed (load 120 → " \
        "125 kg))" in note
    assert report.clips[0].ok  # measured: the note is no failure
    assert note in _rows(out)["set1.mp4"]["warnings"]
    assert loads(app)[1] == [("set1.mp4", 120.0), ("set2.mp4", 110.0)]
    app.set_meta("last_session", "another session")  # the coach moved on
    report = batch()
    assert _ran == [] and [r.status for r in report.clips] == ["skipped", "skipped"]
    assert loads(app)[1] == [("set1.mp4", 125.0), ("set2.mp4", 110.0)]  # updated now

    s, revision = app.load(sid)  # the coach edits the session in the app
    s.notes = "felt heavy"
    app.save(s, revision)
    rows["set2.mp4"] = ("Jo", "back squat", "2026-11-24", "115")
    report = batch()
    assert "changed in LiftLens after the batch added it" in report.clips[1].library_note
    assert app.get(sid).notes == "felt heavy" and loads(app)[1][1] == ("set2.mp4", 110.0)

    app.close()


def test_a_set_whose_lifter_was_corrected_moves_to_that_lifters_session(generated,
                                                                        tmp_path, capsys):
    """The lifter of one set corrected: the set leaves the session it was added to and
    starts the right lifter's session; the command says what was measured again."""
    from analysis.session.store import SessionStore

    manifest = tmp_path / "m.csv"
    rows = {"set1.mp4": ("Jo", "back squat", "2026-11-24", "100"),
            "set2.mp4": ("Jo", "back squat", "2026-11-24", "110")}
    lib, out = tmp_path / "library.sqlite3", tmp_path / "out"

    def batch():
        _write_manifest(manifest, {str(generated / n): v for n, v in rows.items()})
        return main(["batch", str(generated), "--out", str(out), "--plate-mm", "450",
                     "--jobs", "1", "--library", "--library-file", str(lib),
                     "--manifest", str(manifest)])

    assert batch() == 0
    capsys.readouterr()
    rows["set2.mp4"] = ("Ann", "back squat", "2026-11-24", "110")
    assert batch() == 0
    err = capsys.readouterr().err
    assert "set2.mp4: manifest row changed (lifter Jo → Ann), analysed again" in err
    assert "1 clip unchanged, skipped; 1 clip's manifest row changed (lifter Jo → Ann), " \
        "analysed again; 0 failed" in err
    with SessionStore(lib) as store:
        sets = {s.lifter: [Path(r.video_path).name for r in store.get(s.id).recordings]
                for s in store.list_sessions()}
        assert sets == {"Jo": ["set1.mp4"], "Ann": ["set2.mp4"]}
        (jo,) = [s for s in store.list_sessions() if s.lifter == "Jo"]
        assert store.get(jo.id).notes == "Added by liftlens batch from set1.mp4."
