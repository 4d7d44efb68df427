"""Centres de préparation aux Jeux: map and table, filtered; CSV export of what is shown."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.export import to_csv
from geo.sites_layer import sites_map
from views.common import (
    BASEMAPS,
    departements,
    param,
    regions,
    require_store,
    set_params,
    sites,
    warn_synthetic,
)
from views.status import next_steps, show_loaded

version = require_store()
st.title("Centres de préparation aux Jeux")
all_sites = sites(version)
show_loaded(version, None)
if all_sites.empty:
    next_steps("Aucun centre de préparation chargé.")
    st.stop()
warn_synthetic(all_sites)

disciplines = sorted({d for ds in all_sites["disciplines"] for d in (ds if ds is not None else [])})
wanted = [d for d in (param("disciplines") or "").split("|") if d in disciplines]
chosen = st.sidebar.multiselect("Disciplines", disciplines, default=wanted, placeholder="Toutes")
kinds = ["tous", "olympiques", "paralympiques"]
kind = st.sidebar.radio("Centres", kinds, index=kinds.index(param("type", "tous")) if param("type") in kinds else 0)
regs = regions(version)
reg_names = dict(zip(regs["code"], regs["nom"], strict=True))
reg_opts = [""] + list(regs["code"])
region = st.sidebar.selectbox("Région", reg_opts, index=reg_opts.index(param("region", "")) if param("region", "")
                              in reg_opts else 0, format_func=lambda c: reg_names.get(c, "Toutes"))
deps = departements(version)
if region:
    deps = deps[deps["region"] == region]
dep_names = dict(zip(deps["code"], deps["nom"], strict=True))
dep_opts = [""] + list(deps["code"])
dep = st.sidebar.selectbox("Département", dep_opts, index=dep_opts.index(param("dep", "")) if param("dep", "")
                           in dep_opts else 0, format_func=lambda c: f"{c} — {dep_names[c]}" if c else "Tous")
basemap = st.sidebar.selectbox("Fond de carte", BASEMAPS)
set_params(disciplines="|".join(chosen), type=None if kind == "tous" else kind, region=region, dep=dep)

shown = all_sites
if chosen:
    shown = shown[shown["disciplines"].map(lambda ds: bool(set(ds if ds is not None else []) & set(chosen)))]
if kind == "olympiques":
    shown = shown[shown["olympique"]]
elif kind == "paralympiques":
    shown = shown[shown["paralympique"]]
if region:
    shown = shown[shown["region"] == region]
if dep:
    shown = shown[shown["departement"] == dep]

c1, c2, c3 = st.columns(3)
c1.metric("Sites affichés", len(shown))
c2.metric("Accueillant le para", int(shown["paralympique"].sum()))
c3.metric("Sans coordonnées", int(shown["lat"].isna().sum()))
c3.caption(f"dont {int((shown['lat'].isna() & shown['commune'].notna()).sum())} placés sur leur commune (cercle vide), "
           f"{int(shown['commune'].isna().sum())} sans commune (non dessinés)")


# st_folium rewrites the map it is given: a fresh one each run
st_folium(sites_map(shown, fit=bool(region or dep or chosen), basemap=basemap), height=560,
          use_container_width=True, returned_objects=[], key="carte_cpj")
table = pd.DataFrame({
    "Site": shown["nom"], "Commune": shown["commune_nom"], "Code INSEE": shown["commune"],
    "Département": shown["departement"], "Disciplines": shown["disciplines"].map(
        lambda ds: ", ".join(ds) if ds is not None else ""),
    "Olympique": shown["olympique"], "Paralympique": shown["paralympique"], "Adresse": shown["adresse"],
    "Latitude": shown["lat"], "Longitude": shown["lon"],
    "Position": shown["lat"].map(lambda v: "centre de la commune (sans coordonnées)" if v != v else "coordonnées"),
    "Label": shown["label"], "Remarque": shown["note"]})
st.dataframe(table, hide_index=True, width="stretch")
st.download_button("Exporter ce tableau (CSV)", to_csv(table), "centres-de-preparation.csv", "text/csv")
