"""Importer: upload a list, check its columns and resolution, fix rows one by one, commit; manage imports."""

import logging
import time

import streamlit as st

from geo import fr, imports
from geo.data.lists import LEVEL_LABELS, STATUS_LABELS
from geo.errors import GeoError, InputRefused, SimilarLabel
from geo.io import limits
from geo.io.columns import ROLE_LABELS, Columns
from geo.io.readers import read_bytes
from views import official_update
from views.access import require_editor
from views.caches import departements, label_genres, label_names
from views.common import require_store
from views.formatting import fmt_int
from views.imports import effect_report, imports_section, journal_section, restored_message
from views.review import review_messages, review_table
from views.saving import approx_section, save_section
from views.state import escape_md, session_memo
from views.xlsx import sheet_and_header

log = logging.getLogger("views.importer")  # a page runs as __main__: its logger is named

version = require_store()
require_editor()  # readers never get here (the page is not routed for them); a replayed request neither
st.title("Importer une liste")
st.caption("Terre de Jeux, CPJ ou tout autre label : CSV (UTF-8 ou Windows-1252, « ; » « , » ou tabulation), "
           "XLSX, JSON ou GeoJSON. Rien n'est enregistré avant « Enregistrer l'import ».")
official_update.official_lists(version)

upload = st.file_uploader("Fichier", type=["csv", "txt", "tsv", "xlsx", "json", "geojson"])
known = label_names(version)
genres = label_genres(version)
c1, c2, c3 = st.columns([2, 1, 1])
# no default label: the last one used is not the right one for the next file
label_choice = c1.selectbox("Label", known + ["Nouveau label…"], index=None, placeholder="Choisissez le label…",
                            key="importer.label")
label = c1.text_input("Nom du nouveau label", placeholder="ex. Terre de Jeux 2030",
                      max_chars=imports.MAX_LABEL) \
    if label_choice == "Nouveau label…" else (label_choice or "")
if label_choice == "Nouveau label…" and label.strip():
    try:  # a near-duplicate of a known label is said as the name is typed, with the label it resembles
        imports.check_label(label)
    except SimilarLabel as exc:
        c1.warning(escape_md(str(exc)))
        c1.button(f"Utiliser « {escape_md(exc.near)} »", key="importer.label_proche",
                  on_click=lambda near=exc.near: st.session_state.update({"importer.label": near}))
        label = ""
    except InputRefused as exc:
        c1.error(escape_md(str(exc)))
        label = ""
# a known label is of one kind for good (sites or territories): the box says it and cannot be changed; for a new
# label, the box keeps what the officer ticked, whatever name is typed
known_kind = genres.get(label)
if known_kind is not None:
    st.session_state["importer.sites"] = known_kind == "sites"
sites_mode = c2.checkbox("Liste de sites (points, ex. CPJ)", key="importer.sites", disabled=known_kind is not None,
                         help="Un label est une liste de sites (des lieux avec une adresse : CPJ, France services) "
                              "ou de territoires, une fois pour toutes." if known_kind is None else
                              f"« {label} » est un label de {'sites' if known_kind == 'sites' else 'territoires'} : "
                              "ses listes sont toutes de ce genre.")
list_date = c2.text_input("Date de la liste (jj/mm/aaaa, si connue)", key="importer.date_liste",
                          help="La date de la liste elle-même (pas celle de l'import) : elle est affichée avec "
                               "les chiffres.")
level = c3.selectbox("Niveau", ["auto", "commune", "epci", "ept", "departement", "region"], disabled=sites_mode,
                     format_func=lambda v: {"auto": "automatique", **LEVEL_LABELS}.get(v, v), placeholder="Choisissez…")
deps = departements(version)
dep_opts = [""] + list(deps["code"])
dep_names = dict(zip(deps["code"], deps["nom"], strict=True))
dep_hint = c3.selectbox("Département de toute la liste", dep_opts, format_func=lambda c: dep_names.get(c, "—"),
                        placeholder="Choisissez…",
                        disabled=sites_mode)
official_update.from_url(label, sites_mode, level, dep_hint or None)
list_day = None
if list_date.strip():
    try:
        list_day = fr.parse(list_date)
    except ValueError:
        st.warning("Date de la liste non reconnue : tapez-la sous la forme jj/mm/aaaa (par ex. 20/11/2019).")

if upload is not None:
    raw = upload.getvalue()
    try:
        sheet, header_row = sheet_and_header(raw, upload.name, upload.file_id)
        table = session_memo("_lecture", (upload.file_id, sheet, header_row),
                             lambda: read_bytes(raw, upload.name, sheet=sheet, header_row=header_row))
    except GeoError as exc:
        st.error(escape_md(str(exc)))
        st.stop()
    columns = list(table.data.columns)
    # the columns are detected again for another file, sheet or header row, and when the kind of list changes
    same_file = st.session_state.get("fichier") == (upload.file_id, sheet, header_row, sites_mode)
    detected = st.session_state.get("colonnes") if same_file else None
    if detected is None:
        try:
            from geo.io.columns import detect

            detected = detect(table.data, sites=sites_mode).as_dict()
        except GeoError as exc:
            st.warning(escape_md(str(exc)) + " Choisissez-la ci-dessous, dans « nom » ou « code ».")
            detected = Columns().as_dict()
    st.subheader("Colonnes détectées")
    st.caption("Modifiez-les si la détection s'est trompée.")
    roles = ["nom", "code", "departement", "code_postal", "type", "date"]
    if sites_mode:
        roles = ["nom", "ville", "code", "code_postal", "departement", "date", "coordonnees", "latitude",
                 "longitude", "adresse", "disciplines", "olympique", "paralympique", "lang", "identifiant"]
    cols = st.columns(4)
    forced = {}
    for k, role in enumerate(roles):
        options = ["(aucune)"] + columns
        current = detected.get(role)
        title = {"nom": "nom du site", "ville": "commune (ville)"}.get(role) if sites_mode else None
        forced[role] = cols[k % 4].selectbox(title or ROLE_LABELS[role], options, placeholder="Choisissez…",
                                             index=options.index(current) if current in options else 0,
                                             key=f"role_{role}_{'sites' if sites_mode else 'liste'}")
    forced = {k: (None if v == "(aucune)" else v) for k, v in forced.items()}
    st.session_state["fichier"] = (upload.file_id, sheet, header_row, sites_mode)
    st.session_state["colonnes"] = forced
    if st.session_state.pop("resolution_annulee", False):
        st.info("Résolution annulée : rien n'a été enregistré. Relancez-la quand vous voulez.")
    if st.button("Résoudre la liste", type="primary"):
        st.session_state.pop("prepare", None)
        # a click on « Annuler » (or closing the tab) stops the resolution at its next progress step
        cancel = st.empty()
        cancel.button("Annuler la résolution", key="annuler_resolution",
                      on_click=lambda: st.session_state.update(resolution_annulee=True))
        bar = st.progress(0.0, text="Résolution…")
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            limits.check_time(time.monotonic() - started, done // 2, total // 2)
            share = min(done / max(total, 1), 1.0)
            bar.progress(share, text=f"Résolution de {fmt_int(total // 2)} lignes… {share:.0%}")
        try:
            st.session_state["prepare"] = imports.prepare(
                table, label, sites=sites_mode, raw=raw, level=level, departement=dep_hint or None,
                forced={k: v for k, v in forced.items() if k in Columns.__dataclass_fields__}, progress=progress)
            if list_day is not None:
                st.session_state["prepare"].options["date_liste"] = list_day.isoformat()
        except GeoError as exc:
            log.info("Résolution de %s refusée : %s", upload.name, exc)
            st.error(escape_md(str(exc)))
        except Exception:
            log.exception("Résolution de %s en échec", upload.name)
            raise
        except BaseException:
            # Streamlit stops a run with an exception that is not an Exception: « Annuler » clicked (a rerun),
            # or the tab closed (the session's end), at the resolution's next progress step
            log.info("Résolution de %s interrompue (annulée ou onglet fermé) après %.1f s", upload.name,
                     time.monotonic() - started)
            raise
        bar.empty()
        cancel.empty()

prepared = st.session_state.get("prepare")
if prepared is not None:
    st.subheader(f"Rapport de résolution — {escape_md(prepared.fichier)}")
    for message in prepared.messages:
        if message.startswith("Fichier identique"):
            st.warning(escape_md(message))
        else:
            st.write("• " + escape_md(message))
    official_update.describe_pending()
    counts = prepared.counts()
    cols = st.columns(len(counts))
    for col, (status, n) in zip(cols, counts.items(), strict=True):
        col.metric(STATUS_LABELS.get(status, status), fmt_int(n))
    resolution = prepared.rows.drop(columns=["nom_brut", "cle", "corrige"], errors="ignore")
    if "statut" in resolution:
        resolution = resolution.assign(statut=resolution["statut"].map(lambda v: STATUS_LABELS.get(v, v)))
    if "score" in resolution:  # no score is a blank, not "None"
        resolution = resolution.assign(score=resolution["score"].map(
            lambda v: "" if v is None or v != v else f"{v:g}".replace(".", ",")))
    shown = prepared.input.join(resolution.rename(columns=lambda c: f"{c} (résolu)" if c in prepared.input else c))
    st.dataframe(shown, width="stretch", height=300)

    review_messages()
    review_table(prepared)
    save_section(prepared, approx_section(prepared))

if st.session_state.get("dernier_import"):
    import_id = st.session_state["dernier_import"]
    replaced = st.session_state.get("dernier_remplace")
    st.success(f"Import n° {import_id} enregistré" + (f", nouvelle version de l'import n° {replaced} (retiré, gardé "
                                                       "dans l'historique)." if replaced else "."))
    effect_report(import_id)

st.divider()
st.subheader("Imports enregistrés")
restored_message()
journal_section()  # collapsed, above the table: who wrote what, latest first
imports_section()
