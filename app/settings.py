"""Persistent preferences (QSettings) and the user data locations."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

APP_NAME = "LiftLens"
MAX_RECENT = 10


def data_dir_path() -> Path:
    """The per-user data folder's path, not created (``$LIFTLENS_DATA_DIR`` overrides)."""
    override = os.environ.get("LIFTLENS_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))


def data_dir() -> Path:
    """Per-user data folder (library, demo clip, logs), created when missing."""
    path = data_dir_path()
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


class Settings:
    """Typed access to the app's preferences."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        if qsettings is None:
            override = os.environ.get("LIFTLENS_DATA_DIR")
            if override:
                qsettings = QSettings(str(Path(override) / "settings.ini"), QSettings.IniFormat)
            else:
                qsettings = QSettings(APP_NAME, APP_NAME)
        self._s = qsettings

    @property
    def recent_files(self) -> list[str]:
        value = self._s.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add_recent(self, path: str) -> None:
        path = os.path.abspath(path)
        items = [p for p in self.recent_files if p != path]
        self._s.setValue("recent_files", [path, *items][:MAX_RECENT])

    def remove_recent(self, path: str) -> None:
        self._s.setValue("recent_files", [p for p in self.recent_files if p != path])

    @property
    def cache_budget_mb(self) -> int:
        return int(self._s.value("cache_budget_mb", 1024))

    @cache_budget_mb.setter
    def cache_budget_mb(self, mb: int) -> None:
        self._s.setValue("cache_budget_mb", int(mb))

    @property
    def last_dir(self) -> str:
        return str(self._s.value("last_dir", str(Path.home())))

    @last_dir.setter
    def last_dir(self, path: str) -> None:
        self._s.setValue("last_dir", path)

    @property
    def export_dir(self) -> str:
        """The folder the user last exported to ("" before the first export); see
        :func:`app.export_folder.export_folder`."""
        value = self._s.value("export/dir", "")
        return value if isinstance(value, str) else ""

    @export_dir.setter
    def export_dir(self, path: str) -> None:
        self._s.setValue("export/dir", path)

    @property
    def show_hud(self) -> bool:
        """Analysis → Data overlay on video (on unless turned off)."""
        return str(self._s.value("view/hud", "true")).lower() != "false"

    @show_hud.setter
    def show_hud(self, on: bool) -> None:
        self._s.setValue("view/hud", "true" if on else "false")

    @property
    def trail_mode(self) -> str:
        """Analysis → Bar path on video: "full", "last_second" or "off"."""
        mode = str(self._s.value("view/trail", "full"))
        return mode if mode in ("full", "last_second", "off") else "full"

    @trail_mode.setter
    def trail_mode(self, mode: str) -> None:
        self._s.setValue("view/trail", mode)

    def value(self, key: str, default: object = None) -> object:
        return self._s.value(key, default)

    def set_value(self, key: str, value: object) -> None:
        self._s.setValue(key, value)

    def sync(self) -> None:
        self._s.sync()
