"""Layering contracts: analysis/ never imports Qt; imports point down only."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import analysis

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold():
    exe = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(exe)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_analysis_module_imports_without_qt():
    modules = [m.name for m in pkgutil.walk_packages(analysis.__path__, "analysis.")]
    assert "analysis.video.cache" in modules
    code = (
        "import sys, importlib\n"
        "for name in ('PySide6', 'pyqtgraph', 'shiboken6'):\n"
        "    sys.modules[name] = None\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "assert not any(k.startswith('PySide6.') for k in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def _tool(name: str) -> str:
    exe = Path(sys.executable).with_name(name)
    assert exe.exists(), f"{name} is not installed in the environment (pip install -e '.[test]')"
    return str(exe)


def test_ruff_finds_nothing():
    """pyflakes, pycodestyle errors and bugbear (configured in pyproject.toml): an unimported
    name, an unused import or a silently truncating zip cannot ship."""
    result = subprocess.run([_tool("ruff"), "check", "--no-cache", "app", "widgets", "analysis",
                             "tests"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing_in_analysis():
    """Type checks of analysis/ (configured in pyproject.toml; the typed core is strict)."""
    result = subprocess.run([_tool("mypy"), "--no-incremental", "--cache-dir", "/dev/null"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
