"""A workbook's sheet and first rows shown as they are, and the header row chosen (found by itself, changeable)."""

from __future__ import annotations

import streamlit as st

from geo.io.readers import sheet_names, sheet_preview
from views.state import session_memo


def is_workbook(raw: bytes, name: str) -> bool:
    return raw[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm"))


def sheet_and_header(raw: bytes, name: str, ident: str) -> tuple[str | None, int | None]:
    """For a workbook: the sheet (offered when there are several) and the header row, after a preview of its
    first rows with their spreadsheet numbers. (None, None) for any other file. `ident` names the upload:
    the workbook is read once per upload and sheet."""
    if not is_workbook(raw, name):
        return None, None
    names, default = session_memo("_feuilles", ident, lambda: sheet_names(raw, name))
    sheet = None
    if len(names) > 1:
        sheet = st.selectbox(f"Feuille du classeur ({len(names)} feuilles)", names, index=names.index(default),
                             key=f"importer.feuille.{name}",
                             help="La feuille la plus remplie est proposée ; les autres ne sont pas lues.")
    preview, guessed = session_memo("_apercu", (ident, sheet), lambda: sheet_preview(raw, name, sheet=sheet))
    st.markdown("**Premières lignes de la feuille** (numéros de ligne du tableur)")
    st.dataframe(preview, width="stretch", height=min(38 + 35 * len(preview), 330))
    rows = list(preview.index)
    header = st.selectbox("Ligne des en-têtes (titres des colonnes)", rows,
                          index=rows.index(guessed) if guessed in rows else 0, key=f"importer.entete.{name}.{sheet}",
                          placeholder="Choisissez…",
                          help="Les lignes au-dessus (titre, note) sont ignorées ; « Ligne N » dans le rapport est "
                               "le numéro de ligne du tableur.")
    return sheet, header
