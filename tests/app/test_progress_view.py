"""The Progress view at the second level: built from a summary of a generated library,
it shows each set as a point and the e1RM; clicking a point asks to open its session;
the window opens from the Analysis menu on the open session's lifter."""

from __future__ import annotations

import shutil

import pytest

from analysis.progress.history import collect_history
from analysis.progress.summary import summarize
from analysis.session.store import SessionStore
from app.controllers.progress import ProgressController
from tests.analysis.test_progress import library  # noqa: F401  (module-scoped fixture)
from widgets.progress_view import ProgressViewWidget


@pytest.fixture(scope="module")
def summary(library):  # noqa: F811
    """Read once per module: every set is analysed again from its track (a few seconds)."""
    path, _ = library
    store = SessionStore(path)
    try:
        return summarize(collect_history(store, "Ana", "back squat"), "Ana", "back squat", 0.30)
    finally:
        store.close()


def test_view_shows_every_set_and_the_e1rm(qtbot, summary):
    view = ProgressViewWidget()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show_summary(summary)
    assert len(view.points) == 12
    assert len(summary.sessions) == 4 and all(sp.e1rm is not None for sp in summary.sessions)
    # the lifter got faster at fixed loads: each session's e1RM is above the one before
    e = [sp.e1rm.e1rm_kg for sp in summary.sessions]
    assert e == sorted(e)
    assert "Estimated 1RM at 0.30 m/s" in view.summary.text()
    assert sorted(summary.trend) == [100.0, 120.0, 140.0]


def test_clicking_a_point_asks_for_its_session(qtbot, summary):
    view = ProgressViewWidget()
    qtbot.addWidget(view)
    view.show_summary(summary)
    item = next(i for i in view.profile_plot.listDataItems()
                if hasattr(i, "points") and i.points() is not None and len(i.points()))
    with qtbot.waitSignal(view.open_requested) as got, \
            qtbot.waitSignal(view.set_requested) as got_set:
        item.sigClicked.emit(item, [item.points()[1]], None)
    assert got.args[0] == summary.sessions[0].session_id
    # the second point of the first session is its second set (120 kg)
    sp = summary.sessions[0]
    assert got_set.args == [sp.session_id, sp.recording_ids[1]]
    assert item.points()[1].pos().x() == pytest.approx(sp.points[1][0])


def test_one_load_gives_a_plain_refusal(qtbot):
    one = summarize([], "Ana", "back squat", 0.3)
    view = ProgressViewWidget()
    qtbot.addWidget(view)
    view.show_summary(one)
    assert "No measured sets" in view.summary.text()


def test_controller_opens_the_clicked_session(qtbot, library, tmp_path):  # noqa: F811
    path, _ = library
    lib = tmp_path / "library.sqlite3"
    shutil.copy(path, lib)
    opened = []
    ctl = ProgressController(lib, opened.append, pytest.fail, sync=True)
    view = ctl.show("Ana", "back squat")
    qtbot.addWidget(view)
    assert view.lifter.currentText() == "Ana"
    assert view.mvt.value() == pytest.approx(0.30)
    assert len(view.points) == 12
    view.open_requested.emit("abc")
    assert opened == ["abc"]


def test_an_open_progress_window_follows_a_saved_session(qtbot, library, tmp_path,  # noqa: F811
                                                          monkeypatch):
    """A load typed or a rep corrected in the main window stayed out of an open Progress
    window until it was closed: a saved session of the lifter and exercise shown reads
    the library again (another lifter's does not)."""
    import app.controllers.progress as progress

    path, _ = library
    lib = tmp_path / "library.sqlite3"
    shutil.copy(path, lib)
    ctl = ProgressController(lib, lambda _id: None, pytest.fail, sync=True)
    view = ctl.show("Ana", "back squat")
    qtbot.addWidget(view)
    assert len(view.points) == 12
    with SessionStore(lib) as store:  # a set's load changed and saved, as the app does
        s = store.get(next(x.id for x in store.list_sessions() if x.lifter == "Ana"))
        s.recordings[0].load = 300.0
        store.save(s)
    read = []
    real = progress.load_summary
    monkeypatch.setattr(progress, "load_summary", lambda *a: read.append(a) or real(*a))
    ctl.follow_saved("Ben", "back squat")
    assert read == []
    ctl.follow_saved("ana", "Back Squat")
    assert len(read) == 1
    assert any(x == pytest.approx(300.0) for x, _v, _sid in view.points)


def _set(sid, date, n, load, mcv, tempo_ok, readiness):
    from analysis.progress.history import RepPoint, SetRecord

    reps = [RepPoint(i + 1, mcv - 0.03 * i, mcv * 1.8, 0.55, "2.0-0.5-0.8-0.5",
                     (2.0, 0.5, 0.8, 0.5), ok) for i, ok in enumerate(tempo_ok)]
    return SetRecord(sid, date, "Ana", "back squat", n, load, reps, 6.0, None, readiness,
                     recording_id=f"{sid}{n}", prescribed_tempo="2-1-1-0")


def test_tempo_compliance_and_readiness_over_time(qtbot):
    sets = [
        _set("s1", "2026-10-01", 1, 100.0, 0.80, [True, True, False, False],
             {"slept_well": False, "recovered": 2, "pain": "left knee"}),
        _set("s1", "2026-10-01", 2, 120.0, 0.62, [True, False], {"slept_well": False,
                                                               "recovered": 2, "pain": "left knee"}),
        _set("s2", "2026-10-08", 1, 100.0, 0.84, [True, True, True, True],
             {"slept_well": True, "recovered": 4, "pain": ""}),
        _set("s2", "2026-10-08", 2, None, 0.66, [True, True], {"slept_well": True,
                                                             "recovered": 4, "pain": ""}),
    ]
    s = summarize(sets, "Ana", "back squat", 0.30)
    assert s.unloaded == 1 and s.unmeasured == 0
    view = ProgressViewWidget()
    qtbot.addWidget(view)
    view.resize(1200, 780)
    view.show_summary(s)
    ot = view.over_time
    # session 1: sets at 50 % and 50 % of reps on tempo; session 2: all of them
    assert ot["tempo compliance"] == [(0, 50.0), (1, 100.0)]
    assert ot["recovered"] == [(0, 2.0), (1, 4.0)]
    assert ot["slept well"] == [(0, 1.0), (1, 5.0)]
    assert [x for x, _ in ot["pain"]] == [0]
    assert ot["velocity loss"] == [(0, 6.0), (1, 6.0)]
    # the set without a load is left out of the profile, and the hint says how to fix it
    assert len(view.points) == 3
    assert not view.hint.isHidden() and "have no load" in view.hint.text()


def test_hint_when_no_lifter_is_named(qtbot, tmp_path):
    from analysis.session.document import Session

    lib = tmp_path / "lib.sqlite3"
    store = SessionStore(lib)
    store.save(Session(exercise="back squat"))
    store.close()
    ctl = ProgressController(lib, lambda _sid: None, lambda msg: None, sync=True)
    view = ctl.show("", "")
    qtbot.addWidget(view)
    assert not view.hint.isHidden() and "names a lifter" in view.hint.text()
    assert "Lifter and Exercise in the session's Details" in view.hint.text()


def test_hint_when_the_open_session_names_no_lifter(qtbot, library):  # noqa: F811
    path, _ = library
    ctl = ProgressController(path, lambda _sid: None, lambda msg: None, sync=True)
    view = ctl.show("", "back squat")
    qtbot.addWidget(view)
    assert len(view.points) > 0  # another lifter's progress is shown meanwhile
    assert "The open session names no lifter" in view.hint.text()
    assert f"Showing {view.lifter.currentText()}." in view.hint.text()


def _legend(plot) -> list[str]:
    return [label.text for _sample, label in plot.getPlotItem().legend.items]


@pytest.mark.parametrize("empty", [False, True], ids=["with sets", "no sets"])
def test_every_plot_says_what_it_shows(qtbot, summary, empty):
    """The right-hand plots had no titles, and "per session (%)" did not say whether it was
    velocity loss or tempo compliance; with no sets there was no legend at all."""
    view = ProgressViewWidget()
    qtbot.addWidget(view)
    view.resize(1200, 780)
    view.show_summary(summarize([], "Ana", "back squat", 0.3) if empty else summary)
    titles = [p.getPlotItem().titleLabel.text for p in
              (view.profile_plot, view.trend_plot, view.time_plot, view.ready_plot)]
    assert titles[0].startswith("Load-velocity profile") and "MCV" in titles[1]
    assert titles[2] == "Tempo compliance and velocity loss per session"
    assert titles[3].startswith("Readiness")
    percent = _legend(view.time_plot)
    assert any(t.startswith("tempo compliance") for t in percent)
    assert any(t.startswith("velocity loss") for t in percent)
    assert [t.split(" (")[0] for t in _legend(view.ready_plot)] == ["recovered", "slept well",
                                                                   "pain noted"]
    if not empty:  # one entry per load, and each series drawn from its own item
        assert sorted(_legend(view.trend_plot)) == ["100 kg", "120 kg", "140 kg"]
        vl = view.series_items["velocity loss"].getData()[1]
        assert list(vl) == [v for _x, v in view.over_time["velocity loss"]] and len(vl) == 4
    else:
        assert not view.trend_plot.getPlotItem().legend.isVisible()


def _velocity_axis(qtbot, summary):
    """The view shown with ``summary``, and its profile's velocity range (m/s)."""
    view = ProgressViewWidget()
    qtbot.addWidget(view)
    view.resize(1200, 780)
    view.show()
    view.show_summary(summary)
    qtbot.wait(50)
    return view, view.profile_plot.getPlotItem().viewRange()[1]


def test_nearly_equal_velocities_are_not_blown_up(qtbot):
    """Tour 30: two sets 10 kg apart at 0.46372 and 0.46405 m/s filled the velocity axis
    corner to corner (0.46372-0.46405), as if they differed, and the hint asked whether the
    loads had been entered, though they had."""
    sets = [_set("s1", "2026-11-24", 1, 140.0, 0.46372, [True], {}),
            _set("s2", "2026-12-01", 1, 150.0, 0.46405, [True], {})]
    view, (lo, hi) = _velocity_axis(qtbot, summarize(sets, "Ana", "back squat", 0.30))
    assert hi - lo >= 0.15  # a 0.0003 m/s difference is a sliver of the axis
    assert lo < 0.46372 and 0.46405 < hi
    assert abs((lo + hi) / 2 - 0.4639) < 0.01  # the points sit mid-axis, clear of the legend
    t_lo, t_hi = view.trend_plot.getPlotItem().viewRange()[1]
    assert t_hi - t_lo >= 0.15
    text = view.summary.text() + view.hint.text()
    assert "about equal" in text and "loads entered" not in text


def test_a_wide_spread_of_velocities_is_shown_whole(qtbot, summary):
    view, (lo, hi) = _velocity_axis(qtbot, summary)
    ys = [y for _x, y, _s in view.points]
    assert lo <= min(ys) and max(ys) <= hi


def test_sets_tracked_at_different_points_are_named_in_the_hint(qtbot):
    """Tour 31: one squat rep tracked at the sleeve end (0.64 m/s) and at the plate centre
    (0.55 m/s) drew a load-velocity line and an e1RM with no word that the bar end reads
    faster (it sits nearer the camera)."""
    from dataclasses import replace

    ready = {"slept_well": True, "recovered": 4, "pain": ""}
    sets = [replace(_set("s1", "2026-12-01", 1, 100.0, 0.64, [True], ready),
                    tracked_point="bar_end"),
            replace(_set("s2", "2026-12-01", 1, 110.0, 0.55, [True], ready),
                    tracked_point="plate"),
            replace(_set("s3", "2026-12-02", 1, 120.0, 0.48, [True], ready),
                    tracked_point="plate")]
    s = summarize(sets, "Ana", "back squat", 0.30)
    assert s.tracked_points == {"bar_end": 1, "plate": 2}
    view = ProgressViewWidget()
    qtbot.addWidget(view)
    view.show_summary(s)
    text = view.hint.text()
    assert not view.hint.isHidden()
    assert "tracked at different points (1 at the bar end, 2 at the plate centre)" in text
    assert "different distances from the camera" in text
    # all at one point: nothing said about it
    same = summarize([replace(x, tracked_point="plate") for x in sets], "Ana", "back squat",
                     0.30)
    view.show_summary(same)
    assert "different points" not in view.hint.text()


def test_sets_without_a_load_count_as_measured(qtbot):
    """A batch-imported set without a load read "0 measured set(s) in 1 session(s)" above
    "1 measured set(s) have no load": one count for both lines."""
    from dataclasses import replace

    ready = {"slept_well": True, "recovered": 4, "pain": ""}
    sets = [replace(_set("s1", "2026-12-01", 1, 100.0, 0.64, [True], ready), load_kg=None)]
    view = ProgressViewWidget()
    qtbot.addWidget(view)
    view.show_summary(summarize(sets, "Ana", "back squat", 0.30))
    assert view.summary.text().startswith("1 measured set(s) in 1 session(s), 0 with a load.")
    assert "1 measured set(s) have no load" in view.hint.text()


def test_sets_whose_point_was_not_recorded_are_named_in_the_hint(qtbot):
    """A set saved before the tracked point was recorded is neither "a point chosen" nor
    the same point as the others: the hint counts it apart and says how to record it."""
    from dataclasses import replace

    ready = {"slept_well": True, "recovered": 4, "pain": ""}
    sets = [replace(_set("s1", "2026-11-20", 1, 100.0, 0.64, [True], ready),
                    tracked_point="unknown"),
            replace(_set("s2", "2026-12-01", 1, 110.0, 0.55, [True], ready),
                    tracked_point="plate"),
            replace(_set("s3", "2026-12-02", 1, 120.0, 0.48, [True], ready),
                    tracked_point="plate")]
    view = ProgressViewWidget()
    qtbot.addWidget(view)
    view.show_summary(summarize(sets, "Ana", "back squat", 0.30))
    text = view.hint.text()
    assert "tracked at different points" not in text and "point chosen" not in text
    assert ("1 set(s) were saved by an earlier version that did not record which point "
            "their track followed (the others: 2 at the plate centre)") in text
    assert "Say which point each followed (Analysis menu, on the set)" in text
    # an old set with another point known: both said
    sets[2] = replace(sets[2], tracked_point="bar_end")
    view.show_summary(summarize(sets, "Ana", "back squat", 0.30))
    text = view.hint.text()
    assert "tracked at different points (1 at the bar end, 1 at the plate centre)" in text
    assert "(the others: 1 at the bar end, 1 at the plate centre)" in text


def test_an_exercise_is_one_however_it_is_written(tmp_path):
    """A batch folder stored "clean_and_jerk" beside the app's "clean and jerk": Progress
    offered both as exercises and showed each session under one only."""
    from analysis.progress.history import collect_history
    from analysis.session.document import Recording, Session
    from app.controllers.progress import load_choices

    lib = tmp_path / "library.sqlite3"
    with SessionStore(lib) as store:
        for ex, date in (("clean and jerk", "2026-11-01"), ("clean_and_jerk", "2026-11-02"),
                         ("Clean-and-Jerk", "2026-11-03"), ("deadlift", "2026-11-04")):
            store.save(Session(lifter="Jo", exercise=ex, date=date,
                               recordings=[Recording(f"/v/{date}.mp4", 1, date)]))
        got = collect_history(store, "Jo", "clean and jerk")
    assert load_choices(lib) == (["Jo"], ["clean and jerk", "deadlift"],
                                 {"Jo": ["clean and jerk", "deadlift"]})
    assert [s.date for s in got] == ["2026-11-01", "2026-11-02", "2026-11-03"]


def test_the_exercise_box_offers_the_chosen_lifters_exercises(qtbot, tmp_path):
    """Switching Lifter from Ana (clean and jerk) to Sam (squat, bench, deadlift) kept
    "clean and jerk" and showed Sam's deadlift set as best peak velocity of made attempts."""
    from tests.analysis.test_progress import _mixed_library

    lib = _mixed_library(tmp_path)
    ctl = ProgressController(lib, lambda _sid: None, pytest.fail, sync=True)
    view = ctl.show("Ana Ruiz", "clean and jerk")
    qtbot.addWidget(view)
    items = [view.exercise.itemText(i) for i in range(view.exercise.count())]
    assert items == ["Clean and jerk"] and view.exercise.currentText() == "Clean and jerk"
    view.lifter.setCurrentText("Sam Carter")
    items = [view.exercise.itemText(i) for i in range(view.exercise.count())]
    assert items == ["back squat", "bench press", "deadlift"]
    assert view.exercise.currentText() == "back squat"
    assert view.mvt.value() == pytest.approx(0.30)
    # Sam's one back squat session (not his deadlift) is what is summarised
    assert "in 1 session(s)" in view.summary.text()


def _marker_rects(plot):
    """Scene rectangles of every point marker the plot draws (scatter and line symbols)."""
    from PySide6.QtCore import QPointF, QRectF

    import pyqtgraph as pg

    vb = plot.getPlotItem().getViewBox()
    rects = []
    for item in plot.getPlotItem().items:
        if isinstance(item, pg.ScatterPlotItem):
            xy = [(p.pos().x(), p.pos().y(), p.size()) for p in item.points()]
        elif isinstance(item, pg.PlotDataItem) and item.opts.get("symbol"):
            x, y = item.getData()
            xy = [(a, b, item.opts["symbolSize"]) for a, b in
                  zip([] if x is None else x, [] if y is None else y, strict=True)]
        else:
            continue
        for x, y, size in xy:
            c = vb.mapViewToScene(QPointF(float(x), float(y)))
            rects.append(QRectF(c.x() - size / 2, c.y() - size / 2, size, size))
    return rects


def _user_sets(n):
    ready = {"slept_well": True, "recovered": 4, "pain": "knee"}
    return [_set("s1", "2026-11-24", 1, 100.0, 0.39, [False], ready),
            _set("s2", "2026-12-01", 1, 110.0, 0.56, [True], ready)][:n]


@pytest.mark.parametrize("n", [1, 2], ids=["one session", "two sessions"])
def test_every_marker_is_whole_and_clear_of_the_legend(qtbot, n):
    """A new user's two sessions (100 kg at 0.39 m/s, 110 kg at 0.56 m/s): the 110 kg point
    sat under the profile's legend in the top right, both points sat on the plot's edges,
    and the 0 % tempo compliance marker sat on the axis line, half hidden. Every marker of
    every Progress plot lies wholly inside its plot, off the edges, and off the legend."""
    view = ProgressViewWidget()
    qtbot.addWidget(view)
    view.resize(1200, 780)
    view.show()
    view.show_summary(summarize(_user_sets(n), "Ana", "back squat", 0.30))
    qtbot.wait(100)
    for plot in (view.profile_plot, view.trend_plot, view.time_plot, view.ready_plot):
        item = plot.getPlotItem()
        box = item.getViewBox().sceneBoundingRect().adjusted(4, 4, -4, -4)
        legend = item.legend.sceneBoundingRect()
        rects = _marker_rects(plot)
        assert rects, plot
        for r in rects:
            assert box.contains(r), (item.titleLabel.text, r, box)
            assert not legend.intersects(r), (item.titleLabel.text, r, legend)


def test_a_single_load_gets_a_sensible_load_axis(qtbot):
    """One 100 kg set drew a load axis of 99.6-100.4 kg in 0.2 kg steps: a single load
    is shown with 10 % (or 5 kg) each side, its ticks on whole kg."""
    view = ProgressViewWidget()
    qtbot.addWidget(view)
    view.resize(1200, 780)
    view.show()
    view.show_summary(summarize(_user_sets(1), "Ana", "back squat", 0.30))
    qtbot.wait(100)
    (x0, x1), _ = view.profile_plot.getPlotItem().viewRange()
    assert x0 <= 90.0 and x1 >= 110.0 and x1 - x0 <= 30.0
    axis = view.profile_plot.getAxis("bottom")
    spacing, labelled = axis.tickValues(x0, x1, axis.width())[0]  # the labelled ticks
    assert spacing >= 1.0 and labelled and all(v == round(v) for v in labelled), labelled
