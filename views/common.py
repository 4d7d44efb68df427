"""What every page does first: find the store (its version keys the caches), count the visits, warn of
synthetic data. Caches are in views/caches.py, controls in views/widgets.py, French display in views/formatting.py."""

from __future__ import annotations

import streamlit as st

from geo.build.synth import SYNTH_SUFFIX
from geo.paths import store_path
from geo.store.identity import version


def store_version() -> str:
    """The store's version (geo.store.identity): every cache of the pages keys on it."""
    return version()


def require_store() -> str:
    """Stop the page with a French explanation when the store is missing."""
    version = store_version()
    if not version:
        st.error(f"Le magasin de données {store_path()} n'existe pas encore. Construisez-le avec "
                 "« make run » ou « python -m geo build ».")
        st.stop()
    # no query here: a read at the top of every run goes through the store's gate and, racing a write, made
    # an officer's upload be dropped (commit 00a847d); an unreadable store is said by app.py's handler
    # (views/errors.py) at the page's first read
    return version


def warn_synthetic(shown_sites) -> None:
    """Synthetic sites are never shown without saying so."""
    if len(shown_sites) and shown_sites["label"].str.endswith(SYNTH_SUFFIX).any():
        st.warning("Une partie des centres affichés sont des données **synthétiques** (générées pour les tests) : "
                   "ils ne décrivent aucun centre réel.")


VISIT = "_visite"


def page_visit() -> int:
    """How many times the officer has entered a page in this session (a new number on each arrival)."""
    return int(st.session_state.get(VISIT, 0))


def count_visit(url_path: str) -> None:
    """Called by app.py before each page run: a new visit when the page differs from the last one run."""
    if st.session_state.get("_page") != url_path:
        st.session_state["_page"] = url_path
        st.session_state[VISIT] = int(st.session_state.get(VISIT, 0)) + 1
