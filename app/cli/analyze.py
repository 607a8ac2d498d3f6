"""``liftlens analyze``: track the bar (or read a track) and measure reps into JSON/CSV.

    liftlens analyze VIDEO (--seed X,Y [--seed-frame N] | --auto) [--plate-mm D | --m-per-px S]
    liftlens analyze --track-csv FILE [--m-per-px S | --units px|m|cm|mm] [--fps F]
    common: [--lift squat|bench|deadlift|press] [--json OUT] [--csv OUT] [--tempo 3-1-X-0]
            [--overrides FILE] [--cutoff-hz F] [--hold-min S] [--loss-threshold P]

Both paths end in :func:`analysis.lift.result.analyze_track`, as in the app.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from analysis.lift.result import AnalysisResult, AnalysisSettings, analyze_track
from analysis.lift.kinematics import KinematicsSettings
from analysis.lift.rep_phases import LIFTS, RepSettings
from analysis.io.track_csv import TrackFileError, read_track_csv, write_track_csv


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
                   help="frame of --seed (default 0)")
    p.add_argument("--auto", action="store_true", help="find the plate automatically")
    p.add_argument("--plate-mm", type=float, metavar="D", help="plate diameter (mm) to calibrate")
    p.add_argument("--m-per-px", type=float, metavar="S", help="scale in metres per pixel")
    p.add_argument("--units", choices=("px", "m", "cm", "mm"),
                   help="units of the CSV's x/y columns (default: from its header)")
    p.add_argument("--fps", type=float, help="frame rate for a CSV with frames but no times")
    p.add_argument("--lift", choices=LIFTS, default="squat",
                   help="squat/bench start with the eccentric, deadlift/press with the concentric")
    p.add_argument("--tempo", metavar="E-B-C-T", help="prescribed tempo to check, e.g. 3-1-X-0")
    p.add_argument("--overrides", metavar="FILE", help="JSON with rep corrections")
    p.add_argument("--cutoff-hz", type=float, help="low-pass cut-off (default: residual analysis)")
    p.add_argument("--hold-min", type=float, default=1.0, metavar="S",
                   help="shortest isometric hold in seconds (default 1.0)")
    p.add_argument("--loss-threshold", type=float, default=20.0, metavar="P",
                   help="flag a velocity loss above P %% (default 20)")
    p.add_argument("--json", metavar="OUT", help="write the full result as JSON ('-' = stdout)")
    p.add_argument("--csv", metavar="OUT", help="write the per-frame track as a LiftLens CSV")


def run(args: argparse.Namespace) -> int:
    try:
        result = _analyze(args)
        _write(args, result)
    except _Fail as exc:
        print(f"liftlens: {exc}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as exc:
        print(f"liftlens: {exc}", file=sys.stderr)
        return 2
    if args.json != "-":
        print(_summary(result))
    return 0


def _settings(args: argparse.Namespace) -> AnalysisSettings:
    try:
        return AnalysisSettings(kinematics=KinematicsSettings(cutoff_hz=args.cutoff_hz),
                                reps=RepSettings(hold_min_s=args.hold_min),
                                velocity_loss_threshold_pct=args.loss_threshold,
                                prescribed_tempo=args.tempo)
    except ValueError as exc:
        raise _Fail(str(exc)) from None


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
    settings, overrides = _settings(args), _overrides(args)
    if args.track_csv:
        if args.units and args.m_per_px:
            raise _Fail("give --m-per-px (for a track in px) or --units, not both")
        try:
            td = read_track_csv(args.track_csv, units=args.units, fps=args.fps)
        except TrackFileError as exc:
            raise _Fail(str(exc)) from None
        if td.units == "m":
            if args.m_per_px:
                raise _Fail("the track file is already in metres: leave out --m-per-px")
            scale, source = 1.0, "file in metres"
        elif args.m_per_px:
            scale, source = args.m_per_px, "argument"
        else:
            scale, source = td.m_per_px, "file" if td.m_per_px else "none"
        calib = {"source": source, "track_units": td.units}
        res = analyze_track(td.t, td.x, td.y, m_per_px=scale, lift=args.lift, settings=settings,
                            overrides=overrides, confidence=td.confidence, state=td.state,
                            frame=td.frame, calibration=calib)
        res.warnings[:0] = td.warnings
        return res
    return _analyze_video(args, settings, overrides)


def _analyze_video(args: argparse.Namespace, settings: AnalysisSettings,
                   overrides: dict[str, Any] | None) -> AnalysisResult:
    if args.auto == (args.seed is not None):
        raise _Fail("give --seed X,Y (the bar position to follow) or --auto")
    import cv2

    from analysis.calibration.scale import detect_plate, measure_plate
    from analysis.tracking import BarTracker
    from analysis.video import VideoError, VideoSource

    try:
        source = VideoSource(args.video)
    except VideoError as exc:
        raise _Fail(str(exc)) from None
    try:
        n = source.index.frame_count
        if not 0 <= args.seed_frame < n:
            raise _Fail(f"--seed-frame must be between 0 and {n - 1}")
        if args.auto:
            gray = cv2.cvtColor(source.read(args.seed_frame).image, cv2.COLOR_BGR2GRAY)
            found = detect_plate(gray)
            if found is None:
                raise _Fail("no plate was found in that frame (is it filmed from the side?); "
                            "give --seed X,Y with the bar end or plate centre")
            sx, sy = found[0], found[1]
        else:
            try:
                sx, sy = (float(v) for v in args.seed.split(","))
            except ValueError:
                raise _Fail(f"--seed must be X,Y in pixels, not {args.seed!r}") from None
        track = BarTracker().track(source, args.seed_frame, (sx, sy))
        m_per_px, calibration = args.m_per_px, {"source": "argument" if args.m_per_px else "none"}
        if args.plate_mm is not None:
            ok = np.flatnonzero(np.isfinite(track.x))
            centres = {int(i): (float(track.x[i]), float(track.y[i])) for i in ok}
            try:
                cal = measure_plate(source, centres, plate_mm=args.plate_mm)
            except ValueError as exc:
                raise _Fail(str(exc)) from None
            m_per_px = cal.m_per_px
            calibration = {k: v for k, v in cal.to_dict().items() if k != "m_per_px"}
            if cal.warning:
                print(f"liftlens: warning: {cal.warning}", file=sys.stderr)
    except VideoError as exc:
        raise _Fail(str(exc)) from None
    finally:
        source.close()
    return analyze_track(track.t, track.x, track.y, m_per_px=m_per_px, lift=args.lift,
                         settings=settings, overrides=overrides, confidence=track.confidence,
                         state=track.state, calibration=calibration)


def _write(args: argparse.Namespace, res: AnalysisResult) -> None:
    if args.json:
        text = json.dumps(res.to_dict(), indent=1, allow_nan=False)
        if args.json == "-":
            sys.stdout.write(text + "\n")
        else:
            Path(args.json).write_text(text + "\n", encoding="utf-8")
    if args.csv:
        write_track_csv(args.csv, res.frame, res.kinematics.t, res.x_px, res.y_px,
                        res.confidence, res.state,
                        m_per_px=res.m_per_px if res.calibration.get("track_units") != "m"
                        else None)


def _summary(res: AnalysisResult) -> str:
    u = res.units
    lines = [f"{res.lift}: {res.set_metrics.rep_count} rep(s), units {u}"]
    for r in res.reps:
        m = r.metrics
        rom = f"{m.rom * 100:.1f} cm" if u == "m" else f"{m.rom:.0f} px"
        lines.append(f"  rep {r.number} [{r.status}] tempo {r.tempo_text} ({r.tempo_notation}) "
                     f"ROM {rom} mean v {m.mean_concentric_velocity:.2f} {u}/s "
                     f"peak v {m.peak_concentric_velocity:.2f} {u}/s")
    vl = res.set_metrics.velocity_loss
    if vl.first_last_pct is not None and vl.best_last_pct is not None:
        lines.append(f"  velocity loss first->last {vl.first_last_pct:.1f} %, best->last "
                     f"{vl.best_last_pct:.1f} %" + ("  ** above threshold **" if vl.flagged
                                                     else ""))
    lines += [f"  warning: {w}" for w in res.warnings]
    return "\n".join(lines)

