"""The GOP-aware cache serves the right frame in any order, within its budget."""

from __future__ import annotations

import random
import threading
import time

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
        # the background thread compresses what the urgent decodes left over
        deadline = time.monotonic() + 60
        while cache.stats.compressed == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
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
        deadline = time.monotonic() + 120  # a niced thread on a busy machine
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
        misses = 0
        for n in range(240):
            if cache.get(n) is None:
                misses += 1
                assert read_number(cache.get_blocking(n).image) == n
            else:
                assert read_number(cache.get(n).image) == n
            cache.request(n, direction=1)
            time.sleep(1 / 120)
        assert misses <= 3
        # frames past what the cache kept are decoded once, by one resumed decoder (how
        # far it reads ahead past frame 239 depends on the machine's load: not counted)
        # (a busy machine may make the reader restart a few times: at most 20 repeats)
        counts = cache.stats.decode_counts
        assert sum(max(0, counts[n] - 1) for n in range(1, 240)) <= 20
    finally:
        cache.close()


def test_backward_walk_decodes_each_frame_once(clip_cache):
    """Frames decoded on the way to an urgent frame are kept: stepping back through a
    250-frame keyframe group decodes every frame of it exactly once."""
    path, _, spec = numbered_clip(clip_cache, "longgop")
    cache = FrameCache(str(path), prefetch=False, background_fill=False)
    try:
        cache.get_blocking(0)
        for k in range(spec.frames - 1, -1, -1):
            f = cache.get_blocking(k, direction=-1)
            assert f.index == k and read_number(f.image) == k
        counts = cache.stats.decode_counts
        assert max(counts.values()) == 1, counts.most_common(3)
        assert sum(counts.values()) <= spec.frames
    finally:
        cache.close()


def test_wanted_frame_is_announced_at_once_and_the_frames_before_it_are_kept(clip_cache):
    """The urgent frame is announced the moment it is decoded (the frames after it are
    not decoded yet); the frames decoded on the way to it are kept, not decoded again."""
    path, _, _spec = numbered_clip(clip_cache, "longgop")
    seen: dict[str, int] = {}
    done = threading.Event()
    cache: FrameCache | None = None

    def on_ready(n: int) -> None:
        if n == 275 and cache is not None:
            seen["next_cached"] = int(cache.get(276) is not None)
            seen["kept_before"] = sum(cache.get(k) is not None for k in range(250, 275))
            done.set()

    cache = FrameCache(str(path), on_ready=on_ready, prefetch=False, background_fill=False)
    try:
        cache.get_blocking(0)
        cache.request(275)
        assert done.wait(20)
        assert seen["next_cached"] == 0
        assert seen["kept_before"] == 25
        assert read_number(cache.get(275).image) == 275
        assert read_number(cache.get_blocking(260).image) == 260
        assert cache.stats.decode_counts[260] == 1
    finally:
        cache.close()


def test_background_fill_stops_at_once_for_urgent_work(clip_cache, monkeypatch):
    """While the fill thread decodes, an urgent request is served first: the fill
    decodes at most a frame or two more until the urgent frame is announced."""
    import time

    path, _, spec = numbered_clip(clip_cache, "longgop")
    original = FrameCache._count_decode

    def slow_fill(self: FrameCache, n: int, urgent: bool) -> None:
        original(self, n, urgent)
        if not urgent:
            time.sleep(0.005)  # a long background fill, so the request lands inside it

    monkeypatch.setattr(FrameCache, "_count_decode", slow_fill)
    marks: dict[str, int] = {}
    done = threading.Event()
    cache: FrameCache | None = None

    def on_ready(n: int) -> None:
        if n == 299 and cache is not None:
            marks["fill_at_ready"] = cache.stats.decoded_fill
            marks["cached_at_ready"] = cache.cached_count
            done.set()

    cache = FrameCache(str(path), on_ready=on_ready)
    try:
        deadline = time.monotonic() + 20
        while cache.stats.decoded_fill < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        fill_before = cache.stats.decoded_fill
        cache.request(299)
        assert done.wait(20)
        assert marks["fill_at_ready"] - fill_before <= 2
        assert marks["cached_at_ready"] < spec.frames  # background work not finished
        assert read_number(cache.get(299).image) == 299
        # the fill resumes afterwards and completes the clip
        deadline = time.monotonic() + 30
        while cache.cached_count < spec.frames and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cache.cached_count == spec.frames
        assert cache.stats.fill_pauses >= 1
    finally:
        cache.close()


def test_first_frame_from_the_index_is_frame_zero(clip_cache):
    """Opening shows frame 0 decoded while indexing (no second decode), in every encoding."""
    from analysis.video.index import build_index, take_first_picture
    from tests.analysis.clips import SPECS

    for name in sorted(SPECS):
        path, _, _ = numbered_clip(clip_cache, name)
        index = build_index(str(path))
        cache = FrameCache(str(path), index, prefetch=False, background_fill=False)
        try:
            f = cache.get(0)  # there at once, before any decode
            assert f is not None, name
            assert read_number(f.image) == 0 and f.index == 0
            assert f.image.shape[:2] == (index.height, index.width)
            assert take_first_picture(index) is None  # handed over once
        finally:
            cache.close()


def test_a_playback_faster_than_the_decoder_still_gets_frames_to_show(clip_cache):
    """A busy machine decodes slower than the clock: the frames the decoder makes behind the
    clock are kept, so the player shows the newest of them rather than nothing."""
    path, _, _ = numbered_clip(clip_cache, "longgop")  # one 250-frame keyframe group
    frame_bytes = 320 * 240 * 3 // 2
    # a hot share of 10 pictures, as a 1080p clip has ~80 in the default budget
    cache = FrameCache(str(path), budget_bytes=40 * frame_bytes, background_fill=False,
                       prefetch=False)
    real_pack = cache._pack

    def slow_pack(av_frame, n):
        time.sleep(0.004)  # the decoder makes fewer than 250 frames a second
        return real_pack(av_frame, n)

    cache._pack = slow_pack
    shown = []
    try:
        cache.get_blocking(0)
        last, start = 0, time.monotonic()
        while last < 240 and time.monotonic() - start < 30:
            n = min(int((time.monotonic() - start) * 500), 249)  # a clock at 500 frames/s
            cache.request(n, 1)
            k = cache.latest_ready(last + 1, n)
            if k is not None:
                frame = cache.get(k)
                assert frame is not None and read_number(frame.image) == k
                shown.append(k)
                last = k
            time.sleep(0.002)
    finally:
        cache.close()
    # the clock stays ahead of the decoder up to frame 249: nearly every frame it decodes
    # can be shown (keeping only the frames at or after each newest request showed 28 %)
    assert last >= 240 and len(shown) >= 0.6 * last, shown


def test_only_the_background_decoding_threads_run_at_low_priority(clip_cache):
    """The fill thread shares the interpreter lock and the cache lock with the GUI thread,
    so it runs at normal priority; its decoder's threads, which do the heavy work, at
    FILL_NICE (a low-priority lock holder preempted on a busy machine stalls the GUI)."""
    import os

    from analysis.video.cache import FILL_NICE

    path, _, spec = numbered_clip(clip_cache, "bframes")
    before = {int(t) for t in os.listdir("/proc/self/task")}
    cache = FrameCache(str(path))
    try:
        cache.get_blocking(0)
        deadline = time.monotonic() + 30
        while cache.stats.decoded_fill == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert cache.stats.decoded_fill > 0
        fill = next(t for t in threading.enumerate() if t.name == "frame-fill")
        assert os.getpriority(os.PRIO_PROCESS, fill.native_id) == 0
        new = {int(t) for t in os.listdir("/proc/self/task")} - before
        nice = {}
        for tid in new:
            try:
                nice[tid] = os.getpriority(os.PRIO_PROCESS, tid)
            except OSError:
                pass  # ended meanwhile
        assert FILL_NICE in nice.values()  # the background decoder's threads
        urgent = next(t for t in threading.enumerate() if t.name == "frame-urgent")
        assert nice.get(urgent.native_id, 0) == 0
    finally:
        cache.close()
