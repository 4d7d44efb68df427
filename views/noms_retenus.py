"""Noms retenus: the names officers settled by hand, used by later imports; delete one, exchange them as CSV."""

import streamlit as st

from geo.errors import GeoError
from geo.io.export import to_csv
from geo.resolve import memory
from views.access import require_editor
from views.common import require_store
from views.state import escape_md

LEVELS = {"commune": "Commune", "epci": "EPCI", "ept": "EPT", "departement": "Département", "region": "Région",
          "ecarte": "écartée (« Écarter »)"}

require_store()
require_editor()  # readers have no route to this page; a replayed request stops here too
st.title("Noms retenus")
st.caption("Quand une ligne est corrigée à la main dans la page Importer (candidat choisi ou code saisi), le nom "
           "tel qu'il était écrit et son département sont retenus avec le code choisi : les imports suivants le "
           "résolvent de la même façon (remarque « nom retenu »). Rien n'est retenu sans une correction confirmée.")

rows = memory.listing()
if rows.empty:
    st.info("Aucun nom retenu pour l'instant. Corrigez une ligne à revoir dans la page Importer puis enregistrez "
            "l'import : le nom apparaîtra ici.")
else:
    table = rows.assign(niveau=rows["niveau"].map(lambda v: LEVELS.get(v, v)),
                        departement=rows["departement"].map(lambda d: d or "aucun"),
                        import_id=rows["import_id"].map(lambda v: "" if v is None or v != v else f"n° {int(v)}"))
    st.dataframe(table[["nom_brut", "departement", "niveau", "code", "nom_officiel", "auteur", "cree_le",
                        "import_id"]], hide_index=True, width="stretch",
                 column_config={"nom_brut": "Nom dans la liste", "departement": "Département indiqué",
                                "niveau": "Niveau", "code": "Code", "nom_officiel": "Nom officiel",
                                "auteur": "Corrigé par",
                                "cree_le": st.column_config.DatetimeColumn("Le", format="DD/MM/YYYY HH:mm"),
                                "import_id": "Import"})
    labels_by_key = {k: f"{n} ({d or 'sans département'}) → {c} {o}" for k, n, d, c, o in zip(
        rows["cle"], rows["nom_brut"], rows["departement"], rows["code"], rows["nom_officiel"], strict=True)}
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    chosen = c1.multiselect("Noms à oublier", list(labels_by_key), format_func=labels_by_key.get,
                            placeholder="Choisissez un ou plusieurs noms")
    if c2.button("Oublier ces noms", disabled=not chosen):
        try:
            n = memory.forget(chosen, auteur=require_editor())
            st.session_state["retenus_message"] = f"{n} nom(s) oublié(s) : les prochains imports les résoudront " \
                                                  "sans correction."
            st.rerun()
        except GeoError as exc:
            st.error(escape_md(str(exc)))
    st.download_button("Exporter les noms retenus (CSV)", to_csv(memory.export_frame()), "noms-retenus.csv",
                       "text/csv")

message = st.session_state.pop("retenus_message", None)
if message:
    st.success(escape_md(message))

st.subheader("Reprendre les noms retenus d'un autre poste")
upload = st.file_uploader("Fichier CSV exporté par cette page", type=["csv"], key="retenus_fichier")
if upload is not None and st.button("Ajouter ces noms", type="primary"):
    try:
        n = memory.import_csv(upload.getvalue(), require_editor())
        st.session_state["retenus_message"] = f"{n} nom(s) ajouté(s) aux noms retenus."
        st.rerun()
    except GeoError as exc:
        st.error(escape_md(str(exc)))
