"""Centres de préparation aux Jeux: map and table, filtered; CSV export of what is shown."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.data import labels
from geo.io.export import to_csv
from geo.maps.sites_layer import sites_map
from views.caches import departements, regions, sites
from views.chrome import after_map, data_anchor_here, skip_map
from views.common import require_store, warn_synthetic
from views.formatting import file_name, fmt_int, french_numbers
from views.formatting import table as show_table
from views.state import escape_md, join, split, url_widget
from views.status import next_steps, show_loaded
from views.widgets import basemap_widget, departement_code

version = require_store()
all_sites = sites(version)
site_labels = sorted(all_sites["label"].unique())
chosen_label = url_widget(st.sidebar.selectbox, "Liste de sites", key="centres.liste", param="liste", default="",
                          valid=lambda v: v in ["", *site_labels], options=["", *site_labels],
                          format_func=lambda v: v or "Toutes les listes de sites",
                          invalid=lambda raw: f"Liste de sites « {escape_md(raw)} » inconnue : toutes sont montrées.") \
    if len(site_labels) > 1 else ""
if chosen_label:
    all_sites = all_sites[all_sites["label"] == chosen_label]
cpj_only = labels.sites_word(all_sites) == "CPJ"
st.title("Centres de préparation aux Jeux" if cpj_only else (chosen_label or "Sites labellisés"))
show_loaded(version, None)
if all_sites.empty:
    next_steps("Aucun site chargé (centres de préparation, France services…).")
    st.stop()
warn_synthetic(all_sites)

disciplines = labels.site_disciplines(all_sites)
chosen = url_widget(st.sidebar.multiselect, "Disciplines", key="centres.disciplines", param="disciplines",
                    default=[], parse=split, dump=join, valid=lambda v: all(d in disciplines for d in v),
                    invalid=lambda raw: f"Discipline(s) inconnue(s) dans le lien (« {escape_md(raw)} ») : "
                                        "toutes les disciplines sont montrées.",
                    options=disciplines, placeholder="Toutes", filter_mode="contains", select_all=False)
kinds = labels.SITE_KINDS
kind = url_widget(st.sidebar.radio, "Centres", key="centres.type", param="type", default="tous",
                  valid=lambda v: v in kinds, options=kinds)
regs = regions(version)
reg_names = dict(zip(regs["code"], regs["nom"], strict=True))
reg_opts = [""] + list(regs["code"])
region = url_widget(st.sidebar.selectbox, "Région", key="centres.region", param="region", default="",
                    valid=lambda v: v in reg_opts, options=reg_opts, format_func=lambda c: reg_names.get(c, "Toutes"))
deps = departements(version)
if region:
    deps = deps[deps["region"] == region]
dep_names = dict(zip(deps["code"], deps["nom"], strict=True))
dep_opts = [""] + list(deps["code"])
dep = url_widget(st.sidebar.selectbox, "Département", key="centres.dep", param="dep", default="",
                 parse=departement_code, valid=lambda v: v in dep_opts, options=dep_opts,
                 invalid=lambda raw: f"Département « {escape_md(raw)} » inconnu (ou hors de la région choisie) : "
                                     "tous les départements sont montrés.",
                 format_func=lambda c: f"{c} — {dep_names[c]}" if c else "Tous")
basemap = basemap_widget("centres")

shown = labels.filter_sites(all_sites, chosen, kind, region, dep)

counted = labels.counted_sites(shown)
c1, c2, c3 = st.columns(3)
c1.metric("Sites", fmt_int(labels.site_count(shown)), help="Chaque site compté une fois, dans sa commune : le "
          "même nombre que sur les pages France, Région, Département et Présentation.")
aside = [f"{fmt_int(n)} {what}" for n, what in (
    (int(shown["commune"].isna().sum()), "sans commune (ni comptés ni dessinés)"),
    (int((shown["commune"].notna() & shown["doublon"]).sum()), "en double (comptés et dessinés une fois)")) if n]
if aside:
    c1.caption("Lignes à part : " + ", ".join(aside) + ".")
c2.metric("Accueillant le para", fmt_int(counted["paralympique"].sum()))
c3.metric("Sans coordonnées", fmt_int(counted["lat"].isna().sum()))
c3.caption("placés sur leur commune (cercle vide)")


# st_folium rewrites the map it is given: a fresh one each run
outlined = [dep] if dep else list(deps["code"]) if region else None
skip_map("la carte")
st_folium(sites_map(counted, fit=bool(region or dep or chosen), basemap=basemap, departements=outlined), height=560,
          use_container_width=True, returned_objects=[], key="carte_cpj")
after_map("tableau des centres, juste en dessous")
data_anchor_here()
table = pd.DataFrame({
    "Site": shown["nom"], "Commune": shown["commune_nom"], "Code INSEE": shown["commune"],
    "Département": shown["departement"], "Disciplines": shown["disciplines"].map(
        lambda ds: ", ".join(ds) if ds is not None else ""),
    "Olympique": shown["olympique"], "Paralympique": shown["paralympique"], "Adresse": shown["adresse"],
    "Date de labellisation": shown["date_label"].map(lambda d: d.strftime("%d/%m/%Y") if d == d and d else ""),
    "Latitude": shown["lat"], "Longitude": shown["lon"],
    "Position": shown["lat"].map(lambda v: "centre de la commune (sans coordonnées)" if v != v else "coordonnées"),
    "Doublon": [("oui, déjà dans l'import n° " + str(int(other)) if pd.notna(other) else "oui")
                if twice else "" for twice, other in zip(shown["doublon"], shown["deja_import"], strict=True)],
    "Label": shown["label"],
    "Remarque": shown["note"]})
show_table(french_numbers(table, ["Olympique", "Paralympique", "Latitude", "Longitude"]), hide_index=True,
           width="stretch", placeholder="—")
where = f"{dep} {dep_names[dep]}" if dep else reg_names[region] if region else "france"
st.download_button("Exporter ce tableau (CSV)", to_csv(table), file_name("centres-de-preparation", where, "csv"),
                   "text/csv")
