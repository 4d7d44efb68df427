"""The commune search of a département page: what was typed, the communes found, the status of the one chosen."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.data import coverage
from geo.resolve.search import find_communes
from views.formatting import fmt_int


@st.cache_data(show_spinner=False)
def _status(version: str, label: str, dep: str | tuple) -> dict[str, str]:
    return dict(coverage.communes_status(label, dep if isinstance(dep, str) else list(dep)).values.tolist())


def search_commune(towns: pd.DataFrame, label: str | None, dep: str | tuple, where: str = "ce département",
                   key: str | None = None) -> pd.Series | None:
    """A search box (accents, case and "St" do not matter); returns the commune chosen, its status said.
    `dep` is a département, or the départements of a région (with `where` and `key` saying which)."""
    from views.common import store_version

    key = key or f"departement.recherche.{dep}"
    query = st.text_input("Rechercher une commune", key=key,
                          placeholder="Nom ou code INSEE, par ex. « lievin » ou « St Omer », puis Entrée")
    if not query.strip():
        return None
    found = find_communes(towns, query)
    if found.empty:
        st.text(f"Aucune commune de {where} ne correspond à « {query.strip()} ».")
        return None
    names = dict(zip(found["code"], found["nom"], strict=True))
    code = found["code"].iloc[0]
    if len(found) > 1:
        code = st.selectbox(f"{len(found)} communes correspondent", list(found["code"]),
                            format_func=lambda c: f"{names[c]} ({c})", filter_mode=None, placeholder="Choisissez…",
                            key=f"{key}.choix.{query.strip()}")
    town = found.set_index("code").loc[code]
    status = _status(store_version(), label, dep).get(code, coverage.STATUS_NONE) if label else "aucun label"
    epci = town["epci_nom"] if isinstance(town["epci_nom"], str) else "—"
    population = fmt_int(town["population"]) if town["population"] == town["population"] else "?"
    ept = f" · EPT : {town['ept_nom']}" if "ept_nom" in town and isinstance(town["ept_nom"], str) else ""
    st.text(f"{town['nom']} ({code}) : {status}" + (f" ({label})" if label else "")
            + f" · {population} habitants · EPCI : {epci}{ept}")
    return pd.Series({"code": code, "nom": town["nom"], "point_lat": town["point_lat"],
                      "point_lon": town["point_lon"], "statut": status})
