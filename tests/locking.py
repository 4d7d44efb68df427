"""The store's lock as tests watch it: the moment a writer finds it taken."""

from __future__ import annotations

import threading

from geo.store import connection as store_mod


def lock_refusals(monkeypatch) -> threading.Event:
    """Set when a writer finds the store's lock taken (the moment it starts waiting for it)."""
    refused = threading.Event()
    flock = store_mod.fcntl.flock

    def watched(fd, operation):
        try:
            return flock(fd, operation)
        except BlockingIOError:
            refused.set()
            raise

    monkeypatch.setattr(store_mod.fcntl, "flock", watched)
    return refused
