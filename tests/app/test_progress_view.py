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


@pytest.fixture
def summary(library):  # noqa: F811
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
    with qtbot.waitSignal(view.open_requested) as got:
        item.sigClicked.emit(item, [item.points()[0]], None)
    assert got.args[0] == summary.sessions[0].session_id


def test_one_load_gives_a_plain_refusal(qtbot, summary):
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
