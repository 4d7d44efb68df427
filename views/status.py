"""What the pages are made of, said on every page: the lists loaded, their date, source and completeness;
and what to do next when a page has nothing to show."""

from __future__ import annotations

import streamlit as st

from geo.data import labels
from views.access import is_editor, settings
from views.state import escape_md


def _s(value) -> str:
    return "" if value is None or value != value else str(value)


@st.cache_data(show_spinner=False)
def loaded(version: str, label: str | None):
    return labels.loaded(label)


@st.cache_data(show_spinner=False)
def departement_status(version: str, label: str, dep: str) -> dict | None:
    return labels.departement_status(label, dep)


NOT_LOADED = " ; liste nationale non chargée"


def _what(row, national: bool) -> str:
    what = _s(row["note_completude"]) or f"{row['fichier']} : {row['lignes']} ligne(s), complétude non précisée"
    if national and what.endswith(NOT_LOADED):  # written when the national list was not there; it is now
        what = what.removesuffix(NOT_LOADED)
    return f"CPJ : {what}" if row["genre"] == "sites" else what


def show_loaded(version: str, label: str | None) -> None:
    """Under the title: which lists are loaded and what they cover; their files, dates and sources on demand."""
    df = loaded(version, label)
    if df.empty:
        if is_editor():
            st.caption("Données chargées : aucune liste. La page **Importer** charge les listes officielles en un "
                       "clic (en ligne) ou un fichier que vous déposez.")
        else:
            st.caption(f"Données chargées : aucune liste. {_reader_hint()}")
        return
    national = df["note_completude"].fillna("").str.startswith("liste nationale officielle").any()
    items = [escape_md(_what(r, national)) for r in df.to_dict("records")]
    if not (df["genre"] == "sites").any():
        items.append("CPJ : aucune liste chargée")
    st.caption("**Données chargées** : " + " · ".join(items) + ".")
    with st.expander("Sources des listes chargées"):
        for r in df.to_dict("records"):
            source = _s(r["source"]) or "non précisée"
            st.markdown(escape_md(f"n° {r['id']} — {r['label']} — {r['fichier']}, {r['lignes']} ligne(s), importé le "
                              f"{r['importe_le']:%d/%m/%Y} — source : {source}"))


def _reader_hint() -> str:
    """Where the lists come from, for a session that cannot import them."""
    if settings().mode == "lecture":
        return "Cette copie publiée montre les listes chargées sur le poste qui la publie."
    return "Les listes sont chargées par un éditeur (page Importer, après connexion)."


def next_steps(what: str) -> None:
    """Instead of a row of zeros: what to do to see something here (for a reader: who can do it)."""
    if not is_editor():
        st.info(f"{what} {_reader_hint()}")
        return
    st.info(f"{what} Pour compléter : page **Importer** → « Mettre à jour depuis les listes officielles » "
            "(télécharge les listes nationales Terre de Jeux et CPJ quand le poste est en ligne), ou déposez un "
            "fichier (liste de la préfecture, export CSV du portail data.gouv.fr : jeux "
            "« paris-2024-territoires-labellises-terre-de-jeux » et « paris-2024-centres-de-preparation-aux-jeux »).")
