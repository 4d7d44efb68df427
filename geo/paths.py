"""Where the project keeps its files; each can be moved with an environment variable."""

import os
from pathlib import Path

from geo import settings

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"


def store_path() -> Path:
    """The DuckDB store (TDJ_STORE overrides the default data/territoires.duckdb)."""
    return _path("TDJ_STORE")


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
