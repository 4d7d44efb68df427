"""Importer, before saving: the approximate matches to confirm, « nouvelle version de l'import n° X » with its
differences, and one question when rows are still to review — nothing is saved unseen."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import fr, imports
from geo.errors import GeoError
from views.access import require_editor
from views.common import store_version
from views.formatting import fmt_int, plural
from views.formatting import table as show_table
from views.state import escape_md, session_memo

NEW = 0   # « une nouvelle liste » in the version choice (import ids start at 1)


def approx_section(prepared: imports.Prepared) -> int:
    """The approximate matches waiting for confirmation, with « Tout confirmer » and a way to send some back to
    review; returns how many still wait."""
    waiting = imports.to_confirm(prepared)
    if waiting.empty:
        return 0
    st.subheader(f"Rapprochements à confirmer : {plural(len(waiting), 'ligne', 'lignes')}")
    st.caption("Ces noms ne sont pas écrits comme dans le référentiel officiel : vérifiez le rapprochement avant "
               "d'enregistrer. Cochez les lignes à renvoyer dans « À revoir », puis confirmez les autres.")
    name_col = prepared.columns.nom
    shown = waiting.assign(
        fichier=[str(prepared.input.at[i, name_col]) if name_col else "" for i in waiting.index],
        score=waiting["score"].map(lambda v: "" if v is None or v != v else f"{v:.0f}"))
    columns = ["ligne", "fichier", "nom_officiel", "code", "score", "remarque"]
    show_table(shown.rename_axis("ligne").reset_index()[columns],
               column_config={"ligne": "Ligne", "fichier": "Nom dans le fichier", "nom_officiel": "Rapproché de",
                              "code": "Code", "score": "Score", "remarque": "Remarque"},
               height=min(400, 40 + 35 * len(waiting)))
    back = st.multiselect("Renvoyer à revoir", list(waiting.index), format_func=lambda i: f"ligne {i}",
                          placeholder="Aucune ligne", key="importer.renvoyer")
    label = (f"Confirmer les {fmt_int(len(waiting) - len(back))} autres rapprochements" if back
             else f"Tout confirmer ({fmt_int(len(waiting))})")
    if st.button(label, key="importer.confirmer"):
        for ligne in back:
            imports.send_to_review(prepared, ligne)
        imports.confirm(prepared)
        st.session_state.pop("importer.renvoyer", None)
        st.rerun()
    return len(waiting)


def version_choice(prepared: imports.Prepared) -> int:
    """« Nouvelle version de l'import n° X », proposed when an active import of the same label has the same file
    name or most rows in common, with what changes; returns the import replaced (NEW for none)."""
    # once per prepared list and store version: the page reruns at every click, the store is read per import
    proposed = session_memo("_versions", (prepared.sha256, prepared.label, store_version()),
                            lambda: imports.replaceable(prepared))
    if proposed.empty:
        return NEW
    by_id = {int(r.id): r for r in proposed.itertuples()}
    options = [NEW, *by_id]
    # chosen for the officer only when the file has the same name; most rows in common is only proposed (two
    # colleagues' lists of one département overlap, and neither replaces the other)
    same_name = [i for i, r in by_id.items() if r.raison == "même nom de fichier"]
    choice = st.radio(
        "Cette liste est…", options, key=f"importer.version.{prepared.sha256}",
        index=options.index(same_name[0]) if same_name else 0,
        format_func=lambda i: "une liste de plus (les imports actifs s'additionnent)" if i == NEW else
        f"une nouvelle version de l'import n° {i} « {escape_md(by_id[i].fichier)} » du "
        f"{fr.short(by_id[i].importe_le)} "
        f"({by_id[i].raison}) : il sera retiré, gardé dans l'historique")
    if choice == NEW:
        return NEW
    diff = imports.differences(prepared, choice)
    dates = diff.get("dates")
    parts = [_count(len(diff["ajouts"]), "ajout", "ajouts"), _count(len(diff["retraits"]), "retrait", "retraits")]
    if dates is not None:
        parts.append(_count(len(dates), "date changée", "dates changées"))
    st.info(f"Par rapport à l'import n° {choice} : " + ", ".join(parts) + ".")
    with st.expander("Voir les différences"):
        names = {"niveau": "Niveau", "code": "Code", "nom_officiel": "Nom officiel", "nom": "Site",
                 "commune": "Commune", "avant": "Date avant", "apres": "Date maintenant"}
        for title, frame in (("Ajouts", diff["ajouts"]), ("Retraits", diff["retraits"]), ("Dates changées", dates)):
            if frame is not None:
                st.markdown(f"**{title}**")
                show_table(frame.rename(columns=names), empty="Aucune.")
    return int(choice)


def _count(n: int, one: str, many: str) -> str:
    """« 0 ajout », « 1 ajout », « 2 ajouts » (zero takes the singular in French)."""
    return f"{fmt_int(n)} {one if n <= 1 else many}"


def save_section(prepared: imports.Prepared, waiting: int) -> None:
    """« Enregistrer l'import »: refused while approximate matches wait, asked once when rows remain to review,
    as a new version when one was chosen."""
    replaces = version_choice(prepared)
    if prepared.genre == "sites":
        _say_already_counted(prepared, None if replaces == NEW else replaces)
    if waiting:
        st.button("Enregistrer l'import", type="primary", key="commit", disabled=True)
        st.caption(f"Confirmez d'abord les {fmt_int(waiting)} rapprochement(s) ci-dessus.")
        return
    left = len(prepared.review())
    asked = st.session_state.get("importer.enregistrer_quand_meme") == prepared.sha256
    if st.button("Enregistrer l'import", type="primary", key="commit"):
        if left and not asked:
            st.session_state["importer.enregistrer_quand_meme"] = prepared.sha256
            st.rerun()
        _save(prepared, replaces)
    if left and asked:
        st.warning(f"{plural(left, 'ligne reste', 'lignes restent')} à revoir : enregistrée(s) avec l'import, "
                   "elle(s) ne compteront pas dans la couverture. Les régler d'abord dans « À revoir » ci-dessus, "
                   "ou enregistrer quand même ?")
        if st.button("Enregistrer quand même", key="commit_quand_meme"):
            _save(prepared, replaces)


def _say_already_counted(prepared: imports.Prepared, replaces: int | None) -> None:
    """The sites of this list that another active import of the label (not the one it replaces) already has:
    kept, counted once."""
    placed = int(pd.util.hash_pandas_object(prepared.rows[["commune", "statut"]].astype(str)).sum())
    found = session_memo("_deja", (prepared.sha256, prepared.label, store_version(), placed, replaces),
                         lambda: imports.already_counted(prepared, besides=replaces))
    if found.empty:
        return
    kept = "gardé dans l'import et compté" if len(found) == 1 else "gardés dans l'import et comptés"
    advice = "" if replaces is not None else (
        " Si cette liste remplace l'autre, enregistrez-la comme nouvelle version de l'import (choix proposé "
        "ci-dessus quand les listes se ressemblent) ou retirez l'ancienne dans l'historique des imports.")
    st.info(f"{imports.said_where(found)} (même commune, même nom, ni la ville écrite, ni l'adresse, ni le point "
            f"ne diffèrent) : {kept} une seule fois.{advice}")


def _save(prepared: imports.Prepared, replaces: int) -> None:
    try:
        auteur = require_editor()
        import_id = (imports.commit_version(prepared, replaces, auteur=auteur) if replaces != NEW
                     else imports.commit(prepared, auteur=auteur))
    except GeoError as exc:
        st.error(escape_md(str(exc)))
        return
    del st.session_state["prepare"]
    st.session_state.pop("importer.enregistrer_quand_meme", None)
    st.session_state["dernier_import"] = import_id
    st.session_state["dernier_remplace"] = replaces
    st.cache_data.clear()
    st.rerun()
