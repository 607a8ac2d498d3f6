"""PySide6 6.12.0 aborted after a few thousand Python-side emits (bool_dealloc)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(int)
    toggled = Signal(bool)


def test_hundred_thousand_emits_do_not_abort(qapp):
    e = _Emitter()
    got = []
    e.fired.connect(got.append)
    e.toggled.connect(lambda b: None)
    for i in range(100_000):
        e.fired.emit(i)
        e.toggled.emit(True)
    assert len(got) == 100_000 and got[-1] == 99_999
