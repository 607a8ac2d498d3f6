"""Key moments of the recording on screen: adding one (asking its title), listing them in
real time, and jumping to one (from the list, or the previous / next from the frame shown)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from analysis.session.document import Recording
from app import dialogs


class KeyMoments(QObject):
    """Key moments for one main window: ``drawing`` (the drawing controller) stores them,
    ``panel`` (:class:`widgets.key_moments_panel.KeyMomentsPanelWidget`) lists them,
    ``recording`` returns the recording on screen (None when no video is open)."""

    def __init__(self, win, drawing, panel, recording: Callable[[], Recording | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.win, self.drawing, self.panel, self.recording = win, drawing, panel, recording
        panel.moment_activated.connect(self.seek_time)
        panel.add_requested.connect(self.add)
        panel.remove_requested.connect(drawing.remove_key_moment)
        drawing.moments_changed.connect(self.refresh)

    def add(self) -> None:
        """Ask for a title and add a key moment at the frame shown."""
        if self.recording() is None:
            return
        title = dialogs.ask_text(self.win, "Key moment",
                                 "What happens here? (e.g. “knees cave, rep 3”)")
        if title is not None and title.strip():
            self.drawing.add_key_moment(title.strip())

    def refresh(self) -> None:
        """List the recording's moments, at their real time (the capture rate's factor)."""
        rec = self.recording()
        self.panel.set_moments(rec.key_moments if rec else [],
                               self.win.model.time_scale().factor)

    def seek_time(self, t: float) -> None:
        idx = self.win.player.index
        if idx is not None:
            self.win.player.pause()
            self.win.player.seek(idx.frame_at_time(t))

    def jump(self, direction: int) -> None:
        """Previous / next key moment, compared as frames (a moment between two frames
        shows the frame before it, which must not count as "before" that moment)."""
        idx = self.win.player.index
        rec = self.recording()
        if rec is None or not rec.key_moments or idx is None:
            return
        now = self.win.player.position
        frames = sorted({idx.frame_at_time(k.t) for k in rec.key_moments})
        nxt = [n for n in frames if n > now] if direction > 0 else [n for n in frames if n < now]
        if nxt:
            self.win.player.pause()
            self.win.player.seek(nxt[0] if direction > 0 else nxt[-1])
