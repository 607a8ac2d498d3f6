"""The bundle's recipe names every module the command line and the app load lazily.

(The build itself takes minutes: it is run by installer/build and installer/smoke, not here.)
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
from pathlib import Path

from app.cli import main as cli

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "liftlens.spec"


def _spec_list(name: str) -> list[str]:
    tree = ast.parse(SPEC.read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return list(ast.literal_eval(node.value))
    raise AssertionError(f"{name} not in the spec")


def test_spec_lists_every_cli_module():
    listed = set(_spec_list("CLI_MODULES"))
    assert {"app.cli.main", *cli.MODULES.values()} <= listed


def test_every_module_the_spec_names_exists():
    for name in _spec_list("CLI_MODULES") + _spec_list("LAZY_MODULES"):
        assert importlib.util.find_spec(name) is not None, name


def test_desktop_file_and_scripts():
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str  # keys are case-sensitive
    desktop.read(ROOT / "installer" / "linux" / "liftlens.desktop")
    entry = desktop["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Exec"].startswith("liftlens")
    assert entry["Icon"] == "liftlens"
    assert (ROOT / "resources" / "icons" / "liftlens.png").is_file()
    assert (ROOT / "resources" / "icons" / "liftlens.svg").is_file()
    for script in ("build", "smoke", "linux/install-desktop.sh"):
        assert os.access(ROOT / "installer" / script, os.X_OK), script
