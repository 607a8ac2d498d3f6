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


def test_an_unreadable_library_still_lets_the_app_start(qapp, monkeypatch, tmp_path):
    from app import workers
    from app.controllers.session import SessionController

    monkeypatch.setattr(workers, "SYNC", True)
    bad = tmp_path / "library.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    controller = SessionController(bad)
    seen: list[bool] = []
    errors: list[str] = []
    controller.failed.connect(errors.append)
    controller.open_last(seen.append)
    assert seen == [False]  # the caller goes on (to the demo clip)
    assert errors  # and the reason is shown
