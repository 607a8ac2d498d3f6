"""Slow-motion clips in the main window: the capture rate asked for, and playing at the
speed the movement really happened.

A mixin of :class:`app.main_window.MainWindow`."""

from __future__ import annotations

from app import dialogs


class SlowMotion:
    """Capture rate and real-time playback for the main window."""

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
