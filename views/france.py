"""France: départements coloured by a coverage measure, key figures, ranking; a click opens a département."""

import streamlit as st
from streamlit_folium import st_folium

from geo import france_map
from views.common import (
    BASEMAPS,
    MEASURE_DEFAULT,
    choose_label,
    coverage_by_departement,
    coverage_france,
    data_date,
    fmt_int,
    fmt_pct,
    param,
    require_store,
    set_params,
)
from views.status import show_loaded

version = require_store()
st.title("Couverture des territoires labellisés — France")
label = choose_label(version)
st.caption(data_date(version))
show_loaded(version, label)

measures = list(france_map.MEASURES)
measure = param("mesure", MEASURE_DEFAULT)
measure = measure if measure in measures else MEASURE_DEFAULT
measure = st.sidebar.radio("Mesure de la carte", measures, index=measures.index(measure),
                           format_func=france_map.MEASURES.get)
basemap = st.sidebar.selectbox("Fond de carte", BASEMAPS, index=BASEMAPS.index(param("fond", "aucun"))
                               if param("fond", "aucun") in BASEMAPS else 0)
set_params(mesure=measure, fond=None if basemap == "aucun" else basemap)

if label:
    total = coverage_france(version, label)
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric("Communes couvertes", fmt_int(total["communes_couvertes"]),
              help="Labellisées directement ou membres d'un EPCI labellisé")
    c1.caption(f"{fmt_pct(total['pct_communes_couvertes'])} des {fmt_int(total['communes'])} communes")
    c2.metric("Population couverte", fmt_pct(total["pct_population_couverte"]))
    c2.caption(f"directement {fmt_pct(total['pct_population_directe'])}, par l'EPCI "
               f"{fmt_pct(total['pct_population_via_epci'])}")
    c3.metric("EPCI / EPT labellisés", f"{fmt_int(total['epci_labellises'])} / {fmt_int(total['ept_labellises'])}",
              help="EPCI à fiscalité propre / établissements publics territoriaux du Grand Paris")
    c4.metric("Départements labellisés", fmt_int(total["departements_labellises"]))
    c4.caption(f"et {fmt_int(total['regions_labellisees'])} région(s) labellisée(s)")
    c5.metric("CPJ", fmt_int(total["sites"]), help="Centres de préparation aux Jeux, tous labels")
    c5.caption("centres de préparation, tous labels")


st.caption("Cliquez sur un département pour ouvrir sa page.")
# st_folium rewrites the map it is given: a fresh one each run (its GeoJSON is cached in geo)
clicked = st_folium(france_map.build(label, measure, basemap), height=640, use_container_width=True,
                    returned_objects=["last_active_drawing"], key=f"carte_france_{measure}")
code = ((clicked or {}).get("last_active_drawing") or {}).get("properties", {}).get("code")
if code and st.session_state.get("france_clic") != code:
    st.session_state["france_clic"] = code
    st.switch_page("views/departement.py", query_params={"dep": code, **({"label": label} if label else {})})

if label:
    st.subheader("Classement des départements")
    table = coverage_by_departement(version, label).copy()
    table["page"] = "/departement?dep=" + table["code"] + "&label=" + label.replace(" ", "+")
    table = table.sort_values(measure if measure != "departement_labellise" else "pct_communes_couvertes",
                              ascending=False)
    st.dataframe(
        table[["page", "code", "nom", "region_nom", "pct_communes_couvertes", "pct_population_couverte",
               "communes_directes", "communes_via_epci", "departement_labellise", "sites"]],
        hide_index=True, width="stretch", height=420,
        column_config={
            "page": st.column_config.LinkColumn("Ouvrir", display_text="Ouvrir ›", width="small"),
            "code": "Code", "nom": "Département", "region_nom": "Région",
            "pct_communes_couvertes": st.column_config.ProgressColumn("% communes couvertes", format="%.1f %%",
                                                                      min_value=0, max_value=100),
            "pct_population_couverte": st.column_config.NumberColumn("% population couverte", format="%.1f %%"),
            "communes_directes": "Communes labellisées", "communes_via_epci": "Couvertes par l'EPCI seul",
            "departement_labellise": st.column_config.CheckboxColumn("Département labellisé"),
            "sites": "CPJ",
        })
