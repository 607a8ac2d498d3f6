"""The document model without Qt: events fire once per real change, never on a no-op."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.model import Comparison, DocumentModel
from analysis.session import Calibration, Overrides, Recording, RepOverride, Session, Track


class Log:
    def __init__(self, model: DocumentModel) -> None:
        self.events: list[tuple[str, object]] = []
        for name in ("session_changed", "session_edited", "current_changed", "track_changed",
                     "calibration_changed", "overrides_changed", "analysis_ready",
                     "comparison_changed"):
            getattr(model, name).connect(lambda v, n=name: self.events.append((n, v)))

    def names(self) -> list[str]:
        out = [n for n, _ in self.events]
        self.events.clear()
        return out


def _track() -> Track:
    t = np.arange(5) / 30
    return Track(t, np.arange(5.0), np.arange(5.0), np.ones(5), np.ones(5, np.uint8))


VIDEO = object()  # stands in for a VideoIndex


def test_switching_sessions_closes_the_recording_first():
    m, a, b = DocumentModel(), Session(lifter="A"), Session(lifter="B")
    a.recordings.append(Recording("/v/a.mp4"))
    log = Log(m)
    m.open_session(a)
    m.set_current(a.recordings[0], VIDEO)
    assert log.names() == ["session_changed", "current_changed"]
    m.open_session(a)  # the same session: nothing happens
    assert log.names() == []
    m.open_session(b)
    assert log.events == [("current_changed", None), ("session_changed", b)]
    assert m.current is None and m.video is None and m.session is b


def test_inputs_fire_only_on_real_change_and_drop_the_analysis():
    m, rec = DocumentModel(), Recording("/v/a.mp4")
    log = Log(m)
    m.set_track(rec, _track())
    m.set_track(rec, _track())  # equal: silent
    m.set_calibration(rec, Calibration(0.001, "line"))
    m.set_calibration(rec, Calibration(0.001, "line"))
    m.set_overrides(rec, Overrides((RepOverride(0.1, "failed"),)))
    m.set_overrides(rec, Overrides((RepOverride(0.1, "failed"),)))
    assert log.names() == ["track_changed", "calibration_changed", "overrides_changed"]
    m.set_analysis(rec, None)
    assert log.names() == ["analysis_ready"] and m.has_analysis(rec)
    m.set_calibration(rec, None)
    assert not m.has_analysis(rec) and rec.calibration is None
    assert log.names() == ["calibration_changed"]


def test_close_video_leaves_the_comparison_and_clears_the_current_recording():
    m, rec = DocumentModel(), Recording("/v/a.mp4")
    m.set_current(rec, VIDEO)
    m.enter_comparison(Comparison())
    log = Log(m)
    m.close_video()
    assert log.events == [("comparison_changed", None), ("current_changed", None)]
    log.events.clear()
    m.close_video()
    assert log.names() == []
    with pytest.raises(ValueError):
        m.set_current(rec, None)


def test_where_a_set_was_left_fires_only_on_a_real_change():
    m = DocumentModel()
    rec = Recording("/v/a.mp4")
    seen: list[Recording] = []
    m.left_at_changed.connect(seen.append)
    m.set_left_at(rec, 1.5)
    m.set_left_at(rec, 1.5)
    assert rec.left_at == 1.5 and seen == [rec]
    m.set_left_at(rec, None)
    assert rec.left_at is None and len(seen) == 2


def test_session_details_are_set_through_the_model_and_only_in_the_open_session():
    """Details edits (and their undo) go through the model: one event per real change,
    and never into a session that is not the open one."""
    from analysis.session.document import Readiness

    model = DocumentModel()
    s, other = Session(lifter="Ann"), Session(lifter="Bea")
    model.open_session(s)
    seen: list[object] = []
    model.session_edited.connect(seen.append)
    model.edit_session(s, {"lifter": "Ann Lee", "load": 100.0,
                           "readiness": Readiness(pain="knee")})
    assert (s.lifter, s.load, s.readiness.pain) == ("Ann Lee", 100.0, "knee") and seen == [s]
    model.edit_session(s, {"lifter": "Ann Lee", "load": 100.0})  # no change: no event
    assert seen == [s]
    with pytest.raises(ValueError, match="not the open one"):
        model.edit_session(other, {"lifter": "Cy"})
    with pytest.raises(ValueError, match="not a session detail"):
        model.edit_session(s, {"recordings": []})
    assert other.lifter == "Bea" and seen == [s]
