"""The ``liftlens`` command line: no argument opens the app, subcommands run headless."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

#: Headless subcommands, each a module with ``add_parser(subparsers)`` and ``run(args) -> int``.
COMMANDS: dict[str, str] = {
    "info": "app.cli.info",
    "analyze": "app.cli.analyze",
    "export": "app.cli.export",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="liftlens",
        description="LiftLens: video review and bar-path analysis for strength training. "
        "Without a subcommand, opens the app (with VIDEO, opens that clip).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        importlib.import_module(module).add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help"):
        from app.launch import launch_gui

        return launch_gui(argv)
    args = build_parser().parse_args(argv)
    module = importlib.import_module(COMMANDS[args.command])
    return int(module.run(args))


if __name__ == "__main__":
    sys.exit(main())
