"""Opening videos in the main window: the file dialogs, the opener's answers (a clip to
show, one to compare, a failure), frame 0 shown early, and the recent files.

A mixin of :class:`app.main_window.MainWindow`; it uses the window's opener, player,
model, comparison and settings."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QMessageBox

from analysis.session.document import Recording, Session
from analysis.video.index import FirstLook, VideoIndex
from app import demo, dialogs
from app.video_opener import OpenedVideo

VIDEO_FILTER = "Videos (*.mp4 *.mov *.m4v *.avi *.mkv *.webm *.MP4 *.MOV);;All files (*)"


class VideoOpening:
    """File dialogs and the opener's answers for the main window."""

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
                               label: str, session: Session | None = None) -> None:
        """Compare the open video with a saved recording (its video at ``path``, of
        ``session``): its track, calibration, corrections and drawings come with it, nothing
        is tracked again, and what is done to it in the comparison is saved there."""
        self._compare_recording = (path, recording, exercise, label, session)
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
            rec, exercise, label, session = picked[1:] if picked and picked[0] == path \
                else (None, "", "", None)
            self.compare.enter((self.video_path, self.player.index), (path, index),
                               self._pending_comparison.get("id", ""), rec, exercise, label,
                               session)
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

    def cancel_opening(self) -> None:
        """Another session is open now: a clip still being opened (the last session's set,
        a clip asked for before) is not shown, and so never joins the session now open."""
        if self.opener.cancel():
            self._pending_comparison = {}
            self._compare_recording = None
            self.statusBar().clearMessage()
            self._forget_early_frame()

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
