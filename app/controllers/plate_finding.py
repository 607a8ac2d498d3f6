"""Finding the plate in the frame on screen and letting the lifter pick the one to track;
the circles shown in cyan (a found plate, a measured rim) placed on the screen for the
questions asked about them.

A mixin of :class:`app.controllers.analysis.AnalysisController`: it uses the controller's
context, recording, jobs and tracking."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF

from analysis.calibration.scale import plate_candidates
from app import dialogs


class PlateFinding:
    """Find the plate → Track this plate, and circles placed on the screen."""

    def auto_track(self) -> None:
        """Find plate-like circles in the current frame (in the background), show them one
        at a time, and track the one the lifter picks."""
        frame = self.ctx.player.shown
        if frame is None or self.recording is None:
            return
        import cv2

        gray = cv2.cvtColor(frame.image, cv2.COLOR_BGR2GRAY)
        rec = self.recording

        def done(found: list) -> None:
            if rec is self.recording:  # else another video was opened: not its circles
                self._offer_plates(frame.index, found)

        self._short_job("Finding the plate", "Find the plate",
                        lambda progress, partial, cancelled: plate_candidates(gray), done)

    def _offer_plates(self, n: int, found: list) -> None:
        self.ctx.player.seek(n)  # the circles belong to the frame they were found on
        parent = self.ctx.notifier.parent
        if not found:
            dialogs.tell(parent, "Find the plate",
                         "No plate was found in this frame: a plate seen edge-on (filmed from "
                         "the front or behind), mostly hidden or too small is not found. "
                         "Use Track bar and click the bar end or the plate centre instead.")
            return
        for i, circle in enumerate(found):
            # show each circle and let the lifter accept it: circles in a gym are many
            self._candidate = (circle[0], circle[1], circle[2])
            self.ctx.canvas.update()
            others = [self._circle_on_screen(c) for j, c in enumerate(found) if j != i]
            choice = dialogs.ask_plate_choice(parent, i, len(found), self._candidate_on_screen(),
                                              [o for o in others if o is not None])
            self._candidate = None
            self.ctx.canvas.update()
            if choice == "track":
                self.start_tracking(n, (circle[0], circle[1]), plate=True)
                return
            if choice != "next":
                break
        self.start_seeding()

    def _candidate_on_screen(self) -> QRect | None:
        """The circle shown in cyan, in global screen px (clipped to the canvas)."""
        return None if self._candidate is None else self._circle_on_screen(self._candidate)

    def _circle_on_screen(self, circle: tuple[float, float, float]) -> QRect | None:
        """A circle (x, y, r image px) in global screen px (clipped to the canvas)."""
        cx, cy, r = circle[0], circle[1], circle[2]
        canvas = self.ctx.canvas
        box = QRectF(canvas.image_to_widget(QPointF(cx - r, cy - r)),
                     canvas.image_to_widget(QPointF(cx + r, cy + r))).toAlignedRect()
        box = box.intersected(canvas.rect())
        if box.isEmpty():
            return None
        return QRect(canvas.mapToGlobal(box.topLeft()), box.size())
