"""The picture on the canvas is never another frame than the one the counter names
(tour 29: a set reopened at frame 91 showed its first frame, the lifter standing, under
"frame 91" for about a second)."""

from __future__ import annotations

from analysis.synth.barcode import BarcodeSpec, make_barcode_clip


def _watch(win):
    """Every moment the canvas draws a picture as the frame on the counter:
    ``(frame drawn, position, drawn is the player's frame)``; and every frame drawn."""
    claims, drawn = [], []
    canvas, player = win.canvas, win.player

    def check(*_args):
        f = canvas.frame
        if player.index is None or f is None or getattr(canvas, "pending", ""):
            return  # nothing named, or the picture is marked as not the frame named
        claims.append((f.index, player.position, f is player.shown))

    real_set_frame = canvas.set_frame

    def set_frame(frame):
        real_set_frame(frame)
        drawn.append(frame.index if frame is not None else None)

    canvas.set_frame = set_frame
    for signal in (player.position_changed, player.frame_shown, win.model.current_changed):
        signal.connect(check)
    return claims, drawn


def test_a_set_reopened_where_it_was_left_never_shows_another_frame_under_its_number(
        set_1_left_at_frame_61, qtbot):
    win, first, _second = set_1_left_at_frame_61
    ws = win.workspace
    claims, drawn = _watch(win)
    ws.open_recording(ws.sessions.session.recordings[0].id)  # left at frame 61
    qtbot.waitUntil(lambda: win.video_path == first and win.player.shown is not None
                    and win.player.shown.index == 60, timeout=10000)
    qtbot.waitUntil(lambda: win.canvas.frame is win.player.shown, timeout=5000)
    # the set opens at frame 61: its frame 1 is never drawn on the way
    assert drawn and 0 not in drawn, drawn
    # and no picture was ever drawn unmarked under another frame's number
    wrong = [c for c in claims if c[0] != c[1] or not c[2]]
    assert not wrong, wrong
    assert win.canvas.pending == "" and "frame 61" in win.status_frame.text()


def test_a_frame_not_decoded_yet_is_marked_loading(make_window, tmp_path, qtbot):
    clip = tmp_path / "clip.mp4"
    make_barcode_clip(clip, BarcodeSpec(frames=90, gop=30))
    win = make_window(clip)
    qtbot.waitUntil(lambda: win.player.shown is not None, timeout=10000)
    claims, _drawn = _watch(win)
    feed = win.player.feed
    feed.get = lambda n: None  # nothing cached: every frame waits for the decoder
    feed.request = lambda n, direction=0: None
    win.player.seek(75)
    assert win.canvas.pending == "Loading frame 76…"
    assert "frame 76" in win.status_frame.text() and win.canvas.frame.index != 75
    assert not [c for c in claims if c[0] != c[1]]


def test_in_a_comparison_a_side_not_drawn_yet_is_said_to_be_loading(make_window, tmp_path,
                                                                    qtbot):
    a, b = tmp_path / "a.mp4", tmp_path / "b.mp4"
    make_barcode_clip(a, BarcodeSpec(frames=90, gop=30))
    make_barcode_clip(b, BarcodeSpec(frames=60, gop=30))
    win = make_window(a)
    win.opener.open(str(b), "compare")
    qtbot.waitUntil(lambda: win.compare.active, timeout=10000)
    c = win.compare.controller
    qtbot.waitUntil(lambda: all(s is not None for s in c.shown), timeout=10000)
    side_b = c.sides[1].feed
    side_b.get = lambda n: None  # side B's next frames wait for the decoder
    side_b.request = lambda n, direction=0: None
    c.seek(c.count - 1)
    want = c.frames_now()
    qtbot.waitUntil(lambda: c.shown[0].index == want[0], timeout=10000)  # A is drawn
    assert c.shown[1].index != want[1]
    text = win.status_frame.text()
    label_a, label_b = (s.label for s in c.sides)
    part_a, part_b = text.split(" · ")[0], text.split(" · ")[1]
    assert part_a.startswith(f"{label_a}: frame {want[0] + 1}/") and "loading" not in part_a
    assert part_b.startswith(f"{label_b}: frame {want[1] + 1}/") and part_b.endswith("loading…")
