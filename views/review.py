"""The rows of a prepared import that need a person: one table, each row with its candidates in a
drop-down, a code cell and a dismiss box, all validated in one go (not a page: used by the Importer)."""

from __future__ import annotations

import streamlit as st

from geo import imports
from geo.errors import GeoError
from views.state import escape_md

PAGE_SIZE = 25
NONE = "—"
STATUS_NAMES = {"ambigu": "ambiguë", "introuvable": "introuvable"}


def review_table(prepared: imports.Prepared) -> None:
    review = prepared.review()
    if review.empty:
        return
    st.subheader(f"À revoir : {len(review)} ligne(s)")
    st.caption("Pour chaque ligne, choisissez un candidat, ou saisissez un code officiel (INSEE, SIREN, "
               "département), ou cochez « Écarter ». Les choix sont appliqués ensemble par « Valider ces choix » ; "
               "un nom corrigé est retenu pour les imports suivants.")
    pages = max(1, -(-len(review) // PAGE_SIZE))
    page = 1
    if pages > 1:
        page = st.number_input(f"Page (sur {pages})", min_value=1, max_value=pages, value=1, step=1,
                               key="revue_page")
    shown = review.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    name_col = prepared.columns.nom
    with st.form("revue", border=True):
        head = st.columns([0.8, 2.2, 2.6, 3.1, 1.3, 0.9])
        for col, title in zip(head, ["Ligne", "Nom dans le fichier", "Pourquoi", "Candidat", "Code", "Écarter"],
                              strict=True):
            col.markdown(f"**{title}**")
        for ligne, row in shown.iterrows():
            c = st.columns([0.8, 2.2, 2.6, 3.1, 1.3, 0.9], vertical_alignment="center")
            c[0].text(str(ligne))
            name = prepared.input.at[ligne, name_col] if name_col else row.get("nom_brut", "")
            c[1].text(str(name))
            c[2].text(f"{STATUS_NAMES.get(row['statut'], row['statut'])} — {row.get('remarque') or ''}".strip(" —"))
            candidates = [x.strip() for x in str(row.get("candidats") or "").split(";") if x.strip()]
            c[3].selectbox("Candidat", [NONE, *candidates], key=f"rv_cand_{ligne}", label_visibility="collapsed",
                           disabled=not candidates)
            c[4].text_input("Code", key=f"rv_code_{ligne}", label_visibility="collapsed", placeholder="code")
            c[5].checkbox("Écarter", key=f"rv_skip_{ligne}", label_visibility="collapsed")
        submitted = st.form_submit_button("Valider ces choix", type="primary")
    if submitted:
        _apply(prepared, list(shown.index))


def _apply(prepared: imports.Prepared, lignes: list[int]) -> None:
    errors, done = [], 0
    for ligne in lignes:
        typed = str(st.session_state.get(f"rv_code_{ligne}", "") or "").strip()
        pick = st.session_state.get(f"rv_cand_{ligne}", NONE)
        try:
            if st.session_state.get(f"rv_skip_{ligne}"):
                imports.set_row(prepared, ligne, None)
            elif typed:
                imports.set_row(prepared, ligne, typed)
            elif pick and pick != NONE:
                imports.set_row(prepared, ligne, pick)
            else:
                continue
            done += 1
        except GeoError as exc:
            errors.append(f"ligne {ligne} : {exc}")
    if errors:
        st.session_state["revue_erreurs"] = errors
    st.session_state["revue_faites"] = done
    st.rerun()


def review_messages() -> None:
    """What the last validation did, shown once after the rerun it triggers."""
    done = st.session_state.pop("revue_faites", None)
    errors = st.session_state.pop("revue_erreurs", [])
    if done:
        st.success(f"{done} ligne(s) réglée(s).")
    for error in errors:
        st.error(escape_md(error))
