"""``liftlens export VIDEO -o OUT``: export a range of a clip to H.264 MP4, headless.

Shares the app's code path (:func:`analysis.export.export_clip`). Overlays come
from :func:`build_renders`, which turns command-line options into render
callbacks (none yet; drawings, bar path and HUD options plug in there).
"""

from __future__ import annotations

import argparse
import sys
from fractions import Fraction

from analysis.export import (
    SIZE_PRESETS,
    Cancelled,
    ExportError,
    RenderFn,
    chain_renders,
    export_clip,
    frame_range_for_times,
)
from analysis.session.document import SessionFileError
from analysis.video import VideoError, VideoIndex, build_index
from analysis.video.errors import naming_path
from analysis.video.capture import TimeScale


def _speed(text: str) -> float:
    """``0.5``, ``1/4`` or ``0.25x``."""
    raw = text.strip().lower().removesuffix("x")
    try:
        return float(Fraction(raw))
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"“{text}” is not a speed (try 0.5, 1/4 or 2)") from None


def _fraction(x: float) -> str:
    f = Fraction(x).limit_denominator(64)
    return f"{f.numerator}/{f.denominator}" if f.denominator != 1 else str(f.numerator)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a time in seconds") from None
    if value < 0:
        raise argparse.ArgumentTypeError("times are counted from 0 s")
    return value


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "export", help="export a range of a video to an MP4 that plays on phones and browsers",
        description="Export a range of VIDEO to H.264 MP4 (slow motion keeps the real timing; "
        "sound is kept at 1x speed). For a slow-motion clip (a capture rate the file declares, "
        "the session's setting or --capture-fps), times and --speed count in real time: 1 "
        "shows the movement at the speed it happened, 1/4 keeps a 120 fps capture as slow as "
        "the phone plays it at 30 fps.")
    p.add_argument("video", help="the video file, or a .liftlens session file (with --set)")
    p.add_argument("--set", type=int, default=1, metavar="N",
                   help="with a session file: which set (recording) to export; default 1")
    p.add_argument("-o", "--output", required=True, help="the MP4 file to write")
    start = p.add_mutually_exclusive_group()
    start.add_argument("--start", type=_seconds, metavar="S", help="start time in seconds")
    start.add_argument("--start-frame", type=int, metavar="N", help="first frame number")
    end = p.add_mutually_exclusive_group()
    end.add_argument("--end", type=_seconds, metavar="S",
                     help="end time in seconds (frames starting before it are kept)")
    end.add_argument("--end-frame", type=int, metavar="N", help="last frame number (included)")
    p.add_argument("--speed", type=_speed, default=1.0, metavar="X",
                   help="playback speed, 1/16 to 2 (0.5 = half speed); default 1")
    p.add_argument("--capture-fps", type=float, metavar="F",
                   help="slow motion: frames per real second the clip was filmed at (default: "
                   "the session's setting, else what the video file says, else real time)")
    p.add_argument("--size", choices=list(SIZE_PRESETS), default="source",
                   help="source size, or fit within 1920x1080 / 1280x720 (never enlarged)")
    p.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists")
    p.add_argument("--no-audio", action="store_true", help="leave the sound out")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    o = p.add_argument_group("overlays (from a session file that holds this video)")
    o.add_argument("--session", metavar="FILE",
                   help="a .liftlens session file: its drawings, bar track and reps are burned in")
    o.add_argument("--no-drawings", action="store_true", help="leave the drawings out")
    o.add_argument("--trail", choices=["full", "last_second", "off"], default="full",
                   help="bar path on the video (default: full)")
    o.add_argument("--no-hud", action="store_true",
                   help="leave out the rep number, live velocity and finished reps")


def build_renders(args: argparse.Namespace, index: VideoIndex,
                  time_scale: TimeScale | None = None) -> list[RenderFn]:
    """Overlay callbacks asked for on the command line, in drawing order.

    ``time_scale`` maps the video's file time to real time (slow motion): the HUD's
    numbers are real time.

    With ``--session``, the recording of this video in that session file gives the
    drawings, the bar track and the analysis; they are painted with the same painter
    as the app (WYSIWYG), on an offscreen Qt surface.
    """
    if not getattr(args, "session", None):
        return []
    import os

    from analysis.session.portable import fingerprint, import_session

    session = import_session(args.session)  # SessionFileError: plain message
    video = os.path.abspath(args.video)
    fp = fingerprint(video)
    rec = next((r for r in session.recordings
                if os.path.abspath(r.video_path) == video or r.video_fingerprint == fp), None)
    if rec is None:
        raise ExportError(f"“{os.path.basename(video)}” is not a recording of that session.")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        build_renders._app = QGuiApplication(["liftlens"])  # painting text needs an app
    from analysis.session.analyze import analyze_recording, session_settings
    from analysis.export.hud import hud_lines, with_speed
    from analysis.lift.attempts import attempt_overlay
    from analysis.lift.gaps import trail_positions
    from widgets.burn_in import BurnInSpec, make_burn_in

    m = rec.calibration.m_per_px if rec.calibration else None
    spec = BurnInSpec((index.width, index.height), list(rec.annotations), m,
                      draw_annotations=not args.no_drawings, trail="off",
                      time_factor=(time_scale or TimeScale()).factor)
    tr = rec.track
    if tr is not None:
        # the bar's positions only (not lost frames, glitches or a fade after a cut)
        spec.track_x, spec.track_y = trail_positions(tr.t, tr.x, tr.y, tr.state,
                                                     tr.confidence)
        spec.track_t, spec.trail = tr.t, args.trail
        ts = time_scale or TimeScale()
        try:
            result = None if args.no_hud else analyze_recording(
                rec, session.exercise, session_settings(session), time_scale=ts)
        except ValueError as exc:  # a track too short or broken to measure: export without
            print(f"liftlens: warning: no rep data burned in: {exc}", file=sys.stderr)
            result = None
        if result is not None:  # a snatch, clean or jerk: its attempts, phase colours
            spec.hud = hud_lines(result, ts.factor)
            spec.attempts = attempt_overlay(result)
    if not args.no_hud:  # a slowed clip says so
        spec.hud = with_speed(spec.hud, getattr(args, "speed", 1.0))
    return [make_burn_in(spec)]


def _time_scale(args: argparse.Namespace, index: VideoIndex) -> TimeScale:
    """Slow motion: ``--capture-fps``, else the session recording's setting, else the
    file's metadata."""
    user = args.capture_fps
    if user is None and getattr(args, "session", None):
        import os

        from analysis.session.portable import fingerprint, import_session

        video = os.path.abspath(args.video)
        fp = fingerprint(video)
        for r in import_session(args.session).recordings:
            if os.path.abspath(r.video_path) == video or r.video_fingerprint == fp:
                user = r.capture_fps or None
                break
    try:
        return TimeScale.of(index, user)
    except ValueError as exc:
        raise ExportError(f"--capture-fps: {exc}") from None


def _frame_range(args: argparse.Namespace, index: VideoIndex,
                 ts: TimeScale | None = None) -> tuple[int, int | None]:
    first: int = 0
    last: int | None = None
    ts = ts or TimeScale()
    if args.start is not None or args.end is not None:
        lo, hi = frame_range_for_times(index, None if args.start is None else ts.file(args.start),
                                       None if args.end is None else ts.file(args.end))
        first = lo if args.start is not None else 0
        last = hi if args.end is not None else None
    if args.start_frame is not None:
        first = args.start_frame
    if args.end_frame is not None:
        last = args.end_frame
    return first, last


def _resolve_session_input(args: argparse.Namespace) -> None:
    """``liftlens export SESSION.liftlens --set N``: export that set's video with the
    session's overlays (the video is found next to the session file if it moved)."""
    import os

    from analysis.session.portable import SUFFIX, import_session, locate_video

    if not str(args.video).lower().endswith(SUFFIX):
        return
    session = import_session(args.video)
    recs = sorted(session.recordings, key=lambda r: r.set_number)
    rec = next((r for r in recs if r.set_number == args.set), None)
    if rec is None:
        sets = ", ".join(str(r.set_number) for r in recs) or "none"
        raise ExportError(f"The session has no set {args.set} (sets: {sets}).")
    found = locate_video(rec, os.path.dirname(os.path.abspath(args.video)))
    if not found:
        raise ExportError(f"The video of set {args.set} (“{os.path.basename(rec.video_path)}”) "
                          "was not found; put it next to the session file.")
    args.session = args.session or args.video
    args.video = str(found[0])


def _check_output(args: argparse.Namespace) -> None:
    """Refuse at once an empty ``-o`` or an output that is one of the inputs."""
    from analysis.export.writer import refuse_own_input

    if not str(args.output).strip():
        raise ExportError("No output file was given: -o needs the name of the MP4 file to "
                          "write (for example -o clip.mp4).")
    refuse_own_input(args.output, [p for p in (args.video, args.session) if p])


def run(args: argparse.Namespace) -> int:
    try:
        _check_output(args)
        _resolve_session_input(args)
        _check_output(args)  # the video a session file names
        index = build_index(args.video)
        ts = _time_scale(args, index)
        first, last = _frame_range(args, index, ts)
        render = chain_renders(build_renders(args, index, ts))
        if ts.retimed and not args.quiet:
            print(f"liftlens: {ts.describe()}: times and --speed count in real time "
                  f"(--speed {_fraction(ts.factor)} keeps the slow motion as filmed)",
                  file=sys.stderr)
        progress = None
        if not args.quiet and sys.stderr.isatty():
            def progress(done: int, total: int) -> None:
                if done == total or done % 15 == 0:
                    print(f"\rexporting: {100 * done // total:3d} %", end="", file=sys.stderr,
                          flush=True)
        result = export_clip(args.video, args.output, start_frame=first, end_frame=last,
                             speed=args.speed, size=args.size, audio=not args.no_audio,
                             render=render, overwrite=args.overwrite, index=index,
                             progress=progress, time_scale=ts.factor)
    except (ExportError, VideoError, SessionFileError) as err:
        said = str(err)  # the files named by their paths as typed, not their bare names
        for typed in dict.fromkeys(p for p in (args.video, args.session) if p):
            said = naming_path(said, typed)
        print(f"liftlens: {said}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Cancelled):
        print("\nliftlens: export cancelled; nothing was written.", file=sys.stderr)
        return 130
    if progress is not None:
        print(file=sys.stderr)
    for warning in result.warnings:
        print(f"liftlens: warning: {warning}", file=sys.stderr)
    if not args.quiet:
        sound = "with sound" if result.has_audio else "no sound"
        held = result.held_text()
        print(f"{result.path}: {result.frames} frames{held}, {result.duration_s:.2f} s, "
              f"{result.width}x{result.height}, {sound}; written in {result.elapsed_s:.1f} s")
    return 0
