"""Every user action declared once: menu, text, shortcuts. Bound to handlers by the window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu


@dataclass(frozen=True)
class ActionSpec:
    """One user action: where it lives (menu, optional submenu), its text and keys."""

    id: str
    menu: str
    text: str
    shortcuts: tuple[str, ...] = ()
    tip: str = ""
    separator_before: bool = False
    submenu: str = ""
    checkable: bool = False


_S = ActionSpec
ACTIONS: tuple[ActionSpec, ...] = (
    _S("new_session", "File", "&New session", ("Ctrl+N",)),
    _S("export_session", "File", "&Export session…", ("Ctrl+Shift+S",)),
    _S("import_session", "File", "&Import session…"),
    _S("import_kva", "File", "Import &Kinovea annotations (.kva)…"),
    _S("export_kva", "File", "Export as Kinovea annotations (.kva)…"),
    _S("open", "File", "&Open video…", ("Ctrl+O",), separator_before=True),
    _S("open_demo", "File", "Open &demo clip"),
    _S("close_video", "File", "&Close video", ("Ctrl+W",)),
    _S("remove_set", "File", "&Remove this set from the session…",
       tip="Take the set on screen out of the session (its video file is kept)"),
    _S("move_set", "File", "&Move this set to a session of its own…",
       tip="A clip that is not of this session's lift or lifter: it becomes set 1 of a new "
           "session, with its track, scale and drawings"),
    _S("quit", "File", "&Quit", ("Ctrl+Q",), separator_before=True),
    _S("undo", "Edit", "&Undo", ("Ctrl+Z",)),
    _S("redo", "Edit", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
    _S("delete", "Edit", "&Delete drawing", ("Delete",), separator_before=True),
    _S("copy", "Edit", "&Copy drawing", ("Ctrl+C",)),
    _S("paste", "Edit", "&Paste drawing here", ("Ctrl+V",)),
    _S("moment", "Edit", "Add &key moment…", ("M",)),
    _S("preferences", "Edit", "&Preferences…", ("Ctrl+,",), separator_before=True),
    _S("zoom_in", "View", "Zoom &in", ("+", "=")),
    _S("zoom_out", "View", "Zoom &out", ("-",)),
    _S("zoom_fit", "View", "&Fit to window", ("0",)),
    _S("play", "Video", "&Play / pause", ("Space",)),
    _S("step_back", "Video", "Step &back", ("Left", ","), separator_before=True),
    _S("step_fwd", "Video", "Step &forward", ("Right", ".")),
    _S("back10", "Video", "Back 10 frames", ("Shift+Left",)),
    _S("fwd10", "Video", "Forward 10 frames", ("Shift+Right",)),
    _S("first", "Video", "First frame", ("Home",)),
    _S("last", "Video", "Last frame", ("End",)),
    _S("prev_moment", "Video", "Previous rep / key moment", ("Ctrl+Left",)),
    _S("next_moment", "Video", "Next rep / key moment", ("Ctrl+Right",)),
    _S("shuttle_back", "Video", "Shuttle backward", ("J",), separator_before=True),
    _S("shuttle_stop", "Video", "Shuttle stop", ("K",)),
    _S("shuttle_fwd", "Video", "Shuttle forward", ("L",)),
    _S("slower", "Video", "Slower", ("[",), separator_before=True),
    _S("faster", "Video", "Faster", ("]",)),
    _S("normal_speed", "Video", "Normal speed (1×)", ("Ctrl+1",)),
    _S("real_time", "Video", "Play in real time (slow-motion clip)", ("Ctrl+R",),
       tip="Play a slow-motion clip at the speed it happened (starts playback)"),
    _S("capture_rate", "Video", "Slow-motion capture rate…"),
    _S("loop_in", "Video", "Set loop &in", ("I",), separator_before=True),
    _S("loop_out", "Video", "Set loop &out", ("O",)),
    _S("clear_in", "Video", "Clear loop in", ("Shift+I",)),
    _S("clear_out", "Video", "Clear loop out", ("Shift+O",)),
    _S("track", "Analysis", "&Track bar (click the bar end or plate centre)", ("Ctrl+T",)),
    _S("auto_track", "Analysis", "Find the plate and track it", ("Ctrl+Alt+T",)),
    _S("cancel_track", "Analysis", "&Cancel tracking"),
    _S("correct", "Analysis", "C&orrect track (drag the point)", ("Ctrl+Shift+T",),
       checkable=True),
    _S("clear_track", "Analysis", "Clear track"),
    _S("declare_target", "Analysis", "Say which point this older track followed…",
       tip="A track saved before 2026-11-29 does not record whether it followed the plate "
           "centre, the bar end or a marker: say which, without tracking it again"),
    _S("target_auto", "Analysis", "Automatic (a click inside a found plate: its centre)",
       submenu="What the click marks", checkable=True, separator_before=True,
       tip="A click near a plate's centre follows the plate centre; else a round bar end, "
           "else the point itself"),
    _S("target_plate", "Analysis", "Plate centre (centre of its rim)",
       submenu="What the click marks", checkable=True,
       tip="Follow the centre of the plate's rim: the point in the plane the scale is "
           "measured in"),
    _S("target_bar_end", "Analysis", "Bar end (sleeve end)", submenu="What the click marks",
       checkable=True),
    _S("target_point", "Analysis", "Marker or any point", submenu="What the click marks",
       checkable=True),
    _S("camera_motion", "Analysis", "Take out camera motion (hand-held camera)",
       checkable=True,
       tip="Measure the bar path against the room: the camera's own motion, measured on "
           "the background, is subtracted (a tripod clip is left as it is)"),
    _S("calibrate_plate", "Analysis", "Calibrate from the &plate (measured)…",
       ("Ctrl+Shift+L",), separator_before=True),
    _S("calibrate", "Analysis", "Ca&librate from selected circle or line…", ("Ctrl+L",)),
    _S("trail_full", "Analysis", "Full path", submenu="Bar path on video", checkable=True,
       separator_before=True),
    _S("trail_last_second", "Analysis", "Last second", submenu="Bar path on video",
       checkable=True),
    _S("trail_off", "Analysis", "Hidden", submenu="Bar path on video", checkable=True),
    _S("hud", "Analysis", "&Data overlay on video", checkable=True,
       tip="The rep, its live velocity and the finished reps' MCV and tempo on the picture "
           "(for a snatch, clean or jerk: the attempt, its phase and heights), as the "
           "annotated export burns them in"),
    _S("rep_valid", "Analysis", "Counts (valid)", submenu="Mark rep under playhead"),
    _S("rep_false", "Analysis", "Not a rep (false)", submenu="Mark rep under playhead"),
    _S("rep_failed", "Analysis", "Failed", submenu="Mark rep under playhead"),
    _S("rep_partial", "Analysis", "Partial", submenu="Mark rep under playhead"),
    _S("boundary_eccentric_start", "Analysis", "Eccentric start", ("1",),
       submenu="Set rep boundary at playhead",
       tip="The frame shown is where the rep's eccentric starts (the bar starts down)"),
    _S("boundary_eccentric_end", "Analysis", "Eccentric end (bottom reached)", ("2",),
       submenu="Set rep boundary at playhead",
       tip="The frame shown is where the bar reaches the bottom of the rep"),
    _S("boundary_concentric_start", "Analysis", "Concentric start", ("3",),
       submenu="Set rep boundary at playhead",
       tip="The frame shown is where the bar leaves the bottom (lift-off in a deadlift)"),
    _S("boundary_concentric_end", "Analysis", "Concentric end (lockout)", ("4",),
       submenu="Set rep boundary at playhead",
       tip="The frame shown is the rep's lockout: the bar at the top"),
    _S("boundary_reset", "Analysis", "Reset this rep's boundaries (as detected)",
       ("Shift+Backspace",), submenu="Set rep boundary at playhead",
       tip="The rep under the playhead goes back to the boundaries the analysis found; a "
           "rep split or merged by hand goes back to the reps detected there"),
    _S("rep_split", "Analysis", "&Split the rep at the playhead", ("Ctrl+B",),
       tip="Two reps the analysis read as one (a touch and go, a bounce in a long pause): "
           "step to the lockout between them and split; both halves get their own phases "
           "and numbers"),
    _S("rep_merge", "Analysis", "&Merge the rep with the next", ("Ctrl+Shift+B",),
       tip="One rep the analysis read as two (a grind and re-drive, a pause read as a "
           "rep): the rep under the playhead and the next become one"),
    _S("progress", "Analysis", "&Progress of this lifter…", ("Ctrl+Shift+G",),
       tip="Load-velocity profile, estimated 1RM and trends across sessions",
       separator_before=True),
    _S("compare_with", "Compare", "Compare with a recording or &video…", ("Ctrl+Shift+O",),
       tip="Pick the other side from the library (with its analysis) or a video file"),
    _S("compare_sessions", "Compare", "Compare s&essions…", ("Ctrl+Shift+C",),
       tip="Two sessions of this lifter and exercise: their sets matched by load, and the "
       "differences"),
    _S("compare_sync_here", "Compare", "&Sync at the frames shown", ("Y",),
       tip="Make the frames on screen the common event of both videos",
       separator_before=True),
    _S("compare_nudge_back", "Compare", "Nudge selected side back one frame", ("Alt+Left",)),
    _S("compare_nudge_fwd", "Compare", "Nudge selected side forward one frame",
       ("Alt+Right",)),
    _S("compare_swap", "Compare", "S&wap sides", separator_before=True),
    _S("compare_layout", "Compare", "Side by side / &top and bottom"),
    _S("compare_overlay", "Compare", "&Overlay (ghost)", ("G",)),
    _S("compare_ghost_more", "Compare", "Ghost more opaque", ("Shift+G",)),
    _S("ghost_align", "Compare", "Align the ghost on the bar", ("Alt+G",)),
    _S("compare_rep", "Compare", "Choose the rep to compare…", separator_before=True),
    _S("sync_start", "Compare", "Sync on the start of the rep"),
    _S("sync_concentric", "Compare", "Sync on the start of its concentric"),
    _S("sync_bottom", "Compare", "Sync on its lowest point"),
    _S("normalised", "Compare", "Tempo-normalised (line up the phases)", ("Shift+Y",)),
    _S("compare_exit", "Compare", "&Exit comparison", ("Esc",), separator_before=True),
    _S("export_clip", "Export", "Annotated &clip (MP4)…", ("Ctrl+E",)),
    _S("export_sbs", "Export", "&Side-by-side clip (MP4)…", ("Ctrl+Shift+E",)),
    _S("snapshot", "Export", "S&napshot (PNG)…", ("Ctrl+Shift+P",)),
    _S("sheet", "Export", "Contact s&heet (PNG)…"),
    _S("export_csv", "Export", "&Data (CSV)…"),
    _S("report", "Export", "Session &report (HTML and PDF)…"),
    _S("shortcuts", "Help", "&Keyboard shortcuts and actions", ("F1",)),
    _S("open_log_folder", "Help", "Open &log folder"),
    _S("about", "Help", "&About LiftLens"),
)

#: The actions that act on an open comparison: enabled only while one is open.
COMPARE_ONLY = ("compare_sync_here", "compare_nudge_back", "compare_nudge_fwd",
                "compare_swap", "compare_layout", "compare_overlay", "compare_ghost_more",
                "ghost_align", "compare_rep", "sync_start", "sync_concentric", "sync_bottom",
                "normalised", "compare_exit")

_LEAVE = "leave the comparison (Compare → Exit comparison, Esc) and open that video first"
_REPS = f"Rep corrections are made on one video: {_LEAVE}."
_DRAWINGS = f"Drawings are edited on one video: {_LEAVE}."
_ONE_EXPORT = (f"Exports one video: {_LEAVE}. Export → Side-by-side clip exports the "
               "comparison.")

#: The actions on one video that a comparison cannot take (its drawings, key moments, rep
#: corrections, exports of one video): greyed out while one is open, with the reason as
#: their tooltip, rather than acting on the main video hidden behind it. Tracking, finding
#: and measuring the plate act on the side selected instead (app.controllers.compare_sides).
MAIN_VIEW_ONLY: dict[str, str] = {
    "correct": "Correcting a track drags its point on one video: " + _LEAVE + ". In a "
               "comparison, Track bar tracks the selected side again.",
    "calibrate": "Calibrating from a drawing uses a circle or line drawn on one video: "
                 + _LEAVE + ". In a comparison, Calibrate from the plate measures the "
                 "selected side's plate.",
    **{f"rep_{s}": _REPS for s in ("valid", "false", "failed", "partial")},
    **{f"boundary_{b}": _REPS for b in ("eccentric_start", "eccentric_end",
                                        "concentric_start", "concentric_end", "reset")},
    "rep_split": _REPS,
    "rep_merge": _REPS,
    "moment": f"Key moments are added to one video: {_LEAVE}.",
    "prev_moment": "In a comparison, step with the arrow keys, or sync both videos on a rep "
                   "(Compare menu).",
    "next_moment": "In a comparison, step with the arrow keys, or sync both videos on a rep "
                   "(Compare menu).",
    "delete": _DRAWINGS,
    "copy": _DRAWINGS,
    "paste": _DRAWINGS,
    "capture_rate": f"A slow-motion capture rate is set on one video: {_LEAVE}.",
    "real_time": "A comparison already plays in real time: a slow-motion side is slowed to "
                 "match.",
    "remove_set": f"Works on the set on screen: {_LEAVE}.",
    "move_set": f"Works on the set on screen: {_LEAVE}.",
    "import_kva": f"Kinovea annotations belong to one video: {_LEAVE}.",
    "export_kva": f"Kinovea annotations belong to one video: {_LEAVE}.",
    "export_clip": _ONE_EXPORT,
    "snapshot": _ONE_EXPORT,
    "sheet": _ONE_EXPORT,
    "export_csv": _ONE_EXPORT,
}

MENUS = ("File", "Edit", "View", "Video", "Analysis", "Compare", "Export", "Help")


def build_actions(window: QMainWindow, handlers: dict[str, Callable[[], None]]
                  ) -> tuple[dict[str, QAction], dict[str, QMenu]]:
    """Create menus and QActions for :data:`ACTIONS`; shortcuts show in the menus.

    Actions without a handler yet are disabled until :func:`bind_actions` gives them one.
    Returns the actions by id and the menus by name."""
    menus: dict[str, QMenu] = {name: window.menuBar().addMenu(f"&{name}") for name in MENUS}
    for m in menus.values():
        m.setToolTipsVisible(True)  # why an item is greyed out (MAIN_VIEW_ONLY)
    submenus: dict[tuple[str, str], QMenu] = {}
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        act = QAction(spec.text, window)
        if spec.shortcuts:
            act.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        if spec.tip:
            act.setStatusTip(spec.tip)
        act.setCheckable(spec.checkable)
        act.setData(spec.id)
        act.setEnabled(False)
        menu = menus[spec.menu]
        if spec.separator_before:
            menu.addSeparator()
        if spec.submenu:
            key = (spec.menu, spec.submenu)
            if key not in submenus:
                submenus[key] = menu.addMenu(spec.submenu)
            menu = submenus[key]
        menu.addAction(act)
        window.addAction(act)  # shortcuts work wherever focus is
        actions[spec.id] = act
    bind_actions(actions, handlers)
    return actions, menus


def bind_actions(actions: dict[str, QAction], handlers: dict[str, Callable[[], None]]) -> None:
    """Connect each handler to its declared action (and enable it)."""
    for action_id, handler in handlers.items():
        act = actions[action_id]  # KeyError: an action that is not declared in ACTIONS
        act.triggered.connect(lambda _checked=False, h=handler: h())
        act.setEnabled(True)


def menu_path(action_id: str) -> str:
    """Where an action is, as a message names it: "Analysis → Calibrate from selected
    circle or line…" (from its one declaration, so a renamed item is named right).
    Raises KeyError for an action that is not declared."""
    for spec in ACTIONS:
        if spec.id == action_id:
            parts = (spec.menu, spec.submenu, spec.text.replace("&", ""))
            return " → ".join(p for p in parts if p)
    raise KeyError(action_id)


def shortcuts_table() -> list[tuple[str, str]]:
    """(keys, action) rows for the help dialog and the README: every declared action."""
    rows = []
    for s in ACTIONS:
        text = s.text.replace("&", "")
        rows.append((" / ".join(s.shortcuts), f"{s.submenu}: {text}" if s.submenu else text))
    return rows
