"""Python's cyclic garbage collector paused while a build runs.

A build holds every chapter's Pandoc AST at once between reading and
conversion: millions of dicts and lists, all acyclic (they come from
``json.loads``), freed by reference counting alone. The collector cannot
know that, and each of its full passes walks all of them; on a 1,000-chapter
book that was a quarter of the build's CPU (bench/RESULTS.md). So builds pause
it and collect once when the last running build ends, which takes whatever
cycles the build made (few: tracebacks, thread pools). While paused, nothing
the build allocates leaves the youngest generation, so collecting that one
is enough, and costs what the build left alive, not the whole process's heap
(a test run or a watch session holds much more: a full pass took 0.1 s).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_running = 0  # builds now inside paused(), in any thread (a catalog runs several)
_was_enabled = False


@contextlib.contextmanager
def paused() -> Iterator[None]:
    global _running, _was_enabled
    with _lock:
        if _running == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            last = _running == 0
            if last and _was_enabled:
                gc.enable()
        if last:
            gc.collect(0)
