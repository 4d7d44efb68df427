"""A région: all its communes by status, département and EPCI outlines, CPJ, key figures, a table per
département (a click on the map opens the département), search."""

import streamlit as st

from geo import fr
from geo.maps import region_map
from views import over_time
from views.caches import coverage_by_departement, departements, regions, sites
from views.chrome import after_map, data_anchor_here, skip_map
from views.common import page_visit, require_store, warn_synthetic
from views.formatting import fmt_int, fmt_pct, french_numbers, plural
from views.ranking import OPEN, ranking
from views.region_choice import choose_region, coverage_by_region, region_communes
from views.search import search_commune
from views.shared_map import shared, show_map
from views.state import flag, unflag, url_widget
from views.status import show_provenance
from views.widgets import basemap_widget, choose_label

version = require_store()
label = choose_label(version, "region")
reg = choose_region(version, "region")
reg_name = dict(zip(regions(version)["code"], regions(version)["nom"], strict=True))[reg]
st.title(f"{reg_name} — région")
show_provenance(version, label)

show_epci = url_widget(st.sidebar.toggle, "Contours des EPCI", key="region.epci", param="epci", default=True,
                       parse=flag, dump=unflag)
show_sites = url_widget(st.sidebar.toggle, "Centres de préparation", key="region.cpj", param="cpj",
                        default=True, parse=flag, dump=unflag)
basemap = basemap_widget("region")
reg_deps = tuple(sorted(departements(version)[lambda d: d["region"] == reg]["code"]))
month = over_time.choose_month(version, label, reg_deps, "region") if label else None

deps = coverage_by_departement(version, label)[lambda d: d["region"] == reg] if label else None
if label:
    row = coverage_by_region(version, label).set_index("code").loc[reg]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Communes couvertes", fmt_int(row["communes_couvertes"]))
    c1.caption(f"{fmt_pct(row['pct_communes_couvertes'])} de {plural(row['communes'], 'commune', 'communes')}")
    c2.metric("Labellisées elles-mêmes", fmt_int(row["communes_directes"]))
    c2.caption(f"{fmt_int(row['communes_via_ept'] + row['communes_via_epci'])} par leur EPT ou EPCI")
    c3.metric("Population couverte", fmt_pct(row["pct_population_couverte"]))
    c3.caption(f"directement {fmt_pct(row['pct_population_directe'])}, par l'EPT ou l'EPCI "
               f"{fmt_pct(row['pct_population_via_ept'] + row['pct_population_via_epci'])}")
    c4.metric("Départements labellisés", f"{fmt_int(row['departements_labellises'])} / {len(deps)}")
    c4.caption(f"région labellisée : {'oui' if row['region_labellisee'] else 'non'} · "
               + plural(row["sites"], "centre de préparation", "centres de préparation"))
    over_time.today_note(month)

here_sites = sites(version)
if show_sites:
    warn_synthetic(here_sites[here_sites["departement"].isin(reg_deps)])
towns = region_communes(version, reg)
map_area = st.container()  # the map first, the search box under it
found = search_commune(towns, label, tuple(sorted(towns["departement"].unique())), where="cette région",
                       key=f"region.recherche.{reg}")
center = zoom = None
if found is not None:
    center, zoom = [found["point_lat"], found["point_lon"]], 12
day = over_time.map_day(month) if month else None
with map_area:
    when = f"Carte de la couverture au {fr.long(day)}, selon les dates de labellisation des listes. " if day else ""
    st.caption(when + "Cliquez sur une commune pour ouvrir la page de son département.")
    visit = page_visit()
    # st_folium rewrites the map it is given: a fresh one each run (its geometry is cached in geo)
    skip_map("la carte")
    clicked = show_map(
        shared(region_map.build, reg, label, show_epci=show_epci, show_sites=show_sites, basemap=basemap,
               found=None if found is None else (found["code"], found["nom"], found["point_lat"],
                                                 found["point_lon"]), as_of=day),
        height=640, use_container_width=True, returned_objects=["last_active_drawing"], center=center, zoom=zoom,
        key=f"carte_region_{reg}_{day}_{visit}")
    after_map("plus bas : tableau des départements de la région" if label else "page Listes",
              "#tdj-donnees-carte" if label else "listes")
dep = ((clicked or {}).get("last_active_drawing") or {}).get("properties", {}).get("departement")
if dep and st.session_state.get("region_clic") != (visit, dep):
    st.session_state["region_clic"] = (visit, dep)
    st.switch_page("views/departement.py", query_params={"dep": dep, **({"label": label} if label else {})})

if label:
    over_time.show(version, label, reg_deps, reg_name, month)

if label:
    data_anchor_here()
    st.subheader("Départements de la région")

    def ranked() -> tuple:
        table = deps.copy()
        table["page"] = OPEN
        return french_numbers(table[["page", "code", "nom", "communes", "pct_communes_couvertes",
                                     "pct_population_couverte", "communes_directes", "communes_via_ept",
                                     "communes_via_epci", "departement_labellise", "sites"]],
                              percent=("pct_communes_couvertes", "pct_population_couverte")), table["code"]

    ranking(
        ranked, ("region", version, label, reg), label, f"classement_{visit}",
        hide_index=True, width="stretch",
        column_config={
            "page": st.column_config.TextColumn("Ouvrir", width=65, help="Un clic ouvre la page du département"),
            "code": st.column_config.TextColumn("Code", width=50),
            "nom": st.column_config.TextColumn("Département", width=150),
            "communes": st.column_config.NumberColumn("Communes", width=80),
            "pct_communes_couvertes": st.column_config.NumberColumn("% communes", width=95),
            "pct_population_couverte": st.column_config.NumberColumn("% population", width=100),
            "communes_directes": st.column_config.NumberColumn("Labellisées", width=90),
            "communes_via_ept": st.column_config.NumberColumn("Par l'EPT", width=75),
            "communes_via_epci": st.column_config.NumberColumn("Par l'EPCI", width=85),
            "departement_labellise": st.column_config.TextColumn("Dép. labellisé", width=95),
            "sites": st.column_config.NumberColumn("CPJ", width=45),
        })
