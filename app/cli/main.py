"""The ``liftlens`` command line: no argument opens the app, subcommands run headless.

    liftlens [--no-demo] [VIDEO]      open the app (with VIDEO, or the demo clip)
    liftlens --version | --help
    liftlens COMMAND ...              info, analyze, export, batch (see ``liftlens COMMAND --help``)

Start-up cost matters here: ``liftlens --help`` and ``--version`` import nothing
heavy (no Qt, NumPy, SciPy, OpenCV or PyAV); a subcommand's module, and what it
needs, is imported only when that subcommand runs. The imports are written out
in :func:`_load` (not looked up by name), so a bundler such as PyInstaller sees
every subcommand module.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from app import __version__

#: Headless subcommands and their one-line help (shown by ``liftlens --help``
#: without importing them). Each module has ``add_parser(subparsers)`` and ``run(args) -> int``.
COMMANDS: dict[str, str] = {
    "info": "print frame count, timestamps, rotation and codec of a video",
    "analyze": "track the bar, find reps, print or save the numbers",
    "export": "export a range of a video to an MP4 that plays on phones and browsers",
    "batch": "measure many clips unattended (several at once, or on a Dask cluster)",
    "progress": "a lifter's load-velocity profile, estimated 1RM and trends from the library",
}

#: The module that implements each subcommand (for bundlers and tests).
MODULES: dict[str, str] = {
    "info": "app.cli.info",
    "analyze": "app.cli.analyze",
    "export": "app.cli.export",
    "batch": "app.cli.batch",
    "progress": "app.cli.progress",
}

USAGE = "liftlens [-h] [--version] [--no-demo] [video]\n       liftlens COMMAND [options]"

#: Commands whose process ends as soon as they return, run as the program: everything they
#: make is written and closed by then, and the interpreter's teardown (freeing every module
#: and object one by one) would only delay the shell or the script waiting for them. After
#: an analyze of the 10 s 1080p bench clip it took 65 ms of wall time (32 ms of CPU) from
#: the command's return to the process's end, and 42 ms (17 ms) ending at once (6 runs
#: each, load 5-7).
ENDS_AT_ONCE = frozenset({"analyze"})

#: Objects (that the cyclic garbage collector tracks) made and kept between its collections in
#: an ENDS_AT_ONCE command run as the program (Python's default: 700). An analyze of the 10 s
#: bench clip then makes none; a longer clip a few, each examining what was made since.
ENDS_AT_ONCE_GC_THRESHOLD = 50_000


def _load(command: str) -> ModuleType:
    """Import one subcommand's module (explicit imports, visible to bundlers)."""
    if command == "info":
        from app.cli import info as module
    elif command == "analyze":
        from app.cli import analyze as module
    elif command == "export":
        from app.cli import export as module
    elif command == "batch":
        from app.cli import batch as module
    elif command == "progress":
        from app.cli import progress as module
    else:  # pragma: no cover - COMMANDS and this function are kept in step by a test
        raise KeyError(command)
    return module


def top_parser() -> argparse.ArgumentParser:
    """The top-level parser: the app's own options, and the list of subcommands (not loaded)."""
    commands = "\n".join(f"  {name:<10}{text}" for name, text in COMMANDS.items())
    parser = argparse.ArgumentParser(
        prog="liftlens", usage=USAGE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="LiftLens: video review and bar-path analysis for strength training.\n"
        "Without a command, opens the app (with VIDEO, opens that clip; otherwise the demo).",
        epilog=f"commands (run headless; `liftlens COMMAND --help` for their options):\n"
        f"{commands}")
    parser.add_argument("video", nargs="?", help="a video to open in the app (default: the demo clip)")
    parser.add_argument("--no-demo", action="store_true",
                        help="start on the welcome screen instead of the demo clip")
    parser.add_argument("--version", action="version", version=f"liftlens {__version__}")
    return parser


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser with subcommands (``only``: load just that one)."""
    parser = argparse.ArgumentParser(prog="liftlens", description=top_parser().description)
    parser.add_argument("--version", action="version", version=f"liftlens {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        if only is None or name == only:
            _load(name).add_parser(sub)
    return parser


def _looks_like_a_path(arg: str) -> bool:
    """A video argument: an existing path, or a name with a folder or an extension."""
    return (os.path.exists(arg) or os.sep in arg or "/" in arg
            or (os.altsep is not None and os.altsep in arg) or "." in arg.strip("."))


def _unknown_command(arg: str) -> int:
    close = difflib.get_close_matches(arg, list(COMMANDS), n=1, cutoff=0.6)
    hint = f" Did you mean “liftlens {close[0]}”?" if close else ""
    print(f"liftlens: “{arg}” is not a command or a video file.{hint}\n"
          f"Commands: {', '.join(COMMANDS)}; `liftlens --help` shows them all.",
          file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``liftlens`` with ``argv`` (default: the process's arguments, as the program)."""
    as_program = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in argv if not a.startswith("-")), None)
    if first is not None and first in COMMANDS:
        # Before NumPy loads: one BLAS thread. The commands' array maths is small (fits on a
        # few hundred points, 3x3 solves), where a BLAS thread pool only costs its start and
        # its shutdown (40 ms of CPU and 100 ms of wall time a run on 2 busy cores); batch
        # runs a process per core anyway. A value the user set is kept.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        if as_program and first in ENDS_AT_ONCE:
            # reference counting frees nearly all an analysis makes (one run of the bench clip
            # left ~500 objects in cycles); the default threshold collected 63 times, mostly
            # examining the imports' objects again as they aged: 8-11 ms of CPU a run
            gc.set_threshold(ENDS_AT_ONCE_GC_THRESHOLD, *gc.get_threshold()[1:])
        try:
            args = build_parser(only=first).parse_args(argv)
            code = int(_load(first).run(args))
            if as_program:
                sys.stdout.flush()  # a reader gone away shows here, not at the exit
        except KeyboardInterrupt:
            print("\nliftlens: interrupted.", file=sys.stderr)
            return 130
        except BrokenPipeError:
            return _reader_gone()
        except SystemExit:  # usage, --help: printed, not yet flushed
            if as_program and _stdout_gone():
                return _reader_gone()
            raise
        except Exception as exc:  # noqa: BLE001 - the last guard: one plain line, no traceback
            return _unexpected(exc)
        finally:
            if as_program:
                # the process ends with the command: its last garbage collections would only
                # walk objects that go with it (halves the exit, 70 -> 33 ms of CPU after an
                # analyze on the loaded 2-core machine); a caller in-process keeps its GC
                gc.freeze()
        if as_program and first in ENDS_AT_ONCE:
            _end_now(code)
        return code
    if first is not None and first not in COMMANDS and not _looks_like_a_path(first):
        return _unknown_command(first)
    # the app: --help/--version answer here, before Qt is imported
    top_parser().parse_args(argv)
    from app.launch import launch_gui

    return launch_gui(argv)


#: exit status when the reader of the output went away (``liftlens info x --json | head``):
#: what a Unix tool ended by SIGPIPE reports to the shell (128 + 13)
EXIT_READER_GONE = 141


def _stdout_gone() -> bool:
    """Flush standard output; True when its reader has closed the pipe."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return True
    return False


def _reader_gone() -> int:
    """The output's reader closed the pipe: end quietly, as Unix tools do. Standard
    output goes to the null device, so the interpreter's last flush cannot fail again
    (the recipe of the Python documentation, "Note on SIGPIPE", module signal)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor behind stdout (in-process caller)
        pass
    return EXIT_READER_GONE


def _end_now(code: int) -> NoReturn:
    """End the process with exit status ``code`` now, without the interpreter's teardown
    (see :data:`ENDS_AT_ONCE`): what is buffered for stdout and stderr is written first,
    and the log (when the command logged) is flushed and closed."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach it
            pass
    if "logging" in sys.modules:
        import logging

        logging.shutdown()
    os._exit(code)


#: exit status for an error LiftLens did not expect (BSD sysexits EX_SOFTWARE)
EXIT_UNEXPECTED = 70


def _unexpected(exc: Exception) -> int:
    """Log ``exc`` with its traceback to the log file; print one plain line; return 70."""
    where = ""
    try:
        import logging

        from app import launch

        wanted = str(launch.data_dir_path() / "logs" / "liftlens.log")
        if not any(getattr(h, "baseFilename", None) == wanted
                   for h in logging.getLogger().handlers):
            launch.setup_logging()
        path = launch.LOG_FILE
        logging.getLogger("liftlens.cli").error("unexpected error", exc_info=exc)
        where = f" (details in {path})" if path is not None else ""
    except Exception:  # noqa: BLE001 - no log file: the line below still tells the user
        pass
    text = " ".join(str(exc).split())[:300] or type(exc).__name__
    print(f"liftlens: unexpected error: {text}{where}", file=sys.stderr)
    return EXIT_UNEXPECTED


if __name__ == "__main__":
    sys.exit(main())
