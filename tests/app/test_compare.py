"""Comparison mode in the main window: joint stepping, sync, nudge, swap, overlay."""

from __future__ import annotations

import pytest

from analysis.synth.barcode import read_number
from tests.analysis.clips import numbered_clip


@pytest.fixture
def window(make_window, clip_cache):
    a, _, _ = numbered_clip(clip_cache, "cfr")  # 30 fps, 90 frames
    b, _, _ = numbered_clip(clip_cache, "fps60")  # 60 fps, 120 frames
    win = make_window(a, size=(1200, 700))
    win.opener.open(str(b), "compare")
    assert win.compare.active
    return win


def _both(qtbot, win):
    c = win.compare.controller
    want = c.frames_now()
    qtbot.waitUntil(lambda: all(s is not None and s.index == w for s, w in zip(c.shown, want, strict=True)),
                    timeout=10000)
    return [read_number(s.image) for s in c.shown]


def test_joint_stepping_across_frame_rates(qtbot, window):
    c = window.compare.controller
    acts = window.actions_by_id
    assert window.views.currentWidget() is window.compare.view
    assert _both(qtbot, window) == [0, 0]
    seen = []
    for _ in range(6):
        acts["step_fwd"].trigger()
        seen.append(tuple(_both(qtbot, window)))
    # the 60 fps side changes every step, the 30 fps side every other step
    assert [b for _, b in seen] == [1, 2, 3, 4, 5, 6]
    assert [a for a, _ in seen] == [0, 1, 1, 2, 2, 3]
    acts["step_back"].trigger()
    assert _both(qtbot, window) == [2, 5]
    assert c.tau == pytest.approx(5 / 60)


def test_sync_here_nudge_and_swap(qtbot, window):
    c = window.compare.controller
    acts = window.actions_by_id
    for _ in range(20):
        acts["step_fwd"].trigger()  # both at ~1/3 s
    # select the right side and move it 10 of its frames on: the event is now 10 frames apart
    window.compare.view.set_active(1)
    for _ in range(10):
        acts["compare_nudge_fwd"].trigger()
    a, b = _both(qtbot, window)
    assert (a, b) == (10, 30)
    acts["compare_sync_here"].trigger()
    assert c.tau == pytest.approx(0.0)
    assert _both(qtbot, window) == [10, 30]
    acts["first"].trigger()  # start of the common timeline: B starts 1/3 s before A's event
    assert c.tau == pytest.approx(-0.5)
    acts["compare_swap"].trigger()
    got = _both(qtbot, window)
    assert c.sides[0].label.startswith("fps60")
    assert got == [0, 0]  # B (now left) at its first frame, A holds its first frame


def test_play_together_and_modes(qtbot, window):
    c = window.compare.controller
    c.set_speed(2.0)
    c.play(1)
    qtbot.waitUntil(lambda: c.position > 30, timeout=10000)
    c.pause()
    fa, fb = c.frames_now()
    # still in step after playing; a pause that comes late on a busy machine finds B (2 s)
    # holding its last frame while A (3 s) plays on
    assert abs(fb - min(2 * fa, 119)) <= 2
    window.actions_by_id["compare_overlay"].trigger()
    assert window.compare.view.overlay and not window.compare.view.canvases[1].isVisible()
    window.actions_by_id["compare_layout"].trigger()
    assert window.compare.view.layout_name == "top_bottom"
    window.actions_by_id["compare_exit"].trigger()
    assert not window.compare.active
    assert window.views.currentWidget() is window.canvas


def test_comparison_is_saved_in_the_session_and_reopens(qtbot, window):
    c = window.compare.controller
    acts = window.actions_by_id
    for _ in range(12):
        acts["step_fwd"].trigger()
    window.compare.view.set_active(1)
    for _ in range(4):
        acts["compare_nudge_fwd"].trigger()
    acts["compare_sync_here"].trigger()
    acts["compare_overlay"].trigger()
    before = (window.compare.controller.frames_now(), window.compare.view.overlay)
    session = window.workspace.sessions.session
    saved = [x for x in session.comparisons if x.get("kind") == "comparison"]
    assert len(saved) == 1 and saved[0]["overlay"] is True
    events = [s["event"] for s in saved[0]["sides"]]
    acts["compare_exit"].trigger()
    window.open_comparison(saved[0])
    qtbot.waitUntil(lambda: window.compare.active, timeout=10000)
    assert [s.event for s in c.sides] == events
    assert (window.compare.controller.frames_now(), window.compare.view.overlay) == before


def test_side_by_side_export_keeps_each_sides_drawings(qtbot, window, tmp_path, monkeypatch):
    import av

    from analysis.annotations import make_annotation
    from analysis.annotations.model import Style, Visibility

    ws = window.workspace
    session = ws.sessions.session
    rec_a = next(r for r in session.recordings if r.video_path == window.compare.controller.sides[0]
                 .feed.index.path)
    rec_a.annotations.append(make_annotation("line", 0.0, [(10, 120), (310, 120)],
                                             Style("#ff0000", 60), Visibility("always")))
    out = tmp_path / "sbs.mp4"
    from widgets.export_dialog import ExportDialogWidget

    def save_as_out(dialog):  # the export dialog, its file name typed and Save pressed
        dialog.path.setText(str(out))
        return ExportDialogWidget.Accepted

    monkeypatch.setattr(ExportDialogWidget, "exec", save_as_out)
    window.workspace.actions["export_sbs"].trigger()
    qtbot.waitUntil(lambda: out.exists() and ws.exports.job is not None
                    and not ws.exports.job.running, timeout=60000)
    with av.open(str(out)) as c:
        img = next(c.decode(video=0)).to_ndarray(format="bgr24").astype(int)
        frames = list(c.decode(video=0))
    # the whole comparison, its last picture shown for its own time (not cut to 1 ms)
    timeline = window.compare.controller.timeline
    last = frames[-1]
    assert float((last.pts + last.duration) * last.time_base) == pytest.approx(
        timeline.duration, abs=1e-3)
    # one constant rate, the faster side's (60 fps), also once the shorter side B stands
    # still on its last frame (it was variable: changes of either side, then A's only)
    steps = {frames[k + 1].pts - frames[k].pts for k in range(len(frames) - 1)}
    assert max(steps) - min(steps) <= 1
    assert float(min(steps) * last.time_base) == pytest.approx(1 / 60, abs=1e-4)
    h, w = img.shape[:2]
    red = (img[..., 2] > 170) & (img[..., 1] < 90) & (img[..., 0] < 90)
    red[: h // 8] = False  # the numbered clips carry a red tab in the top-left corner
    b_width = round(h * 240 / 320)  # B (240x320) shown at the output height, on the right
    assert red[:, : w - b_width - 8].sum() > 200  # A's line on the left
    assert red[:, w - b_width:].sum() < 20  # B had no drawings


def test_side_by_side_export_offers_range_speed_and_size(qtbot, window, tmp_path,
                                                          monkeypatch):
    """The side-by-side export asked only for a file name (always the loop or the whole
    comparison, at 1x and 1080p): it now offers the range, speed and size as the clip
    export does. The loop at 1/2x and 720p gives twice the loop's time, at most 720 px
    on its short side, and the first side's data says the speed."""
    import av

    from widgets.export_dialog import ExportDialogWidget

    ws = window.workspace
    c = window.compare.controller
    c.seek(10)
    c.set_loop_in()
    c.seek(40)
    c.set_loop_out()
    lo, hi = c.loop_range()
    loop_s = float(c.marks[hi + 1] - c.marks[lo])
    out = tmp_path / "slow.mp4"
    offered: list[list[str]] = []

    def choose(dialog):
        offered.append([dialog.range.itemText(i) for i in range(dialog.range.count())])
        assert not dialog.audio.isVisibleTo(dialog) and not dialog.hud.isVisibleTo(dialog)
        dialog.range.setCurrentIndex(dialog.range.findText("Loop in–out"))
        dialog.speed.setCurrentIndex(dialog.speed.findData(0.5))
        dialog.size.setCurrentIndex(dialog.size.findData("720p"))
        dialog.path.setText(str(out))
        return ExportDialogWidget.Accepted

    monkeypatch.setattr(ExportDialogWidget, "exec", choose)
    ws.actions["export_sbs"].trigger()
    qtbot.waitUntil(lambda: out.exists() and ws.exports.job is not None
                    and not ws.exports.job.running, timeout=60000)
    assert offered == [["Loop in–out",
                         "Whole comparison (B holds its last frame after it ends)"]]
    with av.open(str(out)) as f:
        s = f.streams.video[0]
        frames = list(f.decode(s))
        h, w = frames[0].height, frames[0].width
    last = frames[-1]
    duration = float((last.pts + last.duration) * last.time_base)
    assert duration == pytest.approx(2 * loop_s, abs=0.05)
    assert min(w, h) <= 720


def test_comparison_actions_are_greyed_out_without_a_comparison(qtbot, window):
    """Swap sides, Overlay, Sync … did nothing (and said nothing) with no comparison open:
    they are enabled while one is open, and only then."""
    from app.actions import COMPARE_ONLY

    acts = window.actions_by_id
    assert all(acts[name].isEnabled() for name in COMPARE_ONLY)
    acts["compare_exit"].trigger()
    assert not window.compare.active
    assert not any(acts[name].isEnabled() for name in COMPARE_ONLY)
    assert acts["compare_with"].isEnabled() and acts["compare_sessions"].isEnabled()
