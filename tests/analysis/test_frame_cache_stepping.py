"""The frame cache's background work stays out of the GUI thread's way while the user steps.

Mapping and zeroing memory (the prewarm) and returning it to the system (frames dropped
for the budget) lock the process's memory map or hold the interpreter lock, and JPEG
compression competes for the CPU; done while the user steps, or under the cache lock,
they stalled steps (issue #14).
"""

from __future__ import annotations

import mmap
import threading
import time
import weakref

import numpy as np

import analysis.video.picture_pool as picture_pool
from analysis.synth.barcode import read_number
from analysis.video import cache_fill
from analysis.video.cache import FrameCache
from analysis.video.frame_store import STEP_QUIET_S
from tests.analysis.clips import numbered_clip


def test_picture_memory_is_prewarmed_only_once_the_user_stops_stepping(clip_cache, monkeypatch):
    path, _, spec = numbered_clip(clip_cache, "longgop")  # one 250-frame keyframe group
    pool = picture_pool.PicturePool()  # the prewarm's pool, empty; frames use their own
    monkeypatch.setattr(cache_fill, "POOL", pool)
    made: list[float] = []
    real_give = pool.give

    def give(buf: np.ndarray) -> None:  # the prewarm hands each buffer it maps to give()
        made.append(time.monotonic())
        real_give(buf)

    monkeypatch.setattr(pool, "give", give)
    cache = FrameCache(str(path))
    try:
        k, end = 120, time.monotonic() + 1.5
        while time.monotonic() < end:  # stepping back at 20 steps a second
            assert read_number(cache.get_blocking(k, direction=-1).image) == k
            k -= 1
            time.sleep(0.05)
        stopped = time.monotonic()
        assert made == []
        deadline = stopped + 20
        while not made and time.monotonic() < deadline:
            time.sleep(0.05)
        assert made and made[0] >= stopped + 0.5 * STEP_QUIET_S
    finally:
        cache.close()


def test_prewarm_stops_when_asked_and_reports_it() -> None:
    pool = picture_pool.PicturePool()
    calls = iter([False, False, True])
    assert pool.prewarm(4096, 10, lambda: next(calls), lambda: 1 << 30) is False
    assert pool.idle(4096) == 2
    assert pool.prewarm(4096, 4, lambda: False, lambda: 1 << 30) is True
    assert pool.idle(4096) == 4
    released = pool.release(3 * 4096)
    assert len(released) == 3 and pool.idle(4096) == 1 and pool.idle_bytes == 4096


def _mapped(buf: np.ndarray) -> bool:
    base = buf.base
    return isinstance(getattr(base, "obj", base), mmap.mmap)


def test_large_new_picture_buffers_come_mapped_and_are_recycled() -> None:
    pool = picture_pool.PicturePool()
    nbytes = 1920 * 1080 * 3 // 2
    buf = pool.take(nbytes)
    assert buf.nbytes == nbytes and buf.flags.writeable and _mapped(buf)
    buf[:] = 7
    pool.give(buf)
    again = pool.take(nbytes)
    assert again is buf and pool.reused == 1 and pool.created == 1
    small = pool.take(320 * 240 * 3 // 2)
    assert small.flags.writeable and not _mapped(small)


def test_frames_dropped_for_the_budget_are_freed_outside_the_cache_lock(clip_cache):
    path, _, spec = numbered_clip(clip_cache, "longgop")
    frame_bytes = 320 * 240 * 3 // 2
    ready = threading.Event()
    cache = FrameCache(str(path), budget_bytes=20 * frame_bytes, background_fill=False,
                       prefetch=False, on_ready=lambda n: ready.set() if n == 200 else None)
    freed_under_lock: list[int] = []
    freed: list[int] = []
    real_pack = cache._pack

    def on_free(n: int) -> None:
        freed.append(n)
        if freed_under_lock:
            return
        if cache._lock.acquire(timeout=0.5):  # times out when this thread holds it
            cache._lock.release()
        else:
            freed_under_lock.append(n)

    def pack(av_frame, n):
        packed = real_pack(av_frame, n)
        weakref.finalize(packed, on_free, n).atexit = False
        return packed

    cache._pack = pack
    try:
        cache.request(200)  # frames 0..200 of one group: ten times the budget
        assert ready.wait(60)
        assert read_number(cache.get(200).image) == 200
        assert len(freed) > 100  # the budget dropped most of the group
        assert freed_under_lock == []
    finally:
        cache.close()


def _walk_back_then_rest(cache: FrameCache, start: int, pause_s: float, stat: str) -> int:
    """Step back from ``start`` every ``pause_s`` for 1.5 s (each frame checked) while the
    cache's ``stats.<stat>`` must not grow, then stop: it must grow within 30 s. Returns
    the frame the walk would have shown next."""
    before = getattr(cache.stats, stat)
    k, end = start, time.monotonic() + 1.5
    while time.monotonic() < end:
        assert read_number(cache.get_blocking(k, direction=-1).image) == k
        k -= 1
        time.sleep(pause_s)
    assert getattr(cache.stats, stat) == before
    deadline = time.monotonic() + 30
    while getattr(cache.stats, stat) == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert getattr(cache.stats, stat) > before
    return k


def test_stepping_back_through_a_group_compresses_nothing_until_the_steps_stop(clip_cache):
    """The hot overflow of a decoded group is compressed once the user stops, not while
    the walk needs those pictures next."""
    path, _, spec = numbered_clip(clip_cache, "longgop")
    frame_bytes = 320 * 240 * 3 // 2
    cache = FrameCache(str(path), budget_bytes=120 * frame_bytes, background_fill=False,
                       prefetch=False)  # a hot share of 30 pictures
    try:
        # the group is decoded by the first step (frame 0 may have been compressed while
        # the clip was opening, before any step)
        assert read_number(cache.get_blocking(200, direction=-1).image) == 200
        k = _walk_back_then_rest(cache, 199, 0.03, "compressed")
        for n in range(k + 1, 201, 9):  # everything walked through is still served right
            assert read_number(cache.get_blocking(n).image) == n
    finally:
        cache.close()


def test_walking_back_prefetches_no_group_behind_until_the_steps_stop(clip_cache):
    """While the user walks back, the fill decodes only the group ahead (once the walk
    nears it); the group just left is prefetched after the steps stop."""
    path, _, spec = numbered_clip(clip_cache, "longgop")  # groups 0-249 and 250-299
    cache = FrameCache(str(path), background_fill=False)  # prefetch on
    try:
        # the first step decodes group 0 (the fill may have begun on it while the clip
        # was opening, before any step)
        assert read_number(cache.get_blocking(240, direction=-1).image) == 240
        _walk_back_then_rest(cache, 239, 0.05, "decoded_fill")
        assert read_number(cache.get_blocking(290).image) == 290
    finally:
        cache.close()


def test_prepare_maps_the_buffers_a_decode_takes_beside_it_and_no_more(monkeypatch) -> None:
    pool = picture_pool.PicturePool()
    nbytes = picture_pool.POPULATE_MIN
    mapped: list[str] = []
    go = threading.Event()

    def touched(n: int) -> np.ndarray:
        if threading.current_thread().name == "picture-prepare":
            go.wait(10)  # the helper falls behind: the caller maps some buffers itself
        mapped.append(threading.current_thread().name)
        return np.zeros(n, np.uint8)

    monkeypatch.setattr(picture_pool, "touched_buffer", touched)
    assert pool.prepare(nbytes, 6, lambda: False)
    assert not pool.prepare(nbytes, 6, lambda: False)  # already on its way
    taken = [pool.take(nbytes), pool.take(nbytes)]
    go.set()
    deadline = time.monotonic() + 10
    while pool.idle(nbytes) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    taken += [pool.take(nbytes) for _ in range(4)]
    time.sleep(0.05)
    assert len(mapped) == 6 and mapped.count("picture-prepare") == 4
    assert pool.idle(nbytes) == 0 and pool.reused == 4
    for buf in taken:
        pool.give(buf)
    assert not pool.prepare(nbytes, 6, lambda: False)  # recycled memory is waiting
    assert not pool.prepare(4096, 6, lambda: False)  # small pictures come from the heap


def test_first_group_decode_gets_its_picture_memory_from_a_helper(clip_cache, monkeypatch):
    """The first step back into a group in a process without recycled memory: the decoding
    thread takes its pictures' memory from a helper that maps it meanwhile, instead of
    stopping the decoder to map each picture itself."""
    path, _, spec = numbered_clip(clip_cache, "longgop")  # one 250-frame group, then 50
    pool = picture_pool.PicturePool()
    for mod in ("analysis.video.cache", "analysis.video.frame_store", "analysis.video.cache_fill"):
        monkeypatch.setattr(f"{mod}.POOL", pool)
    monkeypatch.setattr(picture_pool, "POPULATE_MIN", 320 * 240 * 3 // 2)  # 320x240 pictures
    by: list[str] = []
    real = picture_pool.touched_buffer

    def touched(n: int) -> np.ndarray:
        by.append(threading.current_thread().name)
        return real(n)

    monkeypatch.setattr(picture_pool, "touched_buffer", touched)
    cache = FrameCache(str(path), background_fill=False, prefetch=False)
    try:
        for k in (249, 248, 200):
            assert read_number(cache.get_blocking(k, direction=-1).image) == k
        assert by.count("picture-prepare") > 100
        assert len(by) <= 251  # the group's 249 pictures (and frame 0's spare), none twice
    finally:
        cache.close()
