"""Resolution without the cyclic garbage collector."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_gc() -> Iterator[None]:
    """The resolvers build hundreds of thousands of small containers and no reference cycles; they are freed
    by reference counting. The cyclic collector, run again and again as they are allocated, took a third to
    a half of a resolution's time and freed nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
