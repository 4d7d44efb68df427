"""Importer: upload a list, check its columns and resolution, fix rows one by one, commit; manage imports."""

import json

import pandas as pd
import streamlit as st

from geo import labels
from geo.columns import ROLE_LABELS, Columns
from geo.errors import GeoError
from geo.readers import read_bytes
from views import official_update
from views.common import departements, label_names, require_store
from views.review import review_messages, review_table

version = require_store()
st.title("Importer une liste")
st.caption("Terre de Jeux, CPJ ou tout autre label : CSV (UTF-8 ou Windows-1252, « ; » « , » ou tabulation), "
           "XLSX, JSON ou GeoJSON. Rien n'est enregistré avant « Enregistrer l'import ».")
official_update.official_lists(version)

upload = st.file_uploader("Fichier", type=["csv", "txt", "tsv", "xlsx", "json", "geojson"])
known = label_names(version)
c1, c2, c3 = st.columns([2, 1, 1])
label_choice = c1.selectbox("Label", known + ["Nouveau label…"], index=0 if known else 0)
label = c1.text_input("Nom du nouveau label", placeholder="ex. Terre de Jeux 2030") \
    if label_choice == "Nouveau label…" else label_choice
sites_mode = c2.checkbox("Liste de sites (points, ex. CPJ)", value="préparation" in (label or "").lower())
level = c3.selectbox("Niveau", ["auto", "commune", "epci", "departement", "region"], disabled=sites_mode)
deps = departements(version)
dep_opts = [""] + list(deps["code"])
dep_names = dict(zip(deps["code"], deps["nom"], strict=True))
dep_hint = c3.selectbox("Département de toute la liste", dep_opts, format_func=lambda c: dep_names.get(c, "—"),
                        disabled=sites_mode)
official_update.from_url(label, sites_mode, level, dep_hint or None)

if upload is not None:
    raw = upload.getvalue()
    try:
        table = read_bytes(raw, upload.name)
    except GeoError as exc:
        st.error(str(exc))
        st.stop()
    columns = list(table.data.columns)
    detected = st.session_state.get("colonnes") if st.session_state.get("fichier") == (upload.name, len(raw)) \
        else None
    if detected is None:
        try:
            from geo.columns import detect

            detected = detect(table.data, sites=sites_mode).as_dict()
        except GeoError as exc:
            st.warning(str(exc))
            detected = Columns().as_dict()
    st.subheader("Colonnes détectées")
    st.caption("Modifiez-les si la détection s'est trompée.")
    roles = ["nom", "code", "departement", "code_postal", "type", "date"]
    if sites_mode:
        roles = ["nom", "ville", "code_postal", "departement", "coordonnees", "latitude", "longitude",
                 "adresse", "disciplines", "olympique", "paralympique", "lang", "identifiant"]
    cols = st.columns(4)
    forced = {}
    for k, role in enumerate(roles):
        options = ["(aucune)"] + columns
        current = detected.get(role)
        forced[role] = cols[k % 4].selectbox(ROLE_LABELS[role], options,
                                             index=options.index(current) if current in options else 0,
                                             key=f"role_{role}")
    forced = {k: (None if v == "(aucune)" else v) for k, v in forced.items()}
    st.session_state["fichier"] = (upload.name, len(raw))
    st.session_state["colonnes"] = forced
    if st.button("Résoudre la liste", type="primary"):
        try:
            st.session_state["prepare"] = labels.prepare(
                table, label, sites=sites_mode, raw=raw, level=level, departement=dep_hint or None,
                forced={k: v for k, v in forced.items() if k in Columns.__dataclass_fields__})
        except GeoError as exc:
            st.error(str(exc))

prepared = st.session_state.get("prepare")
if prepared is not None:
    st.subheader(f"Rapport de résolution — {prepared.fichier}")
    for message in prepared.messages:
        st.write("• " + message)
    official_update.describe_pending()
    counts = prepared.counts()
    cols = st.columns(len(counts))
    for col, (status, n) in zip(cols, counts.items(), strict=True):
        col.metric(status, n)
    resolution = prepared.rows.drop(columns=["nom_brut"], errors="ignore")
    shown = prepared.input.join(resolution.rename(columns=lambda c: f"{c} (résolu)" if c in prepared.input else c))
    st.dataframe(shown, width="stretch", height=300)

    review_messages()
    review_table(prepared)
    if st.button("Enregistrer l'import", type="primary", key="commit"):
        try:
            import_id = labels.commit(prepared)
            del st.session_state["prepare"]
            st.session_state["dernier_import"] = import_id
            st.cache_data.clear()
            st.rerun()
        except GeoError as exc:
            st.error(str(exc))

if st.session_state.get("dernier_import"):
    import_id = st.session_state["dernier_import"]
    st.success(f"Import n° {import_id} enregistré.")
    diff = labels.compare(import_id)
    if diff["precedent"]:
        a, b = st.columns(2)
        a.write(f"**Ajouts** par rapport à l'import n° {diff['precedent']} : {len(diff['ajouts'])}")
        a.dataframe(diff["ajouts"], hide_index=True, width="stretch")
        b.write(f"**Retraits** : {len(diff['retraits'])}")
        b.dataframe(diff["retraits"], hide_index=True, width="stretch")

st.divider()
st.subheader("Imports enregistrés")
imports = labels.list_imports()
if imports.empty:
    st.info("Aucun import.")
else:
    imports["etat"] = imports["retire_le"].map(lambda v: "retiré" if v is not None and v == v else "actif")
    imports["statuts"] = imports["statuts"].map(lambda s: ", ".join(f"{k} {v}" for k, v in json.loads(s).items()
                                                                     if v))
    st.dataframe(imports[["id", "label", "genre", "fichier", "importe_le", "lignes", "statuts", "etat"]],
                 hide_index=True, width="stretch",
                 column_config={"id": "N°", "label": "Label", "genre": "Type", "fichier": "Fichier",
                                "importe_le": st.column_config.DatetimeColumn("Importé le", format="DD/MM/YYYY HH:mm"),
                                "lignes": "Lignes", "statuts": "Statuts", "etat": "État"})
    active = imports[imports["etat"] == "actif"]
    if len(active):
        c1, c2, c3 = st.columns([2, 1, 1])
        ids = list(active["id"])[::-1]  # the latest first
        chosen = c1.selectbox("Import", ids, format_func=lambda i: f"n° {i} — "
                              f"{active.set_index('id').loc[i, 'fichier']} ({active.set_index('id').loc[i, 'label']})")
        if c2.button("Comparer au précédent"):
            diff = labels.compare(int(chosen))
            if not diff["precedent"]:
                st.info("Pas d'import précédent actif pour ce label.")
            else:
                st.write(f"Ajouts : {len(diff['ajouts'])} · retraits : {len(diff['retraits'])} "
                         f"(par rapport à l'import n° {diff['precedent']})")
                st.dataframe(pd.concat([diff["ajouts"].assign(changement="ajout"),
                                        diff["retraits"].assign(changement="retrait")]), hide_index=True)
        if c3.button("Retirer cet import", key="withdraw"):
            labels.withdraw(int(chosen))
            st.cache_data.clear()
            st.session_state.pop("dernier_import", None)
            st.rerun()
