"""The export dialog's sizes say what picture each gives for the video on screen."""

from __future__ import annotations

from app.controllers.export import size_choices
from widgets.export_dialog import ExportDialogWidget


def test_a_size_larger_than_the_video_says_it_keeps_the_videos_size(qtbot):
    """A 478x850 clip exported at "1080p" came out 478x850 without a word."""
    small = dict((preset, label) for label, preset in size_choices(478, 850))
    assert small["source"] == "Same as the video (478×850)"
    assert small["1080p"] == "1080p: stays 478×850 (the video is smaller; never enlarged)"
    full = dict((preset, label) for label, preset in size_choices(1080, 1920))
    assert full["1080p"] == "1080p (1080×1920)" and full["720p"] == "720p (720×1280)"
    dlg = ExportDialogWidget([("Whole clip", (0, 9))], "/tmp/x.mp4", False,
                             sizes=size_choices(478, 850))
    qtbot.addWidget(dlg)
    assert [dlg.size.itemText(i) for i in range(dlg.size.count())][1] == small["1080p"]
    dlg.size.setCurrentIndex(1)
    assert dlg.options()["size"] == "1080p"
