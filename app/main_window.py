"""The main window: composes the canvas, timeline, transport, menus and status bar.

It owns the document model (``self.model``) the views follow: opening a clip makes its
recording the model's current one, closing the video clears it, and the canvas,
timeline, transport and status bar redraw from those events."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QUrl, Signal
from PySide6.QtGui import (QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent,
                           QGuiApplication, QShowEvent)
from PySide6.QtWidgets import (QMainWindow, QMenu, QMessageBox, QStackedWidget,
                               QVBoxLayout, QWidget)

import numpy as np

from analysis.model import DocumentModel
from analysis.session.document import Recording
from analysis.video.frames import Frame
from analysis.video.capture import TimeScale
from analysis.video.index import FirstLook, VideoIndex
from app import demo, dialogs, launch
from app.actions import build_actions, shortcuts_table
from app.controllers.compare_mode import CompareMode, side_clock
from app.frame_feed import FrameFeed
from app.playback import PlaybackController
from app.player import SPEEDS, PlayerController, speed_label
from app.screen_fit import ScreenFollower
from app.settings import Settings, log_dir
from app.video_opener import OpenedVideo, VideoOpener
from app.workspace import Workspace
from widgets.readout_label import ReadoutLabel, ReadoutStatusBar
from widgets.timeline import TimelineWidget, format_time
from widgets.transport_bar import TransportBarWidget
from widgets.video_canvas import VideoCanvasWidget
from widgets.welcome_view import WelcomeViewWidget

log = logging.getLogger(__name__)

VIDEO_FILTER = "Videos (*.mp4 *.mov *.m4v *.avi *.mkv *.webm *.MP4 *.MOV);;All files (*)"


class MainWindow(QMainWindow):
    """Composition root for the player; behaviour lives in the controller and opener."""

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
        self._compare_recording: tuple[str, Recording, str, str] | None = None
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

    # -- opening ------------------------------------------------------------------

    def choose_file(self, how: str = "ask") -> None:
        path = dialogs.ask_open_path(self, "Open video", self.settings.last_dir, VIDEO_FILTER)
        if path:
            self.workspace.clip_gate.open_chosen(path, how)

    def open_path(self, path: str) -> None:
        """Index ``path`` in the background, then show it (errors: a plain dialog)."""
        self.opener.open(path)

    def open_demo(self) -> None:
        self.opener.open_generated(demo.ensure_demo_clip, "Preparing the demo clip…")

    def choose_compare_file(self) -> None:
        """Pick a second video to compare with the open one."""
        if self.video_path is None:
            dialogs.tell(self, "Compare", "Open the first video, then compare it with another "
                         "one.")
            return
        path = dialogs.ask_open_path(self, "Compare with video", self.settings.last_dir,
                                     VIDEO_FILTER)
        if path:
            self.opener.open(path, "compare")

    def compare_with_recording(self, path: str, recording: Recording, exercise: str,
                               label: str) -> None:
        """Compare the open video with a saved recording (its video at ``path``): its track,
        calibration, corrections and drawings come with it, nothing is tracked again."""
        self._compare_recording = (path, recording, exercise, label)
        self.opener.open(path, "compare")

    def open_comparison(self, state: dict) -> None:
        """Reopen a saved comparison: the first video, then the second beside it."""
        sides = state.get("sides", [])
        if len(sides) != 2:
            return
        self._pending_comparison = dict(state, _stage="first")
        self.open_path(sides[0]["path"])

    def _continue_pending_comparison(self) -> None:
        st = self._pending_comparison
        if st.get("_stage") == "first":
            st["_stage"] = "second"
            self.opener.open(st["sides"][1]["path"], "compare")

    def _on_compare_entered(self) -> None:
        if self._pending_comparison.get("_stage") == "second":
            self.compare.restore(self._pending_comparison)
        self._pending_comparison = {}
        self.views.setCurrentWidget(self.compare.view)
        self._on_compare_sync_changed()
        self.timeline.set_loop(-1, -1)
        self.setWindowTitle(" vs ".join(s.label for s in self.compare.controller.sides)
                            + " — LiftLens")
        self._show_position()

    def _on_compare_left(self) -> None:
        self.views.setCurrentWidget(self.canvas)
        self.status_frame.setToolTip("")
        if self.model.video is not None and self.model.current is not None:
            self._show_video_facts(self.model.video, self.model.time_scale())
        if self.player.index is not None:
            self.timeline.set_position(self.player.position)
            self.timeline.set_loop(self.player.loop_in, self.player.loop_out)
            self.setWindowTitle(f"{os.path.basename(self.video_path or '')} — LiftLens")
        self._show_position()

    def _on_compare_sync_changed(self) -> None:
        marks = self.compare.controller.marks
        if len(marks):
            self.timeline.set_times(marks)  # common time, as the clock beside it
            # the playhead at the comparison's position (on entering it kept the clip's)
            self.timeline.set_position(self.compare.controller.position)

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
            self.player.set_feed(FrameFeed(rec.video_path, index, budget),  # where it was left
                                 index.frame_at_time(rec.left_at) if rec.left_at else 0)
        self.stack.setCurrentWidget(self.stack.widget(1))
        self._show_video_facts(index, self.model.time_scale(rec))
        self._show_position()

    def _on_opener_busy(self, text: str) -> None:
        self.statusBar().showMessage(text)

    def _on_opener_opened_any(self, path: str, opened: OpenedVideo, purpose: str) -> None:
        index = opened.index
        if purpose == "compare" and self.video_path is not None and self.player.index:
            self._early_frame = False
            self.statusBar().clearMessage()
            self.player.pause()
            self.compare.budget_bytes = self.settings.cache_budget_mb * (1 << 20)
            picked, self._compare_recording = self._compare_recording, None
            rec, exercise, label = picked[1:] if picked and picked[0] == path else (None, "", "")
            self.compare.enter((self.video_path, self.player.index), (path, index),
                               self._pending_comparison.get("id", ""), rec, exercise, label)
            self.settings.add_recent(path)
            self._refresh_recent()
        else:
            if self.may_show is not None and not self.may_show(path, opened):
                self._pending_comparison = {}
                self._forget_early_frame()
                self.statusBar().showMessage(f"“{os.path.basename(path)}” was not opened; "
                                             "the session is as it was.", 8000)
                return
            self._early_frame = False
            self._on_opener_opened(path, index)
            self.video_opened.emit(path, opened)
            self._continue_pending_comparison()

    def _on_capture_changed(self, rec: Recording) -> None:
        index = self.model.video
        if rec is self.model.current and index is not None:
            self._show_video_facts(index, self.model.time_scale(rec))
            self._show_position()

    def _on_opener_opened(self, path: str, index: VideoIndex) -> None:
        """A newly opened clip: the workspace then makes its recording current, and the
        player loads its frames from the model (:meth:`_on_current_changed`)."""
        self.compare.leave()
        self.statusBar().clearMessage()
        self.setWindowTitle(f"{os.path.basename(path)} — LiftLens")
        if not path.startswith(str(demo.demo_path().parent)):
            self.settings.add_recent(path)
            self.settings.last_dir = os.path.dirname(path)
        self._refresh_recent()
        self.canvas.setFocus()
        for w in index.warnings:
            self.statusBar().showMessage(w, 10000)

    def _on_opener_first_frame(self, path: str, look: FirstLook, purpose: str) -> None:
        """Frame 0 of a clip being opened, before its index: shown at once when nothing
        else is on screen (a clip already open stays until the new one is ready)."""
        if (purpose != "main" or self.player.feed is not None or self.model.current is not None
                or self.compare.active):
            return
        self._early_frame = True
        self.canvas.message = ""
        self.canvas.set_frame(look.frame)
        self.stack.setCurrentWidget(self.stack.widget(1))
        self.status_video.setText(f"{look.width}×{look.height} · {look.codec} · reading the "
                                  "frame index…")

    def _on_opener_failed(self, path: str, message: str) -> None:
        self._pending_comparison = {}
        self.statusBar().clearMessage()
        self._forget_early_frame()
        if path in self.settings.recent_files and not os.path.exists(path):
            self.settings.remove_recent(path)
            self._refresh_recent()
        QMessageBox.warning(self, "Cannot open video", message)

    def _forget_early_frame(self) -> None:
        """Frame 0 of a clip that is not shown after all (it failed, or was declined) goes
        when nothing else is open (the welcome view again)."""
        if self._early_frame and self.model.current is None:
            self._early_frame = False
            self.canvas.set_frame(None)
            self.status_video.setText("")
            self.status_video.setToolTip("")
            self.stack.setCurrentWidget(self.welcome)
        self._early_frame = False

    def _refresh_recent(self) -> None:
        recent = self.settings.recent_files
        self.welcome.set_recent(recent)
        self.recent_menu.clear()
        for path in recent:
            act = self.recent_menu.addAction(os.path.basename(path))
            act.setToolTip(path)
            act.triggered.connect(lambda _=False, p=path: self.workspace.clip_gate.open_chosen(p))
        self.recent_menu.setEnabled(bool(recent))

    def _show_video_facts(self, index: VideoIndex, time_scale: TimeScale | None) -> None:
        """The clip's facts in the status bar; what is wrong with the file (it ends early,
        it is damaged) stays there, marked ⚠, with the full sentences on hover: a message
        that disappears after 10 s is easily missed, and the numbers depend on it."""
        text = self._video_facts(index, time_scale)
        if index.warnings:
            first = index.warnings[0].split(":")[0].split(";")[0].rstrip(".")
            more = f" (+{len(index.warnings) - 1})" if len(index.warnings) > 1 else ""
            text += f" · ⚠ {first[:1].lower()}{first[1:]}{more}"
        self.status_video.setText(text)
        self.status_video.setToolTip("\n".join(index.warnings))

    @staticmethod
    def _video_facts(index: VideoIndex, time_scale: TimeScale | None = None) -> str:
        rate = f"{index.average_fps:.2f} fps" + (" VFR" if index.vfr else "")
        rot = f" · rotated {index.rotation}°" if index.rotation else ""
        ts = time_scale or TimeScale.of(index)  # slow motion: "120 fps capture, played 4x slow"
        slow = f" · {ts.describe()}" if ts.retimed else ""
        return f"{rate} · {index.width}×{index.height}{rot} · {index.codec}{slow}"

    # -- player feedback ----------------------------------------------------------

    def _on_player_frame_shown(self, frame: Frame) -> None:
        self.canvas.message = ""
        self.canvas.set_frame(frame)
        cache = self.player.feed.cache if self.player.feed else None
        if cache is not None:
            dropped = f" · {self.player.dropped} dropped" if self.player.playing and \
                self.player.dropped else ""
            n, mb = cache.frame_count, f"frames · {cache.memory_bytes / (1 << 20):.0f} MB"
            self.status_cache.set_reading(f"cache {cache.cached_count}/{n} {mb}{dropped}",
                                          f"cache {n}/{n} {mb}")

    def _on_player_playing_changed(self, playing: bool) -> None:
        """After a playback that could not show every frame, say how many it skipped."""
        p = self.player
        if not playing and p.dropped:
            shown = p.presented
            self.statusBar().showMessage(
                f"Playback showed {shown} of {shown + p.dropped} frames: {p.dropped} skipped "
                "to keep time (the computer was busy); stepping shows every frame.", 10000)

    def _on_playback_loop_changed(self, lo: int, hi: int) -> None:
        if self.sender() is self.playback:
            self.timeline.set_loop(lo, hi)

    def _on_playback_position_changed(self, n: int) -> None:
        if self.sender() is not self.playback:
            return
        self.timeline.set_position(n)
        self._show_position()

    def _show_position(self, *_shown: object) -> None:
        """The transport and status bar say where the playback is: the frame and time of
        the clip, or in a comparison the common time and the frame each side shows (the
        frame's own timestamp, as in the captions)."""
        if self.compare.active:
            c = self.compare.controller
            if c.timeline is None or not c.count:
                return
            parts = []
            for side, n, f in zip(c.sides, c.frames_now(), c.shown, strict=True):
                times, wait = side.feed.index.times, f is None or f.index != n  # not drawn yet
                parts.append(f"{side.label}: frame {n + 1}/{len(times)} "
                             f"({side_clock(side, float(times[n]))}){' loading…' * wait}")
            # a slow-motion side: common time is real time, marked as on a single clip
            text = f"common time {c.tau:+.3f} s" + (" real" if c.retimed else "")
            self.transport.set_text(text)
            # the common time is on the clock: the status bar gives each side's frame and
            # time, whole (it was cut off under the cache and save fields)
            self.status_frame.setText(" · ".join(parts))
            self.status_frame.setToolTip(f"{text} · " + " · ".join(parts))
            self.status_video.setText("")
            return
        idx = self.model.video
        if idx is None or self.player.index is not idx:
            self.transport.clear()
            self.status_frame.setText("")
            return
        n, c = int(np.clip(self.player.position, 0, idx.frame_count - 1)), idx.frame_count
        t = float(idx.times[n])
        ts = self.model.time_scale()  # slow motion: the time the analysis uses, marked so
        real = float(ts.real(t)) if ts.retimed else None
        self.transport.set_time(t if real is None else real, n, c, None if real is None else t)
        text = f" · {format_time(t)}" if real is None else \
            f" · {format_time(real)} real time (file {format_time(t)})"
        self.status_frame.set_reading(f"frame {n + 1}/{c}{text}", f"frame {c}/{c}{text}")

    def _on_player_frame_failed(self, n: int, message: str) -> None:
        if n == self.player.position:
            self.canvas.message = message
            self.canvas.update()
            self.statusBar().showMessage(message, 8000)

    def _on_timeline_seek(self, n: int) -> None:
        self.playback.pause()
        self.playback.seek(n)

    # -- slow motion --------------------------------------------------------------

    def set_capture_rate(self) -> None:
        """Video > Slow-motion capture rate: the frames per real second this recording was
        filmed at (saved in the session; every time and velocity follows it)."""
        if self.video_path is None:
            return
        analysis = self.workspace.analysis
        ts = analysis.time_scale()
        value = dialogs.ask_capture_rate(self, ts.capture_fps if ts.source == "user" else 0.0)
        if value is not None:
            analysis.set_capture_fps(value)
            self.statusBar().showMessage(
                f"Times and velocities: {analysis.time_scale().describe()}", 6000)

    def _on_playback_speed_changed(self, speed: float) -> None:
        """The speed box shows the speed playing, and says when it is the real time of a
        slow-motion clip."""
        ts = self.workspace.analysis.time_scale() if not self.compare.active else None
        real = ts is not None and ts.retimed and abs(speed * ts.factor - 1.0) <= 1e-6
        self.transport.set_speed(speed, "real time" if real else "")

    def play_real_time(self) -> None:
        """Play a slow-motion clip at the speed the movement really happened."""
        if self.video_path is None:
            return
        ts = self.workspace.analysis.time_scale()
        if not ts.retimed:
            self.set_capture_rate()
            ts = self.workspace.analysis.time_scale()
        if ts.retimed:
            speed = 1.0 / ts.factor
            self.player.set_speed(speed, beyond_range=True)
            self.statusBar().showMessage(
                f"Real time: filmed at {ts.capture_fps:g} fps, playing at {speed:.2f}×", 5000)
            if not self.player.playing:
                self.player.play(1)

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
