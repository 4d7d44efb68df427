"""Présentation: one département for a meeting — full-width map, large figures, the data's date, downloads."""

import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from geo import dates, deck, departement_map, maps, png, provenance
from views import over_time
from views.common import (
    choose_departement,
    choose_label,
    coverage_by_departement,
    data_date,
    departements,
    escape_md,
    file_name,
    fmt_int,
    fmt_pct,
    require_store,
    sites,
    warn_synthetic,
)
from views.state import url_widget
from views.status import show_loaded

# the whole slide fits a 1280×720 screen: controls, title and figures on two short rows, then the map
MAP_HEIGHT = 470
version = require_store()
st.markdown("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
.block-container {padding-top: 0.6rem; padding-bottom: 0.5rem; max-width: 100%;}
[data-testid="stMetricValue"] {font-size: 2.2rem;}
[data-testid="stMetricLabel"] p {font-size: 1rem;}
[data-testid="stMainBlockContainer"] h2 {padding: 0.2rem 0 0 0; font-size: 1.6rem;}
[data-testid="stVerticalBlock"] {gap: 0.4rem;}
</style>""", unsafe_allow_html=True)

top = st.columns([2, 2, 1.2], vertical_alignment="bottom")
with top[0]:
    dep = choose_departement(version, "presentation", where=st)
with top[1]:
    label = choose_label(version, "presentation", sidebar=False)
with top[2]:
    st.page_link("views/departement.py", label="Quitter la présentation", icon="↩",
                 query_params={"dep": dep, **({"label": label} if label else {})})
names = dict(zip(departements(version)["code"], departements(version)["nom"], strict=True))
title = f"{names[dep]} — {label or 'aucun label'}"
figures: list[tuple[str, str]] = []
if label:
    row = coverage_by_departement(version, label).set_index("code").loc[dep]
    figures = [("Communes couvertes", f"{fmt_int(row['communes_couvertes'])} / {fmt_int(row['communes'])}"),
               ("Population couverte", fmt_pct(row["pct_population_couverte"])),
               ("EPCI labellisés", fmt_int(row["epci_labellises"])),
               ("Centres de préparation", fmt_int(row["sites"]))]
head = st.columns([2.2, 1, 1, 1, 1], vertical_alignment="center")
head[0].markdown(f"## {escape_md(title)}")
for col, (name, value) in zip(head[1:], figures, strict=False):
    col.metric(name, value)
warn_synthetic(sites(version)[lambda s: s["departement"] == dep])

# st_folium rewrites the map it is given: a fresh one each run (its GeoJSON is cached in geo)
st_folium(departement_map.build(dep, label), height=MAP_HEIGHT, use_container_width=True, returned_objects=[],
          key=f"presentation_{dep}")
note = data_date(version, label)
st.caption(escape_md(f"{note}. {provenance.sources(label)}."))
show_loaded(version, label)


# both files are made when their button is clicked, not on every visit
today = dt.date.today()
d0, d1, d2, d3, d4 = st.columns([1.1, 1, 1, 1, 1], vertical_alignment="bottom")
d1.download_button("Carte en HTML autonome",
                   lambda: maps.standalone_html(departement_map.build(dep, label), title=title,
                                                note=f"{note}. {provenance.sources(label)}. "
                                                     f"Carte produite le {dates.long(today)}."),
                   file_name("carte", f"{dep} {names[dep]}", "html"), "text/html")
d2.download_button("Image PNG pour diapositive",
                   lambda: png.departement_png(dep, label, title, note, figures=figures,
                                               sources=provenance.sources(label)),
                   file_name("carte", f"{dep} {names[dep]}", "png"), "image/png")
if label:  # the deck and its one-page PDF, for the département, its région or France
    region = str(departements(version).set_index("code").loc[dep, "region"])
    codes = {"departement": dep, "region": region, "france": None}
    kind = url_widget(d0.selectbox, "Diaporama et fiche pour", key="presentation.portee", param="portee",
                      default="departement", valid=lambda v: v in codes, options=list(codes),
                      format_func={"departement": "le département", "region": "sa région", "france": "la France"}.get)
    where = deck.scope(kind, codes[kind])
    d3.download_button("Diaporama PowerPoint", lambda: deck.pptx_bytes(label, where),
                       file_name("diaporama", where.nom, "pptx"),
                       "application/vnd.openxmlformats-officedocument.presentationml.presentation")
    d4.download_button("Fiche PDF (une page)", lambda: deck.pdf_bytes(label, where),
                       file_name("fiche", where.nom, "pdf"), "application/pdf")
if label:  # as of a month, and the chart, folded away so that the slide still fits the screen
    with st.expander("Couverture dans le temps (situation à une date, courbe)"):
        month = over_time.choose_month(version, label, (dep,), "presentation", where=st)
        over_time.show(version, label, (dep,), names[dep], month, title=False)
