"""Session report: matplotlib charts with round ticks, the bar path in cm from the lowest
point on equal axes, the PDF's pages, ordinary file permissions."""

from __future__ import annotations

import math
import os
import re
import stat

import numpy as np
import pytest

from analysis.session.document import Session
from app import report_charts as charts
from app import session_report as report
from tests.app.report_pages import pdf_pages, squat_recording


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    rec = squat_recording(folder / "set1.mp4", 3, (640, 360), 300.0, 24)
    return Session(lifter="Ann", exercise="back squat", notes="felt quick", recordings=[rec])


def _is_round(values: list[float]) -> bool:
    """Evenly spaced on a 1, 2, 2.5 or 5 x 10^k step, each a whole multiple of it."""
    if len(values) < 2:
        return False
    steps = np.diff(values)
    step = float(steps[0])
    if not np.allclose(steps, step, rtol=1e-6):
        return False
    mant = step / 10 ** math.floor(math.log10(step))
    if not any(abs(mant - m) < 1e-6 for m in (1, 2, 2.5, 5, 10)):
        return False
    return all(abs(v / step - round(v / step)) < 1e-6 for v in values)


def test_chart_ticks_are_round_and_the_bar_path_is_in_cm_from_the_lowest_point(session):
    sets = report.gather(session)
    r = sets[0].result
    assert r is not None and r.units == "m" and len(r.reps) == 3
    for fig in (charts.velocity_figure(r), charts.bar_path_figure(r)):
        ticks = charts.tick_values(fig)
        assert ticks and all(_is_round(t) for t in ticks), ticks
    _x, h, unit = charts.bar_path_xy(r)
    assert unit == "cm"
    assert np.nanmin(h) == pytest.approx(0.0, abs=1e-9)
    assert np.nanmax(h) == pytest.approx(50.0, abs=2.0)  # 0.5 m ROM, in cm
    ax = charts.bar_path_figure(r).axes[0]
    assert ax.get_aspect() == 1.0  # equal axes
    assert "height (cm)" == ax.get_ylabel()


def test_report_writes_html_with_svg_charts_and_a_pdf_with_its_pages(session, tmp_path):
    out = tmp_path / "report.html"
    old = os.umask(0o022)
    try:
        report.write_report(session, str(out))
    finally:
        os.umask(old)
    text = out.read_text()
    assert "Ann" in text and "felt quick" in text and "back squat" in text
    assert text.count("<svg") == 2  # velocity and bar path, as vector pictures
    assert "Vertical velocity" in text and "Bar path" in text
    assert text.count("data:image/png;base64,") == 1  # the rep pictures
    pdf = (tmp_path / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages == 2  # the details with the set (it fits under them), its rep pictures
    for path in (out, tmp_path / "report.pdf"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert not list(tmp_path.glob(".*.tmp"))


def test_pdf_page_count_is_returned(session, tmp_path):
    sets = report.gather(session)
    with open(tmp_path / "r.pdf", "wb") as f:
        assert report.render_pdf(session, sets, f) == 2


def test_pdf_tempo_cells_abbreviate_the_missed_phases():
    """The PDF's rep table clipped a tempo cell with a tempo check ("... (2-0-2-1) ✗ conc"):
    its cells do not wrap, so the missed phases are abbreviated there."""
    from app.report_pdf import _short_phases

    cell = "2.1-0.0-1.7-0.9 (2-0-2-1) ✗ eccentric, concentric, bottom pause, top pause"
    assert _short_phases(cell) == "2.1-0.0-1.7-0.9 (2-0-2-1) ✗ ecc., con., bottom, top"


def test_the_report_follows_the_reps_marked_not_a_rep_and_the_prescribed_tempo(session):
    """A rep marked "not a rep" was still counted on the PDF's cover ("8 reps" where the
    panel said 7) and drawn in the bar-path chart; the report never said which tempo the
    ✗ marks were checked against, nor how many reps were on it."""
    s = _last_rep_marked(session, "false", "2-0-X-0")
    sets = report.gather(s)
    r = sets[0].result
    assert [rep.status for rep in r.reps] == ["valid", "valid", "false"]
    assert report.count_text(r) == "2 reps (1 marked not a rep)"
    assert [rep.number for rep in charts.shown_reps(r)] == [1, 2]
    legend = charts.bar_path_figure(r).axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["rep 1", "rep 2"]
    # the bar path ends with rep 2: nothing of rep 3 is drawn
    x, h, _unit = charts.bar_path_xy(r)
    k = r.kinematics
    assert np.all(np.isnan(h[k.t > r.reps[1].end + 1e-9]))
    on = sum(all(rep.tempo_check.values()) for rep in r.reps[:2])
    text = report.render_html(s, sets)
    assert "Prescribed tempo</td><td>2-0-X-0" in text
    assert f"Prescribed tempo 2-0-X-0: {on} of 2 reps on tempo" in text
    assert "2 reps (1 marked not a rep)" in text and "not a rep" in text
    assert sets[0].sheet is not None and sets[0].sheet.shape[0] > 0
    head, rows = report._rep_rows(r)
    assert rows[2][-1] == "not a rep"


def test_pdf_headings_fit_the_page_name_the_set_and_pages_are_filled(session, tmp_path,
                                                                    monkeypatch):
    """The tester's PDF: a heading ran off the page ("…: bottom and lockout of ever"), the
    cover was 70 % blank (the details, then a lone summary line) with each set on pages of
    its own, and set headings gave the raw file name, not "Set 1 · 120 kg"."""
    import dataclasses
    import shutil

    clip = tmp_path / "lukestynes__bar-path-tracker__small-squat_front_view_take_2.mp4"
    shutil.copy(session.recordings[0].video_path, clip)
    rec = dataclasses.replace(session.recordings[0], video_path=str(clip))
    s = dataclasses.replace(session, load=120.0, recordings=[rec])
    sets = report.gather(s)
    assert sets[0].title == "Set 1 · 120 kg"
    figs = pdf_pages(monkeypatch, s, sets)
    texts = [[t for t in fig.texts if t.get_text().strip()] for fig in figs]
    for fig, page in zip(figs, texts, strict=True):
        width = fig.bbox.width
        for t in page:
            box = t.get_window_extent()
            assert box.x0 >= 0 and box.x1 <= width, t.get_text()
    headings = [t.get_text() for page in texts for t in page if t.get_fontweight() == "bold"]
    assert any(h.startswith("Set 1 · 120 kg") for h in headings), headings
    assert not any("lukestynes" in h for h in headings), headings
    # the file name is still there, under the heading
    assert any(clip.name in t.get_text().replace("\n", "") for page in texts for t in page)
    # every page but the last is used at least down to its middle (footer aside)
    for fig in figs[:-1]:
        bottoms = [a.get_position().y0 for a in fig.axes] + [
            t.get_window_extent().y0 / fig.bbox.height for t in fig.texts
            if t.get_text().strip() and "Made with LiftLens" not in t.get_text()]
        assert min(bottoms) < 0.5, min(bottoms)


def test_a_flagged_rep_s_status_stays_inside_the_pdf_table(session, monkeypatch):
    """"valid (flagged: the bar moved sideways …)" ran past the page's right edge in the
    PDF's status column: the cell says "valid*" and the reason stands under the table."""
    import dataclasses

    sets = report.gather(session)
    r = sets[0].result
    why = "the bar moved sideways 3 times the set's median"
    r.reps[1] = dataclasses.replace(r.reps[1], flags=[why])
    figs = pdf_pages(monkeypatch, session, sets)
    cells = [c for fig in figs for ax in fig.axes for t in ax.tables
             for c in t.get_celld().values()]
    assert cells
    width = figs[0].bbox.width
    for c in cells:
        assert c.get_text().get_window_extent().x1 <= width, c.get_text().get_text()
    texts = [c.get_text().get_text() for c in cells]
    assert "valid*" in texts
    lines = " ".join(t.get_text() for fig in figs for t in fig.texts).replace("\n", " ")
    assert f"* rep 2: flagged: {why}" in lines


def test_a_partial_rep_is_not_judged_against_the_tempo_anywhere(session):
    """One set's tempo compliance read "1 of 2 reps on tempo" in the panel and the report
    but 33 % in Compare sessions, Progress and `liftlens progress`: those counted a rep
    marked partial. It is judged nowhere now (it is not the prescribed movement)."""
    from analysis.lift.result import tempo_compliance
    from analysis.progress.history import session_sets
    from widgets.panel_data import panel_data

    s = _last_rep_marked(session, "partial", "2-0-X-2")
    r = report.gather(s)[0].result
    assert [rep.status for rep in r.reps] == ["valid", "valid", "partial"]
    on, judged = tempo_compliance(r.reps)
    # the two full reps hold the top 0.8 s, the partial one 1.8 s: only it meets 2 ± 0.5
    assert [all(rep.tempo_check.values()) for rep in r.reps] == [False, False, True]
    assert (on, judged) == (0, 2)
    # the count names the rep it leaves out (it read "0 of 2 reps on tempo" in a set of 3)
    said = "Prescribed tempo 2-0-X-2: 0 of 2 counted reps on tempo"
    assert "0 of 2 counted reps on tempo (rep 3 left out: partial)" in \
        report.render_html(s, report.gather(s))
    assert said in report.render_html(s, report.gather(s))
    data = panel_data(r)
    assert any(said in line for line in data.summary)
    # no ✓ or ✗ on the partial rep in the table and the tempo chart (nothing judged)
    assert [v.tempo_misses is None for v in data.reps] == [False, False, True]
    (record,) = session_sets(s)
    assert len(record.reps) == 3  # the partial rep still counts for velocity
    assert record.tempo_compliance_pct == 0.0  # 33 % before


def _last_rep_marked(session, status: str, tempo: str):
    """``session`` with the prescribed ``tempo`` and its first set's last rep marked
    ``status`` (as Analysis → Mark rep under playhead stores it)."""
    import dataclasses

    from analysis.session.overrides import Overrides

    rec = session.recordings[0]
    last = report.gather(session)[0].result.reps[-1]
    marked = dataclasses.replace(rec, rep_overrides=Overrides().with_status(
        last.start, last.end, last.turn_time, status))
    return dataclasses.replace(session, tempo=tempo, recordings=[marked])


def test_a_boundary_set_by_hand_is_said_in_the_rep_table(session):
    """The report goes to the lifter: a rep whose lockout the coach set by hand says so
    beside its status, so its tempo and MCV are read as the coach's timing."""
    from dataclasses import replace

    from analysis.lift.rep_edit import move_boundary

    r = report.gather(session)[0].result
    rep = r.reps[1]
    rec = session.recordings[0]
    ov = move_boundary(r, rec.rep_overrides, rep, "concentric_end",
                       rep.phases["concentric"][1] + 0.1)
    moved = report.gather(replace(session, recordings=[replace(rec, rep_overrides=ov)]))
    _head, rows = report._rep_rows(moved[0].result)
    assert [row[-1] for row in rows] == ["valid", "valid (lockout set by hand)", "valid"]
    # the PDF's status cell is too narrow for it: a † there, the words under the table
    from app.report_pdf import _flag_notes, _set_rows

    assert [row[-1] for row in _set_rows(moved[0])[1]] == ["valid", "valid†", "valid"]
    assert _flag_notes(moved[0]) == ["† rep 2: lockout set by hand"]
