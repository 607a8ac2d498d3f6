"""A background job refused because of its input (a file that is not a video, a damaged
Kinovea file, a missing file) is told to the user and logged as a warning without a
traceback; a real fault is still logged as an error with its traceback, so a log sent to
support shows the real faults."""

from __future__ import annotations

import logging

import pytest

from analysis.annotations.kva import KvaError
from analysis.video.errors import VideoError
from app.workers import _Job, _Relay, is_expected_failure


@pytest.mark.parametrize("exc", [VideoError("“notes.mp4” is not a video"),
                                 KvaError("not a Kinovea file"),
                                 FileNotFoundError("The file “x.mp4” does not exist.")])
def test_input_refusals_are_warnings_without_traceback(qtbot, caplog, exc):
    assert is_expected_failure(exc)
    relay = _Relay()
    got = []
    relay.failed.connect(got.append)

    def fn():
        raise exc

    caplog.set_level(logging.INFO, logger="app")
    _Job(fn, relay).run()
    assert got == [exc]
    rec = [r for r in caplog.records if r.name.startswith("app")]
    assert rec and all(r.levelno == logging.WARNING and r.exc_info is None for r in rec)
    assert str(exc) in rec[0].getMessage()


def test_a_real_fault_is_an_error_with_its_traceback(qtbot, caplog):
    assert not is_expected_failure(ZeroDivisionError("bug"))
    relay = _Relay()

    def fn():
        return 1 / 0

    caplog.set_level(logging.INFO, logger="app")
    _Job(fn, relay).run()
    rec = [r for r in caplog.records if r.name.startswith("app")]
    assert rec and rec[0].levelno == logging.ERROR and rec[0].exc_info is not None


def test_a_plate_rim_not_seen_is_an_input_refusal(clip_cache):
    """Calibrating on a clip where no plate rim is seen logged an error with a traceback;
    the user was told in plain words, and it is the picture's fault, not the program's."""
    from analysis.calibration.scale import measure_plate
    from analysis.video import VideoSource
    from tests.analysis.clips import numbered_clip

    path, _, _ = numbered_clip(clip_cache, "cfr")  # frames carry block codes, no plate
    with VideoSource(str(path)) as src:
        w, h = src.index.width, src.index.height
        for centres in ({}, {n: (w / 2, h / 2) for n in range(0, 60, 3)}):
            with pytest.raises(ValueError) as caught:
                measure_plate(src, centres)
            assert is_expected_failure(caught.value), caught.value
            assert str(caught.value).startswith(("track the plate first",
                                                 "no clear plate rim was found"))
