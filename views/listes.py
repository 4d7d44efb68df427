"""Lists: labelled entities and communes not covered, filtered; CSV (French Excel by default) and GeoJSON."""

import datetime as dt
import json

import streamlit as st

from geo import lists, territory
from geo.export import to_csv
from views.common import (
    choose_label,
    departements,
    labelled,
    not_covered,
    param,
    require_store,
    set_params,
)
from views.status import next_steps, show_loaded

version = require_store()
st.title("Listes")
label = choose_label(version)
show_loaded(version, label)
if not label:
    st.stop()

deps = departements(version)
names = dict(zip(deps["code"], deps["nom"], strict=True))
wanted = [d for d in (param("deps") or "").split("|") if d in names]
chosen = st.sidebar.multiselect("Départements", list(deps["code"]), default=wanted, placeholder="Tous",
                                format_func=lambda c: f"{c} — {names[c]}")
epci_options = [""]
epci_names = {}
if len(chosen) == 1:
    epcis = territory.epci_of_departement(chosen[0])
    epci_options += list(epcis["siren"])
    epci_names = dict(zip(epcis["siren"], epcis["nom"], strict=True))
epci = st.sidebar.selectbox("EPCI (un département choisi)", epci_options,
                            index=epci_options.index(param("epci", "")) if param("epci", "") in epci_options else 0,
                            format_func=lambda s: epci_names.get(s, "Tous"), disabled=len(chosen) != 1)
level_opts = list(lists.LEVEL_LABELS)
levels = st.sidebar.multiselect("Niveaux", level_opts, format_func=lists.LEVEL_LABELS.get, placeholder="Tous",
                                default=[v for v in (param("niveaux") or "").split("|") if v in level_opts])
use_dates = st.sidebar.checkbox("Filtrer par date de labellisation", value=bool(param("du")))
date_from = date_to = None
if use_dates:
    start = dt.date.fromisoformat(param("du", "2019-11-01"))
    end = dt.date.fromisoformat(param("au", dt.date.today().isoformat()))
    date_from, date_to = st.sidebar.date_input("Période", (start, end), format="DD/MM/YYYY")
sep_label = st.sidebar.radio("Séparateur CSV", ["; (Excel français)", ", (virgule)"],
                             index=1 if param("sep") == "virgule" else 0)
sep = ";" if sep_label.startswith(";") else ","
set_params(deps="|".join(chosen), epci=epci, niveaux="|".join(levels), du=date_from and date_from.isoformat(),
           au=date_to and date_to.isoformat(), sep="virgule" if sep == "," else None)



def show(rows, kind: str, caption: str, filename: str) -> None:
    """The table as colleagues will read it, and its two exports."""
    table = lists.for_export(rows, kind)
    st.caption(caption.format(n=len(table)))
    if table.empty and kind == "labellises":
        next_steps("Aucune collectivité labellisée ne correspond à ces filtres dans les listes chargées.")
    st.dataframe(table, hide_index=True, width="stretch", height=460)
    c1, c2 = st.columns(2)
    c1.download_button("Exporter (CSV)", to_csv(table, sep=sep), f"{filename}.csv", "text/csv", key=f"csv_{kind}")
    c2.download_button("Exporter (GeoJSON)",  # geometries are read on click, not on every rerun
                       lambda: json.dumps(lists.geojson_export(rows, kind), ensure_ascii=False),
                       f"{filename}.geojson", "application/geo+json", key=f"geo_{kind}")


tab1, tab2 = st.tabs(["Collectivités labellisées", "Communes non couvertes (qui manque ?)"])
with tab1:
    show(labelled(version, label, tuple(chosen), epci or None, tuple(levels), date_from, date_to), "labellises",
         "{n} ligne(s)", "collectivites-labellisees")
with tab2:
    if not chosen:
        st.info("Choisissez au moins un département pour lister les communes non couvertes.")
    else:
        show(not_covered(version, label, tuple(chosen), epci or None), "non_couvertes",
             "{n} commune(s) ni labellisées ni couvertes par leur EPT ou EPCI", "communes-non-couvertes")
