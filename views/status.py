"""What the pages are made of, said on every page: the lists loaded, their date, source and completeness;
and what to do next when a page has nothing to show."""

from __future__ import annotations

import re

import streamlit as st

from geo import labels

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def plain(text) -> str:
    """Text from a file or an address, made inert for Streamlit's markdown."""
    return _MARKDOWN.sub(r"\\\1", str(text or ""))


@st.cache_data(show_spinner=False)
def loaded(version: str, label: str | None):
    return labels.loaded(label)


@st.cache_data(show_spinner=False)
def departement_status(version: str, label: str, dep: str) -> dict | None:
    return labels.departement_status(label, dep)


def _describe(row) -> str:
    what = row["note_completude"] or f"{row['lignes']} ligne(s), complétude non précisée"
    kind = "CPJ" if row["genre"] == "sites" else row["label"]
    when = f"importé le {row['importe_le']:%d/%m/%Y}"
    source = f" ; source : {row['source']}" if row["source"] else ""
    return f"{kind} — {what} ({row['fichier']}, {when}{source})"


def show_loaded(version: str, label: str | None) -> None:
    """One caption under the title: which lists are loaded, what they cover, where they come from."""
    df = loaded(version, label)
    if df.empty:
        st.caption("Données chargées : aucune liste de label. La page **Importer** charge la liste officielle "
                   "en un clic (en ligne) ou un fichier que vous déposez.")
        return
    items = [plain(_describe(r)) for r in df.to_dict("records")]
    if not (df["genre"] == "sites").any():
        items.append("CPJ — aucune liste chargée")
    st.caption("Données chargées : " + " · ".join(items))


def next_steps(what: str) -> None:
    """Instead of a row of zeros: what to do to see something here."""
    st.info(f"{what} Pour compléter : page **Importer** → « Mettre à jour depuis les listes officielles » "
            "(télécharge les listes nationales Terre de Jeux et CPJ quand le poste est en ligne), ou déposez un "
            "fichier (liste de la préfecture, export CSV du portail data.gouv.fr : jeux "
            "« paris-2024-territoires-labellises-terre-de-jeux » et « paris-2024-centres-de-preparation-aux-jeux »).")
