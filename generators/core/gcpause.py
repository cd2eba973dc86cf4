"""Pause Python's cyclic garbage collector around work that builds a big tree of long-lived containers."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic GC off, then restore it as it was.

    Loading a spec or linting one allocates in bursts, and each burst triggers collections that traverse
    the whole document (a million containers on GitHub's description) to find no garbage: they cost a
    quarter of a lint run. Nothing such a block builds needs collecting before it ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
