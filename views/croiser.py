"""Labels crossed over a territory, sites outside a label, distance to the nearest site, communes not covered
ranked: each with its map or table and its exports (CSV, XLSX, GeoPackage). The work is in geo/analysis."""

import streamlit as st
from streamlit_folium import st_folium

from geo.analysis import distances, outputs
from geo.analysis.scope import Scope, describe
from geo.maps import crossing_map
from views.caches import label_genres, label_names, regions, territorial_labels
from views.chrome import after_map, data_anchor_here, skip_map
from views.common import require_store
from views.formatting import fmt_int, fmt_pct, french_numbers
from views.formatting import table as show_table
from views.state import escape_md, url_widget
from views.status import next_steps
from views.widgets import CHOSEN_LABEL, choose_departement

VIEWS = {"croisement": "Croiser deux labels", "hors-label": "Sites hors d'un label",
         "distances": "Distance au site le plus proche", "non-couvertes": "Communes non couvertes"}
KINDS = {"departement": "un département", "region": "une région", "france": "la France"}


@st.cache_resource(show_spinner="Calcul en cours…", max_entries=16)  # read-only results, never changed
def _output(version: str, view: str, where: tuple[str, str], a: str, b: str | None, radius: int | None,
            filters: tuple) -> outputs.Output:
    scope = Scope(*where)
    if view == "croisement":
        return outputs.crossing_output(a, b, scope)
    if view == "hors-label":
        return outputs.rule_output(a, b, scope)
    if view == "distances":
        return outputs.distance_output(a, scope, radius)
    return outputs.gaps_output(a, scope, *filters)


@st.cache_data(show_spinner=False, max_entries=8)
def _file(version: str, view: str, where: tuple[str, str], a: str, b: str | None, radius: int | None,
          filters: tuple, fmt: str) -> bytes:
    return outputs.to_bytes(_output(version, view, where, a, b, radius, filters), fmt)


def downloads(version: str, args: tuple, out: outputs.Output) -> None:
    """CSV (the main table), XLSX (every table and its sources), GeoPackage (with geometries, for QGIS)."""
    cols = st.columns(3)
    kinds = [("csv", "Exporter (CSV)", "text/csv"),
             ("xlsx", "Exporter (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             ("gpkg", "Exporter pour un SIG (GeoPackage)", "application/geopackage+sqlite3")]
    for col, (fmt, text, mime) in zip(cols, kinds, strict=True):
        col.download_button(text, data=lambda f=fmt: _file(version, *args, f), file_name=f"{out.name}.{fmt}",
                            mime=mime, key=f"croiser.{fmt}", on_click="ignore")


version = require_store()
st.title("Croiser les labels")
names = label_names(version)
if not names:
    next_steps("Aucune liste importée : il n'y a rien à croiser.")
    st.stop()
genres = label_genres(version)
territorials = territorial_labels(version)
site_labels = [n for n in names if genres.get(n) == "sites"]

view = url_widget(st.radio, "Analyse", key="croiser.vue", param="vue", default="croisement",
                  valid=lambda v: v in VIEWS, options=list(VIEWS), format_func=VIEWS.get, horizontal=True)
kind = url_widget(st.sidebar.radio, "Territoire", key="croiser.territoire", param="territoire",
                  default="departement", valid=lambda v: v in KINDS, options=list(KINDS), format_func=KINDS.get)
if kind == "departement":
    scope = Scope("departement", choose_departement(version, "croiser"))
elif kind == "region":
    regs = regions(version)
    reg_names = dict(zip(regs["code"], regs["nom"], strict=True))
    scope = Scope("region", url_widget(st.sidebar.selectbox, "Région", key="croiser.reg", param="reg", default="32",
                                       valid=lambda v: v in reg_names, options=list(reg_names),
                                       format_func=reg_names.get))
else:
    scope = Scope("france")
place = describe(scope)


def pick(label: str, options: list[str], param: str, default: str | None) -> str:
    """A label chosen among options, kept in the URL."""
    first = default if default in options else options[0]
    return url_widget(st.sidebar.selectbox, label, key=f"croiser.{param}", param=param, default=first,
                      valid=lambda v: v in options, options=options,
                      invalid=lambda raw: f"Label « {escape_md(raw)} » inconnu : {escape_md(first)} est choisi.")


default_label = st.session_state.get(CHOSEN_LABEL) if st.session_state.get(CHOSEN_LABEL) in territorials else \
    (territorials[0] if territorials else None)
radius, filters, b = None, (), None
if view == "croisement":
    if len(names) < 2:
        next_steps("Un seul label est chargé : importez-en un second pour les croiser.")
        st.stop()
    a = pick("Label A", names, "label", default_label)
    b = pick("Label B", [n for n in names if n != a], "b", None)
elif view in ("hors-label", "distances") and not site_labels:
    next_steps("Aucune liste de sites (CPJ…) n'est chargée : importez-la (page Importer, ou mise à jour depuis les "
               "listes officielles) pour voir les sites hors label et les distances.")
    st.stop()
elif view == "hors-label":
    if not territorials:
        next_steps("Aucun label de territoires n'est chargé.")
        st.stop()
    a = pick("Liste de sites", site_labels, "sites", None)
    b = pick("Label de territoires", territorials, "label", default_label)
elif view == "distances":
    a = pick("Liste de sites", site_labels, "sites", None)
    radii = distances.radii()
    radius = url_widget(st.sidebar.selectbox, "Rayon mis en avant (km)", key="croiser.rayon", param="rayon",
                        default=20 if 20 in radii else radii[0], parse=int, valid=lambda v: v in radii,
                        options=radii)
else:
    if not territorials:
        next_steps("Aucun label de territoires n'est chargé.")
        st.stop()
    a = pick("Label", territorials, "label", default_label)
    pop = url_widget(st.sidebar.number_input, "Population d'au moins (habitants)", key="croiser.pop", param="pop",
                     default=0, parse=int, valid=lambda v: 0 <= v <= 10_000_000, min_value=0, max_value=10_000_000,
                     step=1000)
    dmin = url_widget(st.sidebar.number_input, "À au moins (km de la commune couverte la plus proche)",
                      key="croiser.dmin", param="dmin", default=0, parse=int, valid=lambda v: 0 <= v <= 2000,
                      min_value=0, max_value=2000, step=5)
    filters = (pop or None, float(dmin) if dmin else None, None)

for chosen in (a, b):  # the label of territories chosen here follows the officer to the other pages
    if chosen in territorials:
        st.session_state[CHOSEN_LABEL] = chosen
        break
args = (view, (scope.kind, scope.code), a, b, radius, filters)
out = _output(version, *args)

if view == "croisement":
    st.markdown(f"**{escape_md(a)}** × **{escape_md(b)}** — {escape_md(place)} : chaque commune selon qu'elle est "
                "couverte par chaque label (directement, par son EPT ou par son EPCI) ou, pour une liste de sites, "
                "qu'elle en a au moins un.")
    totals = out.tables["Combinaisons"]
    cols = st.columns(4)
    for col, row in zip(cols, totals.itertuples(), strict=True):
        col.metric(escape_md(row.Combinaison), fmt_int(row.Communes), help=f"{fmt_int(row.Population)} habitants")
    skip_map("la carte des combinaisons")
    st_folium(crossing_map.combinations_map(out.data, a, b, scope, place), height=600, use_container_width=True,
              returned_objects=[], key=f"croiser_carte_{scope.slug()}")
    after_map("tableau des combinaisons")
    data_anchor_here()
    show_table(french_numbers(totals, ["Communes", "Population"], percent=("Part de la population (%)",)))
    communes = out.tables["Communes"]
    shown = st.multiselect("Combinaisons listées", list(totals["Combinaison"]),
                           default=list(totals["Combinaison"])[:3], key="croiser.combinaisons",
                           placeholder="Toutes")
    rows = communes[communes["Combinaison"].isin(shown)] if shown else communes
    st.caption(f"{fmt_int(len(rows))} commune(s) listée(s).")
    show_table(french_numbers(rows, ["Population"]), height=420)
elif view == "hors-label":
    st.markdown(f"Les sites de **{escape_md(a)}** dont la commune n'est pas couverte par **{escape_md(b)}** "
                f"— {escape_md(place)} (la règle du label : la collectivité d'un CPJ est labellisée Terre de Jeux).")
    for line in out.summary:
        st.markdown(escape_md(line))
    show_table(out.tables["Sites hors label"], empty="Aucun site hors du label dans ce territoire.", height=420)
elif view == "distances":
    st.info("Distance **à vol d'oiseau** (en ligne droite) du point central de chaque commune au site le plus "
            "proche — **pas un temps de trajet** ; en Lambert-93 en métropole, dans la projection locale de "
            "chaque DROM. Un site sans coordonnées compte au point de sa commune.")
    within = out.tables["Population par rayon"]
    cols = st.columns(len(within))
    for col, row in zip(cols, within.itertuples(), strict=True):
        col.metric(f"Population à moins de {row[1]} km", fmt_int(row.Population),
                   help=f"{fmt_pct(row[4])} de la population ; {fmt_int(row.Communes)} commune(s)")
    skip_map("la carte des distances")
    st_folium(crossing_map.distance_map(out.data, a, scope, place), height=600, use_container_width=True,
              returned_objects=[], key=f"distances_carte_{scope.slug()}")
    after_map("population par rayon et communes les plus éloignées")
    data_anchor_here()
    show_table(french_numbers(within, ["Rayon (km)", "Communes", "Population"],
                              percent=("Part de la population (%)",)))
    st.subheader("Les communes les plus éloignées")
    show_table(french_numbers(out.tables["Les plus éloignées"], ["Population"]), height=420)
else:
    st.markdown(f"Les communes de {escape_md(place)} que **{escape_md(a)}** ne couvre pas, les plus peuplées "
                "d'abord, avec la commune couverte la plus proche (distance **à vol d'oiseau**).")
    for line in out.summary:
        st.markdown(escape_md(line))
    show_table(french_numbers(out.tables["Non couvertes"], ["Rang", "Population"]), height=460)
downloads(version, args, out)
