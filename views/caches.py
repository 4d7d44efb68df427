"""Streamlit caches of the read side (geo.data), keyed by the store's version so that a new store is read afresh."""

from __future__ import annotations

import streamlit as st

from geo.data import coverage, labels, lists, provenance, territory
from geo.errors import GeoError


@st.cache_data(show_spinner=False)
def departements(version: str):
    return territory.departements()


@st.cache_data(show_spinner=False)
def regions(version: str):
    return territory.regions()


@st.cache_data(show_spinner=False)
def metadata(version: str) -> dict:
    try:
        return territory.metadata()
    except GeoError:
        return {}


@st.cache_data(show_spinner=False)
def label_names(version: str) -> list[str]:
    return labels.labels()


@st.cache_data(show_spinner=False)
def territorial_labels(version: str) -> list[str]:
    return labels.territorial_labels()


@st.cache_data(show_spinner=False)
def label_genres(version: str) -> dict[str, str]:
    return labels.label_genres()


@st.cache_data(show_spinner=False)
def coverage_by_departement(version: str, label: str):
    return coverage.by_departement(label)


@st.cache_data(show_spinner=False)
def coverage_france(version: str, label: str) -> dict:
    return coverage.france(label)


@st.cache_data(show_spinner=False)
def sites(version: str):
    return labels.sites()


@st.cache_data(show_spinner=False)
def communes(version: str, dep: str):
    return territory.communes_of_departement(dep).drop(columns="geometry")


@st.cache_data(show_spinner=False)
def labelled(version: str, label: str, deps: tuple, epci: str | None, levels: tuple, date_from, date_to):
    return lists.labelled(label, list(deps), epci, list(levels), date_from, date_to)


@st.cache_data(show_spinner=False)
def not_covered(version: str, label: str, deps: tuple, epci: str | None):
    return lists.not_covered(label, list(deps), epci)


@st.cache_data(show_spinner=False)
def data_date(version: str, label: str | None = None) -> str:
    """The list's own dates and the geography's, said apart (the import date is not the list's date)."""
    lists_text = provenance.list_dates(label)
    return " · ".join(t for t in (lists_text, provenance.geography()) if t)
