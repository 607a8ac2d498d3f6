"""The first run shows how far the demo clip has got."""

from __future__ import annotations


def test_the_opener_shows_the_demo_progress_in_percent(qapp, monkeypatch, tmp_path):
    from app import workers
    from app.video_opener import VideoOpener
    from tests.analysis.clips import numbered_clip

    monkeypatch.setattr(workers, "SYNC", True)
    clip = str(numbered_clip(tmp_path, "cfr")[0])
    opener = VideoOpener()
    busy: list[str] = []
    opened: list[str] = []
    opener.busy.connect(busy.append)
    opener.opened.connect(lambda path, _o, _p: opened.append(path))

    def make(progress):
        for done in (0, 5, 5, 10):
            progress(done, 10)
        return clip

    opener.open_generated(make, "Preparing the demo clip…")
    assert busy == ["Preparing the demo clip…", "Preparing the demo clip… 0 %",
                    "Preparing the demo clip… 50 %", "Preparing the demo clip… 100 %"]
    assert opened == [clip]
