"""A ranking of départements whose « Ouvrir › » cell opens the département in the same tab at the first click
(a link column of Streamlit's grid needs a click to select the cell, another to follow it, in a new tab)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

OPEN = "Ouvrir ›"


def ranking(table, codes: pd.Series, label: str | None, key: str, **kwargs) -> None:
    """Show `table` (its « page » column reads OPEN) with `codes` the département of each row, in the same order;
    a click on a cell of the « page » or « nom » column opens that département's page."""
    event = st.dataframe(table, on_select="rerun", selection_mode="single-cell", key=key, **kwargs)
    cells = (getattr(event, "selection", None) or {}).get("cells") or []
    for row, column in cells:
        if column in ("page", "nom") and 0 <= int(row) < len(codes):
            st.switch_page("views/departement.py", query_params={
                "dep": str(codes.iloc[int(row)]), **({"label": label} if label else {})})
