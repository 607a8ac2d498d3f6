"""Run :func:`analysis.batch.job.run_clip_job` over many clips: find them, skip the
finished ones, keep a fixed number of jobs in flight on any ``concurrent.futures``
executor (a process pool, or Dask's ``Client.get_executor()``), write each result as
it arrives, add it to the library, and write ``summary.csv``.

Files in the output folder
    ``<clip>.json`` / ``<clip>.csv``
        The result and the track, as ``liftlens analyze --json/--csv`` writes them
        (named after the clip; a clip in a sub-folder of a folder argument keeps
        that sub-folder).
    ``summary.csv``
        :data:`SUMMARY_COLUMNS`: one row per clip (``rep`` empty) followed by one row
        per rep, and for a snatch, clean or jerk one row per attempt (``attempt``,
        ``rep_status`` made or missed, ``peak_velocity``, ``peak_height``,
        ``catch_height`` in m and m/s); a clip that could not be measured is one row
        with ``status`` ``failed`` and a plain ``reason``.
    ``batch-manifest.json``
        Finished clips by key (SHA-256 of the clip's content fingerprint and the
        settings, :meth:`ClipJob.key`) -> result files, summary, library session and
        the inputs measured (:mod:`analysis.batch.inputs`: manifest row, file, settings);
        ``sessions``: the revision of each library session as the batch last wrote it.
        Rewritten atomically after every clip, so an interrupted run loses at most
        the clips in flight and the next run skips the rest. A clip whose inputs
        changed since (a corrected manifest row, a replaced file, other settings) is
        measured again into the same files, and the report says what changed.

Only this (parent) process writes files and the library; workers only read clips.
"""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.batch.clips import VIDEO_SUFFIXES as VIDEO_SUFFIXES  # noqa: F401 - where it was
from analysis.batch.clips import Clip, find_clips, folders_without_clips  # noqa: F401
from analysis.batch.inputs import clip_inputs, file_state, what_changed
from analysis.batch.job import ClipJob, JobOutcome, run_clip_job
from analysis.batch.labels import (BatchError, Label, ManifestLabels, folder_label, label_for,
                                   match_manifest)
from analysis.batch.labels import read_manifest_csv as read_manifest_csv  # noqa: F401
from analysis.batch.summary import SUMMARY_COLUMNS as SUMMARY_COLUMNS  # noqa: F401 - where it was
from analysis.batch.summary import summary_csv
from analysis.io.atomic import atomic_write_text
from analysis.lift.exercises import lift_for
from analysis.lift.result import AnalysisSettings

MANIFEST_NAME = "batch-manifest.json"
MANIFEST_FORMAT = "liftlens-batch-manifest"
SUMMARY_NAME = "summary.csv"
CRASHED = "worker crashed"


@dataclass
class ClipReport:
    """How one clip of the batch ended: ``status`` is ``done``, ``skipped`` (finished in an
    earlier run) or ``failed`` (``reason``/``message`` say why). ``changes``: why a clip
    finished before was measured again (:func:`analysis.batch.inputs.what_changed`);
    ``library_note``: what the library was not told (a session not updated), in words;
    ``row_note``: the clip has no manifest row, or matched its row by file name alone
    (:meth:`analysis.batch.labels.RowMatch.note`)."""

    clip: Clip
    status: str
    label: Label
    lift: str
    reason: str = ""
    message: str = ""
    seconds: float = 0.0
    summary: dict[str, Any] = field(default_factory=dict)
    result: str = ""  # the JSON result file, relative to the output folder
    library_error: str = ""
    cpu_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    worker: str = ""
    changes: list[str] = field(default_factory=list)
    library_note: str = ""
    row_note: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "failed" and not self.library_error


@dataclass
class BatchReport:
    """Every clip's :class:`ClipReport` (in the order given) and how many jobs ran."""

    clips: list[ClipReport]
    jobs_run: int
    summary_path: Path

    @property
    def failed(self) -> list[ClipReport]:
        return [c for c in self.clips if not c.ok]


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (its folder made if missing) via a temporary file in the
    same folder, fsync and rename, so ``path`` holds the old or the new text, never part
    of one. Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, text)


class Manifest:
    """``batch-manifest.json`` of an output folder: key -> finished clip entry."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST_NAME
        self.clips: dict[str, dict[str, Any]] = {}
        self.sessions: dict[str, int] = {}  # library session id -> revision the batch wrote
        if self.path.exists():
            try:
                d = json.loads(self.path.read_text(encoding="utf-8"))
                if d.get("format") != MANIFEST_FORMAT or not isinstance(d.get("clips"), dict):
                    raise ValueError("not a LiftLens batch manifest")
            except (OSError, ValueError, AttributeError) as exc:
                raise BatchError(f"{self.path} cannot be read ({exc}); move it away to "
                                 "start the batch afresh") from None
            self.clips = d["clips"]
            sessions = d.get("sessions")
            self.sessions = dict(sessions) if isinstance(sessions, dict) else {}

    def finished(self, key: str, folder: Path) -> dict[str, Any] | None:
        """The entry of ``key`` when its result files are still there."""
        e = self.clips.get(key)
        if e and all((folder / e.get(k, "")).is_file() for k in ("json", "csv")):
            return e
        return None

    def of_file(self, path: Path) -> tuple[str, dict[str, Any]] | None:
        """The latest entry (key, entry) measured from the file ``path``, whatever its
        content and settings were then."""
        found = [(k, e) for k, e in self.clips.items() if e.get("file") == str(path)]
        return found[-1] if found else None

    def drop_file(self, path: Path, keep: str) -> None:
        """Forget the earlier entries of the file ``path`` (all but the key ``keep``)."""
        for k in [k for k, e in self.clips.items() if e.get("file") == str(path) and k != keep]:
            del self.clips[k]

    def save(self) -> None:
        atomic_write(self.path, json.dumps({"format": MANIFEST_FORMAT, "version": 1,
                                            "clips": self.clips, "sessions": self.sessions},
                                           indent=1) + "\n")


class _Names:
    """Output file stems, unique in the folder (case-insensitive)."""

    RESERVED = frozenset({"summary", "batch-manifest"})

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, clip: Clip, wanted: str | None = None) -> str:
        rel = Path(clip.name)
        options = [wanted] if wanted else []
        options += [rel.with_suffix("").as_posix(), rel.as_posix()]
        n = 2
        while True:
            for stem in options:
                if stem and stem.lower() not in self.taken and stem.lower() not in self.RESERVED:
                    self.taken.add(stem.lower())
                    return stem
            options = [f"{rel.with_suffix('').as_posix()}-{n}"]
            n += 1


@dataclass
class _Pending:
    clip: Clip
    job: ClipJob
    key: str | None
    stem: str
    label: Label
    crashes: int = 0
    inputs: dict[str, Any] = field(default_factory=dict)
    previous: dict[str, Any] = field(default_factory=dict)  # the entry measured before
    changes: list[str] = field(default_factory=list)
    row_note: str = ""


def run_batch(clips: Sequence[Clip], out: str | os.PathLike[str], *,
              executor: Callable[[], Executor], jobs: int | Callable[[], int],
              lift: str | None = None,
              plate_mm: float | None = None, settings: AnalysisSettings | None = None,
              capture_fps: float | None = None,
              labels: dict[str, Label] | None = None, exercise_from_folder: bool = False,
              library: Any = None, job_fn: Callable[[ClipJob], JobOutcome] = run_clip_job,
              on_start: Callable[[int, int], None] | None = None,
              on_clip: Callable[[ClipReport], None] | None = None) -> BatchReport:
    """Measure ``clips`` into the folder ``out`` and return what happened to each.

    Parameters
    ----------
    executor : callable
        Makes the ``concurrent.futures.Executor`` to submit to; called again after a
        process pool breaks (a worker died), so a crash costs only the clips in flight.
    jobs : int or callable
        Clips in flight at once (the pool's worker count), or a function asked before
        each submission (a cluster's current thread count, as workers come and go).
    lift : str, optional
        Lift of every clip; None: from each clip's exercise (label) with
        :func:`analysis.lift.exercises.lift_for`, unknown: from the motion.
    plate_mm, settings, capture_fps
        As :class:`ClipJob`.
    labels, exercise_from_folder
        Lifter/exercise/date of each clip: from :func:`read_manifest_csv`, each clip's
        row (:func:`analysis.batch.labels.match_manifest`; a clip without one is said in
        its report's ``row_note``), else :func:`label_for`.
    library : optional
        A :class:`analysis.batch.library.LibraryWriter`; each measured clip is added.
    job_fn : callable
        The job (tests pass a wrapper that counts or crashes); must be picklable.
    on_start(total, already_done), on_clip(report)
        Progress callbacks (in this process).

    A clip whose worker dies is retried once alone; dying again, it becomes a failed
    row with reason ``"worker crashed"``.

    Raises
    ------
    BatchError
        When the output folder or its manifest cannot be used.
    """
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchError(f"the output folder {folder} cannot be created "
                         f"({exc.strerror or exc})") from None
    settings = settings or AnalysisSettings()
    manifest = Manifest(folder)
    names = _Names()
    reports: dict[int, ClipReport] = {}
    queue: deque[tuple[int, _Pending]] = deque()
    from analysis.session.portable import fingerprint

    planned, adopted = [], False
    match = match_manifest(clips, labels) if isinstance(labels, ManifestLabels) else None
    for i, clip in enumerate(clips):
        if match is None:
            label = label_for(clip, labels, exercise_from_folder)
        else:  # a clip without its row: not another row that shares its name
            row = match.rows.get(i)
            label = row.label if row else folder_label(clip, exercise_from_folder)
        clip_lift = lift or (lift_for(label.exercise) if label.exercise else "squat")
        job = ClipJob(str(clip.path), clip_lift, plate_mm, settings, capture_fps,
                      label.exercise, label.seed_frame)
        try:
            content = fingerprint(clip.path)
            key: str | None = job.key(content)
            inputs = clip_inputs(label.inputs(), str(clip.path),
                                 file_state(clip.path), content, job.settings_key())
        except OSError:
            key, inputs = None, {}  # unreadable: the job says why
        entry = manifest.finished(key, folder) if key else None
        before = manifest.of_file(clip.path) if entry is None and inputs else None
        previous = entry if entry is not None else before[1] if before else {}
        changes = what_changed(previous.get("inputs"), inputs, entry is not None) \
            if previous and inputs else []
        if entry is not None and changes:
            entry = None  # a corrected manifest row, a file rewritten in place: again
        elif entry is not None and "inputs" not in entry:
            entry["inputs"], adopted = inputs, True  # finished before inputs were kept
        # its files keep their names: claimed before any new clip's
        stem = names.claim(clip, previous["stem"]) if previous else ""
        planned.append((clip, label, clip_lift, job, key, entry, inputs, previous, changes,
                        stem))
    for i, (clip, label, clip_lift, job, key, entry, inputs, previous, changes,
            stem) in enumerate(planned):
        if entry is not None:
            reports[i] = ClipReport(clip, "skipped", label, clip_lift or "",
                                    seconds=float(entry.get("seconds", 0.0)),
                                    summary=entry.get("summary", {}), result=entry["json"],
                                    row_note=match.note(i) if match else "")
            if library is not None:
                _ensure_in_library(reports[i], entry, library, manifest, folder)
            continue
        queue.append((i, _Pending(clip, job, key, stem or names.claim(clip), label,
                                  inputs=inputs, previous=previous, changes=changes,
                                  row_note=match.note(i) if match else "")))
    if adopted:
        try:
            manifest.save()
        except OSError as exc:
            raise BatchError(f"{manifest.path} cannot be written ({exc.strerror or exc})") \
                from None
    if on_start:
        on_start(len(clips), len(reports))
    runs = _submit_all(queue, executor, jobs, job_fn, lambda i, p, o: _finish(
        i, p, o, folder, manifest, library, reports, on_clip))
    ordered = [reports[i] for i in range(len(clips))]
    summary_path = folder / SUMMARY_NAME
    try:
        atomic_write(summary_path, summary_csv(ordered))
    except OSError as exc:
        raise BatchError(f"{summary_path} cannot be written ({exc.strerror or exc})") from None
    return BatchReport(ordered, runs, summary_path)


def _submit_all(queue: deque[tuple[int, _Pending]], make: Callable[[], Executor],
                jobs: int | Callable[[], int],
                job_fn: Callable[[ClipJob], JobOutcome],
                done: Callable[[int, _Pending, JobOutcome], None]) -> int:
    """Keep ``jobs`` clips in flight until ``queue`` is empty; returns how many jobs ran.

    When the pool breaks (a worker process died), every clip in flight is suspect: each
    runs again alone in a new pool, and one that breaks it alone is reported crashed.
    """
    if not queue:
        return 0
    runs = 0
    ex = make()
    suspects: deque[tuple[int, _Pending]] = deque()
    flight: dict[Future[JobOutcome], tuple[int, _Pending]] = {}
    solo = False
    try:
        while queue or suspects or flight:
            broken = False
            try:  # a pool can break between two submissions: then the clip waits
                if not solo:
                    if suspects and not flight:
                        flight[ex.submit(job_fn, suspects[0][1].job)] = suspects[0]
                        suspects.popleft()
                        runs += 1
                        solo = True
                    limit = max(1, jobs() if callable(jobs) else jobs)
                    # a suspect runs alone: a clip beside it in a pool it breaks would be
                    # taken for the crash (a good clip read "worker crashed" now and then)
                    while not solo and not suspects and queue and len(flight) < limit:
                        flight[ex.submit(job_fn, queue[0][1].job)] = queue[0]
                        queue.popleft()
                        runs += 1
            except BrokenProcessPool:
                broken = True
            # a cluster is asked again every few seconds, so workers that join get clips
            timeout = 5.0 if callable(jobs) else None
            finished = (wait(list(flight), timeout, FIRST_COMPLETED)[0] if not broken
                        else set())
            for fut in finished:
                i, p = flight.pop(fut)
                try:
                    outcome = fut.result()
                except BrokenProcessPool:
                    broken = True
                    p.crashes += 1
                    if solo or p.crashes >= 2:
                        done(i, p, JobOutcome(p.job.path, False, CRASHED,
                                              "the process measuring this clip stopped "
                                              "unexpectedly (a crash or out of memory)"))
                    else:
                        suspects.append((i, p))
                    continue
                except Exception as exc:  # noqa: BLE001 - e.g. a Dask worker lost for good
                    outcome = JobOutcome(p.job.path, False, CRASHED,
                                         f"the worker failed ({type(exc).__name__}: {exc})")
                done(i, p, outcome)
            solo = solo and bool(flight)
            if broken:  # the rest of the broken pool ends at once, some maybe finished
                wait(list(flight))
                for fut, (i, p) in list(flight.items()):
                    flight.pop(fut)
                    if fut.exception() is None:
                        done(i, p, fut.result())
                    else:
                        p.crashes += 1
                        suspects.append((i, p))
                solo = False
                _shutdown(ex)
                ex = make()
    except BaseException:  # Ctrl+C: stop now, the finished clips are in the manifest
        _abort(ex)
        raise
    _shutdown(ex)
    return runs


def _abort(ex: Executor) -> None:
    """Stop ``ex`` without waiting for clips in flight (a process pool's workers are
    terminated; a Dask executor's tasks are cancelled)."""
    for proc in list((getattr(ex, "_processes", None) or {}).values()):
        try:
            proc.terminate()
        except (OSError, AttributeError):
            pass
    try:
        ex.shutdown(wait=False, cancel_futures=True)
    except TypeError:
        ex.shutdown(wait=False)


def _shutdown(ex: Executor) -> None:
    """Stop ``ex``, dropping clips not started (an interrupted run); Dask's executor has
    no ``cancel_futures``."""
    try:
        ex.shutdown(wait=True, cancel_futures=True)
    except TypeError:
        ex.shutdown(wait=True)


def _finish(i: int, p: _Pending, o: JobOutcome, folder: Path, manifest: Manifest, library: Any,
            reports: dict[int, ClipReport], on_clip: Callable[[ClipReport], None] | None
            ) -> None:
    rep = ClipReport(p.clip, "done" if o.ok else "failed", p.label, p.job.lift or "", o.reason,
                     o.message, o.seconds, o.summary, cpu_seconds=o.cpu_seconds,
                     peak_rss_mb=o.peak_rss_mb, worker=o.worker, changes=p.changes,
                     row_note=p.row_note)
    if o.ok:
        files = {"json": f"{p.stem}.json", "csv": f"{p.stem}.csv"}
        try:
            atomic_write(folder / files["json"], o.json_text)
            atomic_write(folder / files["csv"], o.csv_text)
        except OSError as exc:
            rep.status, rep.reason = "failed", "cannot write results"
            rep.message = f"the results could not be written ({exc.strerror or exc})"
        else:
            rep.result = files["json"]
            entry = {"file": str(p.clip.path), "stem": p.stem, **files, "lift": p.job.lift,
                     "seconds": o.seconds, "summary": o.summary, "session": "",
                     "inputs": p.inputs}
            if library is not None:
                old = p.previous.get("session", "")
                if old:  # the session of its earlier measurement is updated, or told why not
                    err, rep.library_note, sid = library.replace(
                        p.clip, p.label, entry, o.track, o.calibration, old,
                        manifest.sessions.get(old), p.changes)
                    if rep.library_note or err:
                        entry["library_pending"] = True  # tried again by the next run
                else:
                    err, sid = library.add(p.clip, p.label, entry, o.track, o.calibration)
                rep.library_error, entry["session"] = err, sid
                manifest.sessions.update(library.revisions)
            if p.key:
                manifest.drop_file(p.clip.path, p.key)  # the earlier measurement's entry
                manifest.clips[p.key] = entry
                try:
                    manifest.save()
                except OSError as exc:
                    rep.status, rep.reason = "failed", "cannot write results"
                    rep.message = f"the manifest could not be written ({exc.strerror or exc})"
    reports[i] = rep
    if on_clip:
        on_clip(rep)


def _ensure_in_library(rep: ClipReport, entry: dict[str, Any], library: Any,
                       manifest: Manifest, folder: Path) -> None:
    """A clip finished earlier: into the library when its session is not there, and its
    session updated when an earlier run could not (``library_pending``)."""
    session = entry.get("session", "")
    pending = bool(entry.get("library_pending"))
    err, note, sid = library.ensure(rep.clip, rep.label, entry, session, folder,
                                    manifest.sessions.get(session), pending)
    rep.library_error, rep.library_note = err, note
    if (sid and sid != session) or (pending and not note and not err):
        entry["session"] = sid or session
        entry.pop("library_pending", None)
        manifest.sessions.update(library.revisions)
        manifest.save()
