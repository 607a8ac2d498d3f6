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
from analysis.video import frame_store
from analysis.video.cache import FrameCache
from analysis.video.frame_store import STEP_QUIET_S
from tests.analysis.clips import numbered_clip


def _own_pool(monkeypatch) -> picture_pool.PicturePool:
    """An empty picture pool for the frame cache (frames, prepare and prewarm alike)."""
    pool = picture_pool.PicturePool()
    for mod in ("analysis.video.cache", "analysis.video.frame_store", "analysis.video.cache_fill"):
        monkeypatch.setattr(f"{mod}.POOL", pool)
    return pool


def _record_mapping(monkeypatch) -> list[tuple[float, str]]:
    """(time, thread) of every buffer mapped ahead of need, as it begins."""
    made: list[tuple[float, str]] = []
    real = picture_pool.touched_buffer

    def touched(n: int) -> np.ndarray:
        made.append((time.monotonic(), threading.current_thread().name))
        return real(n)

    monkeypatch.setattr(picture_pool, "touched_buffer", touched)
    return made


def _hold_decoder_until(monkeypatch, event: threading.Event) -> None:
    """The cache's urgent thread opens its decoder only once ``event`` is set (until then
    the cache counts as busy, so no background work starts before the test's first step)."""
    real = FrameCache._urgent_source

    def held(self: FrameCache):  # type: ignore[no-untyped-def]
        event.wait(10)
        return real(self)

    monkeypatch.setattr(FrameCache, "_urgent_source", held)


def test_picture_memory_is_prewarmed_only_once_the_user_stops_stepping(clip_cache, monkeypatch):
    path, _, spec = numbered_clip(clip_cache, "longgop")  # one 250-frame keyframe group
    _own_pool(monkeypatch)
    made = _record_mapping(monkeypatch)  # only the prewarm maps 320x240 pictures
    first_step = threading.Event()
    _hold_decoder_until(monkeypatch, first_step)
    cache = FrameCache(str(path))
    try:
        cache.request(120, -1)  # the first step, before the cache could do anything else
        first_step.set()
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
        assert made and made[0][0] >= stopped + 0.5 * STEP_QUIET_S
    finally:
        cache.close()


def test_picture_memory_is_prewarmed_as_soon_as_the_clip_opens(clip_cache, monkeypatch):
    """Opening a clip is no step: the memory the first group decode needs is mapped while
    the user looks at the picture the clip opened on (its first frame, or where it was
    left), within the budget, so the first step back finds it ready; the first step stops
    it at once."""
    path, _, spec = numbered_clip(clip_cache, "longgop")  # groups 0-249 and 250-299
    nbytes = 320 * 240 * 3 // 2
    monkeypatch.setattr(frame_store, "STEP_QUIET_S", 1e6)  # after a step, no prewarm again
    made = _record_mapping(monkeypatch)
    # opened on its first frame, with a budget of 60 pictures
    pool = _own_pool(monkeypatch)
    cache = FrameCache(str(path), budget_bytes=60 * nbytes, background_fill=False,
                       prefetch=False)
    try:
        cache.request(0)  # the player shows the frame the clip opened on
        deadline = time.monotonic() + 30
        while pool.idle(nbytes) < 50 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert pool.idle(nbytes) >= 50
        time.sleep(0.2)
        assert pool.idle_bytes + cache.memory_bytes <= 60 * nbytes
        assert read_number(cache.get_blocking(0).image) == 0
    finally:
        cache.close()
    # opened where it was left (frame 120), the prewarm slowed to a buffer every 10 ms
    pool = _own_pool(monkeypatch)
    recorded = picture_pool.touched_buffer

    def slow(n: int) -> np.ndarray:
        time.sleep(0.01)
        return recorded(n)

    monkeypatch.setattr(picture_pool, "touched_buffer", slow)
    made.clear()
    cache = FrameCache(str(path), start=120)
    try:
        cache.request(120)
        deadline = time.monotonic() + 30
        while len(made) < 3 and time.monotonic() < deadline:
            time.sleep(0.005)
        assert len(made) >= 3
        step = time.monotonic()
        assert read_number(cache.get_blocking(299, direction=-1).image) == 299
        time.sleep(0.3)
        # one buffer already being mapped is finished; no other is begun
        assert len([t for t, _ in made if t > step]) <= 1
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
    _own_pool(monkeypatch)
    monkeypatch.setattr(picture_pool, "POPULATE_MIN", 320 * 240 * 3 // 2)  # 320x240 pictures
    made = _record_mapping(monkeypatch)
    first_step = threading.Event()
    _hold_decoder_until(monkeypatch, first_step)  # the user steps before any prewarm
    cache = FrameCache(str(path), background_fill=False, prefetch=False)
    try:
        cache.request(249, -1)
        first_step.set()
        for k in (249, 248, 200):
            assert read_number(cache.get_blocking(k, direction=-1).image) == k
        by = [name for _, name in made]
        assert by.count("picture-prepare") > 100
        assert len(by) <= 251  # the group's 249 pictures (and frame 0's spare), none twice
    finally:
        cache.close()
