"""A set whose fastest rep is flagged ⚑ (generated: ``tests/analysis/flagged_set.py``) reads
the same best MCV, velocity loss and profile point in every output, each leaving rep 2 out
and saying so: ``liftlens analyze`` and ``liftlens progress``, the analysis panel, the
session report, the reps CSV, Compare sessions and the Progress view."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis.io.track_csv import write_track_csv
from analysis.progress.sessions import compare_sessions
from analysis.progress.summary import summarize
from analysis.progress.history import session_sets
from analysis.session.analyze import analyze_recording
from analysis.session.store import SessionStore
from app.cli.main import main
from tests.analysis.flagged_set import PX_PER_M, flagged_recording, flagged_session, flagged_track

NOTE = "rep 2 left out: track unreliable"


@pytest.fixture(scope="module")
def result():
    return analyze_recording(flagged_recording(), "back squat")


def test_analyze_names_the_reps_its_velocity_loss_compares(tmp_path: Path, result,
                                                           capsys) -> None:
    t, x, y, conf = flagged_track()
    path = tmp_path / "track.csv"
    write_track_csv(path, range(len(t)), t, x, y, conf, [1] * len(t))
    assert main(["analyze", "--track-csv", str(path), "--m-per-px", str(1 / PX_PER_M),
                 "--lift", "squat"]) == 0
    out = capsys.readouterr().out
    sm = result.set_metrics
    vl = sm.velocity_loss
    assert f"  best MCV {sm.best_mcv:.2f} m/s (rep 3), mean MCV {sm.mean_mcv:.2f} m/s " \
        f"({NOTE})" in out
    # "first" is the first counted rep (rep 1 here), said as such, beside the fastest
    assert (f"  velocity loss from rep 3 (fastest counted) to rep 5 (last counted): "
            f"{vl.best_last_pct:.1f} ± {vl.best_last_sd:.1f} %; from rep 1 (first counted): "
            f"{vl.first_last_pct:.1f} ± {vl.first_last_sd:.1f} %") in out
    assert "first->last" not in out


def test_progress_command_takes_the_fastest_counted_rep(tmp_path: Path, capsys) -> None:
    lib = tmp_path / "lib.sqlite3"
    store = SessionStore(lib)
    session = flagged_session(loads=(100.0, 110.0, 120.0))
    store.save(session)
    store.close()
    out_csv = tmp_path / "h.csv"
    assert main(["progress", "--lifter", "Ana", "--exercise", "back squat", "--library",
                 str(lib), "--csv", str(out_csv)]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("2026-10-01")]
    assert len(rows) == 3
    for row, rec in zip(rows, session.recordings, strict=True):
        sm = analyze_recording(rec, "back squat").set_metrics
        assert sm.fastest_rep == 3
        assert row.split()[4] == f"{sm.best_mcv:.2f}"     # best MCV column
        assert row.split()[6] == f"{sm.velocity_loss.best_last_pct:.1f}"
        assert row.endswith(f"({NOTE})")
    assert "load-velocity profile (best counted rep of each set)" in out
    sets = list(csv.DictReader(io.StringIO(out_csv.read_text())))
    assert {r["best_rep"] for r in sets} == {"3"} and {r["left_out"] for r in sets} == {NOTE}


def test_panel_report_and_reps_csv_say_the_same(result) -> None:
    from app.controllers.export import reps_csv
    from app.session_report import _loss_text
    from widgets.panel_data import panel_data

    sm = result.set_metrics
    lines = panel_data(result).summary
    assert lines[0].endswith(" · ⚑ rep 2 left out")
    assert "⚑ Rep 2 left out of the set's numbers: track unreliable" in \
        panel_data(result).summary_full
    assert any(line.startswith("Velocity loss rep 3 (fastest counted) → rep 5: ") for line in lines)
    assert any(line.startswith("Velocity loss from rep 3 (fastest counted) to rep 5 (last "
                               "counted): ") for line in panel_data(result).summary_full)
    assert f"Best MCV {sm.best_mcv:.2f} m/s (rep 3)" in " ".join(panel_data(result).summary_full)
    text, _over = _loss_text(result)
    assert text.startswith(f"Best MCV {sm.best_mcv:.2f} m/s (rep 3), mean MCV "
                           f"{sm.mean_mcv:.2f} m/s. Velocity loss from rep 3 (fastest counted)")
    assert text.endswith("Rep 2 left out of the set's numbers: track unreliable.")
    rows = dict(r[:2] for r in csv.reader(io.StringIO(reps_csv(result))) if len(r) >= 2)
    assert rows["set_best_rep"] == "3" and rows["set_left_out"] == NOTE
    assert float(rows["set_best_mcv_m_s"]) == pytest.approx(sm.best_mcv, abs=1e-4)
    assert rows["velocity_loss_reps"].startswith("from rep 3 (fastest counted)")


def test_compare_sessions_and_progress_show_the_counted_best(qtbot, result) -> None:
    from widgets.progress_view import ProgressViewWidget
    from widgets.session_compare import SessionCompareWidget

    best = result.set_metrics.best_mcv
    a = flagged_session(date="2026-10-01", loads=(100.0,))
    b = flagged_session(date="2026-10-08", loads=(100.0,))
    w = SessionCompareWidget()
    qtbot.addWidget(w)
    w.show_comparison(compare_sessions(a, b))
    for row in (0, 1):
        assert w.cell(row, 3) == f"{best:.2f}"        # Best MCV: rep 3's, not rep 2's
        assert w.cell(row, 2) == "5 (1 left out)"
        assert NOTE.capitalize() in w.table.item(row, 3).toolTip()
    assert f"A set 1: {NOTE}." in w.summary.text() and f"B set 1: {NOTE}." in w.summary.text()

    view = ProgressViewWidget()
    qtbot.addWidget(view)
    view.show_summary(summarize(session_sets(a) + session_sets(b), "Ana", "back squat", 0.3))
    assert [round(v, 6) for _x, v, _s in view.points] == [round(best, 6)] * 2
    assert f"2026-10-01 set 1: {NOTE}" in view.hint.text() and not view.hint.isHidden()


def test_a_set_flagged_throughout_shows_its_numbers_with_a_caution(tmp_path: Path,
                                                                   capsys) -> None:
    from app.session_report import _loss_text
    from widgets.panel_data import panel_data

    every = (1, 2, 3, 4, 5)
    res = analyze_recording(flagged_recording(flagged=every), "back squat")
    sm = res.set_metrics
    assert sm.fastest_rep == 2                          # the flagged reps are used
    assert panel_data(res).summary[0].endswith(" · ⚑ every rep flagged: read with care")
    assert "Velocity loss rep 2 (fastest counted) → rep 5: " in " ".join(panel_data(res).summary)
    assert _loss_text(res)[0].endswith("Every rep is flagged ⚑ (track unreliable): the set's "
                                       "numbers use them, read them with care.")
    t, x, y, conf = flagged_track(every)
    path = tmp_path / "track.csv"
    write_track_csv(path, range(len(t)), t, x, y, conf, [1] * len(t))
    assert main(["analyze", "--track-csv", str(path), "--m-per-px", str(1 / PX_PER_M),
                 "--lift", "squat"]) == 0
    out = capsys.readouterr().out
    assert f"  best MCV {sm.best_mcv:.2f} m/s (rep 2), mean MCV {sm.mean_mcv:.2f} m/s (every " \
        "rep is flagged ⚑ (track unreliable): the set's numbers use them, read them with " \
        "care)" in out
