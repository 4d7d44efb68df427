"""Streamlit caches of the read side (geo.data), keyed by the store's version so that a new store is read afresh.

Shared by every session of the replica (st.cache_data computes a value once however many sessions ask at once)
and bounded (`ENTRIES` per function, the least recently used first: the versions a write or a publication left
behind age out). The maps' payloads are shared the same way in views/shared_map.py."""

from __future__ import annotations

import streamlit as st

from geo.data import coverage, labels, lists, provenance, territory
from geo.errors import GeoError
from geo.io.export import to_csv
from views.formatting import french_numbers, table

ENTRIES = 256  # per function: labels × territories × versions in use at once


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def departements(version: str):
    return territory.departements()


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def regions(version: str):
    return territory.regions()


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def metadata(version: str) -> dict:
    try:
        return territory.metadata()
    except GeoError:
        return {}


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def label_names(version: str) -> list[str]:
    return labels.labels()


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def territorial_labels(version: str) -> list[str]:
    return labels.territorial_labels()


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def label_genres(version: str) -> dict[str, str]:
    return labels.label_genres()


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def coverage_by_departement(version: str, label: str):
    return coverage.by_departement(label)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def coverage_france(version: str, label: str) -> dict:
    return coverage.france(label)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def sites(version: str):
    return labels.sites()


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def communes(version: str, dep: str):
    return territory.communes_of_departement(dep).drop(columns="geometry")


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def labelled(version: str, label: str, deps: tuple, epci: str | None, levels: tuple, date_from, date_to):
    return lists.labelled(label, list(deps), epci, list(levels), date_from, date_to)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def not_covered(version: str, label: str, deps: tuple, epci: str | None):
    return lists.not_covered(label, list(deps), epci)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def data_date(version: str, label: str | None = None) -> str:
    """The list's own dates and the geography's, said apart (the import date is not the list's date)."""
    lists_text = provenance.list_dates(label)
    return " · ".join(t for t in (lists_text, provenance.geography()) if t)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def departement_list(version: str, label: str, dep: str, kind: str) -> bytes:
    """A list of the département page (« labellises » or « non_couvertes »), drawn once per store version: the
    formatted table (pandas' Styler, ~0.1 s for the 62's 837 communes) is replayed to every later session by
    st.cache_data instead of being formatted again; returns the list's CSV for the download button."""
    if kind == "labellises":
        frame = lists.for_export(labelled(version, label, (dep,), None, (), None, None), kind)
    else:
        frame = lists.for_export(not_covered(version, label, (dep,), None), kind)
    table(french_numbers(frame, ["Population"]), hide_index=True, width="stretch", placeholder="—")
    return to_csv(frame)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def departement_sites_table(version: str, dep: str) -> None:
    """The département's sites, as the page's third tab shows them, drawn once per store version and replayed."""
    here = sites(version)
    here = here[here["departement"] == dep]
    here = here.assign(position=here["lat"].map(lambda v: "centre de la commune (sans coordonnées)" if v != v
                                                else "coordonnées"))
    table(french_numbers(here[["nom", "commune_nom", "disciplines", "olympique", "paralympique", "position",
                               "label"]], ["olympique", "paralympique"]),
          hide_index=True, width="stretch", placeholder="—",
          column_config={"nom": "Site", "commune_nom": "Commune", "disciplines": "Disciplines",
                         "olympique": "Olympique", "paralympique": "Paralympique",
                         "position": "Position sur la carte", "label": "Label"})
