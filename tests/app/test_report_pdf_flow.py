"""The PDF report flows down its pages: a long rep table goes on over the next page under
its header again, and the lines under it (the flagged reps' reasons, the count, the
velocity loss) start below it and go on over the next page where the page is full;
nothing is drawn over anything else, nothing runs off a page, nothing is left out."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from analysis.session.calibration import Calibration
from analysis.session.document import Recording, Session
from analysis.session.track import Track
from analysis.synth.lift_clip import render_clip_fast
from analysis.synth.motion import LiftScript, RepSpec, duration, sample
from analysis.tracking.track import STATE_TRACKED
from app import session_report as report
from tests.app.report_pages import check_pages, pdf_pages

PX_PER_M = 300.0
WHY = ("the bar moved sideways 3 times the set's median, the lifter's feet moved and the "
       "camera was bumped")


def _set_of(tmp_path_factory, n_reps: int) -> Session:
    """A calibrated set of ``n_reps`` quick squats, rendered (320×240) and tracked."""
    script = LiftScript(reps=(RepSpec(0.8, 0.2, 0.6, 0.4, 0.5),) * n_reps, setup=0.5,
                        end_idle=0.5)
    t = np.arange(0.0, duration(script), 1 / 30)
    x, y, _truth = sample(script, t)
    xp, yp = 160 + x * PX_PER_M, 200 - y * PX_PER_M
    clip = tmp_path_factory.mktemp("flow") / f"squats-{n_reps}.mp4"
    render_clip_fast(clip, t, xp, yp, size=(320, 240), plate_diameter_px=60.0)
    n = len(t)
    track = Track(t.copy(), xp.copy(), yp.copy(), np.ones(n),
                  np.full(n, STATE_TRACKED, dtype=np.uint8))
    rec = Recording(video_path=str(clip), track=track,
                    calibration=Calibration(m_per_px=1 / PX_PER_M, source="test"))
    return Session(lifter="Ann", exercise="back squat", tempo="2-0-X-0", load=100.0,
                   recordings=[rec])


@pytest.fixture(scope="module")
def eighteen(tmp_path_factory) -> Session:
    return _set_of(tmp_path_factory, 18)


def _flagged(session: Session) -> list:
    """The set's report with every other rep flagged (a long reason under the table)."""
    sets = report.gather(session)
    r = sets[0].result
    for i in range(1, len(r.reps), 2):
        r.reps[i] = dataclasses.replace(r.reps[i], flags=[WHY])
    return sets


def test_footnotes_of_a_long_rep_table_go_below_it_and_on_over_the_next_page(
        eighteen, monkeypatch):
    """18 reps, every other one flagged: the reasons under the table were drawn over its
    last rows, and those that did not fit ran off the bottom of the page."""
    sets = _flagged(eighteen)
    assert len(sets[0].result.reps) == 18
    figs = pdf_pages(monkeypatch, eighteen, sets)
    check_pages(figs)
    said = " ".join(" ".join(t.get_text().split()) for fig in figs for t in fig.texts)
    for n in range(2, 19, 2):  # every reason is there, none lost off a page
        assert f"* rep {n}: flagged: {WHY}" in said, n
    assert "18 reps" in said


def test_a_rep_table_longer_than_a_page_goes_on_under_its_header(tmp_path_factory,
                                                                 monkeypatch):
    """40 reps do not fit on one page: the table breaks between rows, the next page says
    whose table goes on and repeats its header, and every rep is in it once."""
    session = _set_of(tmp_path_factory, 40)
    sets = _flagged(session)
    figs = pdf_pages(monkeypatch, session, sets)
    check_pages(figs)
    cells = [[c.get_text().get_text() for (row, col), c in sorted(t.get_celld().items())
              if col == 0] for fig in figs for ax in fig.axes for t in ax.tables]
    rep_tables = [c for c in cells if c and c[0] == "Rep"]
    assert len(rep_tables) >= 2  # split, the header on each part
    numbers = [int(v) for c in rep_tables for v in c[1:]]
    assert numbers == list(range(1, 41))
    said = [t.get_text() for fig in figs for t in fig.texts]
    assert "Set 1 · 100 kg (continued)" in said
