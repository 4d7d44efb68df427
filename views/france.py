"""France: départements coloured by a coverage measure, key figures, ranking; a click opens a département."""


import streamlit as st

from geo import fr
from geo.data import labels, timeline
from geo.data.labels import sites_word
from geo.maps import france_map, region_map
from views import over_time
from views.caches import coverage_by_departement, coverage_france, sites
from views.chrome import after_map, data_anchor_here, skip_map
from views.common import page_visit, require_store
from views.formatting import fmt_int, fmt_pct, french_numbers, plural
from views.ranking import OPEN, ranking
from views.shared_map import shared, show_map
from views.state import url_widget
from views.status import national_hint, show_provenance
from views.widgets import MEASURE_DEFAULT, basemap_widget, choose_label

RANKED_BY = {"pct_communes_couvertes": "la part des communes couvertes (directement ou par leur EPCI)",
             "pct_population_couverte": "la part de la population couverte",
             "sites": "le nombre de centres de préparation"}

version = require_store()
st.title("Couverture des territoires labellisés — France")
label = choose_label(version, "france")
show_provenance(version, label)

SCALES = {"departements": "Départements (selon une mesure)", "communes": "Communes (selon leur statut)"}
scale = url_widget(st.sidebar.radio, "Carte par", key="france.echelle", param="echelle", default="departements",
                   valid=lambda v: v in SCALES, options=list(SCALES), format_func=SCALES.get)
measures = list(france_map.MEASURES)
measure = MEASURE_DEFAULT
if scale == "departements":
    measure = url_widget(st.sidebar.radio, "Mesure de la carte", key="france.mesure", param="mesure",
                         default=MEASURE_DEFAULT, valid=lambda v: v in measures, options=measures,
                         format_func=france_map.MEASURES.get)
basemap = basemap_widget("france")
month = over_time.choose_month(version, label, (), "france") if label else None

if label:
    total = coverage_france(version, label)
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric("Communes couvertes", fmt_int(total["communes_couvertes"]),
              help="Labellisées directement ou membres d'un EPCI labellisé")
    c1.caption(f"{fmt_pct(total['pct_communes_couvertes'])} de {plural(total['communes'], 'commune', 'communes')}")
    c2.metric("Population couverte", fmt_pct(total["pct_population_couverte"]))
    c2.caption(f"directement {fmt_pct(total['pct_population_directe'])}, par l'EPCI "
               f"{fmt_pct(total['pct_population_via_epci'])}")
    c3.metric("EPCI / EPT labellisés", f"{fmt_int(total['epci_labellises'])} / {fmt_int(total['ept_labellises'])}",
              help="EPCI à fiscalité propre / établissements publics territoriaux du Grand Paris")
    c4.metric("Départements labellisés", fmt_int(total["departements_labellises"]))
    c4.caption(f"et {fmt_int(total['regions_labellisees'])} région(s) labellisée(s)")
    all_sites = sites(version)
    word = sites_word(all_sites)
    site_day = over_time.map_day(month) if month else None
    c5.metric(word[:1].upper() + word[1:], fmt_int(labels.site_count(all_sites, site_day)),
              help="Chaque site compté une fois, dans sa commune, tous labels de sites")
    c5.caption(f"fin {timeline.month_label(month)}" if site_day else "tous labels de sites")
    over_time.today_note(month)
    national_hint(version, label)


# a new map component on each visit of the page: after Back, the same département can be clicked again
visit = page_visit()
day = over_time.map_day(month) if month else None
when = ""
if day:
    when = f"Carte de la couverture au {fr.long(day)}, selon les dates de labellisation des listes. "
st.caption(when + ("Cliquez sur un département pour ouvrir sa page." if scale == "departements" else
                   "Cliquez sur une commune pour ouvrir la page de son département ; les boutons en haut à droite de "
                   "la carte montrent l'outre-mer."))
# st_folium rewrites the map it is given: a fresh one each run (its GeoJSON is cached in geo)
shown = shared(france_map.build, label, measure, basemap, as_of=day) if scale == "departements" else \
    shared(region_map.build, None, label, show_sites=False, basemap=basemap, as_of=day)
skip_map("la carte")
clicked = show_map(shown, height=640, use_container_width=True, returned_objects=["last_active_drawing"],
                   key=f"carte_france_{scale}_{measure}_{day}_{visit}")
after_map("plus bas : classement des départements" if label else "page Listes", "#tdj-donnees-carte"
          if label else "listes")
props = ((clicked or {}).get("last_active_drawing") or {}).get("properties", {})
code = props.get("departement") or props.get("code")
if code and st.session_state.get("france_clic") != (visit, code):
    st.session_state["france_clic"] = (visit, code)
    st.switch_page("views/departement.py", query_params={"dep": code, **({"label": label} if label else {})})

if label:
    over_time.show(version, label, (), "France", month)

if label:
    data_anchor_here()
    st.subheader("Classement des départements")
    key = measure if measure != "departement_labellise" else "pct_communes_couvertes"
    st.caption(f"Classés selon {RANKED_BY[key]}, du plus haut au plus bas (à égalité, par code).")

    def ranked() -> tuple:
        table = coverage_by_departement(version, label).copy()
        table["page"] = OPEN
        table = table.sort_values([key, "code"], ascending=[False, True])
        return french_numbers(table[["page", "code", "nom", "region_nom", "pct_communes_couvertes",
                                     "pct_population_couverte", "communes_directes", "communes_via_epci",
                                     "departement_labellise", "sites"]],
                              percent=("pct_communes_couvertes", "pct_population_couverte")), table["code"]

    ranking(
        ranked, ("france", version, label, key), label, f"classement_{visit}",
        hide_index=True, width="stretch", height=420,
        column_config={
            "page": st.column_config.TextColumn("Ouvrir", width=65, help="Un clic ouvre la page du département"),
            "code": st.column_config.TextColumn("Code", width=50),
            "nom": st.column_config.TextColumn("Département", width=140),
            "region_nom": st.column_config.TextColumn("Région", width=150),
            "pct_communes_couvertes": st.column_config.NumberColumn(
                "% communes", width=95, help="Part des communes couvertes (directement ou par leur EPCI)"),
            "pct_population_couverte": st.column_config.NumberColumn(
                "% population", width=100, help="Part de la population couverte"),
            "communes_directes": st.column_config.NumberColumn(
                "Labellisées", width=90, help="Communes labellisées elles-mêmes"),
            "communes_via_epci": st.column_config.NumberColumn(
                "Par l'EPCI seul", width=110, help="Communes couvertes par leur EPCI seulement"),
            "departement_labellise": st.column_config.TextColumn("Dép. labellisé", width=95),
            "sites": st.column_config.NumberColumn("CPJ", width=45, help="Centres de préparation aux Jeux"),
        })
