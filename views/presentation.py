"""Présentation: a département, a région or France for a meeting — full-width map, large figures, the data's
date, downloads."""

import datetime as dt
from urllib.parse import urlencode

import streamlit as st
from streamlit_folium import st_folium

from geo import fr, maps
from geo.data import provenance
from geo.data.labels import sites_word
from geo.maps import departement_map, region_map
from geo.slides import deck, png, region_png
from views import over_time
from views.caches import coverage_by_departement, coverage_france, data_date, departements, regions, sites
from views.chrome import after_map, skip_map
from views.common import require_store, warn_synthetic
from views.formatting import file_name, fmt_int, fmt_pct
from views.region_choice import choose_region, coverage_by_region
from views.state import escape_md, join, url_widget
from views.status import show_loaded
from views.widgets import choose_departement, choose_label

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

SCALES = {"departement": "Département", "region": "Région", "france": "France (par commune)"}
top = st.columns([1.3, 2, 2, 1.2], vertical_alignment="bottom")
with top[0]:
    scale = url_widget(st.selectbox, "Territoire", key="presentation.echelle", param="echelle",
                       default="departement", valid=lambda v: v in SCALES, options=list(SCALES),
                       format_func=SCALES.get)
dep = reg = None
with top[1]:
    if scale == "departement":
        dep = choose_departement(version, "presentation", where=st)
    elif scale == "region":
        reg = choose_region(version, "presentation", where=st)
with top[2]:
    label = choose_label(version, "presentation", sidebar=False)
with top[3]:
    back = {"departement": ("views/departement.py", {"dep": dep}), "region": ("views/region.py", {"reg": reg}),
            "france": ("views/france.py", {"echelle": "communes"})}[scale]
    st.page_link(back[0], label="Quitter la présentation", icon="↩",
                 query_params={**back[1], **({"label": label} if label else {})})
if scale == "departement":
    place = departements(version).set_index("code").loc[dep, "nom"]
    where_name = f"{dep} {place}"
elif scale == "region":
    place = regions(version).set_index("code").loc[reg, "nom"]
    where_name = f"region {place}"
else:
    place = where_name = "France"
# the month is chosen at the foot of the slide (folded away) but the title, the figures and the map above follow
# it: they are drawn into their places once it is known
head_slot, map_slot = st.container(), st.container()
note = data_date(version, label)
st.caption(escape_md(f"{note}. {provenance.sources(label)}."))
show_loaded(version, label)
downloads = st.columns(5, vertical_alignment="bottom")
deps = (dep,) if scale == "departement" else () if scale == "france" else \
    tuple(departements(version)[lambda d: d["region"] == reg]["code"])
day = None
if label:  # as of a month, and the chart, folded away so that the slide still fits the screen
    with st.expander("Couverture dans le temps (situation à une date, courbe)"):
        month = over_time.choose_month(version, label, deps, "presentation", where=st)
        day = over_time.map_day(month)
        over_time.show(version, label, deps, place, month, title=False)

title = f"{place} — {label or 'aucun label'}" + (f" — au {fr.long(day)}" if day else "")
figures: list[tuple[str, str]] = []
sites_title = "Centres de préparation" if sites_word(sites(version)) == "CPJ" else "Sites labellisés"
if label and day:  # as it stood then: sites count from their label date, else their list's, else their import
    then = over_time.counts_at(version, label, deps, day)
    last = ("Département labellisé", "oui" if then["departements_labellises"] else "non") \
        if scale == "departement" else ("Départements labellisés", fmt_int(then["departements_labellises"]))
    figures = [("Communes couvertes", f"{fmt_int(then['communes_couvertes'])} / {fmt_int(then['communes'])}"),
               ("EPCI / EPT labellisés", fmt_int(then["epci_labellises"])), last,
               (sites_title, fmt_int(then.get("sites", 0)))]
elif label:
    if scale == "departement":
        row = coverage_by_departement(version, label).set_index("code").loc[dep]
    elif scale == "region":
        row = coverage_by_region(version, label).set_index("code").loc[reg]
    else:
        row = coverage_france(version, label)
    third = ("EPCI labellisés", fmt_int(row["epci_labellises"])) if "epci_labellises" in row else \
        ("Départements labellisés", fmt_int(row["departements_labellises"]))
    figures = [("Communes couvertes", f"{fmt_int(row['communes_couvertes'])} / {fmt_int(row['communes'])}"),
               ("Population couverte", fmt_pct(row["pct_population_couverte"])), third,
               (sites_title, fmt_int(row["sites"]))]
with head_slot:
    head = st.columns([2.2, 1, 1, 1, 1], vertical_alignment="center")
    head[0].markdown(f"## {escape_md(title)}")
    for col, (name, value) in zip(head[1:], figures, strict=False):
        col.metric(name, value)
    if scale == "departement":
        warn_synthetic(sites(version)[lambda s: s["departement"] == dep])
    elif scale == "region":
        warn_synthetic(sites(version)[lambda s: s["departement"].isin(deps)])


def build_map():
    """The map of the territory shown (its geometry is cached in geo)."""
    if scale == "departement":
        return departement_map.build(dep, label, as_of=day)
    return region_map.build(reg, label, show_sites=scale == "region", as_of=day)


with map_slot:  # st_folium rewrites the map it is given: a fresh one each run
    skip_map("la carte")
    st_folium(build_map(), height=MAP_HEIGHT, use_container_width=True, returned_objects=[],
              key=f"presentation_{scale}_{dep or reg}_{day}")
    after_map("page Listes de ce territoire", "listes?" + urlencode({"deps": join(list(deps)) or "",
                                                                     "label": label or ""}))

if day:  # a file of a past month says so in its name, not only today's date
    where_name += f" au {day.isoformat()}"
# the files are made when their button is clicked, not on every visit
today = dt.date.today()
d1, d2, d3, d4, d5 = downloads
d1.download_button("Carte en HTML autonome",
                   lambda: maps.standalone_html(build_map(), title=title,
                                                note=f"{note}. {provenance.sources(label)}. "
                                                     f"Carte produite le {fr.long(today)}."),
                   file_name("carte", where_name, "html"), "text/html")
d2.download_button("Image PNG pour diapositive",
                   lambda: png.departement_png(dep, label, title, note, figures=figures,
                                               sources=provenance.sources(label), as_of=day)
                   if scale == "departement" else
                   region_png.region_png(reg, label, title, note, figures=figures, sources=provenance.sources(label),
                                         as_of=day),
                   file_name("carte", where_name, "png"), "image/png")
if label:  # the deck and its one-page PDF, for the territory shown (today's coverage, with its chart over time)
    where = deck.scope(scale, dep or reg)
    d3.download_button("Diaporama PowerPoint", lambda: deck.pptx_bytes(label, where),
                       file_name("diaporama", where.nom, "pptx"),
                       "application/vnd.openxmlformats-officedocument.presentationml.presentation")
    d4.download_button("Fiche PDF (une page)", lambda: deck.pdf_bytes(label, where),
                       file_name("fiche", where.nom, "pdf"), "application/pdf")
    d5.download_button("Listes complètes (XLSX)", lambda: deck.xlsx_bytes(label, where),
                       file_name("listes", where.nom, "xlsx"),
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
