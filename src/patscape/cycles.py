"""Python's cycle collector paused around work that makes many long-lived objects and no reference cycle.

The collector wakes every 700 new objects and walks them, and everything else alive, again and again: a
third of the generative-AI pipeline's CPU time (``bench/classify.py``) and a third of the incremental owner
step's (``bench/dashboard.py``). Reference counting still frees what dies; the collector's state is put back
afterwards, and left paused if something else paused it (another thread's batch)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
