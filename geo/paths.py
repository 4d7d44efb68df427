"""Where the project keeps its files; each can be moved with an environment variable."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"


def store_path() -> Path:
    """The DuckDB store (TDJ_STORE overrides the default data/territoires.duckdb)."""
    return Path(os.environ.get("TDJ_STORE", DATA_DIR / "territoires.duckdb"))


def cache_dir() -> Path:
    """Downloaded sources (git-ignored), TDJ_CACHE overrides."""
    return Path(os.environ.get("TDJ_CACHE", ROOT / ".cache" / "sources"))


def static_vendor_dir() -> Path:
    """Leaflet and plugins fetched at set-up, served by Streamlit (git-ignored)."""
    return ROOT / "static" / "vendor"
