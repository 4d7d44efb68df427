"""A workbook's first rows shown as they are, and the header row chosen (found by itself, changeable)."""

from __future__ import annotations

import streamlit as st

from geo.readers import sheet_preview


def header_row_choice(raw: bytes, name: str) -> int | None:
    """For a workbook: preview its first rows with their spreadsheet numbers, return the header row chosen."""
    if not (raw[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm"))):
        return None
    preview, guessed = sheet_preview(raw, name)
    st.markdown("**Premières lignes de la feuille** (numéros de ligne du tableur)")
    st.dataframe(preview, width="stretch", height=min(38 + 35 * len(preview), 330))
    rows = list(preview.index)
    return st.selectbox("Ligne des en-têtes (titres des colonnes)", rows,
                        index=rows.index(guessed) if guessed in rows else 0, key=f"importer.entete.{name}",
                        placeholder="Choisissez…",
                        help="Les lignes au-dessus (titre, note) sont ignorées ; « Ligne N » dans le rapport est "
                             "le numéro de ligne du tableur.")
