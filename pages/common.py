"""Shared helpers for the pages: cached access to the store, keyed by its file identity."""

from __future__ import annotations

import streamlit as st

from geo import territory
from geo.errors import GeoError
from geo.paths import store_path


def store_version() -> str:
    """Changes whenever the store file is rebuilt or written, so caches follow it."""
    path = store_path()
    if not path.exists():
        return ""
    st_ = path.stat()
    return f"{st_.st_ino}-{st_.st_mtime_ns}"


def require_store() -> str:
    """Stop the page with a French explanation when the store is missing."""
    version = store_version()
    if not version:
        st.error(f"Le magasin de données {store_path()} n'existe pas encore. Construisez-le avec "
                 "« make run » ou « python -m geo build ».")
        st.stop()
    return version


@st.cache_data(show_spinner=False)
def departements(version: str):
    return territory.departements()


@st.cache_data(show_spinner=False)
def metadata(version: str) -> dict:
    try:
        return territory.metadata()
    except GeoError:
        return {}
