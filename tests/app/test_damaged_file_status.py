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
    win2 = make_window(full)
    assert "⚠" not in win2.status_video.text() and win2.status_video.toolTip() == ""
