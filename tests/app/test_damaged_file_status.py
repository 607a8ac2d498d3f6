"""A clip that ends early (cut short or damaged while copying) keeps a mark in the status
bar while it is open, with the full explanation on hover; a whole clip shows none."""

from __future__ import annotations

from analysis.synth.barcode import BarcodeSpec, make_barcode_clip


def test_a_clip_that_ends_early_stays_marked(make_window, tmp_path):
    full = tmp_path / "full.mp4"
    make_barcode_clip(full, BarcodeSpec(frames=120, gop=30, faststart=True))
    cut = tmp_path / "cut.mp4"
    data = full.read_bytes()
    cut.write_bytes(data[: int(len(data) * 0.6)])
    win = make_window(cut)
    label = win.status_video
    assert "⚠ the file ends early" in label.text()
    assert "of the 120 frames its header declares" in label.toolTip()
    win.player.step(5)  # still there after moving on (the 10 s message is long gone)
    assert "⚠" in label.text()
    # and in the analysis panel, where the user looks (tour 27 saw only its usual text)
    panel = win.workspace.panel
    assert "⚠ The file ends early" in panel.message and "Track the bar" in panel.message
    win2 = make_window(full)
    assert "⚠" not in win2.status_video.text() and win2.status_video.toolTip() == ""
    assert "⚠" not in win2.workspace.panel.message


def test_a_set_opened_again_opens_where_it_was_left(make_window, tmp_path, qtbot):
    """Tour 27: going back to the first clip of a session opened it at frame 1, not at
    frame 61 where the user was."""
    first, second = tmp_path / "set1.mp4", tmp_path / "set2.mp4"
    make_barcode_clip(first, BarcodeSpec(frames=90, gop=30))
    make_barcode_clip(second, BarcodeSpec(frames=40, gop=10))
    win = make_window(first)
    ws = win.workspace
    win.player.seek(60)
    qtbot.waitUntil(lambda: win.player.shown is not None and win.player.shown.index == 60,
                    timeout=10000)
    win.open_path(str(second))
    qtbot.waitUntil(lambda: win.video_path == str(second) and win.canvas.frame is not None,
                    timeout=10000)
    recs = ws.sessions.session.recordings
    assert [r.video_path for r in recs] == [str(first), str(second)]
    ws.open_recording(recs[0].id)
    qtbot.waitUntil(lambda: win.video_path == str(first), timeout=10000)
    qtbot.waitUntil(lambda: win.player.shown is not None and win.player.shown.index == 60,
                    timeout=10000)
    assert win.player.position == 60 and "frame 61" in win.status_frame.text()
