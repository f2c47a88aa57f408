"""Builds pause Python's cyclic collector and give it back as they found it."""

import gc
import threading
import weakref

from bookbuild import gcpause


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_paused_while_any_build_runs_and_cycles_collected_after():
    assert gc.isenabled()
    outer_done, inner_in = threading.Event(), threading.Event()
    seen = []

    def other_build():
        with gcpause.paused():
            inner_in.set()
            outer_done.wait(10)
            seen.append(gc.isenabled())  # the first build ended, this one still runs

    with gcpause.paused():
        cycle = _Cycle()
        ref = weakref.ref(cycle)
        del cycle
        thread = threading.Thread(target=other_build)
        thread.start()
        inner_in.wait(10)
        assert not gc.isenabled()
    outer_done.set()
    thread.join(10)
    assert seen == [False]
    assert gc.isenabled() and ref() is None


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    try:
        with gcpause.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
