"""The GOP-aware cache serves the right frame in any order, within its budget."""

from __future__ import annotations

import random
import threading

from analysis.synth.barcode import read_number
from analysis.video.cache import FrameCache
from tests.analysis.clips import numbered_clip


def test_cache_random_and_backward_order(clip_cache):
    path, times, spec = numbered_clip(clip_cache, "bframes")
    cache = FrameCache(str(path))
    try:
        order = list(reversed(range(spec.frames)))
        order += random.Random(5).sample(range(spec.frames), spec.frames)
        for k in order:
            f = cache.get_blocking(k)
            assert f.index == k and read_number(f.image) == k
            assert abs(f.time - times[k]) < 2e-5
    finally:
        cache.close()


def test_budget_is_respected_and_warm_tier_serves(clip_cache):
    path, _, spec = numbered_clip(clip_cache, "longgop")
    frame_bytes = 320 * 240 * 3 // 2
    budget = frame_bytes * 40  # far less than the 300-frame clip
    cache = FrameCache(str(path), budget_bytes=budget)
    try:
        for k in range(spec.frames - 1, -1, -7):
            assert read_number(cache.get_blocking(k).image) == k
        assert cache.memory_bytes <= budget * 1.05
        # Compressed frames still decode to their own number.
        for k in range(0, spec.frames, 13):
            assert read_number(cache.get_blocking(k).image) == k
        assert cache.stats.compressed > 0
    finally:
        cache.close()


def test_newest_request_wins(clip_cache):
    path, _, spec = numbered_clip(clip_cache, "longgop")
    ready: list[int] = []
    done = threading.Event()

    def on_ready(n: int) -> None:
        ready.append(n)
        if n == 7:
            done.set()

    cache = FrameCache(str(path), on_ready=on_ready, background_fill=False)
    try:
        for k in (290, 250, 200, 150, 100, 50, 7):  # a fast scrub
            cache.request(k)
        assert done.wait(20)
        assert ready[-1] == 7
        assert len(ready) < 7  # stale requests were dropped, not all served
        assert read_number(cache.get(7).image) == 7
    finally:
        cache.close()


def test_background_fill_completes_then_idles(clip_cache):
    import resource
    import time

    path, _, spec = numbered_clip(clip_cache, "longgop")
    cache = FrameCache(str(path))  # no callback: the worker must still go idle
    try:
        cache.get_blocking(spec.frames - 1)  # urgent decode keeps only what is near
        deadline = time.monotonic() + 30
        while cache.cached_count < spec.frames and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cache.cached_count == spec.frames
        time.sleep(0.3)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_utime
        time.sleep(0.6)
        busy = resource.getrusage(resource.RUSAGE_SELF).ru_utime - before
        assert busy < 0.15, f"idle cache worker used {busy:.2f} s of CPU in 0.6 s"
    finally:
        cache.close()


def test_forward_playback_decodes_each_frame_once(clip_cache):
    """Playing through a long keyframe group resumes one decoder: no restarts, no misses."""
    import time

    path, _, spec = numbered_clip(clip_cache, "longgop")
    frame_bytes = 320 * 240 * 3 // 2
    # a small hot tier: the look-ahead must survive eviction of passed frames
    cache = FrameCache(str(path), budget_bytes=frame_bytes * 160, background_fill=False)
    try:
        cache.get_blocking(0)
        time.sleep(0.5)  # let the idle worker settle
        before = cache.stats.decoded
        misses = 0
        for n in range(0, 240):
            if cache.get(n) is None:
                misses += 1
                assert read_number(cache.get_blocking(n).image) == n
            else:
                assert read_number(cache.get(n).image) == n
            cache.request(n, direction=1)
            time.sleep(1 / 120)
        assert misses <= 3
        # frames past what the cache kept are decoded once, by one resumed decoder
        assert cache.stats.decoded - before <= 240 + 20
    finally:
        cache.close()
