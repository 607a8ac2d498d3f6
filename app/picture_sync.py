"""The picture on the canvas and the frame number on the counter always agree.

The counter (transport, status bar, timeline) follows the player's position at once,
while the picture of a frame not cached yet comes from the decoder a moment later: a set
reopened at frame 91 showed its frame 1 (or the previous clip's picture) under "frame
91" for about a second, and a backward step over a group of pictures showed the old
frame under the new number. Until the frame asked for is drawn, the canvas now keeps
the picture it has, dimmed and without overlays, under "Loading frame 91…"
(:attr:`widgets.video_canvas.VideoCanvasWidget.pending`).

While playing, the player shows the newest frame decoded when the decoder falls behind
(counted as dropped); that is playback, not a frame being reviewed, and is not dimmed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from app.player import PlayerController
from widgets.video_canvas import VideoCanvasWidget


def pending_text(player: PlayerController, drawn: object) -> str:
    """What the canvas says while the frame asked for is not ``drawn`` (the frame object
    on the canvas): "" when it is, or when there is nothing to wait for."""
    if player.index is None or player.playing or player.count == 0:
        return ""
    shown = player.shown
    if shown is not None and drawn is shown and shown.index == player.position:
        return ""
    return f"Loading frame {player.position + 1}…"


class PictureSync(QObject):
    """Keeps ``canvas.pending`` true to what the canvas draws for ``player``'s position."""

    def __init__(self, player: PlayerController, canvas: VideoCanvasWidget,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self.canvas = canvas
        # connected after the window's own handlers: the canvas has the frame by then
        player.position_changed.connect(self.refresh)
        player.frame_shown.connect(self.refresh)
        player.playing_changed.connect(self.refresh)
        player.frame_failed.connect(self._on_failed)

    def refresh(self, *_args: object) -> None:
        self.canvas.set_pending(pending_text(self.player, self.canvas.frame))

    def _on_failed(self, n: int, _message: str) -> None:
        if n == self.player.position:  # the canvas says why instead (its message)
            self.canvas.set_pending("")
