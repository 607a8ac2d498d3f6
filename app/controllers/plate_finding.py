"""Finding the plate in the frame on screen and letting the lifter pick the one to track,
measuring the plate around the tracked point (Calibrate from the plate), and the circles
shown in cyan (a found plate, a measured rim) placed on the screen for the questions asked
about them.

Each acts on the controller's :meth:`subject`: the video on screen, or in a comparison
the side the user selected, on the frame that side shows.

A mixin of :class:`app.controllers.analysis.AnalysisController`: it uses the controller's
context, recording, jobs and tracking."""

from __future__ import annotations

import os

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF

from analysis.calibration.scale import measure_plate, plate_candidates
from analysis.session.calibration import Calibration
from analysis.video.source import VideoSource
from app import dialogs
from app.actions import menu_path
from app.controllers.subject import MAIN, Subject


class PlateFinding:
    """Find the plate → Track this plate, Calibrate from the plate, and circles placed on
    the screen."""

    def auto_track(self) -> None:
        """Find plate-like circles in the frame the subject shows (in the background), show
        them one at a time, and track the one the lifter picks."""
        s = self.subject()
        frame = s.shown() if s is not None else None
        if s is None or frame is None:
            return
        import cv2

        gray = cv2.cvtColor(frame.image, cv2.COLOR_BGR2GRAY)

        def done(found: list) -> None:
            if self.on_screen(s.recording):  # else another video was opened: not its circles
                self._offer_plates(s, frame.index, found)

        self._short_job(f"{s.name}finding the plate" if s.name else "Finding the plate",
                        "Find the plate",
                        lambda progress, partial, cancelled: plate_candidates(gray), done)

    def _offer_plates(self, s: Subject, n: int, found: list) -> None:
        s.seek(n)  # the circles belong to the frame they were found on
        parent = self.ctx.notifier.parent
        if not found:
            dialogs.tell(parent, "Find the plate",
                         f"{s.name}No plate was found in this frame: a plate seen edge-on "
                         "(filmed from the front or behind), mostly hidden or too small is not "
                         "found. Use Track bar and click the bar end or the plate centre "
                         "instead.")
            return
        for i, circle in enumerate(found):
            # show each circle and let the lifter accept it: circles in a gym are many
            self._show_candidate(s, (circle[0], circle[1], circle[2]))
            others = [self._circle_on_screen(c) for j, c in enumerate(found) if j != i]
            choice = dialogs.ask_plate_choice(parent, i, len(found), self._candidate_on_screen(),
                                              [o for o in others if o is not None])
            self._show_candidate(s, None)
            if choice == "track":
                self.start_tracking(n, (circle[0], circle[1]), plate=True, subject=s)
                return
            if choice != "next":
                break
        self.start_seeding()

    # -- Calibrate from the plate --------------------------------------------------------

    def calibrate_from_plate(self) -> None:
        """Measure the plate around the subject's tracked point over many frames."""
        s = self.subject()
        parent = self.ctx.notifier.parent
        # the main view's track as shown (a correction being dragged), a side's as stored
        tr = (self.track if s.side == MAIN else s.recording.track) if s is not None else None
        if s is None or tr is None:
            dialogs.tell(parent, "Calibrate", f"{s.name if s else ''}Track the plate centre "
                         "or bar end first; the plate is measured around it.")
            return
        mm = dialogs.ask_plate_diameter(parent)
        if mm is None:
            return
        ok_frames = np.flatnonzero(np.isfinite(tr.x))
        centres = {int(i): (float(tr.x[i]), float(tr.y[i])) for i in ok_frames}
        rec, path, index = s.recording, s.path, s.video

        def work(progress, partial, cancelled):
            with VideoSource(path, index) as src:
                return measure_plate(src, centres, plate_mm=mm)

        def done(cal: Calibration) -> None:
            if not self.on_screen(rec):
                # another clip (or session) was opened meanwhile: this recording is not the
                # one on screen to apply it to, and the lifter is told rather than left to
                # find its numbers still in px
                dialogs.tell(parent, "Calibrate",
                             f"The plate of {os.path.basename(path)} was measured after you left "
                             "that clip, so its scale was not applied. Open that clip again "
                             f"and choose {menu_path('calibrate_plate')}.")
                return
            if not self._confirm_plate(cal, s):
                return  # the lifter said no (the camera angle was in the same question)
            from app.controllers.analysis import set_calibration

            set_calibration(self.model, self.undo_stack, rec, cal)
            if cal.warning and not cal.circle:  # no question was asked: said on its own
                dialogs.warn(parent, "Camera angle", cal.warning)

        self._plate_job = self._short_job("Measuring the plate", "Calibrate", work, done)
        self._plate_for = rec

    def _confirm_plate(self, cal: Calibration, s: Subject | None = None) -> bool:
        """Show the measured rim on its frame (of ``s``, default the subject) and let the
        lifter accept or refuse it: a gym has many circles, and a wrong plate would scale
        every number. A warning of the measurement (the camera not square to the plate) is
        part of the question: it came in a second dialog after the Yes, when it could no
        longer change the answer. The data overlay is not drawn meanwhile: it covered part
        of the circle."""
        s = s or self.subject()
        if not cal.circle or s is None:
            return True
        n, cx, cy, r = cal.circle
        shown = s.shown()
        s.seek(int(n))
        self._show_candidate(s, (cx, cy, r))
        answer = dialogs.ask_yes(
            self.ctx.notifier.parent, "Calibrate from the plate",
            f"{s.name}Is the circle shown in cyan the plate's outer rim?",
            self._candidate_on_screen(), details=plate_question_details(cal))
        self._show_candidate(s, None)
        if shown is not None:  # back to the frame the lifter was looking at
            s.seek(shown.index)
        return answer

    # -- the circle shown in cyan --------------------------------------------------------

    def _show_candidate(self, s: Subject, circle: tuple[float, float, float] | None) -> None:
        """Show ``circle`` (x, y, r image px) in cyan on the subject's canvas (None: hide)."""
        self._candidate, self._candidate_canvas = circle, s.canvas
        s.canvas.update()

    def _candidate_on_screen(self) -> QRect | None:
        """The circle shown in cyan, in global screen px (clipped to the canvas)."""
        return None if self._candidate is None else self._circle_on_screen(self._candidate)

    def _circle_on_screen(self, circle: tuple[float, float, float]) -> QRect | None:
        """A circle (x, y, r image px) on the candidate's canvas, in global screen px
        (clipped to the canvas)."""
        cx, cy, r = circle[0], circle[1], circle[2]
        canvas = self._candidate_canvas
        box = QRectF(canvas.image_to_widget(QPointF(cx - r, cy - r)),
                     canvas.image_to_widget(QPointF(cx + r, cy + r))).toAlignedRect()
        box = box.intersected(canvas.rect())
        if box.isEmpty():
            return None
        return QRect(canvas.mapToGlobal(box.topLeft()), box.size())


def plate_question_details(cal: Calibration) -> str:
    """What the plate question rests on, under it: the size and scale with how sure they
    are, the measurement's warning (the camera not square to the bar), and what to do
    instead. The question came last in one paragraph of about 60 words (read as a wall of
    text); it now comes first, and each fact is a paragraph of its own."""
    parts = [f"The plate measures {cal.reference_px:.0f} px across: "
             f"{cal.m_per_px * 1000:.2f} mm per px."]
    parts += [_paragraph(text) for text in (cal.certainty, cal.warning) if text]
    parts.append("No: draw a circle around the plate with the circle tool, select it and "
                 f"choose {menu_path('calibrate')}")
    return "\n\n".join(parts)


def _paragraph(text: str) -> str:
    """``text`` as a sentence of its own (a capital first letter, a closing full stop)."""
    text = dialogs.sentence(text.strip())
    return text if text.endswith((".", "!", "?", ")")) else text + "."
