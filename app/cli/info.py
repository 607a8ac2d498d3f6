"""``liftlens info VIDEO [--json]``: print what the video index knows."""

from __future__ import annotations

import argparse
import sys

from analysis.video import VideoError, build_index
from analysis.video.errors import naming_path


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("info", help="print frame count, timestamps, rotation and codec of a video")
    p.add_argument("video", help="the video file")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def run(args: argparse.Namespace) -> int:
    try:
        index = build_index(args.video)
    except VideoError as err:
        print(f"liftlens: {naming_path(str(err), args.video)}", file=sys.stderr)
        return 2
    if args.json:
        print(index.to_json())
        return 0
    facts = index.to_dict()
    for key in ("path", "width", "height", "rotation", "frame_count", "duration_s", "fps",
                "average_fps", "vfr", "codec", "keyframes", "has_audio"):
        print(f"{key:>12}: {facts[key]}")
    cap = facts["capture"]
    real = f" ({index.duration_s * cap['time_scale']:.2f} s real time)" if cap["time_scale"] != 1 \
        else ""
    print(f"{'capture':>12}: {cap['description']}{real}")
    for w in index.warnings:
        print(f"     warning: {w}")
    return 0
