"""Where the playback is, said by the main window: the status bar's frame, time and clip
facts, the transport's clock, the timeline's playhead and loop, and the switch between
the clip's canvas and a comparison.

A mixin of :class:`app.main_window.MainWindow`."""

from __future__ import annotations


import numpy as np

from analysis.session.document import Recording
from analysis.video.capture import TimeScale
from analysis.video.frames import Frame
from analysis.video.index import VideoIndex
from app.controllers.compare_mode import side_clock
from widgets.timeline import format_time


class PlaybackReadout:
    """The status bar, transport, timeline and view switch follow the playback."""

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
        # the title (the clip and its session) is the workspace's (SessionStatus)
        self._show_position()

    def _on_compare_sync_changed(self) -> None:
        marks = self.compare.controller.marks
        if len(marks):
            self.timeline.set_times(marks)  # common time, as the clock beside it
            # the playhead at the comparison's position (on entering it kept the clip's)
            self.timeline.set_position(self.compare.controller.position)

    def _on_capture_changed(self, rec: Recording) -> None:
        index = self.model.video
        if rec is self.model.current and index is not None:
            self._show_video_facts(index, self.model.time_scale(rec))
            self._show_position()

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
