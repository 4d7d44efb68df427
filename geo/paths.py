"""Where the project keeps its files; each can be moved with an environment variable."""

import os
from pathlib import Path

from geo import settings

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"


def store_path() -> Path:
    """The DuckDB store (TDJ_STORE overrides the default data/territoires.duckdb), its symbolic links followed."""
    return real_path(_path("TDJ_STORE"))


def real_path(path: Path | str) -> Path:
    """The file a path names, symbolic links followed: a store's lock, copies and publications live next to the
    real file, so that a write replaces the file, never a link to it, and every name of it shares one lock."""
    return Path(os.path.realpath(path))


def cache_dir() -> Path:
    """Downloaded sources (git-ignored), TDJ_CACHE overrides."""
    return _path("TDJ_CACHE")


def static_vendor_dir() -> Path:
    """Leaflet and plugins fetched at set-up, served by Streamlit (git-ignored)."""
    return ROOT / "static" / "vendor"


def _path(name: str) -> Path:
    """A path setting: the environment's as given (relative to the working directory), else the default, under
    the project's root."""
    value = Path(settings.get(name))
    return value if name in os.environ else ROOT / value
