"""The session report's cover and colours as a new user met them: the session notes
floated under the details with no heading and the cover was left 70 % blank while the
first set waited for a page of its own; in the bar-path legend rep 1 and rep 8 were two
oranges and rep 9 took rep 1's colour again."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from analysis.session.document import Session
from analysis.session.overrides import Overrides
from app import report_charts as charts
from app import session_report as report
from tests.app.report_pages import check_pages, pdf_pages, squat_recording

REPS = 16


@pytest.fixture(scope="module")
def long_set(tmp_path_factory):
    """A session of one 16-rep squat set, calibrated, with the coach's notes."""
    clip = tmp_path_factory.mktemp("long") / "set1.mp4"
    rec = squat_recording(clip, REPS, (320, 180), 150.0, 28)
    return Session(lifter="Ann", exercise="back squat", date="2026-12-01", load=100.0,
                   notes="| depth good", recordings=[rec])


def _shown(session: Session, reps: int) -> Session:
    """``session`` with every rep after the first ``reps`` marked not a rep."""
    r = report.gather(session)[0].result
    ov = Overrides()
    for rep in r.reps[reps:]:
        ov = ov.with_status(rep.start, rep.end, rep.turn_time, "false")
    rec = dataclasses.replace(session.recordings[0], rep_overrides=ov)
    return dataclasses.replace(session, recordings=[rec])


def _lab(colour: str) -> np.ndarray:
    """CIELAB (D65) of a matplotlib colour."""
    c = np.array(to_rgb(colour))
    c = np.where(c > 0.04045, ((c + 0.055) / 1.055) ** 2.4, c / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ c / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _rep_lines(session: Session):
    """The bar-path chart's axes and its rep lines (colour and label), first to last."""
    ax = charts.bar_path_figure(report.gather(session)[0].result).axes[0]
    coloured = [ln for ln in ax.get_lines() if ln.get_color() != "#b5b5b5"]
    return ax, [(ln.get_color(), ln.get_label()) for ln in coloured]


@pytest.mark.parametrize("reps", [8, 12])
def test_every_rep_up_to_twelve_has_a_colour_of_its_own(long_set, reps):
    ax, lines = _rep_lines(_shown(long_set, reps))
    assert [label for _c, label in lines] == [f"rep {i}" for i in range(1, reps + 1)]
    for (a, la), (b, lb) in itertools.combinations(lines, 2):
        assert np.linalg.norm(_lab(a) - _lab(b)) >= 20.0, (la, a, lb, b)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"rep {i}" for i in range(1, reps + 1)]


def test_a_longer_set_runs_from_dark_to_light_and_the_legend_says_so(long_set):
    ax, lines = _rep_lines(long_set)
    assert len(lines) == REPS and len({c for c, _l in lines}) == REPS
    lightness = [_lab(c)[0] for c, _l in lines]
    assert lightness == sorted(lightness) and lightness[-1] - lightness[0] > 40
    legend = ax.get_legend()
    named = [t.get_text() for t in legend.get_texts()]
    assert named[0] == "rep 1" and named[-1] == f"rep {REPS}" and len(named) <= 5
    assert "first → last" in legend.get_title().get_text()


def test_the_cover_has_the_notes_under_a_heading_and_the_first_set(long_set, monkeypatch):
    s = _shown(long_set, 12)
    figs = pdf_pages(monkeypatch, s, report.gather(s))
    check_pages(figs)
    cover = [t for t in figs[0].texts if t.get_text().strip()]
    words = [t.get_text() for t in cover]
    i = words.index("Notes")
    assert cover[i].get_fontweight() == "bold" and words[i + 1] == "| depth good"
    # the first set starts on the cover, which is used down past its middle
    assert any(w.startswith("Set 1 · 100 kg") and t.get_fontweight() == "bold"
               for w, t in zip(words, cover, strict=True))
    lowest = min([a.get_position().y0 for a in figs[0].axes] + [
        t.get_window_extent().y0 / figs[0].bbox.height for t in cover
        if "Made with LiftLens" not in t.get_text()])
    assert lowest < 0.3, lowest
    # the HTML report says it the same way
    assert "<h2>Notes</h2><p>| depth good</p>" in report.render_html(s, report.gather(s))
