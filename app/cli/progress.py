"""``liftlens progress``: a lifter's load-velocity profile, e1RM and trend table.

    liftlens progress --lifter NAME --exercise EX [--mvt V] [--units kg|lb]
                      [--csv OUT] [--library FILE]

Reads the session library (the app's, or ``--library``), measures every set with the
same analysis as the app, fits velocity against load (best counted rep of each set:
flagged and partial reps are left out, as the app leaves them out,
``analysis.lift.counted``) and reads
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


def matched_header(sets: list, lifter: str, exercise: str) -> str:
    """The lifter and exercise the sets were matched to, as the sessions write them ("Anna
    Test, back squat"), and what was typed when it differs ("(for --lifter “anna test”
    --exercise “squat”)"): the match ignores case and finds "back squat" for "squat", and
    echoing the typed words hid which sessions were read."""
    def names(values: list[str]) -> str:
        return " / ".join(dict.fromkeys(v for v in values if v)) or "—"

    who, what = names([s.lifter for s in sets]), names([s.exercise for s in sets])
    typed = [f"--{flag} “{v}”" for flag, v, got in (("lifter", lifter, who),
                                                   ("exercise", exercise, what)) if v != got]
    return f"{who}, {what}" + (f" (for {' '.join(typed)})" if typed else "")


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
    from analysis.progress.profile import DEFAULT_MVT
    from analysis.progress.summary import summarize
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
    print(f"{matched_header(sets, args.lifter, args.exercise)}: {len(sets)} set(s) in "
          f"{len({s.session_id for s in sets})} session(s)")
    lift = lift_for(args.exercise)
    mvt = args.mvt if args.mvt is not None else DEFAULT_MVT.get(lift, 0.3)
    summary = summarize(sets, args.lifter, args.exercise, mvt)

    def f(v: float | None, fmt: str) -> str:
        """``v`` formatted, or "-" padded to the same width (the columns stay aligned)."""
        width = int(fmt.split(".")[0] or 0)
        return format(v, fmt) if v is not None else "-".rjust(width)

    def load(s) -> str:
        return f(s.load_kg * k if s.load_kg is not None else None, '10.1f')

    def note(s) -> str:
        """The set's warnings and the reps its numbers leave out (analysis.lift.counted)."""
        said = list(s.warnings) + ([s.left_out_note()] if s.left_out_note() else [])
        return "  (" + "; ".join(said) + ")" if said else ""

    if summary.weightlifting:  # a snatch, clean or jerk: attempts, peak velocity and height
        print(f"{'date':<11}{'set':>4}{'load ' + u:>10}{'tries':>6}{'made':>6}"
              f"{'peak v':>8}{'peak cm':>9}")
        for s in sets:
            made = sum(a.made for a in s.attempts)
            peak = s.best_peak_height
            print(f"{s.date:<11}{s.set_number:>4}{load(s)}"
                  f"{len(s.attempts) if s.measured else '-':>6}{made if s.measured else '-':>6}"
                  f"{f(s.best_velocity, '8.2f')}{f(peak * 100 if peak else None, '9.1f')}"
                  + note(s))
    else:
        tempo = any(s.prescribed_tempo for s in sets)
        print(f"{'date':<11}{'set':>4}{'load ' + u:>10}{'reps':>6}{'best MCV':>10}"
              f"{'mean MCV':>10}{'VL %':>7}{'ROM cm':>8}" + (f"{'tempo %':>9}" if tempo else ""))
        for s in sets:
            print(f"{s.date:<11}{s.set_number:>4}{load(s)}"
                  f"{len(s.reps) if s.measured else '-':>6}{f(s.best_mcv, '10.2f')}"
                  f"{f(s.mean_mcv, '10.2f')}{f(s.velocity_loss_pct, '7.1f')}"
                  f"{f(s.mean_rom * 100 if s.mean_rom is not None else None, '8.1f')}"
                  + (f"{f(s.tempo_compliance_pct, '9.0f')}" if tempo else "") + note(s))
    if not summary.weightlifting and any(s.tempo_compliance_pct is not None for s in sets):
        print("tempo %: share of each set's counted reps on its prescribed tempo (± 0.5 s a "
              "phase; X = driven up without a stop, however long it takes)")
    if summary.unmeasured:
        print(f"{summary.unmeasured} of {len(sets)} set(s) not measured (not tracked, not "
              "calibrated, or no counted rep): left out of the profile")
    if summary.unloaded:
        print(f"{summary.unloaded} measured set(s) without a load: left out of the profile "
              "(enter the load in the session's Details)")
    prof, est = summary.profile, summary.e1rm
    if prof is not None:
        what = "best made attempt's peak velocity" if summary.weightlifting else \
            "best counted rep of each set"
        print(f"load-velocity profile ({what}): v = {prof.intercept:.3f} "
              f"{prof.slope / k:+.5f} x load({u})  (r² {prof.r2:.3f}, {prof.n} sets)")
    if est is not None and est.low_kg == est.low_kg:  # not NaN
        print(f"estimated 1RM at {mvt:.2f} m/s: {est.e1rm_kg * k:.1f} {u} "
              f"(95 % interval {est.low_kg * k:.1f} - {est.high_kg * k:.1f} {u})")
    elif est is not None:
        print(f"estimated 1RM at {mvt:.2f} m/s: {est.e1rm_kg * k:.1f} {u} ({est.note})")
    else:
        print(f"no 1RM estimate: {summary.reason}")
    if len([sp for sp in summary.sessions if sp.points]) > 1 and not summary.weightlifting:
        print("by session (each session's own profile):")
        for sp in summary.sessions:
            if not sp.points:
                continue
            if sp.e1rm is not None:
                print(f"  {sp.date}  e1RM {sp.e1rm.e1rm_kg * k:.1f} {u}")
            else:
                print(f"  {sp.date}  no estimate: {sp.reason}")
    if args.csv:
        out = Path(args.csv)
        sets_text, reps_text = history_csv(sets)
        out.write_text(sets_text, encoding="utf-8")
        out.with_name(out.stem + "-reps" + out.suffix).write_text(reps_text, encoding="utf-8")
    return 0
