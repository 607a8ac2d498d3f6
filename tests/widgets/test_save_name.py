"""The name a save dialog's answer stands for (widgets/save_name.py)."""

from __future__ import annotations

import pytest

from widgets.save_name import filter_extensions, with_extension


@pytest.mark.parametrize(("typed", "filter_", "saved"), [
    ("/a/squat", "LiftLens sessions (*.liftlens)", "/a/squat.liftlens"),
    ("/a/squat.liftlens", "LiftLens sessions (*.liftlens)", "/a/squat.liftlens"),
    ("/a/Squat.LIFTLENS", "LiftLens sessions (*.liftlens)", "/a/Squat.LIFTLENS"),
    ("/a/Smith 12.05", "LiftLens sessions (*.liftlens);;All files (*)", "/a/Smith 12.05.liftlens"),
    ("/a/raw", "All files (*)", "/a/raw"),
    ("/a/raw", "", "/a/raw"),
    ("/a/clip", "Videos (*.mp4 *.mov)", "/a/clip.mp4"),
    ("/a/clip.mov", "Videos (*.mp4 *.mov)", "/a/clip.mov"),
    ("", "CSV (*.csv)", ""),
])
def test_the_extension_is_added_only_when_missing(typed, filter_, saved):
    assert with_extension(typed, filter_) == saved


def test_the_extensions_of_a_filter():
    assert filter_extensions("MP4 video (*.mp4)") == ["mp4"]
    assert filter_extensions("Videos (*.mp4 *.MP4 *.mov);;All files (*)") == ["mp4", "mov"]
    assert filter_extensions("All files (*)") == []
