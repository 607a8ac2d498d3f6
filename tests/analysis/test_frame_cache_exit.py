"""A clip still open when the program exits: the frame cache's background fill finds its
JPEG helper shut down (Python shuts every thread pool down at exit) and stops quietly,
instead of writing an error with a traceback to the log at every exit."""

from __future__ import annotations

import logging
import time

from analysis.video.cache import FrameCache
from tests.analysis.clips import numbered_clip


def test_fill_stops_quietly_when_its_helper_is_shut_down(clip_cache, caplog):
    path, _, spec = numbered_clip(clip_cache, "longgop")
    budget = 320 * 240 * 3 // 2 * 40  # far less than the clip: the fill must compress
    caplog.set_level(logging.DEBUG, logger="analysis.video")
    cache = FrameCache(str(path), budget_bytes=budget)
    try:
        cache._encoder.shutdown(wait=False)  # as at interpreter exit
        assert cache.get_blocking(spec.frames - 1).index == spec.frames - 1
        deadline = time.monotonic() + 30
        while cache._fill_thread.is_alive() and time.monotonic() < deadline:
            cache.request(int(time.monotonic() * 97) % spec.frames)
            time.sleep(0.05)
        assert not cache._fill_thread.is_alive()  # the fill ended
        assert cache.get_blocking(3).index == 3  # frames are still served
    finally:
        cache.close()
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not errors, [r.getMessage() for r in errors]
    assert not cache.stats.errors
