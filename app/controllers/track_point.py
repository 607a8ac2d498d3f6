"""Say which point an older track followed (Analysis → Say which point this older track
followed…): a track saved before 2026-11-29 does not record it
(:data:`analysis.session.track.TARGET_UNKNOWN`), so its analysis cannot say whether a
plate's scale holds at the tracked point, and Compare sessions and Progress cannot tell
whether it followed the same point as the lifter's newer sets. The coach, who clicked it,
says which point it was; an undoable edit of the track's ``target``. A track that records
its point keeps it (its kind also decided how it was followed): to follow another point,
track the bar again."""

from __future__ import annotations

from analysis.session.track import TARGET_NAMES, TARGET_UNKNOWN
from app import dialogs
from app.controllers.analysis import AnalysisController, set_track

#: the points a coach can name, with the button's words
CHOICES = (("plate", "Plate centre"), ("bar_end", "Bar end"), ("point", "A marker or other point"))


def declare_tracked_point(a: AnalysisController) -> str | None:
    """Ask which point the recording's track followed when it does not record it, and store
    the answer (undoable, "Say the tracked point"); returns the kind stored, or None (no
    track, a track that records its point: the lifter is told why; or cancelled)."""
    s = a.subject()  # in a comparison: the side selected
    rec, parent = (s.recording if s is not None else None), a.ctx.notifier.parent
    title = "Tracked point"
    if rec is None or rec.track is None:
        dialogs.tell(parent, title, "This set has no track yet: track the bar first.")
        return None
    if rec.track.target != TARGET_UNKNOWN:
        dialogs.tell(parent, title, f"This track records that it followed the "
                     f"{TARGET_NAMES.get(rec.track.target, rec.track.target)}. To follow "
                     "another point, track the bar again.")
        return None
    kind = dialogs.ask_choice(
        parent, title, "Which point did this track follow?",
        "It was saved by an earlier version of LiftLens that did not record it. Say the point "
        "that was clicked when it was tracked: with a scale measured on the plate, only the "
        "plate centre's numbers are true (the bar end, nearer the camera, read about 15 % "
        "larger on a real squat filmed from the side), and Compare sessions and Progress judge only sets that followed the same "
        "point. If you are not sure, track the bar again instead.", CHOICES, warning=False)
    if kind is None:
        return None
    track = rec.track.copy()
    track.target = kind
    set_track(a.model, a.undo_stack, rec, track, "Say the tracked point")
    return kind
