"""Cyclic garbage holding Qt objects is collected on the GUI thread, never on a worker:
a worker-thread collection that frees a Qt object deadlocks against the GUI thread (a
frozen window; a CI run that never ended)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QObject

from app.gui_thread_gc import collect_garbage_on_the_gui_thread

ROOT = Path(__file__).resolve().parents[2]


class _Held(QObject):
    """A Qt object in a reference cycle that notes the thread its finaliser ran on."""

    def __init__(self, seen: list[int]) -> None:
        super().__init__()
        self.seen = seen
        self.me = self  # the cycle: only the cyclic collector frees it

    def __del__(self) -> None:
        self.seen.append(threading.get_ident())


def test_a_worker_that_allocates_does_not_collect_the_guis_cycles(qapp, qtbot):
    collector = collect_garbage_on_the_gui_thread(qapp)
    gc.collect()
    seen: list[int] = []
    _Held(seen)  # unreachable at once, freed by the collector only

    kept: list = []

    def allocate() -> None:  # well past generation 0's threshold (700 containers)
        kept.extend([i] for i in range(50_000))

    worker = threading.Thread(target=allocate)
    worker.start()
    worker.join()
    assert seen == [], "the cycle was collected on the worker thread"
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)  # the GUI thread's timer collects it
    assert seen == [threading.get_ident()]
    assert not gc.isenabled()
    assert collect_garbage_on_the_gui_thread(qapp) is collector  # installed once


def test_the_application_the_program_makes_collects_on_its_own_thread():
    probe = ("import gc; from app.launch import make_application; "
             "app = make_application(); print(gc.isenabled())")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                         text=True, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-1] == "False"
