"""What the pages are made of, said on every page: the lists loaded, their date, source and completeness;
and what to do next when a page has nothing to show."""

from __future__ import annotations

import re

import streamlit as st

from geo import fr
from geo.data import labels, provenance
from views.access import is_editor, settings
from views.caches import data_date
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


_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _what(row, national: bool) -> str:
    what = _s(row["note_completude"]) or f"{row['fichier']} : {row['lignes']} ligne(s), complétude non précisée"
    if national and what.endswith(NOT_LOADED):  # written when the national list was not there; it is now
        what = what.removesuffix(NOT_LOADED)
    what = _ISO_DAY.sub(lambda m: f"{m[3]}/{m[2]}/{m[1]}", what)  # a note's dates as the pages write them
    if row["genre"] != "sites":
        return what
    word = fr.site_word(row["label"], plural=True)  # « CPJ », or « sites » for any other list of sites
    return f"{word[:1].upper()}{word[1:]} : {what}"


# a map page puts its map and figures above the fold of a projector's 1280×720: less space above the title
MAP_PAGE_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.1rem; padding: 0.2rem 0 0.1rem 0; }
</style>"""


def show_provenance(version: str, label: str | None) -> None:
    """Under a map page's title: one short line (the label, its lists' dates, whether they are partial, the
    geography); the lists loaded, their files, dates and sources in the folded « Sources » box."""
    st.html(MAP_PAGE_CSS)
    if loaded(version, label).empty:  # nothing to fold away: say what to do
        show_loaded(version, label)
        return
    _provenance_lines(version, label)


@st.cache_data(show_spinner=False, max_entries=256)
def _provenance_lines(version: str, label: str | None) -> None:
    """The short line and the folded sources, drawn once per store version and label, then replayed to every
    session by st.cache_data (nothing in them depends on who reads)."""
    st.caption(escape_md(short_line(version, label)))
    with st.expander("Sources et listes chargées"):
        st.caption(escape_md(data_date(version, label)))
        _loaded_lines(version, label)


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
    st.caption(_loaded_text(df))
    with st.expander("Sources des listes chargées"):
        _sources(df)


def _loaded_text(df) -> str:
    national = df["note_completude"].fillna("").str.startswith("liste nationale officielle").any()
    items = [escape_md(_what(r, national)) for r in df.to_dict("records")]
    if not (df["genre"] == "sites").any():
        items.append("Listes de sites (CPJ…) : aucune chargée")
    return "**Données chargées** : " + " · ".join(items) + "."


def _sources(df) -> None:
    """One line per import, in one block (one element, however many lists are loaded)."""
    lines = [escape_md(f"n° {r['id']} — {r['label']} — {r['fichier']}, {r['lignes']} ligne(s), importé le "
                       f"{r['importe_le']:%d/%m/%Y} — source : {_s(r['source']) or 'non précisée'}")
             for r in df.to_dict("records")]
    st.markdown("  \n".join(lines))


def _loaded_lines(version: str, label: str | None) -> None:
    df = loaded(version, label)
    if df.empty:
        st.caption("Données chargées : aucune liste.")
        return
    st.caption(_loaded_text(df))
    _sources(df)


@st.cache_data(show_spinner=False)
def short_line(version: str, label: str | None) -> str:
    return provenance.short_line(label)


def national_hint(version: str, label: str | None) -> None:
    """On a first visit, when the label's national list is not loaded: one sentence saying how to load it."""
    if not label or "terre de jeux" not in fr.fold(label):
        return
    df = loaded(version, label)
    notes = df.loc[df["genre"] == "entites", "note_completude"].fillna("")
    if notes.str.startswith("liste nationale officielle").any():
        return
    if is_editor():
        st.info("Liste nationale non chargée : page **Importer** → « Mettre à jour depuis les listes officielles » "
                "(en ligne), ou déposez-y l'export du portail.", icon=":material/info:")
    else:
        st.info(f"Liste nationale non chargée : seules des listes partielles sont comptées. {_reader_hint()}",
                icon=":material/info:")


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
