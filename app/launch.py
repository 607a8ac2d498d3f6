"""Start the GUI: logging, theme, main window, the file (or the demo) to open."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

from app.settings import data_dir_path, log_dir


#: why the log could not go to the user data folder, in plain words, until the main window
#: has told the user (None: the log file opened normally, or the user was told)
LOG_PROBLEM: str | None = None
#: the log file in use (None: the log goes to stderr only)
LOG_FILE: Path | None = None


def _open_log_file(folder_of: Callable[[], Path]) -> logging.Handler:
    """A rotating log file handler in ``folder_of()``; OSError when it cannot be opened."""
    return logging.handlers.RotatingFileHandler(
        folder_of() / "liftlens.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8")


def setup_logging() -> Path | None:
    """Log to a rotating file in the user data folder; never show tracebacks to users.

    When that file cannot be opened (a read-only folder, a file left by another user, a
    full disk), the app still starts: the log goes to a file in the temporary folder,
    else to stderr only, and :data:`LOG_PROBLEM` says so in plain words for the window to
    tell once. Returns the log file in use (None: stderr only)."""
    global LOG_PROBLEM, LOG_FILE
    handler: logging.Handler
    try:
        handler = _open_log_file(log_dir)
    except OSError as exc:
        wanted = data_dir_path() / "logs" / "liftlens.log"
        reason = exc.strerror or str(exc)
        try:
            handler = _open_log_file(_temp_log_dir)
            where = f"it is writing it to {_temp_log_dir() / 'liftlens.log'} instead"
        except OSError:
            handler = logging.StreamHandler(sys.stderr)
            where = "it is writing it to the terminal only"
        LOG_PROBLEM = (f"LiftLens cannot write its log file at {wanted} ({reason}), so "
                       f"{where}. Check that this folder is writable so that problems "
                       "can be looked into later.")
    LOG_FILE = Path(handler.baseFilename) if isinstance(handler, logging.FileHandler) else None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    if LOG_PROBLEM:
        logging.getLogger("liftlens").warning("%s", LOG_PROBLEM)

    def excepthook(kind, value, tb) -> None:  # unexpected errors: log, keep running
        logging.getLogger("liftlens").error("unhandled error", exc_info=(kind, value, tb))

    sys.excepthook = excepthook
    return LOG_FILE


def _temp_log_dir() -> Path:
    """A private folder for the log in the system's temporary folder (per user)."""
    import tempfile

    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    path = Path(tempfile.gettempdir()) / f"liftlens-logs-{user}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def take_log_problem() -> str | None:
    """:data:`LOG_PROBLEM`, once: the caller tells the user, later callers get None."""
    global LOG_PROBLEM
    problem, LOG_PROBLEM = LOG_PROBLEM, None
    return problem


def theme() -> str:
    """The dark style sheet, with its icons (check mark, drop-down arrow) located."""
    qss = resources.files("resources").joinpath("styles/dark.qss").read_text()
    icons = Path(str(resources.files("resources").joinpath("icons"))).as_posix()
    return qss.replace("@ICONS@", icons)


def make_application():  # -> QApplication
    """The QApplication with LiftLens's name, logging and dark theme."""
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    from PySide6.QtWidgets import QApplication

    setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("LiftLens")
    app.setOrganizationName("LiftLens")
    app.setStyle("Fusion")
    app.setStyleSheet(theme())
    from PySide6.QtGui import QIcon

    icon = resources.files("resources").joinpath("icons/liftlens.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    app.setDesktopFileName("liftlens")  # Wayland/X11 match the window to liftlens.desktop
    from app.gui_thread_gc import collect_garbage_on_the_gui_thread

    collect_garbage_on_the_gui_thread(app)
    return app


def video_problem(path: str) -> str | None:
    """Why ``path`` cannot be opened as a video file (None when it can be read)."""
    p = Path(path)
    if not p.exists():
        return f"{path}: no such file"
    if p.is_dir():
        return f"{path} is a folder, not a video file"
    try:
        with p.open("rb") as f:
            f.read(1)
    except OSError as exc:
        return f"{path} cannot be read ({exc.strerror or exc})"
    return None


def display_problem() -> str | None:
    """Why no window can be shown here (None when a display seems to be there).

    Qt aborts the whole process when its platform plugin finds no display, so this is
    asked first. Only X11 and Wayland on Linux and the BSDs are checked;
    ``QT_QPA_PLATFORM`` set to anything else (offscreen, vnc, eglfs …) is the user's choice."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0]
    if platform not in ("", "xcb", "wayland") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    display = os.environ.get("DISPLAY", "")
    if not display:
        return ("there is no display to show the window on (neither DISPLAY nor "
                "WAYLAND_DISPLAY is set). Start LiftLens from a desktop session, or use "
                "the commands that need no window (`liftlens --help` lists them).")
    if _x_server_answers(display) is False:
        return (f"the display {display} does not answer (is the X server running?). Start "
                "LiftLens from a desktop session, or use the commands that need no window "
                "(`liftlens --help` lists them).")
    return None


def _x_server_answers(display: str) -> bool | None:
    """Whether an X server listens for ``display`` (":0", "unix:1", "host:10.0"); None when
    the name is not one of those forms (then Qt is left to try)."""
    import re
    import socket

    m = re.fullmatch(r"(?:(unix)|([^:/]*)):(\d+)(?:\.\d+)?", display)
    if m is None:
        return None
    number = int(m.group(3))
    host = m.group(2) or ""
    if m.group(1) or not host:  # local: the named socket, or Linux's abstract one
        for address in (f"/tmp/.X11-unix/X{number}", f"\0/tmp/.X11-unix/X{number}"):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(2.0)
                try:
                    sock.connect(address)
                    return True
                except OSError:
                    continue
        if m.group(1):
            return False
        host = "localhost"
    try:
        with socket.create_connection((host, 6000 + number), timeout=2.0):
            return True
    except OSError:
        return False


def launch_gui(argv: Sequence[str]) -> int:
    """Open the app: 0 when the window was closed normally; 2 (one line on stderr) when
    the video cannot be read or there is no display, before Qt is started."""
    parser = argparse.ArgumentParser(prog="liftlens")
    parser.add_argument("video", nargs="?", help="a video to open (default: the demo clip)")
    parser.add_argument("--no-demo", action="store_true", help="start on the welcome view")
    args = parser.parse_args(list(argv))

    problem = (video_problem(args.video) if args.video else None) or display_problem()
    if problem:
        print(f"liftlens: {problem}", file=sys.stderr)
        return 2
    app = make_application()
    from app.main_window import MainWindow

    window = MainWindow()
    from app.screen_fit import show_fitted

    show_fitted(window)
    window.workspace.start(args.video, demo_when_empty=not args.no_demo)
    return int(app.exec())
