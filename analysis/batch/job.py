"""The unit of work of ``liftlens batch``: one clip in, its result files' text and a
short summary out, never an exception.

:func:`run_clip_job` runs in a worker process (``concurrent.futures``) or on a Dask
worker, so its argument and result are plain picklable data; it only reads the
clip, and the parent process writes every file and the library.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from analysis.lift.exercises import weightlifting_for
from analysis.lift.result import FORMAT_VERSION, AnalysisResult, AnalysisSettings

#: Bumped when the job's output changes for the same inputs (finished clips are redone).
JOB_VERSION = 1


@dataclass(frozen=True)
class ClipJob:
    """What to measure: ``path`` (absolute, readable by the worker) with these settings.

    ``plate_mm`` calibrates from the plate (mm); without it lengths are px.
    ``capture_fps`` is the slow-motion capture rate (None: what the file declares).
    ``exercise`` is the clip's exercise as labelled (free text); a snatch, clean or jerk
    (:func:`analysis.lift.exercises.weightlifting_for`) is measured as attempts too.
    ``seed_frame`` is the frame the plate is looked for on (a manifest's ``seed_frame``:
    the first frames of an edited clip may show a title card), 0 the first.
    """

    path: str
    lift: str | None = None
    plate_mm: float | None = None
    settings: AnalysisSettings = field(default_factory=AnalysisSettings)
    capture_fps: float | None = None
    exercise: str = ""
    seed_frame: int = 0

    def settings_key(self) -> str:
        """Canonical text of everything but the path that decides the result."""
        d: dict[str, Any] = {"job": JOB_VERSION, "analysis_format": FORMAT_VERSION, "lift": self.lift,
             "plate_mm": self.plate_mm, "settings": dataclasses.asdict(self.settings)}
        if self.capture_fps is not None:  # absent when unset: keys of earlier runs still match
            d["capture_fps"] = self.capture_fps
        if self.seed_frame:  # likewise
            d["seed_frame"] = self.seed_frame
        profile = weightlifting_for(self.exercise)
        if profile is not None:  # likewise: only a weightlifting clip's key changes
            # 2: attempts instead of reps in the summary, the liftlens-weightlifting file
            d["weightlifting"] = [profile.lift, *profile.variants, {"version": 2}]
        return json.dumps(d, sort_keys=True, default=str)

    def key(self, content_hash: str) -> str:
        """Identity of a finished result: SHA-256 of the clip's content hash and settings."""
        return hashlib.sha256(f"{content_hash}\n{self.settings_key()}".encode()).hexdigest()


@dataclass
class JobOutcome:
    """What a job returns (plain data).

    Attributes
    ----------
    path : str
    ok : bool
    reason, message : str
        When not ``ok``: a short reason (``analysis.batch.clip`` constants, or
        ``"worker crashed"``) and the full sentence.
    seconds : float
        Wall time of the job in the worker.
    json_text, csv_text : str
        The result files (as ``liftlens analyze --json/--csv`` writes them).
    track, calibration : dict
        What a session recording stores (``Track.to_dict()``, ``Calibration.to_dict()``).
    summary : dict
        :func:`summarise` of the result.
    cpu_seconds : float
        CPU time (user + system, all threads) the job used in the worker.
    peak_rss_mb : float
        Peak resident memory of the worker process so far (MiB; 0 when unknown).
    worker : str
        Host and process id of the worker.
    """

    path: str
    ok: bool
    reason: str = ""
    message: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    json_text: str = ""
    csv_text: str = ""
    track: dict[str, Any] = field(default_factory=dict)
    calibration: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    worker: str = ""


def run_clip_job(job: ClipJob) -> JobOutcome:
    """Measure one clip as ``liftlens analyze CLIP --auto [--plate-mm D]`` does.

    Never raises: a clip that cannot be measured gives ``ok=False`` with a plain
    reason (not a video, too short, no plate found, plate not measured, analysis
    failed), and any unexpected error becomes ``"analysis failed"`` with its text.
    """
    from analysis.batch.clip import (
        FAILED,
        ClipError,
        SeedFrameOutside,
        analyze_video,
        result_json,
        track_csv,
        weightlifting_json,
    )

    start, cpu = time.perf_counter(), time.process_time()
    try:
        done = analyze_video(job.path, lift=job.lift, settings=job.settings,
                             plate_mm=job.plate_mm, capture_fps=job.capture_fps,
                             seed_frame=job.seed_frame)
        profile = weightlifting_for(job.exercise)
        text = None
        if profile is not None:
            from analysis.lift.attempts import add_attempts

            add_attempts(done.result, profile)
            if done.result.weightlifting is not None:  # the file analyze --lift writes
                text = weightlifting_json(done.result, done.tracking)
        if text is None:
            text = result_json(done.result, done.tracking)
        out = JobOutcome(job.path, True, json_text=text,
                         csv_text=track_csv(done.result), track=done.track,
                         calibration=done.calibration,
                         summary=summarise(done.result, done.notes))
    except ClipError as exc:
        out = JobOutcome(job.path, False, exc.reason, str(exc))
    except SeedFrameOutside as exc:
        out = JobOutcome(job.path, False, FAILED, f"the manifest's seed_frame {exc.seed_frame} "
                         f"is not in the clip: it has frames 0 to {exc.frame_count - 1}")
    except MemoryError:
        out = JobOutcome(job.path, False, FAILED, "out of memory")
    except Exception as exc:  # noqa: BLE001 - one bad clip must not stop a batch
        out = JobOutcome(job.path, False, FAILED, f"{type(exc).__name__}: {exc}")
    out.seconds = time.perf_counter() - start
    out.cpu_seconds = time.process_time() - cpu
    out.peak_rss_mb = peak_rss_mb()
    out.worker = f"{os.uname().nodename if hasattr(os, 'uname') else ''}:{os.getpid()}"
    return out


def worker_init() -> None:
    """Initializer of pool workers: Ctrl+C is the parent's to handle (it stops the
    workers), so workers do not print their own interrupted tracebacks."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def peak_rss_mb() -> float:
    """Peak resident memory of this process (MiB), 0 where the platform does not say."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / (1024 * 1024) if sys.platform == "darwin" else kb / 1024


def summarise(res: AnalysisResult, notes: list[str] | None = None) -> dict[str, Any]:
    """The numbers of a result that ``summary.csv`` shows (JSON values).

    Returns ``{"lift", "units", "reps", "mcv", "rom", "velocity_loss_pct",
    "warnings", "rep_rows"}``: ``reps`` counts valid reps; ``mcv`` and ``rom`` are
    means over the reps the velocity loss used (``units``/s and ``units``);
    ``velocity_loss_pct`` is the set's best-to-last loss
    (:func:`analysis.lift.set_metrics.velocity_loss`); each of ``rep_rows`` has
    ``rep``, ``status``, ``mcv``, ``peak_velocity``, ``rom``, ``tempo`` (E-B-C-T
    notation) and ``velocity_loss_pct``, this rep's loss against the fastest rep
    used (None for reps left out of the velocity loss). A snatch, clean or jerk also
    has ``attempts`` (how many) and ``attempt_rows``: ``attempt``, ``result`` (made or
    missed), ``peak_velocity`` (m/s), ``peak_height`` and ``catch_height`` (m,
    :class:`analysis.lift.weightlifting.Attempt`) instead of reps: its ``lift`` is the
    weightlifting lift (``clean_and_jerk``), ``reps``, ``mcv``, ``rom`` and
    ``velocity_loss_pct`` are None and ``rep_rows`` is empty.
    """
    vl = res.set_metrics.velocity_loss
    numbers = set(vl.used)  # rep numbers (see analysis.lift.result)
    used = [r for r in res.reps if r.number in numbers]
    best = max((r.metrics.mean_concentric_velocity for r in used), default=None)
    rows = []
    for r in res.reps:
        m = r.metrics
        loss = None
        if best and any(r is u for u in used):
            loss = 100.0 * (best - m.mean_concentric_velocity) / best
        rows.append({"rep": r.number, "status": r.status,
                     "mcv": _num(m.mean_concentric_velocity),
                     "peak_velocity": _num(m.peak_concentric_velocity), "rom": _num(m.rom),
                     "tempo": r.tempo_notation, "velocity_loss_pct": _num(loss)})

    def mean(values: list[float]) -> float | None:
        vals = [v for v in values if v is not None and math.isfinite(v)]
        return sum(vals) / len(vals) if vals else None

    out: dict[str, Any] = {
            "lift": res.lift, "units": res.units, "reps": res.set_metrics.rep_count,
            "mcv": _num(mean([r.metrics.mean_concentric_velocity for r in used])),
            "rom": _num(mean([r.metrics.rom for r in used])),
            "velocity_loss_pct": _num(vl.best_last_pct),
            "warnings": list(notes or []) + list(res.warnings), "rep_rows": rows}
    wl = res.weightlifting
    if wl is not None:
        # attempts instead of reps: the rep reading of a clean (a 7 s "concentric") and
        # its generic lift profile ("deadlift") say nothing about the lift
        out.update(lift=wl.lift, units="m", reps=None, mcv=None, rom=None,
                   velocity_loss_pct=None, rep_rows=[])
        out["attempts"] = len(wl.attempts)
        out["attempt_rows"] = [
            {"attempt": a.number, "result": "missed" if a.missed else "made",
             "peak_velocity": _num(a.peak_velocity_m_s), "peak_height": _num(a.peak_height_m),
             "catch_height": _num(a.catch_height_m)} for a in wl.attempts]
        out["warnings"] += [w for w in wl.warnings if w not in out["warnings"]]
    return out


def _num(v: float | None) -> float | None:
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None
