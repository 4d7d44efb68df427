"""The Importer's report after saving and its list of imports: withdraw after a confirmation that names the
import, say what was withdrawn, restore it; what an import changes in coverage, apart from the file diff."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from geo import imports
from geo.data import coverage
from geo.data.lists import STATUS_LABELS
from geo.errors import GeoError
from geo.store import journal
from views.access import require_editor
from views.formatting import fmt_int, french_numbers
from views.formatting import table as show_table
from views.state import escape_md

PENDING = "importer.retrait_demande"   # the import whose withdrawal waits for a confirmation
DONE = "importer.retrait_fait"         # the import just withdrawn (offer to restore it)


def _name(row) -> str:
    return f"n° {row['id']} « {row['fichier']} » ({row['label']}, {fmt_int(row['lignes'])} lignes)"


def effect_report(import_id: int) -> None:
    """What an import changes in coverage (communes covered only thanks to it), then the file comparison."""
    effect = coverage.import_effect(import_id)
    st.markdown("**Effet sur la couverture du label**")
    if effect.empty:
        st.text("Aucune commune de plus n'est couverte : toutes l'étaient déjà par les autres imports actifs "
                "(ou il s'agit d'une liste de sites).")
    else:
        st.text(f"{fmt_int(len(effect))} commune(s) couverte(s) grâce à cet import (aucune commune ne perd le "
                "label : les imports actifs d'un label s'additionnent).")
        names = {"code": "Code INSEE", "nom": "Commune", "departement": "Département", "population": "Population"}
        show_table(french_numbers(effect.rename(columns=names), ["Population"]), height=200)
    diff = imports.compare(import_id)
    if diff["precedent"]:
        with st.expander(f"Comparaison de fichiers avec l'import n° {diff['precedent']} (ne dit rien de la "
                         "couverture)"):
            a, b = st.columns(2)
            with a:
                st.text(f"Lignes présentes dans ce fichier et pas dans le précédent : {len(diff['ajouts'])}")
                show_table(diff["ajouts"])
            with b:
                st.text(f"Lignes du fichier précédent absentes de celui-ci : {len(diff['retraits'])}")
                show_table(diff["retraits"])


def imports_table() -> pd.DataFrame:
    """Every import, newest first, with its state and its dates told apart."""
    listed = imports.list_imports()
    if listed.empty:
        return listed
    listed["etat"] = listed["retire_le"].map(lambda v: "retiré" if v is not None and v == v else "actif")
    listed["statuts"] = listed["statuts"].map(
        lambda s: ", ".join(f"{STATUS_LABELS.get(k, k)} {v}" for k, v in json.loads(s).items() if v))
    return listed.iloc[::-1]


def _when(day) -> str:
    """« 22/11/2026 04:31 » (times are stored in UTC)."""
    return "" if day is None or day != day else f"{day:%d/%m/%Y %H:%M}"


def imports_section() -> None:
    listed = imports_table()
    if listed.empty:
        st.info("Aucun import.")
        return
    done = st.session_state.get(DONE)
    if done is not None:
        row = listed.set_index("id").loc[done].to_dict() | {"id": done}
        st.success(f"Import {escape_md(_name(row))} retiré : ses lignes ne comptent plus dans la couverture.")
        if st.button("Annuler ce retrait (restaurer l'import)", key="importer.restaurer_dernier"):
            _restore(done)
    # who withdrew or restored an import, and when: in the journal under the table
    shown = listed.assign(importe_le=listed["importe_le"].map(_when))
    text = st.column_config.TextColumn
    show_table(french_numbers(shown[["id", "etat", "label", "fichier", "lignes", "importe_le", "auteur", "statuts",
                                     "genre"]], ["lignes"]),
               hide_index=True, width="stretch",
               column_config={"id": st.column_config.NumberColumn("N°", width=50), "etat": text("État", width=70),
                              "label": text("Label", width=140), "fichier": text("Fichier", width=200),
                              "lignes": st.column_config.NumberColumn("Lignes", width=70),
                              "importe_le": text("Importé le (UTC)", width=125),
                              "auteur": text("Importé par", width=110), "statuts": "Statuts",
                              "genre": text("Type", width=70)})
    rows = {int(r["id"]): r for r in listed.to_dict("records")}
    c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
    chosen = c1.selectbox("Import", list(rows), index=None, placeholder="Choisissez un import…",
                          key="importer.choix", format_func=lambda i: f"{_name(rows[i])} — {rows[i]['etat']}")
    if chosen is None:
        return
    row = rows[chosen]
    if c2.button("Ce que change cet import", key="importer.effet"):
        effect_report(chosen)
    if row["etat"] == "actif":
        if c3.button("Retirer cet import…", key="importer.retirer"):
            st.session_state[PENDING] = chosen
    elif c3.button("Restaurer cet import", key="importer.restaurer"):
        _restore(chosen)
    pending = st.session_state.get(PENDING)
    if pending is not None and pending in rows and rows[pending]["etat"] == "actif":
        _confirm(rows[pending])


def _confirm(row: dict) -> None:
    """The withdrawal of one named import, confirmed or cancelled; a second click withdraws nothing more."""
    lost = coverage.import_effect(int(row["id"]))
    st.warning(f"Retirer l'import {escape_md(_name(row))} ? Ses lignes restent consultables mais ne compteront plus "
               f"dans la couverture : {fmt_int(len(lost))} commune(s) ne seraient plus couvertes.")
    b1, b2, _ = st.columns([2, 1, 3])
    if b1.button(f"Confirmer le retrait (n° {row['id']})", type="primary", key="importer.confirmer",
                 width="stretch"):
        st.session_state.pop(PENDING, None)
        try:
            imports.withdraw(int(row["id"]), auteur=require_editor())
        except GeoError as exc:
            st.error(escape_md(str(exc)))
            return
        st.session_state[DONE] = int(row["id"])
        st.session_state.pop("importer.choix", None)
        st.session_state.pop("dernier_import", None)
        st.cache_data.clear()
        st.rerun()
    if b2.button("Annuler", key="importer.annuler"):
        st.session_state.pop(PENDING, None)
        st.rerun()


def _restore(import_id: int) -> None:
    try:
        imports.restore(import_id, auteur=require_editor())
    except GeoError as exc:
        st.error(escape_md(str(exc)))
        return
    st.session_state.pop(DONE, None)
    st.session_state["importer.restaure"] = import_id
    st.cache_data.clear()
    st.rerun()


def restored_message() -> None:
    restored = st.session_state.pop("importer.restaure", None)
    if restored is not None:
        st.success(f"Import n° {restored} restauré : il compte de nouveau dans la couverture.")


def journal_section() -> None:
    """Every write with who made it and when, latest first."""
    rows = journal.listing()
    with st.expander(f"Journal des écritures ({len(rows)} dernière(s))"):
        if rows.empty:
            st.text("Aucune écriture enregistrée.")
            return
        shown = rows.assign(quand=rows["quand"].map(_when), action=rows["action"].map(journal.ACTIONS.get),
                            import_id=rows["import_id"].map(lambda v: "" if v is None or v != v else f"n° {int(v)}"))
        show_table(shown, hide_index=True, width="stretch",
                   column_config={"quand": st.column_config.TextColumn("Quand (UTC)", width=125),
                                  "auteur": st.column_config.TextColumn("Par", width=240),
                                  "action": st.column_config.TextColumn("Action", width=180),
                                  "import_id": st.column_config.TextColumn("Import", width=70),
                                  "detail": "Détail"})
