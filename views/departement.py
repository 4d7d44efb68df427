"""A département: communes by status, EPCI outlines, CPJ sites, key figures, search, its lists."""

import streamlit as st
from streamlit_folium import st_folium

from geo import fr
from geo.data import attributes, labels
from geo.maps import attribute_map, departement_map
from views import over_time
from views.attributs import choose_column, choose_method
from views.caches import (
    communes,
    coverage_by_departement,
    departement_list,
    departement_sites_table,
    departements,
    sites,
)
from views.chrome import after_map, data_anchor_here, skip_map
from views.common import require_store, warn_synthetic
from views.formatting import file_name, fmt_int, fmt_pct, plural, source_link
from views.search import search_commune
from views.shared_map import shared, show_map
from views.state import escape_md, flag, unflag, url_widget
from views.status import departement_status, next_steps, show_provenance
from views.widgets import basemap_widget, choose_departement, choose_label

version = require_store()
label = choose_label(version, "departement")
dep = choose_departement(version, "departement")
deps_table = departements(version)
names = dict(zip(deps_table["code"], deps_table["nom"], strict=True))
st.title(f"{names[dep]} ({dep})")
show_provenance(version, label)

show_epci = url_widget(st.sidebar.toggle, "Contours des EPCI", key="departement.epci", param="epci", default=True,
                       parse=flag, dump=unflag)
show_sites = url_widget(st.sidebar.toggle, "Centres de préparation", key="departement.cpj", param="cpj",
                        default=True, parse=flag, dump=unflag)
basemap = basemap_widget("departement")
column = choose_column(version, "departement", "Couverture du label")
month = over_time.choose_month(version, label, (dep,), "departement") if label else None

towns = communes(version, dep)
if label:
    row = coverage_by_departement(version, label).set_index("code").loc[dep]
    held = departement_status(version, label, dep)
    if held:
        since = labels.since_text(held["date_texte"])
        st.markdown(f":green-badge[:material/verified:] Le département est labellisé « {escape_md(label)} »"
                    f"{' ' + escape_md(since) if since else ''} — source : "
                    f"{source_link(held['source'] or held['fichier'])}")
    has_ept = row["ept_labellises"] > 0 or towns["ept"].notna().any()
    if row["communes_couvertes"] == 0 and row["sites"] == 0 and not row["region_labellisee"]:
        next_steps(("Aucune commune, EPCI ni EPT" if has_ept else "Aucune commune ni EPCI") +
                   f" de ce département dans les listes chargées pour « {escape_md(label)} », ni centre de "
                   "préparation.")
    else:
        c1, c2, c3, c4 = st.columns(4)
        c1.metric("Communes labellisées", fmt_int(row["communes_directes"]))
        c1.caption(f"{fmt_pct(row['pct_communes_directes'])} de {plural(row['communes'], 'commune', 'communes')}")
        if has_ept:
            c2.metric("Couvertes par leur EPT ou EPCI", fmt_int(row["communes_via_ept"] + row["communes_via_epci"]))
            c2.caption(f"{fmt_int(row['communes_via_ept'])} par l'EPT "
                       f"({plural(row['ept_labellises'], 'EPT labellisé', 'EPT labellisés')}), "
                       f"{fmt_int(row['communes_via_epci'])} par l'EPCI")
        else:
            c2.metric("Couvertes par leur EPCI", fmt_int(row["communes_via_epci"]))
            c2.caption(plural(row["epci_labellises"], "EPCI labellisé", "EPCI labellisés"))
        c3.metric("Population couverte", fmt_pct(row["pct_population_couverte"]))
        c3.caption(f"directement {fmt_pct(row['pct_population_directe'])}, "
                   + (f"par l'EPT {fmt_pct(row['pct_population_via_ept'])}, " if has_ept else "")
                   + f"par l'EPCI {fmt_pct(row['pct_population_via_epci'])}")
        c4.metric("Département / région labellisés",
                  f"{'oui' if row['departement_labellise'] else 'non'} / "
                  f"{'oui' if row['region_labellisee'] else 'non'}")
        c4.caption(plural(row["sites"], "centre de préparation", "centres de préparation"))
        over_time.today_note(month)

if show_sites:
    warn_synthetic(sites(version)[lambda s: s["departement"] == dep])
map_area = st.container()  # the map first, the search box under it
found = search_commune(towns, label, dep)
center = zoom = None
if found is not None:
    center, zoom = [found["point_lat"], found["point_lon"]], 12
with map_area:
    if column is not None:  # the map coloured by a column of a list, instead of the label's coverage
        numeric = attributes.is_numeric(attributes.rows(column)["valeur"].dropna())
        method = choose_method("departement") if numeric else "quantiles"
        st.caption(f"Carte coloriée par la colonne « {escape_md(column.nom)} » de la liste "
                   f"« {escape_md(column.fichier)} » (import n° {column.import_id}).")
        skip_map("la carte")
        st_folium(attribute_map.build(dep, column, method), height=620, use_container_width=True, returned_objects=[],
                  key=f"carte_colonne_{dep}_{column.import_id}_{method}")
    else:  # st_folium rewrites the map it is given: a fresh one each run (its GeoJSON is cached in geo)
        day = over_time.map_day(month) if month else None
        if day:
            st.caption(f"Carte de la couverture au {fr.long(day)}, selon les dates de labellisation des listes.")
        skip_map("la carte")
        show_map(shared(departement_map.build, dep, label, show_epci=show_epci, show_sites=show_sites, basemap=basemap,
                        as_of=day,
                        found=None if found is None else (found["code"], found["nom"],
                                                          found["point_lat"], found["point_lon"])),
                 height=620, use_container_width=True, returned_objects=[], center=center, zoom=zoom,
                  key=f"carte_{dep}_{day}")
    if label:
        after_map("plus bas : listes du département, collectivités labellisées, communes non couvertes, centres")
    else:
        after_map("page Listes", "listes")

if label:
    over_time.show(version, label, (dep,), names[dep], month)

if label:
    data_anchor_here()
    st.subheader("Listes du département")
    tab1, tab2, tab3 = st.tabs(["Collectivités labellisées", "Communes non couvertes", "Centres de préparation"])
    here_name = f"{dep} {names[dep]}"
    with tab1:  # the table drawn once per store version and replayed (views/caches.py), its CSV with it
        st.download_button("Télécharger (CSV)", departement_list(version, label, dep, "labellises"),
                           file_name("labellises", here_name, "csv"), "text/csv", key="dl_lab")
    with tab2:
        st.download_button("Télécharger (CSV)", departement_list(version, label, dep, "non_couvertes"),
                           file_name("non-couvertes", here_name, "csv"), "text/csv", key="dl_nc")
    with tab3:  # drawn once per store version and replayed, as the two lists
        departement_sites_table(version, dep)
