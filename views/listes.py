"""Lists: labelled entities and communes not covered, filtered; CSV (French Excel by default), XLSX and GeoJSON."""

import datetime as dt
import json

import streamlit as st

from geo import fr
from geo.data import attributes, lists, territory
from geo.io.export import to_csv, to_xlsx
from views.attributs import available, choose_column
from views.caches import departements, labelled, not_covered
from views.common import require_store
from views.formatting import file_name, fmt_int, french_numbers
from views.formatting import table as show_table
from views.state import escape_md, join, split, url_widget
from views.status import next_steps, show_loaded
from views.widgets import choose_label, date_box, departement_code

version = require_store()
st.title("Listes")
label = choose_label(version, "listes")
show_loaded(version, label)
if not label:
    st.stop()

deps = departements(version)
names = dict(zip(deps["code"], deps["nom"], strict=True))
dep_codes = list(deps["code"])
if "dep" in st.query_params and "deps" not in st.query_params:  # every page names one département « dep= »
    st.query_params["deps"] = st.query_params.pop("dep")
chosen = url_widget(st.sidebar.multiselect, "Départements", key="listes.deps", param="deps", default=[],
                    parse=lambda raw: [departement_code(c) for c in split(raw)], dump=join,
                    valid=lambda v: all(c in names for c in v),
                    invalid=lambda raw: f"Département(s) inconnu(s) dans le lien (« {escape_md(raw)} ») : "
                                        "tous les départements sont listés.",
                    options=dep_codes, placeholder="Tous", format_func=lambda c: f"{c} — {names[c]}",
                    filter_mode="contains", select_all=False)
epci_options = [""]
epci_names = {}
if len(chosen) == 1:
    epcis = territory.epci_of_departement(chosen[0])
    epci_options += list(epcis["siren"])
    epci_names = dict(zip(epcis["siren"], epcis["nom"], strict=True))
epci = url_widget(st.sidebar.selectbox, "EPCI (un département choisi)", key="listes.epci", param="epci", default="",
                  valid=lambda v: v in epci_options, options=epci_options,
                  format_func=lambda s: epci_names.get(s, "Tous"), disabled=len(chosen) != 1)
level_opts = list(lists.LEVEL_LABELS)
levels = url_widget(st.sidebar.multiselect, "Niveaux", key="listes.niveaux", param="niveaux", default=[],
                    parse=split, dump=join, valid=lambda v: all(x in level_opts for x in v), options=level_opts,
                    format_func=lists.LEVEL_LABELS.get, placeholder="Tous", filter_mode=None, select_all=False)
st.sidebar.markdown("**Date de labellisation** (jj/mm/aaaa ; une seule date : à partir de / jusqu'à)")
date_from = date_box("Du", "listes.du", "du")
date_to = date_box("Au", "listes.au", "au")
if date_from and date_to and date_from > date_to:
    st.warning(f"La période est à l'envers (du {fr.short(date_from)} au {fr.short(date_to)}) : "
               "les dates sont échangées.")
    date_from, date_to = date_to, date_from
minimum = url_widget(st.sidebar.number_input, "Population d'au moins (habitants)", key="listes.pop", param="pop",
                     default=0, parse=int, valid=lambda v: 0 <= v <= 10_000_000, min_value=0, max_value=10_000_000,
                     step=1000,
                     invalid=lambda raw: f"Population minimale illisible dans le lien (« {escape_md(raw)} ») : "
                                         "aucune limite.",
                     help="Par exemple 10 000 : seules les collectivités et communes d'au moins 10 000 habitants "
                          "sont listées (0 : toutes).")
seps = ["point-virgule", "virgule"]
sep_name = url_widget(st.sidebar.radio, "Séparateur CSV", key="listes.sep", param="sep", default="point-virgule",
                      valid=lambda v: v in seps, options=seps,
                      format_func={"point-virgule": "; (Excel français)", "virgule": ", (virgule)"}.get)
sep = ";" if sep_name == "point-virgule" else ","
column = choose_column(version, "listes", "Aucune") if available(version) else None


def show(rows, kind: str, caption: str, stem: str) -> None:
    """The table as colleagues will read it, and its two exports (named after the territory and the day)."""
    table = lists.for_export(rows, kind)
    st.caption(caption.format(n=fmt_int(len(table))))
    if table.empty and kind == "labellises":
        next_steps("Aucune collectivité labellisée ne correspond à ces filtres dans les listes chargées.")
    on_screen = table.drop(columns=list(lists.EXPORT_ONLY), errors="ignore")  # the export's sorting columns
    show_table(french_numbers(on_screen, ["Population"]), hide_index=True, width="stretch", height=460,
               placeholder="—")
    where = " ".join(chosen) if chosen else "france"
    c1, c2, c3 = st.columns(3)
    c1.download_button("Exporter (CSV)", to_csv(table, sep=sep), file_name(stem, where, "csv"), "text/csv",
                       key=f"csv_{kind}")
    c3.download_button("Exporter (XLSX)", lambda: _workbook(table, kind, caption.format(n=fmt_int(len(table)))),
                       file_name(stem, where, "xlsx"),
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"xlsx_{kind}")
    c2.download_button("Exporter (GeoJSON)",  # geometries are read on click, not on every rerun
                       lambda: json.dumps(lists.geojson_export(rows, kind), ensure_ascii=False),
                       file_name(stem, where, "geojson"), "application/geo+json", key=f"geo_{kind}")


def _workbook(table, kind: str, what: str) -> bytes:
    """The list as an office opens it: codes as text, dates as dates, and a « Sources » sheet."""
    files = sorted(set(table["Fichier source"].dropna())) if "Fichier source" in table else []
    about = [("Label", label), ("Liste", what),
             ("Départements", ", ".join(f"{c} {names[c]}" for c in chosen) or "tous"),
             ("Exporté le", fr.short(dt.date.today())),
             ("Géographie", "Code officiel géographique 2025 (INSEE), populations légales"),
             ("Listes importées", " ; ".join(files) or "—")]
    sheet = "Collectivités labellisées" if kind == "labellises" else "Communes non couvertes"
    codes = ("Code officiel", "Code INSEE", "Département", "EPCI (SIREN)")
    return to_xlsx({sheet: table}, about, date_columns=("Date (AAAA-MM-JJ)",), text_columns=codes)


names_tabs = ["Collectivités labellisées", "Communes non couvertes (qui manque ?)"]
if column is not None:
    names_tabs.append(f"Colonne « {column.nom} »")
tab1, tab2, *tab3 = st.tabs(names_tabs)
with tab1:
    show(lists.at_least(labelled(version, label, tuple(chosen), epci or None, tuple(levels), date_from, date_to),
                        minimum), "labellises",
         "{n} ligne(s)", "collectivites-labellisees")
with tab2:
    if not chosen:
        st.info("Choisissez au moins un département pour lister les communes non couvertes.")
    else:
        show(lists.at_least(not_covered(version, label, tuple(chosen), epci or None), minimum), "non_couvertes",
             "{n} commune(s) ni labellisées ni couvertes par leur EPT ou EPCI"
             + (f", d'au moins {fmt_int(minimum)} habitants" if minimum else "")
             + " ; les plus peuplées d'abord", "communes-non-couvertes")
if column is not None:
    with tab3[0]:  # any column of any list, joined to the official codes, filtered by value
        joined = attributes.joined(column)
        if chosen:
            joined = joined[joined["Département"].isin(chosen)]
        st.caption(escape_md(f"Liste « {column.fichier} » (import n° {column.import_id}, label « {column.label} »)"
                             " : chaque ligne reconnue, avec son code officiel et la valeur de la colonne."))
        values = joined[column.nom]
        if attributes.is_numeric(values.dropna()):
            numbers = values.map(attributes.to_number).dropna()
            low, high = float(numbers.min()), float(numbers.max())
            if low < high:
                low, high = st.slider("Valeurs comprises entre", low, high, (low, high), key="listes.valeurs_num")
            shown = attributes.filter_values(joined, column.nom, low=low, high=high)
        else:
            counts = values.fillna("(vide)").value_counts()
            picked = st.multiselect("Valeurs", list(counts.index), default=[], placeholder="Toutes",
                                    format_func=lambda v: f"{v} ({fmt_int(counts[v])})", key="listes.valeurs")
            shown = attributes.filter_values(joined.fillna({column.nom: "(vide)"}), column.nom, picked)
        st.caption(f"{fmt_int(len(shown))} ligne(s)")
        show_table(shown, hide_index=True, width="stretch", height=420, placeholder="—")
        st.download_button("Exporter la table jointe (CSV)", to_csv(shown, sep=sep),
                           file_name("colonne", " ".join(chosen) if chosen else "france", "csv"), "text/csv",
                           key="csv_colonne")
