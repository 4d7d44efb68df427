"""Caches keyed by the store's identity, so they follow rebuilds and imports without Streamlit."""

from __future__ import annotations

from pathlib import Path

from geo.paths import store_path


def store_key(store: Path | str | None = None) -> tuple[str, int, int]:
    path = Path(store or store_path())
    st = path.stat()
    return str(path), st.st_ino, st.st_mtime_ns


def geometry_key(store: Path | str | None = None) -> tuple[str, str]:
    """Identity of the geography only (imports do not change it): the build time in the metadata."""
    from geo.territory import metadata

    path = Path(store or store_path())
    return str(path), metadata(path).get("construit_le", "")
