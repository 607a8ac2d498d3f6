"""``liftlens progress``: a lifter's load-velocity profile, e1RM and trend table.

    liftlens progress --lifter NAME --exercise EX [--mvt V] [--units kg|lb]
                      [--csv OUT] [--library FILE]

Reads the session library (the app's, or ``--library``), measures every set with the
same analysis as the app, fits velocity against load (best rep of each set) and reads
the 1RM at the lift's minimal velocity threshold (``analysis.progress.profile``).
``--csv OUT`` writes ``OUT`` (one row per set) and ``OUT`` with ``-reps`` before the
suffix (one row per rep); columns in docs/analysis-format.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path



def plain_exit(message: str) -> int:
    """Print a plain reason and return the command line's error code."""
    print(f"liftlens: {message}", file=sys.stderr)
    return 2


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("progress", help="load-velocity profile, e1RM and trends of a lifter",
                       description="A lifter's progress in one exercise across the sessions "
                       "in the library: the load-velocity profile, the estimated 1RM with its "
                       "95 % interval, and a table of every set.")
    p.add_argument("--lifter", required=True, help="the lifter's name as in the sessions")
    p.add_argument("--exercise", required=True, help="the exercise (e.g. 'back squat')")
    p.add_argument("--mvt", type=float, metavar="V",
                   help="minimal velocity threshold (m/s) for the 1RM (default by lift: "
                   "squat 0.30, bench 0.17, deadlift 0.15, press 0.19)")
    p.add_argument("--units", choices=("kg", "lb"), default="kg", help="loads shown in")
    p.add_argument("--csv", metavar="OUT", help="write the history (sets, and reps beside it)")
    p.add_argument("--library", metavar="FILE", help="library file (default: the app's)")


def run(args: argparse.Namespace) -> int:
    from analysis.batch.library import default_library_path
    from analysis.lift.exercises import lift_for
    from analysis.progress.history import LB_TO_KG, collect_history, history_csv
    from analysis.progress.profile import DEFAULT_MVT, ProfileError, estimate_1rm, fit_profile
    from analysis.session.store import SessionStore, StorageError

    path = Path(args.library) if args.library else default_library_path()
    if not path.is_file():
        return plain_exit(f"there is no library at {path}")
    try:
        store = SessionStore(path)
    except StorageError as exc:
        return plain_exit(str(exc))
    try:
        sets = collect_history(store, args.lifter, args.exercise)
    finally:
        store.close()
    if not sets:
        return plain_exit(f"no sessions of {args.lifter} doing {args.exercise} in {path}")
    k = 1.0 / LB_TO_KG if args.units == "lb" else 1.0
    u = args.units
    print(f"{args.lifter}, {args.exercise}: {len(sets)} set(s) in "
          f"{len({s.session_id for s in sets})} session(s)")
    tempo = any(s.prescribed_tempo for s in sets)
    print(f"{'date':<11}{'set':>4}{'load ' + u:>10}{'reps':>6}{'best MCV':>10}{'mean MCV':>10}"
          f"{'VL %':>7}{'ROM cm':>8}" + (f"{'tempo %':>9}" if tempo else ""))

    def f(v: float | None, fmt: str) -> str:
        """``v`` formatted, or "-" padded to the same width (the columns stay aligned)."""
        width = int(fmt.split(".")[0] or 0)
        return format(v, fmt) if v is not None else "-".rjust(width)

    for s in sets:
        print(f"{s.date:<11}{s.set_number:>4}"
              f"{f(s.load_kg * k if s.load_kg is not None else None, '10.1f')}"
              f"{len(s.reps) if s.measured else '-':>6}{f(s.best_mcv, '10.2f')}"
              f"{f(s.mean_mcv, '10.2f')}{f(s.velocity_loss_pct, '7.1f')}"
              f"{f(s.mean_rom * 100 if s.mean_rom is not None else None, '8.1f')}"
              + (f"{f(s.tempo_compliance_pct, '9.0f')}" if tempo else "")
              + ("  (" + "; ".join(s.warnings) + ")" if s.warnings else ""))
    unmeasured = [s for s in sets if not s.measured]
    unloaded = [s for s in sets if s.measured and s.load_kg is None]
    if unmeasured:
        print(f"{len(unmeasured)} of {len(sets)} set(s) not measured (not tracked, not "
              "calibrated, or no counted rep): left out of the profile")
    if unloaded:
        print(f"{len(unloaded)} measured set(s) without a load: left out of the profile "
              "(enter the load in the session's Details)")
    points = [(s.load_kg, s.best_mcv) for s in sets if s.load_kg and s.best_mcv]
    lift = lift_for(args.exercise)
    mvt = args.mvt if args.mvt is not None else DEFAULT_MVT.get(lift, 0.3)
    try:
        prof = fit_profile([p[0] for p in points], [p[1] for p in points])
        print(f"load-velocity profile (best rep of each set): v = {prof.intercept:.3f} "
              f"{prof.slope / k:+.5f} x load({u})  (r² {prof.r2:.3f}, {prof.n} sets)")
        est = estimate_1rm(prof, mvt)
        if est.low_kg == est.low_kg:  # not NaN
            print(f"estimated 1RM at {mvt:.2f} m/s: {est.e1rm_kg * k:.1f} {u} "
                  f"(95 % interval {est.low_kg * k:.1f} - {est.high_kg * k:.1f} {u})")
        else:
            print(f"estimated 1RM at {mvt:.2f} m/s: {est.e1rm_kg * k:.1f} {u} ({est.note})")
    except ProfileError as exc:
        print(f"no 1RM estimate: {exc}")
    by_session: dict[str, list[tuple[float, float]]] = {}
    dates: dict[str, str] = {}
    for s in sets:
        if s.load_kg and s.best_mcv:
            by_session.setdefault(s.session_id, []).append((s.load_kg, s.best_mcv))
            dates[s.session_id] = s.date
    if len(by_session) > 1:
        print("by session (each session's own profile):")
        for sid, pts in by_session.items():
            try:
                e = estimate_1rm(fit_profile([p[0] for p in pts], [p[1] for p in pts]), mvt)
                print(f"  {dates[sid]}  e1RM {e.e1rm_kg * k:.1f} {u}")
            except ProfileError as exc:
                print(f"  {dates[sid]}  no estimate: {exc}")
    if args.csv:
        out = Path(args.csv)
        sets_text, reps_text = history_csv(sets)
        out.write_text(sets_text, encoding="utf-8")
        out.with_name(out.stem + "-reps" + out.suffix).write_text(reps_text, encoding="utf-8")
    return 0
