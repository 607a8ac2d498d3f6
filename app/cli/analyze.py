"""``liftlens analyze``: track the bar (or read a track) and measure reps into JSON/CSV.

    liftlens analyze VIDEO (--seed X,Y [--seed-frame N] | --auto) [--plate-mm D | --m-per-px S]
                          [--target auto|plate|bar_end|point] [--no-camera-compensation]
    liftlens analyze --track-csv FILE [--m-per-px S | --units px|m|cm|mm|in|ft|yd] [--fps F]
    slow motion: [--capture-fps F] (default: the rate the video file declares)
    common: [--lift squat|bench|deadlift|press] [--json OUT] [--csv OUT] [--tempo 3-1-X-0]
            [--overrides FILE] [--cutoff-hz F] [--hold-min S] [--loss-threshold P]

Both paths end in :func:`analysis.lift.result.analyze_track`, as in the app.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.options import add_analysis_options, analysis_settings

if TYPE_CHECKING:  # loaded once a clip is open, while its first frames decode (_analyze_video)
    from analysis.lift.result import AnalysisResult


#: ``analysis.lift.rep_phases.LIFTS`` and ``analysis.lift.weightlifting.WEIGHTLIFTING_LIFTS``
#: (a test keeps them equal), written out so that the parser loads no NumPy: ``liftlens
#: analyze --help`` answers at once, and a run opens its clip (and starts decoding it)
#: before the analysis code loads.
LIFTS = ("squat", "bench", "deadlift", "press")
WEIGHTLIFTING_LIFTS = ("snatch", "clean", "jerk", "clean_and_jerk")


class _Fail(Exception):
    """A plain-language reason to stop with exit code 2."""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("analyze", help="track the bar, find reps, print or save the numbers",
                       description="Measure reps, phases, tempo and velocity of a set, from a "
                       "video (tracking the bar) or from a bar-path CSV.")
    p.add_argument("video", nargs="?", help="the video file (or use --track-csv)")
    p.add_argument("--track-csv", metavar="FILE", help="read the bar path from a CSV instead")
    p.add_argument("--seed", metavar="X,Y", help="bar position (px, displayed image) to track")
    p.add_argument("--seed-frame", type=int, default=0, metavar="N",
                   help="frame of --seed, counted from 0 as in the CSV files (default 0; "
                   "the app counts from 1: its frame 146 is --seed-frame 145)")
    p.add_argument("--auto", action="store_true", help="find the plate automatically")
    p.add_argument("--target", choices=("auto", "plate", "bar_end", "point"), default="auto",
                   help="what --seed marks: the plate centre (followed as the centre of its "
                   "rim), the bar end, or a marker / any point; auto (default): the plate "
                   "centre for a click near a plate's centre, else the bar end or the point")
    p.add_argument("--no-camera-compensation", dest="camera", action="store_false",
                   help="measure the bar path in the picture even when the camera moved "
                   "(default: the camera's own motion, seen on the background, is taken out)")
    p.add_argument("--plate-mm", type=float, metavar="D", help="plate diameter (mm) to calibrate")
    p.add_argument("--m-per-px", type=float, metavar="S", help="scale in metres per pixel (for a track file that "
                   "records its own scale, this one is used and a warning says how far "
                   "they differ)")
    p.add_argument("--units", choices=("px", "m", "cm", "mm", "in", "ft", "yd"),
                   help="units of the CSV's x/y columns (default: from its header)")
    p.add_argument("--fps", type=float, help="frame rate for a CSV with frames but no times")
    p.add_argument("--capture-fps", type=float, metavar="F",
                   help="slow motion: frames per real second the clip was filmed at (e.g. 120 "
                   "for a clip played at 30); default: what the video file says, else real "
                   "time. Every time and velocity is then in real time")
    p.add_argument("--lift", choices=LIFTS + WEIGHTLIFTING_LIFTS, default=None,
                   help="squat/bench start with the eccentric, deadlift/press with the "
                   "concentric (default: found from the motion and reported); snatch, clean, jerk and clean_and_jerk give the pull's phases, "
                   "heights and bar-path loop per attempt")
    p.add_argument("--lifter-faces", choices=("left", "right"),
                   help="weightlifting: which way the lifter faces in the picture (default: "
                   "from the bar's motion)")
    p.add_argument("--overrides", metavar="FILE", help="JSON with rep corrections")
    add_analysis_options(p)
    p.add_argument("--json", metavar="OUT", help="write the full result as JSON ('-' = stdout)")
    p.add_argument("--csv", metavar="OUT", help="write the per-frame track as a LiftLens CSV")


def run(args: argparse.Namespace) -> int:
    if args.lift in WEIGHTLIFTING_LIFTS:
        return _stopping_plainly(lambda: _run_weightlifting(args))
    return _stopping_plainly(lambda: _run_lift(args))


def _stopping_plainly(work: Callable[[], int]) -> int:
    """``work()``'s exit code; when it stops on something the user can fix (a :class:`_Fail`,
    a bad value, a file that cannot be read or written), one plain line and exit code 2."""
    try:
        return work()
    except (_Fail, ValueError, OSError) as exc:
        print(f"liftlens: {exc}", file=sys.stderr)
        return 2


def _run_lift(args: argparse.Namespace) -> int:
    result = _analyze(args)
    _write(args, result)
    if args.json != "-":
        print(_summary(result, getattr(args, "tracking", None)))
    return 0


def _overrides(args: argparse.Namespace) -> dict[str, Any] | None:
    if not args.overrides:
        return None
    try:
        data = json.loads(Path(args.overrides).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _Fail(f"the corrections file {args.overrides} does not exist") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise _Fail(f"the corrections file {args.overrides} cannot be read ({exc})") from None
    return data if isinstance(data, dict) else {"reps": data}


def _analyze(args: argparse.Namespace) -> AnalysisResult:
    if (args.video is None) == (args.track_csv is None):
        raise _Fail("give either a VIDEO or --track-csv FILE")
    if args.m_per_px is not None and not args.m_per_px > 0:
        raise _Fail("--m-per-px must be a positive number of metres per pixel")
    if not args.track_csv:
        return _analyze_video(args)
    from analysis.io.track_csv import TrackFileError, read_track_csv
    from analysis.lift.result import analyze_track
    from analysis.video.capture import TimeScale

    settings, overrides = analysis_settings(args), _overrides(args)
    if args.units and args.m_per_px:
        raise _Fail("give --m-per-px (for a track in px) or --units, not both")
    try:
        # a scale given wins over the file's own, with a warning (read_track_csv)
        td = read_track_csv(args.track_csv, units=args.units, fps=args.fps,
                            m_per_px=args.m_per_px)
    except TrackFileError as exc:
        raise _Fail(str(exc)) from None
    scale = td.m_per_px
    source = ("file in metres" if td.units == "m" else "argument" if args.m_per_px
              else "file" if scale else "none")
    calib: dict[str, Any] = {"source": source, "track_units": td.units}
    if source == "file" and td.scale_sd_pct is not None:
        calib["scale_sd_pct"] = td.scale_sd_pct  # a plate measured in the clip, as written
    try:
        ts = TimeScale.for_times(td.t, args.capture_fps)
    except ValueError as exc:
        raise _Fail(f"--capture-fps: {exc}") from None
    if ts.retimed:
        calib["time"] = ts.to_dict()
    res = analyze_track(ts.real(td.t), td.x, td.y, m_per_px=scale, lift=args.lift, settings=settings,
                        overrides=overrides, confidence=td.confidence, state=td.state,
                        frame=td.frame, calibration=calib)
    res.warnings[:0] = td.warnings
    return res


def _analyze_video(args: argparse.Namespace) -> AnalysisResult:
    """Open the clip first, so that with ``--seed`` its decoding starts while the settings
    and the tracking and analysis code load (:func:`analysis.batch.clip.open_clip`)."""
    if args.auto == (args.seed is not None):
        raise _Fail("give --seed X,Y (the bar position to follow) or --auto")
    from analysis.batch.clip import ClipError, analyze_video, open_clip

    seed = None
    if not args.auto:
        try:
            sx, sy = (float(v) for v in args.seed.split(","))
        except ValueError:
            raise _Fail(f"--seed must be X,Y in pixels, not {args.seed!r}") from None
        seed = (sx, sy)
    try:
        source = open_clip(args.video, args.seed_frame)
    except ClipError as exc:
        raise _Fail(str(exc)) from None
    try:
        settings, overrides = analysis_settings(args), _overrides(args)
    except BaseException:
        source.close()
        raise
    try:
        done = analyze_video(source, lift=args.lift, settings=settings, overrides=overrides,
                             plate_mm=args.plate_mm, m_per_px=args.m_per_px, seed=seed,
                             seed_frame=args.seed_frame, capture_fps=args.capture_fps,
                             target=args.target, camera=args.camera)
    except ClipError as exc:
        raise _Fail(str(exc)) from None
    for note in done.notes:
        print(f"liftlens: warning: {note}", file=sys.stderr)
    args.tracking = done.tracking
    return done.result


def _write(args: argparse.Namespace, res: AnalysisResult) -> None:
    from analysis.batch.clip import result_json

    if args.json:
        _save(args.json, result_json(res, getattr(args, "tracking", None)))
    _save_track(args.csv, res)


def _save_track(out: str | None, res: AnalysisResult) -> None:
    """The per-frame track as a LiftLens CSV in ``out`` (nothing when ``out`` is None)."""
    from analysis.batch.clip import track_csv

    if out:
        Path(out).write_text(track_csv(res), encoding="utf-8", newline="\n")


def _save(out: str, text: str) -> None:
    """Write ``text`` to the file ``out``, or to stdout when ``out`` is '-'."""
    if out == "-":
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")


def _summary(res: AnalysisResult, tracking: dict[str, Any] | None = None) -> str:
    u = res.units
    how = "" if res.direction_source == "lift" else f" (from the {res.direction_source})"
    name = res.lift if res.lift_chosen else "no exercise given"  # not a lift nobody named
    lines = [f"{name}: {res.set_metrics.rep_count} rep(s), units {u}, "
             f"{res.direction.replace('_', ' ')}{how}"]
    timing = res.calibration.get("time") or {}
    if timing.get("time_scale", 1.0) != 1.0:
        lines.append(f"  slow motion: {timing['description']}; times, tempo and velocities "
                     "are real time")
    if tracking:
        lines.append(f"  tracked: the {tracking['target_name']}"
                     + (" (camera motion taken out)" if tracking.get("camera_compensated")
                        else ""))
    for r in res.reps:
        m = r.metrics
        rom = f"{m.rom * 100:.1f} cm" if u == "m" else f"{m.rom:.0f} px"
        # how far the tracking noise may move the MCV (one SD, docs/analysis-format.md)
        sd = m.mean_concentric_velocity_sd
        pm = "" if sd is None else f" ± {sd:.2f}"
        lines.append(f"  rep {r.number} [{r.status}] tempo {r.tempo_text} ({r.tempo_notation}) "
                     f"ROM {rom} mean v {m.mean_concentric_velocity:.2f}{pm} {u}/s "
                     + (f"MPV {m.mean_propulsive_velocity:.2f} {u}/s "
                        if m.mean_propulsive_velocity is not None else "")
                     + f"peak v {m.peak_concentric_velocity:.2f} {u}/s"
                     + (f" hold {sum(h.duration for h in r.holds):.1f} s" if r.holds else "")
                     + (f" FLAGGED: {'; '.join(r.flags)}" if r.flags else ""))
        if res.prescribed_tempo:
            lines.append("    " + _tempo_line(r, res.prescribed_tempo,
                                              res.set_metrics.counted))
    sm = res.set_metrics
    note = sm.counted.note()  # which reps the set's numbers leave out: analysis.lift.counted
    if sm.best_mcv is not None and sm.fastest_rep is not None:
        mean = f", mean MCV {sm.mean_mcv:.2f} {u}/s" if sm.mean_mcv is not None else ""
        lines.append(f"  best MCV {sm.best_mcv:.2f} {u}/s (rep {sm.fastest_rep}){mean}"
                     + (f" ({note})" if note else ""))
    elif note:
        lines.append(f"  {note}")
    loss = sm.loss_text(decimals=1)
    if loss:
        lines.append(f"  velocity loss {loss}"
                     + ("  ** above threshold **" if sm.velocity_loss.flagged else ""))
    if res.prescribed_tempo:  # the panel's words (widgets.panel_data)
        from analysis.lift.result import tempo_compliance_text

        lines.append(f"  prescribed tempo {res.prescribed_tempo}: "
                     f"{tempo_compliance_text(res.reps)} (± {TEMPO_RULE})")
    lines += [f"  warning: {w}" for w in res.warnings]
    return "\n".join(lines)


#: How a phase is checked against the prescribed tempo (as the panel's tooltip says it,
#: :func:`analysis.lift.rep_metrics.check_tempo`)
TEMPO_RULE = "0.5 s a phase; X = driven up without a stop, however long it takes"


def _tempo_line(r: Any, prescribed: str, counted: Any) -> str:
    """A rep against the prescribed tempo, in the words of the panel's tempo cell: "on the
    prescribed 3-1-X-0", "off the prescribed 3-1-X-0: eccentric 1.4 s, wanted 3 s; …";
    a rep the count leaves out says so, a partial rep is not judged."""
    from analysis.lift.rep_metrics import tempo_misses

    if r.tempo_check is None or r.status != "valid":
        return f"not judged against the prescribed {prescribed} ({r.status} rep)"
    missed = tempo_misses(r.tempo, r.tempo_check, prescribed, r.holds)
    text = (f"off the prescribed {prescribed}: " + "; ".join(missed) if missed
            else f"on the prescribed {prescribed}")
    why = dict(counted.left_out).get(r.number)
    return text + (f" (left out of the count: {why})" if why else "")


def _run_weightlifting(args: argparse.Namespace) -> int:
    """The snatch, clean and jerk: the same track and scale, then the pull's phases, measured
    as the app measures them (:func:`analysis.lift.attempts.add_attempts`: lost frames
    left out, heights above the floor)."""
    from analysis.lift.attempts import add_attempts
    from analysis.lift.exercises import WeightliftingProfile

    lift = args.lift
    args.lift = "deadlift"          # the track and calibration do not depend on the lift
    res = _analyze(args)
    if res.units != "m" or not res.m_per_px:
        raise _Fail("weightlifting measures are in metres: calibrate with --plate-mm D "
                    "(or --m-per-px S), or give a track file in metres")
    add_attempts(res, WeightliftingProfile(lift), lifter_faces=args.lifter_faces)
    wl = res.weightlifting
    if wl is None:
        raise _Fail(next((w for w in res.warnings if "attempts" in w),
                         "the attempts could not be measured"))
    if args.json:
        from analysis.batch.clip import weightlifting_json

        _save(args.json, weightlifting_json(res, getattr(args, "tracking", None)))
    _save_track(args.csv, res)
    if args.json != "-":
        print(_wl_summary(wl))
    return 0


def _wl_summary(wl: Any) -> str:
    n = len(wl.attempts)
    lines = [f"{wl.lift}: {n} attempt{'' if n == 1 else 's'}, lifter faces {wl.lifter_faces or '?'}"]
    for a in wl.attempts:
        head = f"  attempt {a.number}{' MISSED' if a.missed else ''}: "
        lines.append(head + f"peak height {a.peak_height_m * 100:.0f} cm (rise "
                     f"{a.peak_rise_m * 100:.0f} cm), catch {a.catch_height_m * 100:.0f} cm, "
                     f"drop {a.drop_m * 100:.1f} cm, peak velocity {a.peak_velocity_m_s:.2f} m/s")
        if a.x1_m is not None:
            from analysis.lift.attempts import cm_text

            lines.append(f"    bar path: x1 {cm_text(a.x1_m, True)} cm, x2 {cm_text(a.x2_m, True)}"
                         f" cm, x3 {cm_text(a.x3_m, True)} cm, net {cm_text(a.net_x_m, True)} cm,"
                         f" type {a.trajectory_type}")
        lines.append("    " + ", ".join(f"{p.name} {p.duration_s:.2f} s" for p in a.phases))
        lines += [f"    warning: {w}" for w in a.warnings]
    lines += [f"  warning: {w}" for w in wl.warnings]
    return "\n".join(lines)
