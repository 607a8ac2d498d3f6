"""A point or bar end followed inside a plate's rim, checked against the plate it sits on.

The point and the plate are one rigid body (the bar, its sleeves and plates). The plate's
centre is measured every frame as the centre of its rim (:func:`follow_rim`), where the
point's own motion puts it. Wherever the plate's centre comes back to a place in the
picture it was at before, the point's distance from it is what it was there: a plate
turning about its centre keeps that distance, and the shift of a point nearer the camera
than the plate (a sleeve end: parallax) depends on the place, not on the time. A
template match that slid across the plate's face breaks that: on the real deadlift clip
re-timed by 1.05, a click on the hub followed as a point was 20-29 px from the plate's
centre each time the plate was back on the floor, where it had been 1 px at the click;
its ROM read 52 cm against 43 cm at the plate's centre, with nothing said.

The plate's rim is looked for where the point's motion puts it, else where it was (a
point that jumped off the plate). A slide is seen only at a place visited before (a
deadlift's floor, a squat's standing height), and only when it lasts (``SLIDE_RUN``).
The frames since the point was last seen right there (it may have slid at any of them,
and places first seen in between may hold the slide), and every frame after it until
the distance agrees again, are given ``SLID_CONFIDENCE`` (the track says where the point
went, but not that it is where it was put).
"""

from __future__ import annotations

import numpy as np

from analysis.session.track import TRUSTED_CONFIDENCE
from analysis.tracking.targets import FAINT_INLIERS, Circles, follow_rim, plate_at

PLACE_SHARE = 0.05  # the plate's centre within this share of its radius of a place: the same
# the point's distance from the plate's centre changed by more than max(SLIDE_PX, SLIDE_SHARE
# x radius) at a place seen before, on SLIDE_RUN checks in a row: the point slid. A followed
# rim's centre and a point's match each move by a few px on their own: on the real squat
# test3 (a 35 px plate filmed 0.85 off round), a point whose reps are checked by hand
# changed by more than 8 px on 3 checks, at most 2 in a row (more than 6 px: 10 in a row);
# the slides found on the real deadlift are 20-23 px, 14 checks in a row
SLIDE_PX, SLIDE_SHARE = 8.0, 0.06
SLIDE_RUN = 5
SLID_CONFIDENCE = 0.5 * TRUSTED_CONFIDENCE  # below the analysis's flag: a rep through it is flagged

OK, SLID, UNCHECKED = "ok", "slid", "unchecked"


class HostRim:
    """The plate around a followed point: its rim followed beside the point, and the
    point's distance from its centre (px) at each place its centre was first seen at."""

    def __init__(self, centre: tuple[float, float], radius: float, polarity: int,
                 xy: tuple[float, float]) -> None:
        self.c = np.array(centre, float)
        self.r = float(radius)
        self.pol = polarity
        self.last = np.array(xy, float)
        # places: the plate's centre (px), the point's distance from it (px) and the last
        # check that saw it there (first seen, or seen again at that distance); the first
        # ``self.n`` rows are in use
        self.at = np.zeros((64, 2))
        self.length = np.zeros(64)
        self.seen = np.zeros(64, int)
        self.n = 0
        self._remember(self._length(self.last), 0)
        self.checks = 0  # frames checked
        self.since = 0  # a slide: the check since which the point may be off
        self.slid = False
        self.worst = 0.0  # px: the largest change of distance seen
        # checks in a row at places seen before that found the distance changed (when
        # these reach SLIDE_RUN the point slid), the earliest of their places' last
        # checks, and the largest change among them; and checks in a row that found it
        # the same (a slid point is back when these reach SLIDE_RUN)
        self.over, self.over_since, self.over_worst = 0, 0, 0.0
        self.under = 0

    @classmethod
    def at_click(cls, gray: np.ndarray, xy: tuple[float, float],
                 circles: Circles | None = None) -> HostRim | None:
        """The plate whose round rim surrounds the click ``xy`` on ``gray`` (the seed frame's
        luma), seen on at least ``FAINT_INLIERS`` of the rays, or None (no round rim there:
        turning a plate filmed off its axis changes a point's distance from its centre in
        the picture). ``circles``: :func:`plate_circles` of ``gray`` when made already."""
        rim = plate_at(gray, xy, strict=False, min_inliers=FAINT_INLIERS, oval=False,
                       circles=circles)
        if rim is None:
            return None
        fit, pol, _oval = rim
        return cls((fit.x, fit.y), fit.r, pol, xy)

    def copy(self) -> HostRim:
        """A fresh check from the same click (one per direction of travel)."""
        c0 = self.at[0]
        return HostRim((float(c0[0]), float(c0[1])), self.r, self.pol,
                       (float(self.last[0]), float(self.last[1])))

    def _length(self, p: np.ndarray) -> float:
        return float(np.hypot(*(p - self.c)))

    def _remember(self, length: float, check: int) -> None:
        if self.n == len(self.seen):
            self.at = np.concatenate([self.at, np.zeros_like(self.at)])
            self.length = np.concatenate([self.length, np.zeros_like(self.length)])
            self.seen = np.concatenate([self.seen, np.zeros_like(self.seen)])
        self.at[self.n], self.length[self.n], self.seen[self.n] = self.c, length, check
        self.n += 1

    def check(self, gray: np.ndarray, xy: tuple[float, float]) -> str:
        """The point found at ``xy`` on ``gray`` (the next frame's luma): ``OK`` (at a place
        seen before, at the same distance from the plate's centre), ``SLID`` (at a place
        seen before, at another distance: the point may be off from check ``since`` on,
        counted from 0 at the first frame after the click) or ``UNCHECKED`` (a new
        place, or the rim not seen)."""
        p = np.array(xy, float)
        predicted = self.c + (p - self.last)
        self.last = p
        fit = follow_rim(gray, (float(predicted[0]), float(predicted[1])), self.r, self.pol,
                         oblique=False)
        if fit is None:  # the point may have jumped off the plate: the plate where it was
            fit = follow_rim(gray, (float(self.c[0]), float(self.c[1])), self.r, self.pol,
                             oblique=False)
        if fit is None:
            self.c = predicted
            self.checks += 1
            return UNCHECKED
        self.c, self.r = np.array([fit.x, fit.y]), fit.r
        length = self._length(p)
        self.checks += 1
        d = self.at[:self.n] - self.c
        far = d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1]
        k = int(np.argmin(far))
        if far[k] > (PLACE_SHARE * self.r) ** 2:
            if not self.slid:  # a new place: remembered (not while the point is off)
                self._remember(length, self.checks)
            return UNCHECKED
        last = int(self.seen[k])
        change = abs(length - float(self.length[k]))
        if change > max(SLIDE_PX, SLIDE_SHARE * self.r):
            self.under = 0
            self.over_since = last if self.over == 0 else min(self.over_since, last)
            self.over += 1
            self.over_worst = max(self.over_worst, change)
            if self.over < SLIDE_RUN:
                return UNCHECKED  # one frame off: noise, until it lasts
            # it was right there then, and may have slid at any frame since: the places
            # first seen since are not trusted either
            last = self.since = self.over_since
            keep = np.flatnonzero(self.seen[:self.n] <= last)
            self.n = len(keep)
            self.at[:self.n], self.length[:self.n] = self.at[keep], self.length[keep]
            self.seen[:self.n] = self.seen[keep]
            self.slid = True
            self.worst = max(self.worst, self.over_worst)
            return SLID
        self.over, self.over_worst = 0, 0.0
        self.under += 1
        if self.slid and self.under < SLIDE_RUN:
            return UNCHECKED  # back, until it lasts
        self.seen[k] = self.checks
        self.slid = False
        return OK

    def placed(self, gray: np.ndarray, xy: tuple[float, float]) -> None:
        """A frame placed by hand at ``xy``: the point is where the user put it."""
        p = np.array(xy, float)
        fit = follow_rim(gray, (float(self.c[0] + p[0] - self.last[0]),
                                float(self.c[1] + p[1] - self.last[1])), self.r, self.pol,
                         oblique=False)
        if fit is not None:
            self.c, self.r = np.array([fit.x, fit.y]), fit.r
        self.last = p
        self.slid = False


SLID_NOTE_START = "the point followed slid on the plate"


def slid_note(worst_px: float) -> str:
    """What the track says when its point slid on the plate it sits on."""
    return (f"{SLID_NOTE_START} it sits on (its distance from the plate's "
            f"centre changed by up to {worst_px:.0f} px where the plate came back to a place "
            "it had been): those frames are marked unsure; track the plate centre for true "
            "numbers")
