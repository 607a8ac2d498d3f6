"""Python's cyclic garbage collector, run on the GUI thread only.

CPython collects reference cycles in whichever thread crosses the allocation threshold.
When that is a worker (decoding, tracking, a QThreadPool job) and the cycle holds a Qt
object, the object's C++ destructor runs on the worker: it locks the object's connection
mutex and then waits for the GIL, while the GUI thread, holding the GIL, waits for that
mutex to destroy a menu or an action. Both wait forever (seen as a frozen window, and as a
test run that never ends). The known cure, used by pyqtgraph, calibre and napari's users,
is to turn automatic collection off and collect from a timer on the GUI thread; pyqtgraph
ships that timer as :class:`pyqtgraph.util.garbage_collector.GarbageCollector`.
"""

from __future__ import annotations

import gc
from typing import Any

#: How often the GUI thread looks at the collector's counts (seconds). A generation is
#: collected only when its count passed CPython's threshold, as automatic collection would.
INTERVAL_S = 0.5

_ATTRIBUTE = "_liftlens_gui_thread_gc"


def collect_garbage_on_the_gui_thread(app: Any) -> Any:
    """Turn off automatic cyclic collection and collect from a timer owned by ``app``'s
    (the GUI) thread instead. Call it on the GUI thread once the QApplication exists;
    calling it again returns the collector already installed.

    Returns the pyqtgraph ``GarbageCollector``; its ``check()`` collects now whatever
    generations are due (tests call it between tests, when no event loop runs)."""
    collector = getattr(app, _ATTRIBUTE, None)
    if collector is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector

        collector = GarbageCollector(interval=INTERVAL_S)
        setattr(app, _ATTRIBUTE, collector)
    gc.disable()
    return collector


def installed_collector(app: Any) -> Any | None:
    """The collector :func:`collect_garbage_on_the_gui_thread` installed on ``app``, or None."""
    return getattr(app, _ATTRIBUTE, None) if app is not None else None
