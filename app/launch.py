"""Start the GUI: logging, theme, main window, the file (or the demo) to open."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from app.settings import log_dir


def setup_logging() -> None:
    """Log to a rotating file in the user data folder; never show tracebacks to users."""
    handler = logging.handlers.RotatingFileHandler(
        log_dir() / "liftlens.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def excepthook(kind, value, tb) -> None:  # unexpected errors: log, keep running
        logging.getLogger("liftlens").error("unhandled error", exc_info=(kind, value, tb))

    sys.excepthook = excepthook


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
    return app


def launch_gui(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="liftlens")
    parser.add_argument("video", nargs="?", help="a video to open (default: the demo clip)")
    parser.add_argument("--no-demo", action="store_true", help="start on the welcome view")
    args = parser.parse_args(list(argv))

    app = make_application()
    from app.main_window import MainWindow

    window = MainWindow()
    window.show()
    window.workspace.start(args.video, demo_when_empty=not args.no_demo)
    return int(app.exec())
