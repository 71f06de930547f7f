"""Memory helpers shared by the loader, the analyses and the actor graph's snapshot."""

from __future__ import annotations

import contextlib
import gc

__all__ = ["cycle_collector_paused"]


@contextlib.contextmanager
def cycle_collector_paused():
    """Python's cycle collector paused for the block, for work that builds millions of small
    objects freed by reference counting (a load's triples, the actor graph's edges): each
    full collection scans them all for cycles that are not there (14 s of a 37 s parse of
    10,000 articles; a third of the time on 100,000 edges). Also usable as a decorator."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
