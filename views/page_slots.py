"""Map pages run a few at a time, first come first served (issue 24, point 1).

Fifty sessions opening a map page at once used to run fifty scripts at once, sharing the GIL fairly: each took
about fifty times as long and every officer got the page at the same moment, at the end. With `SLOTS` runs at a
time (one per core), the first sessions get their page at once and the median wait falls; the last one waits
about as long as before. A run never waits more than `MAX_WAIT` seconds (it then runs anyway: nothing can block
a page), and only the read-only map pages take a slot (the Importer's long resolutions never hold one).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SLOTS = max(2, os.cpu_count() or 2)
MAX_WAIT = 30.0
GATED = frozenset({"france", "region", "departement"})

_slots = threading.BoundedSemaphore(SLOTS)  # its waiters are woken in the order they came


@contextmanager
def page_slot(url_path: str) -> Iterator[None]:
    """Hold one of the SLOTS while a map page runs (other pages pass straight through)."""
    if url_path not in GATED:
        yield
        return
    got = _slots.acquire(timeout=MAX_WAIT)
    try:
        yield
    finally:
        if got:
            _slots.release()
