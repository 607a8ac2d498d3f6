"""A group decode's pictures are copied into the cache beside the decode, not by the thread
that drives the decoder; the copier's hand-over is bounded and its errors reach the caller."""

from __future__ import annotations

import threading

import pytest

from analysis.synth.barcode import read_number
from analysis.video.cache import FrameCache
from analysis.video import copier as copier_module
from analysis.video.copier import PictureCopier
from tests.analysis.clips import numbered_clip


def test_the_first_step_back_copies_the_group_beside_the_decode(clip_cache, monkeypatch):
    """Stepping back from frame 250 into the never-visited group 0 (250 frames) decodes the
    whole group; the pictures passed on the way are copied by the copier thread, the
    wanted frame by the urgent thread, and every one of them is kept and right."""
    path, _, _spec = numbered_clip(clip_cache, "longgop")
    packed_by: dict[int, str] = {}
    pack = FrameCache._pack

    def recording_pack(self, av_frame, n):  # type: ignore[no-untyped-def]
        packed_by[n] = threading.current_thread().name
        return pack(self, av_frame, n)

    monkeypatch.setattr(FrameCache, "_pack", recording_pack)
    # never refused (a copier starved by a busy machine is refused and the urgent thread
    # copies: right, but not what is checked here)
    monkeypatch.setattr(copier_module, "COPY_DEPTH", 1000)
    cache = FrameCache(str(path), prefetch=False, background_fill=False)
    try:
        assert read_number(cache.get_blocking(250).image) == 250
        packed_by.clear()
        assert read_number(cache.get_blocking(249, direction=-1).image) == 249
        assert packed_by[249] == "frame-urgent"
        for k in range(248, -1, -1):  # the walk back is served from the cache
            assert read_number(cache.get_blocking(k, direction=-1).image) == k
        # frame 0 came with the index
        assert all(packed_by.get(n) == "frame-copy" for n in range(1, 249)), \
            {n: packed_by.get(n) for n in range(1, 249) if packed_by.get(n) != "frame-copy"}
        assert max(cache.stats.decode_counts[k] for k in range(250)) == 1
    finally:
        cache.close()


def _held_copier() -> tuple[PictureCopier, threading.Event, list[int]]:
    """A copier of depth 2 whose copies wait for ``gate``, with picture 0 being copied:
    ``(copier, gate, numbers copied)``."""
    started, gate = threading.Event(), threading.Event()
    done: list[int] = []

    def work(picture: object, n: int) -> None:
        started.set()
        gate.wait(10)
        done.append(n)

    copier = PictureCopier(work, depth=2)
    assert copier.offer(object(), 0)
    assert started.wait(10)
    return copier, gate, done


def test_a_copier_behind_refuses_the_hand_over_and_drain_waits_for_every_copy():
    copier, gate, done = _held_copier()  # picture 0 is being copied; two more may wait
    try:
        taken = [copier.offer(object(), n) for n in range(1, 6)]
        assert taken == [True, True, False, False, False]
        gate.set()
        copier.drain()
        assert done == [0, 1, 2]
    finally:
        copier.close()


def test_an_error_in_a_copy_is_raised_by_drain():
    def work(picture: object, n: int) -> None:
        raise ValueError(f"picture {n} cannot be copied")

    copier = PictureCopier(work)
    try:
        assert copier.offer(object(), 7)
        with pytest.raises(ValueError, match="picture 7"):
            copier.drain()
        copier.drain()  # raised once
    finally:
        copier.close()


def test_a_closed_cache_is_freed_without_a_cyclic_collection(clip_cache):
    """Closing a cache that used its copier gives its pictures back at once: nothing keeps
    it alive until the garbage collector runs (in the app that runs only now and then, on
    the GUI thread; the next clip's decode would pay for fresh picture memory)."""
    import gc
    import weakref

    path, _, _spec = numbered_clip(clip_cache, "longgop")
    cache = FrameCache(str(path), prefetch=False, background_fill=False)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        cache.get_blocking(250)
        assert read_number(cache.get_blocking(249, direction=-1).image) == 249
        cache.close()
        ref = weakref.ref(cache)
        del cache
        assert ref() is None
    finally:
        if was_enabled:
            gc.enable()


def test_close_returns_with_pictures_waiting_and_stops_the_helper():
    copier, gate, done = _held_copier()
    assert copier.offer(object(), 1) and copier.offer(object(), 2)
    closer = threading.Thread(target=copier.close)
    closer.start()
    gate.set()  # the copy in progress ends; the ones still waiting are dropped
    closer.join(10)
    assert not closer.is_alive()
    assert done[:1] == [0] and set(done) <= {0, 1, 2}
    assert copier._thread is not None and not copier._thread.is_alive()
