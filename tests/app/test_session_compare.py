"""Compare sessions at the second level: the table's rows and differences from a known
comparison, and in the real window the action on the open session's lifter, then a pair
opened in the synchronised video comparison with both analyses."""

from __future__ import annotations

import os

import pytest

from analysis.progress.history import RepPoint, SetRecord
from analysis.progress.sessions import SessionComparison, SessionInfo, match_sets
from analysis.session.document import Session
from analysis.session.store import SessionStore
from tests.app.test_compare_library import _saved_recording, clips  # noqa: F401
from widgets.session_compare import SessionCompareWidget


def _set(sid: str, n: int, load: float | None, mcvs: list[float], tempo_ok: bool | None,
         vl: float | None = None) -> SetRecord:
    reps = [RepPoint(i + 1, v, v * 1.8, 0.55, "2.0-0.5-0.8-0.5", (2.0, 0.5, 0.8, 0.5),
                     tempo_ok) for i, v in enumerate(mcvs)]
    return SetRecord(sid, "", "Ana", "back squat", n, load, reps, vl, None,
                     recording_id=f"{sid}-{n}", prescribed_tempo="2-1-1-0")


def test_table_rows_and_differences(qtbot):
    a = [_set("a", 1, 100.0, [0.80, 0.76, 0.72], True, 10.0),
         _set("a", 2, 120.0, [0.60, 0.57], False, 5.0)]
    b = [_set("b", 1, 120.0, [0.66, 0.64, 0.60], True, 9.1),
         _set("b", 2, 100.0, [0.85, 0.80], True, 5.9),
         _set("b", 3, 140.0, [0.45], None)]
    cmp = SessionComparison(SessionInfo("a", "2026-10-01", "Ana", "back squat", "2-1-1-0"),
                            SessionInfo("b", "2026-11-05", "Ana", "back squat", "2-1-1-0"),
                            "load", match_sets(a, b, "load"))
    view = SessionCompareWidget()
    qtbot.addWidget(view)
    view.resize(980, 600)
    view.show_comparison(cmp)
    # three rows per pair (A, B, difference): 100 kg, 120 kg, 140 kg (B only)
    assert view.table.rowCount() == 9 and view.row_pair == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert view.cell(0, 0) == "A · 2026-10-01 · set 1" and view.cell(1, 0) == "B · 2026-11-05 · set 2"
    assert [view.cell(0, c) for c in range(1, 9)] == [
        "100.0 kg", "3", "0.80", "0.76", "10.0", "55.0", "2.0-0.5-0.8-0.5", "100 %"]
    assert [view.cell(2, c) for c in range(9)] == [
        "Δ B − A", "", "-1", "+0.05", "+0.06", "-4.1", "0.0", "", "0 %"]
    # each difference is that of the two numbers printed above it (no "+0.0", "+0 %")
    for top in (0, 3):
        for c in (2, 3, 4, 5, 6):
            va, vb, d = (float(view.cell(top + k, c).split()[0]) for k in range(3))
            assert d == pytest.approx(vb - va, abs=1e-9), (top, c)
    # 120 kg: faster in B (green), and tempo now kept on every rep
    assert view.cell(5, 3) == "+0.06" and view.cell(5, 8) == "+100 %"
    assert view.table.item(5, 3).foreground().color().green() > 200
    # velocity loss went up at 120 kg: red
    assert view.cell(5, 5) == "+4.1" and view.table.item(5, 5).foreground().color().red() > 200
    # the heavier set only B did: no matching set, no difference
    assert view.cell(6, 0) == "A · 2026-10-01 · no set"  # short: a narrow window cut it
    assert "no set to match" in view.table.item(6, 0).toolTip()
    head = view.table.horizontalHeader()
    view.resize(960, 600)  # the window of the tour: the Set column shows it whole
    view.show()
    qtbot.waitExposed(view)
    assert view.table.fontMetrics().horizontalAdvance(view.cell(6, 0)) + 12 <= \
        head.sectionSize(0)
    assert view.cell(8, 3) == "—"
    assert "Best MCV +0.05 m/s on average (faster in B)" in view.summary.text()
    # a pair asks to be opened by double-click
    with qtbot.waitSignal(view.pair_open_requested) as got:
        view.table.itemDoubleClicked.emit(view.table.item(4, 0))
    assert got.args == [1]
    view.set_units("lb")
    view.show_comparison(cmp)
    assert view.cell(0, 1) == "220.5 lb"


def test_a_difference_between_sets_of_other_loads_says_so_on_its_row(qtbot):
    """Tour 30: 140 kg against 150 kg, paired by order, showed "Δ B − A" and 0.00 like any
    difference; only its tooltip said the loads differ."""
    a = [_set("a", 1, 140.0, [0.46], True)]
    b = [_set("b", 1, 150.0, [0.46], True), _set("b", 2, None, [0.40], True)]
    c = [_set("a", 2, 100.0, [0.50], True)]
    cmp = SessionComparison(SessionInfo("a", "2026-11-24", "Ana", "back squat", ""),
                            SessionInfo("b", "2026-12-01", "Ana", "back squat", ""),
                            "order", match_sets(a + c, b, "order"))
    view = SessionCompareWidget()
    qtbot.addWidget(view)
    view.show_comparison(cmp)
    assert view.cell(2, 0) == "Δ B − A · loads differ" and view.cell(2, 1) == "+10.0 kg"
    assert view.cell(2, 3) == "0.00"  # the numbers themselves as before, not coloured
    assert view.cell(5, 0) == "Δ B − A · load missing" and view.cell(5, 1) == ""
    same = SessionComparison(cmp.a, cmp.b, "order", match_sets(a, [_set("b", 1, 140.0, [0.5],
                                                                        True)], "order"))
    view.show_comparison(same)
    assert view.cell(2, 0) == "Δ B − A" and view.cell(2, 1) == ""  # like for like: as before


def test_a_difference_between_sets_tracked_at_other_points_says_so(qtbot):
    """Tour 31: the same squat rep tracked at the sleeve end in A and at the plate centre in
    B (one plate scale) read "+0.09 m/s, ROM +12.5 cm" as if the lifter had changed: the
    bar end sits nearer the camera. The row says so and is not coloured."""
    from dataclasses import replace

    a = [replace(_set("a", 1, 100.0, [0.64], True), tracked_point="bar_end")]
    b = [replace(_set("b", 1, 100.0, [0.55], True), tracked_point="plate")]
    info = (SessionInfo("a", "2026-11-24", "Ana", "back squat", ""),
            SessionInfo("b", "2026-12-01", "Ana", "back squat", ""))
    view = SessionCompareWidget()
    qtbot.addWidget(view)
    view.show_comparison(SessionComparison(*info, "order", match_sets(a, b, "order")))
    assert view.cell(2, 0) == "Δ B − A · tracked points differ"
    assert view.cell(2, 3) == "-0.09"  # the numbers as they are, not coloured as slower
    assert view.table.item(2, 3).foreground() == view.table.item(2, 0).foreground()
    tip = view.table.item(2, 0).toolTip()
    assert "A tracked the bar end and B the plate centre" in tip
    assert "different distances from the camera" in tip
    assert "slower in B" not in view.summary.text()  # nor on average
    # other loads as well: both said, neither hidden behind the other (the load difference
    # and "loads differ" had gone when the points differed too)
    b = [replace(_set("b", 1, 110.0, [0.55], True), tracked_point="plate")]
    view.show_comparison(SessionComparison(*info, "order", match_sets(a, b, "order")))
    assert view.cell(2, 0) == "Δ B − A · tracked points differ, loads differ"
    assert view.cell(2, 1) == "+10.0 kg"
    tip = view.table.item(2, 0).toolTip()
    assert "A tracked the bar end" in tip and "not at the same load" in tip
    # the same point in both (or one unknown): a plain difference, coloured as before
    b = [replace(_set("b", 1, 100.0, [0.55], True), tracked_point="bar_end")]
    view.show_comparison(SessionComparison(*info, "order", match_sets(a, b, "order")))
    assert view.cell(2, 0) == "Δ B − A"
    b = [_set("b", 1, 100.0, [0.55], True)]  # tracked_point unknown ("")
    view.show_comparison(SessionComparison(*info, "order", match_sets(a, b, "order")))
    assert view.cell(2, 0) == "Δ B − A"


def test_a_set_whose_tracked_point_was_not_recorded_is_neither_same_nor_different(qtbot):
    """A session saved before the tracked point was recorded: its set is not said to track
    another point ("tracked points differ") nor the same one (coloured as the lifter's
    change); the row says which set's point is not recorded."""
    from dataclasses import replace

    a = [replace(_set("a", 1, 100.0, [0.64], True), tracked_point="unknown")]
    b = [replace(_set("b", 1, 100.0, [0.55], True), tracked_point="plate")]
    info = (SessionInfo("a", "2026-11-20", "Ana", "back squat", ""),
            SessionInfo("b", "2026-12-01", "Ana", "back squat", ""))
    view = SessionCompareWidget()
    qtbot.addWidget(view)
    view.show_comparison(SessionComparison(*info, "order", match_sets(a, b, "order")))
    assert view.cell(2, 0) == "Δ B − A · A's point not recorded"
    assert view.cell(2, 3) == "-0.09"  # not coloured as slower
    assert view.table.item(2, 3).foreground() == view.table.item(2, 0).foreground()
    tip = view.table.item(2, 0).toolTip()
    assert "A's track does not record which point it followed (B tracked the plate " \
        "centre): it was saved by an earlier version" in tip
    assert "Say which point it followed (Analysis menu, on A's set)" in tip
    assert "differ" not in view.cell(2, 0)
    # nor is B said to be slower on average, though the pair is of one load
    said = view.summary.text()
    assert "on average" not in said and "slower in B" not in said
    assert "1 pair(s) of the same load tracked different points, or a point not " \
        "recorded: not judged faster or slower." in said
    view.resize(960, 600)  # the window of the tour: the row's reason shows whole
    view.show()
    qtbot.waitExposed(view)
    assert view.table.fontMetrics().horizontalAdvance(view.cell(2, 0)) + 12 <= \
        view.table.horizontalHeader().sectionSize(0)
    view.show_comparison(SessionComparison(*info, "order", match_sets(b, a, "order")))
    assert view.cell(2, 0) == "Δ B − A · B's point not recorded"
    assert "(A tracked the plate centre)" in view.table.item(2, 0).toolTip()
    view.show_comparison(SessionComparison(*info, "order", match_sets(a, a, "order")))
    assert view.cell(2, 0) == "Δ B − A · points not recorded"
    assert "Neither A's nor B's track records" in view.table.item(2, 0).toolTip()


def test_no_set_matched_by_load_suggests_by_order_and_measuring_says_so(qtbot):
    a = [_set("a", 1, 140.0, [0.50, 0.47], True)]
    b = [_set("b", 1, 160.0, [0.41, 0.38], True)]
    view = SessionCompareWidget()
    qtbot.addWidget(view)
    view.show_measuring()
    assert view.summary.text().startswith("Measuring") and view.table.rowCount() == 0
    cmp = SessionComparison(SessionInfo("a", "2026-11-30", "Sam", "deadlift", ""),
                            SessionInfo("b", "2026-12-07", "Sam", "deadlift", ""),
                            "load", match_sets(a, b, "load"))
    view.show_comparison(cmp)
    assert "0 set(s) matched by load" in view.summary.text()
    assert "by order" in view.summary.text().split("matched by load.")[1]
    by_order = SessionComparison(cmp.a, cmp.b, "order", match_sets(a, b, "order"))
    view.show_comparison(by_order)
    assert "1 set(s) matched by order" in view.summary.text()
    assert "choose" not in view.summary.text()


def test_compare_sessions_in_the_window(make_window, qtbot, clips, tmp_path,  # noqa: F811
                                        monkeypatch):
    (pa, ta), (pb, tb) = clips
    from app.settings import data_dir

    monkeypatch.setenv("LIFTLENS_DATA_DIR", str(tmp_path / "data"))
    store = SessionStore(data_dir() / "library.sqlite3")
    old = Session(lifter="Ana", date="2026-10-01", exercise="back squat", load=100.0)
    rec_old = _saved_recording(pb, tb)  # last month: slow
    rec_old.set_number, rec_old.load = 1, None
    old.recordings.append(rec_old)
    new = Session(lifter="Ana", date="2026-11-05", exercise="back squat", load=100.0)
    rec_new = _saved_recording(pa, ta)  # today: fast
    rec_new.set_number, rec_new.load = 1, None
    new.recordings.append(rec_new)
    for s in (old, new):
        store.save(s)
    store.close()
    win = make_window(size=(1400, 850))
    ws = win.workspace
    ws.sessions.open_session(new.id)
    qtbot.waitUntil(lambda: win.video_path == rec_new.video_path and win.canvas.frame
                    is not None, timeout=15000)
    win.actions_by_id["compare_sessions"].trigger()
    view = ws.session_compare.view
    assert view is not None and view.isVisible()
    qtbot.waitUntil(lambda: view.comparison is not None, timeout=60000)
    # the open session is B, the one before it A; both 100 kg sets matched
    assert view.cell(0, 0) == "A · 2026-10-01 · set 1"
    assert view.cell(1, 0) == "B · 2026-11-05 · set 1"
    pair = view.comparison.pairs[0]
    assert pair.a.best_mcv == pytest.approx(tb.reps[0].mean_concentric_velocity, rel=0.15)
    assert pair.b.best_mcv == pytest.approx(max(r.mean_concentric_velocity for r in ta.reps),
                                            rel=0.15)
    assert view.cell(2, 3) == f"{pair.b.best_mcv - pair.a.best_mcv:+.2f}"
    assert pair.diff("best_mcv") > 0.2  # today is much faster
    # another matching of the same two sessions is shown at once, not measured again
    import app.controllers.session_compare as sc

    measured = []
    real = sc.measure_both
    monkeypatch.setattr(sc, "measure_both", lambda *a: measured.append(a) or real(*a))
    shown = view.comparison
    view.match.setCurrentIndex(view.match.findData("order"))
    assert view.comparison is not shown and view.comparison.by == "order"
    assert measured == [] and view.cell(0, 0) == "A · 2026-10-01 · set 1"
    # open the pair: the open session (B) stays on its set, set A of last month beside it
    # with its analysis (A's session used to become the open one, and leaving the
    # comparison landed the coach there)
    view.open_button.click()
    qtbot.waitUntil(lambda: win.compare.active, timeout=20000)
    assert win.model.session.id == new.id and win.model.current.id == rec_new.id
    side = win.model.comparison.sides[1]
    assert side.recording is not None and side.recording.id == rec_old.id
    ca = ws.compare_analysis
    qtbot.waitUntil(lambda: all(r is not None for r in ca.results), timeout=30000)
    assert len(ca.results[0].reps) == 2 and len(ca.results[1].reps) == 3
    # both sides named alike: date, lifter, exercise, load, set
    assert win.compare.controller.sides[0].label == "2026-11-05 · Ana · back squat 100 kg · set 1"
    assert win.compare.controller.sides[1].label == "2026-10-01 · Ana · back squat 100 kg · set 1"
    # leaving the comparison: still in today's session, named in the title bar
    win.compare.leave()
    assert win.model.session.id == new.id and win.model.current.id == rec_new.id
    assert new.title in win.windowTitle() and win.windowTitle().startswith(
        os.path.basename(rec_new.video_path)), win.windowTitle()
    # a click in Progress opens a set of another session: that session on that set
    ws.session_compare.open_set(new.id, rec_new.id)
    qtbot.waitUntil(lambda: win.model.session.id == new.id and win.model.current is not None
                    and win.model.current.id == rec_new.id and not win.compare.active,
                    timeout=20000)
    # the window follows an edit of a session it shows, once saved (it kept the numbers
    # it opened with until closed): B's set now at 120 kg
    assert view.isVisible() and view.comparison.pairs[0].b.load_kg == 100.0
    ws.form.load.setValue(120.0)
    qtbot.waitUntil(lambda: view.comparison is not None and view.comparison.pairs
                    and view.comparison.pairs[0].b is not None
                    and view.comparison.pairs[0].b.load_kg == 120.0, timeout=30000)
    assert view.cell(1, 1) == "120.0 kg"


def test_the_summary_of_two_sessions_of_one_day_names_them_and_says_each_thing_once(qtbot):
    """Two sessions of the same day with the same best MCV read "2026-11-30 (A) against
    2026-11-30 (B) ... Best MCV +0.00 m/s on average (slower in B)", and said the shared
    prescribed tempo and each side's notes with the same date twice."""
    a = [_set("a", 1, 100.0, [0.80, 0.76], True)]
    b = [_set("b", 1, 100.0, [0.80, 0.75], True)]
    cmp = SessionComparison(
        SessionInfo("a", "2026-11-30", "Ana", "back squat", "2-1-1-0", "Morning squat"),
        SessionInfo("b", "2026-11-30", "Ana", "back squat", "2-1-1-0", "Evening squat"),
        "load", match_sets(a, b, "load"), notes=["A, 2026-11-30: set(s) 2 (not tracked) not "
                                                  "measured."])
    view = SessionCompareWidget()
    qtbot.addWidget(view)
    view.show_comparison(cmp)
    text = view.summary.text()
    assert text.startswith("Morning squat (A) against Evening squat (B)")
    assert "slower" not in text and "faster" not in text and "the same on average" in text
    assert text.count("2-1-1-0") == 1 and "Prescribed tempo 2-1-1-0 in both" in text


def test_sessions_at_different_loads_are_matched_by_order_and_not_judged(qtbot):
    """Tour 29: load is one value per session, so "by load" (the default) matched nothing
    between a 120 kg and a 100 kg session; and by order, B's faster bar at 20 kg less
    was coloured green as better."""
    a = [_set("a", 1, 120.0, [0.50, 0.47], True), _set("a", 2, 120.0, [0.48, 0.44], True)]
    b = [_set("b", 1, 100.0, [0.71, 0.66], True), _set("b", 2, 100.0, [0.69, 0.62], True)]
    cmp = SessionComparison(SessionInfo("a", "2026-11-23", "Alex", "back squat", ""),
                            SessionInfo("b", "2026-11-30", "Alex", "back squat", ""),
                            "auto", match_sets(a, b))
    view = SessionCompareWidget()
    qtbot.addWidget(view)
    assert view.match.currentData() == "auto"  # the default
    view.show_comparison(cmp)
    assert [p.complete for p in cmp.pairs] == [True, True]
    assert view.cell(0, 0) == "A · 2026-11-23 · set 1" and view.cell(1, 0) == "B · 2026-11-30 · set 1"
    assert "2 set(s) matched by nearest load" in view.summary.text()
    assert view.cell(2, 3) == "+0.21"
    default = view.table.item(0, 3).foreground().color()
    assert view.table.item(2, 3).foreground().color() == default  # not green: 20 kg lighter
    assert "same load" in view.table.item(2, 3).toolTip()
    assert "faster in B" not in view.summary.text()
    assert "coloured only between sets of the same load" in view.summary.text()


def test_sets_left_over_are_matched_by_nearest_load(qtbot):
    """A at 100/120/140 kg, B at 120/150 kg: 120 with 120, then the rest were paired by
    order, 100 kg with 150 kg (a -0.11 m/s \"difference\" across 50 kg) while the 140 kg
    set stood against nothing. The nearest loads pair now: 140 with 150."""
    a = [_set("a", 1, 100.0, [0.60], True), _set("a", 2, 120.0, [0.52], True),
         _set("a", 3, 140.0, [0.45], True)]
    b = [_set("b", 1, 120.0, [0.53], True), _set("b", 2, 150.0, [0.41], True)]
    pairs = match_sets(a, b)
    got = [(p.a.load_kg if p.a else None, p.b.load_kg if p.b else None) for p in pairs]
    assert got == [(120.0, 120.0), (140.0, 150.0), (100.0, None)]
    view = SessionCompareWidget()
    qtbot.addWidget(view)
    view.show_comparison(SessionComparison(
        SessionInfo("a", "2026-11-24", "Ana", "deadlift", ""),
        SessionInfo("b", "2026-12-01", "Ana", "deadlift", ""), "auto", pairs))
    assert "2 set(s) matched by load (1) and by nearest load (1)." in view.summary.text()
    # without loads on one side the leftovers still pair by order
    bare = [_set("b", 1, None, [0.5], True), _set("b", 2, None, [0.4], True)]
    assert [(p.a.set_number, p.b.set_number) for p in match_sets(a[:2], bare)] == [(1, 1), (2, 2)]


def test_the_open_session_is_always_one_of_the_pair():
    """Opened from the lifter's earliest session, Compare sessions showed two other
    sessions (the last two); it is now that one against the next."""
    from types import SimpleNamespace

    from app.controllers.session_compare import default_pair

    sessions = [SimpleNamespace(id=i) for i in ("nov10", "nov24", "dec01")]
    assert default_pair(sessions, "nov10") == ("nov10", "nov24")
    assert default_pair(sessions, "dec01") == ("nov24", "dec01")
    assert default_pair(sessions, "other") == ("nov24", "dec01")
