"""Many openers of one brand-new library at the same moment (threads and processes):
every one of them gets a working library, the tables are created once.

Sized for CI (a few hundred opens); ``LIFTLENS_STRESS=5`` (or more) multiplies the
number of libraries for a run by hand (5 gives 1,200 opens).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from pathlib import Path

from analysis.session import Session
from analysis.session.store import SessionStore

STRESS = max(1, int(os.environ.get("LIFTLENS_STRESS", "1") or 1))


def _open_and_use(path: Path, who: str) -> str | None:
    """Open the library as the app's first jobs do (read, save, set a meta value)."""
    try:
        with SessionStore(path) as store:
            store.list_sessions()
            store.save(Session(id=who, lifter=who))
            store.set_meta("last_session", who)
            store.recent()
        return None
    except Exception as exc:  # noqa: BLE001 - collected for the assertion
        return f"{who}: {exc!r}"


def _threads_on(paths: list[Path], threads: int, tag: str,
                barrier: threading.Barrier | None) -> list[str]:
    """For each fresh library in turn, ``threads`` threads open it at once."""
    failures: list[str] = []
    for path in paths:
        local = threading.Barrier(threads)

        def one(k: int, path: Path = path, local: threading.Barrier = local) -> None:
            local.wait()
            if barrier is not None and k == 0:
                barrier.wait()  # line up with the other processes on this library
            local.wait()
            err = _open_and_use(path, f"{tag}-{k}")
            if err:
                failures.append(err)

        ts = [threading.Thread(target=one, args=(k,)) for k in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    return failures


def _process_main(paths: list[str], threads: int, tag: str, barrier: threading.Barrier,
                  out: mp.Queue) -> None:  # type: ignore[type-arg]
    out.put(_threads_on([Path(p) for p in paths], threads, tag, barrier))


def _check(paths: list[Path], per_library: int) -> None:
    for path in paths:
        with SessionStore(path) as store:
            assert store.integrity_ok()
            assert len(store.list_sessions()) == per_library


def test_threads_open_fresh_libraries_at_once(tmp_path):
    threads = 8
    paths = [tmp_path / f"t{i}" / "library.sqlite3" for i in range(15 * STRESS)]
    failures = _threads_on(paths, threads, "t", None)
    assert failures == [], f"{len(failures)} of {len(paths) * threads} opens failed: {failures[:3]}"
    _check(paths, threads)


def test_processes_and_threads_open_fresh_libraries_at_once(tmp_path):
    procs, threads = 3, 4
    paths = [tmp_path / f"p{i}" / "library.sqlite3" for i in range(10 * STRESS)]
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(procs)
    out = ctx.Queue()
    workers = [ctx.Process(target=_process_main,
                           args=([str(p) for p in paths], threads, f"p{n}", barrier, out))
               for n in range(procs)]
    for w in workers:
        w.start()
    failures: list[str] = []
    for _ in workers:
        failures += out.get(timeout=300)
    for w in workers:
        w.join(30)
        assert w.exitcode == 0
    total = len(paths) * procs * threads
    assert failures == [], f"{len(failures)} of {total} opens failed: {failures[:3]}"
    _check(paths, procs * threads)


def test_a_library_made_while_it_is_checked_is_not_called_foreign(tmp_path, monkeypatch):
    """The check of an existing library read its version and its tables in two snapshots:
    when another opener's first migration committed between the two reads, a brand-new
    library read as "a database of another program" (once in a full test run)."""
    import sqlite3

    from analysis.session import store as store_mod

    path = tmp_path / "library.sqlite3"
    writer = sqlite3.connect(str(path), isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL").fetchall()
    writer.execute("BEGIN IMMEDIATE")
    for v in range(1, store_mod.SCHEMA_VERSION + 1):
        for statement in store_mod._SCHEMA_STEPS[v]:
            writer.execute(statement)
        writer.execute(f"PRAGMA user_version={v}")
    real_connect = sqlite3.connect

    class Probe:
        """The check's connection: the other opener commits right after the version read."""

        def __init__(self, *a, **k):
            self._db = real_connect(*a, **k)

        def execute(self, sql, *args):
            cur = self._db.execute(sql, *args)
            if sql.startswith("PRAGMA user_version") and writer.in_transaction:
                writer.execute("COMMIT")
            return cur

        def close(self):
            self._db.close()

    monkeypatch.setattr(store_mod.sqlite3, "connect", Probe)
    store_mod._check_existing(path)  # raised "a database of another program" before
    monkeypatch.setattr(store_mod.sqlite3, "connect", real_connect)
    assert not writer.in_transaction
    with store_mod.SessionStore(path) as s:
        assert s.list_sessions() == []
    writer.close()
