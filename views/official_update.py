"""Importer: the official lists in one click, and a list from any address (helper of views/importer.py)."""

from __future__ import annotations

import streamlit as st

from geo.errors import GeoError
from geo.imports import official
from views.access import require_editor
from views.state import escape_md
from views.status import show_loaded


def official_lists(version: str) -> None:
    """The official Terre de Jeux and CPJ lists, downloaded and imported in one click."""
    st.subheader("Listes officielles")
    show_loaded(version, None)
    st.caption("Télécharge les listes nationales Terre de Jeux 2024 et Centres de préparation aux Jeux depuis leur "
               f"portail open data (jeux « {TDJ.id} » et « {CPJ.id} ») et les importe comme de nouveaux imports, "
               "comparés aux précédents. Nécessite un accès à internet ; sans lui, rien n'est modifié.")
    c1, c2, c3 = st.columns([3, 1, 2])
    base = c1.text_input("Adresse du portail (Opendatasoft)", value=official.portal(), key="portail",
                         help="Les jeux ont changé de portail (data.paris2024.org, data.education.gouv.fr…) : "
                              "indiquez celui qui les publie aujourd'hui.")
    fmt = c2.radio("Format", official.FORMATS, format_func=str.upper, horizontal=True, key="portail_format")
    c3.write("")
    if c3.button("Mettre à jour depuis les listes officielles", type="primary", key="maj_officielle"):
        with st.spinner("Téléchargement et résolution des listes officielles…"):
            try:
                results = official.update(base, fmt, auteur=require_editor())
                st.session_state["maj_resultats"] = [r.summary() for r in results]
                st.session_state.pop("maj_erreur", None)
                st.cache_data.clear()
            except GeoError as exc:
                st.session_state["maj_erreur"] = str(exc)
                st.session_state.pop("maj_resultats", None)
        st.rerun()
    if st.session_state.get("maj_erreur"):
        st.error(escape_md(st.session_state["maj_erreur"]))
    for line in st.session_state.get("maj_resultats", []):
        st.success(escape_md(line))
    st.subheader("Déposer un fichier")


def from_url(label: str | None, sites_mode: bool, level: str, departement: str | None) -> None:
    """A list from any address, resolved like a dropped file and checked before it is saved."""
    with st.expander("Importer depuis une adresse (CSV, JSON, GeoJSON)"):
        st.caption("L'adresse d'un fichier publié en ligne ; la liste est résolue avec le label, le niveau et le "
                   "département choisis plus haut, puis vous la vérifiez avant de l'enregistrer.")
        url = st.text_input("Adresse du fichier", placeholder="https://…/liste.csv", key="adresse_liste")
        if st.button("Télécharger et résoudre", key="adresse_importer", disabled=not url.strip()):
            with st.spinner("Téléchargement…"):
                try:
                    if not (label or "").strip():
                        raise GeoError("Indiquez d'abord le label de la liste.")
                    st.session_state["prepare"] = official.prepare_url(url, label, sites=sites_mode, level=level,
                                                                       departement=departement)
                    st.session_state.pop("dernier_import", None)
                except GeoError as exc:
                    st.error(escape_md(str(exc)))


TDJ, CPJ = official.DATASETS


def describe_pending() -> None:
    """Source and completeness of the list about to be saved: every page shows them."""
    prepared = st.session_state.get("prepare")
    if prepared is None:
        return
    st.caption("Dites d'où vient la liste et ce qu'elle couvre : chaque page l'affichera avec elle.")
    c1, c2 = st.columns(2)
    key = prepared.sha256[:12]
    prepared.source = c1.text_input("Source de la liste (adresse, article, service…)", value=prepared.source,
                                    key=f"source_{key}")
    prepared.note_completude = c2.text_input(
        "Ce que couvre la liste", value=prepared.note_completude, key=f"note_{key}",
        placeholder="ex. « communes du Val-de-Marne labellisées au 2024-06-01, d'après la préfecture ; partielle »")
