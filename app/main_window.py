"""The main window: composes the canvas, timeline, transport, menus and status bar.

It owns the document model (``self.model``) the views follow: opening a clip makes its
recording the model's current one, closing the video clears it, and the canvas,
timeline, transport and status bar redraw from those events."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QShowEvent,
)
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from analysis.model import DocumentModel
from analysis.session.document import Recording, Session
from app import dialogs, launch
from app.actions import COMPARE_ONLY, MAIN_VIEW_ONLY, build_actions, shortcuts_table
from app.controllers.compare_mode import CompareMode
from app.frame_feed import FrameFeed
from app.playback import PlaybackController
from app.player import SPEEDS, PlayerController, speed_label
from app.screen_fit import ScreenFollower
from app.settings import Settings, log_dir
from app.video_opener import OpenedVideo, VideoOpener
from app.window.opening import VideoOpening
from app.window.readout import PlaybackReadout
from app.window.slow_motion import SlowMotion
from app.workspace import Workspace
from widgets.readout_label import ReadoutLabel, ReadoutStatusBar
from widgets.timeline import TimelineWidget
from widgets.transport_bar import TransportBarWidget
from widgets.video_canvas import VideoCanvasWidget
from widgets.welcome_view import WelcomeViewWidget

log = logging.getLogger(__name__)

class MainWindow(VideoOpening, PlaybackReadout, SlowMotion, QMainWindow):
    """Composition root for the player; behaviour lives in the controller and opener, and
    in the window's parts (app/window/): opening videos, the playback readout, slow
    motion."""

    video_opened = Signal(str, object)  # path, OpenedVideo (a main view, not a comparison)

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.model = DocumentModel()
        self.settings = settings or Settings()
        self.setWindowTitle("LiftLens")
        self.setAcceptDrops(True)
        self.resize(1400, 900)
        self.player = PlayerController(self)
        self.opener = VideoOpener(self)
        self._pending_comparison: dict = {}
        #: the actions greyed out while comparing: (enabled, tooltip, status tip) before
        self._held_for_compare: dict[str, tuple[bool, str]] = {}
        self._compare_recording: tuple[str, Recording, str, str, Session | None] | None = None
        self._early_frame = False  # frame 0 of a clip still being opened is on screen
        #: asked before a newly opened clip takes the main view (True: show it); the
        #: workspace asks there whether a damaged clip may join the session. False keeps
        #: what was on screen and the session as they were.
        self.may_show: Callable[[str, OpenedVideo], bool] | None = None

        self.canvas = VideoCanvasWidget()
        self.compare = CompareMode(self.model, self.settings.cache_budget_mb * (1 << 20), self)
        self.views = QStackedWidget()
        self.views.addWidget(self.canvas)
        self.views.addWidget(self.compare.view)
        self.timeline = TimelineWidget(self.model)
        self.transport = TransportBarWidget(SPEEDS, [speed_label(s) for s in SPEEDS])
        self.transport.set_speed(1.0)
        player_view = QWidget()
        lay = QVBoxLayout(player_view)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.views, 1)
        lay.addWidget(self.timeline)
        lay.addWidget(self.transport)
        self.welcome = WelcomeViewWidget()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(player_view)
        self.setCentralWidget(self.stack)

        self.setStatusBar(ReadoutStatusBar(self))  # elides rather than cuts a message
        self.status_frame = ReadoutLabel(elide=True)
        self.status_video = ReadoutLabel(elide=True)
        self.status_cache = ReadoutLabel()
        for w in (self.status_frame, self.status_video):
            self.statusBar().addWidget(w)
        self.statusBar().addPermanentWidget(self.status_cache)

        self.actions_by_id, self.menus = build_actions(self, self._handlers())
        self.recent_menu = QMenu("Open &recent", self)
        file_menu = self.actions_by_id["open"].associatedObjects()[0]
        file_menu.insertMenu(self.actions_by_id["open_demo"], self.recent_menu)
        self._connect()
        self.workspace = Workspace(self)
        # (after the workspace bound and enabled its actions)
        self._enable_compare_actions(self.compare.active)
        self.screen_follower = ScreenFollower(self)  # moved to a smaller screen: refitted
        for menu in self.menus.values():
            menu.menuAction().setVisible(not menu.isEmpty())
        self._refresh_recent()
        geometry = self.settings.value("window/geometry")
        #: no window size remembered: the window takes the screen's free area (the
        #: video, the plots and a set's rep table all want the room), see launch
        self.first_start = not isinstance(geometry, QByteArray)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            screen = QGuiApplication.primaryScreen()
            if screen is not None:
                self.resize(screen.availableGeometry().size())
        state = self.settings.value("window/state")
        #: the docks' default widths wait for the window's real size (first show)
        self.docks_sized = isinstance(state, QByteArray) and self.restoreState(state)

    # -- wiring -------------------------------------------------------------------

    @property
    def playback(self) -> PlaybackController:
        """The controller the transport keys drive: the comparison when one is open."""
        return self.compare.controller if self.compare.active else self.player

    def _handlers(self) -> dict:
        pb = lambda name, *a: (lambda: getattr(self.playback, name)(*a))  # noqa: E731
        return {
            "open": self.choose_file,
            "open_demo": self.open_demo,
            "close_video": self.close_video,
            "quit": self.close,
            "play": pb("toggle_play"),
            "step_back": pb("step", -1),
            "step_fwd": pb("step", 1),
            "back10": pb("step", -10),
            "fwd10": pb("step", 10),
            "first": pb("first"),
            "last": pb("last"),
            "shuttle_back": pb("shuttle", -1),
            "shuttle_stop": pb("pause"),
            "shuttle_fwd": pb("shuttle", 1),
            "slower": pb("slower"),
            "faster": pb("faster"),
            "normal_speed": pb("set_speed", 1.0),
            "real_time": self.play_real_time,
            "capture_rate": self.set_capture_rate,
            "preferences": lambda: dialogs.edit_preferences(self.settings, self),
            "loop_in": pb("set_loop_in"),
            "loop_out": pb("set_loop_out"),
            "clear_in": pb("clear_loop_in"),
            "clear_out": pb("clear_loop_out"),
            "compare_sync_here": lambda: self.compare.active and self.compare.controller.sync_here(),
            "compare_nudge_back": lambda: self.compare.active and self.compare.nudge_active(-1),
            "compare_nudge_fwd": lambda: self.compare.active and self.compare.nudge_active(1),
            "compare_swap": lambda: self.compare.active and self.compare.swap(),
            "compare_layout": lambda: self.compare.active and self.compare.toggle_layout(),
            "compare_overlay": lambda: self.compare.active and self.compare.toggle_overlay(),
            "compare_ghost_more": lambda: self.compare.view.set_opacity(
                self.compare.view.opacity + 0.1 if self.compare.view.opacity < 0.95 else 0.2),
            "compare_exit": self.compare.leave,
            "zoom_in": lambda: self._canvas().zoom_by(1.25),
            "zoom_out": lambda: self._canvas().zoom_by(0.8),
            "zoom_fit": lambda: self._canvas().fit(),
            "shortcuts": self.show_shortcuts,
            "open_log_folder": lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(
                launch.LOG_FILE.parent if launch.LOG_FILE is not None else log_dir()))),
            "about": self.show_about,
        }

    def _enable_compare_actions(self, active: bool) -> None:
        """The comparison's own actions work only in one; the actions on one video (its
        drawings, rep corrections, exports) are greyed out in one, with the reason in their
        tooltip: they would act on the video hidden behind it."""
        for name in COMPARE_ONLY:
            self.actions_by_id[name].setEnabled(active)
        held = self._held_for_compare
        for name, why in MAIN_VIEW_ONLY.items():
            act = self.actions_by_id[name]
            if active and name not in held:
                held[name] = (act.isEnabled(), act.statusTip())
                act.setEnabled(False)
                act.setToolTip(why)
                act.setStatusTip(why)
            elif not active and name in held:
                enabled, status_tip = held.pop(name)
                act.setEnabled(enabled)
                act.setToolTip("")  # (none of them has its own: the menu shows none)
                act.setStatusTip(status_tip)

    @property
    def video_path(self) -> str | None:
        """The video on screen (the model's current recording's), or None."""
        rec = self.model.current
        return rec.video_path if rec is not None else None

    def _connect(self) -> None:
        self.model.current_changed.connect(self._on_current_changed)
        self.model.capture_changed.connect(self._on_capture_changed)
        p = self.player
        p.frame_shown.connect(self._on_player_frame_shown)
        p.frame_failed.connect(self._on_player_frame_failed)
        p.playing_changed.connect(self._on_player_playing_changed)
        for ctl in (p, self.compare.controller):
            ctl.position_changed.connect(self._on_playback_position_changed)
            ctl.playing_changed.connect(self.transport.set_playing)
            ctl.speed_changed.connect(self._on_playback_speed_changed)
            ctl.loop_changed.connect(self._on_playback_loop_changed)
        self.compare.controller.frames_shown.connect(self._show_position)
        self.compare.controller.sync_changed.connect(self._on_compare_sync_changed)
        self.compare.entered.connect(self._on_compare_entered)
        self.compare.left.connect(self._on_compare_left)
        # what acts on an open comparison is greyed out without one (it did nothing)
        for on, active in ((self.compare.entered, True), (self.compare.left, False)):
            on.connect(lambda a=active: self._enable_compare_actions(a))
        self.timeline.seek_requested.connect(self._on_timeline_seek)
        self.transport.step_requested.connect(lambda k: self.playback.step(k))
        self.transport.play_toggled.connect(lambda: self.playback.toggle_play())
        # only the real-time item goes past the list's top speed
        self.transport.speed_selected.connect(
            lambda v: self.playback.set_speed(v, beyond_range=v > SPEEDS[-1]))
        self.transport.loop_in_requested.connect(lambda: self.playback.set_loop_in())
        self.transport.loop_out_requested.connect(lambda: self.playback.set_loop_out())
        self.welcome.open_requested.connect(self.choose_file)
        self.welcome.demo_requested.connect(self.open_demo)
        self.welcome.recent_chosen.connect(lambda p: self.workspace.clip_gate.open_chosen(p))
        self.opener.opened.connect(self._on_opener_opened_any)
        self.opener.failed.connect(self._on_opener_failed)
        self.opener.first_frame.connect(self._on_opener_first_frame)
        self.opener.busy.connect(self._on_opener_busy)

    # -- what is on screen ---------------------------------------------------------

    def _canvas(self) -> VideoCanvasWidget:
        if self.compare.active:
            return self.compare.view.canvases[self.compare.view.active]
        return self.canvas

    def close_video(self) -> None:
        """Nothing on screen: every view empties (through the model)."""
        self.compare.leave()
        self.model.close_video()

    def _on_current_changed(self, rec: Recording | None) -> None:
        """Another recording (or none) is on screen."""
        self.status_frame.release(), self.status_cache.release()  # another frame count
        if rec is None:
            self.player.set_feed(None)
            self.canvas.message = ""
            self.canvas.set_frame(None)
            self.status_frame.setText("")
            self.status_video.setText("")
            self.status_video.setToolTip("")
            self.status_cache.setText("")
            self.transport.clear()
            self.setWindowTitle("LiftLens")
            self.stack.setCurrentWidget(self.welcome)
            self._refresh_recent()
            return
        index = self.model.video
        assert index is not None
        if self.player.index is not index:
            # the player follows the model: this is the one place a clip's frames are
            # loaded, so nothing that closes the video meanwhile (a new session made for the
            # first clip opened after the demo) can leave the player without them
            budget = self.settings.cache_budget_mb * (1 << 20)
            start = index.frame_at_time(rec.left_at) if rec.left_at else 0  # where it was left
            self.player.set_feed(FrameFeed(rec.video_path, index, budget, start=start), start)
        self.stack.setCurrentWidget(self.stack.widget(1))
        self._show_video_facts(index, self.model.time_scale(rec))
        self._show_position()

    # -- help ---------------------------------------------------------------------

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """Every action (menus and drawing tools) with its keys, as F1 lists them."""
        tools = [(t.shortcut, f"Drawing tool: {t.label}")
                 for t in self.workspace.drawing.tools.values()]
        return shortcuts_table() + tools

    def show_shortcuts(self) -> None:
        dialogs.show_shortcuts(self, self.shortcut_rows())

    def show_about(self) -> None:
        QMessageBox.about(self, "About LiftLens",
                          "LiftLens: frame-accurate video review and bar-path analysis "
                          "for strength training.")

    # -- Qt events ----------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        """A modal dialog (Export, Preferences, a question, a file dialog) blocks the
        window: playback pauses on the frame on screen, so what the dialog exports, marks
        or asks about is the frame the user sees behind it, and stays so until they play
        again. (Playback went on behind the Export dialog opened on frame 120.) A menu
        does not block the window: playback goes on under it, frame by frame."""
        if event.type() == QEvent.Type.WindowBlocked:
            self.player.pause()
            self.compare.controller.pause()
        return super().event(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        urls = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.workspace.clip_gate.open_chosen(urls[0])
            event.acceptProposedAction()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self.docks_sized:
            self.docks_sized = True
            self.workspace.size_docks()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.compare.leave()  # first: the docks a comparison put away come back
        self.settings.set_value("window/geometry", self.saveGeometry())
        self.settings.set_value("window/state", self.saveState())
        self.settings.sync()
        self.workspace.keep_demo_work()
        self.workspace.note_position()  # reopened, each set shows where it was left
        if not self.workspace.unsaved.may_drop("close"):  # edits the library lacks: asked
            event.ignore()
            return
        self.workspace.shutdown()
        self.player.set_feed(None)
        super().closeEvent(event)
