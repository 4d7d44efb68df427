"""The choice of a column of an imported list (any list, any column), kept in the URL, for the Département and
Listes pages; the logic is in geo/data/attributes.py."""

from __future__ import annotations

import streamlit as st

from geo.data import attributes
from views.state import escape_md, url_widget


@st.cache_data(show_spinner=False)
def available(version: str) -> list[attributes.Column]:
    return attributes.columns()


def choose_column(version: str, page: str, none_label: str) -> attributes.Column | None:
    """A selectbox in the sidebar: `none_label` (the page's usual view) or « colonne — fichier »."""
    found = {c.key: c for c in available(version)}
    options = ["", *found]
    key = url_widget(st.sidebar.selectbox, "Colonne d'une liste importée", key=f"{page}.colonne", param="colonne",
                     default="", valid=lambda v: v in options, options=options,
                     invalid=lambda raw: f"Colonne « {escape_md(raw)} » introuvable dans les listes chargées : "
                                         f"{none_label.lower()} est affichée.",
                     format_func=lambda k: found[k].title() if k else none_label,
                     help="Toute colonne d'une liste importée (enquête, tableau de suivi…) jointe aux communes "
                          "par le code officiel de chaque ligne.")
    return found.get(key)


def choose_method(page: str) -> str:
    """Quantiles or natural breaks, for a column of numbers."""
    methods = list(attributes.METHODS)
    return url_widget(st.sidebar.radio, "Classes des nombres", key=f"{page}.classes", param="classes",
                      default="quantiles", valid=lambda v: v in methods, options=methods,
                      format_func=attributes.METHODS.get)
