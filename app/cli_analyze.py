"""``liftlens analyze``: placeholder registered until the analysis lands (see issue 4)."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("analyze", help="track the bar and measure reps (not built yet)")
    p.add_argument("video", nargs="?")


def run(args: argparse.Namespace) -> int:
    print("liftlens: analysis is not part of this build yet.", file=sys.stderr)
    return 2
