"""Every user action declared once: menu, text, shortcuts. Bound to handlers by the window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu


@dataclass(frozen=True)
class ActionSpec:
    id: str
    menu: str
    text: str
    shortcuts: tuple[str, ...] = ()
    tip: str = ""
    separator_before: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("open", "File", "&Open video…", ("Ctrl+O",)),
    ActionSpec("open_demo", "File", "Open &demo clip"),
    ActionSpec("preferences", "Edit", "&Preferences…", ("Ctrl+,",)),
    ActionSpec("close_video", "File", "&Close video", ("Ctrl+W",)),
    ActionSpec("quit", "File", "&Quit", ("Ctrl+Q",), separator_before=True),
    ActionSpec("play", "Video", "&Play / pause", ("Space",)),
    ActionSpec("step_back", "Video", "Step &back", ("Left", ","), separator_before=True),
    ActionSpec("step_fwd", "Video", "Step &forward", ("Right", ".")),
    ActionSpec("back10", "Video", "Back 10 frames", ("Shift+Left",)),
    ActionSpec("fwd10", "Video", "Forward 10 frames", ("Shift+Right",)),
    ActionSpec("first", "Video", "First frame", ("Home",)),
    ActionSpec("last", "Video", "Last frame", ("End",)),
    ActionSpec("shuttle_back", "Video", "Shuttle backward", ("J",), separator_before=True),
    ActionSpec("shuttle_stop", "Video", "Shuttle stop", ("K",)),
    ActionSpec("shuttle_fwd", "Video", "Shuttle forward", ("L",)),
    ActionSpec("slower", "Video", "Slower", ("[",), separator_before=True),
    ActionSpec("faster", "Video", "Faster", ("]",)),
    ActionSpec("normal_speed", "Video", "Normal speed (1×)", ("Ctrl+1",)),
    ActionSpec("real_time", "Video", "Real-time speed (slow-motion clip)", ("Ctrl+R",),
               tip="Play a slow-motion clip at the speed it happened"),
    ActionSpec("capture_rate", "Video", "Slow-motion capture rate…"),
    ActionSpec("loop_in", "Video", "Set loop &in", ("I",), separator_before=True),
    ActionSpec("loop_out", "Video", "Set loop &out", ("O",)),
    ActionSpec("clear_in", "Video", "Clear loop in", ("Shift+I",)),
    ActionSpec("clear_out", "Video", "Clear loop out", ("Shift+O",)),
    ActionSpec("zoom_in", "View", "Zoom &in", ("+", "=")),
    ActionSpec("zoom_out", "View", "Zoom &out", ("-",)),
    ActionSpec("zoom_fit", "View", "&Fit to window", ("0",)),
    ActionSpec("compare_with", "Compare", "Compare with another &video…", ("Ctrl+Shift+O",)),
    ActionSpec("compare_sync_here", "Compare", "&Sync at the frames shown", ("Y",),
               tip="Make the frames on screen the common event of both videos",
               separator_before=True),
    ActionSpec("compare_nudge_back", "Compare", "Nudge selected side back one frame", ("Alt+Left",)),
    ActionSpec("compare_nudge_fwd", "Compare", "Nudge selected side forward one frame",
               ("Alt+Right",)),
    ActionSpec("compare_swap", "Compare", "S&wap sides", separator_before=True),
    ActionSpec("compare_layout", "Compare", "Side by side / &top and bottom"),
    ActionSpec("compare_overlay", "Compare", "&Overlay (ghost)", ("G",)),
    ActionSpec("compare_ghost_more", "Compare", "Ghost more opaque", ("Shift+G",)),
    ActionSpec("compare_exit", "Compare", "&Exit comparison", ("Esc",), separator_before=True),
    ActionSpec("shortcuts", "Help", "&Keyboard shortcuts", ("F1",)),
    ActionSpec("open_log_folder", "Help", "Open &log folder"),
    ActionSpec("about", "Help", "&About LiftLens"),
)

MENUS = ("File", "Edit", "View", "Video", "Analysis", "Compare", "Export", "Help")


def build_actions(window: QMainWindow, handlers: dict[str, Callable[[], None]]
                  ) -> tuple[dict[str, QAction], dict[str, QMenu]]:
    """Create menus and QActions for :data:`ACTIONS`; shortcuts show in the menus.

    Returns the actions by id and the menus by name (other parts add to them)."""
    menus: dict[str, QMenu] = {name: window.menuBar().addMenu(f"&{name}") for name in MENUS}
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        act = QAction(spec.text, window)
        if spec.shortcuts:
            act.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        if spec.tip:
            act.setStatusTip(spec.tip)
        handler = handlers.get(spec.id)
        if handler is None:
            act.setEnabled(False)
        else:
            act.triggered.connect(handler)
        menu = menus[spec.menu]
        if spec.separator_before:
            menu.addSeparator()
        menu.addAction(act)
        window.addAction(act)  # shortcuts work wherever focus is
        actions[spec.id] = act
    return actions, menus


def shortcuts_table() -> list[tuple[str, str]]:
    """(keys, action) rows for the help dialog and the README."""
    return [(" / ".join(s.shortcuts), s.text.replace("&", "")) for s in ACTIONS if s.shortcuts]
