"""A département: communes by status, EPCI outlines, CPJ sites, key figures, search, its lists."""

import streamlit as st
from streamlit_folium import st_folium

from geo import departement_map, lists
from geo.export import to_csv
from views.common import (
    BASEMAPS,
    choose_departement,
    choose_label,
    communes,
    coverage_by_departement,
    data_date,
    departements,
    fmt_int,
    fmt_pct,
    labelled,
    not_covered,
    param,
    require_store,
    set_params,
    sites,
    warn_synthetic,
)
from views.status import departement_status, next_steps, plain, show_loaded

version = require_store()
label = choose_label(version)
dep = choose_departement(version)
names = dict(zip(departements(version)["code"], departements(version)["nom"], strict=True))
st.title(f"{names[dep]} ({dep})")
st.caption(data_date(version))
show_loaded(version, label)

show_epci = st.sidebar.toggle("Contours des EPCI", value=param("epci", "1") == "1")
show_sites = st.sidebar.toggle("Centres de préparation", value=param("cpj", "1") == "1")
basemap = st.sidebar.selectbox("Fond de carte", BASEMAPS, index=BASEMAPS.index(param("fond", "aucun"))
                               if param("fond", "aucun") in BASEMAPS else 0)
set_params(epci="1" if show_epci else "0", cpj="1" if show_sites else "0",
           fond=None if basemap == "aucun" else basemap)

if label:
    row = coverage_by_departement(version, label).set_index("code").loc[dep]
    held = departement_status(version, label, dep)
    if held:
        since = f" depuis {'le ' if held['date_texte'][:1].isdigit() else ''}{held['date_texte']}" \
            if held["date_texte"] else ""
        st.success(plain(f"Le département est labellisé « {label} »{since} (source : "
                         f"{held['source'] or held['fichier']})."))
    has_ept = row["ept_labellises"] > 0 or communes(version, dep)["ept"].notna().any()
    if row["communes_couvertes"] == 0 and row["sites"] == 0 and not row["region_labellisee"]:
        next_steps(("Aucune commune, EPCI ni EPT" if has_ept else "Aucune commune ni EPCI") +
                   f" de ce département dans les listes chargées pour « {plain(label)} », ni centre de "
                   "préparation.")
    else:
        c1, c2, c3, c4 = st.columns(4)
        c1.metric("Communes labellisées", fmt_int(row["communes_directes"]))
        c1.caption(f"{fmt_pct(row['pct_communes_directes'])} des {fmt_int(row['communes'])} communes")
        if has_ept:
            c2.metric("Couvertes par leur EPT ou EPCI", fmt_int(row["communes_via_ept"] + row["communes_via_epci"]))
            c2.caption(f"{fmt_int(row['communes_via_ept'])} par l'EPT ({fmt_int(row['ept_labellises'])} EPT "
                       f"labellisé(s)), {fmt_int(row['communes_via_epci'])} par l'EPCI")
        else:
            c2.metric("Couvertes par leur EPCI", fmt_int(row["communes_via_epci"]))
            c2.caption(f"{fmt_int(row['epci_labellises'])} EPCI labellisé(s)")
        c3.metric("Population couverte", fmt_pct(row["pct_population_couverte"]))
        c3.caption(f"directement {fmt_pct(row['pct_population_directe'])}, "
                   + (f"par l'EPT {fmt_pct(row['pct_population_via_ept'])}, " if has_ept else "")
                   + f"par l'EPCI {fmt_pct(row['pct_population_via_epci'])}")
        c4.metric("Département / région labellisés",
                  f"{'oui' if row['departement_labellise'] else 'non'} / "
                  f"{'oui' if row['region_labellisee'] else 'non'}")
        c4.caption(f"{fmt_int(row['sites'])} centre(s) de préparation")

if show_sites:
    warn_synthetic(sites(version)[lambda s: s["departement"] == dep])
towns = communes(version, dep)
town_names = dict(zip(towns["code"], towns["nom"], strict=True))
search = st.selectbox("Rechercher une commune", towns.sort_values("nom")["code"].tolist(), index=None,
                      placeholder="Tapez le nom d'une commune…", key=f"recherche_{dep}",
                      format_func=lambda c: f"{town_names[c]} ({c})")


center = zoom = None
if search:
    town = towns.set_index("code").loc[search]
    center, zoom = [town["point_lat"], town["point_lon"]], 13
    ept_part = f", EPT {town['ept_nom']}" if town["ept_nom"] == town["ept_nom"] and town["ept_nom"] else ""
    st.caption(plain(f"{town['nom']} : {fmt_int(town['population'] or 0)} habitants, "
                     f"EPCI {town['epci_nom'] or '—'}{ept_part}"))
# st_folium rewrites the map it is given: a fresh one each run (its GeoJSON is cached in geo)
st_folium(departement_map.build(dep, label, show_epci=show_epci, show_sites=show_sites, basemap=basemap),
          height=620, use_container_width=True, returned_objects=[], center=center, zoom=zoom, key=f"carte_{dep}")

if label:
    st.subheader("Listes du département")
    tab1, tab2, tab3 = st.tabs(["Collectivités labellisées", "Communes non couvertes", "Centres de préparation"])
    with tab1:
        done = labelled(version, label, (dep,), None, (), None, None)
        st.dataframe(lists.for_export(done, "labellises"), hide_index=True, width="stretch")
        st.download_button("Télécharger (CSV)", to_csv(lists.for_export(done, "labellises")),
                           f"labellises-{dep}.csv", "text/csv", key="dl_lab")
    with tab2:
        missing = not_covered(version, label, (dep,), None)
        st.dataframe(lists.for_export(missing, "non_couvertes"), hide_index=True, width="stretch")
        st.download_button("Télécharger (CSV)", to_csv(lists.for_export(missing, "non_couvertes")),
                           f"non-couvertes-{dep}.csv", "text/csv", key="dl_nc")
    with tab3:
        here = sites(version)
        here = here[here["departement"] == dep]
        here = here.assign(position=here["lat"].map(lambda v: "centre de la commune (sans coordonnées)" if v != v
                                                    else "coordonnées"))
        st.dataframe(here[["nom", "commune_nom", "disciplines", "olympique", "paralympique", "position", "label"]],
                     hide_index=True, width="stretch",
                     column_config={"nom": "Site", "commune_nom": "Commune", "disciplines": "Disciplines",
                                    "olympique": "Olympique", "paralympique": "Paralympique",
                                    "position": "Position sur la carte", "label": "Label"})
