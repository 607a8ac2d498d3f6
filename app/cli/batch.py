"""``liftlens batch``: measure a folder of clips unattended, on this machine or a Dask cluster.

    liftlens batch PATHS... --out DIR [--lift L | --exercise-from-folder] [--plate-mm D]
                   [--jobs N | --dask ADDRESS] [-q] [--library [--manifest CSV]]

Each clip is measured as ``liftlens analyze CLIP --auto [--plate-mm D]`` would
(:func:`analysis.batch.job.run_clip_job`); see :mod:`analysis.batch.run` for the
output folder. Exit code 0 when every clip was measured (and added to the library),
1 when any failed, 2 when the batch could not start (also when no row of ``--manifest``
names any of the clips: every clip would be measured without its label). Manifest rows
naming no clip, and clips without a row, are said before the clips are measured.

Only ``argparse`` is imported at module level (``liftlens --help`` stays fast).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

from app.cli.options import add_analysis_options, analysis_settings

INSTALL_DASK = ("--dask needs Dask distributed, which is not installed; install it with "
                "`pip install 'liftlens[cluster]'` (on this machine and on every worker)")


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "batch", help="measure many clips unattended (several at once, or on a Dask cluster)",
        description="Find the plate, track, calibrate and measure every clip in PATHS (files "
        "or folders, searched recursively) as `liftlens analyze --auto` does. Writes each "
        "clip's JSON and CSV and OUT/summary.csv; clips already measured from the same "
        "file, manifest row and settings are skipped, so an interrupted batch is finished "
        "by running it again, and a clip whose manifest row, file or settings changed is "
        "measured again (and its library set updated when the app is not using it).")
    p.add_argument("paths", nargs="+", metavar="PATH", help="clips or folders of clips")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the results")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--lift", metavar="L",
                       help="lift of every clip: squat, bench, deadlift or press (default: "
                       "from the exercise in --manifest, else squat)")
    which.add_argument("--exercise-from-folder", action="store_true",
                       help="clips are in LIFTER/EXERCISE/ folders: the exercise picks the lift "
                       "and both go to the library")
    p.add_argument("--plate-mm", type=float, metavar="D",
                   help="plate diameter (mm) to calibrate to metres (default: pixels)")
    p.add_argument("--capture-fps", type=float, metavar="F",
                   help="slow motion: frames per real second every clip was filmed at; "
                   "default: what each file says, else real time")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--jobs", type=int, metavar="N",
                       help="clips measured at once on this machine (default: see README)")
    where.add_argument("--dask", metavar="ADDRESS",
                       help="submit to the Dask scheduler at ADDRESS, e.g. tcp://host:8786 "
                       "(needs liftlens[cluster])")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress or messages; only a one-line result when a clip failed")
    p.add_argument("--library", action="store_true",
                   help="add the measured clips to the session library: the clips of one "
                   "lifter, exercise and day are the sets of one session")
    p.add_argument("--manifest", metavar="CSV",
                   help="CSV with columns file (absolute, or relative to the CSV's folder), "
                   "lifter, exercise, date and optionally "
                   "load (120, 120 kg or 265 lb) and seed_frame (the frame to find the "
                   "plate on, from 0: past a title card) for the clips")
    p.add_argument("--library-file", metavar="FILE",
                   help="library to add to (default: the app's library)")
    add_analysis_options(p)


def default_jobs() -> int:
    """Clips measured at once on this machine: one per two cores, at least one.

    Decoding and OpenCV already spread one clip over several threads, and on 2 cores
    ``bench/bench_batch.py`` found 2 workers no faster than 1 (0.91 to 1.27 times the
    wall time of 1 worker in three runs, on a loaded machine) at twice the memory
    (about 0.7 GB per worker on 1080p clips); figures in the README, "Batch".
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, cores // 2)


def run(args: argparse.Namespace) -> int:
    from analysis.batch.run import (BatchError, find_clips, folders_without_clips,
                                    read_manifest_csv)
    from analysis.lift.rep_phases import LIFTS

    def fail(msg: str) -> int:
        print(f"liftlens: {msg}", file=sys.stderr)
        return 2

    if args.lift is not None and args.lift not in LIFTS:
        return fail(f"--lift must be one of {', '.join(LIFTS)}, not {args.lift!r}")
    if args.plate_mm is not None and not 50 <= args.plate_mm <= 1000:
        return fail("--plate-mm must be a plate diameter in millimetres (e.g. 450)")
    if args.capture_fps is not None and not 1 <= args.capture_fps <= 10000:
        return fail("--capture-fps must be the frames per second the clips were filmed at")
    if args.jobs is not None and args.jobs < 1:
        return fail("--jobs must be 1 or more")
    try:
        settings = analysis_settings(args)
        labels = read_manifest_csv(args.manifest) if args.manifest else None
    except (ValueError, BatchError) as exc:
        return fail(str(exc))
    clips = find_clips(args.paths)
    if not clips:
        return fail("no video files were found in " + ", ".join(args.paths))
    for folder in folders_without_clips(args.paths):  # a folder adds no row: say so
        print(f"liftlens: {folder}: no video files in this folder (left out)",
              file=sys.stderr)
    if labels is not None:
        from analysis.batch.labels import match_manifest, no_row_matches, row_warnings

        match = match_manifest(clips, labels)
        if not match.rows:  # every clip would be measured with no label, a squat
            return fail(no_row_matches(match, clips))
        for line in row_warnings(match, clips, args.lift, args.exercise_from_folder):
            print(f"liftlens: {line}", file=sys.stderr)

    if args.dask:
        try:
            import distributed
        except ImportError:
            return fail(INSTALL_DASK)
        try:
            client = distributed.Client(args.dask, timeout="20s")
        except (OSError, TimeoutError, ValueError) as exc:
            return fail(f"the Dask scheduler at {args.dask} cannot be reached ({exc})")
        def threads() -> int:  # one clip per worker thread, as workers join and leave
            return sum(client.nthreads().values())

        jobs: Any = threads
        executor: Any = lambda: client.get_executor(pure=False)
        where = f"Dask at {args.dask} ({threads()} worker thread(s) now)"
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from analysis.batch.job import worker_init

        client = None
        jobs = args.jobs or default_jobs()
        ctx = multiprocessing.get_context("spawn" if sys.platform != "linux" else "forkserver")
        executor = lambda: ProcessPoolExecutor(jobs, mp_context=ctx, initializer=worker_init)
        where = f"{jobs} process(es) on this machine"

    library = None
    if args.library:
        from analysis.batch.library import LibraryWriter, default_library_path

        library = LibraryWriter(args.library_file or default_library_path())
    try:
        return _run(args, clips, settings, labels, jobs, executor, where, library)
    except BatchError as exc:
        return fail(str(exc))
    finally:
        if library is not None:
            library.close()
        if client is not None:
            client.close()


def _run(args: argparse.Namespace, clips: list[Any], settings: Any, labels: Any, jobs: int,
         executor: Any, where: str, library: Any) -> int:
    from tqdm import tqdm

    from analysis.batch.run import run_batch

    quiet = args.quiet
    bar: Any = None
    started = time.perf_counter()

    def on_start(total: int, done: int) -> None:
        nonlocal bar
        if not quiet:
            print(f"liftlens: {total} clip(s), {done} already measured; {where}",
                  file=sys.stderr)
        bar = tqdm(total=total, initial=done, unit="clip", disable=quiet, file=sys.stderr,
                   dynamic_ncols=True, smoothing=0.1)

    def on_clip(rep: Any) -> None:
        if bar is None:
            return
        bar.set_postfix_str(f"{rep.clip.name} {rep.seconds:.1f} s", refresh=False)
        bar.update(1)
        if not quiet and rep.status == "failed":
            bar.write(f"  {rep.clip.name}: {rep.reason} ({rep.message})", file=sys.stderr)
        elif not quiet and rep.library_error:
            bar.write(f"  {rep.clip.name}: not added to the library ({rep.library_error})",
                      file=sys.stderr)
        if not quiet and rep.status != "failed" and rep.changes:
            bar.write(f"  {rep.clip.name}: {'; '.join(rep.changes)}, analysed again",
                      file=sys.stderr)
        if not quiet and rep.library_note:
            bar.write(f"  {rep.clip.name}: {rep.library_note}", file=sys.stderr)

    try:
        report = run_batch(clips, args.out, executor=executor, jobs=jobs, lift=args.lift,
                           plate_mm=args.plate_mm, settings=settings,
                           capture_fps=args.capture_fps, labels=labels,
                           exercise_from_folder=args.exercise_from_folder, library=library,
                           on_start=on_start, on_clip=on_clip)
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
        print("\nliftlens: interrupted; the clips finished so far are kept, run the same "
              "command again to measure the rest", file=sys.stderr)
        return 130
    finally:
        if bar is not None:
            bar.close()
    failed = report.failed
    from analysis.batch.inputs import run_sentence

    if not quiet:
        for rep in report.clips:  # finished before: not given to on_clip
            if rep.status == "skipped" and rep.library_note:
                print(f"  {rep.clip.name}: {rep.library_note}", file=sys.stderr)
        added = "" if library is None else f"; {library.added} added to the library" + (
            f", {library.updated} updated there" if library.updated else "")
        print(f"liftlens: {run_sentence(report.clips)}{added} in "
              f"{time.perf_counter() - started:.0f} s -> {report.summary_path}",
              file=sys.stderr)
    elif failed:
        # -q silences the progress, not a failure: exit code 1 alone said nothing of which
        # clips or where to look (a script's log showed an empty line)
        print(f"liftlens: {run_sentence(report.clips)} (see {report.summary_path})",
              file=sys.stderr)
    return 1 if failed else 0
