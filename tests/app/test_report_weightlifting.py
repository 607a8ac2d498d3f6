"""A clean and jerk in the session report, the bar dropped from overhead after the lift:
the bar path's heights and the attempt table's are above the floor, as both say; the
velocity chart shows the lift, not the drop; the PDF's pages hold it without overlaps."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.session.calibration import Calibration
from analysis.session.document import Recording, Session
from analysis.session.track import Track
from analysis.synth.lift_clip import render_clip_fast
from analysis.tracking.track import STATE_TRACKED
from app import session_report as report
from tests.app.report_pages import overlaps, page_boxes, pdf_pages
from tests.app.weightlifting_clips import PX_PER_M, SIZE
from tests.truth2 import weightlifting_truth as W

G = 9.81  # m/s²


@pytest.fixture(scope="module")
def dropped(tmp_path_factory) -> tuple[Session, object, float]:
    """``(session, trajectory, release time)``: a generated clean and jerk (tests/truth2)
    held overhead, then let go: the bar falls freely from 2 m to the floor (0.225 m, the
    plates' radius) and stays there. Rendered at 30 fps and tracked exactly, calibrated."""
    traj = W.clean_and_jerk(1)
    t = np.arange(0.0, traj.duration + 1.5, 1 / 30)
    before = np.minimum(t, traj.duration)
    release = traj.duration
    fall = np.maximum(W.FLOOR_BAR_HEIGHT_M,
                      traj.y(release) - 0.5 * G * np.clip(t - release, 0, None) ** 2)
    h = np.where(t > release, fall, traj.y(before))
    x = 200 + traj.x(before) * PX_PER_M
    y = 390 - h * PX_PER_M
    clip = tmp_path_factory.mktemp("wl-report") / "clean-and-jerk-dropped.mp4"
    render_clip_fast(clip, t, x, y, size=SIZE, plate_diameter_px=0.45 * PX_PER_M)
    n = len(t)
    track = Track(t.copy(), x.copy(), y.copy(), np.ones(n),
                  np.full(n, STATE_TRACKED, dtype=np.uint8))
    rec = Recording(video_path=str(clip), track=track,
                    calibration=Calibration(m_per_px=1 / PX_PER_M, source="test"))
    return (Session(lifter="Giulio", exercise="clean and jerk", load=100.0,
                    recordings=[rec]), traj, release)


@pytest.fixture(scope="module")
def sets(dropped) -> list:
    return report.gather(dropped[0])


def _chart(figs, title: str):
    """The axes titled ``title`` on the PDF's pages."""
    return next(ax for fig in figs for ax in fig.axes if ax.get_title(loc="left") == title
                or ax.get_title() == title)


def _curve(ax) -> np.ndarray:
    """``(x, y)`` data of the longest line drawn on ``ax``."""
    line = max(ax.get_lines(), key=lambda ln: len(ln.get_xdata()))
    return np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)


def test_the_bar_path_and_the_attempt_table_give_heights_above_the_floor(dropped, sets,
                                                                        monkeypatch):
    """The table gave the peak 97.8 cm above the floor; the bar path drew it at 75 cm,
    its heights from the lowest point of the track (the bar on the floor), and neither
    said which zero it used."""
    session, traj, _release = dropped
    r = sets[0].result
    (a,) = r.weightlifting.attempts
    truth = traj.attempts[0]
    assert a.peak_height_m == pytest.approx(truth.peak_height_m, abs=0.01)
    figs = pdf_pages(monkeypatch, session, sets)
    path = _chart(figs, "Bar path")
    assert path.get_ylabel() == "height above the floor (cm)"
    _x, h = _curve(path)  # one height per frame of the track (NaN off the attempt)
    t = r.kinematics.t
    for when, value in ((a.peak_height_t, a.peak_height_m), (a.catch_t, a.catch_height_m),
                        (a.liftoff_t, a.liftoff_height_m)):
        i = int(np.searchsorted(t, when))  # the first frame at or after it
        assert h[i] == pytest.approx(value * 100, abs=1.5), when
    # the table's headers say the same zero, in the PDF and the HTML
    heads = [c.get_text().get_text() for fig in figs for ax in fig.axes for t_ in ax.tables
             for (row, _col), c in t_.get_celld().items() if row == 0]
    assert "Peak cm\nabove the floor" in heads and "Catch cm\nabove the floor" in heads
    html = report.render_html(session, sets)
    assert "<th>Peak cm above the floor</th>" in html
    assert "<th>Catch cm above the floor</th>" in html
    assert "Heights in cm above the floor" in html


def test_the_velocity_chart_ends_with_the_lift_not_the_dropped_bar(dropped, sets,
                                                                   monkeypatch):
    """The chart ran on to the bar dropped after the jerk: a -5 m/s spike that squashed
    the clean and the jerk (under 2 m/s) into the middle fifth of the chart."""
    session, _traj, release = dropped
    r = sets[0].result
    (a,) = r.weightlifting.attempts
    end = a.phases[-1].end_t
    assert a.phases[-1].name == "jerk_recovery" and end < release
    figs = pdf_pages(monkeypatch, session, sets)
    ax = _chart(figs, "Vertical velocity")
    t, v = _curve(ax)
    assert t.max() <= end + 0.5 and t.max() < release
    assert t.min() >= a.liftoff_t - 0.5
    lo, hi = ax.get_ylim()
    lift = r.kinematics.vy[(r.kinematics.t >= a.liftoff_t) & (r.kinematics.t <= end)]
    assert lo <= lift.min() and hi >= lift.max()  # the whole lift in sight
    assert hi - lo < 1.3 * (lift.max() - lift.min())  # and it fills the chart
    # the rep analysis's phases (a "rep" from the floor to overhead) are not shaded
    names = [t_.get_text() for t_ in ax.get_legend().get_texts()]
    assert "first pull" in names and "jerk drive" in names
    assert "eccentric" not in names and "concentric" not in names


def test_the_attempt_pages_hold_without_overlaps(dropped, sets, monkeypatch):
    figs = pdf_pages(monkeypatch, dropped[0], sets)
    for number, fig in enumerate(figs, 1):
        tables, texts, charts = page_boxes(fig)
        for box, what in tables + texts + charts:
            assert 0 <= box.x0 and box.x1 <= fig.bbox.width + 0.5, (number, what[:40])
            assert 0 <= box.y0 and box.y1 <= fig.bbox.height + 0.5, (number, what[:40])
        for tb, _ in tables:
            for box, what in texts + charts:
                assert not overlaps(tb, box), f"page {number}: {what[:40]!r} on a table"
        # the header's cells hold their words ("above the floor" in the narrow cells)
        for ax in fig.axes:
            for t_ in ax.tables:
                for cell in t_.get_celld().values():
                    words = cell.get_text().get_window_extent()
                    assert words.x1 <= cell.get_window_extent().x1 + 0.5, \
                        cell.get_text().get_text()
