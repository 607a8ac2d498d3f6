"""A picture's buffer comes back to the pool from a finalizer, which runs wherever the
garbage collector runs: also on a thread that holds the pool's own lock. The full suite
once hung there (the cache's decoding thread waited for the lock it held, and every
thread waiting for a frame with it)."""

from __future__ import annotations

import gc
import threading
import weakref

import numpy as np

from analysis.video import picture_pool


class _Picture:
    """Stands for a packed frame that is cyclic garbage (only a collection frees it)."""

    def __init__(self) -> None:
        self.me = self


def _garbage_picture(pool: picture_pool.PicturePool, buf: np.ndarray) -> None:
    weakref.finalize(_Picture(), pool.give, buf).atexit = False


def test_a_collection_inside_the_pools_lock_gives_the_buffer_back_without_hanging() -> None:
    pool = picture_pool.PicturePool()
    buf = np.zeros(8192, np.uint8)
    _garbage_picture(pool, buf)
    done = threading.Event()

    def collect_inside_the_lock() -> None:
        with pool._lock:  # what a collection during release() or take() sees
            gc.collect()
        done.set()

    worker = threading.Thread(target=collect_inside_the_lock, daemon=True)
    worker.start()
    worker.join(30)
    assert done.is_set(), "the finalizer waited for the lock its own thread held"
    # the buffer is filed by the next call and reused, not lost
    assert pool.idle_bytes == 8192
    again = pool.take(8192)
    assert again is buf and pool.reused == 1 and pool.idle_bytes == 0


def test_buffers_beyond_the_idle_limit_are_dropped_when_filed(monkeypatch) -> None:
    monkeypatch.setattr(picture_pool, "POOL_IDLE_MAX", 3 * 4096)
    pool = picture_pool.PicturePool()
    for _ in range(5):
        pool.give(np.zeros(4096, np.uint8))
    assert pool.idle(4096) == 3 and pool.idle_bytes == 3 * 4096
    assert len(pool.release(10 * 4096)) == 3 and pool.idle_bytes == 0
