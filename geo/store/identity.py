"""The store's identity, the one key of every cache, and the bounded cache of values derived from geography.

`identity(store)` tells which store a value was computed from. Its `version` changes whenever the file is
written or rebuilt (a write publishes a new file by an atomic rename); its `build` changes only when the
geography is rebuilt (copies and later writes of one build share it). Every cache keys on it and is bounded:

- the pages' Streamlit caches (`views/caches.py`) key on `version`: a write that lands, from any session or
  the command line, is seen at the next page load; the Importer also clears them after its own write;
- the geometry caches of the maps (`GeometryCache`) and the resolver's index (`geo.resolve.index`) key on
  `build`: a write leaves them as they are, a rebuild replaces them (a few entries each, oldest out first);
- the read connections (`connection.reader`) reopen when `version` changes.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import NamedTuple

from geo.paths import store_path
from geo.store.connection import file_version, reader

__all__ = ["GeometryCache", "Identity", "identity", "version"]


class Identity(NamedTuple):
    version: str   # changes at every write and rebuild ("" when there is no store)
    build: str     # changes only at a rebuild


_builds: dict[str, str] = {}
_lock = threading.Lock()


def version(store: Path | str | None = None) -> str:
    """The `version` part alone, from the file's metadata only (no query): what every page run asks."""
    try:
        ino, mtime = file_version(Path(store or store_path()))
    except FileNotFoundError:
        return ""
    return f"{ino}-{mtime}"


def identity(store: Path | str | None = None) -> Identity:
    """The store's identity now (both parts empty when there is no store file yet)."""
    path = Path(store or store_path())
    version_ = version(path)
    if not version_:
        return Identity("", "")
    with _lock:
        build = _builds.get(version_)
    if build is None:
        meta = dict(reader(path).execute("SELECT cle, valeur FROM metadonnees").fetchall())
        build = meta.get("build_id") or f"{meta.get('construit_le', '')}|{meta.get('source_geometrie', '')}"
        with _lock:
            if len(_builds) >= 64:
                _builds.clear()
            _builds[version_] = build
    return Identity(version_, build)


class GeometryCache:
    """A few values per geography, computed once (a new build gets new values; the oldest goes first)."""

    def __init__(self, size: int = 32):
        self.size = size
        self.values: dict[tuple, object] = {}
        self._lock = threading.Lock()

    def get(self, store, extra: tuple, compute):
        key = (identity(store).build, *extra)
        with self._lock:
            if key in self.values:
                return self.values[key]
        value = compute()
        with self._lock:
            while len(self.values) >= self.size:
                self.values.pop(next(iter(self.values)))
            self.values[key] = value
        return value
