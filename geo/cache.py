"""Cache keys for data derived from the store's geography, which only a rebuild changes."""

from __future__ import annotations

from pathlib import Path


def geometry_key(store: Path | str | None = None) -> str:
    """The identity of a store's geography: its build id (copies of one build share it)."""
    from geo.territory import metadata

    meta = metadata(store)
    return meta.get("build_id") or f"{meta.get('construit_le', '')}|{meta.get('source_geometrie', '')}"


class GeometryCache:
    """A few values per geography, computed once (a new build gets new values)."""

    def __init__(self, size: int = 32):
        self.size = size
        self.values: dict[tuple, object] = {}

    def get(self, store, extra: tuple, compute):
        key = (geometry_key(store), *extra)
        if key not in self.values:
            if len(self.values) >= self.size:
                self.values.pop(next(iter(self.values)))
            self.values[key] = compute()
        return self.values[key]
