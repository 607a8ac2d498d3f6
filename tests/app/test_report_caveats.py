"""The session report says how every set was measured and its caveats in the words the
analysis panel shows: the scale and where it came from, the point tracked, the camera's
motion taken out, the plate measurement's warnings. It said none of them: a lifter read
velocities from a turned camera and a plate that changed size as if they were sure."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from analysis.calibration.verdict import certainty, ellipse_warning
from analysis.session.calibration import Calibration
from analysis.session.document import Recording, Session
from analysis.session.measurement import NO_CAMERA_MOTION, NOT_CALIBRATED
from analysis.session.track import Track
from analysis.tracking.tracker import BarTracker
from analysis.video.source import VideoSource
from app import session_report as report
from tests.analysis.test_tracking_kinds import _shaky_camera, make_marker_clip
from tests.app.report_pages import check_pages, pdf_pages
from widgets.panel_data import panel_data

#: the plate measured on the clip (the marker moves 160 px: 0.5 m), a turned camera and
#: a plate that changes size
PLATE = Calibration(m_per_px=0.5 / 160, source="plate 450 mm measured on 16 frames",
                    reference_px=144.0, axis_ratio=0.86, frames=16,
                    warning=ellipse_warning(0.86), spread_pct=1.0,
                    certainty=certainty(16, 1.0, 13.0), scale_sd_pct=1.0)


@pytest.fixture(scope="module")
def shaky(tmp_path_factory) -> Session:
    """A marker on a plate filmed by a hand-held camera (up to 40 px), tracked by the app's
    tracker (which takes the camera out), calibrated with :data:`PLATE`."""
    n = 84
    cam = _shaky_camera(n)
    path = tmp_path_factory.mktemp("caveats") / "shaky.mp4"
    x, y = make_marker_clip(path, n=n, camera=cam)
    with VideoSource(str(path)) as src:
        tr = BarTracker().track(src, 0, (x[0] + cam[0, 0], y[0] + cam[0, 1]))
    assert tr.camera_moved
    rec = Recording(video_path=str(path), track=tr, calibration=PLATE)
    return Session(lifter="Ann", exercise="back squat", load=100.0, recordings=[rec])


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_report_says_the_scale_the_point_the_camera_and_the_plate_warnings(
        shaky, monkeypatch, tmp_path):
    import html as html_

    sets = report.gather(shaky)
    r = sets[0].result
    assert r is not None and r.units == "m"
    tr = shaky.recordings[0].track
    camera = next(n for n in tr.notes if n.startswith("the camera moved"))
    # the analysis panel shows these for the set, in its words
    panel = [w.removeprefix("⚠ ") for w in panel_data(r).warning.splitlines()]
    named = [ellipse_warning(0.86), "The scale is " + certainty(16, 1.0, 13.0) + ".",
             f"Tracked point: the {tr.target_name}", camera[0].upper() + camera[1:] + "."]
    for line in named:
        assert any(w.startswith(line) for w in panel), (line, panel)
    scale = "Scale from plate 450 mm measured on 16 frames: 3.125 mm/px."
    assert scale in panel_data(r).summary_full
    text = _flat(html_.unescape(report.render_html(shaky, sets)))
    assert "How this was measured" in text and "Caveats" in text
    for line in [*panel, scale]:  # every warning the panel shows, and the scale
        assert _flat(line) in text, line
    assert "the scale's (± 1.0 %)" in text  # the scale's SD, in each MCV's ±
    figs = pdf_pages(monkeypatch, shaky, sets)
    pages = _flat(" ".join(t.get_text() for fig in figs for t in fig.texts))
    for line in [*panel, scale]:
        assert _flat(line) in pages, line
    check_pages(figs)
    for i, fig in enumerate(figs, 1):  # to look at
        fig.savefig(tmp_path / f"caveats-page{i}.png", dpi=80)


def test_a_set_without_caveats_has_no_caveats_heading(shaky, monkeypatch):
    """A tripod, a scale from a drawn line: the basis is said, no empty "Caveats"."""
    rec = shaky.recordings[0]
    tr = rec.track
    still = Track(tr.t, tr.x, tr.y, tr.confidence, tr.state, "plate")  # no camera, no notes
    line = Calibration(m_per_px=0.5 / 160, source="line of 500 mm", reference_px=160.0)
    s = dataclasses.replace(shaky, recordings=[dataclasses.replace(
        rec, track=still, calibration=line)])
    sets = report.gather(s)
    m = sets[0].measured
    assert m is not None
    assert m.caveats == [], m.caveats
    assert m.how[0] == "Scale from line of 500 mm: 3.125 mm/px."
    assert "Tracked point: the plate centre." in m.how and NO_CAMERA_MOTION in m.how
    html = report.render_html(s, sets)
    assert "How this was measured" in html and "Caveats" not in html
    figs = pdf_pages(monkeypatch, s, sets)
    texts = [t.get_text() for fig in figs for t in fig.texts]
    assert "How this was measured" in texts and "Caveats" not in texts
    check_pages(figs)


def test_an_uncalibrated_set_says_so_and_flagged_reps_are_caveats(shaky):
    rec = shaky.recordings[0]
    s = dataclasses.replace(shaky, recordings=[dataclasses.replace(rec, calibration=None)])
    sets = report.gather(s)
    r = sets[0].result
    assert r is not None and r.units == "px"
    assert sets[0].measured.how[0] == NOT_CALIBRATED
    # a rep flagged: said in the caveats as the panel's summary says it
    assert r.reps
    from analysis.lift.counted import counted_reps
    from analysis.session.measurement import measurement_notes

    r.reps[0] = dataclasses.replace(r.reps[0], flags=["why"])
    r.set_metrics = dataclasses.replace(r.set_metrics, flagged_count=1,
                                        counted=counted_reps(r.reps))
    flagged = "rep 1 left out of the set's numbers: track unreliable"
    assert "⚑ R" + flagged[1:] in panel_data(r).summary_full  # the panel's words
    assert "R" + flagged[1:] + "." in measurement_notes(r).caveats
    assert np.isfinite(r.kinematics.vy).any()


def test_the_rep_tables_mcv_tip_counts_the_scale_as_the_report_does(shaky, qtbot):
    """The MCV ± folds in the plate measurement's own SD (``scale_sd_pct``); the report said
    so, but the rep table's tooltip said the ± came from the track's position noise only."""
    from widgets.analysis_panel import AnalysisPanelWidget

    r = report.gather(shaky)[0].result
    assert r is not None and r.units == "m"
    panel = AnalysisPanelWidget()
    qtbot.addWidget(panel)
    panel.set_data(panel_data(r))
    tips = [panel.table.item(row, 2).toolTip() for row in range(panel.table.rowCount())]
    with_sd = [tip for tip in tips if "±" in tip]
    assert with_sd, tips
    for tip in with_sd:
        assert "from the track's position noise and the scale's (± 1.0 %)" in tip, tip
