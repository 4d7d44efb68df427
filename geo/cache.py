"""Cache keys for data derived from the store's geography, which only a rebuild changes."""

from __future__ import annotations

from pathlib import Path

from geo.paths import store_path


def geometry_key(store: Path | str | None = None) -> tuple[str, str]:
    """Identity of the geography only (imports do not change it): the build time in the metadata."""
    from geo.territory import metadata

    path = Path(store or store_path())
    return str(path), metadata(path).get("construit_le", "")
